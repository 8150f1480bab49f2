//! The dependencies a project declares, wherever it declares them: `[project]`
//! `dependencies` and `optional-dependencies` (PEP 621), `[dependency-groups]` (PEP 735),
//! Poetry's, PDM's and uv's tables, `setup.cfg`, a literal `install_requires` in `setup.py`,
//! and `requirements*.txt` files with their `-r` includes. Each declaration keeps where it
//! was written, so findings point at it.

use std::path::{Path, PathBuf};

use ruff_text_size::TextRange;
use toml_edit::{Item, Value};

use archlint_project::distribution_name::normalize;
use archlint_project::ini::IniFile;
use archlint_project::pyproject_file::PyprojectFile;

/// Whether the project needs a dependency to run, for an extra, or for development.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(tag = "kind", content = "group", rename_all = "kebab-case")]
pub enum DeclaredKind {
    Runtime,
    /// An extra of `optional-dependencies` (`pip install project[extra]`).
    Extra(String),
    /// A development group: `[dependency-groups]`, Poetry groups, dev requirement files,
    /// extras configured as dev.
    Dev(String),
}

#[derive(Clone, Debug)]
pub struct Declared {
    /// The name as written.
    pub name: String,
    /// The PEP 503 normalised name (`python-dateutil`).
    pub normalized: String,
    pub kind: DeclaredKind,
    /// Whether an environment marker limits it (`; python_version < "3.8"`).
    pub has_marker: bool,
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The range in `pyproject.toml`, when declared there.
    pub range: Option<TextRange>,
}

/// The name and whether a marker follows, of a PEP 508 requirement; `None` when it does
/// not parse (PKG002 reports that) or is a bare path or URL.
fn requirement(text: &str) -> Option<(String, bool)> {
    let text = text.trim();
    let parsed = archlint_project::requirement::parse(text).ok()?;
    let has_marker = !parsed.marker.is_true();
    // The name as written (`PyYAML`), which the parser normalises away.
    let written = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)))
        .next()
        .filter(|name| normalize(name) == normalize(parsed.name.as_ref()))
        .map_or_else(|| parsed.name.to_string(), String::from);
    Some((written, has_marker))
}

pub struct Declarations {
    pub declared: Vec<Declared>,
    /// The files read, for the report.
    pub sources: Vec<PathBuf>,
    /// Where the runtime dependencies are computed when the project is built (`setup.py`
    /// passing `install_requires` something other than a literal list, or
    /// `dynamic = ["dependencies"]` with no file to read them from): then which packages
    /// are runtime dependencies is not known, and imports are not checked against them.
    pub runtime_computed_at: Option<Place>,
}

/// A place in a declaration file.
#[derive(Clone, Debug)]
pub struct Place {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The range in `pyproject.toml`, when it is there.
    pub range: Option<TextRange>,
}

impl Place {
    fn in_pyproject(file: &PyprojectFile, range: TextRange) -> Place {
        let location = file.location(range);
        Place {
            path: file.path.clone(),
            line: location.line,
            column: location.column,
            range: Some(range),
        }
    }

    fn in_file(path: &Path, line: usize, column: usize) -> Place {
        Place {
            path: path.to_path_buf(),
            line,
            column,
            range: None,
        }
    }
}

impl Declared {
    fn new(name: String, kind: DeclaredKind, has_marker: bool, place: Place) -> Declared {
        Declared {
            normalized: normalize(&name),
            name,
            kind,
            has_marker,
            path: place.path,
            line: place.line,
            column: place.column,
            range: place.range,
        }
    }
}

