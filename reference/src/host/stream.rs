//! Streaming file access for files too large for one buffer (sqlmigrate's table exports).
//!
//! [`HostFile`] keeps the host's invariants while it writes: bytes go to a temporary file
//! that is renamed into place only by [`HostFile::finish`] (a crash never leaves a
//! half-written file under its real name), every write checks the drive's free space first
//! (`DriveFull` before the capacity is passed), and the drive's usage stays current.

use super::{Host, TMP_SUFFIX};
use crate::error::{Error, Result};
use crate::winpath::WinPath;
use std::fs;
use std::io::{self, BufReader, BufWriter, Write};
use std::path::PathBuf;

/// A file being written on a host; invisible under its name until [`HostFile::finish`].
#[derive(Debug)]
pub struct HostFile<'h> {
    host: &'h mut Host,
    path: WinPath,
    real: PathBuf,
    tmp: PathBuf,
    out: Option<BufWriter<fs::File>>,
    written: u64,
}

impl Host {
    /// Starts writing `path` as a stream (folders created); see [`HostFile`].
    pub fn create_file(&mut self, path: &WinPath) -> Result<HostFile<'_>> {
        self.check_writable(path)?;
        let real = self.real_path(path)?;
        if let Some(parent) = real.parent() {
            fs::create_dir_all(parent).map_err(Error::io("create", parent))?;
        }
        let mut tmp_name = real.file_name().expect("a file path").to_os_string();
        tmp_name.push(TMP_SUFFIX);
        let tmp = real.with_file_name(tmp_name);
        let file = fs::File::create(&tmp).map_err(Error::io("create", &tmp))?;
        Ok(HostFile {
            host: self,
            path: path.clone(),
            real,
            tmp,
            out: Some(BufWriter::with_capacity(1 << 16, file)),
            written: 0,
        })
    }

    /// Opens an existing file to append records to, from offset `at` on: whatever followed
    /// `at` (the torn tail a killed writer may have left) is cut off by the first append. The
    /// file stays open between appends (an append-only journal's records are small and many).
    pub fn open_append(&mut self, path: &WinPath, at: u64) -> Result<AppendFile> {
        self.check_writable(path)?;
        let real = self.existing(path)?;
        let size = fs::metadata(&real)
            .map_err(Error::io("inspect", &real))?
            .len();
        if size < at {
            return Err(Error::io("append to", &real)(io::Error::other(format!(
                "the file holds {size} bytes, fewer than the {at} already recorded in it"
            ))));
        }
        let file = fs::OpenOptions::new()
            .write(true)
            .open(&real)
            .map_err(Error::io("open", &real))?;
        Ok(AppendFile {
            file,
            path: path.clone(),
            real,
            len: at,
            size,
        })
    }

    /// Appends `bytes` to `file`; fails with `DriveFull`, writing nothing, when the drive
    /// lacks the room.
    pub fn append(&mut self, file: &mut AppendFile, bytes: &[u8]) -> Result<()> {
        let new = file.len + bytes.len() as u64;
        self.reserve(&file.path, new.saturating_sub(file.size))?;
        let result = (|| {
            if file.size != file.len {
                file.file.set_len(file.len)?;
            }
            io::Seek::seek(&mut file.file, io::SeekFrom::Start(file.len))?;
            file.file.write_all(bytes)
        })();
        result.map_err(Error::io("write", &file.real))?;
        let used = self.used.entry(file.path.drive()).or_insert(0);
        *used = *used + new - file.size;
        file.len = new;
        file.size = new;
        Ok(())
    }

    /// Opens a file for streaming reads.
    pub fn open_file(&self, path: &WinPath) -> Result<BufReader<fs::File>> {
        let real = self.existing(path)?;
        let file = fs::File::open(&real).map_err(Error::io("open", real))?;
        Ok(BufReader::with_capacity(1 << 16, file))
    }
}

