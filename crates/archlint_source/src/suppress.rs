//! Suppression comments, archlint's own and those of the tools teams migrate from.
//!
//! - `# archlint: ignore[SEC301, SEC6]` on a finding's line, or on the first line of the
//!   statement it lies in; `# archlint: ignore` without codes ignores every rule there.
//! - `# archlint: ignore-file[SEC101]` anywhere in the file, for the whole file.
//! - `# nosec` / `# nosec B602, B607` (bandit): the rules whose bandit equivalent is listed;
//!   a bare `# nosec` covers every security rule, as it covers every bandit check.
//! - `# noqa: S602` (ruff, flake8) or `# noqa: V103` (vulture): the rules whose ruff or vulture
//!   equivalent (or own code) is listed;
//!   a bare `# noqa` covers every rule that has a ruff equivalent.
//!
//! - `# zizmor: ignore[unpinned-uses]` (in CI workflows): the rules whose zizmor equivalent
//!   is listed.
//!
//! Unused `archlint:` comments become `SUP001`; `nosec`/`noqa` are left alone because other
//! tools read them too.

use std::sync::LazyLock;

use regex::Regex;
use ruff_text_size::TextRange;
use serde::{Deserialize, Serialize};

use archlint_vocabulary::{Chapter, Rule};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dialect {
    Archlint,
    Nosec,
    Noqa,
    Zizmor,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Directive {
    pub dialect: Dialect,
    /// `None` for a blanket directive.
    pub codes: Option<Vec<String>>,
    pub line: usize,
    /// The comment's column (set by the caller, which knows the line index).
    pub column: usize,
    pub range: TextRange,
    pub file_wide: bool,
    pub used: bool,
}

impl Directive {
    pub fn covers(&self, rule: &Rule) -> bool {
        match (self.dialect, &self.codes) {
            (Dialect::Archlint, None) => true,
            (Dialect::Archlint, Some(codes)) => codes
                .iter()
                .any(|code| rule.code.starts_with(code.as_str()) || rule.name == code),
            (Dialect::Nosec, None) => rule.chapter() == Chapter::Security,
            (Dialect::Nosec, Some(ids)) => rule
                .peer_id("bandit")
                .is_some_and(|id| ids.iter().any(|i| i == id)),
            (Dialect::Zizmor, codes) => rule.peer_id("zizmor").is_some_and(|id| {
                codes
                    .as_ref()
                    .is_some_and(|codes| codes.iter().any(|code| code == id))
            }),
            (Dialect::Noqa, None) => rule.peer_id("ruff").is_some(),
            (Dialect::Noqa, Some(codes)) => codes.iter().any(|code| {
                code == rule.code
                    || rule
                        .peers
                        .iter()
                        .any(|peer| matches!(peer.tool, "ruff" | "vulture") && peer.id == code)
            }),
        }
    }
}

static ARCHLINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)archlint\s*:\s*(ignore-file|ignore)\b(?:\s*\[([^\]]*)\])?").unwrap()
});
static ZIZMOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"#\s*zizmor\s*:\s*ignore\s*\[([^\]]*)\]").unwrap());
static NOSEC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)#\s*nosec\b:?((?:[\s,]+B\d{3})*)").unwrap());
static NOQA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)#\s*noqa\b(?::\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?").unwrap()
});

fn split_codes(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|code| !code.is_empty())
        .map(str::to_string)
        .collect()
}

/// The directives in one comment (a comment can hold several: `# noqa: S603  # nosec`).
pub fn parse_comment(text: &str, line: usize, range: TextRange) -> Vec<Directive> {
    let mut directives = Vec::new();
    for captures in ARCHLINT.captures_iter(text) {
        let codes = captures.get(2).map(|m| split_codes(m.as_str()));
        directives.push(Directive {
            dialect: Dialect::Archlint,
            codes,
            line,
            column: 0,
            range,
            file_wide: captures[1].eq_ignore_ascii_case("ignore-file"),
            used: false,
        });
    }
    for captures in NOSEC.captures_iter(text) {
        let ids = split_codes(captures.get(1).map_or("", |m| m.as_str()));
        directives.push(Directive {
            dialect: Dialect::Nosec,
            codes: (!ids.is_empty()).then_some(ids),
            line,
            column: 0,
            range,
            file_wide: false,
            used: false,
        });
    }
    for captures in ZIZMOR.captures_iter(text) {
        directives.push(Directive {
            dialect: Dialect::Zizmor,
            codes: Some(split_codes(&captures[1])),
            line,
            column: 0,
            range,
            file_wide: false,
            used: false,
        });
    }
    for captures in NOQA.captures_iter(text) {
        directives.push(Directive {
            dialect: Dialect::Noqa,
            codes: captures.get(1).map(|m| split_codes(m.as_str())),
            line,
            column: 0,
            range,
            file_wide: false,
            used: false,
        });
    }
    directives
}

