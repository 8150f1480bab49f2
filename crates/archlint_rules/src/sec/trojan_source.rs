use crate::prelude::*;
use ruff_python_ast::token::TokenKind;

rule! {
    /// ## What it does
    /// Flags source files holding Unicode bidirectional control characters (U+202A–U+202E,
    /// U+2066–U+2069, U+200F), which change the order in which text is displayed. Each line
    /// holding one is reported (bandit stops at the first). It runs on tests, docs and scripts
    /// too, which run in CI and are reviewed like the package; not on test data, where a
    /// scanner's own tests keep such characters on purpose.
    ///
    /// Unlike bandit, it leaves a right-to-left mark (U+200F) inside a string literal alone
    /// when nothing right-to-left follows the string on its line: a mark, unlike an embedding,
    /// override or isolate, only sets the direction of the neutral characters between it and
    /// the next strong letter, so it cannot move code there. Date formats of Arabic, Persian
    /// and Kurdish locales hold such marks (django's `conf/locale/fa/formats.py`).
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture, supply chain): with these characters, code can read
    /// one way in an editor or a review and run another way ("Trojan Source",
    /// CVE-2021-42574); a reviewer approves what the interpreter does not run.
    ///
    /// ## Example
    /// ```python
    /// access_level = "user"
    // The control characters themselves, written as escapes (rustc rejects them raw).
    #[doc = " if access_level != \"user\u{202e} \u{2066}# Check if admin\u{2069} \u{2066}\":"]
    ///     grant_admin()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// access_level = "user"
    /// if access_level != "user":  # Check if admin
    ///     grant_admin()
    /// ```
    pub static TROJAN_SOURCE = Rule {
        code: "SEC613",
        name: "trojan-source",
        severity: Severity::Error,
        confidence: Some(Medium),
        bandit: bandit(High, Medium),
        default_enabled: true,
        peers: &[Peer::same("bandit", "B613"), Peer::related("ruff", "PLE2502")],
        check: Check::Source { run: check },
        roles: Roles::CODE,
    };
}

const BIDI_CONTROLS: &[char] = &[
    '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200f}',
];

fn check(cx: &mut FileContext) {
    let source = cx.source;
    // Every control above is encoded as 0xE2 0x80/0x81 ...: look for that byte first, so the
    // common file (ASCII, or no such sequence) costs one fast byte scan.
    if !source.as_bytes().contains(&0xE2) {
        return;
    }
    let strings: Vec<TextRange> = cx
        .tokens
        .iter()
        .filter(|t| matches!(t.kind(), TokenKind::String | TokenKind::FStringMiddle))
        .map(|t| t.range())
        .collect();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        if line.as_bytes().contains(&0xE2)
            && let Some(index) = line
                .match_indices(BIDI_CONTROLS)
                .map(|(index, _)| index)
                .find(|&index| !harmless_mark(source, &strings, offset + index))
        {
            let character = line[index..].chars().next().unwrap_or_default();
            let start = ruff_text_size::TextSize::try_from(offset + index).unwrap_or_default();
            let range = TextRange::at(start, ruff_text_size::TextSize::of(character));
            cx.report(
                range,
                format!("bidirectional control character `U+{:04X}` makes this line display differently from how it runs; remove it", character as u32),
            );
        }
        offset += line.len();
    }
}

/// A right-to-left mark inside a string literal with nothing right-to-left after the string
/// on its line: it only orders the neutral characters up to the next strong letter, which
/// are inside the string or left-to-right anyway.
fn harmless_mark(source: &str, strings: &[TextRange], at: usize) -> bool {
    if !source[at..].starts_with('\u{200f}') {
        return false;
    }
    let position = ruff_text_size::TextSize::try_from(at).unwrap_or_default();
    let index = strings.partition_point(|range| range.end() <= position);
    let Some(string) = strings.get(index).filter(|r| r.contains(position)) else {
        return false;
    };
    let rest = &source[string.end().to_usize()..];
    let rest = rest.split('\n').next().unwrap_or_default();
    !rest.chars().any(is_right_to_left)
}

/// Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan,
/// Mandaic and their presentation forms, the Arabic letter mark among them) and the
/// right-to-left mark.
fn is_right_to_left(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' | '\u{200F}')
}
