//! SHA-256 of an export file's bytes, taken as they are written and checked before the
//! import reads the file: one hash over its bytes proves it is the file exported, before a row
//! of it goes into the database (cheaper than hashing every decoded row a second time).

use sha2::{Digest, Sha256};
use std::io::{self, Read, Write};

/// The lowercase hex of a finished hash.
fn hex(hasher: Sha256) -> String {
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A writer that hashes what passes through it.
pub(crate) struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> HashingWriter<W> {
    pub(crate) fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// The inner writer and the hex SHA-256 of everything written.
    pub(crate) fn finish(self) -> (W, String) {
        (self.inner, hex(self.hasher))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The hex SHA-256 of everything `reader` holds.
pub(crate) fn sha256_of(mut reader: impl Read) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match reader.read(&mut buf)? {
            0 => return Ok(hex(hasher)),
            n => hasher.update(&buf[..n]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_and_read_back_hashes_the_same() {
        let mut writer = HashingWriter::new(Vec::new());
        writer.write_all(b"a\tb\n1\t2\n").unwrap();
        let (bytes, written) = writer.finish();
        assert_eq!(bytes, b"a\tb\n1\t2\n");
        assert_eq!(sha256_of(&bytes[..]).unwrap(), written);
        assert_ne!(sha256_of(&b"a\tb\n1\t3\n"[..]).unwrap(), written);
    }
}
