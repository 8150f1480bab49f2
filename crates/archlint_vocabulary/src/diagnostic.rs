//! The diagnostic model: one finding, where it is, how serious, and the few source lines the
//! text output frames. Ordering is by path, line, column, code, so output never depends on
//! thread timing.

use std::path::{Path, PathBuf};

use ruff_source_file::LineIndex;
use ruff_text_size::{TextRange, TextSize};
use serde::{Deserialize, Serialize};

use crate::role::Role;
use crate::rule::{Chapter, Confidence, Rule, Severity};

/// A 1-based line and column (the column counts characters, not bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// The source lines a diagnostic spans (at most a few), kept so output needs no re-reading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    pub first_line: usize,
    pub lines: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Diagnostic {
    /// The rule that found it.
    #[serde(skip)]
    pub rule: &'static Rule,
    /// Serialised lossily: a file name that is not UTF-8 must not fail the whole report.
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    pub code: &'static str,
    pub name: &'static str,
    pub chapter: Chapter,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// The role of the file it is in, for Python files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    pub message: String,
    pub start: Location,
    pub end: Location,
    /// Byte offsets in the file, for matching suppression comments.
    #[serde(skip)]
    pub offset: (u32, u32),
    #[serde(skip)]
    pub snippet: Option<Snippet>,
}

fn lossy_path<S: serde::Serializer>(
    path: &std::path::Path,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&path.to_string_lossy())
}

impl Diagnostic {
    /// A diagnostic about a whole file (I/O errors), placed at 1:1.
    pub fn for_file(rule: &'static Rule, path: PathBuf, message: String) -> Self {
        let start = Location { line: 1, column: 1 };
        Diagnostic {
            rule,
            path,
            code: rule.code,
            name: rule.name,
            chapter: rule.chapter(),
            severity: rule.severity,
            confidence: rule.confidence,
            role: None,
            message,
            start,
            end: start,
            offset: (0, 0),
            snippet: None,
        }
    }

    /// A diagnostic at `range` of a file whose text is `source`, with its code frame.
    pub fn at(
        rule: &'static Rule,
        path: &Path,
        source: &str,
        line_index: &LineIndex,
        range: TextRange,
        message: String,
    ) -> Self {
        let start = location(source, line_index, range.start());
        let end = location(source, line_index, range.end());
        Diagnostic {
            start,
            end,
            offset: (range.start().to_u32(), range.end().to_u32()),
            snippet: Some(snippet(source, line_index, start.line, end.line)),
            ..Diagnostic::for_file(rule, path.to_path_buf(), message)
        }
    }

    pub fn sort_key(&self) -> (&PathBuf, usize, usize, &'static str) {
        (&self.path, self.start.line, self.start.column, self.code)
    }
}

/// Sorts diagnostics into the one deterministic order, dropping exact duplicates.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.message.cmp(&b.message))
    });
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.message == b.message);
}

/// The 1-based line and column of a byte offset.
pub fn location(source: &str, line_index: &LineIndex, offset: TextSize) -> Location {
    let offset = offset.min(TextSize::of(source));
    let position = line_index.line_column(offset, source);
    Location {
        line: position.line.get(),
        column: position.column.get(),
    }
}

/// The lines `first..=last` (at most four) for the code frame.
fn snippet(source: &str, line_index: &LineIndex, first: usize, last: usize) -> Snippet {
    const MAX_LINES: usize = 4;
    let lines = (first..=last.min(first + MAX_LINES - 1))
        .filter_map(|line| {
            let line = ruff_source_file::OneIndexed::new(line)?;
            let range = line_index.line_range(line, source);
            Some(source[range].trim_end_matches(['\r', '\n']).to_string())
        })
        .collect();
    Snippet {
        first_line: first,
        lines,
    }
}
