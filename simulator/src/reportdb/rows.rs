//! Row generation: the devices of the estate, a value plan per table, and the loop that
//! inserts a table's rows (clean or defective) through one prepared statement.

use super::defects::{Defect, DefectKind, DefectLedger, DefectPlan};
use super::pools;
use super::profile::{self, Family, Owners, Profile};
use hpca_reference::db::digest::row_hash;
use hpca_reference::db::schema::{self, ColumnType, TableDef, MACHINE_ID};
use hpca_reference::db::sqlite::insert_sql;
use hpca_reference::db::Value;
use hpca_reference::devices::Platform;
use hpca_reference::Version;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;

/// Distinct timestamps every date column draws from.
const TIMES: usize = 4096;

/// The managed devices and the shared value pools.
pub(crate) struct World {
    pub devices: u64,
    family: Vec<Family>,
    hp: Vec<bool>,
    /// Each device's host name, as `Device` and the computer-system classes report it.
    names: Vec<String>,
    /// Each Windows device's operating system: an index into `pools::WINDOWS`.
    windows: Vec<u8>,
    /// `Win32_OperatingSystem.Name` of each entry of `pools::WINDOWS`.
    os_names: Vec<String>,
    /// `TIMES` distinct ISO-8601 timestamps in the year before the host clock, newest first.
    times: Vec<String>,
}

impl World {
    /// Draws each device's family and hardware vendor.
    pub fn new(rng: &mut ChaCha8Rng, devices: u64, now: u64) -> World {
        let mut family = Vec::with_capacity(devices as usize);
        let mut hp = Vec::with_capacity(devices as usize);
        let mut windows = Vec::with_capacity(devices as usize);
        for _ in 0..devices {
            family.push(Family::from_roll(rng.gen()));
            // An HPCA estate runs mostly on HP's own business PCs.
            hp.push(rng.gen_bool(0.7));
            windows.push(rng.gen_range(0..pools::WINDOWS.len()) as u8);
        }
        let names = (0..devices as usize)
            .map(|d| format!("{}{:05}", family_prefix(family[d]), d + 1))
            .collect();
        let os_names = pools::WINDOWS
            .iter()
            .map(|w| format!("{}|C:\\WINDOWS|\\Device\\Harddisk0\\Partition1", w.0))
            .collect();
        // 7919 s apart: distinct, and spread over the year before the host's clock.
        let times = (0..TIMES as u64)
            .map(|k| iso8601(now.saturating_sub(3_600 + k * 7_919)))
            .collect();
        World {
            devices,
            family,
            hp,
            names,
            windows,
            os_names,
            times,
        }
    }
}

impl World {
    /// Each device's host name with its platform, as the Core's device list carries them.
    pub fn devices(&self) -> Vec<(String, Platform)> {
        self.names
            .iter()
            .zip(&self.family)
            .map(|(name, family)| {
                let platform = match family {
                    Family::Windows => Platform::Windows,
                    Family::Linux => Platform::Linux,
                    Family::Solaris => Platform::Solaris,
                    Family::HpUx => Platform::Hpux,
                    Family::Pda => Platform::Winmobile,
                };
                (name.clone(), platform)
            })
            .collect()
    }
}

/// `YYYY-MM-DD HH:MM:SS` of unix seconds (UTC), as SQL Server prints a datetime.
pub(crate) fn iso8601(secs: u64) -> String {
    crate::site::timestamp(secs)
}

/// How one column gets its value.
enum Gen {
    /// The owner: the device (`MachineId`) or the group id of a table not per device.
    Owner,
    /// A key column: the pool entry at the row's key index.
    KeyText(Vec<String>),
    /// A key column numbered by instance: `base + step * instance`.
    KeyInt {
        base: i64,
        step: i64,
    },
    /// A key timestamp: distinct per instance.
    KeyTime,
    Text {
        pool: Vec<String>,
        /// Picked by the device's operating system, so the columns that describe it
        /// (caption, version, build, service pack) agree with each other and with `Device`.
        by_os: bool,
        nullable: bool,
    },
    Int {
        lo: i64,
        hi: i64,
    },
    /// One of a few values WMI defines.
    IntChoice(&'static [i64]),
    Real {
        lo: f64,
        hi: f64,
    },
    Time {
        nullable: bool,
    },
    /// A reference to a parent's id, `1..=count`.
    Ref {
        count: u64,
    },
    /// `Device` columns, per device.
    /// The device's host name.
    DeviceName,
    /// The device's operating system caption.
    DeviceOs,
    /// `Win32_OperatingSystem.Name`: caption, Windows folder and boot partition.
    OsKeyName,
}

/// One value of a row being built; borrows from the plan's pools.
#[derive(Clone, Copy)]
enum Cell<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
}

