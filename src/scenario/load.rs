//! Reading scenario files: TOML into [`Scenario`], with every error pointing at the file,
//! line and column it is about (as nextest points at a filter expression's span).

use super::model::{Outcome, Scenario, Step};
use super::BEHAVIOURS;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A scenario file that cannot be used, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub file: PathBuf,
    /// 1-based line; 0 when the error is about the whole file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

impl std::error::Error for ScenarioError {}

/// Line and column (1-based) of a byte offset.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn error_at(
    file: &Path,
    source: &str,
    span: Option<Range<usize>>,
    message: String,
) -> ScenarioError {
    let (line, column) = span.map_or((0, 0), |s| line_column(source, s.start));
    ScenarioError {
        file: file.to_path_buf(),
        line,
        column,
        message,
    }
}

/// Reads and checks one scenario file.
pub fn load(file: &Path) -> Result<Scenario, ScenarioError> {
    let source = std::fs::read_to_string(file).map_err(|e| ScenarioError {
        file: file.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read the scenario file: {e}"),
    })?;
    parse(file, &source)
}

/// Parses and checks scenario text; `file` names it in errors.
pub fn parse(file: &Path, source: &str) -> Result<Scenario, ScenarioError> {
    let scenario: Scenario = toml::from_str(source).map_err(|e| {
        let span = refine_span(source, e.span(), e.message());
        error_at(file, source, span, e.message().trim().to_string())
    })?;
    check(file, source, &scenario)?;
    Ok(scenario)
}

/// Serde reports an unknown field of a `[[steps]]` entry (an internally tagged enum, which
/// serde buffers) at the entry's header; point at the offending key inside the entry instead.
fn refine_span(source: &str, span: Option<Range<usize>>, message: &str) -> Option<Range<usize>> {
    let span = span?;
    let field = message
        .strip_prefix("unknown field `")
        .and_then(|m| m.split('`').next());
    let Some(field) = field else {
        return Some(span);
    };
    let below = &source[span.start.min(source.len())..];
    match key_span(below, field) {
        Some(inner) => Some(span.start + inner.start..span.start + inner.end),
        None => Some(span),
    }
}

/// The span of the first line that starts with `key` (for checks serde cannot make).
fn key_span(source: &str, key: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with(['=', ']']) {
            let start = offset + (line.len() - trimmed.len());
            return Some(start..start + key.len());
        }
        if trimmed.starts_with(&format!("[{key}]")) {
            let start = offset + (line.len() - trimmed.len());
            return Some(start..start + key.len() + 2);
        }
        offset += line.len();
    }
    None
}

fn check(file: &Path, source: &str, s: &Scenario) -> Result<(), ScenarioError> {
    let fail =
        |key: &str, message: String| Err(error_at(file, source, key_span(source, key), message));
    for id in &s.covers {
        if !BEHAVIOURS.contains(&id.get_ref().as_str()) {
            return Err(error_at(
                file,
                source,
                Some(id.span()),
                format!(
                    "'{}' is not a behaviour ID of BEHAVIOURS.md (B1..B63)",
                    id.get_ref()
                ),
            ));
        }
    }
    if s.covers.is_empty() {
        return fail(
            "covers",
            "covers must name at least one behaviour ID (e.g. covers = [\"B10\"])".into(),
        );
    }
    let g = &s.given;
    match (g.version.is_some(), g.versions.is_empty()) {
        (true, false) => {
            return fail(
                "versions",
                "give either version or versions, not both".into(),
            )
        }
        (false, true) => {
            return fail(
                "given",
                "given needs version = \"7.50\" or versions = [...]".into(),
            )
        }
        _ => {}
    }
    match (g.role.is_some(), g.roles.is_empty()) {
        (true, false) => return fail("roles", "give either role or roles, not both".into()),
        (false, true) => {
            return fail(
                "given",
                "given needs role = \"core\" or roles = [...]".into(),
            )
        }
        _ => {}
    }
    check_given_values(file, source, g)?;
    check_step_values(file, source, &s.steps)?;
    if s.steps.is_empty() {
        return fail(
            "steps",
            "a scenario needs at least one [[steps]] entry".into(),
        );
    }
    let e = &s.expect;
    match e.outcome {
        Outcome::Success if e.step.is_some() || e.reason.is_some() => {
            return fail(
                "outcome",
                "a successful outcome has no failing step or reason".into(),
            )
        }
        Outcome::Refused | Outcome::Failed => match e.step {
            None => {
                return fail(
                    "outcome",
                    "say which step stops the run: step = N (1-based)".into(),
                )
            }
            Some(n) if n == 0 || n > s.steps.len() => {
                return fail(
                    "step",
                    format!("step = {n} but the scenario has {} steps", s.steps.len()),
                )
            }
            _ => {}
        },
        _ => {}
    }
    Ok(())
}

