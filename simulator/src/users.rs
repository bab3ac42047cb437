//! The HPCA console users of a fabricated install: `admin` and the site's operators. Users
//! of a 7.20 install are the ones that lose their roles in the migration (B6).

use crate::site::{self, Stream};
use hpca_reference::host::ConsoleUser;
use hpca_reference::Version;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

const FIRST: &[&str] = &[
    "anna", "ben", "carla", "dev", "erik", "fatima", "gus", "hana", "ivan", "jo",
];
const LAST: &[&str] = &[
    "smith", "okafor", "nguyen", "muller", "rossi", "tanaka", "silva", "kowalski",
];
const ROLES: &[&str] = &[
    "Operators",
    "Reporting",
    "Software Managers",
    "Patch Managers",
    "OS Managers",
];

/// The salted digest the console stores for a password: `sha256:<salt>:<hash>`.
pub fn credential_digest(salt: &str, password: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(password.as_bytes());
    let hash: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{salt}:{hash}")
}

fn credential(rng: &mut ChaCha8Rng) -> String {
    let salt = format!("{:016x}", rng.gen::<u64>());
    let password = format!("{:012x}", rng.gen::<u64>() >> 16);
    credential_digest(&salt, &password)
}

/// `admin` plus `extra` console users created on `version`.
pub fn fabricate(version: Version, seed: u64, extra: u32) -> Vec<ConsoleUser> {
    let mut rng = site::rng(seed, Stream::Users);
    let mut users = vec![ConsoleUser {
        name: "admin".into(),
        created_in: version,
        roles: vec!["Administrators".into()],
        credential_digest: credential(&mut rng),
    }];
    for n in 0..extra {
        let first = FIRST.choose(&mut rng).expect("names");
        let last = LAST.choose(&mut rng).expect("names");
        let mut name = format!("{}{last}", &first[..1]);
        // Sites number clashes (jsmith, jsmith2) the way directory admins do.
        if users.iter().any(|u| u.name == name) {
            name = format!("{name}{}", n + 2);
        }
        let count = rng.gen_range(1..=2);
        let mut roles: Vec<String> = ROLES
            .choose_multiple(&mut rng, count)
            .map(|r| r.to_string())
            .collect();
        roles.sort();
        users.push(ConsoleUser {
            name,
            created_in: version,
            roles,
            credential_digest: credential(&mut rng),
        });
    }
    users
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_are_unique_and_carry_no_password_b6() {
        let users = fabricate(Version::V720, 9, 40);
        assert_eq!(users.len(), 41);
        let mut names: Vec<_> = users.iter().map(|u| u.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 41, "duplicate user names");
        assert!(users
            .iter()
            .all(|u| u.created_in == Version::V720 && !u.roles.is_empty()));
        assert!(users
            .iter()
            .all(|u| u.credential_digest.starts_with("sha256:")));
    }
}
