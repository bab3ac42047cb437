//! Every behaviour of the guide's catalogue is demonstrated somewhere: named in a scenario's
//! `covers` list or in the name of a test (`restore_resumes_after_crash_b33`). Fails, naming
//! the IDs, when one is demonstrated nowhere.

use hpcasim::scenario::{self, BEHAVIOURS};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The IDs a scenario of the catalogue covers.
fn covered_by_scenarios() -> BTreeSet<String> {
    let files = scenario::matrix::scenario_files(&root().join("scenarios")).unwrap();
    assert!(!files.is_empty(), "the catalogue has scenarios");
    let mut ids = BTreeSet::new();
    for file in files {
        let scenario = scenario::load(&file).unwrap_or_else(|e| panic!("{e}"));
        ids.extend(scenario.covers.iter().map(|id| id.get_ref().clone()));
    }
    ids
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The test functions of a source file: a `fn` right after `#[test]` or `#[tokio::test]`
/// (other attributes and comments between allowed; proptest's tests carry `#[test]` too).
fn test_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut after_test = false;
    for line in source.lines().map(str::trim) {
        if line == "#[test]" || line.starts_with("#[tokio::test") {
            after_test = true;
            continue;
        }
        if let Some(rest) = line
            .strip_prefix("fn ")
            .or_else(|| line.strip_prefix("async fn "))
        {
            if after_test {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                names.push(name);
            }
            after_test = false;
        } else if !line.starts_with("#[") && !line.is_empty() && !line.starts_with("//") {
            after_test = false;
        }
    }
    names
}

/// The IDs named by a test function (`..._b42_b43`), over every crate's sources and tests.
fn covered_by_tests() -> BTreeSet<String> {
    let mut files = Vec::new();
    for dir in ["src", "tests", "reference", "simulator", "benches"] {
        rust_files(&root().join(dir), &mut files);
    }
    let mut ids = BTreeSet::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for name in test_names(&source) {
            for word in name.split('_') {
                if let Some(n) = word.strip_prefix('b') {
                    if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                        ids.insert(format!("B{n}"));
                    }
                }
            }
        }
    }
    ids
}

#[test]
fn every_behaviour_is_named_by_a_scenario_or_a_test() {
    let scenarios = covered_by_scenarios();
    let tests = covered_by_tests();
    let missing: Vec<&str> = BEHAVIOURS
        .iter()
        .copied()
        .filter(|id| !scenarios.contains(*id) && !tests.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "no scenario `covers` and no test name names {missing:?}; add a scenario or test that demonstrates each"
    );
    // A test name with an ID the catalogue does not have is a typo.
    let unknown: Vec<&String> = tests
        .iter()
        .filter(|id| !BEHAVIOURS.contains(&id.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "tests name unknown behaviours {unknown:?}"
    );
}

#[test]
fn the_list_of_behaviours_matches_the_catalogue_where_it_is_checked_out() {
    // The catalogue lives beside the project (../shared/spec); a clone without it checks the
    // list against itself only.
    let catalogue = root().join("../shared/spec/BEHAVIOURS.md");
    let Ok(text) = std::fs::read_to_string(&catalogue) else {
        println!(
            "skipped: {} is not checked out beside the project",
            catalogue.display()
        );
        return;
    };
    let ids: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("- B"))
        .map(|rest| {
            let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
            format!("B{n}")
        })
        .collect();
    assert_eq!(
        ids,
        BEHAVIOURS,
        "scenario::BEHAVIOURS follows {}",
        catalogue.display()
    );
}

#[test]
fn test_names_are_the_fns_after_test_attributes() {
    let source = "#[test]\nfn restore_resumes_b33() {}\nfn helper_b1() {}\n#[test]\n#[ignore]\nfn slow_b12_b13() {}\nproptest! {\n    #[test]\n    fn drawn_b42(x in 0..1) {}\n}\n";
    assert_eq!(
        test_names(source),
        ["restore_resumes_b33", "slow_b12_b13", "drawn_b42"]
    );
}
