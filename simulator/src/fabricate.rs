//! [`Fabricate`]: the options of a fabricated install and the run that lays it down into a
//! new host folder.

use crate::reportdb::{self, DefectPlan, ReportDbSpec};
use crate::site::{self, Site, Stream};
use crate::{csdb, devices, install, livenetwork, media, users};
use hpca_reference::db::schema;
use hpca_reference::host::{
    BootServer, Drive, Dsn, Firewall, HostState, InstalledProduct, Registry, Service,
};
use hpca_reference::install::{CONFIGURATION_SERVER_PORT, WEB_PORT};
use hpca_reference::{paths, DatabaseServer, Edition, Error, Host, Result, Role, Version};
use rand::seq::SliceRandom;
use rand::Rng;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// The drives of a host and their capacities (`C=40G,D=80G`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriveLayout(pub BTreeMap<char, u64>);

impl Default for DriveLayout {
    /// C: 40 GiB, D: 80 GiB.
    fn default() -> Self {
        DriveLayout(BTreeMap::from([('C', 40 << 30), ('D', 80 << 30)]))
    }
}

impl FromStr for DriveLayout {
    type Err = String;
    /// Parses `C=40G,D=80G`: letters with sizes in bytes or with a K, M or G suffix (binary).
    fn from_str(text: &str) -> Result<Self, String> {
        let mut drives = BTreeMap::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (letter, size) = part
                .split_once('=')
                .ok_or_else(|| format!("'{part}' is not LETTER=SIZE (as in C=40G)"))?;
            let mut chars = letter.trim().chars();
            let (Some(letter), None) = (chars.next(), chars.next()) else {
                return Err(format!("'{letter}' is not a drive letter (as in C=40G)"));
            };
            if !letter.is_ascii_alphabetic() {
                return Err(format!("'{letter}' is not a drive letter (as in C=40G)"));
            }
            let letter = letter.to_ascii_uppercase();
            let bytes = parse_size(size.trim())?;
            if drives.insert(letter, bytes).is_some() {
                return Err(format!("drive {letter}: is given twice"));
            }
        }
        if !drives.contains_key(&'C') {
            return Err(
                "the layout needs a C: drive (Windows and HPCA live there), as in C=40G,D=80G"
                    .into(),
            );
        }
        if drives.contains_key(&'Z') {
            return Err(
                "drive Z: is kept free for the installation media; use earlier letters".into(),
            );
        }
        Ok(DriveLayout(drives))
    }
}

/// Parses a size in bytes or with a K, M or G suffix (binary), as in `40G`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let bad =
        || format!("'{text}' is not a size: write bytes or a number with K, M or G (as in 40G)");
    let upper = text.to_ascii_uppercase();
    let (digits, shift) = match upper.strip_suffix('B').unwrap_or(&upper) {
        s if s.ends_with('K') => (&s[..s.len() - 1], 10),
        s if s.ends_with('M') => (&s[..s.len() - 1], 20),
        s if s.ends_with('G') => (&s[..s.len() - 1], 30),
        s => (s, 0),
    };
    let n: u64 = digits.trim().parse().map_err(|_| bad())?;
    n.checked_mul(1 << shift).filter(|b| *b > 0).ok_or_else(bad)
}

impl fmt::Display for DriveLayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(d, b)| format!("{d}={b}")).collect();
        f.write_str(&parts.join(","))
    }
}

/// Whether the operator already copied the media's `migrate` folder to `C:\migrate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrateCopy {
    Copied,
    NotCopied,
}

/// What to fabricate: one HPCA install, everything drawn from `seed`.
#[derive(Debug, Clone)]
pub struct Fabricate {
    pub version: Version,
    pub role: Role,
    pub seed: u64,
    /// Managed devices: the Core's device list and the rows of its reporting database.
    pub devices: u32,
    pub drives: DriveLayout,
    /// Class-schema customizations of the CSDB (B31).
    pub csdb_customizations: usize,
    /// A separate OS Manager Boot Server (7.20 only, B22).
    pub boot_server: bool,
    /// Console users besides admin (B6).
    pub users: u32,
    /// Multiplies the bytes of product files.
    pub scale: u64,
    pub edition: Edition,
    pub database_server: DatabaseServer,
    pub migrate_copy: MigrateCopy,
    /// Rows the 7.90 keys will reject, put into a 7.20/7.50 reporting database.
    pub defects: DefectPlan,
}

