//! The diagnostic model: one finding, where it is, how serious, and the few source lines the
//! text output frames. Ordering is by path, line, column, code, so output never depends on
//! thread timing.

use std::path::{Component, Path, PathBuf};

use ruff_source_file::LineIndex;
use ruff_text_size::{TextRange, TextSize};
use rustc_hash::FxHashMap;
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
}

/// Sorts diagnostics into the one deterministic order (path, line, column, code, then the
/// message; the first of equals stays first), dropping exact duplicates.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    // What is sorted is a small key per finding, each finding moved once into place after:
    // findings are large. Paths compare component by component, which is slow, so each
    // distinct path is ranked once (findings come grouped by file: the previous finding's
    // rank is usually the answer).
    let mut rank: FxHashMap<&Path, usize> = FxHashMap::default();
    let mut previous: Option<&Path> = None;
    for d in diagnostics.iter() {
        if previous != Some(&d.path) {
            rank.insert(&d.path, 0);
            previous = Some(&d.path);
        }
    }
    let mut paths: Vec<(Vec<Component>, &Path)> = rank
        .keys()
        .map(|path| (path.components().collect(), *path))
        .collect();
    paths.sort_unstable();
    for (index, (_, path)) in paths.iter().enumerate() {
        rank.insert(path, index);
    }
    let mut previous: Option<(&Path, usize)> = None;
    // (path rank, line, column, code), and where the finding is now.
    type Key = (usize, usize, usize, &'static str);
    let mut order: Vec<(Key, usize)> = diagnostics
        .iter()
        .enumerate()
        .map(|(index, d)| {
            let rank = match previous {
                Some((path, rank)) if path == d.path => rank,
                _ => rank[d.path.as_path()],
            };
            previous = Some((&d.path, rank));
            ((rank, d.start.line, d.start.column, d.code), index)
        })
        .collect();
    order.sort_unstable_by(|(a_key, a), (b_key, b)| {
        a_key
            .cmp(b_key)
            .then_with(|| diagnostics[*a].message.cmp(&diagnostics[*b].message))
            .then(a.cmp(b))
    });
    let mut slots: Vec<Option<Diagnostic>> = diagnostics.drain(..).map(Some).collect();
    let mut last_key = None;
    for (key, index) in order {
        let Some(d) = slots[index].take() else {
            continue;
        };
        if last_key == Some(key)
            && diagnostics
                .last()
                .is_some_and(|last| last.message == d.message)
        {
            continue;
        }
        last_key = Some(key);
        diagnostics.push(d);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Severity;

    static RULE: Rule = Rule {
        code: "ARCH001",
        name: "example",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        roles: None,
        doc: "",
        source: "",
    };

    fn finding(path: &str, line: usize, message: &str, severity: Severity) -> Diagnostic {
        let mut d = Diagnostic::for_file(&RULE, PathBuf::from(path), message.to_string());
        d.start.line = line;
        d.severity = severity;
        d
    }

    #[test]
    fn findings_sort_by_path_components_then_line_then_message_and_exact_duplicates_go() {
        let mut found = vec![
            finding("a.b/x.py", 1, "m", Severity::Warning),
            finding("a/b.py", 9, "z", Severity::Warning),
            finding("a/b.py", 2, "m", Severity::Warning),
            finding("a/b.py", 9, "a", Severity::Warning),
            finding("a.b/x.py", 1, "m", Severity::Error),
            finding("./a/b.py", 1, "m", Severity::Warning),
        ];
        sort(&mut found);
        let order: Vec<(String, usize, &str)> = found
            .iter()
            .map(|d| {
                (
                    d.path.display().to_string(),
                    d.start.line,
                    d.message.as_str(),
                )
            })
            .collect();
        // As `Path` orders them: a leading `.` component before any name, and `a` before
        // `a.b` (as text, `a.b/` would come before `a/`).
        assert_eq!(
            order,
            [
                ("./a/b.py".to_string(), 1, "m"),
                ("a/b.py".to_string(), 2, "m"),
                ("a/b.py".to_string(), 9, "a"),
                ("a/b.py".to_string(), 9, "z"),
                ("a.b/x.py".to_string(), 1, "m"),
            ]
        );
        // Of two equal findings the first one given is kept.
        assert_eq!(found[4].severity, Severity::Warning);
    }
}
