//! `--output-format github`: GitHub Actions workflow commands, which show each finding as an
//! annotation on the pull request's diff.

use std::fmt::Write;

use archlint_vocabulary::Diagnostic;
use archlint_vocabulary::Severity;

/// Workflow-command values escape `%`, CR and LF; properties also `:` and `,`.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let _ = writeln!(
            out,
            "::{level} title={},file={},line={},col={},endLine={},endColumn={}::{}",
            escape_property(&format!("archlint {} ({})", d.code, d.name)),
            escape_property(&d.path.display().to_string()),
            d.start.line,
            d.start.column,
            d.end.line,
            d.end.column,
            escape_data(&format!("{}: {}", d.code, d.message)),
        );
    }
    out
}
