//! The HPCA Enterprise install as the migration sees it: components, their folders under the
//! install directory, their Windows services, their configuration files, and the backup
//! module that carries each one (B15). Shared by the fabricator (which lays old installs
//! down), the installer (which lays 7.90 down) and backup/restore (which move settings).

use crate::product::{Role, Version};
use std::collections::BTreeMap;

/// One component of a Core or Satellite install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// Short id, also the name of the backup module that carries it ("rcs", "rds", "rms", ...).
    pub module: &'static str,
    /// The component's name as HP writes it.
    pub name: &'static str,
    /// Its folder under the install directory.
    pub folder: &'static str,
    /// The Windows services it runs.
    pub services: &'static [&'static str],
    /// The roles that have it.
    pub roles: &'static [Role],
    /// The first version whose Core/Satellite install includes it.
    pub since: Version,
    /// Whether backup carries it (the Administrator is upgraded in place instead, B26).
    pub backed_up: bool,
}

const BOTH: &[Role] = &[Role::Core, Role::Satellite];
const CORE: &[Role] = &[Role::Core];
const SATELLITE: &[Role] = &[Role::Satellite];

/// Every component, in the order backup and restore visit them.
pub const COMPONENTS: &[Component] = &[
    Component {
        module: "core",
        name: "HPCA Core",
        folder: "Core",
        services: &["HPCA Core"],
        roles: CORE,
        since: Version::V720,
        backed_up: true,
    },
    Component {
        module: "satellite",
        name: "HPCA Satellite",
        folder: "Satellite",
        services: &["HPCA Satellite"],
        roles: SATELLITE,
        since: Version::V720,
        backed_up: true,
    },
    Component {
        module: "rcs",
        name: "Configuration Server",
        folder: "ConfigurationServer",
        services: &["HPCA Configuration Server"],
        roles: BOTH,
        since: Version::V720,
        backed_up: true,
    },
    Component {
        module: "rds",
        name: "Configuration Server Database (CSDB)",
        folder: r"ConfigurationServer\DB",
        services: &[],
        roles: BOTH,
        since: Version::V720,
        backed_up: true,
    },
    Component {
        module: "rms",
        name: "Messaging Server and reporting database connection",
        folder: "MessagingServer",
        services: &["HPCA Messaging Server"],
        roles: BOTH,
        since: Version::V720,
        backed_up: true,
    },
    Component {
        module: "rps",
        name: "Policy Server",
        folder: "PolicyServer",
        services: &["HPCA Policy Server"],
        roles: CORE,
        since: Version::V720,
        backed_up: true,
    },
    Component {
        module: "rpm",
        name: "Patch Manager",
        folder: "PatchManager",
        services: &["HPCA Patch Manager"],
        roles: CORE,
        since: Version::V720,
        backed_up: true,
    },
    Component {
        module: "ros",
        name: "OS Manager Server",
        folder: "OSManagerServer",
        services: &["HPCA OS Manager Server"],
        roles: BOTH,
        since: Version::V720,
        backed_up: true,
    },
    Component {
        module: "rbs",
        name: "OS Manager Boot Server",
        folder: "BootServer",
        services: &["HPCA Boot Server"],
        roles: BOTH,
        since: Version::V750,
        backed_up: true,
    },
    Component {
        module: "rmp",
        name: "Multicast Server",
        folder: "MulticastServer",
        services: &["HPCA Multicast Server"],
        roles: BOTH,
        since: Version::V720,
        backed_up: true,
    },
    Component {
        module: "dcs",
        name: "Distributed Configuration Server",
        folder: "DistributedCS",
        services: &["HPCA Distributed Configuration Server"],
        roles: CORE,
        since: Version::V750,
        backed_up: true,
    },
    Component {
        module: "rproxy",
        name: "Proxy Server and its cache",
        folder: "ProxyServer",
        services: &["HPCA Proxy Server"],
        roles: SATELLITE,
        since: Version::V720,
        backed_up: true,
    },
    Component {
        module: "httpd",
        name: "Apache Server",
        folder: "ApacheServer",
        services: &["HPCA Apache Server"],
        roles: BOTH,
        since: Version::V720,
        backed_up: true,
    },
    Component {
        module: "console",
        name: "web console (Tomcat)",
        folder: "tomcat",
        services: &["HPCA Tomcat Server"],
        roles: BOTH,
        since: Version::V720,
        backed_up: true,
    },
    Component {
        module: "agent",
        name: "HPCA agent",
        folder: "Agent",
        services: &[],
        roles: BOTH,
        since: Version::V720,
        backed_up: true,
    },
    Component {
        module: "admin",
        name: "HPCA Administrator",
        folder: "Administrator",
        services: &[],
        roles: CORE,
        since: Version::V720,
        backed_up: false,
    },
];

