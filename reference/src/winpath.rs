//! Windows paths (`C:\HPCABackup\HPCABackup`) as the guide writes them: drive letter plus
//! components, compared case-insensitively as on NTFS.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// An absolute Windows path on one of the host's drives. It can never name `..`: a path that
/// tries to climb out is refused when it is parsed, so no `WinPath` escapes its drive.
#[derive(Debug, Clone)]
pub struct WinPath {
    drive: char,
    parts: Vec<String>,
}

/// Why a string is not an acceptable Windows path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{path}' is not a usable Windows path: {reason}")]
pub struct BadWinPath {
    /// The text as given.
    pub path: String,
    /// What is wrong with it.
    pub reason: String,
}

const FORBIDDEN: &[char] = &['<', '>', ':', '"', '|', '?', '*', '\0'];

impl WinPath {
    /// The root of a drive, `C:\`.
    pub fn drive_root(drive: char) -> WinPath {
        WinPath {
            drive: drive.to_ascii_uppercase(),
            parts: Vec::new(),
        }
    }

    /// Parses `C:\a\b` (forward slashes accepted). Refuses relative paths, UNC paths, `..`
    /// and characters NTFS forbids.
    pub fn parse(text: &str) -> Result<WinPath, BadWinPath> {
        let bad = |reason: &str| BadWinPath {
            path: text.to_string(),
            reason: reason.to_string(),
        };
        let mut chars = text.chars();
        let drive = chars.next().ok_or_else(|| bad("it is empty"))?;
        if !drive.is_ascii_alphabetic() || chars.next() != Some(':') {
            return Err(bad(
                "it must start with a drive letter, as in C:\\HPCABackup",
            ));
        }
        let mut path = WinPath::drive_root(drive);
        let rest: String = chars.collect();
        if !rest.is_empty() && !rest.starts_with(['\\', '/']) {
            return Err(bad(
                "drive-relative paths such as C:foo are not accepted; write C:\\foo",
            ));
        }
        for part in rest.split(['\\', '/']) {
            path.push_component(part).map_err(|reason| bad(&reason))?;
        }
        Ok(path)
    }

    fn push_component(&mut self, part: &str) -> Result<(), String> {
        match part {
            "" | "." => Ok(()),
            ".." => Err("'..' would climb out of the folder it names".into()),
            p if p.contains(FORBIDDEN) => Err(format!("'{p}' holds a character Windows forbids")),
            p if p.ends_with(' ') || p.ends_with('.') => Err(format!(
                "'{p}' ends with a space or a dot, which Windows drops"
            )),
            p => {
                self.parts.push(p.to_string());
                Ok(())
            }
        }
    }

    /// This path with `rest` (one or more components, `\`-separated) appended.
    pub fn join(&self, rest: &str) -> Result<WinPath, BadWinPath> {
        let mut path = self.clone();
        for part in rest.split(['\\', '/']) {
            path.push_component(part).map_err(|reason| BadWinPath {
                path: format!("{self}\\{rest}"),
                reason,
            })?;
        }
        Ok(path)
    }

    /// This path with one more component; panics only on a component holding a separator or
    /// `..`, which is a programming error at the call site (names come from the code).
    pub fn child(&self, name: &str) -> WinPath {
        let mut path = self.clone();
        assert!(
            !name.contains(['\\', '/']),
            "child() takes one component, got {name}"
        );
        path.push_component(name)
            .expect("component names built by the code are valid");
        path
    }

    /// The drive letter, upper case.
    pub fn drive(&self) -> char {
        self.drive
    }

    /// The components below the drive root.
    pub fn components(&self) -> &[String] {
        &self.parts
    }

    /// The last component, or `None` for a drive root.
    pub fn file_name(&self) -> Option<&str> {
        self.parts.last().map(String::as_str)
    }

    /// The folder holding this path, or `None` for a drive root.
    pub fn parent(&self) -> Option<WinPath> {
        if self.parts.is_empty() {
            return None;
        }
        let mut p = self.clone();
        p.parts.pop();
        Some(p)
    }

    /// Whether `self` is `other` or lies below it (case-insensitively).
    pub fn starts_with(&self, other: &WinPath) -> bool {
        self.drive == other.drive
            && self.parts.len() >= other.parts.len()
            && self
                .parts
                .iter()
                .zip(&other.parts)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    }

    /// The components of `self` below `base`, if `self` lies below it.
    pub fn strip_prefix(&self, base: &WinPath) -> Option<&[String]> {
        self.starts_with(base)
            .then(|| &self.parts[base.parts.len()..])
    }

    /// The same components on another drive (what moving a folder between drives does).
    pub fn on_drive(&self, drive: char) -> WinPath {
        WinPath {
            drive: drive.to_ascii_uppercase(),
            parts: self.parts.clone(),
        }
    }

    fn folded(&self) -> (char, Vec<String>) {
        (
            self.drive,
            self.parts.iter().map(|p| p.to_lowercase()).collect(),
        )
    }
}

impl fmt::Display for WinPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:\\{}", self.drive, self.parts.join("\\"))
    }
}

impl PartialEq for WinPath {
    fn eq(&self, other: &Self) -> bool {
        self.folded() == other.folded()
    }
}
impl Eq for WinPath {}

impl Hash for WinPath {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.folded().hash(state)
    }
}

impl PartialOrd for WinPath {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for WinPath {
    fn cmp(&self, other: &Self) -> Ordering {
        self.folded().cmp(&other.folded())
    }
}

impl FromStr for WinPath {
    type Err = BadWinPath;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WinPath::parse(s)
    }
}

impl Serialize for WinPath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for WinPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        WinPath::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_guide_paths() {
        let p = WinPath::parse(r"c:\HPCABackup\HPCABackup").unwrap();
        assert_eq!(p.to_string(), r"C:\HPCABackup\HPCABackup");
        assert_eq!(p.drive(), 'C');
        assert_eq!(WinPath::parse("D:").unwrap().to_string(), r"D:\");
        assert_eq!(WinPath::parse("D:/a//b/").unwrap().to_string(), r"D:\a\b");
    }

    #[test]
    fn compares_case_insensitively_as_ntfs() {
        let a = WinPath::parse(r"C:\HPCABackup\hpcabackup").unwrap();
        let b = WinPath::parse(r"c:\hpcabackup\HPCABACKUP").unwrap();
        assert_eq!(a, b);
        assert!(a.starts_with(&WinPath::parse(r"C:\hpcabackup").unwrap()));
    }

    #[test]
    fn refuses_climbing_relative_and_unc_paths() {
        for bad in [
            r"C:\a\..\..\etc",
            r"..\x",
            "/etc/passwd",
            r"\\server\share",
            "C:foo",
            "",
            r"C:\a\b?",
        ] {
            assert!(WinPath::parse(bad).is_err(), "{bad} should be refused");
        }
        let base = WinPath::parse(r"C:\a").unwrap();
        assert!(base.join(r"..\..\x").is_err());
    }
}