impl Cell<'_> {
    fn value(self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Int(i) => Value::Int(i),
            Cell::Real(r) => Value::Real(r),
            Cell::Text(t) => Value::Text(t.to_string()),
        }
    }
}

/// Everything needed to generate one table's rows.
pub(crate) struct TablePlan {
    name: String,
    columns: Vec<String>,
    /// Per column: part of the 7.90 primary key (what a duplicate repeats).
    key: Vec<bool>,
    gens: Vec<Gen>,
    profile: Profile,
    /// Length of the key pools: twice the most instances, so devices differ in which
    /// entries they have while a device's keys stay distinct.
    key_len: usize,
    /// Column to point at a missing device for an orphan, if defects may go here.
    orphan_col: Option<usize>,
    /// Column 7.90 makes NOT NULL (not a key) to empty for a NULL defect.
    null_col: Option<usize>,
    /// Whether defects may go into this table at all.
    defects_allowed: bool,
}

impl TablePlan {
    /// Plans a table of `version`'s catalogue, reading keys and constraints from 7.90 (the
    /// schema the rows must fit).
    pub fn new(def: &TableDef, world: &World, plan: &DefectPlan) -> TablePlan {
        let target = schema::table(Version::V790, &def.name).expect("every table exists in 7.90");
        let profile = profile::profile(&def.name);
        let key_len = (profile.max as usize).max(1) * 2;
        let is_key = |c: &str| target.primary_key.iter().any(|k| k == c);
        let reference = |c: &str| {
            target
                .foreign_keys
                .iter()
                .find(|fk| fk.columns.len() == 1 && fk.columns[0] == c)
                .map(|fk| &fk.parent)
        };
        let salt = pools::mix(
            def.name
                .bytes()
                .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))),
        );
        let mut gens = Vec::new();
        for (i, col) in target.columns.iter().enumerate() {
            let name = col.name.as_str();
            let gen = if i == 0 && is_key(name) {
                Gen::Owner
            } else if name == "DeviceName" || name == "Name" && def.name.ends_with("ComputerSystem")
            {
                Gen::DeviceName
            } else if name == "OsName" {
                Gen::DeviceOs
            } else if name == "Name" && def.name == "rWin32_OperatingSystem" {
                Gen::OsKeyName
            } else if is_key(name) {
                match col.ty {
                    ColumnType::Integer if name.contains("Address") => Gen::KeyInt {
                        base: 0xA_0000,
                        step: 0x1000,
                    },
                    ColumnType::Integer => Gen::KeyInt { base: 1, step: 1 },
                    ColumnType::Timestamp => Gen::KeyTime,
                    _ => Gen::KeyText(
                        (0..key_len)
                            .map(|k| pools::key_text(&def.name, name, k, salt))
                            .collect(),
                    ),
                }
            } else if let Some(parent) = reference(name) {
                let count = if parent == schema::DEVICE_TABLE {
                    world.devices
                } else {
                    profile::group_count(parent, world.devices).expect("parents are groups")
                };
                Gen::Ref { count }
            } else {
                match col.ty {
                    ColumnType::Integer => match pools::int_choices(name) {
                        Some(choices) => Gen::IntChoice(choices),
                        None => {
                            let (lo, hi) = pools::int_range(name);
                            Gen::Int { lo, hi }
                        }
                    },
                    ColumnType::Real => Gen::Real { lo: 1.0, hi: 7.9 },
                    ColumnType::Timestamp => Gen::Time {
                        nullable: !col.not_null,
                    },
                    _ => {
                        let pool = pools::text_pool(&def.name, name);
                        let by_os = ["Caption", "Version", "BuildNumber", "CSDVersion"]
                            .contains(&name)
                            && def.name.ends_with("OperatingSystem");
                        Gen::Text {
                            pool,
                            by_os,
                            nullable: !col.not_null,
                        }
                    }
                }
            };
            gens.push(gen);
        }
        // Defects go only where they cannot spread: a rejected row in a table others
        // reference would orphan its children too, and the ledger must be exact.
        let referenced = schema::catalogue(Version::V790)
            .iter()
            .any(|t| t.foreign_keys.iter().any(|fk| fk.parent == def.name));
        let defects_allowed = plan.any() && !referenced && schema::in_appendix_a(&def.name);
        let orphan_col = target
            .foreign_keys
            .iter()
            .find(|fk| fk.columns == [MACHINE_ID])
            .and_then(|_| target.column(MACHINE_ID))
            .map(|(i, _)| i);
        let null_col = target
            .columns
            .iter()
            .position(|c| c.not_null && !is_key(&c.name) && reference(&c.name).is_none());
        TablePlan {
            name: def.name.clone(),
            key: target.columns.iter().map(|c| is_key(&c.name)).collect(),
            columns: target.column_names(),
            gens,
            profile,
            key_len,
            orphan_col,
            null_col,
            defects_allowed,
        }
    }

    fn owners(&self, world: &World) -> Vec<u64> {
        match self.profile.owners {
            Owners::Groups(count) => (1..=count(world.devices)).collect(),
            owners => (0..world.devices as usize)
                .filter(|&d| owners.covers(world.family[d], world.hp[d]))
                .map(|d| d as u64 + 1)
                .collect(),
        }
    }
}

