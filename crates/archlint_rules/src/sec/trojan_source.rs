use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags source files holding Unicode bidirectional control characters (U+202A–U+202E,
    /// U+2066–U+2069, U+200F), which change the order in which text is displayed. Each line
    /// holding one is reported (bandit stops at the first). It runs on tests, docs and scripts
    /// too, which run in CI and are reviewed like the package; not on test data, where a
    /// scanner's own tests keep such characters on purpose.
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
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        if line.as_bytes().contains(&0xE2)
            && let Some(index) = line.find(BIDI_CONTROLS)
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
