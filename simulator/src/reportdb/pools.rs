//! Plausible values, built once per table before its rows: generating a row then only picks
//! from these pools (no formatting, no allocation per row), which keeps fabrication fast.

/// Vendors as Add/Remove Programs and WMI report them.
pub(crate) const VENDORS: &[&str] = &[
    "Microsoft Corporation",
    "Hewlett-Packard",
    "Hewlett-Packard Company",
    "Adobe Systems Incorporated",
    "Intel Corporation",
    "Intel(R) Corporation",
    "Advanced Micro Devices, Inc.",
    "NVIDIA Corporation",
    "ATI Technologies Inc.",
    "Broadcom Corporation",
    "Realtek Semiconductor Corp.",
    "Sun Microsystems, Inc.",
    "Symantec Corporation",
    "McAfee, Inc.",
    "Citrix Systems, Inc.",
    "Oracle",
    "Apple Inc.",
    "Mozilla",
    "SAP",
    "IBM",
    "Conexant",
    "SigmaTel",
    "Synaptics",
    "Standard system devices",
];

/// Product names of the period, as `Win32_Product.Name` reports them.
pub(crate) const PRODUCTS: &[&str] = &[
    "Microsoft Office Professional Plus 2007",
    "Microsoft Office Standard 2010",
    "Microsoft .NET Framework 3.5 SP1",
    "Microsoft .NET Framework 4 Client Profile",
    "Microsoft Visual C++ 2005 Redistributable",
    "Microsoft Visual C++ 2008 Redistributable - x86 9.0.30729.4148",
    "Microsoft Silverlight",
    "Microsoft SQL Server 2005 Express Edition",
    "Microsoft Office Outlook Connector",
    "MSXML 6.0 Parser",
    "Adobe Reader 9.3.4",
    "Adobe Flash Player 10 ActiveX",
    "Adobe AIR",
    "Adobe Shockwave Player 11.5",
    "Java(TM) 6 Update 21",
    "Java(TM) 6 Update 17",
    "HP Client Automation Agent",
    "HP Client Automation Application Self-service Manager",
    "HP ProtectTools Security Manager",
    "HP Quick Launch Buttons",
    "HP Power Assistant",
    "HP Support Assistant",
    "HP Update",
    "HP SoftPaq Download Manager",
    "Intel(R) Management Engine Components",
    "Intel(R) Graphics Media Accelerator Driver",
    "Intel(R) Rapid Storage Technology",
    "Synaptics Pointing Device Driver",
    "Realtek High Definition Audio Driver",
    "Broadcom Gigabit NetLink Controller",
    "Symantec Endpoint Protection",
    "McAfee VirusScan Enterprise",
    "Citrix Online Plug-in - web",
    "Mozilla Firefox (3.6.8)",
    "WinZip 12.1",
    "7-Zip 9.20",
    "Skype 4.2",
    "SAP GUI for Windows 7.10",
    "Cisco Systems VPN Client 5.0.07.0290",
    "Roxio Creator Business",
    "InterVideo WinDVD 8",
    "PDF Complete Special Edition",
    "Google Update Helper",
    "Apple Software Update",
    "QuickTime",
    "RealPlayer",
    "Windows Live Essentials",
    "Microsoft Office Communicator 2007 R2",
];

