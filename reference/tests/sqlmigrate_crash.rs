//! Crash at every named sqlmigrate point, rerun, and end exactly where an uninterrupted run
//! ends: the same tables (definitions, rows, digests) and the same errors files.

mod sqlmigrate_support;

use hpca_reference::fault::Crash;
use hpca_reference::sqlmigrate::{sqlmigrate, Options, Outcome};
use hpca_reference::{paths, Error, Version};
use sqlmigrate_support::*;

const OPTIONS: Options = Options { batch_rows: 40 };

#[test]
fn crash_at_every_point_then_rerun_ends_as_an_uninterrupted_run_b42_b43() {
    // Hundreds of reruns, each committing per table: on a RAM disk when there is one, so the
    // engine's syncs cost nothing (the crash model is a killed process, not a power cut).
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let (fixture, _) = core_790(
        &dir.path().join("fixture"),
        Version::V750,
        1,
        some_defects(),
    );
    let fixture = fixture.root().to_path_buf();
    let mut host = copy_host(&fixture, &dir.path().join("clean"));
    let plan = Crash::never();
    let outcome = sqlmigrate(&mut host, 'C', &OPTIONS, &plan, &mut |_| {}).unwrap();
    let Outcome::Migrated(clean) = outcome else {
        panic!("7.50 needs sqlmigrate")
    };
    assert!(
        clean.tables_with_errors().count() > 0,
        "the fixture has defects"
    );
    let want_db = db_dump(&host);
    let want_files = files(&host, &clean.folder);
    let want_journal = journal(&host, &clean.folder);
    let points = plan.passed();
    for kind in ["export", "drop", "recreate", "import", "errors"] {
        assert!(
            points
                .iter()
                .any(|p| p.starts_with(&format!("sqlmigrate:{kind}:"))),
            "a {kind} point is passed"
        );
    }
    assert!(points.iter().any(|p| p.ends_with(":committed")));
    assert!(points
        .iter()
        .any(|p| p.contains(":export:") && p.contains(":batch:")));

    // HPCASIM_CRASH_LIMIT runs only the first N points (for a quick local look).
    let limit = std::env::var("HPCASIM_CRASH_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    for (n, point) in points.iter().enumerate().take(limit) {
        let case = dir.path().join(format!("case{n}"));
        let mut host = copy_host(&fixture, &case);
        let crashed = sqlmigrate(&mut host, 'C', &OPTIONS, &Crash::at(point), &mut |_| {});
        assert!(
            matches!(&crashed, Err(Error::Crashed { point: p }) if p == point),
            "{point}: {crashed:?}"
        );
        let resumed = sqlmigrate(&mut host, 'C', &OPTIONS, &Crash::never(), &mut |_| {});
        let Ok(Outcome::Migrated(summary)) = resumed else {
            panic!("{point}: the rerun did not finish: {resumed:?}")
        };
        assert!(summary.resumed, "{point}: the rerun resumed");
        assert_eq!(summary.folder, paths::sqlmigrate_dir('C'), "{point}");
        assert_eq!(summary.tables, clean.tables, "{point}: per-table figures");
        assert_eq!(db_dump(&host), want_db, "{point}: database");
        assert_eq!(
            files(&host, &summary.folder),
            want_files,
            "{point}: export and errors files"
        );
        // The finished journal is compact: the same bytes however the run got there.
        assert_eq!(
            journal(&host, &summary.folder),
            want_journal,
            "{point}: progress journal"
        );
        drop(host);
        std::fs::remove_dir_all(&case).unwrap();
    }
}
