//! The CSDB on disk: `<DB>\PRIMARY\<DOMAIN>\<CLASS>.SCH` holds a class's schema and
//! `<DB>\PRIMARY\<DOMAIN>\<CLASS>\<INSTANCE>.INS` each of its instances. Both are CRLF text
//! (`ATTR <name> <type letter> <length>`; `<attribute> = <value>`), so a backup can carry them
//! as files and a diff shows what a site changed.

use super::{AttrType, Attribute, Instance, Schema, PRIMARY_FILE};
use crate::error::{Error, Result};
use crate::host::Host;
use crate::winpath::WinPath;

/// The suffix of a class-schema file.
pub const CLASS_SUFFIX: &str = ".SCH";
/// The suffix of an instance file.
pub const INSTANCE_SUFFIX: &str = ".INS";

fn strip_suffix_ignoring_case<'a>(name: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = name.len().checked_sub(suffix.len())?;
    (name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(suffix)).then(|| &name[..cut])
}

fn corrupt(path: &WinPath, line: usize, reason: impl Into<String>) -> Error {
    Error::CsdbCorrupt {
        path: path.clone(),
        line,
        reason: reason.into(),
    }
}

/// Writes one class (its schema file and one file per instance) into the CSDB at `db`.
pub fn write_class(
    host: &mut Host,
    db: &WinPath,
    domain: &str,
    class: &str,
    attributes: &[Attribute],
    instances: &[Instance],
) -> Result<()> {
    let domain_dir = db.child(PRIMARY_FILE).child(domain);
    let mut text =
        format!("; HPCA Configuration Server class schema\r\nCLASS {domain}.{class}\r\n");
    for attr in attributes {
        text.push_str(&format!("ATTR {attr}\r\n"));
    }
    host.write(
        &domain_dir.child(&format!("{class}{CLASS_SUFFIX}")),
        text.as_bytes(),
    )?;
    let class_dir = domain_dir.child(class);
    for instance in instances {
        let mut text = format!("INSTANCE {}\r\n", instance.name);
        for (attr, value) in &instance.values {
            text.push_str(&format!("{attr} = {value}\r\n"));
        }
        host.write(
            &class_dir.child(&format!("{}{INSTANCE_SUFFIX}", instance.name)),
            text.as_bytes(),
        )?;
    }
    Ok(())
}

/// Reads the class schema of the CSDB at `db` (every `.SCH` file of its `PRIMARY` file).
pub fn read_schema(host: &Host, db: &WinPath) -> Result<Schema> {
    let primary = db.child(PRIMARY_FILE);
    let mut schema = Schema::default();
    for (domain, is_dir) in host.list_dir(&primary)? {
        if !is_dir {
            continue;
        }
        let domain_dir = primary.child(&domain);
        let classes = schema
            .domains
            .entry(domain.to_ascii_uppercase())
            .or_default();
        for (file, is_dir) in host.list_dir(&domain_dir)? {
            let Some(class) = strip_suffix_ignoring_case(&file, CLASS_SUFFIX) else {
                continue;
            };
            if is_dir {
                continue;
            }
            let path = domain_dir.child(&file);
            let attrs = parse_class(&path, &host.read_to_string(&path)?, &domain, class)?;
            classes.insert(class.to_ascii_uppercase(), attrs);
        }
    }
    Ok(schema)
}

fn parse_class(path: &WinPath, text: &str, domain: &str, class: &str) -> Result<Vec<Attribute>> {
    let mut attrs: Vec<Attribute> = Vec::new();
    let mut named = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(';') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["CLASS", name] => {
                let expected = format!("{domain}.{class}");
                if !name.eq_ignore_ascii_case(&expected) {
                    return Err(corrupt(
                        path,
                        n + 1,
                        format!("names class {name}, but the file stands for {expected}"),
                    ));
                }
                named = true;
            }
            ["ATTR", name, ty, length] => {
                let ty = AttrType::from_code(ty).ok_or_else(|| {
                    corrupt(
                        path,
                        n + 1,
                        format!("unknown attribute type '{ty}' (expected one of V C M E I R)"),
                    )
                })?;
                let length = length.parse().map_err(|_| {
                    corrupt(
                        path,
                        n + 1,
                        format!("attribute length '{length}' is not a number from 0 to 65535"),
                    )
                })?;
                if attrs.iter().any(|a| a.name.eq_ignore_ascii_case(name)) {
                    return Err(corrupt(
                        path,
                        n + 1,
                        format!("attribute {name} is defined twice"),
                    ));
                }
                attrs.push(Attribute {
                    name: name.to_ascii_uppercase(),
                    ty,
                    length,
                });
            }
            _ => {
                return Err(corrupt(path, n + 1, format!("expected 'CLASS <domain>.<class>' or 'ATTR <name> <type> <length>', found '{line}'")));
            }
        }
    }
    if !named {
        return Err(corrupt(path, 1, "no CLASS line"));
    }
    Ok(attrs)
}

/// Reads the instances of `domain.class` in the CSDB at `db`, in name order (none when the
/// class has no instance folder).
pub fn read_instances(
    host: &Host,
    db: &WinPath,
    domain: &str,
    class: &str,
) -> Result<Vec<Instance>> {
    let class_dir = db.child(PRIMARY_FILE).child(domain).child(class);
    if !host.is_dir(&class_dir) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (file, is_dir) in host.list_dir(&class_dir)? {
        if is_dir || strip_suffix_ignoring_case(&file, INSTANCE_SUFFIX).is_none() {
            continue;
        }
        let path = class_dir.child(&file);
        out.push(parse_instance(&path, &host.read_to_string(&path)?)?);
    }
    Ok(out)
}

fn parse_instance(path: &WinPath, text: &str) -> Result<Instance> {
    let mut lines = text.lines().enumerate();
    let name = lines
        .next()
        .and_then(|(_, l)| l.strip_prefix("INSTANCE "))
        .ok_or_else(|| corrupt(path, 1, "the first line must be 'INSTANCE <name>'"))?;
    let mut values = Vec::new();
    for (n, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let (attr, value) = line.split_once(" = ").ok_or_else(|| {
            corrupt(
                path,
                n + 1,
                format!("expected '<attribute> = <value>', found '{line}'"),
            )
        })?;
        values.push((attr.trim().to_string(), value.to_string()));
    }
    Ok(Instance {
        name: name.trim().to_string(),
        values,
    })
}
