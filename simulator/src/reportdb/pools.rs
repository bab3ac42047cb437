//! Plausible values, built once per table before its rows: generating a row then only picks
//! from these pools (no formatting, no allocation per row), which keeps fabrication fast.

mod lists;

pub(crate) use lists::*;

/// A cheap, fixed mixing function (splitmix64) for key values that must look arbitrary but
/// be a pure function of their index.
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn guid(seed: u64, k: u64) -> String {
    let a = mix(seed ^ k);
    let b = mix(a ^ 0x5151);
    format!(
        "{{{:08X}-{:04X}-{:04X}-{:04X}-{:012X}}}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFFF,
        b >> 48,
        b & 0xFFFF_FFFF_FFFF
    )
}

fn listed(list: &[&str], k: usize, more: impl Fn(&str, usize) -> String) -> String {
    if k < list.len() {
        list[k].to_string()
    } else {
        more(list[k % list.len()], k / list.len())
    }
}

/// The `k`-th distinct value of key column `column` of `table`. Distinct for distinct `k`,
/// which is what keeps a clean row's key unique within its device.
pub(crate) fn key_text(table: &str, column: &str, k: usize, salt: u64) -> String {
    let t = table.to_ascii_lowercase();
    match column {
        "IdentifyingNumber" | "ProductCode" | "SoftwareElementID" => guid(salt, k as u64),
        "HotFixID" | "PatchID" => format!(
            "{}{}",
            if column == "PatchID" { "1" } else { "KB" },
            // 7919 is prime to 10^6, so distinct k < 10^6 give distinct numbers.
            100_000 + (k as u64 * 7919) % 900_000
        ),
        "Name" | "DisplayName" | "ProductName"
            if t.contains("product") || t.contains("uninstall") || t.contains("feature") =>
        {
            listed(PRODUCTS, k, |p, n| {
                format!("Security Update for {p} (KB{})", 950_000 + n * 131 + k)
            })
        }
        "Name" if t.ends_with("service") => listed(SERVICES, k, |s, n| format!("{s}{n}")),
        "Name" if t.ends_with("systemdriver") => listed(DRIVERS, k, |s, n| format!("{s}{n}")),
        "Name" if t.ends_with("environment") => listed(ENV_VARS, k, |s, n| format!("{s}_{n}")),
        "Handle" => (4 * k + 4).to_string(),
        "DeviceID" if t.ends_with("logicaldisk") && k < 24 => {
            format!("{}:", (b'C' + k as u8) as char)
        }
        "DeviceID" if t.ends_with("processor") => format!("CPU{k}"),
        "DeviceID" if t.ends_with("diskdrive") => format!("\\\\.\\PHYSICALDRIVE{k}"),
        "DeviceID" if t.ends_with("diskpartition") => {
            format!("Disk #{}, Partition #{}", k / 4, k % 4)
        }
        "DeviceID" => format!(
            "ROOT\\{}\\{k:04}",
            t.trim_start_matches("rwin32_")
                .trim_start_matches("rcim_")
                .to_ascii_uppercase()
        ),
        "Domain" => format!(
            "{}{}",
            DOMAINS[k % DOMAINS.len()],
            if k < DOMAINS.len() {
                String::new()
            } else {
                (k / DOMAINS.len()).to_string()
            }
        ),
        "Version" | "DisplayVersion" => format!("{}.{}.{}", 1 + k % 9, k / 9 % 10, k),
        "UserName" | "User" => listed(USERS, k, |u, n| format!("{u}{n}")),
        _ => format!("{column}-{k:04}"),
    }
}

