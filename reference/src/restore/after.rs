//! What the restore's last step settles after the modules: the admin password reset to
//! `secret` (B5), 7.20 users without roles (B6), what to do next (sqlmigrate B40, console and
//! ports B50, Satellite sync B62), and the entries the `rms` module is expected to give (B35).

use crate::host::{ConsoleUser, Host};
use crate::install;
use crate::product::{Role, Version};
use crate::report::{Entry, Level};
use sha2::{Digest, Sha256};

/// The password the migration gives admin (B5).
pub const ADMIN_PASSWORD: &str = "secret";

fn entry(level: Level, module: Option<&str>, message: String) -> Entry {
    Entry {
        level,
        module: module.map(str::to_string),
        message,
    }
}

/// The salted digest stored for a console password (`sha256:<salt>:<hash>`): never the
/// password itself. The salt derives from the host name so the same restore gives the same
/// host state byte for byte.
pub fn credential_digest(hostname: &str, user: &str, password: &str) -> String {
    let salt_hash = Sha256::digest(format!("{hostname}\\{user}").as_bytes());
    let salt: String = salt_hash[..8].iter().map(|b| format!("{b:02x}")).collect();
    let hash: String = Sha256::digest(format!("{salt}{password}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{salt}:{hash}")
}

/// The `rms` module's expected warnings from 7.20 and 7.50 (B35), or the note that 7.80 (or a
/// server without a reporting database, such as a Satellite) needs no database step (B40).
pub fn rms_entries(host: &Host, source: Version, drive: char) -> Vec<Entry> {
    if host.state().registry.dsn.is_none() {
        return vec![entry(Level::Info, Some("rms"), "This server has no reporting DSN: its Messaging Server forwards to the Core, and no sqlmigrate step is needed here.".to_string())];
    }
    if source.needs_sqlmigrate() {
        vec![
            entry(Level::Warning, Some("rms"), format!("The reporting database still has the {source} table layout without the 7.90 primary and foreign keys: some reporting views fail until it is migrated. This warning is expected from {source}; `sqlmigrate {drive}` (Step 4) corrects it.")),
            entry(Level::Warning, Some("rms"), format!("The rms settings now name reporting schema 7.90 while the database tables are still those of {source}: expected from {source}, corrected by `sqlmigrate {drive}`.")),
        ]
    } else {
        vec![entry(Level::Info, Some("rms"), format!("The reporting database of {source} already has the 7.90 keys: no sqlmigrate step is needed."))]
    }
}

/// Resets admin's password and takes roles from 7.20 users; returns the report entries.
/// Idempotent: a rerun finds the same users (by the version they were created in).
pub fn settle_users(host: &mut Host) -> Vec<Entry> {
    let hostname = host.state().hostname.clone();
    let digest = credential_digest(&hostname, "admin", ADMIN_PASSWORD);
    let users = &mut host.state_mut().users;
    match users.iter_mut().find(|u| u.name == "admin") {
        Some(admin) => admin.credential_digest = digest,
        None => users.insert(
            0,
            ConsoleUser {
                name: "admin".into(),
                created_in: Version::V790,
                roles: vec!["Administrators".into()],
                credential_digest: digest,
            },
        ),
    }
    let mut old = Vec::new();
    for user in users.iter_mut() {
        if user.name != "admin" && user.created_in == Version::V720 {
            user.roles.clear();
            old.push(user.name.clone());
        }
    }
    let mut entries = vec![entry(
        Level::ActionRequired,
        None,
        format!("The admin password was reset to '{ADMIN_PASSWORD}': log in to http://{hostname}:{} as admin and change it now.", install::WEB_PORT),
    )];
    if !old.is_empty() {
        entries.push(entry(
            Level::ActionRequired,
            None,
            format!("{} console user(s) created in 7.20 cannot log in until admin grants them roles again: {}.", old.len(), old.join(", ")),
        ));
    }
    entries
}

/// What to do next, by role and source version.
pub fn next_steps(host: &Host, role: Role, source: Version, drive: char) -> Vec<Entry> {
    let name = &host.state().hostname;
    let mut out = Vec::new();
    if role == Role::Core && source.needs_sqlmigrate() {
        out.push(entry(Level::ActionRequired, Some("rms"), format!("Coming from {source}, migrate the reporting database next: stop the HPCA Core service and run `sqlmigrate {drive}` (Step 4).")));
    }
    let ports = [install::WEB_PORT, install::CONFIGURATION_SERVER_PORT];
    let open = ports
        .iter()
        .filter(|p| host.state().firewall.open_ports.contains(p))
        .count();
    if open > 0 {
        out.push(entry(Level::Warning, None, format!("Ports {} and {} were open in the firewall during the upgrade and restore: agents or satellites that connected meanwhile may have left duplicate device entries; check for them in the console.", ports[0], ports[1])));
    } else {
        out.push(entry(Level::Info, None, format!("After logging in at http://{name}:{}, open ports {} and {} to agents and satellites again.", ports[0], ports[0], ports[1])));
    }
    if role == Role::Satellite {
        let core = host
            .state()
            .registry
            .product
            .as_ref()
            .and_then(|p| p.core_host.clone())
            .unwrap_or_else(|| "its Core".into());
        out.push(entry(Level::ActionRequired, Some("satellite"), format!("Synchronize this Satellite with {core} (already upgraded to 7.90): Operations > Server Status > Synchronize satellite now, or `hpcasim sync --host <this> --core <core>`.")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_admin_digest_is_salted_stable_and_not_the_password_b5() {
        let a = credential_digest("HPCA-CORE-01", "admin", ADMIN_PASSWORD);
        assert_eq!(
            a,
            credential_digest("HPCA-CORE-01", "admin", ADMIN_PASSWORD)
        );
        assert_ne!(
            a,
            credential_digest("HPCA-CORE-02", "admin", ADMIN_PASSWORD)
        );
        assert!(a.starts_with("sha256:") && !a.contains(ADMIN_PASSWORD));
    }
}
