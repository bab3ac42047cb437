//! Every path the guide names, built in one place. Call sites never assemble these by hand.

use crate::winpath::WinPath;

fn at(text: &str) -> WinPath {
    WinPath::parse(text).expect("paths written in this module are valid")
}

/// `C:\Program Files\Hewlett-Packard\HPCA`: the product's install folder.
pub fn install_dir() -> WinPath {
    at(r"C:\Program Files\Hewlett-Packard\HPCA")
}

/// `C:\Program Files\Hewlett-Packard\HPCA\ConfigurationServer\DB`: the CSDB (module `rds`).
pub fn csdb_dir() -> WinPath {
    install_dir()
        .join(r"ConfigurationServer\DB")
        .expect("a valid path")
}

/// `C:\Program Files\Hewlett-Packard\HPCA\Core`: the Core's own folder (module `core`).
pub fn core_dir() -> WinPath {
    install_dir().child("Core")
}

/// `...\HPCA\Core\data\devices.json`: the devices the Core manages, with their agent and
/// Administrator versions. Core data: backup carries it and restore brings it back.
pub fn managed_devices() -> WinPath {
    core_dir().join(r"data\devices.json").expect("a valid path")
}

/// `...\HPCA\Core\data\livenetwork`: the HP Live Network content the Core serves (B55).
pub fn live_network_content_dir() -> WinPath {
    core_dir().join(r"data\livenetwork").expect("a valid path")
}

/// `...\HPCA\Core\lib\lnc`: the Live Network Connector installed with HPCA (a program: the
/// 7.90 installer replaces it, the restore leaves it).
pub fn live_network_connector_dir() -> WinPath {
    core_dir().join(r"lib\lnc").expect("a valid path")
}

/// `...\HPCA\Core\logs\hpln-update-report.html`: the report of the last Live Network update.
pub fn live_network_report() -> WinPath {
    core_dir()
        .join(r"logs\hpln-update-report.html")
        .expect("a valid path")
}

/// `...\HPCA\tomcat\conf\console.cfg`: the console's settings, the Live Network connection
/// among them (Configuration > Infrastructure Management > Live Network).
pub fn console_config() -> WinPath {
    install_dir()
        .join(r"tomcat\conf\console.cfg")
        .expect("a valid path")
}

/// `<media>:\Media\admin\default\win32`: the Administrator's installer on the 7.90 media (B61).
pub fn media_admin_installer(media_drive: char) -> WinPath {
    WinPath::drive_root(media_drive)
        .join(r"Media\admin\default\win32")
        .expect("a valid path")
}

/// `<media>:\Media\client\default\<platform>`: the agent's installer for one platform on the
/// 7.90 media (B60).
pub fn media_agent_installer(media_drive: char, platform: &str) -> WinPath {
    WinPath::drive_root(media_drive)
        .join(r"Media\client\default")
        .expect("a valid path")
        .child(platform)
}

/// `C:\Program Files\Microsoft SQL Server\MSSQL.1\MSSQL\Data`: the SQL Server data folder,
/// where the reporting database's file lives.
pub fn sql_data_dir() -> WinPath {
    at(r"C:\Program Files\Microsoft SQL Server\MSSQL.1\MSSQL\Data")
}

/// `C:\Program Files\Hewlett-Packard\CM\BootServer`: a 7.20 OS Manager Boot Server, installed
/// on its own (not integrated before 7.50, B22).
pub fn boot_server_720_dir() -> WinPath {
    at(r"C:\Program Files\Hewlett-Packard\CM\BootServer")
}

/// `<drive>:\HPCABackup`: the folder that holds the backup and sqlmigrate's exports.
pub fn backup_root(drive: char) -> WinPath {
    WinPath::drive_root(drive).child("HPCABackup")
}

/// `<drive>:\HPCABackup\HPCABackup`: where `hpcabackup <drive>` writes (B11).
pub fn backup_dir(drive: char) -> WinPath {
    backup_root(drive).child("HPCABackup")
}

/// `<drive>:\HPCABackup\HPCABackup-<unix seconds>`: a previous backup, renamed on a rerun (B12).
pub fn renamed_backup_dir(drive: char, unix_seconds: u64) -> WinPath {
    backup_root(drive).child(&format!("HPCABackup-{unix_seconds}"))
}

/// `<drive>:\HPCABackup\hpcabackup-in-progress.json`: present while a backup is being
/// written; a backup found beside it is an interrupted one, which the next run replaces.
pub fn backup_in_progress(drive: char) -> WinPath {
    backup_root(drive).child("hpcabackup-in-progress.json")
}

/// `<drive>:\HPCABackup\SQLMigrate`: sqlmigrate's export folder (B42).
pub fn sqlmigrate_dir(drive: char) -> WinPath {
    backup_root(drive).child("SQLMigrate")
}

/// `<drive>:\HPCABackup\SQLMigrate-<timestamp>`: the export folder of a later sqlmigrate run (B42).
pub fn sqlmigrate_rerun_dir(drive: char, timestamp: u64) -> WinPath {
    backup_root(drive).child(&format!("SQLMigrate-{timestamp}"))
}

/// `C:\migrate`: where the operator copies the media's `migrate` folder (B3).
pub fn migrate_copy() -> WinPath {
    at(r"C:\migrate")
}

/// `<media>:\migrate`: the media's own `migrate` folder, which must not be run from (B3).
pub fn media_migrate(media_drive: char) -> WinPath {
    WinPath::drive_root(media_drive).child("migrate")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guide_paths_print_as_the_guide_writes_them() {
        assert_eq!(backup_dir('C').to_string(), r"C:\HPCABackup\HPCABackup");
        assert_eq!(
            renamed_backup_dir('C', 1263495101).to_string(),
            r"C:\HPCABackup\HPCABackup-1263495101"
        );
        assert_eq!(sqlmigrate_dir('D').to_string(), r"D:\HPCABackup\SQLMigrate");
        assert_eq!(
            install_dir().to_string(),
            r"C:\Program Files\Hewlett-Packard\HPCA"
        );
        assert_eq!(
            media_admin_installer('E').to_string(),
            r"E:\Media\admin\default\win32"
        );
        assert_eq!(
            managed_devices().to_string(),
            r"C:\Program Files\Hewlett-Packard\HPCA\Core\data\devices.json"
        );
    }
}
