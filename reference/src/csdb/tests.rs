use super::*;
use crate::host::{Drive, Firewall, HostState, Registry};
use crate::product::{DatabaseServer, Version};
use crate::Host;

fn host(dir: &std::path::Path) -> Host {
    let state = HostState {
        hostname: "HPCA01".into(),
        clock: 1_270_000_000,
        drives: [(
            'C',
            Drive {
                capacity: 1 << 30,
                read_only: false,
                label: "System".into(),
            },
        )]
        .into(),
        registry: Registry::default(),
        services: Default::default(),
        firewall: Firewall::default(),
        users: vec![],
        media: None,
        database_server: DatabaseServer::Sqlite,
    };
    Host::create(&dir.join("h"), state).unwrap()
}

fn attr(name: &str, ty: AttrType, length: u16) -> Attribute {
    Attribute {
        name: name.into(),
        ty,
        length,
    }
}

#[test]
fn each_version_keeps_every_class_and_attribute_of_the_one_before() {
    for pair in Version::ALL.windows(2) {
        let (old, new) = (stock_schema(pair[0]), stock_schema(pair[1]));
        for (domain, class, attrs) in old.classes() {
            let later = new
                .class(domain, class)
                .unwrap_or_else(|| panic!("{domain}.{class} gone in {}", pair[1]));
            for a in attrs {
                assert!(
                    later.contains(a),
                    "{domain}.{class}.{} changed in {}",
                    a.name,
                    pair[1]
                );
            }
        }
        assert!(customizations(&old, &new)
            .iter()
            .all(|c| !matches!(c, Customization::RemovedAttribute { .. })));
    }
    // The versions really differ: a 7.20 CSDB lacks classes 7.50 and 7.80 added.
    assert!(stock_schema(Version::V720).class("OS", "DRIVER").is_none());
    assert!(stock_schema(Version::V750).class("OS", "DRIVER").is_some());
    assert!(stock_schema(Version::V750)
        .class("SOFTWARE", "THINAPP")
        .is_none());
    assert!(stock_schema(Version::V780)
        .class("SOFTWARE", "THINAPP")
        .is_some());
}

#[test]
fn a_stock_csdb_read_back_has_no_customizations_b31() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(dir.path());
    let db = crate::paths::csdb_dir();
    let stock = stock_schema(Version::V750);
    for (domain, class, attrs) in stock.classes() {
        write_class(&mut host, &db, domain, class, attrs, &[]).unwrap();
    }
    let found = read_schema(&host, &db).unwrap();
    assert_eq!(found, stock);
    assert_eq!(customizations(&stock, &found), vec![]);
}

#[test]
fn added_changed_and_removed_schema_is_found_against_the_source_version_b31() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(dir.path());
    let db = crate::paths::csdb_dir();
    let stock = stock_schema(Version::V720);
    let mut site = stock.clone();
    let zservice = site
        .domains
        .get_mut("SOFTWARE")
        .unwrap()
        .get_mut("ZSERVICE")
        .unwrap();
    zservice.push(attr("COSTCTR", AttrType::Variable, 16));
    zservice
        .iter_mut()
        .find(|a| a.name == "ZSVCNAME")
        .unwrap()
        .length = 64;
    site.domains
        .get_mut("POLICY")
        .unwrap()
        .get_mut("DEPT")
        .unwrap()
        .retain(|a| a.name != "_ALWAYS_");
    site.domains
        .entry("CUSTOM".into())
        .or_default()
        .insert("LICENSE".into(), vec![attr("NAME", AttrType::Variable, 64)]);
    for (domain, class, attrs) in site.classes() {
        let instance = Instance {
            name: "_BASE_INSTANCE_".into(),
            values: attrs
                .iter()
                .map(|a| (a.name.clone(), String::new()))
                .collect(),
        };
        write_class(&mut host, &db, domain, class, attrs, &[instance]).unwrap();
    }
    let found = read_schema(&host, &db).unwrap();
    let kinds: Vec<String> = customizations(&stock, &found)
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "class CUSTOM.LICENSE added (1 attributes)",
            "attribute _ALWAYS_ C 255 removed from POLICY.DEPT",
            "attribute ZSVCNAME of SOFTWARE.ZSERVICE changed from ZSVCNAME V 32 to ZSVCNAME V 64",
            "attribute COSTCTR V 16 added to SOFTWARE.ZSERVICE",
        ]
    );
    // 7.50 has more stock attributes than 7.20: against the wrong version a 7.20 site
    // would look as if attributes were removed, which is why restore needs the source version.
    assert!(customizations(&stock_schema(Version::V750), &found).len() > kinds.len());
    let instances = read_instances(&host, &db, "SOFTWARE", "ZSERVICE").unwrap();
    assert_eq!(instances.len(), 1);
    assert_eq!(instances[0].values.last().unwrap().0, "COSTCTR");
}

#[test]
fn a_damaged_class_file_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(dir.path());
    let db = crate::paths::csdb_dir();
    let path = db.join(r"PRIMARY\SOFTWARE\FILE.SCH").unwrap();
    host.write(
        &path,
        b"CLASS SOFTWARE.FILE\r\nATTR NAME V 64\r\nATTR ZRSCSIZE Q 12\r\n",
    )
    .unwrap();
    let err = read_schema(&host, &db).unwrap_err();
    assert!(
        matches!(&err, crate::Error::CsdbCorrupt { line: 3, .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("unknown attribute type 'Q'"),
        "{err}"
    );
    host.write(&path, b"CLASS SOFTWARE.PACKAGE\r\n").unwrap();
    assert!(read_schema(&host, &db)
        .unwrap_err()
        .to_string()
        .contains("stands for SOFTWARE.FILE"));
}
