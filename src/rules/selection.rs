//! Which rules run: selectors (`SEC602`, `SEC6`, `security`, `subprocess-shell-true`, `ALL`)
//! and the rule set they resolve to.
//!
//! The default set is every rule not marked off by default. `select` replaces it, `extend-select`
//! adds to it and `ignore` removes from it. Any selector that names a rule explicitly, by code,
//! prefix, chapter or name, enables it even when it is off by default (as ruff does). The
//! tool's own rules (syntax and I/O errors) always run unless ignored.

use rustc_hash::FxHashSet;

use super::registry::{self, RULES};
use super::{Chapter, Rule};

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
    pub fn parse(text: &str) -> Result<Selector, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("ALL") {
            return Ok(Selector::All);
        }
        if let Some(chapter) = Chapter::from_name(text) {
            return Ok(Selector::Chapter(chapter));
        }
        let upper = text.to_ascii_uppercase();
        if RULES.iter().any(|rule| rule.code.starts_with(&upper))
            && upper
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
        {
            return Ok(Selector::Prefix(upper));
        }
        if let Some(rule) = RULES.iter().find(|rule| rule.name == text) {
            return Ok(Selector::Name(rule.name));
        }
        Err(format!(
            "unknown rule selector `{text}`{}",
            registry::suggestion(text)
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
        select: Option<&[Selector]>,
        extend_select: &[Selector],
        ignore: &[Selector],
    ) -> RuleSet {
        let rules: Vec<&'static Rule> = RULES
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