/// Windows services (`Win32_Service.Name`).
pub(crate) const SERVICES: &[&str] = &[
    "AeLookupSvc",
    "ALG",
    "AppMgmt",
    "AudioSrv",
    "BITS",
    "Browser",
    "CryptSvc",
    "DcomLaunch",
    "Dhcp",
    "Dnscache",
    "ERSvc",
    "Eventlog",
    "EventSystem",
    "FastUserSwitchingCompatibility",
    "helpsvc",
    "HidServ",
    "HTTPFilter",
    "lanmanserver",
    "lanmanworkstation",
    "LmHosts",
    "MSDTC",
    "MSIServer",
    "Netlogon",
    "Netman",
    "Nla",
    "NtLmSsp",
    "PlugPlay",
    "PolicyAgent",
    "ProtectedStorage",
    "RasMan",
    "RemoteRegistry",
    "RpcSs",
    "SamSs",
    "Schedule",
    "seclogon",
    "SENS",
    "SharedAccess",
    "ShellHWDetection",
    "Spooler",
    "srservice",
    "SSDPSRV",
    "stisvc",
    "TapiSrv",
    "TermService",
    "Themes",
    "TrkWks",
    "W32Time",
    "WebClient",
    "winmgmt",
    "wscsvc",
    "wuauserv",
    "WZCSVC",
    "xmlprov",
    "RadexecService",
    "RadiaMAS",
    "HPCA Notify",
    "HPCA Scheduler",
    "CcmExec",
    "Symantec AntiVirus",
    "McShield",
];

/// Kernel and file-system drivers (`Win32_SystemDriver.Name`).
pub(crate) const DRIVERS: &[&str] = &[
    "ACPI",
    "acpiec",
    "AFD",
    "agp440",
    "atapi",
    "Beep",
    "cdrom",
    "Disk",
    "e1express",
    "Fastfat",
    "Fips",
    "fltMgr",
    "HDAudBus",
    "i8042prt",
    "intelppm",
    "IPSec",
    "isapnp",
    "kbdclass",
    "KSecDD",
    "mnmdd",
    "Modem",
    "mouclass",
    "MountMgr",
    "MRxSmb",
    "Msfs",
    "Mup",
    "NDIS",
    "NetBT",
    "Npfs",
    "Ntfs",
    "Null",
    "PartMgr",
    "Parport",
    "PCI",
    "PCIIde",
    "Rdbss",
    "RDPCDD",
    "redbook",
    "Serial",
    "sr",
    "Srv",
    "swenum",
    "Tcpip",
    "Udfs",
    "usbehci",
    "usbhub",
    "usbuhci",
    "VgaSave",
    "volsnap",
    "Wanarp",
    "WDMAUD",
];

/// Processes (`Win32_Process.Name`).
pub(crate) const PROCESSES: &[&str] = &[
    "System Idle Process",
    "System",
    "smss.exe",
    "csrss.exe",
    "winlogon.exe",
    "services.exe",
    "lsass.exe",
    "svchost.exe",
    "spoolsv.exe",
    "explorer.exe",
    "ctfmon.exe",
    "iexplore.exe",
    "OUTLOOK.EXE",
    "WINWORD.EXE",
    "EXCEL.EXE",
    "radexecd.exe",
    "radsched.exe",
    "nvdkit.exe",
    "Rtvscan.exe",
    "ccSvcHst.exe",
    "jusched.exe",
    "wmiprvse.exe",
    "alg.exe",
    "wuauclt.exe",
];

/// Processors of the period (`Win32_Processor.Name`).
pub(crate) const CPUS: &[&str] = &[
    "Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz",
    "Intel(R) Core(TM)2 Duo CPU     E6550  @ 2.33GHz",
    "Intel(R) Core(TM)2 Quad CPU    Q9400  @ 2.66GHz",
    "Intel(R) Core(TM) i5 CPU       M 520  @ 2.40GHz",
    "Intel(R) Core(TM) i7 CPU       860  @ 2.80GHz",
    "Intel(R) Pentium(R) 4 CPU 3.00GHz",
    "Intel(R) Pentium(R) D CPU 3.40GHz",
    "AMD Athlon(tm) 64 X2 Dual Core Processor 4400+",
    "AMD Phenom(tm) II X4 945 Processor",
    "Intel(R) Xeon(R) CPU           E5520  @ 2.27GHz",
];

