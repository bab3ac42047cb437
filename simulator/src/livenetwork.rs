//! HP Live Network on a fabricated Core (B55): the connector its version installed, and the
//! content items it fetched some days before the host clock. The connection itself (URL,
//! HP Passport user) is among the console's site settings (`install.rs`).

use crate::site::{self, Stream};
use hpca_reference::livenetwork::{self as hpln};
use hpca_reference::{Host, Result, Version};
use rand::Rng;

/// Content is at most this many days old at the host clock.
const MAX_AGE_DAYS: u64 = 60;

/// Lays down the `version` connector and the content of a `version` subscription.
pub fn lay_down(host: &mut Host, version: Version, seed: u64) -> Result<()> {
    for (path, bytes) in hpln::connector_files(version) {
        host.write(&path, &bytes)?;
    }
    let mut rng = site::rng(seed, Stream::LiveNetwork);
    let now = host.now();
    for item in hpln::content_items(version) {
        let fetched = now - rng.gen_range(1..=MAX_AGE_DAYS) * 86_400;
        let text = hpln::content_text(item, &hpln::content_version(fetched), version.as_str());
        host.write(&hpln::content_path(item), text.as_bytes())?;
    }
    Ok(())
}
