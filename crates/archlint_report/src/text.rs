//! The human formats: `text` groups findings by file with a code frame that underlines the
//! span; `concise` prints one line per finding. Both end with counts by severity and chapter.
//! Colour is used only when asked (on a terminal, without `NO_COLOR`).

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use rayon::prelude::*;

use super::Summary;
use archlint_vocabulary::Diagnostic;
use archlint_vocabulary::Severity;

struct Palette {
    color: bool,
}

/// Text in a style, written as it is formatted (a finding's line is built without
/// allocating its pieces).
struct Painted<T> {
    style: Option<Style>,
    text: T,
}

impl<T: std::fmt::Display> std::fmt::Display for Painted<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.style {
            Some(style) => write!(f, "{style}{}{style:#}", self.text),
            None => self.text.fmt(f),
        }
    }
}

/// A character written `count` times.
struct Repeated(char, usize);

impl std::fmt::Display for Repeated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (0..self.1).try_for_each(|_| f.write_char(self.0))
    }
}

impl Palette {
    fn paint<T>(&self, style: Style, text: T) -> Painted<T> {
        Painted {
            style: self.color.then_some(style),
            text,
        }
    }
    fn severity(&self, severity: Severity) -> Painted<&'static str> {
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
    fn bold<T>(&self, text: T) -> Painted<T> {
        self.paint(Style::new().bold(), text)
    }
    fn dim<T>(&self, text: T) -> Painted<T> {
        self.paint(Style::new().dimmed(), text)
    }
}

pub fn render(diagnostics: &[Diagnostic], summary: &Summary, color: bool) -> String {
    let palette = Palette { color };
    // Files are rendered side by side: with the findings taken from the cache, rendering their
    // code frames is a good part of a run.
    let files: Vec<&[Diagnostic]> = diagnostics.chunk_by(|a, b| a.path == b.path).collect();
    let rendered: Vec<String> = files
        .par_iter()
        .with_min_len(16)
        .map(|findings| render_file(findings, &palette))
        .collect();
    let mut out = String::with_capacity(rendered.iter().map(|r| r.len() + 1).sum::<usize>() + 256);
    for (index, file) in rendered.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(file);
    }
    footer(&mut out, summary, &palette);
    out
}

/// The findings of one file: its path, then each finding with its code frame.
fn render_file(findings: &[Diagnostic], palette: &Palette) -> String {
    let mut out = String::new();
    let Some(first) = findings.first() else {
        return out;
    };
    let _ = writeln!(out, "{}", palette.bold(first.path.display()));
    let mut chars = Vec::new();
    for d in findings {
        let _ = writeln!(
            out,
            "  {}:{} {} {} {} {}",
            d.start.line,
            d.start.column,
            palette.severity(d.severity),
            palette.bold(d.code),
            d.message,
            palette.dim(format_args!("[{}]", d.name)),
        );
        frame(&mut out, d, palette, &mut chars);
    }
    out
}

/// Lines longer than this many characters are cut to a window around the span, so a
/// generated or minified line (100,000 parentheses) cannot flood the terminal.
const MAX_LINE_WIDTH: usize = 160;
/// How much of the line before the span the window keeps, when it must cut.
const CONTEXT_BEFORE: usize = 40;
const TAB: &str = "    ";

/// The source lines of a finding with its span underlined; `chars` is room for a line's
/// characters, reused from line to line.
fn frame(out: &mut String, d: &Diagnostic, palette: &Palette, chars: &mut Vec<char>) {
    let Some(snippet) = &d.snippet else { return };
    let last = snippet.first_line + snippet.lines.len().saturating_sub(1);
    let width = last.to_string().len();
    for (index, line) in snippet.lines.iter().enumerate() {
        let number = snippet.first_line + index;
        chars.clear();
        chars.extend(line.chars());
        // The underlined columns, 0-based and end-exclusive, in characters of the line.
        let first_text = chars.iter().position(|c| !c.is_whitespace()).unwrap_or(0);
        let start = if number == d.start.line {
            d.start.column.saturating_sub(1)
        } else {
            first_text
        };
        let end = if number == d.end.line {
            d.end.column.saturating_sub(1)
        } else {
            chars.len()
        };
        let start = start.min(chars.len());
        let end = end.clamp(start, chars.len().max(start));
        let _ = write!(
            out,
            "    {} ",
            palette.dim(format_args!("{number:>width$} |"))
        );
        let (caret_start, caret_len) = window(out, chars, start, end);
        out.push('\n');
        let _ = writeln!(
            out,
            "    {} {}{}",
            palette.dim(format_args!("{:>width$} |", "")),
            Repeated(' ', caret_start),
            palette.paint(
                Style::new().fg_color(Some(AnsiColor::Red.into())),
                Repeated('^', caret_len.max(1))
            ),
        );
    }
}

/// Bidirectional controls and other invisible format characters that change how a line
/// displays.
fn is_invisible_control(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
        || (c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
}

/// Writes the text to show for one line (tabs expanded, cut around `start..end` when too long
/// with `…` marking each cut) and gives where the carets go in it: (offset, length) in
/// columns.
fn window(out: &mut String, chars: &[char], start: usize, end: usize) -> (usize, usize) {
    let (mut from, mut to) = (0, chars.len());
    if chars.len() > MAX_LINE_WIDTH {
        from = start.saturating_sub(CONTEXT_BEFORE);
        to = (from + MAX_LINE_WIDTH).min(chars.len());
        from = to.saturating_sub(MAX_LINE_WIDTH);
    }
    let mut column = 0;
    let (mut caret_start, mut caret_end) = (None, None);
    if from > 0 {
        out.push('…');
        column += 1;
    }
    for (index, &c) in chars.iter().enumerate().take(to).skip(from) {
        if index == start {
            caret_start = Some(column);
        }
        if index == end {
            caret_end = Some(column);
        }
        if c == '\t' {
            out.push_str(TAB);
            column += TAB.len();
        } else if is_invisible_control(c) {
            // Shown as `<U+202E>`: raw, a bidirectional control would reorder the frame
            // itself (the Trojan Source trick SEC613 reports).
            let before = out.len();
            let _ = write!(out, "<U+{:04X}>", c as u32);
            column += out.len() - before;
        } else {
            out.push(c);
            column += 1;
        }
    }
    let caret_start = caret_start.unwrap_or(if start < from { 0 } else { column });
    let caret_end = caret_end.unwrap_or(column).max(caret_start);
    if to < chars.len() {
        out.push('…');
    }
    (caret_start, caret_end - caret_start)
}

pub fn render_concise(diagnostics: &[Diagnostic], summary: &Summary, color: bool) -> String {
    let palette = Palette { color };
    let mut out = concise_lines(diagnostics, &palette);
    footer(&mut out, summary, &palette);
    out
}

/// The `concise` lines alone, without the counts (`check --quiet`).
pub fn render_concise_lines(diagnostics: &[Diagnostic], color: bool) -> String {
    concise_lines(diagnostics, &Palette { color })
}

fn concise_lines(diagnostics: &[Diagnostic], palette: &Palette) -> String {
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
    out
}

fn footer(out: &mut String, summary: &Summary, palette: &Palette) {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if summary.total() == 0 {
        let _ = writeln!(
            out,
            "No findings in {}.",
            plural(summary.files_checked, "file")
        );
        return;
    }
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
