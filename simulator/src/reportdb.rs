//! The HPCA reporting database of a fabricated install: schema per version, realistic rows,
//! recorded defects. (Filled in by the database issue.)

use hpca_reference::{Host, Result, Role, Version};

/// What to put in the reporting database.
#[derive(Debug, Clone)]
pub struct ReportDbSpec {
    pub version: Version,
    pub role: Role,
    pub devices: u32,
    pub seed: u64,
}

/// Creates and fills the reporting database the host's DSN names.
pub fn populate(host: &mut Host, spec: &ReportDbSpec) -> Result<()> {
    let _ = (host, spec);
    Ok(())
}
