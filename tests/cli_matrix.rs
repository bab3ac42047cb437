//! `hpcasim replay` and `hpcasim matrix` as QA and CI run them: partitions, wrong
//! expectations, malformed files, JUnit and HTML output.

use assert_cmd::Command;
use predicates::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;

fn hpcasim() -> Command {
    Command::cargo_bin("hpcasim").unwrap()
}

const CATALOGUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");

fn listed(args: &[&str]) -> Vec<String> {
    let out = hpcasim()
        .args(["matrix", "--scenarios", CATALOGUE, "--list"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn partitions_together_run_each_cell_exactly_once() {
    let all = listed(&[]);
    assert!(all.len() >= 60, "the catalogue has {} cells", all.len());
    let mut seen = Vec::new();
    for k in 1..=3 {
        seen.extend(listed(&["--partition", &format!("{k}/3")]));
    }
    assert_eq!(seen.len(), all.len(), "a cell ran twice or not at all");
    assert_eq!(
        seen.iter().collect::<BTreeSet<_>>(),
        all.iter().collect::<BTreeSet<_>>()
    );
}

#[test]
fn a_bad_partition_is_a_usage_error() {
    hpcasim()
        .args(["matrix", "--partition", "4/3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("K/N"));
}

const WRONG_EXPECT: &str = r#"
title = "claims success where the installer must refuse"
covers = ["B7"]
[given]
version = "7.50"
role = "core"
[[steps]]
do = "upgrade"
[expect]
outcome = "success"
"#;

fn catalogue_with(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir.join("upgrade")).unwrap();
    std::fs::write(dir.join("upgrade").join(name), text).unwrap();
}

#[test]
fn a_wrong_expectation_fails_replay_and_matrix_with_the_replay_command_b7() {
    let dir = tempfile::tempdir().unwrap();
    catalogue_with(dir.path(), "wrong.toml", WRONG_EXPECT);
    let file = dir.path().join("upgrade/wrong.toml");
    hpcasim()
        .arg("replay")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("no-complete-backup"))
        .stdout(predicate::str::contains(format!(
            "replay: hpcasim replay {}",
            file.display()
        )));
    hpcasim()
        .args(["matrix", "--jobs", "1", "--scenarios"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("0 passed, 1 failed"))
        .stdout(predicate::str::contains("replay: hpcasim replay"));
}

#[test]
fn a_malformed_scenario_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = WRONG_EXPECT.replace("do = \"upgrade\"", "do = \"upgrade\"\nyess = true");
    catalogue_with(dir.path(), "typo.toml", &text);
    let file = dir.path().join("upgrade/typo.toml");
    hpcasim()
        .arg("replay")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("{}:9:1:", file.display())))
        .stderr(predicate::str::contains("yess"));
    hpcasim()
        .args(["matrix", "--scenarios"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(":9:1:"));
}

#[test]
fn the_matrix_writes_junit_and_an_html_page_linking_reports() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = dir.path().join("scenarios");
    std::fs::create_dir_all(scenarios.join("happy")).unwrap();
    std::fs::copy(
        Path::new(CATALOGUE).join("happy/boot-server-720.toml"),
        scenarios.join("happy/boot-server-720.toml"),
    )
    .unwrap();
    let junit = dir.path().join("junit.xml");
    let html = dir.path().join("html");
    hpcasim()
        .args(["matrix", "--scenarios"])
        .arg(&scenarios)
        .arg("--junit")
        .arg(&junit)
        .arg("--html")
        .arg(&html)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 passed, 0 failed"));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains("<testsuite name=\"happy/boot-server-720\""),
        "{xml}"
    );
    assert!(xml.contains("<testcase name=\"7.20-core\""), "{xml}");
    let page = std::fs::read_to_string(html.join("index.html")).unwrap();
    assert!(page.contains("1 of 1 cells ended as expected"), "{page}");
    assert!(
        page.contains("href=\"cells/0/1-hpca-backup-report.html\""),
        "{page}"
    );
    assert!(html.join("cells/0/1-hpca-backup-report.html").is_file());
}

#[test]
fn replay_keeps_the_host_for_inspection() {
    let dir = tempfile::tempdir().unwrap();
    let keep = dir.path().join("kept");
    hpcasim()
        .arg("replay")
        .arg(Path::new(CATALOGUE).join("upgrade/declined.toml"))
        .arg("--keep")
        .arg(&keep)
        .assert()
        .success()
        .stdout(predicate::str::contains("outcome: as expected"));
    hpcasim()
        .args(["dump", "--host"])
        .arg(&keep)
        .assert()
        .success()
        .stdout(predicate::str::contains("7.50"));
}
