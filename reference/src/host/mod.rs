//! The host: a folder that stands for one Windows server. All access to a host's files and
//! state goes through [`Host`]; nothing it does touches anything outside the host folder.
//!
//! Layout: `<root>/host.json` (the [`HostState`]) and `<root>/drives/<LETTER>/...` (the files).
//!
//! Architecture Invariant: every path a caller names is a [`WinPath`]; it is resolved here,
//! case-insensitively as on NTFS, to a real path below `<root>/drives/<LETTER>`, and a drive the
//! host lacks, a link leading out, or `..` is refused.
//! Architecture Invariant: a write that would pass a drive's capacity fails as `DriveFull`
//! before a byte is written; every file write goes to a temporary file that is renamed into
//! place, so a crash never leaves a half-written file under its real name.

mod state;
mod stream;

pub use state::*;
pub use stream::{AppendFile, HostFile};

use crate::error::{Error, Result};
use crate::winpath::WinPath;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The host's state file, at the host folder's root.
pub const STATE_FILE: &str = "host.json";
/// The folder under the host root that holds one folder per drive.
pub const DRIVES_DIR: &str = "drives";
/// The folder under the host root for the simulator's own files (see [`Host::sidecar_path`]).
pub const SIDECAR_DIR: &str = "simulator";
/// Suffix of the temporary files writes go through; never part of the host's content.
const TMP_SUFFIX: &str = ".hpcasim-tmp";

/// One Windows server in a folder.
#[derive(Debug)]
pub struct Host {
    root: PathBuf,
    state: HostState,
    /// Bytes stored per drive, computed at open and kept current by every write through here.
    used: BTreeMap<char, u64>,
}

/// A file found by [`Host::walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    pub path: WinPath,
    pub size: u64,
}

impl Host {
    /// Creates a new host in `root`, which must not exist or be an empty folder.
    pub fn create(root: &Path, state: HostState) -> Result<Host> {
        if root.exists() {
            let mut entries = fs::read_dir(root).map_err(Error::io("read", root))?;
            if entries.next().is_some() {
                return Err(Error::HostFolderNotEmpty {
                    root: root.to_path_buf(),
                });
            }
        }
        fs::create_dir_all(root).map_err(Error::io("create", root))?;
        let root = root.canonicalize().map_err(Error::io("resolve", root))?;
        for letter in state.drives.keys() {
            let dir = root.join(DRIVES_DIR).join(letter.to_string());
            fs::create_dir_all(&dir).map_err(Error::io("create", &dir))?;
        }
        let used = state.drives.keys().map(|d| (*d, 0)).collect();
        let host = Host { root, state, used };
        host.save()?;
        Ok(host)
    }

    /// Opens an existing host folder.
    pub fn open(root: &Path) -> Result<Host> {
        let state_path = root.join(STATE_FILE);
        if !state_path.is_file() {
            return Err(Error::NotAHost {
                root: root.to_path_buf(),
                state_file: STATE_FILE,
            });
        }
        let root = root.canonicalize().map_err(Error::io("resolve", root))?;
        let text = fs::read_to_string(&state_path).map_err(Error::io("read", &state_path))?;
        let state: HostState = serde_json::from_str(&text).map_err(|e| Error::StateCorrupt {
            path: state_path.clone(),
            reason: e.to_string(),
        })?;
        let mut host = Host {
            root,
            state,
            used: BTreeMap::new(),
        };
        host.refresh_usage()?;
        Ok(host)
    }

    /// The host folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The host's state (registry, services, ...).
    pub fn state(&self) -> &HostState {
        &self.state
    }

    /// The host's state, to change; [`Host::save`] persists it.
    pub fn state_mut(&mut self) -> &mut HostState {
        &mut self.state
    }

    /// Writes the state file atomically (temporary file, then rename).
    pub fn save(&self) -> Result<()> {
        let mut text = serde_json::to_string_pretty(&self.state).expect("host state serializes");
        text.push('\n');
        atomic_write(&self.root.join(STATE_FILE), text.as_bytes())
    }

    /// A file of the simulator's own beside the host (`<root>/simulator/<name>`): what the
    /// fabricator recorded (defective rows, seeds). Not part of the Windows server, so not in
    /// the dump; still inside the host folder.
    pub fn sidecar_path(&self, name: &str) -> PathBuf {
        assert!(
            !name.contains(['/', '\\']) && name != ".." && name != ".",
            "one plain file name"
        );
        self.root.join(SIDECAR_DIR).join(name)
    }

