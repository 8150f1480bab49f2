use std::path::Path;

use archlint_project::ini::{IniField, IniFile};
use archlint_project::pyproject_file::PyprojectFile;
use toml_edit::{Item, Value};

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reads the configuration of the project's checkers and reports a check turned off
    /// for the whole project:
    /// - ruff's `ignore`, `extend-ignore` (top level or under `lint`) naming a
    ///   flake8-bandit `S` rule other than `S101` (`assert`) that `select` or
    ///   `extend-select` turns on, and a `per-file-ignores` entry doing the same for every
    ///   file (`"*"`, `"**/*.py"`); ruff's own file is read as ruff does: `.ruff.toml`, then
    ///   `ruff.toml`, then `[tool.ruff]` in `pyproject.toml`;
    /// - bandit's `skips` other than `B101`, in `[tool.bandit]` or `.bandit`;
    /// - mypy's global `ignore_missing_imports = true` or `ignore_errors = true` (in
    ///   `mypy.ini`, `.mypy.ini`, `[tool.mypy]` or `setup.cfg`'s `[mypy]`, the first mypy
    ///   reads); per-module overrides are not reported;
    /// - archlint's own security (`SEC`) or async (`ASY`) rules in `ignore` of
    ///   `[tool.archlint]` or `archlint.toml`.
    ///
    /// Each finding is at the line of the entry or key. A checker file that is not valid
    /// TOML is reported as not checked.
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD) makes the checkers CI runs the project's
    /// gate, and its §7 (Modern Python Packaging & Distribution) sample ignores `S104`
    /// (binding to all interfaces) for every file. A check ignored project-wide stops
    /// looking at code written after the decision, too: the one place it was wrong for is
    /// better marked on its line or its path, where a reviewer sees it. mypy's global
    /// `ignore_missing_imports` turns every misspelt or missing import into `Any`, which
    /// mypy's own documentation advises against.
    ///
    /// ## Example
    /// ```yaml
    /// # file: pyproject.toml
    /// [tool.ruff.lint]
    /// select = ["E", "F", "S"]
    /// ignore = ["S101", "S104"]
    ///
    /// [tool.mypy]
    /// ignore_missing_imports = true
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: pyproject.toml
    /// [tool.ruff.lint]
    /// select = ["E", "F", "S"]
    /// ignore = ["S101"]
    ///
    /// [tool.ruff.lint.per-file-ignores]
    /// "tests/**" = ["S104"]
    ///
    /// [[tool.mypy.overrides]]
    /// module = ["untyped_vendor.*"]
    /// ignore_missing_imports = true
    /// ```
    pub static QUALITY_GATES_WEAKENED = Rule {
        code: "CI009",
        name: "quality-gates-weakened",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Ci { run: check },
    };
}

const TOML_LIMIT: u64 = 10 * 1024 * 1024;

fn check(cx: &mut CiContext) {
    let root = cx.files.root.clone();
    let pyproject = cx.pyproject;
    ruff(cx, &root, pyproject);
    bandit(cx, &root, pyproject);
    mypy(cx, &root, pyproject);
    archlint(cx, &root, pyproject);
}

/// A TOML file of the project other than `pyproject.toml`; one that is there but cannot be
/// read as TOML is reported as not checked.
fn read_toml(cx: &mut CiContext, path: &Path) -> Option<PyprojectFile> {
    if !path.is_file() {
        return None;
    }
    let file = PyprojectFile::read(path);
    if file.is_none() {
        let shown = archlint_project::options::display_path(path);
        cx.report_at(
            shown.clone(),
            1,
            format!(
                "`{}` is not valid TOML, so the checks it turns off are not checked; fix its syntax",
                shown.display()
            ),
        );
        if let Some(last) = cx.diagnostics.last_mut() {
            last.diagnostic.severity = Severity::Info;
        }
    }
    file
}

/// The strings of an array item, each with its value.
fn strings(item: Option<&Item>) -> Vec<(&str, &Value)> {
    match item {
        Some(Item::Value(Value::Array(array))) => array
            .iter()
            .filter_map(|v| v.as_str().map(|s| (s, v)))
            .collect(),
        _ => Vec::new(),
    }
}