impl Fabricate {
    /// A default-sized install: 50 devices, C: and D:, no customizations, seed 1.
    pub fn new(version: Version, role: Role) -> Fabricate {
        Fabricate {
            version,
            role,
            seed: 1,
            devices: 50,
            drives: DriveLayout::default(),
            csdb_customizations: 0,
            boot_server: false,
            users: 2,
            scale: 1,
            edition: Edition::Enterprise,
            database_server: DatabaseServer::Sqlite,
            migrate_copy: MigrateCopy::Copied,
            defects: DefectPlan::none(),
        }
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Fabricate {
        self.seed = seed;
        self
    }

    /// Sets the number of managed devices.
    pub fn devices(mut self, devices: u32) -> Fabricate {
        self.devices = devices;
        self
    }

    /// Refuses options that describe no install HP shipped.
    pub fn check(&self) -> Result<()> {
        if self.boot_server && self.version != Version::V720 {
            return Err(Error::BootServerIntegrated {
                version: self.version,
            });
        }
        if self.defects.any() && schema::has_790_keys(self.version) {
            return Err(Error::DefectsNeedUnkeyedSchema {
                version: self.version,
                defects: self.defects.to_string(),
            });
        }
        Ok(())
    }

    /// Fabricates the install into the new host folder `out` (absent or empty). On failure the
    /// folder is removed again, unless it held something before (then nothing was changed).
    pub fn run(&self, out: &Path) -> Result<Host> {
        self.check()?;
        let existed = out.exists();
        let result = self.run_into(out);
        if let Err(e) = &result {
            if !matches!(e, Error::HostFolderNotEmpty { .. }) {
                remove_partial(out, existed);
            }
        }
        result
    }

    fn run_into(&self, out: &Path) -> Result<Host> {
        let site = Site::draw(self.seed, self.role);
        let media_letter = media::next_free_letter(self.drives.0.keys().copied())
            .expect("the layout parser keeps Z: free");
        let mut drives: BTreeMap<char, Drive> = self
            .drives
            .0
            .iter()
            .map(|(d, capacity)| {
                let label = if *d == 'C' {
                    "System".to_string()
                } else {
                    format!("Data {d}")
                };
                (
                    *d,
                    Drive {
                        capacity: *capacity,
                        read_only: false,
                        label,
                    },
                )
            })
            .collect();
        drives.insert(media_letter, media::drive());
        let state = HostState {
            hostname: site.hostname.clone(),
            clock: site.clock,
            drives,
            registry: Registry::default(),
            services: BTreeMap::new(),
            firewall: Firewall::default(),
            users: Vec::new(),
            media: None,
            database_server: self.database_server,
        };
        let mut host = Host::create(out, state)?;
        install::lay_down(
            &mut host,
            self.version,
            self.role,
            &site,
            self.seed,
            self.scale,
        )?;
        csdb::fabricate(&mut host, self.version, self.seed, self.csdb_customizations)?;
        if self.role == Role::Core {
            livenetwork::lay_down(&mut host, self.version, self.seed)?;
            devices::fabricate(&mut host, self.version, self.seed, self.devices)?;
        }
        let installed_size = host
            .walk(&paths::install_dir())?
            .iter()
            .map(|f| f.size)
            .sum();
        if self.boot_server {
            self.boot_server_720(&mut host, &site)?;
        }
        let users = users::fabricate(self.version, self.seed, self.users);
        let state = host.state_mut();
        state.users = users;
        state
            .firewall
            .open_ports
            .extend([CONFIGURATION_SERVER_PORT, WEB_PORT]);
        state.registry.product = Some(InstalledProduct {
            name: "HP Client Automation".into(),
            edition: self.edition,
            version: self.version,
            role: self.role,
            install_dir: paths::install_dir(),
            installed_size,
            core_host: site.core_host.clone(),
        });
        if self.role == Role::Core {
            state.registry.administrator = Some(self.version);
            state.registry.dsn = Some(Dsn {
                name: "HPCA".into(),
                driver: hpca_reference::db::sqlite::SQLITE_DRIVER.into(),
                server: String::new(),
                database: paths::sql_data_dir().child("HPCA.sqlite").to_string(),
                user: "hpca".into(),
                password: site.sql_password.clone(),
            });
        }
        media::lay_down(&mut host, media_letter)?;
        if self.migrate_copy == MigrateCopy::Copied {
            media::copy_migrate(&mut host, media_letter)?;
        }
        host.save()?;
        // A Satellite has no DSN: populate gives it no database and an empty ledger.
        let spec = ReportDbSpec {
            version: self.version,
            role: self.role,
            devices: self.devices,
            seed: self.seed,
            defects: self.defects,
        };
        reportdb::populate(&mut host, &spec)?;
        host.save()?;
        Ok(host)
    }

    /// A 7.20 OS Manager Boot Server in its own tree, with the files the site customized.
    fn boot_server_720(&self, host: &mut Host, site: &Site) -> Result<()> {
        let mut rng = site::rng(self.seed, Stream::BootServer);
        let dir = paths::boot_server_720_dir();
        let image = dir.join(r"bin\tftpd.exe")?;
        host.write(&image, &install::binary(&mut rng, 12, self.scale))?;
        host.write(
            &dir.join(r"bin\proxydhcp.exe")?,
            &install::binary(&mut rng, 8, self.scale),
        )?;
        let customizable = [
            r"etc\pxe.cfg",
            r"X86PC\UNDI\linux-boot\linux.cfg\default",
            r"etc\romsinfo.cfg",
        ];
        let count = rng.gen_range(1..=customizable.len());
        let mut customized: Vec<String> = customizable
            .choose_multiple(&mut rng, count)
            .map(|s| s.to_string())
            .collect();
        customized.sort();
        for file in customizable {
            let text = if customized.iter().any(|c| c == file) {
                format!(
                    "; customized by the site\r\nserver = {}\r\ntimeout = {}\r\n",
                    site.fqdn(),
                    rng.gen_range(5..60)
                )
            } else {
                "; stock\r\ntimeout = 30\r\n".to_string()
            };
            host.write(&dir.join(file)?, text.as_bytes())?;
        }
        let state = host.state_mut();
        state.services.insert(
            "HPCA Boot Server".into(),
            Service {
                running: true,
                image,
            },
        );
        state.registry.boot_server = Some(BootServer {
            install_dir: dir,
            customizations: customized,
        });
        Ok(())
    }
}

/// Removes what a failed fabrication left: the folder itself if it did not exist before,
/// else its content (it was empty: `Host::create` refuses anything else).
fn remove_partial(out: &Path, existed: bool) {
    if !existed {
        let _ = std::fs::remove_dir_all(out);
    } else if let Ok(entries) = std::fs::read_dir(out) {
        for entry in entries.flatten() {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drive_layouts_parse_binary_sizes_and_need_c() {
        let layout: DriveLayout = "C=2G, d=512M,E=4096".parse().unwrap();
        assert_eq!(layout.0[&'C'], 2 << 30);
        assert_eq!(layout.0[&'D'], 512 << 20);
        assert_eq!(layout.0[&'E'], 4096);
        assert!("D=8G".parse::<DriveLayout>().unwrap_err().contains("C:"));
        assert!("C=lots"
            .parse::<DriveLayout>()
            .unwrap_err()
            .contains("not a size"));
        assert!("C=1G,C=2G"
            .parse::<DriveLayout>()
            .unwrap_err()
            .contains("twice"));
        assert!("C=0".parse::<DriveLayout>().is_err());
    }

    #[test]
    fn media_takes_the_next_free_letter() {
        assert_eq!(media::next_free_letter(['C', 'D']), Some('E'));
        assert_eq!(media::next_free_letter(['C']), Some('D'));
    }
}