/// Where one row stands while it is built.
struct Slot {
    owner: u64,
    instance: u64,
    key: usize,
}

fn cell<'a>(gen: &'a Gen, slot: &Slot, world: &'a World, rng: &mut ChaCha8Rng) -> Cell<'a> {
    let device = slot.owner as usize - 1;
    match gen {
        Gen::Owner => Cell::Int(slot.owner as i64),
        Gen::KeyText(pool) => Cell::Text(&pool[slot.key]),
        Gen::KeyInt { base, step } => Cell::Int(base + step * slot.instance as i64),
        Gen::KeyTime => Cell::Text(&world.times[slot.key % TIMES]),
        Gen::Text {
            pool,
            by_os,
            nullable,
        } => {
            if *nullable && rng.gen_ratio(1, 25) {
                Cell::Null
            } else if *by_os {
                Cell::Text(&pool[usize::from(world.windows[device]) % pool.len()])
            } else {
                Cell::Text(&pool[rng.gen_range(0..pool.len())])
            }
        }
        Gen::Int { lo, hi } => Cell::Int(rng.gen_range(*lo..=*hi)),
        Gen::IntChoice(choices) => Cell::Int(choices[rng.gen_range(0..choices.len())]),
        Gen::Real { lo, hi } => Cell::Real((rng.gen_range(*lo..*hi) * 10.0).round() / 10.0),
        Gen::Time { nullable } => {
            if *nullable && rng.gen_ratio(1, 25) {
                Cell::Null
            } else {
                Cell::Text(&world.times[rng.gen_range(0..TIMES)])
            }
        }
        Gen::Ref { count } => Cell::Int(rng.gen_range(1..=*count) as i64),
        Gen::DeviceName => Cell::Text(&world.names[device]),
        Gen::OsKeyName => Cell::Text(&world.os_names[usize::from(world.windows[device])]),
        Gen::DeviceOs => Cell::Text(match world.family[device] {
            Family::Windows => pools::WINDOWS[usize::from(world.windows[device])].0,
            Family::Linux => "Red Hat Enterprise Linux Server release 5.4 (Tikanga)",
            Family::Solaris => "SunOS 5.10",
            Family::HpUx => "HP-UX B.11.31",
            Family::Pda => "Windows Mobile 6.1 Professional",
        }),
    }
}

