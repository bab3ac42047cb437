//! Publishing a matrix run: JUnit XML for CI dashboards, and an HTML page a person reads,
//! linking each cell's reports.

use super::outcome::{CellResult, StepStatus};
use hpca_reference::report::escape_html as escape;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::path::Path;
use std::time::Duration;

/// The run as JUnit XML: one suite per scenario, one test case per cell.
pub fn junit(results: &[CellResult]) -> String {
    let mut report = Report::new("hpcasim matrix");
    let mut suites: Vec<TestSuite> = Vec::new();
    for r in results {
        if suites.last().is_none_or(|s| s.name.as_str() != r.cell.name) {
            suites.push(TestSuite::new(r.cell.name.clone()));
        }
        let name = format!("{}-{}", r.cell.version, r.cell.role);
        let status = if r.passed() {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(r.word());
            s.set_description(format!(
                "{}\nreplay: {}",
                r.problems().join("\n"),
                r.cell.replay_command()
            ));
            s
        };
        let mut case = TestCase::new(name, status);
        case.set_classname(r.cell.name.clone());
        case.set_time(Duration::from_millis(r.millis as u64));
        suites.last_mut().expect("pushed above").add_test_case(case);
    }
    report.add_test_suites(suites);
    report.to_string().expect("JUnit XML serializes")
}

/// Writes `dir/index.html` and, per cell, `dir/cells/<n>/` with the reports its steps wrote.
pub fn html(results: &[CellResult], dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("cells"))?;
    let passed = results.iter().filter(|r| r.passed()).count();
    let mut rows = String::new();
    for (n, r) in results.iter().enumerate() {
        let cell_dir = dir.join("cells").join(n.to_string());
        std::fs::create_dir_all(&cell_dir)?;
        let mut steps = String::new();
        for (i, step) in r.steps.iter().enumerate() {
            let (class, status) = match &step.status {
                StepStatus::Ok => ("ok", "ok".to_string()),
                StepStatus::Error { code, .. } => ("err", code.clone()),
            };
            let mut links = String::new();
            for report in &step.reports {
                let file = format!("{}-{}", i + 1, report.name);
                std::fs::write(cell_dir.join(&file), &report.bytes)?;
                let href = format!("cells/{n}/{file}");
                links.push_str(&format!(
                    " <a href=\"{}\">{}</a>",
                    escape(&href),
                    escape(&report.name)
                ));
            }
            steps.push_str(&format!(
                "<li class=\"{class}\"><code>{}</code>: {} &mdash; {}{links}</li>",
                escape(&step.command),
                escape(&status),
                escape(&step.summary)
            ));
        }
        let problems: String = r
            .problems()
            .iter()
            .map(|p| format!("<li>{}</li>", escape(p)))
            .collect();
        let replay = if r.passed() {
            String::new()
        } else {
            format!(
                "<p>replay: <code>{}</code></p>",
                escape(&r.cell.replay_command())
            )
        };
        rows.push_str(&format!(
            "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><ol>{steps}</ol><ul>{problems}</ul>{replay}</td></tr>\n",
            if r.passed() { "pass" } else { "fail" },
            escape(&r.cell.name),
            r.cell.version,
            r.cell.role,
            r.word(),
        ));
    }
    let page = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>hpcasim matrix</title>\n<style>\
body{{font-family:sans-serif}} table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:4px;vertical-align:top}}\
tr.fail{{background:#fdd}} tr.pass td:nth-child(4){{color:#070}} li.err{{color:#a00}}</style></head>\n\
<body><h1>hpcasim matrix</h1><p>{passed} of {} cells ended as expected.</p>\n\
<table><tr><th>scenario</th><th>version</th><th>role</th><th>result</th><th>steps</th></tr>\n{rows}</table></body></html>\n",
        results.len()
    );
    std::fs::write(dir.join("index.html"), page)
}
