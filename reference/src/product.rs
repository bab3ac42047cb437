//! What is installed: HPCA versions, editions, server roles and database servers, as the guide names them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An HPCA release. The guide migrates 7.20, 7.50 and 7.80 to 7.90.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Version {
    #[serde(rename = "7.20")]
    V720,
    #[serde(rename = "7.50")]
    V750,
    #[serde(rename = "7.80")]
    V780,
    #[serde(rename = "7.90")]
    V790,
}

impl Version {
    /// The versions the guide migrates from (B1).
    pub const SOURCES: [Version; 3] = [Version::V720, Version::V750, Version::V780];
    /// Every version the simulator knows.
    pub const ALL: [Version; 4] = [Version::V720, Version::V750, Version::V780, Version::V790];

    /// The version as HP writes it: "7.50".
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V720 => "7.20",
            Version::V750 => "7.50",
            Version::V780 => "7.80",
            Version::V790 => "7.90",
        }
    }

    /// 7.20 and 7.50 databases lack the 7.90 keys and need sqlmigrate (B40).
    pub fn needs_sqlmigrate(self) -> bool {
        matches!(self, Version::V720 | Version::V750)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A version string that names no HPCA release the simulator knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown HPCA version '{0}': supported are 7.20, 7.50 and 7.80 (target 7.90)")]
pub struct UnknownVersion(pub String);

impl FromStr for Version {
    type Err = UnknownVersion;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "7.20" | "720" | "7.2" => Ok(Version::V720),
            "7.50" | "750" | "7.5" => Ok(Version::V750),
            "7.80" | "780" | "7.8" => Ok(Version::V780),
            "7.90" | "790" | "7.9" => Ok(Version::V790),
            other => Err(UnknownVersion(other.to_string())),
        }
    }
}

/// The server role of an Enterprise install.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Core,
    Satellite,
}

impl Role {
    /// Both roles, Core first (the guide upgrades the Core before anything deployed, B63).
    pub const ALL: [Role; 2] = [Role::Core, Role::Satellite];

    /// "core" or "satellite".
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Core => "core",
            Role::Satellite => "satellite",
        }
    }

    /// "Core" or "Satellite", as the guide writes it in prose.
    pub fn title(self) -> &'static str {
        match self {
            Role::Core => "Core",
            Role::Satellite => "Satellite",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role string that is neither core nor satellite.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown server role '{0}': supported are core and satellite")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "core" => Ok(Role::Core),
            "satellite" => Ok(Role::Satellite),
            other => Err(UnknownRole(other.to_string())),
        }
    }
}

/// The HPCA edition. Only Enterprise is in the guide's scope (B1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    Enterprise,
    Standard,
    Starter,
    /// The pre-Core "classic" component-based install.
    Classic,
}

impl Edition {
    /// The edition as HP names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Edition::Enterprise => "Enterprise",
            Edition::Standard => "Standard",
            Edition::Starter => "Starter",
            Edition::Classic => "classic (component-based)",
        }
    }
}

impl FromStr for Edition {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "enterprise" => Ok(Edition::Enterprise),
            "standard" => Ok(Edition::Standard),
            "starter" => Ok(Edition::Starter),
            "classic" => Ok(Edition::Classic),
            other => Err(format!(
                "unknown edition '{other}': expected enterprise, standard, starter or classic"
            )),
        }
    }
}

/// The database server behind the reporting DSN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DatabaseServer {
    /// The embedded default: SQLite standing in for the customer's SQL Server.
    #[serde(rename = "sqlite")]
    Sqlite,
    #[serde(rename = "SQL Server 2000")]
    SqlServer2000,
    #[serde(rename = "SQL Server 2005")]
    SqlServer2005,
    #[serde(rename = "SQL Server 2008")]
    SqlServer2008,
    #[serde(rename = "Oracle")]
    Oracle,
}

impl DatabaseServer {
    /// The guide supports SQL Server 2005 and 2008 (and Oracle); SQLite is our stand-in (B2).
    pub fn supported(self) -> bool {
        !matches!(self, DatabaseServer::SqlServer2000)
    }

    /// The server's name as an operator reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            DatabaseServer::Sqlite => "sqlite",
            DatabaseServer::SqlServer2000 => "SQL Server 2000",
            DatabaseServer::SqlServer2005 => "SQL Server 2005",
            DatabaseServer::SqlServer2008 => "SQL Server 2008",
            DatabaseServer::Oracle => "Oracle",
        }
    }
}

impl FromStr for DatabaseServer {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace(' ', "").as_str() {
            "sqlite" => Ok(DatabaseServer::Sqlite),
            "sqlserver2000" | "mssql2000" | "2000" => Ok(DatabaseServer::SqlServer2000),
            "sqlserver2005" | "mssql2005" | "2005" => Ok(DatabaseServer::SqlServer2005),
            "sqlserver2008" | "mssql2008" | "2008" => Ok(DatabaseServer::SqlServer2008),
            "oracle" => Ok(DatabaseServer::Oracle),
            other => Err(format!(
                "unknown database server '{other}': expected sqlite, sqlserver2000, sqlserver2005, sqlserver2008 or oracle"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_print_as_hp_writes_them() {
        for v in Version::ALL {
            assert_eq!(v.as_str().parse::<Version>().unwrap(), v);
        }
        let err = "7.00".parse::<Version>().unwrap_err();
        assert!(err.to_string().contains("7.20, 7.50 and 7.80"));
    }

    #[test]
    fn only_720_and_750_need_sqlmigrate_b40() {
        assert!(Version::V720.needs_sqlmigrate());
        assert!(Version::V750.needs_sqlmigrate());
        assert!(!Version::V780.needs_sqlmigrate());
    }

    #[test]
    fn sql_server_2000_is_unsupported_b2() {
        assert!(!DatabaseServer::SqlServer2000.supported());
        assert!(DatabaseServer::SqlServer2005.supported());
    }
}
