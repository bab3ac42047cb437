//! The Configuration Server Database (CSDB): its class schema (domains -> classes ->
//! attributes), the stock schema each HPCA version ships, the on-disk format under
//! `ConfigurationServer\DB`, and the comparison that finds a site's customizations (B31).
//!
//! Restore must merge schema customizations forward and generate a script for each, so it
//! needs the stock schema of the *source* version to tell a customer's additions from HP's.

mod format;
mod stock;

pub use format::{read_instances, read_schema, write_class, CLASS_SUFFIX, INSTANCE_SUFFIX};
pub use stock::stock_schema;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The CSDB file (the top folder under `DB`) that holds the domains the migration cares about.
pub const PRIMARY_FILE: &str = "PRIMARY";

/// The kind of a class attribute, as the Admin CSDB Editor shows it by letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AttrType {
    /// `V`: a variable holding a value.
    Variable,
    /// `C`: a class connection (always / conditional) to another instance.
    Connection,
    /// `M`: a method the Configuration Server or the agent runs.
    Method,
    /// `E`: an expression evaluated at resolution.
    Expression,
    /// `I`: an include connection.
    Include,
    /// `R`: a requires connection.
    Requires,
}

impl AttrType {
    /// The one-letter code the CSDB stores.
    pub fn code(self) -> char {
        match self {
            AttrType::Variable => 'V',
            AttrType::Connection => 'C',
            AttrType::Method => 'M',
            AttrType::Expression => 'E',
            AttrType::Include => 'I',
            AttrType::Requires => 'R',
        }
    }

    /// The type a one-letter code stands for.
    pub fn from_code(code: &str) -> Option<AttrType> {
        Some(match code {
            "V" => AttrType::Variable,
            "C" => AttrType::Connection,
            "M" => AttrType::Method,
            "E" => AttrType::Expression,
            "I" => AttrType::Include,
            "R" => AttrType::Requires,
            _ => return None,
        })
    }
}

/// One attribute of a class: name, type and maximum value length.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    pub ty: AttrType,
    pub length: u16,
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.name, self.ty.code(), self.length)
    }
}

/// A class schema: the class's attributes in their stored order.
pub type ClassSchema = Vec<Attribute>;

/// The class schema of a CSDB: domain -> class -> attributes, in name order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Schema {
    pub domains: BTreeMap<String, BTreeMap<String, ClassSchema>>,
}

impl Schema {
    /// The attributes of `domain.class`, if the schema has that class.
    pub fn class(&self, domain: &str, class: &str) -> Option<&ClassSchema> {
        self.domains.get(domain)?.get(class)
    }

    /// Every class as `(domain, class, attributes)`, in name order.
    pub fn classes(&self) -> impl Iterator<Item = (&str, &str, &ClassSchema)> {
        self.domains.iter().flat_map(|(d, classes)| {
            classes
                .iter()
                .map(move |(c, attrs)| (d.as_str(), c.as_str(), attrs))
        })
    }

    /// The number of classes.
    pub fn class_count(&self) -> usize {
        self.domains.values().map(|c| c.len()).sum()
    }
}

/// One instance of a class: its name and attribute values in the class's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub name: String,
    pub values: Vec<(String, String)>,
}

/// A difference between a site's CSDB schema and the stock schema of its version (B31).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Customization {
    /// A class HP does not ship (in a stock or a new domain).
    AddedClass {
        domain: String,
        class: String,
        attributes: Vec<Attribute>,
    },
    /// An attribute added to a stock class.
    AddedAttribute {
        domain: String,
        class: String,
        attribute: Attribute,
    },
    /// A stock attribute whose type or length the site changed.
    ChangedAttribute {
        domain: String,
        class: String,
        stock: Attribute,
        found: Attribute,
    },
    /// A stock attribute the site removed from a stock class.
    RemovedAttribute {
        domain: String,
        class: String,
        attribute: Attribute,
    },
}

impl Customization {
    /// The domain and class the customization touches.
    pub fn target(&self) -> (&str, &str) {
        let (Customization::AddedClass { domain, class, .. }
        | Customization::AddedAttribute { domain, class, .. }
        | Customization::ChangedAttribute { domain, class, .. }
        | Customization::RemovedAttribute { domain, class, .. }) = self;
        (domain, class)
    }

    /// `DOMAIN.CLASS`, the class the customization touches.
    pub fn class_path(&self) -> String {
        let (domain, class) = self.target();
        format!("{domain}.{class}")
    }
}

impl fmt::Display for Customization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.class_path();
        match self {
            Customization::AddedClass { attributes, .. } => {
                write!(f, "class {at} added ({} attributes)", attributes.len())
            }
            Customization::AddedAttribute { attribute, .. } => {
                write!(f, "attribute {attribute} added to {at}")
            }
            Customization::ChangedAttribute { stock, found, .. } => {
                write!(
                    f,
                    "attribute {} of {at} changed from {stock} to {found}",
                    stock.name
                )
            }
            Customization::RemovedAttribute { attribute, .. } => {
                write!(f, "attribute {attribute} removed from {at}")
            }
        }
    }
}

/// The customizations of `found` against `stock`, in class order: what restore's `rds`
/// module must merge forward, one script each (B31). Stock classes a site deleted are not
/// customizations the merge can carry (the 7.90 install brings them back), so they are
/// not reported.
pub fn customizations(stock: &Schema, found: &Schema) -> Vec<Customization> {
    let mut out = Vec::new();
    for (domain, class, attrs) in found.classes() {
        let Some(stock_attrs) = stock.class(domain, class) else {
            out.push(Customization::AddedClass {
                domain: domain.into(),
                class: class.into(),
                attributes: attrs.clone(),
            });
            continue;
        };
        for attr in attrs {
            match stock_attrs.iter().find(|s| s.name == attr.name) {
                None => out.push(Customization::AddedAttribute {
                    domain: domain.into(),
                    class: class.into(),
                    attribute: attr.clone(),
                }),
                Some(s) if s != attr => out.push(Customization::ChangedAttribute {
                    domain: domain.into(),
                    class: class.into(),
                    stock: s.clone(),
                    found: attr.clone(),
                }),
                Some(_) => {}
            }
        }
        for s in stock_attrs {
            if !attrs.iter().any(|a| a.name == s.name) {
                out.push(Customization::RemovedAttribute {
                    domain: domain.into(),
                    class: class.into(),
                    attribute: s.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
