//! A fabricated CSDB: the stock class schema of the version with seeded instances, plus the
//! site's class-schema customizations (B31), recorded beside the host in
//! `csdb-customizations.json` so a test can check that restore found each one.

use crate::site::{self, Stream};
use hpca_reference::csdb::{self, AttrType, Attribute, Customization, Instance, Schema};
use hpca_reference::{paths, Error, Host, Result, Version};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The sidecar file the customizations are recorded in.
pub const CUSTOMIZATIONS_FILE: &str = "csdb-customizations.json";

/// Instance names a site would have in each domain.
fn names(domain: &str) -> &'static [&'static str] {
    match domain {
        "SOFTWARE" => &[
            "ACROBAT_READER",
            "WINZIP",
            "OFFICE_2007",
            "FIREFOX",
            "JAVA_RE",
            "SAP_GUI",
            "PUTTY",
            "VISIO",
            "CITRIX_ICA",
            "SYMANTEC_AV",
            "LOTUS_NOTES",
        ],
        "POLICY" => &[
            "FINANCE",
            "HR",
            "SALES",
            "ENGINEERING",
            "LONDON",
            "BOSTON",
            "SINGAPORE",
        ],
        "PATCHMGR" => &[
            "MS10_002", "MS10_006", "MS10_015", "MS10_018", "MS09_067", "MS09_072",
        ],
        "OS" => &["WINXP_SP3", "WIN7_X64", "WIN7_X86", "W2K3_SP2", "W2K8_R2"],
        "CLIENT" => &["DEFAULT", "LAN", "WAN", "LAPTOP", "BRANCH"],
        _ => &["DAILY", "WEEKLY", "ON_DEMAND", "NIGHTLY"],
    }
}

/// Attributes a site typically adds: asset tags, cost centres, owners.
const ADDED_ATTRIBUTES: &[(&str, AttrType, u16)] = &[
    ("ZASSETID", AttrType::Variable, 32),
    ("COSTCTR", AttrType::Variable, 16),
    ("OWNER", AttrType::Variable, 64),
    ("SITECODE", AttrType::Variable, 8),
    ("ZAPPROVE", AttrType::Method, 255),
    ("ZCHKLIC", AttrType::Expression, 255),
    ("_SITEPOL_", AttrType::Connection, 255),
    ("BUSUNIT", AttrType::Variable, 32),
];

/// Classes a site typically adds to a stock domain.
const ADDED_CLASSES: &[(&str, &str)] = &[
    ("SOFTWARE", "LICENSE"),
    ("POLICY", "LOCATION"),
    ("SOFTWARE", "FONTS"),
    ("CLIENT", "BRANDING"),
    ("PATCHMGR", "EXCEPTN"),
    ("POLICY", "COSTCTR"),
];

/// A value that fits an attribute.
fn value(rng: &mut ChaCha8Rng, attr: &Attribute, instance: &str) -> String {
    let text = match (attr.ty, attr.name.as_str()) {
        (_, "NAME") => instance.replace('_', " "),
        (AttrType::Connection, _) => {
            format!(
                "POLICY.DEPT.{}",
                names("POLICY").choose(rng).expect("names")
            )
        }
        (AttrType::Method, _) => "SYSTEM.ZMETHOD.PUT_PACKAGE".to_string(),
        (AttrType::Expression, _) => {
            let os = ["WIN2K", "WINXP", "WIN7", "W2K3"].choose(rng).expect("os");
            format!("EDMGETV(ZCONFIG,ZCFGOS) = '{os}'")
        }
        _ if attr.length <= 3 => rng.gen_range(0..10).to_string(),
        _ => format!(
            "{}{:04}",
            &instance[..instance.len().min(4)],
            rng.gen_range(0..10_000)
        ),
    };
    text.chars().take(attr.length as usize).collect()
}

fn instances(rng: &mut ChaCha8Rng, domain: &str, attrs: &[Attribute]) -> Vec<Instance> {
    // Every class has its base instance, whose values the others inherit.
    let mut chosen = vec!["_BASE_INSTANCE_".to_string()];
    let extra = rng.gen_range(1..4);
    for name in names(domain).choose_multiple(rng, extra) {
        chosen.push(name.to_string());
    }
    chosen
        .into_iter()
        .map(|name| {
            let values = attrs
                .iter()
                .map(|a| (a.name.clone(), value(rng, a, &name)))
                .collect();
            Instance { name, values }
        })
        .collect()
}