    /// The host clock, unix seconds.
    pub fn now(&self) -> u64 {
        self.state.clock
    }

    /// Moves the host clock forward (persisted with the next [`Host::save`]).
    pub fn advance_clock(&mut self, seconds: u64) {
        self.state.clock += seconds;
    }

    /// Re-reads how much each drive stores; call after something wrote to a drive without
    /// going through this type (the database engine).
    pub fn refresh_usage(&mut self) -> Result<()> {
        let mut used = BTreeMap::new();
        for letter in self.state.drives.keys() {
            let dir = self.drive_dir(*letter);
            used.insert(*letter, dir_size(&dir)?);
        }
        self.used = used;
        Ok(())
    }

    fn drive_dir(&self, letter: char) -> PathBuf {
        self.root.join(DRIVES_DIR).join(letter.to_string())
    }

    fn drive(&self, letter: char) -> Result<&Drive> {
        self.state
            .drives
            .get(&letter)
            .ok_or_else(|| Error::NoSuchDrive {
                drive: letter,
                available: self
                    .state
                    .drives
                    .keys()
                    .map(|d| format!("{d}:"))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Checks that `letter` is one of the host's drives (the "wrong drive" refusal).
    pub fn check_drive(&self, letter: char) -> Result<()> {
        self.drive(letter.to_ascii_uppercase()).map(|_| ())
    }

    /// Bytes stored on a drive.
    pub fn used(&self, letter: char) -> Result<u64> {
        self.drive(letter)?;
        Ok(self.used.get(&letter).copied().unwrap_or(0))
    }

    /// Free bytes on a drive: capacity minus what it stores.
    pub fn free(&self, letter: char) -> Result<u64> {
        let capacity = self.drive(letter)?.capacity;
        Ok(capacity.saturating_sub(self.used(letter)?))
    }

    /// The real path of a Windows path on this host, matching existing components
    /// case-insensitively. The path need not exist.
    pub fn real_path(&self, path: &WinPath) -> Result<PathBuf> {
        self.drive(path.drive())?;
        let mut real = self.drive_dir(path.drive());
        // Once a component is missing, the rest cannot exist: no more look-ups.
        let mut exists = true;
        for part in path.components() {
            if !exists {
                real.push(part);
                continue;
            }
            match find_entry_ignoring_case(&real, part)? {
                Some((_, Kind::Link)) => return Err(Error::Escapes { path: path.clone() }),
                Some((existing, _)) => real = existing,
                None => {
                    exists = false;
                    real.push(part);
                }
            }
        }
        Ok(real)
    }

    /// Whether anything exists at `path`.
    pub fn exists(&self, path: &WinPath) -> bool {
        self.real_path(path).map(|p| p.exists()).unwrap_or(false)
    }

    /// Whether `path` is a folder.
    pub fn is_dir(&self, path: &WinPath) -> bool {
        self.real_path(path).map(|p| p.is_dir()).unwrap_or(false)
    }

    fn existing(&self, path: &WinPath) -> Result<PathBuf> {
        let real = self.real_path(path)?;
        if !real.exists() {
            return Err(Error::NotFound { path: path.clone() });
        }
        Ok(real)
    }

    /// Reads a whole file.
    pub fn read(&self, path: &WinPath) -> Result<Vec<u8>> {
        let real = self.existing(path)?;
        fs::read(&real).map_err(Error::io("read", real))
    }

    /// Reads a whole file as UTF-8 text.
    pub fn read_to_string(&self, path: &WinPath) -> Result<String> {
        let real = self.existing(path)?;
        fs::read_to_string(&real).map_err(Error::io("read", real))
    }

    /// The size of a file.
    pub fn file_size(&self, path: &WinPath) -> Result<u64> {
        let real = self.existing(path)?;
        Ok(fs::metadata(&real)
            .map_err(Error::io("inspect", real))?
            .len())
    }

    fn check_writable(&self, path: &WinPath) -> Result<()> {
        if self.drive(path.drive())?.read_only {
            return Err(Error::ReadOnlyDrive {
                drive: path.drive(),
                path: path.clone(),
            });
        }
        Ok(())
    }

    fn reserve(&self, path: &WinPath, needed: u64) -> Result<()> {
        let free = self.free(path.drive())?;
        if needed > free {
            return Err(Error::DriveFull {
                drive: path.drive(),
                path: path.clone(),
                needed,
                free,
            });
        }
        Ok(())
    }

    /// Writes a whole file, creating its folders; refuses when the drive lacks the space.
    pub fn write(&mut self, path: &WinPath, bytes: &[u8]) -> Result<()> {
        self.check_writable(path)?;
        let real = self.real_path(path)?;
        let old = fs::metadata(&real).map(|m| m.len()).unwrap_or(0);
        let grow = (bytes.len() as u64).saturating_sub(old);
        self.reserve(path, grow)?;
        if let Some(parent) = real.parent() {
            fs::create_dir_all(parent).map_err(Error::io("create", parent))?;
        }
        atomic_write(&real, bytes)?;
        let used = self.used.entry(path.drive()).or_insert(0);
        *used = *used + bytes.len() as u64 - old;
        Ok(())
    }

    /// Creates a folder and its parents.
    pub fn create_dir_all(&mut self, path: &WinPath) -> Result<()> {
        self.check_writable(path)?;
        let real = self.real_path(path)?;
        fs::create_dir_all(&real).map_err(Error::io("create", real))
    }

    /// Copies one file; refuses when the target drive lacks the space.
    pub fn copy_file(&mut self, from: &WinPath, to: &WinPath) -> Result<()> {
        let bytes = self.read(from)?;
        self.write(to, &bytes)
    }

    /// Deletes a file.
    pub fn remove_file(&mut self, path: &WinPath) -> Result<()> {
        self.check_writable(path)?;
        let real = self.existing(path)?;
        let size = fs::metadata(&real)
            .map_err(Error::io("inspect", &real))?
            .len();
        fs::remove_file(&real).map_err(Error::io("delete", real))?;
        if let Some(used) = self.used.get_mut(&path.drive()) {
            *used = used.saturating_sub(size);
        }
        Ok(())
    }

    /// Deletes a folder and everything in it.
    pub fn remove_dir_all(&mut self, path: &WinPath) -> Result<()> {
        self.check_writable(path)?;
        let real = self.existing(path)?;
        let size = dir_size(&real)?;
        fs::remove_dir_all(&real).map_err(Error::io("delete", real))?;
        if let Some(used) = self.used.get_mut(&path.drive()) {
            *used = used.saturating_sub(size);
        }
        Ok(())
    }

    /// Renames a file or folder on the same drive (atomic, as on NTFS). Across drives it is a
    /// copy and a delete ([`Host::move_across_drives`]).
    pub fn rename(&mut self, from: &WinPath, to: &WinPath) -> Result<()> {
        assert_eq!(
            from.drive(),
            to.drive(),
            "rename stays on one drive; use move_across_drives"
        );
        self.check_writable(to)?;
        let real_from = self.existing(from)?;
        let real_to = self.real_path(to)?;
        if let Some(parent) = real_to.parent() {
            fs::create_dir_all(parent).map_err(Error::io("create", parent))?;
        }
        fs::rename(&real_from, &real_to).map_err(Error::io("rename", real_from))
    }

    /// Moves a folder tree to another drive: what an operator does with Explorer.
    pub fn move_across_drives(&mut self, from: &WinPath, to: &WinPath) -> Result<()> {
        let files = self.walk(from)?;
        let needed: u64 = files.iter().map(|f| f.size).sum();
        self.reserve(to, needed)?;
        for file in &files {
            let rel = file
                .path
                .strip_prefix(from)
                .expect("walk stays below its root")
                .join("\\");
            self.copy_file(&file.path, &to.join(&rel)?)?;
        }
        self.remove_dir_all(from)
    }

    /// The names in a folder, sorted case-insensitively, with whether each is a folder.
    pub fn list_dir(&self, path: &WinPath) -> Result<Vec<(String, bool)>> {
        let real = self.existing(path)?;
        let mut out = Vec::new();
        for entry in fs::read_dir(&real).map_err(Error::io("list", &real))? {
            let entry = entry.map_err(Error::io("list", &real))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(TMP_SUFFIX) {
                continue;
            }
            let is_dir = entry
                .file_type()
                .map_err(Error::io("inspect", entry.path()))?
                .is_dir();
            out.push((name, is_dir));
        }
        out.sort_by(|a, b| {
            a.0.to_lowercase()
                .cmp(&b.0.to_lowercase())
                .then(a.0.cmp(&b.0))
        });
        Ok(out)
    }

    /// Every file below `path` (or `path` itself if it is a file), in a stable order.
    pub fn walk(&self, path: &WinPath) -> Result<Vec<FileEntry>> {
        let mut out = Vec::new();
        let real = self.existing(path)?;
        if real.is_file() {
            out.push(FileEntry {
                path: path.clone(),
                size: self.file_size(path)?,
            });
            return Ok(out);
        }
        self.walk_into(path, &mut out)?;
        Ok(out)
    }

    fn walk_into(&self, dir: &WinPath, out: &mut Vec<FileEntry>) -> Result<()> {
        let real = self.real_path(dir)?;
        walk_real(&real, dir, out)
    }

    /// Every file on every drive, in a stable order.
    pub fn walk_all(&self) -> Result<Vec<FileEntry>> {
        let mut out = Vec::new();
        for letter in self.state.drives.keys() {
            out.extend(self.walk(&WinPath::drive_root(*letter))?);
        }
        Ok(out)
    }
}

/// What a directory entry is, without following links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dir,
    File,
    Link,
}

fn kind_of(file_type: fs::FileType) -> Kind {
    if file_type.is_symlink() {
        Kind::Link
    } else if file_type.is_dir() {
        Kind::Dir
    } else {
        Kind::File
    }
}

/// The entry of `dir` whose name equals `name` ignoring case, if any (NTFS semantics), and
/// what it is. One `lstat` when the spelling matches exactly; a directory read otherwise.
fn find_entry_ignoring_case(dir: &Path, name: &str) -> Result<Option<(PathBuf, Kind)>> {
    let exact = dir.join(name);
    if let Ok(meta) = exact.symlink_metadata() {
        return Ok(Some((exact, kind_of(meta.file_type()))));
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => return Ok(None),
        Err(e) => return Err(Error::io("list", dir)(e)),
    };
    let wanted = name.to_lowercase();
    let mut found: Vec<(PathBuf, Kind)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().to_lowercase() == wanted)
        .filter_map(|e| Some((e.path(), kind_of(e.file_type().ok()?))))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found.into_iter().next())
}

