//! The 7.90 console at `http://<host>:3466` (B50): logging in once the server is upgraded,
//! rebooted and restored and its server service runs; admin has the password the migration
//! set (B5); users created in 7.20 are refused until admin grants them roles again (B6).
//! After a login the operator may open remote access again: ports 3466 and 3464 in the
//! firewall (B4), never before the restore is done.
//!
//! Architecture Invariant: every refusal comes before the only write (the firewall), so a
//! refused login or a refused opening leaves the host byte-identical.

use crate::error::{Error, Result};
use crate::host::{ConsoleUser, Host};
use crate::install::{CONFIGURATION_SERVER_PORT, CORE_SERVICE, WEB_PORT};
use crate::preconditions;
use crate::product::{Role, Version};
use crate::restore::{self, after::ADMIN_PASSWORD};
use sha2::{Digest, Sha256};

/// The ports remote access opens: the Web Server's and the Configuration Server's (B4).
pub const REMOTE_ACCESS_PORTS: [u16; 2] = [WEB_PORT, CONFIGURATION_SERVER_PORT];
/// The Satellite's server service (the Core's is [`CORE_SERVICE`]).
pub const SATELLITE_SERVICE: &str = "HPCA Satellite";

/// Whether the login also opens remote access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteAccess {
    /// Leave the firewall as it is.
    Leave,
    /// Open ports 3466 and 3464 after the login (refused before the restore is done).
    Open,
}

/// What happened to the firewall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortsChange {
    /// Not asked to open anything.
    Left,
    /// These ports were opened.
    Opened(Vec<u16>),
    /// Asked to open, and both were open already.
    AlreadyOpen,
}

/// A successful login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginOutcome {
    /// `http://<host>:3466`.
    pub url: String,
    /// The user as the console spells the name.
    pub user: String,
    pub roles: Vec<String>,
    pub remote_access: PortsChange,
    /// The ports open in the firewall after the login.
    pub open_ports: Vec<u16>,
    /// What the operator should do next (change admin's password, grant roles, ...).
    pub notes: Vec<String>,
}

/// The console's address on this host.
pub fn url(host: &Host) -> String {
    format!("http://{}:{WEB_PORT}", host.state().hostname)
}

