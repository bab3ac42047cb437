//! The HPCA reporting tables as data: every Appendix A table and the parents they reference,
//! written compactly and expanded per version by [`super::schema`].
//!
//! Column notation: `Name[:type][*|!]`, type `I` integer, `R` real, `T` text (the default),
//! `D` timestamp; `*` marks a 7.90 primary-key column, `!` a column 7.90 made NOT NULL.
//! The `r*` inventory tables carry the real property names and types of their WMI/CIM class,
//! with the class's key properties as the key (beside the device).
//!
//! The device column of every child table is `MachineId`, not `DeviceId`: the WMI classes
//! have a `DeviceID` property of their own, and SQL column names ignore case.

use crate::product::Version;

/// One table as written here.
pub(crate) struct Spec {
    pub name: &'static str,
    /// The first version whose reporting schema has the table.
    pub since: Version,
    /// Whether the table starts with the `MachineId` key column referencing `Device`.
    pub per_device: bool,
    pub columns: &'static str,
    /// Further foreign keys: (column, parent table, parent column); 7.80 and later only.
    pub foreign_keys: &'static [(&'static str, &'static str, &'static str)],
}

const fn d(name: &'static str, columns: &'static str) -> Spec {
    Spec {
        name,
        since: Version::V720,
        per_device: true,
        columns,
        foreign_keys: &[],
    }
}

// HP's BIOS WMI provider (root\HP\InstrumentedBIOS) first shipped with the 2009 business
// PCs, after 7.20; 7.50 was the first release to inventory it.
const fn hp_bios(name: &'static str, columns: &'static str) -> Spec {
    Spec {
        since: Version::V750,
        ..d(name, columns)
    }
}

const fn global(
    name: &'static str,
    columns: &'static str,
    foreign_keys: &'static [(&'static str, &'static str, &'static str)],
) -> Spec {
    Spec {
        name,
        since: Version::V720,
        per_device: false,
        columns,
        foreign_keys,
    }
}

const fn d_fk(
    name: &'static str,
    columns: &'static str,
    foreign_keys: &'static [(&'static str, &'static str, &'static str)],
) -> Spec {
    Spec {
        foreign_keys,
        ..d(name, columns)
    }
}

/// The device every inventory row belongs to. Not in Appendix A: sqlmigrate never drops it,
/// so it keeps its key in every version, and the re-created tables can reference it.
pub(crate) const DEVICE: Spec = global(
    "Device",
    "DeviceId:I* DeviceName! Domain OsName LastConnect:D CreatedAt:D!",
    &[],
);

