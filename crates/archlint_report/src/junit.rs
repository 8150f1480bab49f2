//! `--output-format junit`: one test suite per file, one failed test case per finding, so CI
//! systems that read JUnit reports list the findings.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Summary;
use archlint_vocabulary::Diagnostic;

/// `text` escaped for XML, with the characters XML 1.0 cannot hold at all (control
/// characters but tab and line ends, which file names and quoted source can carry) replaced
/// by U+FFFD, so that the report stays well-formed whatever the project holds.
fn escape(text: &str) -> String {
    let allowed: String = text
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect();
    quick_xml::escape::escape(allowed.as_str()).into_owned()
}

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

#[cfg(test)]
mod tests {
    use super::escape;

    /// Found by the fuzz tests: a file name or message with a control character made the
    /// report invalid XML.
    #[test]
    fn characters_xml_cannot_hold_are_replaced() {
        assert_eq!(escape("a\u{5}b\u{1b}c\0"), "a\u{fffd}b\u{fffd}c\u{fffd}");
        assert_eq!(escape("<&>\"'\tx\n"), "&lt;&amp;&gt;&quot;&apos;\tx\n");
    }
}
