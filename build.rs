//! Generates one `#[test]` per scenario file, so `cargo test` (and nextest, which can
//! partition tests across CI machines) runs each scenario as its own test.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn scenario_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.push(path.clone()); // rerun when a folder gains a file
            scenario_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut paths = Vec::new();
    scenario_files(&root, &mut paths);
    paths.sort();
    let mut code = String::new();
    for path in paths.iter().filter(|p| p.is_file()) {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path
            .strip_prefix(&root)
            .expect("below scenarios/")
            .with_extension("");
        let name: String = rel
            .to_string_lossy()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        writeln!(
            code,
            "#[test]\nfn scenario_{name}() {{\n    hpcasim::scenario::check_file(std::path::Path::new({:?}));\n}}\n",
            path.display().to_string()
        )
        .expect("writing to a String");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("scenario_tests.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
