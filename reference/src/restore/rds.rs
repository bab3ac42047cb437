//! The `rds` module (B31): finds the site's customizations of the CSDB class schema (the
//! backup's schema against the stock schema of the source version), writes one migration
//! script per customization beside the backup for the operator to review and edit, and, when
//! the restore goes on, rebuilds the 7.90 CSDB from the 7.90 stock schema, the scripts as
//! they then read, and the backup's instances.
//!
//! The script language is one command a line, words separated by blanks, `#` starts a comment:
//! - `add-class DOMAIN CLASS`
//! - `add-attribute DOMAIN CLASS NAME TYPE LENGTH` (TYPE is a CSDB letter: V C M E I R)
//! - `set-attribute DOMAIN CLASS NAME TYPE LENGTH`
//! - `remove-attribute DOMAIN CLASS NAME`
//!
//! Architecture Invariant: the rebuilt CSDB is a function of (backup, scripts) only, never of
//! what a crashed earlier run left in the 7.90 tree, so a rerun rewrites the same files.

use crate::csdb::{self, AttrType, Attribute, Customization, Instance, Schema};
use crate::error::{Error, Result};
use crate::fault::Crash;
use crate::host::Host;
use crate::product::Version;
use crate::report::{Entry, Level};
use crate::winpath::WinPath;

/// The module name.
pub const MODULE: &str = "rds";
/// The scripts' file extension.
pub const SCRIPT_SUFFIX: &str = ".tcl";

/// `<backup>\rds\scripts`: where the generated scripts go.
pub fn scripts_dir(folder: &WinPath) -> WinPath {
    folder.child(MODULE).child("scripts")
}

/// The backup's copy of the CSDB (`<backup>\rds\files`, holding `PRIMARY\...`).
pub fn backup_db(folder: &WinPath) -> WinPath {
    folder.child(MODULE).child("files")
}

/// The customizations in the backup's CSDB against the stock schema of `source`.
pub fn detect(host: &Host, folder: &WinPath, source: Version) -> Result<Vec<Customization>> {
    let db = backup_db(folder);
    if !host.is_dir(&db.child(csdb::PRIMARY_FILE)) {
        return Ok(Vec::new());
    }
    let found = csdb::read_schema(host, &db)?;
    Ok(csdb::customizations(&csdb::stock_schema(source), &found))
}

/// `NN-DOMAIN.CLASS.tcl`, numbered from 1 in detection order.
pub fn script_name(index: usize, c: &Customization) -> String {
    format!("{:02}-{}{SCRIPT_SUFFIX}", index + 1, c.class_path())
}

/// The script that carries one customization forward.
pub fn render_script(index: usize, total: usize, c: &Customization) -> String {
    let mut out = format!(
        "# HPCA 7.90 restore, module rds: CSDB class-schema migration script {} of {total}\r\n\
         # Customization found in the backup: {c}\r\n\
         # Review this script and edit it if the 7.90 schema should differ; the restore applies\r\n\
         # it as it reads when you answer y. Delete it to leave this customization behind.\r\n\
         # Commands: add-class D C | add-attribute D C NAME TYPE LENGTH |\r\n\
         #           set-attribute D C NAME TYPE LENGTH | remove-attribute D C NAME\r\n",
        index + 1
    );
    let attr_line = |verb: &str, d: &str, cl: &str, a: &Attribute| {
        format!(
            "{verb} {d} {cl} {} {} {}\r\n",
            a.name,
            a.ty.code(),
            a.length
        )
    };
    match c {
        Customization::AddedClass {
            domain,
            class,
            attributes,
        } => {
            out.push_str(&format!("add-class {domain} {class}\r\n"));
            for a in attributes {
                out.push_str(&attr_line("add-attribute", domain, class, a));
            }
        }
        Customization::AddedAttribute {
            domain,
            class,
            attribute,
        } => out.push_str(&attr_line("add-attribute", domain, class, attribute)),
        Customization::ChangedAttribute {
            domain,
            class,
            found,
            ..
        } => out.push_str(&attr_line("set-attribute", domain, class, found)),
        Customization::RemovedAttribute {
            domain,
            class,
            attribute,
        } => out.push_str(&format!(
            "remove-attribute {domain} {class} {}\r\n",
            attribute.name
        )),
    }
    out
}

/// Writes the script of each customization that has none yet (an existing one may carry the
/// operator's edits, so it is kept); returns every script's path.
pub fn generate(
    host: &mut Host,
    folder: &WinPath,
    found: &[Customization],
    crash: &Crash,
) -> Result<Vec<WinPath>> {
    let dir = scripts_dir(folder);
    let mut paths = Vec::new();
    for (i, c) in found.iter().enumerate() {
        let path = dir.child(&script_name(i, c));
        if !host.exists(&path) {
            host.write(&path, render_script(i, found.len(), c).as_bytes())?;
        }
        crash.point(&format!("restore:rds:script-{:02}", i + 1))?;
        paths.push(path);
    }
    Ok(paths)
}

