//! HP Live Network on the restored 7.90 Core (B55): the connection's configuration, checked
//! before anything is fetched, then a full content update that replaces every content item
//! and writes a report.
//!
//! Where things are: the connection is part of the console's settings (`console.cfg`: the URL
//! `[console] live_network_url`, and `[live_network] user`, `password`, `connector`), which
//! backup carries and restore brings back; the connector installed with HPCA is a program in
//! `Core\lib\lnc` (the 7.90 installer lays its own down, the restore leaves it); the content
//! is Core data in `Core\data\livenetwork`, one file per item (the restore brings the old
//! content back, the update replaces it).
//!
//! What counts as misconfigured, checked in this order: no URL or one that is not http(s);
//! no HP Passport user or password; a connector other than the one installed with HPCA (the
//! guide: use that one unless a support engineer says otherwise, [`ConnectorPolicy`]); a
//! configured connector that is not on the server. Each refusal names the problem and the way
//! out, and comes before any write.

use crate::calendar;
use crate::error::{Error, Result};
use crate::host::Host;
use crate::install::{self, Settings};
use crate::paths;
use crate::preconditions;
use crate::product::{Role, Version};
use crate::report::{self, Level, Report};
use crate::winpath::WinPath;
use sha2::{Digest, Sha256};

/// The connector's program, in [`paths::live_network_connector_dir`].
pub const CONNECTOR_PROGRAM: &str = "hpln-connector.jar";
/// The connector's own settings beside it (its name and version).
pub const CONNECTOR_SETTINGS: &str = "connector.cfg";
/// Seconds an update takes on the host clock besides its items.
const UPDATE_SECONDS: u64 = 120;
/// Seconds fetching one content item takes.
const ITEM_SECONDS: u64 = 45;

/// One item of Live Network content the Core subscribes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentItem {
    /// The item's file stem ("vulnerability-definitions").
    pub id: &'static str,
    /// Its title as the console shows it.
    pub title: &'static str,
    /// The first HPCA version whose Live Network subscription offers it.
    pub since: Version,
}

/// The content items, in the order the console lists them.
pub const CONTENT: &[ContentItem] = &[
    ContentItem {
        id: "security-tools",
        title: "Security tool definitions",
        since: Version::V720,
    },
    ContentItem {
        id: "vulnerability-definitions",
        title: "Vulnerability definitions (OVAL)",
        since: Version::V720,
    },
    ContentItem {
        id: "compliance-benchmarks",
        title: "Compliance benchmarks (SCAP)",
        since: Version::V750,
    },
];

/// The items a `version` Core subscribes to.
pub fn content_items(version: Version) -> impl Iterator<Item = &'static ContentItem> {
    CONTENT.iter().filter(move |i| i.since <= version)
}

/// The connector installed with HPCA.
pub fn installed_connector() -> WinPath {
    paths::live_network_connector_dir().child(CONNECTOR_PROGRAM)
}

/// The connector files a `version` install lays down: its program and its settings.
pub fn connector_files(version: Version) -> Vec<(WinPath, Vec<u8>)> {
    let dir = paths::live_network_connector_dir();
    let mut settings = Settings::new();
    let section = settings.entry("connector".into()).or_default();
    section.insert("name".into(), "HP Live Network Connector".into());
    section.insert("version".into(), version.to_string());
    vec![
        (
            dir.child(CONNECTOR_PROGRAM),
            format!("HP Live Network Connector {version} (Java archive)\r\n").into_bytes(),
        ),
        (
            dir.child(CONNECTOR_SETTINGS),
            install::render_settings(&settings).into_bytes(),
        ),
    ]
}

/// The file of one content item.
pub fn content_path(item: &ContentItem) -> WinPath {
    paths::live_network_content_dir().child(&format!("{}.xml", item.id))
}

/// A content item's text: its version (the fetch date, `YYYY.MM.DD`) and the connector
/// version that fetched it.
pub fn content_text(item: &ContentItem, version: &str, connector: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<hpln-content id=\"{}\" title=\"{}\" version=\"{version}\" connector=\"{connector}\"/>\r\n",
        item.id, item.title
    )
}