/// The components a `version` install in `role` has, in backup order.
pub fn components(version: Version, role: Role) -> Vec<&'static Component> {
    COMPONENTS
        .iter()
        .filter(|c| c.roles.contains(&role) && c.since <= version)
        .collect()
}

/// The backup modules of a `version` install in `role`, in order (B15).
pub fn modules(version: Version, role: Role) -> Vec<&'static str> {
    components(version, role)
        .into_iter()
        .filter(|c| c.backed_up)
        .map(|c| c.module)
        .collect()
}

/// The component a module name stands for.
pub fn component(module: &str) -> Option<&'static Component> {
    COMPONENTS.iter().find(|c| c.module == module)
}

/// The Windows services of a `version` install in `role`, sorted by name.
pub fn services(version: Version, role: Role) -> Vec<&'static str> {
    let mut names: Vec<_> = components(version, role)
        .iter()
        .flat_map(|c| c.services.iter().copied())
        .collect();
    names.sort_unstable();
    names
}

/// The service sqlmigrate needs stopped (B41).
pub const CORE_SERVICE: &str = "HPCA Core";
/// The service whose start re-creates the reporting schema (B45).
pub const MESSAGING_SERVICE: &str = "HPCA Messaging Server";
/// The web console port (B4, B50).
pub const WEB_PORT: u16 = 3466;
/// The Configuration Server port (B4).
pub const CONFIGURATION_SERVER_PORT: u16 = 3464;

/// A configuration file: INI-style sections of `key = value` settings.
pub type Settings = BTreeMap<String, BTreeMap<String, String>>;

/// One configuration file of a component, relative to the component's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    /// Path below the component folder, `\`-separated ("etc\rms.cfg").
    pub path: &'static str,
    /// The settings of a stock install of that version.
    pub settings: Settings,
}

fn settings(entries: &[(&str, &str, String)]) -> Settings {
    let mut out = Settings::new();
    for (section, key, value) in entries {
        out.entry(section.to_string())
            .or_default()
            .insert(key.to_string(), value.clone());
    }
    out
}

