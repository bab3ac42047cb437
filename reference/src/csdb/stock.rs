//! The stock CSDB class schema each HPCA version ships in its `PRIMARY` file.
//!
//! Later versions add classes and attributes (never remove them), so one table with a
//! `since` per class and per attribute describes all versions.

use super::{AttrType, Attribute, Schema};
use crate::product::Version;

use AttrType::{Connection as C, Expression as E, Method as M, Variable as V};
use Version::{V720 as S720, V750 as S750, V780 as S780, V790 as S790};

/// An attribute as the table lists it: name, type, length, first version that has it.
type A = (&'static str, AttrType, u16, Version);

/// A class as the table lists it: domain, class, first version, attributes.
struct StockClass {
    domain: &'static str,
    class: &'static str,
    since: Version,
    attrs: &'static [A],
}

const fn class(
    domain: &'static str,
    class: &'static str,
    since: Version,
    attrs: &'static [A],
) -> StockClass {
    StockClass {
        domain,
        class,
        since,
        attrs,
    }
}

/// The schema table, in domain and class order.
const STOCK: &[StockClass] = &[
    class(
        "ADMIN",
        "PROCESS",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("ZPRCTYPE", V, 8, S720),
            ("ZMETHOD", M, 255, S720),
            ("_ALWAYS_", C, 255, S720),
        ],
    ),
    class(
        "ADMIN",
        "ZMETHOD",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("ZMTHNAME", V, 32, S720),
            ("ZMTHPRMS", V, 255, S720),
        ],
    ),
    class(
        "AUDIT",
        "AUDIT",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("ZOBJCLAS", V, 32, S720),
            ("ZAUDTYPE", V, 8, S720),
            ("ZCREATE", M, 255, S720),
        ],
    ),
    class(
        "CLIENT",
        "DIAGS",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("RUNPROC", V, 255, S720),
            ("TRACELVL", V, 3, S720),
        ],
    ),
    class(
        "CLIENT",
        "SAP",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("URI", V, 255, S720),
            ("TYPE", V, 8, S720),
            ("PRIORITY", V, 3, S720),
            ("ROLE", V, 8, S750),
            ("BANDWDTH", V, 3, S750),
            ("PROXYURI", V, 255, S780),
        ],
    ),
    class(
        "CLIENT",
        "SETTINGS",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("ZRSCMSTS", V, 1, S720),
            ("RADTIMEQ", V, 3, S720),
            ("USELAN", V, 1, S750),
            ("SUBTYPE", V, 8, S780),
            ("THROTYPE", V, 8, S780),
        ],
    ),
    class(
        "OS",
        "DRIVER",
        S750,
        &[
            ("NAME", V, 64, S750),
            ("ZSVCOID", V, 64, S750),
            ("OSNAME", V, 32, S750),
        ],
    ),
    class(
        "OS",
        "OPSYS",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("OSTYPE", V, 16, S720),
            ("IMGNAME", V, 64, S720),
            ("ZSTOP000", E, 255, S720),
            ("DEPLOYTO", V, 8, S780),
        ],
    ),
    class(
        "OS",
        "ROMBL",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("BOOTMODE", V, 8, S720),
            ("PXESRVR", V, 64, S720),
        ],
    ),
    class(
        "PATCHMGR",
        "BULLETIN",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("RELEASED", V, 20, S720),
            ("SEVERITY", V, 16, S720),
            ("_ALWAYS_", C, 255, S720),
        ],
    ),
    class(
        "PATCHMGR",
        "PATCH",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("KBNUMBER", V, 16, S720),
            ("ZSTOP000", E, 255, S720),
            ("SUPERSED", V, 64, S750),
        ],
    ),
    class(
        "PATCHMGR",
        "PRODUCT",
        S750,
        &[("NAME", V, 64, S750), ("VENDOR", V, 32, S750)],
    ),
    class(
        "POLICY",
        "COMPUTER",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("ZCONFIG", V, 64, S750),
            ("_ALWAYS_", C, 255, S720),
        ],
    ),
    class(
        "POLICY",
        "DEPT",
        S720,
        &[("NAME", V, 64, S720), ("_ALWAYS_", C, 255, S720)],
    ),
    class(
        "POLICY",
        "USER",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("ZUSERID", V, 64, S720),
            ("_ALWAYS_", C, 255, S720),
        ],
    ),
    class(
        "POLICY",
        "WORKGRP",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("ZWGTYPE", V, 8, S720),
            ("_ALWAYS_", C, 255, S720),
        ],
    ),
    class(
        "PRDMAINT",
        "PRDMAINT",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("ZVERSION", V, 16, S720),
            ("ZTARGET", V, 32, S720),
        ],
    ),
    class(
        "SOFTWARE",
        "BEHAVIOR",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("ZRSCNAME", V, 255, S720),
            ("ZRSCCRC", V, 8, S720),
        ],
    ),
    class(
        "SOFTWARE",
        "FILE",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("ZRSCNAME", V, 255, S720),
            ("ZRSCSIZE", V, 12, S720),
            ("ZRSCCRC", V, 8, S720),
            ("ZRSCDATE", V, 8, S720),
        ],
    ),
    class(
        "SOFTWARE",
        "MSI",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("PRODCODE", V, 38, S720),
            ("ZCREATE", M, 255, S720),
        ],
    ),
    class(
        "SOFTWARE",
        "PACKAGE",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("ZPKGRELI", V, 16, S720),
            ("RELEASE", V, 16, S720),
            ("_ALWAYS_", C, 255, S720),
        ],
    ),
    class(
        "SOFTWARE",
        "REGISTRY",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("ZRSCNAME", V, 255, S720),
            ("ZRSCCRC", V, 8, S720),
        ],
    ),
    class(
        "SOFTWARE",
        "THINAPP",
        S780,
        &[
            ("NAME", V, 64, S780),
            ("APPNAME", V, 64, S780),
            ("ZCREATE", M, 255, S780),
        ],
    ),
    class(
        "SOFTWARE",
        "ZSERVICE",
        S720,
        &[
            ("NAME", V, 64, S720),
            ("ZSVCNAME", V, 32, S720),
            ("ZSVCTTYP", V, 1, S720),
            ("ZSVCMO", V, 8, S720),
            ("ZSVCCAT", V, 1, S720),
            ("ZSTOP000", E, 255, S720),
            ("_ALWAYS_", C, 255, S720),
            ("REBOOT", V, 8, S750),
            ("LOCATION", V, 255, S750),
            ("CATGROUP", V, 64, S780),
            ("UIOPTION", V, 8, S790),
        ],
    ),
];

/// The stock class schema of a `version` CSDB.
pub fn stock_schema(version: Version) -> Schema {
    let mut schema = Schema::default();
    for c in STOCK.iter().filter(|c| c.since <= version) {
        let attrs = c
            .attrs
            .iter()
            .filter(|(_, _, _, since)| *since <= version)
            .map(|(name, ty, length, _)| Attribute {
                name: name.to_string(),
                ty: *ty,
                length: *length,
            })
            .collect();
        schema
            .domains
            .entry(c.domain.to_string())
            .or_default()
            .insert(c.class.to_string(), attrs);
    }
    schema
}