/// The content version an item fetched at `unix` seconds gets: its date, `YYYY.MM.DD`.
pub fn content_version(unix: u64) -> String {
    let (y, m, d) = calendar::civil_date(unix);
    format!("{y:04}.{m:02}.{d:02}")
}

/// How the console stores the Live Network password: a keyed digest stands for the
/// encrypted value (the simulation never needs the password back, only whether one is set).
pub fn stored_password(password: &str) -> String {
    let hash = Sha256::digest(format!("hpln:{password}").as_bytes());
    let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{{AES}}{hex}")
}

/// The connection as the console's Live Network page shows it (never the password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Configuration {
    pub url: String,
    /// The HP Passport user.
    pub user: String,
    pub password_set: bool,
    /// The connector path as configured.
    pub connector: String,
}

/// Which connector the operator accepts (B55).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectorPolicy {
    /// The guide's default: only the connector installed with HPCA.
    InstalledWithHpca,
    /// A support engineer said to use the configured one.
    DirectedBySupport,
}

/// The state of one content item on the Core.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemState {
    pub id: &'static str,
    pub title: &'static str,
    /// Its version, `None` when the Core does not have the item yet.
    pub version: Option<String>,
    /// The connector version that fetched it.
    pub connector: Option<String>,
}

/// A configuration that passed the check, with the content as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub host: String,
    pub configuration: Configuration,
    pub connector: WinPath,
    /// The connector's version, from its settings beside it ("unknown" if it has none).
    pub connector_version: String,
    pub installed_with_hpca: bool,
    pub content: Vec<ItemState>,
}

/// One item the update replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemUpdate {
    pub id: &'static str,
    pub title: &'static str,
    /// The version it had, `None` when the item is new to this Core.
    pub from: Option<String>,
    pub to: String,
}

/// What a full update did.
#[derive(Debug, Clone)]
pub struct UpdateOutcome {
    pub checked: Checked,
    pub updated: Vec<ItemUpdate>,
    pub report: Report,
    pub report_path: WinPath,
    pub json_path: WinPath,
}

/// What to change in the configuration (`None`: leave as it is).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub url: Option<String>,
    pub user: Option<String>,
    pub password: Option<String>,
    pub connector: Option<ConnectorChoice>,
}

/// The connector a configuration names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectorChoice {
    InstalledWithHpca,
    At(WinPath),
}

fn console_settings(host: &Host) -> Result<Settings> {
    let path = paths::console_config();
    if !host.exists(&path) {
        return Ok(Settings::new());
    }
    install::parse_settings(&host.read_to_string(&path)?).map_err(|reason| {
        Error::LiveNetworkNotConfigured {
            problem: format!("the console settings {path} cannot be read ({reason})"),
        }
    })
}

fn value<'a>(settings: &'a Settings, section: &str, key: &str) -> &'a str {
    settings
        .get(section)
        .and_then(|s| s.get(key))
        .map_or("", |v| v.trim())
}

fn view(settings: &Settings) -> Configuration {
    Configuration {
        url: value(settings, "console", "live_network_url").to_string(),
        user: value(settings, "live_network", "user").to_string(),
        password_set: !value(settings, "live_network", "password").is_empty(),
        connector: value(settings, "live_network", "connector").to_string(),
    }
}

/// The Live Network connection as configured on this host.
pub fn configuration(host: &Host) -> Result<Configuration> {
    Ok(view(&console_settings(host)?))
}

/// The restored 7.90 Core these steps need (B63, and Step 6 follows the restore).
fn require_core(host: &Host, step: &'static str) -> Result<()> {
    if let Some(product) = &host.state().registry.product {
        if product.role == Role::Satellite {
            return Err(Error::CoreOnly {
                host: host.state().hostname.clone(),
                step,
            });
        }
    }
    preconditions::require_restored_core(host, step).map(|_| ())
}