/// One command of a script, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Command {
    line: usize,
    words: Vec<(usize, String)>,
}

fn invalid(path: &WinPath, line: usize, column: usize, reason: impl Into<String>) -> Error {
    Error::RdsScriptInvalid {
        path: path.clone(),
        line,
        column,
        reason: reason.into(),
    }
}

fn parse(text: &str) -> Vec<Command> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or("");
        let mut words = Vec::new();
        let mut start = None;
        for (i, ch) in code.char_indices().chain([(code.len(), ' ')]) {
            match (ch.is_whitespace(), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    words.push((code[..s].chars().count() + 1, code[s..i].to_string()));
                    start = None;
                }
                _ => {}
            }
        }
        if !words.is_empty() {
            out.push(Command { line: n + 1, words });
        }
    }
    out
}

/// Applies one script's commands to `schema`; every refusal points at file, line and column.
fn apply_script(
    path: &WinPath,
    text: &str,
    schema: &mut Schema,
    entries: &mut Vec<Entry>,
) -> Result<()> {
    for cmd in parse(text) {
        let w = &cmd.words;
        let at = |i: usize| w.get(i).map_or(w[w.len() - 1].0, |x| x.0);
        let verb = w[0].1.as_str();
        let want = match verb {
            "add-class" => 3,
            "add-attribute" | "set-attribute" => 6,
            "remove-attribute" => 4,
            other => {
                return Err(invalid(
                    path,
                    cmd.line,
                    w[0].0,
                    format!("unknown command '{other}' (expected add-class, add-attribute, set-attribute or remove-attribute)"),
                ))
            }
        };
        if w.len() != want {
            return Err(invalid(
                path,
                cmd.line,
                at(w.len().min(want)),
                format!(
                    "{verb} takes {} word(s) after it, found {}",
                    want - 1,
                    w.len() - 1
                ),
            ));
        }
        let domain = w[1].1.to_ascii_uppercase();
        let class = w[2].1.to_ascii_uppercase();
        let attribute = if want == 6 {
            let ty = AttrType::from_code(&w[4].1.to_ascii_uppercase()).ok_or_else(|| {
                invalid(
                    path,
                    cmd.line,
                    w[4].0,
                    format!(
                        "unknown attribute type '{}' (expected one of V C M E I R)",
                        w[4].1
                    ),
                )
            })?;
            let length = w[5].1.parse::<u16>().map_err(|_| {
                invalid(
                    path,
                    cmd.line,
                    w[5].0,
                    format!(
                        "attribute length '{}' is not a number from 0 to 65535",
                        w[5].1
                    ),
                )
            })?;
            Some(Attribute {
                name: w[3].1.to_ascii_uppercase(),
                ty,
                length,
            })
        } else {
            None
        };
        let class_path = format!("{domain}.{class}");
        if verb == "add-class" {
            let classes = schema.domains.entry(domain.clone()).or_default();
            if let std::collections::btree_map::Entry::Vacant(slot) = classes.entry(class) {
                slot.insert(Vec::new());
            } else {
                entries.push(Entry {
                    level: Level::Warning,
                    module: Some(MODULE.into()),
                    message: format!("{path} line {}: 7.90 already has class {class_path}; the script's attributes are merged into the 7.90 class.", cmd.line),
                });
            }
            continue;
        }
        let attrs = schema
            .domains
            .get_mut(&domain)
            .and_then(|d| d.get_mut(&class))
            .ok_or_else(|| {
                invalid(path, cmd.line, w[1].0, format!("class {class_path} does not exist in the 7.90 CSDB (add it first with add-class {domain} {class})"))
            })?;
        let name = w[3].1.to_ascii_uppercase();
        let existing = attrs.iter().position(|a| a.name == name);
        match (verb, attribute, existing) {
            ("add-attribute", Some(a), None) => attrs.push(a),
            ("add-attribute", Some(a), Some(i)) if attrs[i] == a => {}
            ("add-attribute", Some(a), Some(i)) => {
                return Err(invalid(path, cmd.line, w[3].0, format!("{class_path} already has {name} as {} in 7.90; use set-attribute to make it {a}", attrs[i])))
            }
            ("set-attribute", Some(a), Some(i)) => attrs[i] = a,
            ("remove-attribute", None, Some(i)) => {
                attrs.remove(i);
            }
            (_, _, None) => {
                return Err(invalid(path, cmd.line, w[3].0, format!("{class_path} has no attribute {name} in 7.90")))
            }
            _ => unreachable!("word counts checked above"),
        }
    }
    Ok(())
}

/// The scripts now in the scripts folder, in name order.
pub fn scripts(host: &Host, folder: &WinPath) -> Result<Vec<WinPath>> {
    let dir = scripts_dir(folder);
    if !host.is_dir(&dir) {
        return Ok(Vec::new());
    }
    Ok(host
        .list_dir(&dir)?
        .into_iter()
        .filter(|(n, d)| !d && n.to_ascii_lowercase().ends_with(SCRIPT_SUFFIX))
        .map(|(n, _)| dir.child(&n))
        .collect())
}

