//! `--output-format junit`: one test suite per file, one failed test case per finding, so CI
//! systems that read JUnit reports list the findings.

use std::collections::BTreeMap;
use std::fmt::Write;

use quick_xml::escape::escape;

use super::Summary;
use archlint_vocabulary::Diagnostic;

pub fn render(diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let mut by_file: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        by_file
            .entry(d.path.display().to_string())
            .or_default()
            .push(d);
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"archlint\" tests=\"{}\" failures=\"{}\">",
        summary.total(),
        summary.total()
    );
    for (path, findings) in &by_file {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">",
            escape(path.as_str()),
            findings.len(),
            findings.len()
        );
        for d in findings {
            let _ = writeln!(
                out,
                "    <testcase name=\"{} {}:{}:{}\" classname=\"{}\">",
                escape(d.code),
                escape(path.as_str()),
                d.start.line,
                d.start.column,
                escape(d.name),
            );
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"{}\">{}:{}:{}: {} [{}] {}</failure>",
                escape(d.message.as_str()),
                d.severity.name(),
                escape(path.as_str()),
                d.start.line,
                d.start.column,
                escape(d.code),
                d.severity.name(),
                escape(d.message.as_str()),
            );
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
