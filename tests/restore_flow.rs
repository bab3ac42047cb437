//! The whole path per version and role (B30-B35, B5, B6, B32): fabricate -> backup -> upgrade
//! -> reboot -> restore ends in a 7.90 host whose settings, CSDB (customizations carried by
//! their scripts) and data match the source's.

mod restore_support;

use hpca_reference::csdb::{self, Customization, Instance, Schema};
use hpca_reference::fault::Crash;
use hpca_reference::install::{self, Settings};
use hpca_reference::restore::modules::is_program;
use hpca_reference::restore::{after, state};
use hpca_reference::{dump, paths, Host, Role, Version};
use hpca_simulator::csdb::recorded;
use restore_support::*;
use std::collections::BTreeMap;

/// What the migration must carry from the source install into 7.90.
#[derive(Debug)]
struct Carried {
    settings: BTreeMap<(String, String), Settings>,
    schema: Schema,
    instances: BTreeMap<(String, String), Vec<Instance>>,
    data: BTreeMap<(String, String), String>,
    tables: BTreeMap<String, (u64, String)>,
}

fn carried(host: &Host, version: Version, role: Role) -> Carried {
    let install_dir = paths::install_dir();
    let mut settings = BTreeMap::new();
    let mut data = BTreeMap::new();
    let comps = install::components(version, role);
    let dump = dump::dump(host).unwrap();
    for c in &comps {
        let dir = install_dir.join(c.folder).unwrap();
        let configs: Vec<String> = install::config_files(c.module, version, role)
            .iter()
            .map(|f| f.path.to_ascii_lowercase())
            .collect();
        for f in install::config_files(c.module, version, role) {
            let text = host.read_to_string(&dir.join(f.path).unwrap()).unwrap();
            settings.insert(
                (c.module.to_string(), f.path.to_string()),
                install::parse_settings(&text).unwrap(),
            );
        }
        let nested: Vec<_> = comps
            .iter()
            .map(|o| install_dir.join(o.folder).unwrap())
            .filter(|o| *o != dir && o.starts_with(&dir))
            .collect();
        for file in dump.files.iter().filter(|f| f.path.starts_with(&dir)) {
            if nested.iter().any(|n| file.path.starts_with(n)) {
                continue;
            }
            let rel: Vec<&str> = file
                .path
                .strip_prefix(&dir)
                .unwrap()
                .iter()
                .map(String::as_str)
                .collect();
            let rel_text = rel.join("\\");
            if is_program(&rel) || configs.contains(&rel_text.to_ascii_lowercase()) {
                continue;
            }
            if c.module == "rds" || rel_text.ends_with(".hpca790") {
                continue;
            }
            data.insert((c.module.to_string(), rel_text), file.sha256.clone());
        }
    }
    let db = paths::csdb_dir();
    let schema = csdb::read_schema(host, &db).unwrap();
    let mut instances = BTreeMap::new();
    for (d, c, _) in schema.classes() {
        instances.insert(
            (d.to_string(), c.to_string()),
            csdb::read_instances(host, &db, d, c).unwrap(),
        );
    }
    let tables = dump
        .database
        .tables
        .iter()
        .map(|(k, t)| (k.clone(), (t.rows, t.digest.clone())))
        .collect();
    Carried {
        settings,
        schema,
        instances,
        data,
        tables,
    }
}

