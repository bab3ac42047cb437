//! Lays down the product tree of an install: for each component `hpca_reference::install`
//! lists, its folder, configuration files (stock settings of the version with the site's
//! values), binaries (seeded bytes), logs and services; a Satellite's proxy cache.

use crate::site::{self, Site, Stream};
use hpca_reference::host::Service;
use hpca_reference::install::{self, Component, Settings};
use hpca_reference::livenetwork;
use hpca_reference::{paths, Host, Result, Role, Version, WinPath};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A component's binaries: path below its folder and size in KiB at scale 1.
fn binaries(module: &str) -> &'static [(&'static str, u64)] {
    match module {
        "core" => &[(r"bin\hpcaserver.exe", 24), (r"lib\hpca-core.jar", 32)],
        "satellite" => &[(r"bin\hpcaserver.exe", 24), (r"lib\hpca-sat.jar", 24)],
        "rcs" => &[
            (r"bin\nvdkit.exe", 20),
            (r"bin\ZTOPTASK.EXE", 32),
            (r"bin\ZUTILDLL.DLL", 12),
        ],
        "rms" => &[(r"bin\nvdkit.exe", 20), (r"modules\rms.tkd", 8)],
        "rps" => &[(r"bin\nvdkit.exe", 20), (r"modules\pm.tkd", 8)],
        "rpm" => &[(r"bin\nvdkit.exe", 20), (r"modules\patch.tkd", 12)],
        "ros" => &[(r"bin\nvdkit.exe", 20), (r"modules\roms.tkd", 8)],
        "rbs" => &[
            (r"bin\tftpd.exe", 12),
            (r"X86PC\UNDI\linux-boot\linux.0", 16),
        ],
        "rmp" => &[(r"bin\mcast.exe", 12)],
        "dcs" => &[(r"bin\dcs.exe", 16)],
        "rproxy" => &[(r"bin\nvdkit.exe", 20), (r"modules\proxy.tkd", 8)],
        "httpd" => &[(r"bin\httpd.exe", 16), (r"modules\mod_proxy.so", 6)],
        "console" => &[(r"bin\tomcat6.exe", 12), (r"webapps\em.war", 48)],
        "agent" => &[(r"bin\nvdkit.exe", 20), (r"bin\radskman.exe", 16)],
        "admin" => &[(r"bin\editor.exe", 24), (r"bin\publisher.exe", 20)],
        _ => &[],
    }
}

/// The site's values written over the stock settings: what a customer changed, and what
/// backup must carry and restore bring back.
fn site_settings(module: &str, settings: &mut Settings, site: &Site, role: Role) {
    let mut set = |section: &str, key: &str, value: String| {
        settings
            .entry(section.to_string())
            .or_default()
            .insert(key.to_string(), value);
    };
    let core_host = site.core_host.clone().unwrap_or_default();
    match module {
        "core" | "satellite" => set("sync", "core_host", core_host),
        "rcs" => {
            set("MGR_STARTUP", "MGR_NAME", site.hostname.clone());
            set("MGR_LOG", "LOG_LEVEL", site.log_level.to_string());
        }
        "rms" => set("msgsrv", "port", site.messaging_port.to_string()),
        "rpm" => set("patch", "gateway", site.patch_gateway.clone()),
        "rproxy" => set("proxy", "upstream", format!("http://{core_host}:3466")),
        "httpd" => set("server", "server_name", site.fqdn()),
        "console" => {
            set("console", "ldap_host", site.ldap_host.clone());
            set("console", "live_network_url", site.live_network_url.clone());
            if role == Role::Core && !site.live_network_user.is_empty() {
                set("live_network", "user", site.live_network_user.clone());
                set(
                    "live_network",
                    "password",
                    livenetwork::stored_password(&site.live_network_password),
                );
            }
        }
        "agent" => set(
            "agent",
            "mgr_host",
            match role {
                Role::Core => site.fqdn(),
                Role::Satellite => core_host,
            },
        ),
        _ => {}
    }
}