/// Reads every declaration under `root`. `dev_extras` are extras that count as dev.
pub fn read(root: &Path, pyproject: Option<&PyprojectFile>, dev_extras: &[String]) -> Declarations {
    let mut found = Declarations {
        declared: Vec::new(),
        sources: Vec::new(),
        runtime_computed_at: None,
    };
    let mut runtime_in_files = Vec::new();
    if let Some(file) = pyproject {
        read_pyproject(file, dev_extras, &mut found);
        // `dynamic = ["dependencies"]` read from files by setuptools.
        for key in ["dependencies", "optional-dependencies"] {
            if let Some(item) = file.item(&["tool", "setuptools", "dynamic", key]) {
                collect_dynamic_files(item, &mut runtime_in_files);
            }
        }
        let dynamic = file
            .item(&["project", "dynamic"])
            .and_then(Item::as_array)
            .is_some_and(|keys| keys.iter().any(|k| k.as_str() == Some("dependencies")));
        if dynamic
            && runtime_in_files.is_empty()
            && let Some(item) = file.item(&["project", "dynamic"])
        {
            found.runtime_computed_at = Some(Place::in_pyproject(file, file.range(item)));
        }
    }
    let shown = |name: &str| archlint_project::options::display_path(&root.join(name));
    let setup_cfg = shown("setup.cfg");
    if let Ok(text) = std::fs::read_to_string(&setup_cfg) {
        read_setup_cfg(&setup_cfg, &text, &mut found);
    }
    let setup_py = shown("setup.py");
    if let Ok(text) = std::fs::read_to_string(&setup_py) {
        read_setup_py(&setup_py, &text, &mut found);
    }
    let has_runtime = found
        .declared
        .iter()
        .any(|d| !matches!(d.kind, DeclaredKind::Dev(_)));
    for file in runtime_in_files {
        read_requirements(&shown(&file), DeclaredKind::Runtime, &mut found, 0);
    }
    for (path, kind) in requirement_files(root) {
        let path = archlint_project::options::display_path(&path);
        // A `requirements.txt` next to declared metadata is usually a lock of the whole
        // environment, not a declaration (deptry reads one source of runtime dependencies).
        if kind == DeclaredKind::Runtime && has_runtime {
            continue;
        }
        read_requirements(&path, kind, &mut found, 0);
    }
    found
}

fn collect_dynamic_files(item: &Item, files: &mut Vec<String>) {
    let mut push_files = |item: &Item| match item.get("file") {
        Some(file) if file.is_str() => files.push(file.as_str().unwrap_or_default().to_string()),
        Some(file) => {
            if let Some(array) = file.as_array() {
                files.extend(array.iter().filter_map(|v| v.as_str().map(String::from)));
            }
        }
        None => {}
    };
    push_files(item);
    if let Some(table) = item.as_table_like() {
        for (_, extra) in table.iter() {
            push_files(extra);
        }
    }
}

fn read_pyproject(file: &PyprojectFile, dev_extras: &[String], found: &mut Declarations) {
    found.sources.push(file.path.clone());
    let array = |keys: &[&str], kind: DeclaredKind, found: &mut Declarations| {
        let Some(values) = file.item(keys).and_then(Item::as_array) else {
            return;
        };
        for value in values {
            let Some(text) = value.as_str() else {
                continue;
            };
            push_toml(file, value, text, kind.clone(), found);
        }
    };
    array(&["project", "dependencies"], DeclaredKind::Runtime, found);
    if let Some(extras) = file
        .item(&["project", "optional-dependencies"])
        .and_then(Item::as_table_like)
    {
        for (extra, _) in extras.iter() {
            let kind = if dev_extras
                .iter()
                .any(|dev| normalize(dev) == normalize(extra))
            {
                DeclaredKind::Dev(extra.to_string())
            } else {
                DeclaredKind::Extra(extra.to_string())
            };
            array(&["project", "optional-dependencies", extra], kind, found);
        }
    }
    for groups_key in [
        &["dependency-groups"][..],
        &["tool", "pdm", "dev-dependencies"],
    ] {
        if let Some(groups) = file.item(groups_key).and_then(Item::as_table_like) {
            for (group, _) in groups.iter() {
                let mut keys = groups_key.to_vec();
                keys.push(group);
                array(&keys, DeclaredKind::Dev(group.to_string()), found);
            }
        }
    }
    array(
        &["tool", "uv", "dev-dependencies"],
        DeclaredKind::Dev("dev".into()),
        found,
    );
    // Poetry: names are keys; `python` is the interpreter.
    let poetry = |keys: &[&str], kind: DeclaredKind, found: &mut Declarations| {
        let Some(table_item) = file.item(keys) else {
            return;
        };
        let Some(table) = table_item.as_table_like() else {
            return;
        };
        for (name, item) in table.iter() {
            if name.eq_ignore_ascii_case("python") {
                continue;
            }
            let optional = item.get("optional").and_then(Item::as_bool) == Some(true);
            let kind = match &kind {
                DeclaredKind::Runtime if optional => DeclaredKind::Extra("optional".into()),
                other => other.clone(),
            };
            let has_marker = item.get("markers").is_some() || item.get("python").is_some();
            let place = Place::in_pyproject(file, file.key_range(table_item, name));
            found
                .declared
                .push(Declared::new(name.to_string(), kind, has_marker, place));
        }
    };
    poetry(
        &["tool", "poetry", "dependencies"],
        DeclaredKind::Runtime,
        found,
    );
    poetry(
        &["tool", "poetry", "dev-dependencies"],
        DeclaredKind::Dev("dev".into()),
        found,
    );
    if let Some(groups) = file
        .item(&["tool", "poetry", "group"])
        .and_then(Item::as_table_like)
    {
        for (group, _) in groups.iter() {
            poetry(
                &["tool", "poetry", "group", group, "dependencies"],
                DeclaredKind::Dev(group.to_string()),
                found,
            );
        }
    }
}

