//! The site a fabricated server lives at: its name, domain, clock and the values a customer
//! chose at install time, all drawn from the seed.

use hpca_reference::Role;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One independent random stream per concern, so that adding a draw to one concern (say the
/// CSDB) does not shift every value drawn after it elsewhere (say the file bytes).
#[derive(Debug, Clone, Copy)]
pub enum Stream {
    Site = 1,
    Files = 2,
    Csdb = 3,
    Users = 4,
    BootServer = 5,
    Cache = 6,
    Devices = 7,
    LiveNetwork = 8,
}

/// The seeded RNG of one concern.
pub fn rng(seed: u64, stream: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream as u64);
    rng
}

/// Fills `len` bytes from `rng`.
pub fn bytes(rng: &mut ChaCha8Rng, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    rng.fill_bytes(&mut out);
    out
}

/// 2010-03-20 00:00 UTC: the seeded clock falls in the three months before and after 7.90
/// shipped (May 2010), when these migrations were done.
const SPRING_2010: u64 = 1_269_043_200;
const THREE_MONTHS: u64 = 92 * 86_400;

const DOMAINS: &[&str] = &[
    "corp.example.com",
    "ad.acme-bank.example",
    "na.contoso.example",
    "eu.globex.example",
    "hq.initech.example",
];

/// Site-specific values a customer set at install time.
#[derive(Debug, Clone)]
pub struct Site {
    pub hostname: String,
    pub domain: String,
    pub clock: u64,
    /// The Core a Satellite synchronizes with (`None` on a Core).
    pub core_host: Option<String>,
    pub messaging_port: u16,
    pub ldap_host: String,
    pub patch_gateway: String,
    pub live_network_url: String,
    /// The HP Passport user of the Live Network connection (empty when no URL is set).
    pub live_network_user: String,
    /// Its password (empty when no URL is set).
    pub live_network_password: String,
    pub log_level: &'static str,
    /// The reporting database's SQL password (never in a dump or report).
    pub sql_password: String,
}

impl Site {
    /// Draws a site for a server in `role`.
    pub fn draw(seed: u64, role: Role) -> Site {
        let mut rng = rng(seed, Stream::Site);
        let domain = DOMAINS.choose(&mut rng).expect("domains").to_string();
        let number: u32 = rng.gen_range(1..100);
        let hostname = match role {
            Role::Core => format!("HPCA-CORE-{number:02}"),
            Role::Satellite => format!("HPCA-SAT-{number:02}"),
        };
        let clock = SPRING_2010 + rng.gen_range(0..THREE_MONTHS);
        // A Satellite fabricated with a Core's seed belongs to that Core: same number and
        // domain, so `sync --host SAT --core CORE` pairs hosts of one seed.
        let core_host =
            (role == Role::Satellite).then(|| format!("hpca-core-{number:02}.{domain}"));
        // Most sites keep the default ports; some moved the Messaging Server off 3461.
        let messaging_port = if rng.gen_ratio(1, 4) { 3471 } else { 3461 };
        let ldap_host = format!("ldap{}.{domain}", rng.gen_range(1..4));
        let patch_gateway = if rng.gen_bool(0.5) {
            format!("http://patchgw.{domain}:8080")
        } else {
            String::new()
        };
        let live_network_url = if rng.gen_bool(0.5) {
            "https://hpln.hp.com/content".to_string()
        } else {
            String::new()
        };
        let log_level = ["40", "40", "60"].choose(&mut rng).expect("levels");
        let sql_password: String = (0..14)
            .map(|_| {
                let c = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789!#%"
                    .choose(&mut rng)
                    .expect("alphabet");
                *c as char
            })
            .collect();
        // Drawn last, so the values above stay what earlier seeds gave.
        let (live_network_user, live_network_password) = if live_network_url.is_empty() {
            (String::new(), String::new())
        } else {
            let who = ["hpca.ops", "itadmin", "desktop.team"]
                .choose(&mut rng)
                .expect("users");
            let password: String = (0..12)
                .map(|_| {
                    *b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
                        .choose(&mut rng)
                        .expect("alphabet") as char
                })
                .collect();
            (format!("{who}@{domain}"), password)
        };
        Site {
            hostname,
            domain,
            clock,
            core_host,
            messaging_port,
            ldap_host,
            patch_gateway,
            live_network_url,
            live_network_user,
            live_network_password,
            log_level,
            sql_password,
        }
    }

    /// The fully qualified host name.
    pub fn fqdn(&self) -> String {
        format!("{}.{}", self.hostname.to_ascii_lowercase(), self.domain)
    }
}

/// Unix seconds as `YYYY-MM-DD hh:mm:ss` (UTC), for log lines.
pub use hpca_reference::calendar::timestamp;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_clock_starts_in_spring_2010() {
        // The conversion itself is tested in hpca_reference::calendar.
        assert_eq!(timestamp(SPRING_2010), "2010-03-20 00:00:00");
    }

    #[test]
    fn a_satellite_of_a_seed_belongs_to_the_core_of_that_seed() {
        for seed in 0..20 {
            let core = Site::draw(seed, Role::Core);
            assert_eq!(
                Site::draw(seed, Role::Satellite).core_host,
                Some(core.fqdn())
            );
        }
    }

    #[test]
    fn a_satellite_knows_its_core_and_a_core_does_not() {
        assert!(Site::draw(3, Role::Satellite).core_host.is_some());
        assert!(Site::draw(3, Role::Core).core_host.is_none());
        assert!(Site::draw(3, Role::Core).hostname.starts_with("HPCA-CORE-"));
    }
}