/// (Caption, Version, BuildNumber, CSDVersion): one index gives a consistent operating system.
pub(crate) const WINDOWS: &[(&str, &str, &str, &str)] = &[
    (
        "Microsoft Windows XP Professional",
        "5.1.2600",
        "2600",
        "Service Pack 3",
    ),
    (
        "Microsoft Windows XP Professional",
        "5.1.2600",
        "2600",
        "Service Pack 2",
    ),
    (
        "Microsoft Windows XP Professional",
        "5.1.2600",
        "2600",
        "Service Pack 3",
    ),
    ("Microsoft Windows 7 Enterprise ", "6.1.7600", "7600", ""),
    (
        "Microsoft Windows 7 Professional ",
        "6.1.7601",
        "7601",
        "Service Pack 1",
    ),
    (
        "Microsoft® Windows Vista™ Business ",
        "6.0.6002",
        "6002",
        "Service Pack 2",
    ),
    (
        "Microsoft(R) Windows(R) Server 2003, Enterprise Edition",
        "5.2.3790",
        "3790",
        "Service Pack 2",
    ),
    (
        "Microsoft Windows Server 2008 R2 Enterprise ",
        "6.1.7600",
        "7600",
        "",
    ),
];

/// Computer models (`Win32_ComputerSystem.Model`).
pub(crate) const MODELS: &[&str] = &[
    "HP Compaq dc7800p Convertible Minitower",
    "HP Compaq dc7900 Small Form Factor",
    "HP Compaq 8000 Elite SFF PC",
    "HP Compaq 6000 Pro MT PC",
    "HP EliteBook 8440p",
    "HP EliteBook 6930p",
    "HP ProBook 6550b",
    "HP Compaq nc6400",
    "ProLiant DL380 G6",
    "OptiPlex 755",
    "Latitude E6400",
    "ThinkCentre M58",
];

/// Domains, users and paths that recur across many columns.
pub(crate) const DOMAINS: &[&str] = &["CORP", "EMEA", "AMER", "APAC", "WORKGROUP"];
pub(crate) const USERS: &[&str] = &[
    "CORP\\jsmith",
    "CORP\\mgarcia",
    "EMEA\\hmueller",
    "EMEA\\fdupont",
    "AMER\\kbrown",
    "APAC\\tnakamura",
    "NT AUTHORITY\\SYSTEM",
    "LocalSystem",
    "NT AUTHORITY\\NetworkService",
    "Administrator",
];
pub(crate) const PATHS: &[&str] = &[
    "C:\\WINDOWS\\system32",
    "C:\\WINDOWS",
    "C:\\Program Files\\Hewlett-Packard\\HPCA\\Agent",
    "C:\\Program Files\\Common Files\\Microsoft Shared",
    "C:\\Program Files\\Microsoft Office\\Office12",
    "C:\\Program Files\\Adobe\\Reader 9.0\\Reader",
    "C:\\WINDOWS\\Installer",
    "C:\\Documents and Settings\\All Users",
    "C:\\Users\\Public",
    "C:\\TEMP",
    "/usr/local/bin",
    "/opt/HP/CM/Agent",
    "/export/home",
    "/var/tmp",
];
pub(crate) const VERSIONS: &[&str] = &[
    "1.0.0",
    "2.1.3",
    "5.1.2600.5512",
    "6.1.7600.16385",
    "8.0.50727.42",
    "9.0.30729.4148",
    "10.1.85.3",
    "3.5.30729",
    "7.20.0.0",
    "7.50.0.0",
    "11.0.5510",
    "12.0.6425.1000",
    "4.0.30319",
    "6.14.10.4971",
];
pub(crate) const ENV_VARS: &[&str] = &[
    "ComSpec",
    "FP_NO_HOST_CHECK",
    "NUMBER_OF_PROCESSORS",
    "OS",
    "Path",
    "PATHEXT",
    "PROCESSOR_ARCHITECTURE",
    "PROCESSOR_IDENTIFIER",
    "PROCESSOR_LEVEL",
    "PROCESSOR_REVISION",
    "TEMP",
    "TMP",
    "windir",
    "USERPROFILE",
    "HOMEDRIVE",
    "HOMEPATH",
    "JAVA_HOME",
    "CLASSPATH",
    "NVDKIT_HOME",
    "RADIA_HOME",
];

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
            own(PATHS)
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