/// Whether `password` matches a stored `sha256:<salt>:<hash>` credential.
fn password_matches(stored: &str, password: &str) -> bool {
    let mut parts = stored.splitn(3, ':');
    let (Some("sha256"), Some(salt), Some(hash)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let computed: String = Sha256::digest(format!("{salt}{password}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    computed == hash
}

/// Checks the server and the credentials, then (if asked) opens remote access. Every
/// refusal comes before that one write.
pub fn login(
    host: &mut Host,
    user: &str,
    password: &str,
    remote: RemoteAccess,
) -> Result<LoginOutcome> {
    let name = host.state().hostname.clone();
    let not_ready = |reason: String| Error::ConsoleNotReady {
        host: name.clone(),
        reason,
    };
    let product = host
        .state()
        .registry
        .product
        .clone()
        .ok_or_else(|| Error::NotInstalled { host: name.clone() })?;
    if product.version != Version::V790 {
        return Err(not_ready(format!(
            "{name} still runs HPCA {}; the 7.90 console answers once the 7.90 installer, the reboot and the restore are done",
            product.version
        )));
    }
    preconditions::require_no_pending_reboot(host)?;
    let restored = restore::finished(host, product.role);
    if remote == RemoteAccess::Open && !restored {
        let open: Vec<String> = REMOTE_ACCESS_PORTS
            .iter()
            .filter(|p| host.state().firewall.open_ports.contains(p))
            .map(u16::to_string)
            .collect();
        let open_now = if open.is_empty() {
            String::new()
        } else {
            format!(
                " (port(s) {} are open now: block them in the firewall until then)",
                open.join(" and ")
            )
        };
        return Err(Error::RemoteAccessBeforeRestore {
            host: name,
            open_now,
        });
    }
    if !restored {
        return Err(not_ready(
            "the restore has not finished; run `hpcasim restore <drive> --host ...` first".into(),
        ));
    }
    let service = match product.role {
        Role::Core => CORE_SERVICE,
        Role::Satellite => SATELLITE_SERVICE,
    };
    let running = host
        .state()
        .services
        .iter()
        .any(|(n, s)| n.eq_ignore_ascii_case(service) && s.running);
    if !running {
        return Err(not_ready(format!(
            "the {service} service is stopped; start it (`hpcasim service start \"{service}\" --host ...`)"
        )));
    }
    let account = authenticate(host, user, password)?;
    let mut notes = Vec::new();
    if account.name == "admin" && password == ADMIN_PASSWORD {
        notes.push(format!(
            "admin still has the password the migration set ('{ADMIN_PASSWORD}'): change it now (Administration > Users)."
        ));
    }
    let without_roles: Vec<&str> = host
        .state()
        .users
        .iter()
        .filter(|u| u.created_in == Version::V720 && u.roles.is_empty())
        .map(|u| u.name.as_str())
        .collect();
    if !without_roles.is_empty() {
        notes.push(format!(
            "{} console user(s) created in 7.20 cannot log in until admin grants them roles again: {}.",
            without_roles.len(),
            without_roles.join(", ")
        ));
    }
    if product.role == Role::Core && reporting_needs_sqlmigrate(host) {
        notes.push("The reporting database still lacks the 7.90 keys: some reports fail until sqlmigrate has run (Step 4: stop the HPCA Core service, `hpcasim sqlmigrate <drive> --host ...`, start it again).".into());
    }
    let open = &host.state().firewall.open_ports;
    let closed: Vec<u16> = REMOTE_ACCESS_PORTS
        .iter()
        .copied()
        .filter(|p| !open.contains(p))
        .collect();
    let remote_access = match remote {
        RemoteAccess::Leave => {
            if !closed.is_empty() {
                notes.push(format!(
                    "Remote access is still closed (port(s) {}): open it once you have checked the console (`--open-remote-access`), so agents and satellites reach the Core again.",
                    closed.iter().map(u16::to_string).collect::<Vec<_>>().join(" and ")
                ));
            }
            PortsChange::Left
        }
        RemoteAccess::Open if closed.is_empty() => PortsChange::AlreadyOpen,
        RemoteAccess::Open => {
            host.state_mut()
                .firewall
                .open_ports
                .extend(closed.iter().copied());
            host.save()?;
            PortsChange::Opened(closed)
        }
    };
    Ok(LoginOutcome {
        url: url(host),
        user: account.name,
        roles: account.roles,
        remote_access,
        open_ports: host.state().firewall.open_ports.iter().copied().collect(),
        notes,
    })
}

/// The account `user` logs in as. The console looks at the account's roles before its
/// password: an account without roles cannot log in whatever the password (B6).
fn authenticate(host: &Host, user: &str, password: &str) -> Result<ConsoleUser> {
    let refused = |reason: String| Error::LoginRefused {
        user: user.to_string(),
        reason,
    };
    let Some(account) = host
        .state()
        .users
        .iter()
        .find(|u| u.name.eq_ignore_ascii_case(user.trim()))
    else {
        return Err(refused(
            "there is no such console user; admin creates users under Administration > Users"
                .into(),
        ));
    };
    if account.roles.is_empty() {
        let why = if account.created_in == Version::V720 {
            "the account was created in HPCA 7.20 and has had no roles since the migration"
        } else {
            "the account has no roles"
        };
        return Err(refused(format!(
            "{why}; log in as admin and grant it roles again (Administration > Users)"
        )));
    }
    if !password_matches(&account.credential_digest, password) {
        let hint = if account.name == "admin" {
            format!("; after the migration admin's password is '{ADMIN_PASSWORD}' until someone changes it")
        } else {
            String::new()
        };
        return Err(refused(format!("wrong password{hint}")));
    }
    Ok(account.clone())
}

/// Whether the Core's reporting database still has a 7.20/7.50 layout (B40). Read only, and
/// only when the database file is there (opening would create it).
fn reporting_needs_sqlmigrate(host: &Host) -> bool {
    let Some(dsn) = &host.state().registry.dsn else {
        return false;
    };
    let exists = crate::winpath::WinPath::parse(&dsn.database).is_ok_and(|f| host.exists(&f));
    if !exists {
        return false;
    }
    match crate::db::open(host) {
        Ok(Some(mut db)) => crate::sqlmigrate::needs_migration(db.as_mut()).unwrap_or(false),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::restore::after::credential_digest;

    #[test]
    fn the_migration_password_matches_the_stored_digest_b5() {
        let stored = credential_digest("HPCA-CORE-01", "admin", ADMIN_PASSWORD);
        assert!(password_matches(&stored, ADMIN_PASSWORD));
        assert!(!password_matches(&stored, "Secret"));
        assert!(!password_matches("plain", ADMIN_PASSWORD));
    }
}
