//! Windows services: stop and start one by name (case aside, as `net stop` takes it).
//!
//! Starting the 7.90 Messaging Server re-creates every reporting table that is missing, with
//! the 7.90 primary and foreign keys: the step of the guide's manual database migration
//! (Appendix B) between the drop and the import (B45). sqlmigrate re-creates the tables the
//! same way, through [`recreate_missing_tables`].

use crate::db::{schema, Database};
use crate::error::{Error, Result};
use crate::fault::Crash;
use crate::host::Host;
use crate::install::MESSAGING_SERVICE;
use crate::product::Version;

/// What stopping or starting a service did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceChange {
    /// The service's name as the host spells it.
    pub name: String,
    /// Whether it ran before.
    pub was_running: bool,
    /// Whether it runs now.
    pub running: bool,
    /// Reporting tables the Messaging Server created as it started (B45), in creation order.
    pub created_tables: Vec<String>,
}

/// What an operator is told: the service's new state, and the tables its start created.
impl std::fmt::Display for ServiceChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.running { "started" } else { "stopped" };
        if self.was_running == self.running {
            write!(f, "The {} service was already {verb}.", self.name)?;
        } else {
            write!(f, "The {} service {verb}.", self.name)?;
        }
        if !self.created_tables.is_empty() {
            write!(
                f,
                " It created {} missing reporting table(s) with the 7.90 keys: {}.",
                self.created_tables.len(),
                self.created_tables.join(", ")
            )?;
        }
        Ok(())
    }
}

/// The host's spelling of a service name given in any case.
pub fn find(host: &Host, name: &str) -> Result<String> {
    let services = &host.state().services;
    services
        .keys()
        .find(|k| k.eq_ignore_ascii_case(name.trim()))
        .cloned()
        .ok_or_else(|| Error::NoSuchService {
            name: name.to_string(),
            available: services
                .keys()
                .map(|k| format!("\"{k}\""))
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Stops a service (a stopped one stays stopped).
pub fn stop(host: &mut Host, name: &str) -> Result<ServiceChange> {
    let name = find(host, name)?;
    let service = host.state_mut().services.get_mut(&name).expect("found");
    let was_running = std::mem::replace(&mut service.running, false);
    host.save()?;
    Ok(ServiceChange {
        name,
        was_running,
        running: false,
        created_tables: Vec::new(),
    })
}

/// Starts a service; a 7.90 Messaging Server that was stopped re-creates the missing
/// reporting tables as it starts (B45).
pub fn start(host: &mut Host, name: &str) -> Result<ServiceChange> {
    let name = find(host, name)?;
    let was_running = host.state().services[&name].running;
    let at_790 = host
        .state()
        .registry
        .product
        .as_ref()
        .is_some_and(|p| p.version == Version::V790);
    let mut created_tables = Vec::new();
    if !was_running && at_790 && name.eq_ignore_ascii_case(MESSAGING_SERVICE) {
        if let Some(mut db) = crate::db::open(host)? {
            let created = recreate_missing_tables(db.as_mut(), &Crash::never());
            drop(db);
            host.refresh_usage()?;
            created_tables = created?;
        }
    }
    host.state_mut()
        .services
        .get_mut(&name)
        .expect("found")
        .running = true;
    host.save()?;
    Ok(ServiceChange {
        name,
        was_running,
        running: true,
        created_tables,
    })
}

/// Creates every 7.90 reporting table the database lacks, parents first, with the 7.90 keys;
/// returns the names created. Crash point: `sqlmigrate:recreate:<table>` before each.
pub fn recreate_missing_tables(db: &mut dyn Database, crash: &Crash) -> Result<Vec<String>> {
    let mut created = Vec::new();
    for def in schema::catalogue(Version::V790) {
        if db.table_name(&def.name)?.is_some() {
            continue;
        }
        crash.point(&format!("sqlmigrate:recreate:{}", def.name))?;
        db.create_table(&def)?;
        created.push(def.name);
    }
    Ok(created)
}
