//! Which rules run: selectors (`SEC602`, `SEC6`, `security`, `subprocess-shell-true`, `ALL`)
//! and the rule set they resolve to.
//!
//! The default set is every rule not marked off by default. `select` replaces it, `extend-select`
//! adds to it and `ignore` removes from it. Any selector that names a rule explicitly, by code,
//! prefix, chapter or name, enables it even when it is off by default (as ruff does). The
//! tool's own rules (syntax and I/O errors) always run unless ignored.

use archlint_vocabulary::{Chapter, Rule};
use rustc_hash::FxHashSet;

/// Every rule archlint has, in code order: what selectors and configuration keys resolve
/// against. The rules layer owns the list and hands it in.
#[derive(Clone, Copy, Debug)]
pub struct Catalogue(pub &'static [&'static Rule]);

impl Catalogue {
    pub fn rules(self) -> &'static [&'static Rule] {
        self.0
    }

    /// The rule with this code (exact match).
    pub fn by_code(self, code: &str) -> Option<&'static Rule> {
        self.0.iter().copied().find(|rule| rule.code == code)
    }

    /// The rule with this code or name (codes case-insensitively).
    pub fn find(self, code_or_name: &str) -> Option<&'static Rule> {
        self.0
            .iter()
            .copied()
            .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
    }

    /// "; did you mean `X`?" for the closest code or name, or nothing.
    pub fn suggestion(self, text: &str) -> String {
        let upper = text.to_ascii_uppercase();
        self.0
            .iter()
            .flat_map(|rule| {
                [
                    (strsim::jaro_winkler(&upper, rule.code), rule.code),
                    (strsim::jaro_winkler(text, rule.name), rule.name),
                ]
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(score, _)| *score > 0.75)
            .map(|(_, candidate)| format!("; did you mean `{candidate}`?"))
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    All,
    Chapter(Chapter),
    /// A code or code prefix (`SEC`, `SEC6`, `SEC602`).
    Prefix(String),
    /// A rule by its kebab-case name.
    Name(&'static str),
}

impl Selector {
    pub fn parse(text: &str, catalogue: Catalogue) -> Result<Selector, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("ALL") {
            return Ok(Selector::All);
        }
        if let Some(chapter) = Chapter::from_name(text) {
            return Ok(Selector::Chapter(chapter));
        }
        let upper = text.to_ascii_uppercase();
        if catalogue.0.iter().any(|rule| rule.code.starts_with(&upper))
            && upper
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
        {
            return Ok(Selector::Prefix(upper));
        }
        if let Some(rule) = catalogue.0.iter().find(|rule| rule.name == text) {
            return Ok(Selector::Name(rule.name));
        }
        Err(format!(
            "unknown rule selector `{text}`{}",
            catalogue.suggestion(text)
        ))
    }

    pub fn matches(&self, rule: &Rule) -> bool {
        match self {
            Selector::All => true,
            Selector::Chapter(chapter) => rule.chapter() == *chapter,
            Selector::Prefix(prefix) => rule.code.starts_with(prefix.as_str()),
            Selector::Name(name) => rule.name == *name,
        }
    }
}

/// The rules a run uses.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub rules: Vec<&'static Rule>,
    codes: FxHashSet<&'static str>,
}

impl RuleSet {
    pub fn resolve(
        catalogue: Catalogue,
        select: Option<&[Selector]>,
        extend_select: &[Selector],
        ignore: &[Selector],
    ) -> RuleSet {
        let rules: Vec<&'static Rule> = catalogue
            .0
            .iter()
            .copied()
            .filter(|rule| {
                let base = match select {
                    Some(select) => select.iter().any(|s| s.matches(rule)),
                    None => rule.default_enabled,
                };
                let always = rule.chapter() == Chapter::Tool;
                let chosen = base || always || extend_select.iter().any(|s| s.matches(rule));
                chosen && !ignore.iter().any(|s| s.matches(rule))
            })
            .collect();
        let codes = rules.iter().map(|rule| rule.code).collect();
        RuleSet { rules, codes }
    }

    pub fn contains(&self, code: &str) -> bool {
        self.codes.contains(code)
    }
}