/// `S`, `S1`, `S104`: a flake8-bandit selector.
fn is_bandit_selector(code: &str) -> bool {
    code.strip_prefix('S')
        .is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether selecting `selected` turns on some rule `code` names.
fn overlaps(selected: &str, code: &str) -> bool {
    selected == "ALL" || code.starts_with(selected) || selected.starts_with(code)
}

/// A `per-file-ignores` pattern matching every Python file of the project.
fn covers_every_file(pattern: &str) -> bool {
    let pattern = pattern.trim().trim_start_matches("./");
    matches!(pattern, "*" | "**" | "**/*" | "*.py" | "**/*.py" | "." | "")
}

fn ruff(cx: &mut CiContext, root: &Path, pyproject: Option<&PyprojectFile>) {
    let own = [".ruff.toml", "ruff.toml"]
        .iter()
        .map(|name| root.join(name))
        .find(|path| path.is_file());
    let owned;
    let (file, base): (&PyprojectFile, &[&str]) = match own {
        Some(path) => {
            let Some(file) = read_toml(cx, &path) else {
                return;
            };
            owned = file;
            (&owned, &[])
        }
        None => match pyproject {
            Some(file) if file.item(&["tool", "ruff"]).is_some() => (file, &["tool", "ruff"]),
            _ => return,
        },
    };
    let at = |keys: &[&str]| -> Vec<String> {
        base.iter()
            .chain(keys)
            .map(|k| (*k).to_string())
            .collect::<Vec<_>>()
    };
    let item = |keys: &[&str]| {
        let path = at(keys);
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        file.item(&path)
    };
    let mut selected: Vec<&str> = Vec::new();
    for keys in [
        &["select"][..],
        &["extend-select"],
        &["lint", "select"],
        &["lint", "extend-select"],
    ] {
        selected.extend(strings(item(keys)).into_iter().map(|(s, _)| s));
    }
    let on = |code: &str| selected.iter().any(|s| overlaps(s, code));
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for keys in [
        &["ignore"][..],
        &["extend-ignore"],
        &["lint", "ignore"],
        &["lint", "extend-ignore"],
    ] {
        for (code, value) in strings(item(keys)) {
            if is_bandit_selector(code) && code != "S101" && on(code) {
                cx.report_toml(
                    file,
                    file.value_range(value),
                    format!(
                        "`{}` in `{name}` turns off flake8-bandit's `{code}` for every file of the project; remove it and mark the one line (`# noqa: {code}`) or path (`per-file-ignores`) it is wrong for",
                        keys.join(".")
                    ),
                );
            }
        }
    }
    for keys in [
        &["per-file-ignores"][..],
        &["extend-per-file-ignores"],
        &["lint", "per-file-ignores"],
        &["lint", "extend-per-file-ignores"],
    ] {
        let Some(table) = item(keys) else {
            continue;
        };
        let entries: Vec<(&str, &Item)> = match table {
            Item::Table(t) => t.iter().collect(),
            Item::Value(Value::InlineTable(t)) => t
                .iter()
                .filter_map(|(k, _)| table.get(k).map(|item| (k, item)))
                .collect(),
            _ => continue,
        };
        for (pattern, codes) in entries {
            if !covers_every_file(pattern) {
                continue;
            }
            for (code, value) in strings(Some(codes)) {
                if is_bandit_selector(code) && code != "S101" && on(code) {
                    cx.report_toml(
                        file,
                        file.value_range(value),
                        format!(
                            "`per-file-ignores` for `{pattern}` turns off flake8-bandit's `{code}` for every file of the project; name the paths it is wrong for instead"
                        ),
                    );
                }
            }
        }
    }
}

/// The line of each comma- or space-separated word of an INI value.
fn ini_words(field: &IniField) -> Vec<(usize, &str)> {
    field
        .lines
        .iter()
        .flat_map(|(line, text)| {
            without_comment(text)
                .split([',', ' '])
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(move |w| (*line, w))
        })
        .collect()
}

fn bandit_skip_message(file: &str, code: &str) -> String {
    format!(
        "`skips` in `{file}` turns off bandit's `{code}` for every file of the project; remove it and mark the line it is wrong for (`# nosec {code}`)"
    )
}

fn bandit(cx: &mut CiContext, root: &Path, pyproject: Option<&PyprojectFile>) {
    if let Some(file) = pyproject {
        for (code, value) in strings(file.item(&["tool", "bandit", "skips"])) {
            if code.trim() != "B101" {
                cx.report_toml(
                    file,
                    file.value_range(value),
                    bandit_skip_message("pyproject.toml", code.trim()),
                );
            }
        }
    }
    let path = root.join(".bandit");
    let Ok(text) = archlint_source::read::read_source(&path, TOML_LIMIT) else {
        return;
    };
    let ini = IniFile::parse(&text);
    let Some(field) = ini.field("bandit", "skips") else {
        return;
    };
    let shown = archlint_project::options::display_path(&path);
    for (line, code) in ini_words(field) {
        if code != "B101" {
            cx.report_at(shown.clone(), line, bandit_skip_message(".bandit", code));
        }
    }
}

const MYPY_KEYS: &[(&str, &str)] = &[
    (
        "ignore_missing_imports",
        "every import mypy cannot resolve becomes `Any`, a misspelt one too; set it in a per-module override for the untyped packages only",
    ),
    (
        "ignore_errors",
        "mypy reports no error in any module; set it in a per-module override for the modules not yet typed",
    ),
];

/// An INI value without a trailing ` # comment` or ` ; comment`.
fn without_comment(text: &str) -> &str {
    let cut = [" #", "\t#", " ;", "\t;"]
        .iter()
        .filter_map(|marker| text.find(marker))
        .min();
    cut.map_or(text, |i| &text[..i]).trim()
}

fn ini_true(value: &str) -> bool {
    matches!(
        without_comment(value).to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "on"
    )
}

fn mypy(cx: &mut CiContext, root: &Path, pyproject: Option<&PyprojectFile>) {
    // mypy reads the first of these that exists (the last two only with a mypy section).
    for name in ["mypy.ini", ".mypy.ini"] {
        let path = root.join(name);
        if let Ok(text) = archlint_source::read::read_source(&path, TOML_LIMIT) {
            mypy_ini(cx, &path, &text, name);
            return;
        }
    }
    if let Some(file) = pyproject
        && let Some(table) = file.item(&["tool", "mypy"])
    {
        for (key, why) in MYPY_KEYS {
            let value = table.get(key).and_then(Item::as_bool);
            if value == Some(true) {
                cx.report_toml(
                    file,
                    file.key_range(table, key),
                    format!("`{key} = true` in `[tool.mypy]` applies to the whole project: {why}"),
                );
            }
        }
        return;
    }
    let path = root.join("setup.cfg");
    if let Ok(text) = archlint_source::read::read_source(&path, TOML_LIMIT) {
        mypy_ini(cx, &path, &text, "setup.cfg");
    }
}

fn mypy_ini(cx: &mut CiContext, path: &Path, text: &str, name: &str) {
    let ini = IniFile::parse(text);
    let shown = archlint_project::options::display_path(path);
    for (key, why) in MYPY_KEYS {
        let Some(field) = ini.field("mypy", key) else {
            continue;
        };
        let Some((line, value)) = field.lines.first() else {
            continue;
        };
        if ini_true(value) {
            cx.report_at(
                shown.clone(),
                *line,
                format!(
                    "`{key} = {}` in `[mypy]` of `{name}` applies to the whole project: {why}",
                    without_comment(value)
                ),
            );
        }
    }
}

/// Whether an `ignore` entry of archlint's configuration names security or async rules.
fn names_security_or_async(entry: &str) -> bool {
    let upper = entry.trim().to_ascii_uppercase();
    if upper.starts_with("SEC") || upper.starts_with("ASY") {
        return true;
    }
    let lower = entry.trim().to_ascii_lowercase();
    if lower == "security" || lower == "async" {
        return true;
    }
    crate::registry::RULES
        .iter()
        .any(|r| r.name == lower && (r.code.starts_with("SEC") || r.code.starts_with("ASY")))
}

fn archlint(cx: &mut CiContext, root: &Path, pyproject: Option<&PyprojectFile>) {
    let path = root.join("archlint.toml");
    let owned;
    let (file, keys): (&PyprojectFile, &[&str]) = if path.is_file() {
        let Some(file) = read_toml(cx, &path) else {
            return;
        };
        owned = file;
        (&owned, &["ignore"])
    } else {
        match pyproject {
            Some(file) => (file, &["tool", "archlint", "ignore"]),
            None => return,
        }
    };
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for (entry, value) in strings(file.item(keys)) {
        if names_security_or_async(entry) {
            cx.report_toml(
                file,
                file.value_range(value),
                format!(
                    "`ignore` in `{name}` turns off archlint's `{entry}` for every file of the project; mark the line (`# archlint: ignore[CODE]`) or path (`per-file-ignores`) it is wrong for instead"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_and_patterns() {
        assert!(is_bandit_selector("S104"));
        assert!(is_bandit_selector("S"));
        assert!(is_bandit_selector("S1"));
        assert!(!is_bandit_selector("SIM115"));
        assert!(!is_bandit_selector("SLF001"));
        assert!(overlaps("S", "S104"));
        assert!(overlaps("S1", "S"));
        assert!(overlaps("ALL", "S603"));
        assert!(!overlaps("E", "S104"));
        assert!(covers_every_file("**/*.py"));
        assert!(!covers_every_file("tests/**"));
        assert!(names_security_or_async("SEC101"));
        assert!(names_security_or_async("security"));
        assert!(!names_security_or_async("TYP001"));
    }
}