fn bind(stmt: &mut rusqlite::Statement<'_>, cells: &[Cell<'_>]) -> rusqlite::Result<()> {
    for (i, c) in cells.iter().enumerate() {
        match *c {
            Cell::Null => stmt.raw_bind_parameter(i + 1, rusqlite::types::Null)?,
            Cell::Int(v) => stmt.raw_bind_parameter(i + 1, v)?,
            Cell::Real(v) => stmt.raw_bind_parameter(i + 1, v)?,
            Cell::Text(v) => stmt.raw_bind_parameter(i + 1, v)?,
        }
    }
    stmt.raw_execute().map(|_| ())
}

fn hash_hex(cells: &[Cell<'_>]) -> String {
    let values: Vec<Value> = cells.iter().map(|c| c.value()).collect();
    row_hash(&values)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Inserts every row of one table; returns how many.
pub(crate) fn fill_table(
    conn: &mut Connection,
    plan: &TablePlan,
    world: &World,
    rng: &mut ChaCha8Rng,
    defects: &DefectPlan,
    ledger: &mut DefectLedger,
) -> rusqlite::Result<u64> {
    let mut stmt = conn.prepare(&insert_sql(&plan.name, &plan.columns))?;
    let mut cells: Vec<Cell<'_>> = Vec::with_capacity(plan.gens.len());
    let mut rows = 0;
    let mut record = |kind, cells: &[Cell<'_>], description: String| {
        ledger.defects.push(Defect {
            table: plan.name.clone(),
            kind,
            row_hash: hash_hex(cells),
            description,
        })
    };
    for owner in plan.owners(world) {
        let count = rng.gen_range(plan.profile.min..=plan.profile.max);
        let offset = rng.gen_range(0..plan.key_len);
        for instance in 0..u64::from(count) {
            let slot = Slot {
                owner,
                instance,
                key: (offset + instance as usize) % plan.key_len,
            };
            cells.clear();
            for gen in &plan.gens {
                cells.push(cell(gen, &slot, world, rng));
            }
            let mut clean = true;
            if plan.defects_allowed {
                if let Some(col) = plan.orphan_col.filter(|_| rng.gen_bool(defects.orphans)) {
                    // Ids past the last device: never in Device.
                    let missing = world.devices + 1 + rng.gen_range(0..1000);
                    cells[col] = Cell::Int(missing as i64);
                    record(
                        DefectKind::Orphan,
                        &cells,
                        format!("MachineId {missing} is not in Device"),
                    );
                    clean = false;
                } else if let Some(col) = plan.null_col.filter(|_| rng.gen_bool(defects.nulls)) {
                    cells[col] = Cell::Null;
                    let column = &plan.columns[col];
                    record(
                        DefectKind::Null,
                        &cells,
                        format!("{column} is NULL (NOT NULL in 7.90)"),
                    );
                    clean = false;
                }
            }
            bind(&mut stmt, &cells)?;
            rows += 1;
            if clean && plan.defects_allowed && rng.gen_bool(defects.duplicates) {
                // Same key, values of a later scan: the 7.90 key keeps the first copy.
                for (i, gen) in plan.gens.iter().enumerate() {
                    if !plan.key[i] {
                        cells[i] = cell(gen, &slot, world, rng);
                    }
                }
                let key: Vec<String> = plan
                    .key
                    .iter()
                    .zip(&cells)
                    .zip(&plan.columns)
                    .filter(|((key, _), _)| **key)
                    .map(|((_, cell), column)| format!("{column}={}", cell.value()))
                    .collect();
                record(
                    DefectKind::Duplicate,
                    &cells,
                    format!("second row for key ({})", key.join(", ")),
                );
                bind(&mut stmt, &cells)?;
                rows += 1;
            }
        }
    }
    Ok(rows)
}

fn family_prefix(family: Family) -> &'static str {
    match family {
        Family::Windows => "WKS",
        Family::Linux => "lnx",
        Family::Solaris => "sol",
        Family::HpUx => "hpux",
        Family::Pda => "PDA",
    }
}