/// The 7.90 schema the restore writes: 7.90 stock, then every script in name order. Only
/// reads; an invalid script is refused here, before anything is changed.
pub fn target_schema(host: &Host, folder: &WinPath) -> Result<(Schema, Vec<Entry>)> {
    let mut schema = csdb::stock_schema(Version::V790);
    let mut entries = Vec::new();
    for path in scripts(host, folder)? {
        let text = host.read_to_string(&path)?;
        apply_script(&path, &text, &mut schema, &mut entries)?;
        entries.push(Entry {
            level: Level::Info,
            module: Some(MODULE.into()),
            message: format!("Applied the migration script {path}."),
        });
    }
    Ok((schema, entries))
}

/// Rebuilds the 7.90 CSDB at `db` from the target schema and the backup's instances; returns
/// the report entries and how many instances were written.
pub fn rebuild(
    host: &mut Host,
    folder: &WinPath,
    db: &WinPath,
    crash: &Crash,
) -> Result<Vec<Entry>> {
    let (schema, mut entries) = target_schema(host, folder)?;
    let backup = backup_db(folder);
    let has_backup = host.is_dir(&backup.child(csdb::PRIMARY_FILE));
    let old = if has_backup {
        csdb::read_schema(host, &backup)?
    } else {
        Schema::default()
    };
    crash.point("restore:rds:scripts")?;
    let mut instances_written = 0usize;
    for (domain, class, attrs) in schema.classes() {
        let found = if old.class(domain, class).is_some() {
            csdb::read_instances(host, &backup, domain, class)?
        } else {
            Vec::new()
        };
        let carried: Vec<Instance> = found
            .into_iter()
            .map(|i| Instance {
                values: attrs
                    .iter()
                    .map(|a| {
                        let value = i
                            .values
                            .iter()
                            .find(|(n, _)| n.eq_ignore_ascii_case(&a.name))
                            .map(|(_, v)| v.clone())
                            .unwrap_or_default();
                        (a.name.clone(), value)
                    })
                    .collect(),
                name: i.name,
            })
            .collect();
        instances_written += carried.len();
        csdb::write_class(host, db, domain, class, attrs, &carried)?;
    }
    for (domain, class, _) in old.classes() {
        if schema.class(domain, class).is_none() {
            entries.push(Entry {
                level: Level::Warning,
                module: Some(MODULE.into()),
                message: format!("Class {domain}.{class} of the backup is not in the 7.90 CSDB (no script adds it): its instances were not restored; restore it by hand with the Admin CSDB Editor if it is still needed."),
            });
        }
    }
    entries.push(Entry {
        level: Level::Info,
        module: Some(MODULE.into()),
        message: format!(
            "CSDB restored into {db}: {} class(es), {instances_written} instance(s) from the backup.",
            schema.class_count()
        ),
    });
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> WinPath {
        WinPath::parse(r"C:\HPCABackup\HPCABackup\rds\scripts\01-X.Y.tcl").unwrap()
    }

    #[test]
    fn generated_scripts_apply_back_to_the_customized_schema_b31() {
        let stock = csdb::stock_schema(Version::V790);
        let (domain, class, _) = stock.classes().next().unwrap();
        let cs = vec![
            Customization::AddedAttribute {
                domain: domain.into(),
                class: class.into(),
                attribute: Attribute {
                    name: "ZASSETID".into(),
                    ty: AttrType::Variable,
                    length: 32,
                },
            },
            Customization::AddedClass {
                domain: "POLICY".into(),
                class: "COSTCTR".into(),
                attributes: vec![Attribute {
                    name: "NAME".into(),
                    ty: AttrType::Variable,
                    length: 64,
                }],
            },
        ];
        let mut schema = stock.clone();
        let mut entries = Vec::new();
        for (i, c) in cs.iter().enumerate() {
            apply_script(&p(), &render_script(i, 2, c), &mut schema, &mut entries).unwrap();
        }
        let mut found = csdb::customizations(&stock, &schema);
        found.sort();
        let mut expected = cs.clone();
        expected.sort();
        assert_eq!(found, expected);
    }

    #[test]
    fn script_errors_point_at_line_and_column_b31() {
        let mut schema = csdb::stock_schema(Version::V790);
        let mut entries = Vec::new();
        let text = "# comment\r\n  add-attribute SOFTWARE ZSERVICE OWNER Q 64\r\n";
        let err = apply_script(&p(), text, &mut schema, &mut entries).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(r"01-X.Y.tcl:2:41: unknown attribute type 'Q'"),
            "{msg}"
        );
        let err = apply_script(&p(), "drop-class A B\n", &mut schema, &mut entries).unwrap_err();
        assert!(err
            .to_string()
            .contains(":1:1: unknown command 'drop-class'"));
        let err = apply_script(
            &p(),
            "add-attribute NOPE X A V 1\n",
            &mut schema,
            &mut entries,
        )
        .unwrap_err();
        assert!(err.to_string().contains("class NOPE.X does not exist"));
    }
}
