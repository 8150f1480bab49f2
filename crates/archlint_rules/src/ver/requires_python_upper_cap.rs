use crate::prelude::*;
use archlint_project::settings::{admits, parse_specifiers};

rule! {
    /// ## What it does
    /// Flags a `requires-python` that excludes future Python 3 releases: `<3.13`,
    /// `<=3.12`, `==3.11.*`, `~=3.11.0`. (`~=3.11` is not a cap: it means `>=3.11, ==3.*`,
    /// and `<4` is the normal bound.) The rule asks the specifier itself which 3.x releases
    /// it admits, so any spelling of a cap is found.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): a cap does not make the code work on the newer
    /// Python, it makes resolvers pick an old release of the package, or fail, for every
    /// user who upgrades, long after the reason for the cap is gone. Test new versions in
    /// CI instead, and document known breakage.
    ///
    /// ## Example
    /// ```toml
    /// [project]
    /// requires-python = ">=3.10,<3.13"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [project]
    /// requires-python = ">=3.10"
    /// ```
    pub static REQUIRES_PYTHON_UPPER_CAP = Rule {
        code: "VER004",
        name: "requires-python-upper-cap",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Pyproject { run: check },
    };
}

/// Minor releases looked at above the lower bound: far beyond any planned Python 3.
const LAST_MINOR: u8 = 40;

fn check(cx: &mut PyprojectContext) {
    let Some((specifiers, range)) = cx.file.string(&["project", "requires-python"]) else {
        return;
    };
    let Some(parsed) = parse_specifiers(specifiers) else {
        return;
    };
    let admitted: Vec<bool> = (0..=LAST_MINOR)
        .map(|minor| admits(&parsed, (3, minor)))
        .collect();
    let Some(lowest) = admitted.iter().position(|&yes| yes) else {
        return;
    };
    // The first minor release from which nothing newer is admitted.
    let Some(cap) =
        (lowest + 1..admitted.len()).find(|&minor| admitted[minor..].iter().all(|&yes| !yes))
    else {
        return;
    };
    cx.report(
        range,
        format!(
            "`requires-python = \"{specifiers}\"` shuts out Python 3.{cap} and later: resolvers will pick old releases or fail there; drop the upper bound and test new versions in CI"
        ),
    );
}