/// A file open for appending, from [`Host::open_append`]; it holds no borrow of the host.
#[derive(Debug)]
pub struct AppendFile {
    file: fs::File,
    path: WinPath,
    real: PathBuf,
    /// Bytes of complete records: where the next append goes.
    len: u64,
    /// The file's size on disk (more than `len` while a torn tail is left).
    size: u64,
}

impl HostFile<'_> {
    /// Appends bytes; fails with `DriveFull` (writing nothing) when the drive lacks the room.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        self.host.reserve(&self.path, bytes.len() as u64)?;
        let out = self.out.as_mut().expect("open until finish");
        out.write_all(bytes)
            .map_err(Error::io("write", &self.tmp))?;
        self.written += bytes.len() as u64;
        *self.host.used.entry(self.path.drive()).or_insert(0) += bytes.len() as u64;
        Ok(())
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Flushes and renames the file into place (replacing an older one); returns its size.
    pub fn finish(mut self) -> Result<u64> {
        let out = self.out.take().expect("open until finish");
        out.into_inner()
            .map_err(|e| Error::io("write", &self.tmp)(e.into_error()))?;
        let old = fs::metadata(&self.real).map(|m| m.len()).unwrap_or(0);
        fs::rename(&self.tmp, &self.real).map_err(Error::io("rename", &self.tmp))?;
        let used = self.host.used.entry(self.path.drive()).or_insert(0);
        *used = used.saturating_sub(old);
        Ok(self.written)
    }
}

impl Drop for HostFile<'_> {
    fn drop(&mut self) {
        // Not finished (an error or an injected crash): the real name never saw the bytes,
        // and the temporary file goes so the drive's usage stays what it was.
        if self.out.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
            let used = self.host.used.entry(self.path.drive()).or_insert(0);
            *used = used.saturating_sub(self.written);
        }
    }
}

/// `io::Write` so encoders (the csv crate) can stream into a host file; a `DriveFull` travels
/// inside the `io::Error` and comes back out through [`Error::from_stream`].
impl Write for HostFile<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_bytes(buf).map_err(io::Error::other)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Error {
    /// Recovers the host's own error from an `io::Error` that a [`HostFile`] raised, or wraps
    /// a plain I/O error.
    pub fn from_stream(action: &'static str, path: &WinPath, e: io::Error) -> Error {
        if e.get_ref().is_some_and(|inner| inner.is::<Error>()) {
            return *e
                .into_inner()
                .expect("checked above")
                .downcast::<Error>()
                .expect("checked above");
        }
        Error::io(action, PathBuf::from(path.to_string()))(e)
    }
}

#[cfg(test)]
mod tests {
    use crate::host::Host;
    use crate::winpath::WinPath;
    use crate::Error;

    fn small_host(capacity: u64) -> (tempfile::TempDir, Host) {
        crate::host::tests::host(&[('C', capacity)])
    }

    #[test]
    fn streamed_file_appears_only_when_finished_and_counts_against_the_drive() {
        let (_dir, mut host) = small_host(1000);
        let path = WinPath::parse(r"C:\x\big.tsv").unwrap();
        let before = host.used('C').unwrap();
        {
            let mut file = host.create_file(&path).unwrap();
            file.write_bytes(&[b'a'; 300]).unwrap();
            // Dropped unfinished: as if the run crashed here.
        }
        assert!(!host.exists(&path));
        assert_eq!(host.used('C').unwrap(), before);
        let mut file = host.create_file(&path).unwrap();
        file.write_bytes(&[b'a'; 300]).unwrap();
        let err = file.write_bytes(&[b'b'; 800]).unwrap_err();
        assert!(matches!(err, Error::DriveFull { .. }), "{err}");
        assert_eq!(file.finish().unwrap(), 300);
        assert_eq!(host.read(&path).unwrap(), vec![b'a'; 300]);
        assert_eq!(host.used('C').unwrap(), before + 300);
        host.refresh_usage().unwrap();
        assert_eq!(host.used('C').unwrap(), before + 300);
    }
}