/// Walks a real folder that stands for `win` (already resolved), in the order `list_dir`
/// gives, without resolving each file's path again. A link is refused as leading out.
fn walk_real(real: &Path, win: &WinPath, out: &mut Vec<FileEntry>) -> Result<()> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(real).map_err(Error::io("list", real))? {
        let entry = entry.map_err(Error::io("list", real))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(TMP_SUFFIX) {
            continue;
        }
        let kind = kind_of(
            entry
                .file_type()
                .map_err(Error::io("inspect", entry.path()))?,
        );
        entries.push((name, kind, entry.path()));
    }
    entries.sort_by(|a, b| {
        a.0.to_lowercase()
            .cmp(&b.0.to_lowercase())
            .then(a.0.cmp(&b.0))
    });
    for (name, kind, path) in entries {
        let child = win.child(&name);
        match kind {
            Kind::Link => return Err(Error::Escapes { path: child }),
            Kind::Dir => walk_real(&path, &child, out)?,
            Kind::File => {
                let size = fs::symlink_metadata(&path)
                    .map_err(Error::io("inspect", &path))?
                    .len();
                out.push(FileEntry { path: child, size });
            }
        }
    }
    Ok(())
}

/// Total size of the files below `dir`, not following links (`DirEntry::metadata` does not).
fn dir_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::io("list", dir)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(Error::io("list", dir))?;
        let meta = entry
            .metadata()
            .map_err(Error::io("inspect", entry.path()))?;
        if meta.is_dir() {
            total += dir_size(&entry.path())?;
        } else if meta.is_file() {
            total += meta.len();
        }
    }
    Ok(total)
}

/// Writes `bytes` to `target` through a temporary file in the same folder and a rename.
fn atomic_write(target: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp_name = target.file_name().expect("a file path").to_os_string();
    tmp_name.push(TMP_SUFFIX);
    let tmp = target.with_file_name(tmp_name);
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        // No fsync: the faults we model are killed processes, not power cuts, and against a
        // killed process the rename alone is atomic.
        fs::rename(&tmp, target)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io("write", target)(e)
    })
}

#[cfg(test)]
pub(crate) mod tests;