/// Values serde takes as text but the simulator must understand (defects, drives, sizes).
fn check_given_values(
    file: &Path,
    source: &str,
    g: &super::model::Given,
) -> Result<(), ScenarioError> {
    if let Some(defects) = &g.defects {
        if let Err(e) = defects
            .get_ref()
            .parse::<hpca_simulator::reportdb::DefectPlan>()
        {
            return Err(error_at(file, source, Some(defects.span()), e.to_string()));
        }
    }
    if let Some(drives) = &g.drives {
        if let Err(e) = drives.get_ref().parse::<hpca_simulator::DriveLayout>() {
            return Err(error_at(file, source, Some(drives.span()), e));
        }
    }
    Ok(())
}

/// Values of steps that serde takes as text (sizes, paths) or that exclude each other.
fn check_step_values(file: &Path, source: &str, steps: &[Step]) -> Result<(), ScenarioError> {
    for step in steps {
        match step {
            Step::FillDrive { leave, .. } => {
                if let Err(e) = hpca_simulator::parse_size(leave) {
                    return Err(error_at(file, source, key_span(source, "leave"), e));
                }
            }
            Step::LiveNetwork {
                connector: Some(path),
                ..
            } if path != "installed" => {
                if let Err(e) = hpca_reference::WinPath::parse(path) {
                    let message = format!("connector is \"installed\" or a Windows path: {e}");
                    return Err(error_at(
                        file,
                        source,
                        key_span(source, "connector"),
                        message,
                    ));
                }
            }
            Step::Console {
                user: Some(_),
                site_user: true,
                ..
            } => {
                return Err(error_at(
                    file,
                    source,
                    key_span(source, "site_user"),
                    "give either user or site_user, not both".into(),
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
covers = ["B10"]
[given]
version = "7.50"
role = "core"
[[steps]]
do = "backup"
drive = "C"
[expect]
outcome = "success"
"#;

    fn parse_str(text: &str) -> Result<Scenario, ScenarioError> {
        parse(Path::new("scenarios/t.toml"), text)
    }

    #[test]
    fn a_good_file_parses() {
        let s = parse_str(GOOD).unwrap();
        assert_eq!(
            s.steps,
            vec![Step::Backup {
                drive: 'C',
                from: None,
                crash_at: None,
            }]
        );
    }

    #[test]
    fn an_unknown_key_names_file_line_and_column() {
        let text = GOOD.replace("drive = \"C\"", "drive = \"C\"\n  colour = \"red\"");
        let err = parse_str(&text).unwrap_err();
        assert_eq!((err.line, err.column), (9, 3), "{err}");
        assert!(
            err.to_string().starts_with("scenarios/t.toml:9:3: "),
            "{err}"
        );
        assert!(err.message.contains("colour"), "{err}");
    }

    #[test]
    fn a_bad_value_points_at_the_value() {
        let err = parse_str(&GOOD.replace("\"7.50\"", "\"7.00\"")).unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        assert!(err.message.contains("7.20"), "{err}");
        let err = parse_str(&GOOD.replace("\"B10\"", "\"B99\"")).unwrap_err();
        assert_eq!((err.line, err.column), (2, 11), "{err}");
    }

    #[test]
    fn semantic_errors_point_at_their_key() {
        let text = GOOD.replace("outcome = \"success\"", "outcome = \"refused\"");
        let err = parse_str(&text).unwrap_err();
        assert_eq!(err.line, 10, "{err}");
        assert!(err.message.contains("step = N"), "{err}");
    }
}
