use archlint_project::ci::CiFile;
use archlint_source::yaml::{Node, Style};

use super::{jobs, uses_action, workflows};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Compares the Python versions CI tests with the ones the project claims,
    /// `requires-python` and the `Programming Language :: Python :: 3.X` classifiers. The
    /// versions tested are those `actions/setup-python` installs, with a `${{ matrix.… }}`
    /// expanded (its `include` added and its `exclude` taken out), and the `py3X`
    /// environments tox runs (`envlist` of `tox.ini` or `setup.cfg`, `env_list` or
    /// `legacy_tox_ini` of `[tool.tox]` in `pyproject.toml`, or `tox.toml`) and the `python=` lists of `noxfile.py`. It
    /// reports:
    /// - a version tested that `requires-python` excludes;
    /// - the oldest version `requires-python` admits, or the newest classifier, tested
    ///   nowhere;
    /// - an unquoted `3.10` in a workflow, which YAML reads as the number 3.1;
    /// - a matrix it cannot expand (`fromJSON(…)`), as not checked, with where.
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD) and §1: `requires-python` is a promise pip
    /// enforces for every user. A floor that CI never runs lets code that needs a newer
    /// Python ship to users of the older one (the first report comes from them); testing
    /// versions the range excludes spends CI on interpreters no user can install on.
    ///
    /// ## Example
    /// ```yaml
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// requires-python = ">=3.9"
    /// # file: .github/workflows/ci.yml
    /// on: push
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     strategy:
    ///       matrix:
    ///         python: ["3.11", "3.12"]
    ///     steps:
    ///       - uses: actions/setup-python@v5
    ///         with:
    ///           python-version: ${{ matrix.python }}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// requires-python = ">=3.9"
    /// # file: .github/workflows/ci.yml
    /// on: push
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     strategy:
    ///       matrix:
    ///         python: ["3.9", "3.12"]
    ///     steps:
    ///       - uses: actions/setup-python@v5
    ///         with:
    ///           python-version: ${{ matrix.python }}
    /// ```
    pub static CI_PYTHON_MATRIX_DRIFT = Rule {
        code: "CI002",
        name: "ci-python-matrix-drift",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Ci { run: check },
    };
}

const CLASSIFIER: &str = "Programming Language :: Python :: ";

/// A CPython `3.X` version named by a setup-python or tox/nox version string: `3.12`,
/// `3.12.4`, `3.13t`, `3.14-dev`, `cpython-3.11`, `py311`; not PyPy, `3.x` or ranges.
pub fn cpython_minor(text: &str) -> Option<(u8, u8)> {
    let text = text.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    let text = text.strip_prefix("cpython-").unwrap_or(&text);
    if let Some(digits) = text.strip_prefix("py3") {
        let digits = digits.strip_suffix('t').unwrap_or(digits);
        if !digits.is_empty() && digits.len() <= 2 && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Some((3, digits.parse().ok()?));
        }
        return None;
    }
    let rest = text.strip_prefix("3.")?;
    let minor: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let tail = &rest[minor.len()..];
    let tail_ok = tail.is_empty()
        || tail == "t"
        || tail.starts_with('.') && tail[1..].chars().all(|c| c.is_ascii_digit() || c == 't')
        || tail.starts_with('-')
        || tail.starts_with("t-");
    if minor.is_empty() || !tail_ok {
        return None;
    }
    Some((3, minor.parse().ok()?))
}

/// One place CI names Python versions, and the versions with their nodes.
struct Source<'a> {
    file: &'a CiFile,
    at: Node<'a>,
    versions: Vec<((u8, u8), Node<'a>)>,
}