/// The configuration files of a component, with the settings a stock `version` install in
/// `role` writes. Site-specific values (host names, ports chosen at install) are what
/// backup carries and restore brings back.
pub fn config_files(module: &str, version: Version, role: Role) -> Vec<ConfigFile> {
    let v = version.as_str().to_string();
    let s = |x: &str| x.to_string();
    match module {
        "core" | "satellite" => vec![ConfigFile {
            path: r"etc\hpca.cfg",
            settings: settings(&[
                ("product", "version", v.clone()),
                ("product", "role", s(role.as_str())),
                ("console", "port", WEB_PORT.to_string()),
                (
                    "console",
                    "session_timeout_minutes",
                    s(if version >= Version::V780 { "30" } else { "20" }),
                ),
                ("sync", "core_host", s("")),
            ]),
        }],
        "rcs" => vec![ConfigFile {
            path: r"bin\edmprof.dat",
            settings: settings(&[
                (
                    "MGR_STARTUP",
                    "TCP_PORT",
                    CONFIGURATION_SERVER_PORT.to_string(),
                ),
                ("MGR_STARTUP", "MGR_NAME", s("HPCA Configuration Server")),
                ("MGR_DIRECTORIES", "DB_PATH", s(r"..\DB")),
                ("MGR_LOG", "LOG_LEVEL", s("40")),
                ("MGR_ATTACH_LIST", "ZRSCCMDL", s("*")),
            ]),
        }],
        "rds" => vec![],
        "rms" => vec![ConfigFile {
            path: r"etc\rms.cfg",
            settings: settings(&[
                ("msgsrv", "port", s("3461")),
                ("msgsrv", "log_level", s("info")),
                ("odbc", "dsn", s("HPCA")),
                ("odbc", "schema_version", v.clone()),
                ("queues", "inventory", s("enabled")),
                (
                    "queues",
                    "wbem",
                    s(if version >= Version::V750 {
                        "enabled"
                    } else {
                        "disabled"
                    }),
                ),
            ]),
        }],
        "rps" => vec![ConfigFile {
            path: r"etc\pm.cfg",
            settings: settings(&[
                ("policy", "port", s("3468")),
                ("policy", "ldap_cache_minutes", s("60")),
            ]),
        }],
        "rpm" => vec![ConfigFile {
            path: r"etc\patch.cfg",
            settings: settings(&[
                ("patch", "acquire_schedule", s("daily 02:00")),
                ("patch", "vendors", s("Microsoft")),
                ("patch", "gateway", s("")),
            ]),
        }],
        "ros" => vec![ConfigFile {
            path: r"etc\roms.cfg",
            settings: settings(&[
                ("roms", "port", s("3469")),
                (
                    "roms",
                    "image_store",
                    s(r"C:\Program Files\Hewlett-Packard\HPCA\Data\OSManagerServer\images"),
                ),
            ]),
        }],
        "rbs" => vec![ConfigFile {
            path: r"etc\pxe.cfg",
            settings: settings(&[
                ("pxe", "tftp_root", s(r"X86PC\UNDI\linux-boot")),
                ("pxe", "dhcp_proxy", s("no")),
            ]),
        }],
        "rmp" => vec![ConfigFile {
            path: r"etc\mcast.cfg",
            settings: settings(&[
                ("mcast", "address", s("239.1.1.1")),
                ("mcast", "window_seconds", s("1800")),
            ]),
        }],
        "dcs" => vec![ConfigFile {
            path: r"etc\dcs.cfg",
            settings: settings(&[("dcs", "replication", s("on")), ("dcs", "peer", s(""))]),
        }],
        "rproxy" => vec![ConfigFile {
            path: r"etc\proxy.cfg",
            settings: settings(&[
                ("proxy", "upstream", s("")),
                ("proxy", "cache_dir", s(r"data\cache")),
                ("proxy", "cache_limit_mb", s("10240")),
            ]),
        }],
        "httpd" => vec![ConfigFile {
            path: r"conf\httpd.cfg",
            settings: settings(&[
                ("server", "listen", WEB_PORT.to_string()),
                ("server", "server_name", s("localhost")),
                (
                    "server",
                    "version",
                    s(if version >= Version::V780 {
                        "2.2.15"
                    } else {
                        "2.2.8"
                    }),
                ),
            ]),
        }],
        "console" => {
            let mut entries = vec![
                ("tomcat", "port", s("3480")),
                ("console", "ldap_host", s("")),
                ("console", "live_network_url", s("")),
            ];
            // The Core's console holds the Live Network connection (B55); the connector is
            // the one installed with HPCA unless support says otherwise.
            if role == Role::Core {
                entries.extend([
                    ("live_network", "user", s("")),
                    ("live_network", "password", s("")),
                    (
                        "live_network",
                        "connector",
                        crate::livenetwork::installed_connector().to_string(),
                    ),
                ]);
            }
            vec![ConfigFile {
                path: r"conf\console.cfg",
                settings: settings(&entries),
            }]
        }
        "agent" => vec![ConfigFile {
            path: r"lib\args.cfg",
            settings: settings(&[
                ("agent", "version", v),
                ("agent", "mgr_host", s("localhost")),
            ]),
        }],
        _ => vec![],
    }
}

/// Renders settings as the INI-style text every configuration file here uses.
pub fn render_settings(settings: &Settings) -> String {
    let mut out = String::new();
    for (section, entries) in settings {
        out.push_str(&format!("[{section}]\r\n"));
        for (key, value) in entries {
            out.push_str(&format!("{key} = {value}\r\n"));
        }
        out.push_str("\r\n");
    }
    out
}

/// Parses the text [`render_settings`] writes; lines it does not understand are reported.
pub fn parse_settings(text: &str) -> Result<Settings, String> {
    let mut out = Settings::new();
    let mut section: Option<String> = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Some(name.to_string());
            out.entry(name.to_string()).or_default();
        } else if let (Some(sec), Some((k, v))) = (&section, line.split_once('=')) {
            out.entry(sec.clone())
                .or_default()
                .insert(k.trim().to_string(), v.trim().to_string());
        } else {
            return Err(format!(
                "line {}: expected [section] or key = value, found '{line}'",
                n + 1
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_720_core_has_no_integrated_boot_server_b22() {
        assert!(!modules(Version::V720, Role::Core).contains(&"rbs"));
        assert!(modules(Version::V750, Role::Core).contains(&"rbs"));
    }

    #[test]
    fn csdb_and_reporting_are_backup_modules_of_both_roles_b15() {
        for role in Role::ALL {
            let m = modules(Version::V750, role);
            assert!(m.contains(&"rds") && m.contains(&"rms"), "{role}: {m:?}");
        }
        assert!(modules(Version::V750, Role::Satellite).contains(&"rproxy"));
        assert!(!modules(Version::V750, Role::Core).contains(&"admin"));
    }

    #[test]
    fn settings_render_and_parse_round_trip() {
        for c in COMPONENTS {
            for f in config_files(c.module, Version::V750, Role::Core) {
                assert_eq!(
                    parse_settings(&render_settings(&f.settings)).unwrap(),
                    f.settings
                );
            }
        }
    }
}