/// The suppression directives of one file.
#[derive(Clone, Default, Debug, Serialize, Deserialize)]
pub struct Suppressions {
    pub directives: Vec<Directive>,
}

impl Suppressions {
    /// Marks and returns whether a finding of `rule` is suppressed by a comment on one of
    /// `lines` or, for `# nosec` and `# zizmor:`, anywhere within the finding's `span` of
    /// lines (bandit honours a `# nosec` on any line of the flagged node, zizmor a comment
    /// anywhere in a finding's spans).
    pub fn suppresses(
        &mut self,
        rule: &Rule,
        lines: &[usize],
        span: std::ops::RangeInclusive<usize>,
    ) -> bool {
        let mut suppressed = false;
        for directive in &mut self.directives {
            let on_line = lines.contains(&directive.line)
                || (matches!(directive.dialect, Dialect::Nosec | Dialect::Zizmor)
                    && span.contains(&directive.line));
            if (directive.file_wide || on_line) && directive.covers(rule) {
                directive.used = true;
                suppressed = true;
            }
        }
        suppressed
    }
}

/// A source with `# archlint: ignore[CODE]` comments added, and what could not be annotated.
pub struct Annotated {
    pub text: String,
    /// Lines that got a comment or more codes in theirs.
    pub annotated: usize,
    /// Findings left without a comment: (line, why).
    pub refused: Vec<(usize, &'static str)>,
}

/// Adds a suppression comment for each finding: `(lines the comment may go on, best first,
/// code)`. A comment goes at the end of the first of those lines that does not end inside a
/// string or with a `\` continuation; an `archlint: ignore[…]` comment already there gets the
/// code added, and a line with another comment gets ours after it. Every other byte is kept.
pub fn add_ignores(
    source: &str,
    tokens: &ruff_python_ast::token::Tokens,
    findings: &[(Vec<usize>, String)],
) -> Annotated {
    use ruff_python_ast::token::TokenKind;
    use ruff_text_size::{Ranged, TextSize};

    // Each line's text range without its line break.
    let mut lines: Vec<TextRange> = Vec::new();
    let mut start = 0usize;
    for piece in source.split_inclusive('\n') {
        let body = piece.trim_end_matches(['\n', '\r']).len();
        lines.push(TextRange::new(
            TextSize::new(start as u32),
            TextSize::new((start + body) as u32),
        ));
        start += piece.len();
    }
    // A token that goes on past the end of the line holds the line break: a string.
    let ends_inside_a_token = |end: TextSize| {
        tokens.iter().any(|t| {
            t.start() <= end
                && t.end() > end
                && !matches!(t.kind(), TokenKind::Newline | TokenKind::NonLogicalNewline)
        })
    };
    let comment_on = |line: &TextRange| {
        tokens
            .iter()
            .find(|t| t.kind() == TokenKind::Comment && line.contains_range(t.range()))
            .map(Ranged::range)
    };
    let mut codes_by_line: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    let mut refused = Vec::new();
    for (candidates, code) in findings {
        let target = candidates.iter().copied().find(|&line| {
            lines.get(line.wrapping_sub(1)).is_some_and(|range| {
                !ends_inside_a_token(range.end()) && !source[*range].trim_end().ends_with('\\')
            })
        });
        match target {
            Some(line) => {
                let codes = codes_by_line.entry(line).or_default();
                if !codes.contains(code) {
                    codes.push(code.clone());
                }
            }
            None => refused.push((
                candidates.first().copied().unwrap_or(0),
                "the line ends inside a string or a `\\` continuation",
            )),
        }
    }
    // Edits from the end, so earlier offsets stay right.
    let mut text = source.to_string();
    let mut annotated = 0;
    for (line, codes) in codes_by_line.iter().rev() {
        let range = lines[line - 1];
        let existing = comment_on(&range).map(|r| (r, &source[r]));
        let archlint = existing.and_then(|(r, comment)| {
            ARCHLINT
                .captures(comment)
                .map(|c| (r, c.get(1).map(|m| m.as_str()), c.get(2)))
        });
        match archlint {
            // A bare `archlint: ignore` already suppresses everything on the line.
            Some((_, Some(kind), None)) if kind.eq_ignore_ascii_case("ignore") => continue,
            Some((r, _, Some(listed))) => {
                let mut all = split_codes(listed.as_str());
                let before = all.len();
                all.extend(
                    codes
                        .iter()
                        .filter(|c| !all.contains(c))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
                if all.len() == before {
                    continue;
                }
                let at = r.start().to_usize() + listed.start();
                text.replace_range(at..at + listed.len(), &all.join(", "));
            }
            _ => {
                let end = range.start().to_usize() + source[range].trim_end().len();
                text.insert_str(end, &format!("  # archlint: ignore[{}]", codes.join(", ")));
            }
        }
        annotated += 1;
    }
    Annotated {
        text,
        annotated,
        refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<(Dialect, Option<Vec<String>>, bool)> {
        parse_comment(text, 1, TextRange::default())
            .into_iter()
            .map(|d| (d.dialect, d.codes, d.file_wide))
            .collect()
    }

    #[test]
    fn reads_each_dialect() {
        assert_eq!(
            parse("# archlint: ignore[SEC301, SEC6]"),
            vec![(
                Dialect::Archlint,
                Some(vec!["SEC301".into(), "SEC6".into()]),
                false
            )]
        );
        assert_eq!(
            parse("# archlint: ignore-file"),
            vec![(Dialect::Archlint, None, true)]
        );
        assert_eq!(parse("# nosec"), vec![(Dialect::Nosec, None, false)]);
        assert_eq!(
            parse("#nosec B602,B607"),
            vec![(
                Dialect::Nosec,
                Some(vec!["B602".into(), "B607".into()]),
                false
            )]
        );
        assert_eq!(
            parse("# noqa: S603  # nosec: B603"),
            vec![
                (Dialect::Nosec, Some(vec!["B603".into()]), false),
                (Dialect::Noqa, Some(vec!["S603".into()]), false),
            ]
        );
        assert_eq!(parse("# noqa"), vec![(Dialect::Noqa, None, false)]);
        assert!(parse("# nosecurity here").is_empty());
        assert!(parse("# a normal comment").is_empty());
    }

    fn annotate(source: &str, findings: &[(Vec<usize>, &str)]) -> super::Annotated {
        let parsed = crate::parse::parse(source).unwrap_or_else(|_| panic!("parses"));
        let findings: Vec<(Vec<usize>, String)> = findings
            .iter()
            .map(|(lines, code)| (lines.clone(), code.to_string()))
            .collect();
        super::add_ignores(source, parsed.tokens(), &findings)
    }

    #[test]
    fn ignore_comments_are_added_after_the_code_and_merged_into_existing_ones() {
        let source = "eval(x)\nexec(y)  # archlint: ignore[SEC102]\nrun(z)  # noqa: E501\nok = 1\n";
        let done = annotate(
            source,
            &[
                (vec![1], "SEC307"),
                (vec![1], "SEC307"),
                (vec![2], "SEC307"),
                (vec![3], "SEC602"),
            ],
        );
        assert_eq!(
            done.text,
            "eval(x)  # archlint: ignore[SEC307]\nexec(y)  # archlint: ignore[SEC102, SEC307]\nrun(z)  # noqa: E501  # archlint: ignore[SEC602]\nok = 1\n"
        );
        assert_eq!((done.annotated, done.refused.len()), (3, 0));
    }

    #[test]
    fn lines_ending_inside_a_string_or_a_continuation_are_not_touched() {
        let source = "query = f\"\"\"SELECT {x}\nFROM t\"\"\"\ntotal = 1 + \\\n    eval(x)\n";
        let done = annotate(source, &[(vec![1], "SEC608"), (vec![3, 4], "SEC307")]);
        assert_eq!(
            done.text,
            "query = f\"\"\"SELECT {x}\nFROM t\"\"\"\ntotal = 1 + \\\n    eval(x)  # archlint: ignore[SEC307]\n"
        );
        assert_eq!(done.refused.len(), 1);
    }
}