/// A small pool of plausible values for a non-key text column.
pub(crate) fn text_pool(table: &str, column: &str) -> Vec<String> {
    let t = table.to_ascii_lowercase();
    let unix = t.starts_with("rcim_") || t.starts_with("rnvd_") && !t.contains("installed");
    let own = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let os = |i: usize| {
        WINDOWS
            .iter()
            .map(|w| [w.0, w.1, w.2, w.3][i].to_string())
            .collect()
    };
    match column {
        "Manufacturer" | "Vendor" | "Publisher" | "CompanyName" | "MonitorManufacturer" | "OEM" => {
            own(VENDORS)
        }
        "Caption" if t.ends_with("operatingsystem") => os(0),
        "Version" if t.ends_with("operatingsystem") => os(1),
        "BuildNumber" => os(2),
        "CSDVersion" => os(3),
        "OsName" => os(0),
        "Name" | "CpuModel" if t.contains("processor") => own(CPUS),
        "CpuModel" => own(CPUS),
        "Model" | "Product" => own(MODELS),
        "State" => own(&["Running", "Running", "Stopped"]),
        "StartMode" => own(&["Auto", "Manual", "Disabled"]),
        "Status" => own(&["OK", "OK", "OK", "OK", "Degraded", "Error"]),
        "ServiceType" => own(&[
            "Own Process",
            "Share Process",
            "Kernel Driver",
            "File System Driver",
        ]),
        "Domain" | "DNSDomain" => own(DOMAINS),
        "UserName" | "User" | "InstalledBy" | "StartName" | "Owner" | "PrimaryOwnerName" => {
            own(USERS)
        }
        "DisplayName" if t.ends_with("service") => own(SERVICES),
        "DisplayName" | "ProductName" => own(PRODUCTS),
        "Name" if t.ends_with("process") => own(PROCESSES),
        c if c.ends_with("Path")
            || c.ends_with("Directory")
            || c.ends_with("Location")
            || c == "Root"
            || c == "PackageCache"
            || c == "Path" =>
        {
            if unix {
                own(UNIX_PATHS)
            } else {
                own(PATHS)
            }
        }
        c if c.contains("Version") => own(VERSIONS),
        "MACAddress" | "PermanentAddress" => (0..48u64)
            .map(|i| {
                let m = mix(i);
                format!(
                    "00:1E:0B:{:02X}:{:02X}:{:02X}",
                    m & 0xFF,
                    (m >> 8) & 0xFF,
                    (m >> 16) & 0xFF
                )
            })
            .collect(),
        "IPAddress" | "DefaultIPGateway" => (0..48u64)
            .map(|i| {
                format!(
                    "10.{}.{}.{}",
                    16 + i % 8,
                    mix(i) % 250,
                    1 + mix(i + 99) % 250
                )
            })
            .collect(),
        "IPSubnet" => own(&["255.255.255.0", "255.255.254.0", "255.255.0.0"]),
        _ => (0..16).map(|i| format!("{column} {i}")).collect(),
    }
}

/// The values a non-key integer column takes when WMI defines a small set (CIM value maps,
/// display modes), rather than a range.
pub(crate) fn int_choices(column: &str) -> Option<&'static [i64]> {
    Some(match column {
        "AddressWidth" => &[32, 32, 64],
        // CIM_Processor.Architecture: 0 x86, 9 x64.
        "Architecture" => &[0, 0, 9],
        "CurrentBitsPerPixel" | "BitsPerPixel" | "BitsPerPel" => &[16, 32, 32],
        "CurrentHorizontalResolution" | "HorizontalResolution" | "PelsWidth" | "ScreenWidth" => {
            &[1024, 1280, 1440, 1680, 1920]
        }
        "CurrentVerticalResolution" | "VerticalResolution" | "PelsHeight" | "ScreenHeight" => {
            &[768, 900, 1024, 1050, 1200]
        }
        // Win32_LogicalDisk.DriveType: 2 removable, 3 local, 4 network, 5 CD.
        "DriveType" => &[3, 3, 3, 2, 4, 5],
        "OSLanguage" => &[1033, 1033, 1031, 1036, 1041, 2057],
        "ServicePackMajorVersion" => &[0, 1, 2, 3],
        "NumberOfCores" | "NumberOfProcessors" => &[1, 2, 2, 4],
        "NumberOfLogicalProcessors" => &[1, 2, 4, 8],
        "L2CacheSize" => &[512, 1024, 2048, 4096, 6144],
        "DisplayFrequency" | "RefreshRate" => &[60, 60, 75],
        "MaxBaudRate" => &[115_200],
        "Level" => &[3, 4, 5],
        "DomainRole" => &[1, 1, 1, 3],
        "MemoryType" => &[0, 20, 21, 24],
        "FormFactor" => &[8, 12],
        _ => return None,
    })
}

/// The range a non-key integer column's values are drawn from.
pub(crate) fn int_range(column: &str) -> (i64, i64) {
    let c = column.to_ascii_lowercase();
    let flag = [
        "started",
        "shared",
        "disabled",
        "local",
        "network",
        "default",
        "enabled",
        "active",
        "loaded",
        "compressed",
        "bootable",
        "primarypartition",
        "passwordexpires",
        "partofdomain",
        "isset",
        "isreadonly",
        "physicaladapter",
        "fixedmedia",
        "readable",
        "writeable",
        "hardmount",
        "fullduplex",
        "systemvariable",
        "hardware",
        "shareable",
        "burstmode",
        "predictfailure",
        "dmasupport",
    ];
    if flag.iter().any(|f| c.ends_with(f)) {
        (0, 1)
    } else if [
        "size", "capacity", "memory", "bytes", "space", "ram", "usage", "address", "blocks",
    ]
    .iter()
    .any(|f| c.contains(f))
    {
        (1 << 20, 1 << 38)
    } else if c.contains("speed") || c.contains("clock") {
        (800, 3600)
    } else if c.contains("processid") {
        (4, 65_535)
    } else if c.contains("bias") {
        (-720, 720)
    } else if c.contains("code") {
        (0, 1_700)
    } else {
        (0, 255)
    }
}
