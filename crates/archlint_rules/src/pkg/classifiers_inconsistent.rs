use crate::prelude::*;

rule! {
    /// ## What it does
    /// Compares the `Programming Language :: Python :: 3.X` classifiers with
    /// `requires-python`: a version classifier the range excludes, a Python 2 classifier in
    /// a Python 3 project, or version classifiers that leave out the oldest version the
    /// range admits.
    ///
    /// ## Why it matters
    /// Guide §7 and §1: classifiers are what PyPI shows and what people filter on; the
    /// installer uses only `requires-python`. When they disagree, users are told the
    /// package supports an interpreter pip will refuse, or the oldest supported one is
    /// missing from the list.
    ///
    /// ## Example
    /// ```toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// requires-python = ">=3.11"
    /// classifiers = [
    ///     "Programming Language :: Python :: 3.10",
    ///     "Programming Language :: Python :: 3.11",
    /// ]
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// requires-python = ">=3.11"
    /// classifiers = [
    ///     "Programming Language :: Python :: 3.11",
    ///     "Programming Language :: Python :: 3.12",
    /// ]
    /// ```
    pub static CLASSIFIERS_INCONSISTENT = Rule {
        code: "PKG004",
        name: "classifiers-inconsistent",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("pyroma", "PythonClassifierVersion")],
        check: Check::Pyproject { run: check },
    };
}

const PREFIX: &str = "Programming Language :: Python :: ";

fn check(cx: &mut PyprojectContext) {
    let file = cx.file;
    let Some((requires, _)) = file.string(&["project", "requires-python"]) else {
        return;
    };
    let Some(specifiers) = archlint_project::settings::parse_specifiers(requires) else {
        return;
    };
    let Some(classifiers) = file.item(&["project", "classifiers"]) else {
        return;
    };
    let admits = |version| archlint_project::settings::admits(&specifiers, version);
    let mut listed = Vec::new();
    for (classifier, value) in super::strings(classifiers) {
        let Some(version) = classifier.strip_prefix(PREFIX) else {
            continue;
        };
        let parsed = match version.split_once('.') {
            Some((major, minor)) => major.parse::<u8>().ok().zip(minor.parse::<u8>().ok()),
            None if version == "2" || version == "2 :: Only" => Some((2, 7)),
            None => None,
        };
        let Some((major, minor)) = parsed else {
            continue;
        };
        listed.push((major, minor));
        if !admits((major, minor)) {
            cx.report(
                file.value_range(value),
                format!("`{classifier}` is outside `requires-python = \"{requires}\"`: pip will not install the package there; remove the classifier or widen the range"),
            );
        }
    }
    let Some(lowest) = (0..=30).map(|minor| (3, minor)).find(|v| admits(*v)) else {
        return;
    };
    if listed.iter().any(|&(major, _)| major == 3) && !listed.contains(&lowest) {
        cx.report(
            file.range(classifiers),
            format!(
                "`requires-python = \"{requires}\"` admits Python {}.{}, but no classifier says so: add `{PREFIX}{}.{}`",
                lowest.0, lowest.1, lowest.0, lowest.1
            ),
        );
    }
}
