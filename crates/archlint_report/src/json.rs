//! `--output-format json`: one document with the findings and the summary. The schema is
//! documented in `docs/output-json.md`; `version` changes when a field changes meaning.

use serde::Serialize;

use super::Summary;
use archlint_vocabulary::Diagnostic;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: &'static str,
    tool_version: &'static str,
    diagnostics: &'a [Diagnostic],
    summary: &'a Summary,
}

pub fn render(diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let document = Document {
        version: 1,
        tool: "archlint",
        tool_version: env!("CARGO_PKG_VERSION"),
        diagnostics,
        summary,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("diagnostics serialise");
    text.push('\n');
    text
}