fn item_state(host: &Host, item: &'static ContentItem) -> Result<ItemState> {
    let path = content_path(item);
    let text = if host.exists(&path) {
        Some(host.read_to_string(&path)?)
    } else {
        None
    };
    Ok(ItemState {
        id: item.id,
        title: item.title,
        version: text.as_deref().and_then(|t| attribute(t, "version")),
        connector: text.as_deref().and_then(|t| attribute(t, "connector")),
    })
}

/// The value of ` name="..."` in the `<hpln-content .../>` element of a content file.
fn attribute(text: &str, name: &str) -> Option<String> {
    let element = &text[text.find("<hpln-content")?..];
    let key = format!(" {name}=\"");
    let start = element.find(&key)? + key.len();
    let text = element;
    let len = text[start..].find('"')?;
    Some(text[start..start + len].to_string())
}

/// Checks the configuration (B55) on the restored Core, reading only.
pub fn check(host: &Host, policy: ConnectorPolicy) -> Result<Checked> {
    require_core(host, "updating its Live Network content")?;
    let configuration = configuration(host)?;
    let not_configured = |problem: String| Err(Error::LiveNetworkNotConfigured { problem });
    let url = configuration.url.to_ascii_lowercase();
    if url.is_empty() {
        return not_configured("no Live Network URL is set".into());
    }
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return not_configured(format!(
            "the Live Network URL '{}' is not an http or https address",
            configuration.url
        ));
    }
    if configuration.user.is_empty() || !configuration.password_set {
        return not_configured("no HP Passport user and password are set".into());
    }
    let installed = installed_connector();
    let configured = if configuration.connector.is_empty() {
        installed.clone()
    } else {
        WinPath::parse(&configuration.connector).map_err(|e| Error::LiveNetworkNotConfigured {
            problem: format!("the connector path is not usable ({e})"),
        })?
    };
    let installed_with_hpca = configured == installed;
    if !installed_with_hpca && policy == ConnectorPolicy::InstalledWithHpca {
        return Err(Error::LiveNetworkForeignConnector {
            configured: configured.to_string(),
            installed,
        });
    }
    if !host.exists(&configured) {
        return Err(Error::LiveNetworkConnectorMissing {
            path: configured.to_string(),
            hint: if installed_with_hpca {
                "the 7.90 installer puts it there; repair the install with the 7.90 Core installer"
            } else {
                "install it where support said, or point the configuration back at the installed connector (`hpcasim live-network configure --host ... --installed-connector`)"
            },
        });
    }
    let settings_path = configured
        .parent()
        .expect("a file lies in a folder")
        .child(CONNECTOR_SETTINGS);
    let connector_version = if host.exists(&settings_path) {
        install::parse_settings(&host.read_to_string(&settings_path)?)
            .ok()
            .map(|s| value(&s, "connector", "version").to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "unknown".into())
    } else {
        "unknown".into()
    };
    let content = content_items(Version::V790)
        .map(|item| item_state(host, item))
        .collect::<Result<Vec<_>>>()?;
    Ok(Checked {
        host: host.state().hostname.clone(),
        configuration,
        connector: configured,
        connector_version,
        installed_with_hpca,
        content,
    })
}

