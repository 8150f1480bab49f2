//! tach's configuration (`tach.toml`, or `[tool.tach]` in `pyproject.toml`), read alongside
//! import-linter's: modules with `depends_on` and `cannot_depend_on`, `layers` (open or
//! closed), `interfaces`, `utility` and `unchecked` modules, `exclude`, `source_roots`,
//! `root_module`, `ignore_type_checking_imports`, `include_string_imports` and
//! `rules.local_imports`. A key archlint does not read, and `exact = true` (unused
//! dependencies), is reported as not checked (`ARCH004`) at its line, never skipped in silence.

use std::path::{Path, PathBuf};

use super::options::{Declared, UncheckedContract};

/// One `[[modules]]` entry (an entry with `paths` gives one per path).
#[derive(Debug, Clone, Default)]
pub struct TachModule {
    /// The dotted module path, or `<root>`.
    pub path: String,
    /// `None`: any dependency is allowed. Each entry: the path (a glob of dotted parts) and
    /// whether it is deprecated.
    pub depends_on: Option<Vec<(String, bool)>>,
    pub cannot_depend_on: Vec<String>,
    pub layer: Option<String>,
    /// Any module may import it.
    pub utility: bool,
    /// Its own imports are not checked.
    pub unchecked: bool,
    pub line: usize,
}

