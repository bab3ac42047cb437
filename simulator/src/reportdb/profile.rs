//! How many rows each table gets: which devices report a class, and how many instances a
//! device of that kind plausibly has. Figures follow what an inventory scan of a managed
//! Windows XP/7 desktop of the period returns (hundreds of products, hotfixes, services and
//! drivers; a few disks, adapters and processors); Unix classes only on the Unix minority,
//! HP BIOS classes only on HP hardware.

/// The operating-system family of a managed device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Windows,
    Linux,
    Solaris,
    HpUx,
    /// A handheld reporting through the PDA agent.
    Pda,
}

impl Family {
    /// Draws a family: Windows desktops dominate an HPCA estate.
    pub fn from_roll(roll: u32) -> Family {
        match roll % 100 {
            0..=85 => Family::Windows,
            86..=91 => Family::Linux,
            92..=94 => Family::Solaris,
            95..=97 => Family::HpUx,
            _ => Family::Pda,
        }
    }

    fn is_unix(self) -> bool {
        matches!(self, Family::Linux | Family::Solaris | Family::HpUx)
    }
}

/// Which owners a table has rows for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Owners {
    /// Every managed device (HPCA's own per-device tables).
    AllDevices,
    Windows,
    /// Windows devices on HP hardware (the HP BIOS WMI provider).
    HpWindows,
    Unix,
    Solaris,
    HpUx,
    Pda,
    /// Not per device: `groups(devices)` owners numbered from 1, the table's first key.
    Groups(fn(u64) -> u64),
}

impl Owners {
    /// Whether a device of `family` (on HP hardware or not) reports this table.
    pub fn covers(self, family: Family, hp: bool) -> bool {
        match self {
            Owners::AllDevices => true,
            Owners::Windows => family == Family::Windows,
            Owners::HpWindows => family == Family::Windows && hp,
            Owners::Unix => family.is_unix(),
            Owners::Solaris => family == Family::Solaris,
            Owners::HpUx => family == Family::HpUx,
            Owners::Pda => family == Family::Pda,
            Owners::Groups(_) => false,
        }
    }
}

/// A table's owners and its instances per owner (inclusive range).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Profile {
    pub owners: Owners,
    pub min: u32,
    pub max: u32,
}

const fn p(owners: Owners, min: u32, max: u32) -> Profile {
    Profile { owners, min, max }
}

fn jobs(devices: u64) -> u64 {
    // Every job task targets a device: no devices, no jobs.
    if devices == 0 {
        0
    } else {
        20 + devices / 20
    }
}
fn queries(devices: u64) -> u64 {
    40 + devices / 100
}
fn audit_events(devices: u64) -> u64 {
    devices * 2
}
fn zr_states(_: u64) -> u64 {
    6
}
fn audit_categories(_: u64) -> u64 {
    8
}
fn audit_types(_: u64) -> u64 {
    30
}
fn audit_attr_names(_: u64) -> u64 {
    24
}

/// The number of rows of a table not per device (a parent such as `JOBPARM`), so that a
/// child's reference stays inside its parent's keys.
pub(crate) fn group_count(table: &str, devices: u64) -> Option<u64> {
    match profile(table).owners {
        Owners::Groups(f) => Some(f(devices)),
        _ => None,
    }
}