/// Checks the configuration, then fetches every content item of the 7.90 subscription anew,
/// replacing what the Core had (B55), and writes the update report with its JSON twin.
pub fn update(host: &mut Host, policy: ConnectorPolicy) -> Result<UpdateOutcome> {
    let checked = check(host, policy)?;
    let started = host.now();
    let mut report = Report::new(
        "HP Live Network content update",
        &checked.host,
        Version::V790,
        Role::Core,
        started,
    );
    let c = &checked.configuration;
    report.push(
        Level::Info,
        None,
        format!(
            "Configuration checked: {} as HP Passport user {}, connector {} (version {}).",
            c.url, c.user, checked.connector, checked.connector_version
        ),
    );
    if !checked.installed_with_hpca {
        report.push(
            Level::Warning,
            None,
            format!(
                "The connector {} is not the one installed with HPCA ({}); it was used because a support engineer directed it. Point the configuration back at the installed connector once support agrees.",
                checked.connector,
                installed_connector()
            ),
        );
    }
    let mut updated = Vec::new();
    let mut clock = started + UPDATE_SECONDS;
    for state in &checked.content {
        let item = CONTENT
            .iter()
            .find(|i| i.id == state.id)
            .expect("checked items are catalogued");
        clock += ITEM_SECONDS;
        let to = content_version(clock);
        let text = content_text(item, &to, &checked.connector_version);
        host.write(&content_path(item), text.as_bytes())?;
        let message = match &state.version {
            Some(from) => format!("{}: version {from} replaced by {to}.", item.title),
            None => format!(
                "{}: new in the 7.90 subscription, version {to} fetched.",
                item.title
            ),
        };
        report.push(Level::Info, Some(item.id), message);
        updated.push(ItemUpdate {
            id: item.id,
            title: item.title,
            from: state.version.clone(),
            to,
        });
    }
    host.state_mut().clock = clock;
    report.finished_at = clock;
    report.outcome = format!(
        "A full HP Live Network update replaced all {} content item(s); the deployed components can be upgraded next.",
        updated.len()
    );
    let report_path = paths::live_network_report();
    let json_path = report::json_twin(&report_path);
    host.write(&report_path, report::render_html(&report).as_bytes())?;
    host.write(&json_path, report::render_json(&report).as_bytes())?;
    host.save()?;
    Ok(UpdateOutcome {
        checked,
        updated,
        report,
        report_path,
        json_path,
    })
}

/// Changes the Live Network configuration, as the console's Configuration > Infrastructure
/// Management > Live Network page does, on the restored Core.
pub fn configure(host: &mut Host, changes: &Changes) -> Result<Configuration> {
    require_core(host, "configuring its Live Network connection")?;
    let mut settings = console_settings(host)?;
    let mut set = |section: &str, key: &str, value: String| {
        settings
            .entry(section.to_string())
            .or_default()
            .insert(key.to_string(), value);
    };
    if let Some(url) = &changes.url {
        set("console", "live_network_url", url.trim().to_string());
    }
    if let Some(user) = &changes.user {
        set("live_network", "user", user.trim().to_string());
    }
    if let Some(password) = &changes.password {
        let stored = if password.is_empty() {
            String::new()
        } else {
            stored_password(password)
        };
        set("live_network", "password", stored);
    }
    match &changes.connector {
        Some(ConnectorChoice::InstalledWithHpca) => set(
            "live_network",
            "connector",
            installed_connector().to_string(),
        ),
        Some(ConnectorChoice::At(path)) => set("live_network", "connector", path.to_string()),
        None => {}
    }
    host.write(
        &paths::console_config(),
        install::render_settings(&settings).as_bytes(),
    )?;
    Ok(view(&settings))
}

/// Whether every item of the 7.90 subscription was fetched by a 7.90 connector: the full
/// update of Step 6 has been done since the upgrade.
pub fn content_current(host: &Host) -> Result<bool> {
    for item in content_items(Version::V790) {
        let state = item_state(host, item)?;
        if state.connector.as_deref() != Some(Version::V790.as_str()) {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_text_carries_version_and_connector_b55() {
        let item = &CONTENT[1];
        let text = content_text(item, "2010.05.14", "7.90");
        assert_eq!(attribute(&text, "version").as_deref(), Some("2010.05.14"));
        assert_eq!(attribute(&text, "connector").as_deref(), Some("7.90"));
        assert_eq!(attribute(&text, "missing"), None);
        assert_eq!(attribute("<?xml version=\"1.0\"?>", "version"), None);
        assert_eq!(content_version(1_273_795_200), "2010.05.14");
    }

    #[test]
    fn the_console_settings_path_is_the_console_modules_file() {
        let console = install::component("console").unwrap();
        let file = &install::config_files("console", Version::V790, Role::Core)[0];
        assert_eq!(
            paths::console_config(),
            paths::install_dir()
                .join(console.folder)
                .unwrap()
                .join(file.path)
                .unwrap()
        );
    }

    #[test]
    fn the_stored_password_is_not_the_password() {
        let stored = stored_password("hunter2");
        assert!(stored.starts_with("{AES}") && !stored.contains("hunter2"));
        assert_eq!(stored, stored_password("hunter2"));
    }
}