fn full_path_matches_source(version: Version, role: Role) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    let mut host = fabricate(&root, version, role, 2);
    let before = carried(&host, version, role);
    let users_before = host.state().users.clone();
    let customizations: Vec<Customization> = recorded(&host).unwrap();
    assert_eq!(customizations.len(), 2);
    backup_and_upgrade(&mut host, 'C');
    hpca_reference::reboot::reboot(&mut host).unwrap();
    let out = restore(&mut host, &Crash::never()).unwrap();
    assert!(!out.already_done);

    let host = Host::open(&root).unwrap();
    let product = host.state().registry.product.clone().unwrap();
    assert_eq!((product.version, product.role), (Version::V790, role));
    let after = carried(&host, Version::V790, role);
    // Settings: 7.90 defaults, except where the site had changed HP's value.
    for ((module, path), restored) in &after.settings {
        let stock790 = install::config_files(module, Version::V790, role)
            .into_iter()
            .find(|f| f.path == path)
            .unwrap()
            .settings;
        let old_stock = install::config_files(module, version, role)
            .into_iter()
            .find(|f| f.path == path)
            .map(|f| f.settings)
            .unwrap_or_default();
        let site = before.settings.get(&(module.clone(), path.clone()));
        for (section, keys) in &stock790 {
            for (key, default) in keys {
                let site_value = site
                    .and_then(|s| s.get(section))
                    .and_then(|s| s.get(key))
                    .filter(|v| old_stock.get(section).and_then(|s| s.get(key)) != Some(*v));
                let expected = site_value.unwrap_or(default);
                assert_eq!(
                    restored[section].get(key),
                    Some(expected),
                    "{module} {path} [{section}] {key}"
                );
            }
        }
    }
    // The site changed something the restore had to bring back.
    assert!(before.settings.iter().any(|((m, p), s)| {
        let stock = install::config_files(m, version, role)
            .into_iter()
            .find(|f| f.path == p)
            .unwrap()
            .settings;
        *s != stock
    }));
    // CSDB: the 7.90 stock schema plus exactly the site's customizations.
    let mut found = csdb::customizations(&csdb::stock_schema(Version::V790), &after.schema);
    let mut expected = customizations.clone();
    found.sort();
    expected.sort();
    assert_eq!(
        found, expected,
        "customizations carried by their scripts (B31)"
    );
    for ((d, c), old) in &before.instances {
        let new = &after.instances[&(d.clone(), c.clone())];
        assert_eq!(old.len(), new.len(), "{d}.{c} instances");
        for (o, n) in old.iter().zip(new) {
            assert_eq!(o.name, n.name);
            for (attr, value) in &o.values {
                let got = n.values.iter().find(|(a, _)| a == attr).map(|(_, v)| v);
                assert_eq!(got, Some(value), "{d}.{c}.{} {attr}", o.name);
            }
        }
    }
    // Data files and the reporting database: identical.
    assert!(!before.data.is_empty());
    for (key, sha) in &before.data {
        assert_eq!(after.data.get(key), Some(sha), "data file {key:?} (B32)");
    }
    assert_eq!(before.tables, after.tables);
    // Users: admin's password is `secret` (B5); 7.20 users lost their roles (B6).
    let users = &host.state().users;
    let admin = users.iter().find(|u| u.name == "admin").unwrap();
    assert_eq!(
        admin.credential_digest,
        after::credential_digest(&host.state().hostname, "admin", "secret")
    );
    for (old, new) in users_before.iter().zip(users) {
        assert_eq!(old.name, new.name);
        if old.name != "admin" && version == Version::V720 {
            assert!(new.roles.is_empty(), "{} keeps roles", new.name);
        } else {
            assert_eq!(old.roles, new.roles);
        }
    }
    let text = serde_json::to_string(&out.report).unwrap();
    assert!(text.contains("reset to 'secret'"));
    assert_eq!(
        text.contains("cannot log in until admin grants them roles"),
        version == Version::V720
    );
    // B35: rms warns coming from 7.20/7.50 only.
    let rms_warns = out.report.entries.iter().any(|e| {
        e.module.as_deref() == Some("rms")
            && e.level == hpca_reference::report::Level::Warning
            && e.message.contains("sqlmigrate")
    });
    assert_eq!(rms_warns, version.needs_sqlmigrate() && role == Role::Core);
    // The reports carry the guide's names (B34) and the state files are there (B33).
    let expected_name = match role {
        Role::Core => "hpca-restore-report.html",
        Role::Satellite => "hpcarestore-report.html",
    };
    assert_eq!(out.report_path.file_name(), Some(expected_name));
    assert!(host.exists(&out.report_path) && host.exists(&out.json_path));
    assert!(
        state::state_files(&host, &paths::backup_dir('C'))
            .unwrap()
            .len()
            > 3
    );
}

#[test]
fn restore_720_core_matches_source_b30_b32_b5_b6() {
    full_path_matches_source(Version::V720, Role::Core);
}

#[test]
fn restore_750_core_matches_source_b30_b32_b35() {
    full_path_matches_source(Version::V750, Role::Core);
}

#[test]
fn restore_780_core_matches_source_b30_b32() {
    full_path_matches_source(Version::V780, Role::Core);
}

#[test]
fn restore_720_satellite_matches_source_b30_b32_b62() {
    full_path_matches_source(Version::V720, Role::Satellite);
}

#[test]
fn restore_750_satellite_matches_source_b30_b32() {
    full_path_matches_source(Version::V750, Role::Satellite);
}

#[test]
fn restore_780_satellite_matches_source_b30_b32() {
    full_path_matches_source(Version::V780, Role::Satellite);
}

#[test]
fn restore_after_the_wizard_ran_keeps_its_values_and_reports_the_loss_b24() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lab");
    let mut host = ready_lab(&root, Version::V750, Role::Core, 0);
    let wizard = hpca_reference::upgrade::run_wizard(&mut host, &from()).unwrap();
    let overwritten: Vec<_> = wizard
        .overwritten
        .iter()
        .map(|p| (p.clone(), host.read(p).unwrap()))
        .collect();
    let out = restore(&mut host, &Crash::never()).unwrap();
    for (path, bytes) in &overwritten {
        assert_eq!(
            &host.read(path).unwrap(),
            bytes,
            "{path} lost the wizard's values"
        );
        assert!(
            out.report
                .entries
                .iter()
                .any(|e| e.level == hpca_reference::report::Level::Error
                    && e.message.contains(&path.to_string())
                    && e.message.contains("NOT restored")),
            "no error entry for {path}"
        );
    }
    // The console's LDAP host the site had set is named for re-entry by hand.
    assert!(out
        .report
        .entries
        .iter()
        .any(|e| e.message.contains("Re-enter them by hand") && e.message.contains("ldap_host")));
}