/// The profile of a table of the catalogue.
pub(crate) fn profile(table: &str) -> Profile {
    use Owners::*;
    match table {
        "Device" => p(Groups(|n| n), 1, 1),
        "rWin32_WinSAT" => p(Windows, 0, 1),
        "rWin32_VideoController" => p(Windows, 1, 2),
        "rWin32_UserAccount" => p(Windows, 3, 12),
        "rWin32_USBController" => p(Windows, 2, 6),
        "rWin32_TimeZone" | "rWin32_SystemEnclosure" | "rWin32_MotherboardDevice" => {
            p(Windows, 1, 1)
        }
        "rWin32_SystemDriver" => p(Windows, 100, 160),
        "rWin32_StartupCommand" => p(Windows, 5, 20),
        "rWin32_SoundDevice" | "rWin32_SerialPort" | "rWin32_CDROMDrive" => p(Windows, 0, 2),
        "rWin32_SoftwareFeature" => p(Windows, 40, 120),
        "rWin32_SoftwareElement" => p(Windows, 20, 60),
        "rWin32_Share" => p(Windows, 3, 8),
        "rWin32_Service" => p(Windows, 120, 180),
        "rwin32_quickfixengineering" => p(Windows, 60, 200),
        "rWin32_Product" => p(Windows, 80, 200),
        "rWin32_Processor" | "rWin32_DesktopMonitor" | "rWin32_PointingDevice" => p(Windows, 1, 2),
        "rWin32_Process" => p(Windows, 50, 100),
        "rWin32_Printer" => p(Windows, 2, 8),
        "rWin32_PortResource" => p(Windows, 20, 40),
        "rwin32_portablebattery" | "rWin32_ParallelPort" | "rWin32_FloppyDrive" => p(Windows, 0, 1),
        "rWin32_FloppyController" | "rWiFi_NetworkAdapter" => p(Windows, 0, 1),
        "rWin32_PnPEntity" => p(Windows, 60, 120),
        "rWin32_PhysicalMemory" | "rWin32_MemoryDevice" => p(Windows, 1, 4),
        "rWin32_PageFileUsage" | "rWin32_PageFileSetting" | "rWin32_PageFile" => p(Windows, 1, 1),
        "rWin32_OperatingSystem" | "rWin32_LogicalMemoryConf" | "rWin32_Keyboard" => {
            p(Windows, 1, 1)
        }
        "rWin32_NetworkLoginProfile" => p(Windows, 2, 8),
        "rWin32_NetworkConnection" => p(Windows, 0, 4),
        "rWin32_NetworkAdapterConf" | "rWin32_NetworkAdapter" => p(Windows, 8, 16),
        "rWin32_MemoryArray" => p(Windows, 1, 2),
        "rWin32_LogicalProgramGroup" => p(Windows, 5, 25),
        "rWin32_LogicalDisk" => p(Windows, 2, 5),
        "rWin32_LoadOrderGroup" => p(Windows, 30, 45),
        "rWin32_IRQResource" => p(Windows, 15, 30),
        "rWin32_IDEController" => p(Windows, 1, 3),
        "rWin32_Group" => p(Windows, 15, 25),
        "rWin32_Environment" => p(Windows, 20, 35),
        "rWin32_DMACHannel" => p(Windows, 2, 6),
        "rWin32_DisplayControllerConf" | "rWin32_DisplayConf" | "rWin32_BootConf" => {
            p(Windows, 1, 1)
        }
        "rWin32_DiskPartition" => p(Windows, 1, 4),
        "rWin32_DiskDrive" => p(Windows, 1, 3),
        "rWin32_DeviceMemoryAddress" => p(Windows, 10, 30),
        "rWin32_Desktop" => p(Windows, 3, 8),
        "rWin32_ComputerSystemProduct" | "rWin32_ComputerSystem" => p(Windows, 1, 1),
        "rWin32_CacheMemory" => p(Windows, 2, 4),
        "rWin32_Bus" => p(Windows, 3, 8),
        "rWin32_BIOS" | "rwin32_baseboard" => p(Windows, 1, 1),
        "rRegistry" => p(Windows, 20, 40),
        "rNVD_WBEMStatus" => p(Windows, 5, 12),
        "rNVD_INSTALLED_UNINSTALL" => p(Windows, 50, 110),
        "rNVD_INSTALLED_APPS" => p(Windows, 10, 40),
        "rNVD_DownloadStatistics" => p(Windows, 0, 10),
        "rNVD_MulticastStatistics" => p(Windows, 0, 2),
        "rMSSD_FailurePredictStatus" => p(Windows, 1, 3),
        "rMSSD_AttributeData" => p(Windows, 15, 30),
        "rhp_biosstring" => p(HpWindows, 20, 40),
        "rhp_biossensor" => p(HpWindows, 3, 8),
        "rhp_biospassword" => p(HpWindows, 2, 3),
        "rhp_biosorderedlist" => p(HpWindows, 2, 4),
        "rhp_biosinteger" => p(HpWindows, 5, 10),
        "rhp_biosevent" => p(HpWindows, 0, 5),
        "rhp_biosenumeration" => p(HpWindows, 40, 80),
        "rNVD_UserAccount" => p(Unix, 10, 40),
        "rNVD_Product" => p(Unix, 200, 600),
        "rNVD_NISUserAccount" => p(Unix, 0, 20),
        "rNVD_NISGroupAccount" => p(Unix, 0, 10),
        "rNVD_GroupMember" => p(Unix, 10, 40),
        "rNVD_GroupAccount" => p(Unix, 20, 50),
        "rNVD_SolarisPatch" => p(Solaris, 100, 300),
        "rCIM_HPUX_SwBundles" => p(HpUx, 30, 80),
        "rNVD_PDASystem" => p(Pda, 1, 1),
        "rCIM_UnixOperatingSystem" | "rCIM_UnixComputerSystem" | "rCIM_OperatingSystem" => {
            p(Unix, 1, 1)
        }
        "rCIM_ComputerSystem" => p(Unix, 1, 1),
        "rCIM_UnixLocalFileSystem" => p(Unix, 5, 15),
        "rCIM_StorageVolume" | "rCIM_ResidesOnExtent" | "rCIM_MediaPresent" => p(Unix, 1, 4),
        "rCIM_LogicalDiskBasedOnVolume" | "rCIM_DiskDrive" | "rCIM_EthernetAdapter" => {
            p(Unix, 1, 4)
        }
        "rCIM_SoftwareFeatureElements" | "rCIM_SoftwareFeature" | "rCIM_SoftwareElement" => {
            p(Unix, 20, 60)
        }
        "rCIM_ProductSoftwareFeatures" | "rCIM_Product" => p(Unix, 20, 60),
        "rCIM_Service" => p(Unix, 40, 100),
        "rCIM_SCSIInterface" => p(Unix, 0, 4),
        "rCIM_SCSIController" | "rCIM_IDEController" => p(Unix, 0, 2),
        "rCIM_Processor" => p(Unix, 1, 8),
        "rCIM_Process" => p(Unix, 60, 200),
        "rCIM_ParallelController" | "rCIM_DVDDrive" | "rCIM_CDROMDrive" => p(Unix, 0, 1),
        "rCIM_NFS" => p(Unix, 0, 6),
        "rCIM_LogicalDisk" => p(Unix, 2, 8),
        "rCIM_Export" => p(Unix, 0, 5),
        "rCIM_Directory" => p(Unix, 10, 30),
        "DeviceUserGroup" => p(AllDevices, 1, 4),
        "SMBiosInfo" | "DeviceSynopsis" | "DeviceStatus" | "DeviceState" | "ADInfo" => {
            p(AllDevices, 1, 1)
        }
        "Query" => p(Groups(queries), 1, 1),
        "DeviceNotify" => p(AllDevices, 1, 2),
        "FileAudit" => p(AllDevices, 0, 10),
        "DeviceZRStates" => p(AllDevices, 0, 3),
        "DeviceZRState" => p(Groups(zr_states), 1, 1),
        "HDeviceStatus" => p(AllDevices, 2, 10),
        "HDeviceState" => p(AllDevices, 2, 8),
        "DeviceServices" => p(AllDevices, 5, 25),
        "DeviceMap" => p(AllDevices, 3, 8),
        "HDeviceErrors" => p(AllDevices, 0, 6),
        "DeviceErrors" => p(AllDevices, 0, 3),
        "Audit_Type" => p(Groups(audit_types), 1, 1),
        // Attributes per event, numbered 1..: at most Audit_AttrNames' 24.
        "Audit_Attrs" => p(Groups(audit_events), 2, 5),
        "Audit_Event" => p(Groups(audit_events), 1, 1),
        "Audit_Cat" => p(Groups(audit_categories), 1, 1),
        "Audit_AttrNames" => p(Groups(audit_attr_names), 1, 1),
        "HAppEvent" => p(AllDevices, 0, 15),
        "AppEvent" => p(AllDevices, 0, 6),
        "HAppRNPEvent" => p(AllDevices, 0, 8),
        "AppRNPEvent" => p(AllDevices, 0, 3),
        "HAppMSIEvent" => p(AllDevices, 0, 10),
        "AppMSIEvent" => p(AllDevices, 0, 4),
        "JOBTASK" => p(Groups(jobs), 5, 40),
        "HJOBSTAT" => p(Groups(jobs), 2, 6),
        "JOBSTAT" | "JOBPARM" => p(Groups(jobs), 1, 1),
        "HDeviceConfig" => p(AllDevices, 2, 10),
        "DeviceConfig" => p(AllDevices, 5, 15),
        other => panic!("reportdb: no row profile for catalogue table {other}"),
    }
}