/// Draws `count` customizations of `stock`, distinct and in class order (fewer when the
/// catalogue of site additions runs out).
fn draw_customizations(rng: &mut ChaCha8Rng, stock: &Schema, count: usize) -> Vec<Customization> {
    let stock_classes: Vec<(&str, &str)> = stock.classes().map(|(d, c, _)| (d, c)).collect();
    let mut out: Vec<Customization> = Vec::new();
    let mut attempts = 0;
    while out.len() < count && attempts < count * 20 {
        attempts += 1;
        let candidate = if rng.gen_ratio(1, 4) {
            let (domain, class) = ADDED_CLASSES.choose(rng).expect("classes");
            if stock.class(domain, class).is_some() {
                continue;
            }
            let mut attributes = vec![Attribute {
                name: "NAME".into(),
                ty: AttrType::Variable,
                length: 64,
            }];
            for (name, ty, length) in ADDED_ATTRIBUTES.choose_multiple(rng, 2) {
                attributes.push(Attribute {
                    name: name.to_string(),
                    ty: *ty,
                    length: *length,
                });
            }
            Customization::AddedClass {
                domain: domain.to_string(),
                class: class.to_string(),
                attributes,
            }
        } else {
            let (domain, class) = stock_classes.choose(rng).expect("a stock class");
            let (name, ty, length) = ADDED_ATTRIBUTES.choose(rng).expect("attributes");
            Customization::AddedAttribute {
                domain: domain.to_string(),
                class: class.to_string(),
                attribute: Attribute {
                    name: name.to_string(),
                    ty: *ty,
                    length: *length,
                },
            }
        };
        // One customization per class and attribute: a second "add" of the same thing would
        // be the same schema, and restore could only report it once.
        if !out.iter().any(|c| same_target(c, &candidate)) {
            out.push(candidate);
        }
    }
    // In the order detection reports them: by class, then attributes in the order added.
    out.sort_by(|a, b| a.target().cmp(&b.target()));
    out
}

fn same_target(a: &Customization, b: &Customization) -> bool {
    match (a, b) {
        (Customization::AddedClass { .. }, Customization::AddedClass { .. }) => {
            a.class_path() == b.class_path()
        }
        (
            Customization::AddedAttribute { attribute: x, .. },
            Customization::AddedAttribute { attribute: y, .. },
        ) => a.class_path() == b.class_path() && x.name == y.name,
        _ => false,
    }
}

/// Applies customizations to a schema.
fn apply(schema: &mut Schema, customizations: &[Customization]) {
    for c in customizations {
        match c {
            Customization::AddedClass {
                domain,
                class,
                attributes,
            } => {
                schema
                    .domains
                    .entry(domain.clone())
                    .or_default()
                    .insert(class.clone(), attributes.clone());
            }
            Customization::AddedAttribute {
                domain,
                class,
                attribute,
            } => {
                if let Some(attrs) = schema
                    .domains
                    .get_mut(domain)
                    .and_then(|d| d.get_mut(class))
                {
                    attrs.push(attribute.clone());
                }
            }
            Customization::ChangedAttribute { .. } | Customization::RemovedAttribute { .. } => {}
        }
    }
}

/// Writes the CSDB of a `version` install with `customizations` site changes; returns them.
pub fn fabricate(
    host: &mut Host,
    version: Version,
    seed: u64,
    customizations: usize,
) -> Result<Vec<Customization>> {
    let mut rng = site::rng(seed, Stream::Csdb);
    let mut schema = csdb::stock_schema(version);
    let drawn = draw_customizations(&mut rng, &schema, customizations);
    apply(&mut schema, &drawn);
    let db = paths::csdb_dir();
    for (domain, class, attrs) in schema.classes() {
        let instances = instances(&mut rng, domain, attrs);
        csdb::write_class(host, &db, domain, class, attrs, &instances)?;
    }
    let path = host.sidecar_path(CUSTOMIZATIONS_FILE);
    let mut text = serde_json::to_string_pretty(&drawn).expect("customizations serialize");
    text.push('\n');
    write_sidecar(&path, &text)?;
    Ok(drawn)
}

/// Writes a file of the simulator's own beside the host (not on any drive).
pub fn write_sidecar(path: &std::path::Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
    }
    std::fs::write(path, text).map_err(Error::io("write", path))
}

/// Reads the customizations recorded when the host was fabricated.
pub fn recorded(host: &Host) -> Result<Vec<Customization>> {
    let path = host.sidecar_path(CUSTOMIZATIONS_FILE);
    let text = std::fs::read_to_string(&path).map_err(Error::io("read", &path))?;
    serde_json::from_str(&text).map_err(|e| Error::StateCorrupt {
        path,
        reason: e.to_string(),
    })
}
