use super::version_range::show;
use crate::prelude::*;
use archlint_facts::versions::Version;
use archlint_project::settings::{lower_bound, parse_target};

rule! {
    /// ## What it does
    /// Compares the lower bound of `requires-python` with the Python version other tools
    /// in the same `pyproject.toml` are told to assume: `[tool.ruff] target-version`,
    /// the oldest of `[tool.black] target-version`, `[tool.mypy] python_version`,
    /// `[tool.pyright] pythonVersion`, vermin's `[tool.vermin] targets` and archlint's own
    /// `[tool.archlint] target-version`. Each one that differs is reported on its key.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): a linter told 3.12 while the package promises
    /// 3.9 suggests rewrites (`X | Y`, `itertools.batched`) that break the promise; a type
    /// checker told 3.9 while the package needs 3.11 reports errors that are not. One
    /// number, read from `requires-python`, keeps them honest.
    ///
    /// ## Example
    /// ```toml
    /// [project]
    /// requires-python = ">=3.9"
    ///
    /// [tool.ruff]
    /// target-version = "py312"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [project]
    /// requires-python = ">=3.9"
    ///
    /// [tool.ruff]
    /// target-version = "py39"
    /// ```
    pub static TOOL_TARGET_VERSION_DRIFT = Rule {
        code: "VER005",
        name: "tool-target-version-drift",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Pyproject { run: check },
    };
}

/// Where each tool keeps its Python version, and how it is written there.
const SETTINGS: &[(&[&str], Spelling)] = &[
    (&["tool", "ruff", "target-version"], Spelling::One),
    (&["tool", "black", "target-version"], Spelling::OldestOf),
    (&["tool", "mypy", "python_version"], Spelling::One),
    (&["tool", "pyright", "pythonVersion"], Spelling::One),
    (&["tool", "vermin", "targets"], Spelling::OldestOf),
    (&["tool", "archlint", "target-version"], Spelling::One),
];

#[derive(Clone, Copy)]
enum Spelling {
    /// `"py311"` or `"3.11"`.
    One,
    /// A list of those (or vermin's `"3.8-"`); the oldest counts.
    OldestOf,
}

fn check(cx: &mut PyprojectContext) {
    let file = cx.file;
    let Some((specifiers, _)) = file.string(&["project", "requires-python"]) else {
        return;
    };
    let Some(promised) = lower_bound(specifiers) else {
        return;
    };
    for (keys, spelling) in SETTINGS {
        let Some(item) = file.item(keys) else {
            continue;
        };
        let told = match spelling {
            Spelling::One => item.as_str().and_then(version_of),
            Spelling::OldestOf => item
                .as_array()
                .and_then(|values| {
                    values
                        .iter()
                        .filter_map(|v| v.as_str().and_then(version_of))
                        .min()
                })
                .or_else(|| item.as_str().and_then(version_of)),
        };
        let Some(told) = told else { continue };
        if told != promised {
            let (table, key) = (keys[..keys.len() - 1].join("."), keys[keys.len() - 1]);
            cx.report(
                file.range(item),
                format!(
                    "`[{table}] {key}` assumes Python {} but `requires-python = \"{specifiers}\"` starts at {}: set it to {}",
                    show(told),
                    show(promised),
                    show(promised)
                ),
            );
        }
    }
}

/// `py311`, `3.11`, `3.11.2`, vermin's `3.11-` and `3.11+`.
fn version_of(text: &str) -> Option<Version> {
    parse_target(text.trim_end_matches(['-', '+']))
}