fn push_toml(
    file: &PyprojectFile,
    value: &Value,
    text: &str,
    kind: DeclaredKind,
    found: &mut Declarations,
) {
    let Some((name, has_marker)) = requirement(text) else {
        return;
    };
    let place = Place::in_pyproject(file, file.value_range(value));
    found
        .declared
        .push(Declared::new(name, kind, has_marker, place));
}

/// `requirements*.txt` at the root and the files of a `requirements/` folder, with what
/// their names say they hold.
fn requirement_files(root: &Path) -> Vec<(PathBuf, DeclaredKind)> {
    let mut files = Vec::new();
    let runtime_stems = [
        "requirements",
        "base",
        "main",
        "prod",
        "production",
        "common",
    ];
    let mut scan = |dir: &Path, in_folder: bool| {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some(stem) = name.strip_suffix(".txt") else {
                continue;
            };
            let lower = stem.to_ascii_lowercase();
            if !in_folder && !lower.contains("requirements") {
                continue;
            }
            let kind = if runtime_stems.contains(&lower.as_str()) {
                DeclaredKind::Runtime
            } else {
                DeclaredKind::Dev(stem.to_string())
            };
            files.push((path, kind));
        }
    };
    scan(root, false);
    scan(&root.join("requirements"), true);
    files.sort();
    files
}

/// One requirements file, following `-r` includes (at most 8 deep; `-c` constraints are
/// not declarations).
fn read_requirements(path: &Path, kind: DeclaredKind, found: &mut Declarations, depth: usize) {
    if depth > 8 || found.sources.iter().any(|p| p == path) {
        return;
    }
    let Ok(text) = archlint_source::read::read_source(path, 10 * 1024 * 1024) else {
        return;
    };
    found.sources.push(path.to_path_buf());
    let dir = path.parent().unwrap_or(Path::new("."));
    for (line, column, entry) in requirement_lines(&text) {
        if let Some(included) = entry
            .strip_prefix("-r")
            .or_else(|| entry.strip_prefix("--requirement"))
        {
            let included = included.trim_start_matches([' ', '=']).trim();
            read_requirements(&dir.join(included), kind.clone(), found, depth + 1);
            continue;
        }
        let entry = entry
            .strip_prefix("-e ")
            .or_else(|| entry.strip_prefix("--editable "))
            .map_or(entry.as_str(), str::trim);
        if entry.starts_with('-') {
            continue;
        }
        let name = if let Some((_, egg)) = entry.split_once("#egg=") {
            Some((
                egg.split(['&', '[']).next().unwrap_or(egg).to_string(),
                false,
            ))
        } else {
            // Options after the requirement (`--hash=…`) are not part of it.
            let requirement_text = entry.split(" --").next().unwrap_or(entry);
            requirement(requirement_text)
        };
        let Some((name, has_marker)) = name else {
            continue;
        };
        found.declared.push(Declared::new(
            name,
            kind.clone(),
            has_marker,
            Place::in_file(path, line, column),
        ));
    }
}

/// The logical lines of a requirements file: continuations joined, comments removed, with
/// the line and column where each starts.
pub fn requirement_lines(text: &str) -> Vec<(usize, usize, String)> {
    let mut lines = Vec::new();
    let mut pending: Option<(usize, usize, String)> = None;
    for (index, raw) in text.lines().enumerate() {
        let without_comment = match raw.find(" #").or_else(|| raw.starts_with('#').then_some(0)) {
            Some(at) => &raw[..at],
            None => raw,
        };
        let (content, continued) = match without_comment.trim_end().strip_suffix('\\') {
            Some(content) => (content, true),
            None => (without_comment, false),
        };
        let entry = match pending.take() {
            Some((line, column, mut joined)) => {
                joined.push(' ');
                joined.push_str(content.trim());
                (line, column, joined)
            }
            None => {
                let column = content.len() - content.trim_start().len() + 1;
                (index + 1, column, content.trim().to_string())
            }
        };
        if continued {
            pending = Some(entry);
        } else if !entry.2.is_empty() {
            lines.push(entry);
        }
    }
    if let Some(entry) = pending.filter(|e| !e.2.is_empty()) {
        lines.push(entry);
    }
    lines
}

