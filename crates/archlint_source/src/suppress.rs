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
//! Unused `archlint:` comments become `SUP001`; `nosec`/`noqa` are left alone because other
//! tools read them too.

use std::sync::LazyLock;

use regex::Regex;
use ruff_text_size::TextRange;

use archlint_vocabulary::{Chapter, Rule};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Archlint,
    Nosec,
    Noqa,
}

#[derive(Clone, Debug)]
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
#[derive(Clone, Default, Debug)]
pub struct Suppressions {
    pub directives: Vec<Directive>,
}

impl Suppressions {
    /// Marks and returns whether a finding of `rule` is suppressed by a comment on one of
    /// `lines` or, for `# nosec`, anywhere within the finding's `span` of lines (bandit
    /// honours a `# nosec` on any line of the flagged node).
    pub fn suppresses(
        &mut self,
        rule: &Rule,
        lines: &[usize],
        span: std::ops::RangeInclusive<usize>,
    ) -> bool {
        let mut suppressed = false;
        for directive in &mut self.directives {
            let on_line = lines.contains(&directive.line)
                || (directive.dialect == Dialect::Nosec && span.contains(&directive.line));
            if (directive.file_wide || on_line) && directive.covers(rule) {
                directive.used = true;
                suppressed = true;
            }
        }
        suppressed
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
}
