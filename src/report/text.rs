//! The human formats: `text` groups findings by file with a code frame that underlines the
//! span; `concise` prints one line per finding. Both end with counts by severity and chapter.
//! Colour is used only when asked (on a terminal, without `NO_COLOR`).

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::Summary;
use super::diagnostic::Diagnostic;
use crate::rules::Severity;

struct Palette {
    color: bool,
}

impl Palette {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }
    fn severity(&self, severity: Severity) -> String {
        let color = match severity {
            Severity::Error => AnsiColor::Red,
            Severity::Warning => AnsiColor::Yellow,
            Severity::Info => AnsiColor::Cyan,
        };
        self.paint(
            Style::new().fg_color(Some(color.into())).bold(),
            severity.name(),
        )
    }
    fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }
}

pub fn render(diagnostics: &[Diagnostic], summary: &Summary, color: bool) -> String {
    let palette = Palette { color };
    let mut out = String::new();
    let mut current: Option<&std::path::Path> = None;
    for d in diagnostics {
        if current != Some(d.path.as_path()) {
            if current.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", palette.bold(&d.path.display().to_string()));
            current = Some(d.path.as_path());
        }
        let _ = writeln!(
            out,
            "  {}:{} {} {} {} {}",
            d.start.line,
            d.start.column,
            palette.severity(d.severity),
            palette.bold(d.code),
            d.message,
            palette.dim(&format!("[{}]", d.name)),
        );
        frame(&mut out, d, &palette);
    }
    footer(&mut out, summary, &palette);
    out
}

/// The source lines of a finding with its span underlined.
fn frame(out: &mut String, d: &Diagnostic, palette: &Palette) {
    let Some(snippet) = &d.snippet else { return };
    let width = (snippet.first_line + snippet.lines.len()).to_string().len();
    for (index, line) in snippet.lines.iter().enumerate() {
        let number = snippet.first_line + index;
        let line = line.replace('\t', "    ");
        let _ = writeln!(
            out,
            "    {} {line}",
            palette.dim(&format!("{number:>width$} |"))
        );
        let start = if number == d.start.line {
            d.start.column
        } else {
            1
        };
        let end = if number == d.end.line {
            d.end.column
        } else {
            line.chars().count() + 1
        };
        let first_text = line
            .chars()
            .position(|c| !c.is_whitespace())
            .map_or(1, |i| i + 1);
        let start = start.max(if number == d.start.line {
            1
        } else {
            first_text
        });
        let carets = end.saturating_sub(start).max(1);
        let _ = writeln!(
            out,
            "    {} {}{}",
            palette.dim(&format!("{:>width$} |", "")),
            " ".repeat(start - 1),
            palette.paint(
                Style::new().fg_color(Some(AnsiColor::Red.into())),
                &"^".repeat(carets)
            ),
        );
    }
}

pub fn render_concise(diagnostics: &[Diagnostic], summary: &Summary, color: bool) -> String {
    let palette = Palette { color };
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(
            out,
            "{}:{}:{}: {} [{}] {}",
            d.path.display(),
            d.start.line,
            d.start.column,
            palette.bold(d.code),
            palette.severity(d.severity),
            d.message
        );
    }
    footer(&mut out, summary, &palette);
    out
}

fn footer(out: &mut String, summary: &Summary, palette: &Palette) {
    if summary.total() == 0 {
        let _ = writeln!(out, "No findings in {} files.", summary.files_checked);
        return;
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        out,
        "\n{} in {}: {}, {}, {}.",
        palette.bold(&plural(summary.total(), "finding")),
        plural(summary.files_checked, "file"),
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.infos, "info"),
    );
    let chapters: Vec<String> = summary
        .by_chapter
        .iter()
        .map(|(chapter, n)| format!("{chapter} {n}"))
        .collect();
    let _ = writeln!(out, "By chapter: {}.", chapters.join(", "));
}