/// One `[[interfaces]]` entry: the members of the modules matching `from` that other modules
/// may import (regular expressions, matched whole).
#[derive(Debug, Clone, Default)]
pub struct TachInterface {
    pub expose: Vec<String>,
    pub from: Vec<String>,
    pub visibility: Option<Vec<String>>,
    pub exclusive: bool,
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct TachConfig {
    /// The file read (`tach.toml` or `pyproject.toml`).
    pub path: PathBuf,
    pub modules: Vec<TachModule>,
    /// Highest first: a name and whether the layer is closed.
    pub layers: Vec<(String, bool)>,
    pub layers_line: usize,
    pub interfaces: Vec<TachInterface>,
    /// Globs of paths, relative to the configuration's folder, whose files are not checked.
    pub exclude: Vec<String>,
    /// Folders, relative to the configuration's folder, module paths are counted from.
    pub source_roots: Vec<String>,
    pub ignore_type_checking_imports: bool,
    pub include_string_imports: bool,
    /// `ignore` (the default), `allow`, `dependenciesonly` or `forbid`.
    pub root_module: String,
    /// Whether imports inside functions are checked (`rules.local_imports` not `off`).
    pub check_local_imports: bool,
    /// Layered modules need `depends_on` too.
    pub layers_explicit_depends_on: bool,
    /// What archlint does not check, each at its line.
    pub unchecked: Vec<UncheckedContract>,
}

/// The keys of tach's configuration that archlint reads or that change nothing it checks.
const READ_KEYS: &[&str] = &[
    "modules",
    "layers",
    "interfaces",
    "exclude",
    "source_roots",
    "ignore_type_checking_imports",
    "include_string_imports",
    "root_module",
    "rules",
    "layers_explicit_depends_on",
    // Not about imports between modules: caching, external dependencies (`tach
    // check-external`), which files are walked, the editor and the report commands.
    "cache",
    "external",
    "respect_gitignore",
    // `exact = true` is reported as not checked below.
    "exact",
    "use_regex_matching",
    "plugins",
    "domains",
];

/// tach's configuration in `root`: `tach.toml`, else `[tool.tach]` in `pyproject.toml`.
pub fn find(root: &Path) -> Option<TachConfig> {
    let tach = root.join("tach.toml");
    if let Ok(text) = std::fs::read_to_string(&tach) {
        let document: toml_edit::ImDocument<String> = text.parse().ok()?;
        return Some(read(document.as_table(), &text, &tach));
    }
    let pyproject = root.join("pyproject.toml");
    let text = std::fs::read_to_string(&pyproject).ok()?;
    let document: toml_edit::ImDocument<String> = text.parse().ok()?;
    let table = document.get("tool")?.get("tach")?.as_table_like()?;
    Some(read(table, &text, &pyproject))
}

fn strings(item: Option<&toml_edit::Item>) -> Vec<String> {
    match item {
        Some(toml_edit::Item::Value(toml_edit::Value::Array(items))) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(item) => item
            .as_str()
            .map(|s| vec![s.to_string()])
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

fn read(table: &dyn toml_edit::TableLike, text: &str, path: &Path) -> TachConfig {
    let line_of = |span: Option<std::ops::Range<usize>>| {
        span.map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        })
    };
    let flag = |key: &str, default: bool| {
        table
            .get(key)
            .and_then(toml_edit::Item::as_bool)
            .unwrap_or(default)
    };
    let mut config = TachConfig {
        path: path.to_path_buf(),
        exclude: match table.get("exclude") {
            Some(item) => strings(Some(item)),
            None => [
                "**/tests",
                "**/docs",
                "**/*__pycache__",
                "**/*egg-info",
                "**/venv",
            ]
            .map(str::to_string)
            .to_vec(),
        },
        source_roots: match table.get("source_roots") {
            Some(item) => strings(Some(item)),
            None => vec![".".to_string()],
        },
        ignore_type_checking_imports: flag("ignore_type_checking_imports", true),
        include_string_imports: flag("include_string_imports", false),
        layers_explicit_depends_on: flag("layers_explicit_depends_on", false),
        root_module: table
            .get("root_module")
            .and_then(toml_edit::Item::as_str)
            .unwrap_or("ignore")
            .to_string(),
        check_local_imports: table
            .get("rules")
            .and_then(|rules| rules.get("local_imports"))
            .and_then(toml_edit::Item::as_str)
            != Some("off"),
        ..TachConfig::default()
    };
    let file_name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut unchecked = |name: String, kind: &str, reason: String, line: usize| {
        config.unchecked.push(UncheckedContract {
            name,
            kind: kind.to_string(),
            reason,
            declared: Declared {
                path: path.to_path_buf(),
                line,
            },
        })
    };
    for (key, item) in table.iter() {
        if !READ_KEYS.contains(&key) {
            unchecked(
                format!("{file_name} `{key}`"),
                "tach",
                format!("archlint does not read tach's `{key}`"),
                line_of(item.span()),
            );
        }
    }
    if let Some(root) = table.get("root_module").and_then(toml_edit::Item::as_str)
        && !["ignore", "allow"].contains(&root)
    {
        unchecked(
            format!("{file_name} `root_module`"),
            "tach",
            format!(
                "`root_module = \"{root}\"` is checked as `allow` (the root module's imports are checked like another module's)"
            ),
            line_of(table.get("root_module").and_then(toml_edit::Item::span)),
        );
    }
    if table.get("exact").and_then(toml_edit::Item::as_bool) == Some(true) {
        unchecked(
            format!("{file_name} `exact`"),
            "tach",
            "`exact = true` makes `tach check` report `depends_on` entries no import uses; archlint checks the imports only".to_string(),
            line_of(table.get("exact").and_then(toml_edit::Item::span)),
        );
    }
    let mut modules = Vec::new();
    let mut unread_module_keys = Vec::new();
    if let Some(list) = table
        .get("modules")
        .and_then(toml_edit::Item::as_array_of_tables)
    {
        for entry in list.iter() {
            let line = line_of(entry.span());
            let depends_on = entry.get("depends_on").map(|item| match item {
                toml_edit::Item::Value(toml_edit::Value::Array(items)) => items
                    .iter()
                    .filter_map(|v| match v {
                        toml_edit::Value::String(s) => Some((s.value().clone(), false)),
                        toml_edit::Value::InlineTable(t) => Some((
                            t.get("path")?.as_str()?.to_string(),
                            t.get("deprecated").and_then(toml_edit::Value::as_bool) == Some(true),
                        )),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            });
            let cannot_depend_on = match entry.get("cannot_depend_on") {
                Some(toml_edit::Item::Value(toml_edit::Value::Array(items))) => items
                    .iter()
                    .filter_map(|v| match v {
                        toml_edit::Value::String(s) => Some(s.value().clone()),
                        toml_edit::Value::InlineTable(t) => {
                            Some(t.get("path")?.as_str()?.to_string())
                        }
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for (key, item) in entry.iter() {
                let known = [
                    "path",
                    "paths",
                    "depends_on",
                    "cannot_depend_on",
                    "depends_on_external",
                    "cannot_depend_on_external",
                    "layer",
                    "utility",
                    "unchecked",
                    "strict",
                ];
                if !known.contains(&key) {
                    unread_module_keys.push((key.to_string(), line_of(item.span())));
                }
            }
            let mut paths = strings(entry.get("path"));
            paths.extend(strings(entry.get("paths")));
            for module_path in paths {
                modules.push(TachModule {
                    path: module_path,
                    depends_on: depends_on.clone(),
                    cannot_depend_on: cannot_depend_on.clone(),
                    layer: entry
                        .get("layer")
                        .and_then(toml_edit::Item::as_str)
                        .map(str::to_string),
                    utility: entry.get("utility").and_then(toml_edit::Item::as_bool) == Some(true),
                    unchecked: entry.get("unchecked").and_then(toml_edit::Item::as_bool)
                        == Some(true),
                    line,
                });
            }
        }
    }
    for (key, line) in unread_module_keys {
        unchecked(
            format!("{file_name} module option `{key}`"),
            "tach",
            format!("archlint does not check tach's module option `{key}` (such as `visibility`)"),
            line,
        );
    }
    if let Some(item) = table.get("layers") {
        config.layers_line = line_of(item.span());
        if let Some(items) = item.as_array() {
            for value in items.iter() {
                match value {
                    toml_edit::Value::String(s) => config.layers.push((s.value().clone(), false)),
                    toml_edit::Value::InlineTable(t) => {
                        if let Some(name) = t.get("name").and_then(toml_edit::Value::as_str) {
                            let closed =
                                t.get("closed").and_then(toml_edit::Value::as_bool) == Some(true);
                            config.layers.push((name.to_string(), closed));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if let Some(list) = table
        .get("interfaces")
        .and_then(toml_edit::Item::as_array_of_tables)
    {
        for entry in list.iter() {
            config.interfaces.push(TachInterface {
                expose: strings(entry.get("expose")),
                from: strings(entry.get("from")),
                visibility: entry.get("visibility").map(|v| strings(Some(v))),
                exclusive: entry.get("exclusive").and_then(toml_edit::Item::as_bool) == Some(true),
                line: line_of(entry.span()),
            });
        }
    }
    config.modules = modules;
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_layers_and_interfaces_are_read_with_their_lines() {
        let text = r#"source_roots = ["src"]
layers = ["ui", { name = "domain", closed = true }, "core"]

[[modules]]
path = "app.ui"
depends_on = ["app.domain", { path = "app.legacy", deprecated = true }]
layer = "ui"

[[modules]]
path = "app.utils"
utility = true
visibility = ["app.ui"]

[[interfaces]]
expose = ["api.*"]
from = ["app.domain"]
"#;
        let document: toml_edit::ImDocument<String> = text.parse().unwrap();
        let config = read(document.as_table(), text, Path::new("tach.toml"));
        assert_eq!(config.source_roots, ["src"]);
        assert_eq!(config.layers[1], ("domain".to_string(), true));
        assert_eq!(config.modules[0].line, 4);
        assert_eq!(
            config.modules[0].depends_on.as_ref().unwrap()[1],
            ("app.legacy".to_string(), true)
        );
        assert!(config.modules[1].utility && config.modules[1].depends_on.is_none());
        assert_eq!(config.interfaces[0].from, ["app.domain"]);
        assert_eq!(config.unchecked.len(), 1);
        assert_eq!(config.unchecked[0].declared.line, 12);
    }

    #[test]
    fn exact_is_not_checked_only_when_true() {
        for (text, reported) in [("exact = true\n", 1), ("exact = false\n", 0)] {
            let document: toml_edit::ImDocument<String> = text.parse().unwrap();
            let config = read(document.as_table(), text, Path::new("tach.toml"));
            assert_eq!(config.unchecked.len(), reported, "{text}");
        }
    }
}