/// The Appendix A tables, in the guide's order (drop order).
pub(crate) const TABLES: &[Spec] = &[
    // WinSAT scores exist from Windows Vista's assessment tool; inventory of them came with
    // 7.50's Windows 7 support, so the 7.20 schema has no such table.
    Spec {
        since: Version::V750,
        ..d("rWin32_WinSAT", "TimeTaken* CPUScore:R! D3DScore:R DiskScore:R GraphicsScore:R MemoryScore:R WinSPRLevel:R WinSATAssessmentState:I")
    },
    d("rWin32_VideoController", "DeviceID* Name! AdapterRAM:I DriverVersion VideoProcessor CurrentHorizontalResolution:I CurrentVerticalResolution:I CurrentBitsPerPixel:I"),
    d("rWin32_UserAccount", "Domain* Name* SID! FullName Disabled:I LocalAccount:I PasswordExpires:I"),
    d("rWin32_USBController", "DeviceID* Name! Manufacturer PNPDeviceID ProtocolSupported:I"),
    d("rWin32_TimeZone", "Caption* Bias:I! DaylightBias:I StandardName DaylightName"),
    d("rWin32_SystemEnclosure", "Tag* Manufacturer! ChassisTypes SerialNumber SMBIOSAssetTag"),
    d("rWin32_SystemDriver", "Name* DisplayName! PathName ServiceType StartMode State Started:I"),
    d("rWin32_StartupCommand", "Name* Location* User* Command!"),
    d("rWin32_SoundDevice", "DeviceID* Name! Manufacturer ProductName Status"),
    d("rWin32_SoftwareFeature", "IdentifyingNumber* Name* ProductName* Vendor* Version* Caption! InstallState:I InstallDate:D"),
    d("rWin32_SoftwareElement", "Name* SoftwareElementID* SoftwareElementState:I* TargetOperatingSystem:I* Version* Path! Manufacturer"),
    d("rWin32_Share", "Name* Path! Type:I Description MaximumAllowed:I"),
    d("rWin32_Service", "Name* DisplayName! PathName ServiceType StartMode! State! StartName ProcessId:I Started:I"),
    d("rWin32_SerialPort", "DeviceID* Name! MaxBaudRate:I ProviderType PNPDeviceID"),
    d("rwin32_quickfixengineering", "HotFixID* ServicePackInEffect* Description! InstalledBy InstalledOn:D FixComments Caption"),
    d("rWin32_Product", "IdentifyingNumber* Name* Version* Vendor! InstallDate:D InstallLocation PackageCache Language"),
    d("rWin32_Processor", "DeviceID* Name! Manufacturer MaxClockSpeed:I CurrentClockSpeed:I NumberOfCores:I NumberOfLogicalProcessors:I AddressWidth:I Architecture:I ProcessorId L2CacheSize:I"),
    d("rWin32_Process", "Handle* Name! ExecutablePath ProcessId:I ParentProcessId:I ThreadCount:I WorkingSetSize:I CreationDate:D"),
    d("rWin32_Printer", "DeviceID* Name! DriverName PortName Shared:I Default:I Network:I Local:I"),
    d("rWin32_PortResource", "StartingAddress:I* EndingAddress:I Name! Alias:I"),
    d("rwin32_portablebattery", "DeviceID* Name! Manufacturer Chemistry:I DesignCapacity:I DesignVoltage:I Location"),
    d("rWin32_PointingDevice", "DeviceID* Name! Manufacturer NumberOfButtons:I PointingType:I HardwareType"),
    d("rWin32_PnPEntity", "DeviceID* Name! Manufacturer ClassGuid Service Status ConfigManagerErrorCode:I"),
    d("rWin32_PhysicalMemory", "Tag* Capacity:I! BankLabel DeviceLocator Speed:I Manufacturer PartNumber FormFactor:I MemoryType:I"),
    d("rWin32_ParallelPort", "DeviceID* Name! Availability:I PNPDeviceID"),
    d("rWin32_PageFileUsage", "Name* AllocatedBaseSize:I! CurrentUsage:I PeakUsage:I InstallDate:D"),
    d("rWin32_PageFileSetting", "SettingID* Name! InitialSize:I MaximumSize:I"),
    d("rWin32_PageFile", "Name* FileSize:I! InitialSize:I MaximumSize:I Drive InstallDate:D"),
    d("rWin32_OperatingSystem", "Name* Caption! Version! BuildNumber! CSDVersion OSArchitecture ServicePackMajorVersion:I InstallDate:D LastBootUpTime:D TotalVisibleMemorySize:I FreePhysicalMemory:I SystemDirectory WindowsDirectory SerialNumber Locale OSLanguage:I"),
    d("rWin32_NetworkLoginProfile", "Name* FullName! LastLogon:D NumberOfLogons:I HomeDirectory Privileges:I"),
    d("rWin32_NetworkConnection", "Name* LocalName RemoteName! ConnectionState Persistent:I UserName"),
    d("rWin32_NetworkAdapterConf", "Index:I* Description! DHCPEnabled:I IPAddress IPSubnet DefaultIPGateway MACAddress DNSHostName DNSDomain IPEnabled:I"),
    d("rWin32_NetworkAdapter", "DeviceID* Name! AdapterType MACAddress Manufacturer NetConnectionID Speed:I PhysicalAdapter:I"),
    d("rWin32_MotherboardDevice", "DeviceID* Name! PrimaryBusType SecondaryBusType Status"),
    d("rWin32_MemoryDevice", "DeviceID* Name! StartingAddress:I EndingAddress:I ErrorGranularity:I"),
    d("rWin32_MemoryArray", "DeviceID* Name! StartingAddress:I EndingAddress:I ErrorGranularity:I"),
    d("rWin32_LogicalProgramGroup", "Name* GroupName! UserName"),
    d("rWin32_LogicalMemoryConf", "Name* TotalPhysicalMemory:I! TotalVirtualMemory:I TotalPageFileSpace:I AvailableVirtualMemory:I"),
    d("rWin32_LogicalDisk", "DeviceID* VolumeName FileSystem Size:I FreeSpace:I DriveType:I! VolumeSerialNumber Compressed:I"),
    d("rWin32_LoadOrderGroup", "Name* GroupOrder:I! DriverEnabled:I"),
    d("rWin32_Keyboard", "DeviceID* Name! Layout NumberOfFunctionKeys:I PNPDeviceID"),
    d("rWin32_IRQResource", "IRQNumber:I* Name! Hardware:I Shareable:I TriggerType:I"),
    d("rWin32_IDEController", "DeviceID* Name! Manufacturer PNPDeviceID Status"),
    d("rWin32_Group", "Domain* Name* SID! Description LocalAccount:I"),
    d("rWin32_FloppyDrive", "DeviceID* Name! Manufacturer Status"),
    d("rWin32_FloppyController", "DeviceID* Name! Manufacturer Status"),
    d("rWin32_Environment", "Name* UserName* VariableValue! SystemVariable:I"),
    d("rWin32_DMACHannel", "DMAChannel:I* Name! AddressSize:I Availability:I BurstMode:I"),
    d("rWin32_DisplayControllerConf", "Name* BitsPerPixel:I! HorizontalResolution:I VerticalResolution:I RefreshRate:I VideoMode"),
    d("rWin32_DisplayConf", "DeviceName* BitsPerPel:I! PelsWidth:I PelsHeight:I DisplayFrequency:I DriverVersion"),
    d("rWin32_DiskPartition", "DeviceID* Name! Size:I StartingOffset:I Type Bootable:I PrimaryPartition:I DiskIndex:I"),
    d("rWin32_DiskDrive", "DeviceID* Model! Size:I InterfaceType MediaType Partitions:I SerialNumber FirmwareRevision"),
    d("rWin32_DeviceMemoryAddress", "StartingAddress:I* EndingAddress:I Name! MemoryType"),
    d("rWin32_DesktopMonitor", "DeviceID* Name! MonitorManufacturer ScreenHeight:I ScreenWidth:I PNPDeviceID"),
    d("rWin32_Desktop", "Name* ScreenSaverActive:I ScreenSaverTimeout:I! Wallpaper CursorBlinkRate:I"),
    d("rWin32_ComputerSystemProduct", "IdentifyingNumber* Name* Version* Vendor! UUID SKUNumber"),
    d("rWin32_ComputerSystem", "Name* Domain! Manufacturer! Model! TotalPhysicalMemory:I NumberOfProcessors:I SystemType UserName DomainRole:I PartOfDomain:I"),
    d("rWin32_CDROMDrive", "DeviceID* Name! Drive Manufacturer MediaType MediaLoaded:I"),
    d("rWin32_CacheMemory", "DeviceID* Purpose! MaxCacheSize:I InstalledSize:I Level:I CacheType:I"),
    d("rWin32_Bus", "DeviceID* BusType:I! BusNum:I PNPDeviceID"),
    d("rWin32_BootConf", "Name* BootDirectory! ConfigurationPath LastDrive TempDirectory"),
    d("rWin32_BIOS", "SoftwareElementID* SoftwareElementState:I* TargetOperatingSystem:I* Version* Name! Manufacturer! SMBIOSBIOSVersion ReleaseDate:D SerialNumber"),
    d("rwin32_baseboard", "Tag* Manufacturer! Product SerialNumber Version"),
    d("rWiFi_NetworkAdapter", "DeviceID* Name! SSID Authentication Encryption SignalQuality:I RadioType"),
    d("rRegistry", "KeyPath* ValueName* ValueType! ValueData"),
    d("rNVD_WBEMStatus", "Namespace* ClassName* Status:I! Message ScanTime:D"),
    d("rNVD_UserAccount", "Name* UID:I! GID:I HomeDirectory Shell FullName"),
    d("rNVD_SolarisPatch", "PatchID* Revision* Obsoletes Requires Packages! InstallDate:D"),
    d("rNVD_Product", "Name* Version* Vendor! InstallDate:D Category"),
    d("rNVD_PDASystem", "DeviceID* Platform! OSVersion OEM Processor TotalMemory:I"),
    d("rNVD_NISUserAccount", "Name* Domain* UID:I! GID:I HomeDirectory"),
    d("rNVD_NISGroupAccount", "Name* Domain* GID:I! Members"),
    d("rNVD_MulticastStatistics", "SessionID* Bytes:I! Packets:I Errors:I StartTime:D"),
    d("rNVD_INSTALLED_UNINSTALL", "DisplayName* DisplayVersion! Publisher UninstallString InstallDate:D EstimatedSize:I"),
    d("rNVD_INSTALLED_APPS", "ExePath* FileVersion! CompanyName ProductName FileSize:I"),
    d("rNVD_GroupMember", "GroupName* MemberName* MemberType!"),
    d("rNVD_GroupAccount", "Name* GID:I! Members"),
    d("rNVD_DownloadStatistics", "ServiceName* DownloadTime:D* Bytes:I! Duration:I Source"),
    d("rMSSD_FailurePredictStatus", "InstanceName* PredictFailure:I! Reason:I Active:I"),
    d("rMSSD_AttributeData", "InstanceName* AttributeID:I* Value:I! Worst:I Threshold:I RawData:I"),
    hp_bios("rhp_biosstring", "Name* Value! Path IsReadOnly:I MaxLength:I"),
    hp_bios("rhp_biossensor", "Name* CurrentState! SensorType HealthState:I CurrentReading:I"),
    hp_bios("rhp_biospassword", "Name* IsSet:I! Path SupportedEncoding"),
    hp_bios("rhp_biosorderedlist", "Name* Value! Path IsReadOnly:I"),
    hp_bios("rhp_biosinteger", "Name* Value:I! LowerBound:I UpperBound:I IsReadOnly:I"),
    hp_bios("rhp_biosevent", "Name* TimeCreated:D* Severity:I! Category Description"),
    hp_bios("rhp_biosenumeration", "Name* CurrentValue! PossibleValues IsReadOnly:I"),
    d("rCIM_UnixOperatingSystem", "Name* Version! OSType:I LastBootUpTime:D NumberOfProcesses:I TotalVisibleMemorySize:I FreePhysicalMemory:I"),
    d("rCIM_UnixLocalFileSystem", "Name* FileSystemType! FileSystemSize:I AvailableSpace:I Root"),
    d("rCIM_UnixComputerSystem", "Name* NameFormat! PrimaryOwnerName Dedicated"),
    d("rCIM_StorageVolume", "DeviceID* Name! BlockSize:I NumberOfBlocks:I"),
    d("rCIM_SoftwareFeatureElements", "GroupComponent* PartComponent*"),
    d("rCIM_SoftwareFeature", "IdentifyingNumber* Name* ProductName* Vendor* Version* Description!"),
    d("rCIM_SoftwareElement", "Name* SoftwareElementID* SoftwareElementState:I* TargetOperatingSystem:I* Version* Manufacturer!"),
    d("rCIM_Service", "Name* StartMode! Started:I Status"),
    d("rCIM_SCSIInterface", "Antecedent* Dependent* NegotiatedSpeed:I"),
    d("rCIM_SCSIController", "DeviceID* Name! ProtocolSupported:I MaxDataWidth:I"),
    d("rCIM_ResidesOnExtent", "Antecedent* Dependent*"),
    d("rCIM_ProductSoftwareFeatures", "Product* Component*"),
    d("rCIM_Product", "IdentifyingNumber* Name* Vendor* Version* Description!"),
    d("rCIM_Processor", "DeviceID* Name! Family:I MaxClockSpeed:I CurrentClockSpeed:I AddressWidth:I"),
    d("rCIM_Process", "Handle* Name! ExecutionState:I Priority:I CreationDate:D"),
    d("rCIM_ParallelController", "DeviceID* Name! DMASupport:I"),
    d("rCIM_OperatingSystem", "Name* OSType:I! Version LastBootUpTime:D"),
    d("rCIM_NFS", "Name* Root! HardMount:I ReadBufferSize:I WriteBufferSize:I"),
    d("rCIM_MediaPresent", "Antecedent* Dependent* FixedMedia:I"),
    d("rCIM_LogicalDiskBasedOnVolume", "Antecedent* Dependent*"),
    d("rCIM_LogicalDisk", "DeviceID* Name! Size:I FreeSpace:I"),
    d("rCIM_IDEController", "DeviceID* Name! MaxNumberControlled:I"),
    d("rCIM_HPUX_SwBundles", "Name* Version* Title! Vendor InstallDate:D"),
    d("rCIM_Export", "LocalPath* ExportedDirectoryName* Options"),
    d("rCIM_EthernetAdapter", "DeviceID* Name! PermanentAddress MaxSpeed:I FullDuplex:I"),
    d("rCIM_DVDDrive", "DeviceID* Name! MediaType"),
    d("rCIM_DiskDrive", "DeviceID* Name! MaxMediaSize:I InterfaceType"),
    d("rCIM_Directory", "Name* CreationDate:D! Readable:I Writeable:I FileSize:I"),
    d("rCIM_ComputerSystem", "Name* NameFormat! PrimaryOwnerName Dedicated"),
    d("rCIM_CDROMDrive", "DeviceID* Name! MediaType"),
    // HPCA's own reporting tables.
    d("DeviceUserGroup", "UserName* GroupName* Source!"),
    d("SMBiosInfo", "Manufacturer! ProductName! SerialNumber UUID BIOSVersion AssetTag"),
    global("Query", "QueryId:I* Name! Owner Filter CreatedAt:D!", &[]),
    d("DeviceNotify", "NotifyType* Port:I! LastNotified:D Status"),
    d("FileAudit", "FilePath* Size:I! Modified:D Sha1"),
    // The zero-reboot states a device passed through, by the state's id. DeviceZRState
    // comes after it in Appendix A, so it is dropped later and imported earlier: a parent.
    d_fk(
        "DeviceZRStates",
        "ZRStateId:I* EnteredAt:D!",
        &[("ZRStateId", "DeviceZRState", "ZRStateId")],
    ),
    global("DeviceZRState", "ZRStateId:I* Name! Description", &[]),
    d("DeviceSynopsis", "OsName! OsBuild CpuModel MemoryMB:I DiskGB:I LastScan:D"),
    // History tables keep rows for states that are no longer current, so they reference the
    // device, never their current-state table.
    d("HDeviceStatus", "ChangedAt:D* Status! Detail"),
    d("DeviceStatus", "Status! Detail UpdatedAt:D"),
    d("HDeviceState", "ChangedAt:D* State! AgentVersion"),
    d("DeviceState", "State! AgentVersion UpdatedAt:D"),
    d("DeviceServices", "ServiceId* Domain* State! Version InstalledAt:D"),
    d("DeviceMap", "MapKey* MapValue!"),
    d("HDeviceErrors", "OccurredAt:D* ErrorCode:I! Message"),
    d("DeviceErrors", "ErrorCode:I* Message! OccurredAt:D"),
    // Audit_Type comes before Audit_Event and Audit_Cat in the drop order, so it may
    // reference Audit_Cat but nothing may reference it: Audit_Event.TypeId stays unkeyed.
    global(
        "Audit_Type",
        "TypeId:I* CatId:I! Name!",
        &[("CatId", "Audit_Cat", "CatId")],
    ),
    global(
        "Audit_Attrs",
        "EventId:I* AttrId:I* AttrValue!",
        &[
            ("EventId", "Audit_Event", "EventId"),
            ("AttrId", "Audit_AttrNames", "AttrId"),
        ],
    ),
    global(
        "Audit_Event",
        "EventId:I* CatId:I! TypeId:I MachineId:I! UserName OccurredAt:D!",
        &[
            ("CatId", "Audit_Cat", "CatId"),
            ("MachineId", "Device", "DeviceId"),
        ],
    ),
    global("Audit_Cat", "CatId:I* Name!", &[]),
    global("Audit_AttrNames", "AttrId:I* Name!", &[]),
    d("HAppEvent", "EventTime:D* AppName* EventType! Message"),
    d("AppEvent", "AppName* EventType! Message EventTime:D"),
    d("HAppRNPEvent", "EventTime:D* ServiceId* Result! Message"),
    d("AppRNPEvent", "ServiceId* Result! Message EventTime:D"),
    d("HAppMSIEvent", "EventTime:D* ProductCode* Action! ReturnCode:I"),
    d("AppMSIEvent", "ProductCode* Action! ReturnCode:I EventTime:D"),
    // The job tables come before JOBPARM in the drop order, so they may reference it.
    global(
        "JOBTASK",
        "JobId:I* TaskId:I* MachineId:I! Command State",
        &[
            ("JobId", "JOBPARM", "JobId"),
            ("MachineId", "Device", "DeviceId"),
        ],
    ),
    global(
        "HJOBSTAT",
        "JobId:I* ChangedAt:D* State! Detail",
        &[("JobId", "JOBPARM", "JobId")],
    ),
    global(
        "JOBSTAT",
        "JobId:I* State! Succeeded:I Failed:I UpdatedAt:D",
        &[("JobId", "JOBPARM", "JobId")],
    ),
    global("JOBPARM", "JobId:I* Name! Owner Schedule CreatedAt:D!", &[]),
    d("ADInfo", "DistinguishedName! OrgUnit Domain LastLogon:D"),
    d("HDeviceConfig", "ChangedAt:D* ConfigKey* ConfigValue"),
    d("DeviceConfig", "ConfigKey* ConfigValue!"),
];