/// The values of `matrix.<key>` after `exclude` and `include`, or why they cannot be known.
fn matrix_values<'a>(matrix: Node<'a>, key: &str) -> Result<Vec<Node<'a>>, String> {
    if matrix.as_str().is_some() {
        return Err("the matrix is computed by an expression".into());
    }
    let axes: Vec<(&str, Node<'a>)> = matrix
        .entries()
        .filter_map(|(k, v)| k.as_str().map(|k| (k, v)))
        .filter(|(k, _)| *k != "include" && *k != "exclude")
        .collect();
    if let Some((_, values)) = axes.iter().find(|(k, _)| *k == key)
        && !values.is_sequence()
    {
        return Err(format!("`matrix.{key}` is computed by an expression"));
    }
    // Every combination, as (axis, value) pairs, to apply `exclude` exactly.
    let mut combos: Vec<Vec<(&str, Node<'a>)>> = vec![Vec::new()];
    for (axis, values) in &axes {
        if !values.is_sequence() {
            continue;
        }
        let items: Vec<Node<'a>> = values.items().collect();
        if combos.len().saturating_mul(items.len().max(1)) > 10_000 {
            return Err("the matrix has more than 10,000 combinations".into());
        }
        combos = combos
            .into_iter()
            .flat_map(|combo| {
                items.iter().map(move |item| {
                    let mut combo = combo.clone();
                    combo.push((*axis, *item));
                    combo
                })
            })
            .collect();
    }
    let same = |a: Node<'_>, b: Node<'_>| a.as_str().is_some() && a.as_str() == b.as_str();
    if let Some(exclude) = matrix.get("exclude") {
        for rule in exclude.items() {
            combos.retain(|combo| {
                !rule.entries().all(|(k, v)| {
                    combo
                        .iter()
                        .any(|(axis, value)| Some(*axis) == k.as_str() && same(*value, v))
                })
            });
        }
    }
    let mut values: Vec<Node<'a>> = combos
        .iter()
        .filter_map(|combo| combo.iter().find(|(axis, _)| *axis == key).map(|(_, v)| *v))
        .collect();
    if let Some(include) = matrix.get("include") {
        values.extend(include.items().filter_map(|entry| entry.get(key)));
    }
    Ok(values)
}

fn check(cx: &mut CiContext) {
    let Some(pyproject) = cx.pyproject else {
        return;
    };
    let Some((requires, _)) = pyproject.string(&["project", "requires-python"]) else {
        return;
    };
    let Some(specifiers) = archlint_project::settings::parse_specifiers(requires) else {
        return;
    };
    let admits = |v: (u8, u8)| archlint_project::settings::admits(&specifiers, v);
    let newest_classifier = pyproject
        .item(&["project", "classifiers"])
        .and_then(|item| item.as_array())
        .map(|array| {
            array
                .iter()
                .filter_map(|v| v.as_str()?.strip_prefix(CLASSIFIER).and_then(cpython_minor))
                .max()
        })
        .unwrap_or_default();
    let lowest = (0..=30).map(|minor| (3, minor)).find(|v| admits(*v));

    let mut sources: Vec<Source> = Vec::new();
    let mut not_checked: Vec<(&CiFile, Node, String)> = Vec::new();
    let mut unquoted: Vec<(&CiFile, Node)> = Vec::new();
    for (file, workflow) in workflows(cx) {
        for job in jobs(workflow) {
            for step in job.body.get("steps").into_iter().flat_map(|s| s.items()) {
                if !step
                    .str_of("uses")
                    .is_some_and(|u| uses_action(u, "actions/setup-python"))
                {
                    continue;
                }
                let Some(value) = step.get("with").and_then(|w| w.get("python-version")) else {
                    continue;
                };
                let mut nodes: Vec<Node> = Vec::new();
                let mut at = value;
                match value.as_str() {
                    Some(text) if text.contains("${{") => {
                        let inner = text
                            .trim()
                            .trim_start_matches("${{")
                            .trim_end_matches("}}")
                            .trim();
                        match inner.strip_prefix("matrix.") {
                            Some(key)
                                if key
                                    .chars()
                                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_') =>
                            {
                                let matrix = job.body.get("strategy").and_then(|s| s.get("matrix"));
                                match matrix.map(|m| matrix_values(m, key)) {
                                    Some(Ok(values)) => {
                                        at = matrix
                                            .and_then(|m| m.entry(key))
                                            .map_or(value, |(k, _)| k);
                                        for v in values {
                                            if v.is_sequence() {
                                                nodes.extend(v.items());
                                            } else {
                                                nodes.push(v);
                                            }
                                        }
                                    }
                                    Some(Err(why)) => not_checked.push((file, value, why)),
                                    None => {}
                                }
                            }
                            _ => not_checked.push((
                                file,
                                value,
                                format!("`{}` is not a literal or a matrix value", text.trim()),
                            )),
                        }
                    }
                    Some(_) => nodes.push(value),
                    None => nodes.extend(value.items()),
                }
                let mut versions = Vec::new();
                for node in nodes {
                    for line in node.as_str().unwrap_or_default().lines() {
                        if let Some(version) = cpython_minor(line) {
                            versions.push((version, node));
                        }
                    }
                    if node.style() == Some(Style::Plain)
                        && node.as_str().is_some_and(|t| {
                            t.starts_with("3.") && t.len() == 4 && t.ends_with('0')
                        })
                    {
                        unquoted.push((file, node));
                    }
                }
                sources.push(Source { file, at, versions });
            }
        }
    }
    for (file, node) in unquoted {
        let text = node.as_str().unwrap_or_default();
        cx.report(
            file,
            node,
            format!(
                "`{text}` unquoted is the number {} to GitHub Actions, so setup-python installs Python {}; write `\"{text}\"`",
                text.trim_end_matches('0'),
                text.trim_end_matches('0')
            ),
        );
    }
    for (file, node, why) in &not_checked {
        cx.report(
            file,
            *node,
            format!("Python versions not checked against `requires-python`: {why}"),
        );
        if let Some(last) = cx.diagnostics.last_mut() {
            last.diagnostic.severity = Severity::Info;
        }
    }
    let mut tested: Vec<(u8, u8)> = Vec::new();
    for source in &sources {
        for ((major, minor), node) in &source.versions {
            tested.push((*major, *minor));
            if !admits((*major, *minor)) {
                cx.report(
                    source.file,
                    *node,
                    format!(
                        "CI tests Python {major}.{minor}, which `requires-python = \"{requires}\"` excludes; drop it or widen the range"
                    ),
                );
            }
        }
    }
    // tox and nox environments.
    let root = cx.files.root.clone();
    let tox = tox_versions(cx, &root);
    let nox = nox_versions(cx.files.root.as_path());
    for (path, line, version) in tox.iter().chain(&nox) {
        tested.push(*version);
        if !admits(*version) {
            cx.report_at(
                path.clone(),
                *line,
                format!(
                    "`{}` tests Python {}.{}, which `requires-python = \"{requires}\"` excludes; drop it or widen the range",
                    path.file_name().unwrap_or_default().to_string_lossy(),
                    version.0,
                    version.1
                ),
            );
        }
    }
    // Where a missing version goes: the source naming the most versions.
    let main = sources
        .iter()
        .filter(|s| !s.versions.is_empty())
        .max_by_key(|s| s.versions.len());
    let Some(main) = main else {
        return;
    };
    if !not_checked.is_empty() {
        // Some versions are unknown: a missing one may be among them.
        return;
    }
    let mut missing = Vec::new();
    if let Some(lowest) = lowest
        && !tested.contains(&lowest)
    {
        missing.push(format!(
            "the oldest Python `requires-python = \"{requires}\"` admits, {}.{}",
            lowest.0, lowest.1
        ));
    }
    if let Some(newest) = newest_classifier
        && !tested.contains(&newest)
        && Some(newest) != lowest
    {
        missing.push(format!(
            "the newest Python the classifiers claim, {}.{}",
            newest.0, newest.1
        ));
    }
    if !missing.is_empty() {
        cx.report(
            main.file,
            main.at,
            format!(
                "CI never tests {}; add it to the matrix",
                missing.join(", nor ")
            ),
        );
    }
}

type Found = Vec<(std::path::PathBuf, usize, (u8, u8))>;

/// The `py3X` (or `3.X`) environments tox runs, with their lines, from the file tox reads:
/// `tox.ini`, `setup.cfg`'s `[tox:tox]`, `pyproject.toml`'s `[tool.tox]` (its native
/// `env_list` or its `legacy_tox_ini` string), then `tox.toml`. A `tox.toml` that is not
/// valid TOML is reported as not checked.
fn tox_versions(cx: &mut CiContext, root: &std::path::Path) -> Found {
    let path = root.join("tox.ini");
    if let Ok(text) = archlint_source::read::read_source(&path, 1024 * 1024) {
        return ini_envs(&text, "tox", &path, 0);
    }
    let path = root.join("setup.cfg");
    if let Ok(text) = archlint_source::read::read_source(&path, 1024 * 1024) {
        let found = ini_envs(&text, "tox:tox", &path, 0);
        if archlint_project::ini::IniFile::parse(&text)
            .section("tox:tox")
            .is_some()
        {
            return found;
        }
    }
    if let Some(file) = cx.pyproject
        && let Some(table) = file.item(&["tool", "tox"])
    {
        if let Some(legacy) = table.get("legacy_tox_ini")
            && let Some(text) = legacy.as_str()
        {
            let range = file.range(legacy);
            let line = file.location(range).line;
            // A `"""` string starting with a newline begins on the next line.
            let raw = file
                .source
                .get(usize::from(range.start())..)
                .unwrap_or_default();
            let skipped = raw
                .trim_start_matches(['"', '\''])
                .starts_with(['\n', '\r']);
            let first = if skipped { line + 1 } else { line };
            return ini_envs(text, "tox", &file.path, first - 1);
        }
        return toml_envs(file, table.get("env_list").or_else(|| table.get("envlist")));
    }
    let path = root.join("tox.toml");
    if path.is_file() {
        let Some(file) = archlint_project::pyproject_file::PyprojectFile::read(&path) else {
            let shown = archlint_project::options::display_path(&path);
            cx.report_at(
                shown,
                1,
                "`tox.toml` is not valid TOML, so its environments are not checked against `requires-python`; fix its syntax".into(),
            );
            if let Some(last) = cx.diagnostics.last_mut() {
                last.diagnostic.severity = Severity::Info;
            }
            return Vec::new();
        };
        return toml_envs(&file, file.item(&["env_list"]));
    }
    Vec::new()
}

/// The versions of an INI `envlist`/`env_list` in `section`, its lines shifted by `offset`
/// (the line before an embedded file's first).
fn ini_envs(text: &str, section: &str, path: &std::path::Path, offset: usize) -> Found {
    let ini = archlint_project::ini::IniFile::parse(text);
    let Some(field) = ini
        .field(section, "envlist")
        .or_else(|| ini.field(section, "env_list"))
    else {
        return Vec::new();
    };
    let shown = archlint_project::options::display_path(path);
    let mut out = Vec::new();
    for (line, text) in &field.lines {
        for env in expand_braces(text) {
            for factor in env.split('-') {
                if let Some(version) = cpython_minor(factor.trim()) {
                    out.push((shown.clone(), offset + *line, version));
                }
            }
        }
    }
    out
}

/// The versions of a TOML `env_list` array (tox's native format: one name per entry).
fn toml_envs(
    file: &archlint_project::pyproject_file::PyprojectFile,
    env_list: Option<&toml_edit::Item>,
) -> Found {
    let Some(toml_edit::Item::Value(toml_edit::Value::Array(names))) = env_list else {
        return Vec::new();
    };
    let shown = archlint_project::options::display_path(&file.path);
    let mut out = Vec::new();
    for value in names.iter() {
        let Some(name) = value.as_str() else {
            continue;
        };
        let line = file.location(file.value_range(value)).line;
        for factor in name.split('-') {
            if let Some(version) = cpython_minor(factor.trim()) {
                out.push((shown.clone(), line, version));
            }
        }
    }
    out
}

/// `py{39,310}-django{42}, lint` → `py39-django42`, `py310-django42`, `lint`.
fn expand_braces(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => depth -= 1,
            b',' | b' ' if depth == 0 => {
                out.extend(expand_one(&text[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.extend(expand_one(&text[start..]));
    out.retain(|s| !s.is_empty());
    out
}

fn expand_one(word: &str) -> Vec<String> {
    let word = word.trim();
    let (Some(open), Some(close)) = (word.find('{'), word.find('}')) else {
        return vec![word.to_string()];
    };
    if close < open {
        return vec![word.to_string()];
    }
    let (head, rest) = (&word[..open], &word[close + 1..]);
    let mut out = Vec::new();
    for choice in word[open + 1..close].split(',') {
        for tail in expand_one(rest) {
            out.push(format!("{head}{}{tail}", choice.trim()));
        }
        if out.len() > 1000 {
            break;
        }
    }
    out
}

/// The versions of `python=[...]`/`python="3.X"` in `noxfile.py` (and of list constants
/// named like `PYTHON_VERSIONS`), with their lines.
fn nox_versions(root: &std::path::Path) -> Vec<(std::path::PathBuf, usize, (u8, u8))> {
    let path = root.join("noxfile.py");
    let Ok(text) = archlint_source::read::read_source(&path, 1024 * 1024) else {
        return Vec::new();
    };
    let shown = archlint_project::options::display_path(&path);
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or_default();
        let lower = code.to_ascii_lowercase();
        if !(code.contains("python=")
            || lower.contains("python_versions")
            || lower.contains("pythons"))
        {
            continue;
        }
        for quoted in code.split(['"', '\'']).skip(1).step_by(2) {
            if let Some(version) = cpython_minor(quoted) {
                out.push((shown.clone(), index + 1, version));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_tox_envs() {
        assert_eq!(cpython_minor("3.12"), Some((3, 12)));
        assert_eq!(cpython_minor("'3.13t'"), Some((3, 13)));
        assert_eq!(cpython_minor("3.14-dev"), Some((3, 14)));
        assert_eq!(cpython_minor("3.9.18"), Some((3, 9)));
        assert_eq!(cpython_minor("py310"), Some((3, 10)));
        assert_eq!(cpython_minor("pypy3.10"), None);
        assert_eq!(cpython_minor("3.x"), None);
        assert_eq!(
            expand_braces("py{39,310}-django{42,50}, lint"),
            [
                "py39-django42",
                "py39-django50",
                "py310-django42",
                "py310-django50",
                "lint"
            ]
        );
    }
}
