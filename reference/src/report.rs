//! The report model every migration step returns (backup, installer, wizard, restore, ...),
//! and its two renderings: HTML for the operator (B14, B34) and a JSON twin for tools.
//!
//! Architecture Invariant: every piece of text that can come from the customer's site
//! (device names, users, paths, settings) is HTML-escaped by [`render_html`]; the renderers
//! add nothing that varies between runs (time comes from the host clock in the model).

use crate::product::{Role, Version};
use crate::winpath::WinPath;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// How much attention an entry needs, as the HPCA reports grade it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Done as expected.
    Info,
    /// Worth reading; may need manual action to migrate a setting properly.
    Warning,
    /// The operator must act (review a script, back up the database, ...).
    #[serde(rename = "actionrequired")]
    ActionRequired,
    /// The step failed at this point.
    Error,
}

impl Level {
    /// The level as the reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::ActionRequired => "actionrequired",
            Level::Error => "error",
        }
    }
}

/// One line of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub level: Level,
    /// The backup module (`rds`, `rms`, ...) or step the entry is about, if any.
    pub module: Option<String>,
    pub message: String,
}

/// A report of one migration step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The report's title ("HPCA Core backup report").
    pub title: String,
    /// The server's host name.
    pub host: String,
    /// The HPCA version the step found installed.
    pub version: Version,
    pub role: Role,
    /// When the step started, host clock, unix seconds.
    pub started_at: u64,
    /// When the step ended, host clock, unix seconds.
    pub finished_at: u64,
    pub entries: Vec<Entry>,
    /// The closing line (success or failure), as the console shows it.
    pub outcome: String,
}

impl Report {
    /// An empty report; entries are added with [`Report::push`].
    pub fn new(
        title: impl Into<String>,
        host: &str,
        version: Version,
        role: Role,
        now: u64,
    ) -> Report {
        Report {
            title: title.into(),
            host: host.to_string(),
            version,
            role,
            started_at: now,
            finished_at: now,
            entries: Vec::new(),
            outcome: String::new(),
        }
    }

    /// Adds an entry.
    pub fn push(&mut self, level: Level, module: Option<&str>, message: impl Into<String>) {
        self.entries.push(Entry {
            level,
            module: module.map(str::to_string),
            message: message.into(),
        });
    }

    /// How many entries have each level, most severe first (for the summary line).
    pub fn counts(&self) -> [(Level, usize); 4] {
        [
            Level::Error,
            Level::ActionRequired,
            Level::Warning,
            Level::Info,
        ]
        .map(|l| (l, self.entries.iter().filter(|e| e.level == l).count()))
    }

    /// The most severe level present, if any entry is there.
    pub fn worst(&self) -> Option<Level> {
        self.entries.iter().map(|e| e.level).max()
    }
}

/// The JSON twin of an HTML report: the same folder and name, `.json` instead of `.html`.
pub fn json_twin(html: &WinPath) -> WinPath {
    let name = html.file_name().expect("a report file");
    let stem = name.strip_suffix(".html").unwrap_or(name);
    html.parent()
        .expect("a report lies in a folder")
        .child(&format!("{stem}.json"))
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The report as a standalone HTML page; every text from the model is escaped.
pub fn render_html(report: &Report) -> String {
    let e = escape_html;
    let mut out = String::new();
    let _ = writeln!(out, "<!DOCTYPE html>");
    let _ = writeln!(out, "<html lang=\"en\">");
    let _ = writeln!(out, "<head>");
    let _ = writeln!(out, "<meta charset=\"utf-8\">");
    let _ = writeln!(out, "<title>{}</title>", e(&report.title));
    let _ = writeln!(
        out,
        "<style>table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:2px 6px;text-align:left}}\
         .info{{}}.warning{{background:#fff3c4}}.actionrequired{{background:#ffd8a8}}.error{{background:#ffb3b3}}</style>"
    );
    let _ = writeln!(out, "</head>");
    let _ = writeln!(out, "<body>");
    let _ = writeln!(out, "<h1>{}</h1>", e(&report.title));
    let _ = writeln!(out, "<table class=\"summary\">");
    let rows = [
        ("Host", report.host.clone()),
        ("Version", report.version.to_string()),
        ("Role", report.role.title().to_string()),
        ("Started (unix seconds)", report.started_at.to_string()),
        ("Finished (unix seconds)", report.finished_at.to_string()),
    ];
    for (k, v) in rows {
        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", e(k), e(&v));
    }
    let counts = report
        .counts()
        .iter()
        .map(|(l, n)| format!("{n} {}", l.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(out, "<tr><th>Entries</th><td>{}</td></tr>", e(&counts));
    let _ = writeln!(out, "</table>");
    let _ = writeln!(out, "<h2>Entries</h2>");
    let _ = writeln!(out, "<p>Review every warning and actionrequired entry: each may need manual action for the settings to migrate properly.</p>");
    let _ = writeln!(out, "<table class=\"entries\">");
    let _ = writeln!(
        out,
        "<tr><th>Level</th><th>Module</th><th>Message</th></tr>"
    );
    for entry in &report.entries {
        let level = entry.level.as_str();
        let _ = writeln!(
            out,
            "<tr class=\"{level}\"><td>{level}</td><td>{}</td><td>{}</td></tr>",
            e(entry.module.as_deref().unwrap_or("")),
            e(&entry.message)
        );
    }
    let _ = writeln!(out, "</table>");
    let _ = writeln!(out, "<p class=\"outcome\">{}</p>", e(&report.outcome));
    let _ = writeln!(out, "</body>");
    let _ = writeln!(out, "</html>");
    out
}

/// The report as pretty JSON (the twin of the HTML page), ending in a newline.
pub fn render_json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        let mut r = Report::new(
            "HPCA Core backup report",
            "HPCA<01>",
            Version::V750,
            Role::Core,
            7,
        );
        r.push(
            Level::Warning,
            Some("rms"),
            r#"device "PC&1" <script>alert('x')</script>"#,
        );
        r.push(Level::Info, None, "plain");
        r.outcome = "done <ok>".into();
        r
    }

    #[test]
    fn html_escapes_all_customer_text() {
        let html = render_html(&sample());
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(html.contains("&quot;PC&amp;1&quot;"));
        assert!(html.contains("HPCA&lt;01&gt;"));
        assert!(html.contains("done &lt;ok&gt;"));
        assert!(html.contains("<tr class=\"warning\"><td>warning</td><td>rms</td>"));
    }

    #[test]
    fn json_names_levels_as_the_hpca_reports_do_and_round_trips() {
        let mut r = sample();
        r.push(Level::ActionRequired, Some("rds"), "review");
        let json = render_json(&r);
        assert!(json.contains("\"actionrequired\"") && json.contains("\"warning\""));
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
        assert_eq!(r.worst(), Some(Level::ActionRequired));
    }
}