/// `[options] install_requires`, `tests_require` and `[options.extras_require]`.
fn read_setup_cfg(path: &Path, text: &str, found: &mut Declarations) {
    found.sources.push(path.to_path_buf());
    let lines: Vec<&str> = text.lines().collect();
    let file = IniFile::parse(text);
    for section in &file.sections {
        for field in &section.fields {
            let key = field.key.replace('-', "_");
            let kind = match (section.name.as_str(), key.as_str()) {
                ("options", "install_requires") => DeclaredKind::Runtime,
                ("options", "tests_require") => DeclaredKind::Dev("tests_require".into()),
                ("options.extras_require", extra) => DeclaredKind::Extra(extra.to_string()),
                _ => continue,
            };
            for (line, value) in &field.lines {
                let Some((name, has_marker)) = requirement(value) else {
                    continue;
                };
                let column = lines[line - 1].find(value.as_str()).map_or(1, |at| at + 1);
                found.declared.push(Declared::new(
                    name,
                    kind.clone(),
                    has_marker,
                    Place::in_file(path, *line, column),
                ));
            }
        }
    }
}

/// A `setup.py` whose `setup(install_requires=…, extras_require=…, tests_require=…)` are
/// literal lists, or names bound to literal lists at module level (`install_requires=requires`).
fn read_setup_py(path: &Path, text: &str, found: &mut Declarations) {
    use ruff_python_ast::{Expr, Stmt};
    let Ok(parsed) = ruff_python_parser::parse_module(text) else {
        return;
    };
    let line_index = ruff_source_file::LineIndex::from_source_text(text);
    let module = parsed.syntax();
    let mut lists: Vec<(&str, &Expr)> = Vec::new();
    let mut calls = Vec::new();
    for stmt in &module.body {
        match stmt {
            Stmt::Assign(assign) => {
                if let [Expr::Name(target)] = assign.targets.as_slice() {
                    lists.push((target.id.as_str(), &assign.value));
                }
            }
            Stmt::Expr(expr) => calls.push(&*expr.value),
            Stmt::If(branch) => {
                for stmt in &branch.body {
                    if let Stmt::Expr(expr) = stmt {
                        calls.push(&*expr.value);
                    }
                }
            }
            _ => {}
        }
    }
    let resolve = |expr: &'_ Expr| -> Option<Expr> {
        match expr {
            Expr::Name(name) => lists
                .iter()
                .rev()
                .find(|(bound, _)| *bound == name.id.as_str())
                .map(|(_, value)| (*value).clone()),
            other => Some(other.clone()),
        }
    };
    let push = |expr: &Expr, kind: DeclaredKind, found: &mut Declarations| {
        let Some(Expr::List(list)) = resolve(expr) else {
            return;
        };
        for element in &list.elts {
            let Expr::StringLiteral(literal) = element else {
                continue;
            };
            let Some((name, has_marker)) = requirement(literal.value.to_str()) else {
                continue;
            };
            let location = archlint_vocabulary::diagnostic::location(
                text,
                &line_index,
                ruff_text_size::Ranged::start(element),
            );
            found.declared.push(Declared::new(
                name,
                kind.clone(),
                has_marker,
                Place::in_file(path, location.line, location.column),
            ));
        }
    };
    for call in calls {
        let Expr::Call(call) = call else {
            continue;
        };
        let callee = match &*call.func {
            Expr::Name(name) => name.id.as_str(),
            Expr::Attribute(attribute) => attribute.attr.as_str(),
            _ => continue,
        };
        if callee != "setup" {
            continue;
        }
        found.sources.push(path.to_path_buf());
        for keyword in &call.arguments.keywords {
            let Some(arg) = &keyword.arg else {
                continue;
            };
            match arg.as_str() {
                "install_requires" if !matches!(resolve(&keyword.value), Some(Expr::List(_))) => {
                    let location = archlint_vocabulary::diagnostic::location(
                        text,
                        &line_index,
                        ruff_text_size::Ranged::start(keyword),
                    );
                    found.runtime_computed_at =
                        Some(Place::in_file(path, location.line, location.column));
                }
                "install_requires" => push(&keyword.value, DeclaredKind::Runtime, found),
                "tests_require" => push(
                    &keyword.value,
                    DeclaredKind::Dev("tests_require".into()),
                    found,
                ),
                "extras_require" => {
                    let Some(Expr::Dict(dict)) = resolve(&keyword.value) else {
                        continue;
                    };
                    for item in &dict.items {
                        if let Some(Expr::StringLiteral(key)) = &item.key {
                            push(
                                &item.value,
                                DeclaredKind::Extra(key.value.to_str().to_string()),
                                found,
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_lines_join_continuations_and_drop_comments() {
        let text = "# comment\nrequests==2.0 \\\n    --hash=sha256:abc  # pinned\n\n  flask>=2 ; python_version < \"3.9\"\n";
        let lines = requirement_lines(text);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].0, 2);
        assert_eq!(lines[0].2, "requests==2.0 --hash=sha256:abc");
        assert_eq!((lines[1].0, lines[1].1), (5, 3));
    }

    #[test]
    fn every_source_is_read_with_its_kind() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("pyproject.toml"),
            "[project]\nname = \"p\"\ndependencies = [\"PyYAML>=6\", \"dataclasses; python_version < '3.7'\"]\n[project.optional-dependencies]\ncli = [\"click\"]\ndev = [\"black\"]\n[dependency-groups]\ntest = [\"pytest\", {include-group = \"lint\"}]\nlint = [\"ruff\"]\n[tool.poetry.group.docs.dependencies]\nsphinx = \"^7\"\n",
        )
        .unwrap();
        std::fs::write(
            root.join("requirements-dev.txt"),
            "-r requirements/extra.txt\nmypy\n",
        )
        .unwrap();
        std::fs::create_dir(root.join("requirements")).unwrap();
        std::fs::write(root.join("requirements/extra.txt"), "coverage\n").unwrap();
        std::fs::write(root.join("requirements.txt"), "pinned==1.0\n").unwrap();
        let file = PyprojectFile::read(&root.join("pyproject.toml")).unwrap();
        let found = read(root, Some(&file), &["dev".to_string()]);
        let summary: Vec<(String, DeclaredKind, bool, usize)> = found
            .declared
            .iter()
            .map(|d| (d.normalized.clone(), d.kind.clone(), d.has_marker, d.line))
            .collect();
        let dev = |g: &str| DeclaredKind::Dev(g.into());
        assert_eq!(
            summary,
            [
                ("pyyaml".into(), DeclaredKind::Runtime, false, 3),
                ("dataclasses".into(), DeclaredKind::Runtime, true, 3),
                ("click".into(), DeclaredKind::Extra("cli".into()), false, 5),
                ("black".into(), dev("dev"), false, 6),
                ("pytest".into(), dev("test"), false, 8),
                ("ruff".into(), dev("lint"), false, 9),
                ("sphinx".into(), dev("docs"), false, 11),
                // The `requirements/` folder comes first (its include from
                // `requirements-dev.txt` is then skipped); `requirements.txt` is not read
                // since `[project]` declares the runtime dependencies.
                ("coverage".into(), dev("extra"), false, 1),
                ("mypy".into(), dev("requirements-dev"), false, 2),
            ]
        );
    }

    #[test]
    fn setup_py_literals_and_setup_cfg_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("setup.py"),
            "from setuptools import setup\nrequires = [\n    \"idna>=2.5\",\n]\nsetup(name=\"x\", install_requires=requires, extras_require={\"socks\": [\"PySocks\"]})\n",
        )
        .unwrap();
        std::fs::write(
            root.join("setup.cfg"),
            "[options]\ninstall_requires =\n    attrs>=20\n[options.extras_require]\nyaml = PyYAML\n",
        )
        .unwrap();
        let found = read(root, None, &[]);
        let summary: Vec<(String, usize)> = found
            .declared
            .iter()
            .map(|d| (d.normalized.clone(), d.line))
            .collect();
        assert_eq!(
            summary,
            [
                ("attrs".into(), 3),
                ("pyyaml".into(), 5),
                ("idna".into(), 3),
                ("pysocks".into(), 5),
            ]
        );
    }
}
