//! The HPCA reporting database of a fabricated install: the schema of its version, realistic
//! inventory rows for `devices` managed devices, and the defects a 7.20/7.50 database picks
//! up over the years, each recorded in a ledger so a test can tell exactly which rows the
//! 7.90 schema must reject.
//!
//! Fabrication is fast by construction: one transaction, one prepared statement per table,
//! no journal, values picked from pools built before the rows (see `pools`), and no table is
//! ever held in memory.

mod defects;
mod pools;
mod profile;
mod rows;

pub use defects::{Defect, DefectKind, DefectLedger, DefectPlan, LEDGER_FILE};

use hpca_reference::db::schema;
use hpca_reference::db::sqlite::{self, SqliteDb};
use hpca_reference::db::Database;
use hpca_reference::devices::Platform;
use hpca_reference::{Error, Host, Result, Role, Version};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// What to put in the reporting database.
#[derive(Debug, Clone)]
pub struct ReportDbSpec {
    pub version: Version,
    pub role: Role,
    /// Managed devices; about 1,100 rows each (10,000 devices: over 10 million rows).
    pub devices: u32,
    pub seed: u64,
    pub defects: DefectPlan,
}

/// Creates the schema of `spec.version` in the database the host's DSN names and fills it;
/// writes the defect ledger beside the host and refreshes the host's drive usage. A
/// Satellite, or a host without a DSN, gets no database and an empty ledger.
pub fn populate(host: &mut Host, spec: &ReportDbSpec) -> Result<DefectLedger> {
    populate_counted(host, spec).map(|(ledger, _)| ledger)
}

/// [`populate`], also returning how many rows it inserted (for the bench).
pub fn populate_counted(host: &mut Host, spec: &ReportDbSpec) -> Result<(DefectLedger, u64)> {
    if spec.defects.any() && schema::has_790_keys(spec.version) {
        return Err(Error::DefectsNeedUnkeyedSchema {
            version: spec.version,
            defects: spec.defects.to_string(),
        });
    }
    // The reporting database belongs to the Core; a Satellite reads the Core's.
    let db = match spec.role {
        Role::Core => sqlite::open_host(host)?,
        Role::Satellite => None,
    };
    let Some(mut db) = db else {
        let ledger = DefectLedger::default();
        ledger.write(host)?;
        return Ok((ledger, 0));
    };
    let result = fill(&mut db, host.now(), spec);
    drop(db);
    // The engine grew the file behind the host's back, also when it failed part way.
    host.refresh_usage()?;
    let (ledger, rows) = result?;
    ledger.write(host)?;
    Ok((ledger, rows))
}

/// The managed devices `populate` fills the database with for `seed`: each one's host name,
/// as the `Device` table lists it, and its platform. Drawn as `populate` draws them, without
/// touching a database.
pub fn estate(seed: u64, devices: u32, now: u64) -> Vec<(String, Platform)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rows::World::new(&mut rng, u64::from(devices), now).devices()
}

fn fill(db: &mut SqliteDb, now: u64, spec: &ReportDbSpec) -> Result<(DefectLedger, u64)> {
    // A fabrication, not a migration: a crash may lose it, so no journal and no fsync.
    db.connection()?
        .execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        .map_err(|e| db.error("preparing the database for fabrication", e))?;
    let tables = schema::catalogue(spec.version);
    for def in &tables {
        db.create_table(def)?;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let world = rows::World::new(&mut rng, u64::from(spec.devices), now);
    let mut ledger = DefectLedger::default();
    let mut total = 0;
    db.begin()?;
    for def in &tables {
        let plan = rows::TablePlan::new(def, &world, &spec.defects);
        let outcome = {
            let conn = db.connection()?;
            rows::fill_table(conn, &plan, &world, &mut rng, &spec.defects, &mut ledger)
        };
        total += outcome.map_err(|e| db.error(&format!("filling {}", def.name), e))?;
    }
    db.commit()?;
    Ok((ledger, total))
}
