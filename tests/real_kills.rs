//! Real kills (B33, B42): `hpcasim restore` and `hpcasim sqlmigrate` run as processes, are
//! SIGKILLed at seeded random moments, rerun to completion, and must end with the same
//! `dump --json` (and, for sqlmigrate, the same errors files) as an uninterrupted run.
//! 25 kills of each per run; the delays come from a ChaCha RNG with a fixed seed, spread over
//! the measured duration of the uninterrupted step (a kill may land after it finished: fine).
//! A kill that leaves a rerun diverging keeps that host in the temp folder for inspection.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Kills per step: 25 + 25 = 50 per CI run.
const KILLS: usize = 25;
/// The RNG seed the kill moments are drawn from.
const KILL_SEED: u64 = 0x6b11_1ed5;

fn hpcasim() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hpcasim"));
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    cmd
}

/// Runs `hpcasim <args> --host <root>` to completion; panics with its stderr unless it succeeds.
fn run(root: &Path, args: &[&str]) {
    let out = hpcasim()
        .args(args)
        .arg("--host")
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "hpcasim {args:?} --host {}: {}",
        root.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn dump(root: &Path) -> Value {
    let out = hpcasim()
        .stdout(Stdio::piped())
        .args(["dump", "--json", "--host"])
        .arg(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "dump {}", root.display());
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A RAM disk when there is one: each kill copies a host folder.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        tempfile::Builder::new()
            .prefix("hpcasim-kills-")
            .tempdir_in(shm)
            .unwrap()
    } else {
        tempfile::tempdir().unwrap()
    }
}

/// `cp -a` of a host folder (files and folders; hosts hold nothing else).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file below `dir` (relative path -> bytes); empty when `dir` does not exist.
fn files_below(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The real folder of `C:\HPCABackup`.
fn backup_root(root: &Path) -> PathBuf {
    root.join("drives/C/HPCABackup")
}

/// The `SQLMigrate*` folder whose run finished (holds `sqlmigrate-progress.jsonl`), newest last.
fn finished_folder(root: &Path) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir(backup_root(root))
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with("SQLMigrate")
                        && p.join(hpca_reference::sqlmigrate::state::STATE_FILE)
                            .is_file()
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
        .pop()
        .unwrap_or_else(|| backup_root(root).join("SQLMigrate"))
}

/// A 7.50 Core with defects, taken through the CLI to just before `restore`.
fn prepare(root: &Path) {
    let out = hpcasim()
        .args(["fabricate", "--version", "7.50", "--role", "core"])
        .args([
            "--seed",
            "3",
            "--devices",
            "2",
            "--csdb-customizations",
            "1",
        ])
        .args([
            "--defects",
            "orphans=0.05,duplicates=0.05,nulls=0.03",
            "--out",
        ])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    run(root, &["backup", "C"]);
    run(root, &["upgrade", "--yes"]);
    run(root, &["reboot"]);
}

/// How one kill ended.
#[derive(Debug, PartialEq, Eq)]
enum Landed {
    MidRun,
    AfterCompletion,
}

/// Starts `args` on `root`, waits `delay`, SIGKILLs it (unless it already ended).
fn start_and_kill(root: &Path, args: &[&str], delay: Duration) -> Landed {
    let mut child = hpcasim()
        .stderr(Stdio::null())
        .args(args)
        .arg("--host")
        .arg(root)
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    if let Some(status) = child.try_wait().unwrap() {
        assert!(status.success(), "{args:?} failed by itself: {status}");
        return Landed::AfterCompletion;
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    if status.success() {
        Landed::AfterCompletion // it finished between try_wait and kill
    } else {
        Landed::MidRun
    }
}

/// The kill loop of one step: `base` is the host just before the step, `args` the step.
fn kill_and_rerun(step: &str, base: &Path, args: &[&str], scratch: &Path, compare_errors: bool) {
    let clean = scratch.join(format!("{step}-clean"));
    copy_tree(base, &clean);
    let started = Instant::now();
    run(&clean, args);
    let took = started.elapsed();
    let want = dump(&clean);
    let want_errors = files_below(&finished_folder(&clean).join("errors"));
    if compare_errors {
        assert!(
            !want_errors.is_empty(),
            "the defects reached no errors file"
        );
    }

    let mut rng = ChaCha8Rng::seed_from_u64(KILL_SEED ^ step.len() as u64);
    // Spread the moments over the uninterrupted run's duration (runs vary: some still land
    // after the end, and the earliest during the process's start-up).
    let span = took.as_micros() as u64 + 1;
    let before = dump(base);
    let (mut mid, mut untouched, mut after) = (0, 0, 0);
    for k in 0..KILLS {
        let delay = Duration::from_micros(rng.gen_range(0..span));
        let lab = scratch.join(format!("{step}-kill{k}"));
        copy_tree(base, &lab);
        match start_and_kill(&lab, args, delay) {
            // A kill during start-up (before the step changed anything) is still counted as
            // mid-run; `untouched` tells how many of those there were.
            Landed::MidRun if dump(&lab) == before => untouched += 1,
            Landed::MidRun => mid += 1,
            Landed::AfterCompletion => after += 1,
        }
        run(&lab, args);
        let got = dump(&lab);
        if got != want {
            let kept = std::env::temp_dir().join(format!("hpcasim-diverged-{step}-{k}"));
            let _ = std::fs::remove_dir_all(&kept);
            copy_tree(&lab, &kept);
            panic!(
                "{step}: killed after {delay:?} (kill {k}), rerun: the dump differs from the \
                 uninterrupted run's (host kept at {})",
                kept.display()
            );
        }
        if compare_errors {
            assert!(
                files_below(&finished_folder(&lab).join("errors")) == want_errors,
                "{step}: killed after {delay:?} (kill {k}): the errors files differ"
            );
        }
        std::fs::remove_dir_all(&lab).unwrap();
    }
    eprintln!(
        "{step}: uninterrupted run {took:?}; {KILLS} kills: {} mid-run ({mid} after the step \
         changed the host, {untouched} before), {after} after completion",
        mid + untouched
    );
    assert_eq!(mid + untouched + after, KILLS);
    assert!(
        mid > 0,
        "{step}: no kill landed while the step was changing the host"
    );
}

#[test]
fn restore_killed_at_seeded_moments_then_rerun_ends_as_an_uninterrupted_restore_b33() {
    let dir = scratch();
    let base = dir.path().join("before-restore");
    prepare(&base);
    kill_and_rerun(
        "restore",
        &base,
        &["restore", "C", "--yes"],
        dir.path(),
        false,
    );
}

#[test]
fn sqlmigrate_killed_at_seeded_moments_then_rerun_ends_as_an_uninterrupted_one_b42_b43() {
    let dir = scratch();
    let base = dir.path().join("before-sqlmigrate");
    prepare(&base);
    run(&base, &["restore", "C", "--yes"]);
    run(&base, &["service", "stop", "HPCA Core"]);
    // Small batches: many commits, so most kills land between two of them.
    kill_and_rerun(
        "sqlmigrate",
        &base,
        &["sqlmigrate", "C", "--batch-rows", "3"],
        dir.path(),
        true,
    );
}