/// A binary-looking file: an `MZ` header, then seeded bytes.
pub fn binary(rng: &mut ChaCha8Rng, kib: u64, scale: u64) -> Vec<u8> {
    // +-25% so files of one kind do not all share a size.
    let base = kib * 1024 * scale;
    let len = rng.gen_range(base * 3 / 4..=base * 5 / 4) as usize;
    let mut bytes = site::bytes(rng, len.max(2));
    bytes[..2].copy_from_slice(b"MZ");
    bytes
}

/// Writes a few log lines as the component would have written them before the clock.
fn log(rng: &mut ChaCha8Rng, component: &Component, version: Version, clock: u64) -> String {
    let mut out = String::new();
    let lines = rng.gen_range(3..8usize);
    // Gaps drawn first so the lines run forward in time and end before the clock.
    let gaps: Vec<u64> = (0..lines).map(|_| rng.gen_range(600..7200)).collect();
    let mut at = clock - gaps.iter().sum::<u64>();
    for (n, gap) in gaps.iter().enumerate() {
        out.push_str(&format!(
            "{} [INFO] {} {version}: {}\r\n",
            site::timestamp(at),
            component.name,
            [
                "started",
                "listening",
                "heartbeat",
                "resolved 12 objects",
                "queue idle"
            ][n % 5]
        ));
        at += gap;
    }
    out
}

/// Lays down every component of a `version` install in `role` and registers its services.
pub fn lay_down(
    host: &mut Host,
    version: Version,
    role: Role,
    site: &Site,
    seed: u64,
    scale: u64,
) -> Result<()> {
    let mut rng = site::rng(seed, Stream::Files);
    let root = paths::install_dir();
    for component in install::components(version, role) {
        let dir = root.join(component.folder)?;
        for mut file in install::config_files(component.module, version, role) {
            site_settings(component.module, &mut file.settings, site, role);
            let text = install::render_settings(&file.settings);
            host.write(&dir.join(file.path)?, text.as_bytes())?;
        }
        for (path, kib) in binaries(component.module) {
            let bytes = binary(&mut rng, *kib, scale);
            host.write(&dir.join(path)?, &bytes)?;
        }
        if !component.services.is_empty() {
            let text = log(&mut rng, component, version, site.clock);
            host.write(
                &dir.join(&format!(r"logs\{}.log", component.module))?,
                text.as_bytes(),
            )?;
        }
        let image = service_image(&dir, component.module);
        for name in component.services {
            host.state_mut().services.insert(
                name.to_string(),
                Service {
                    running: true,
                    image: image.clone(),
                },
            );
        }
    }
    if role == Role::Satellite {
        proxy_cache(host, seed, scale)?;
    }
    Ok(())
}

/// The executable a component's services run: its first `.exe`.
fn service_image(dir: &WinPath, module: &str) -> WinPath {
    let exe = binaries(module)
        .iter()
        .map(|(p, _)| *p)
        .find(|p| p.to_ascii_lowercase().ends_with(".exe"))
        .unwrap_or(r"bin\nvdkit.exe");
    dir.join(exe).expect("binary paths are valid")
}

/// A Satellite's proxy cache: the packages it has already served (`data\cache`).
fn proxy_cache(host: &mut Host, seed: u64, scale: u64) -> Result<()> {
    let mut rng = site::rng(seed, Stream::Cache);
    let proxy = install::component("rproxy").expect("rproxy is catalogued");
    let cache = paths::install_dir()
        .join(proxy.folder)?
        .join(r"data\cache")?;
    let packages = rng.gen_range(3..8);
    for n in 0..packages {
        let name = format!("{:08X}.rzp", rng.gen::<u32>() ^ n);
        let bytes = binary(&mut rng, 8, scale);
        host.write(&cache.child(&name), &bytes)?;
    }
    Ok(())
}
