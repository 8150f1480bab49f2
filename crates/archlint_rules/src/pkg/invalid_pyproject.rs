use std::path::Path;
use std::str::FromStr;

use toml_edit::{Item, Value};

use super::{dynamic_fields, strings, trove};
use crate::prelude::*;
use archlint_project::distribution_name::{self, normalize};

rule! {
    /// ## What it does
    /// Validates `pyproject.toml` against the packaging standards, as validate-pyproject
    /// does, pointing at the exact key or value:
    /// - PEP 517/518 `[build-system]`: `requires` a list of PEP 508 requirements,
    ///   `build-backend` an object reference, no other keys but `backend-path`.
    /// - PEP 621 `[project]`: no unknown keys; `name` present and valid; `version` present
    ///   (or in `dynamic`) and a PEP 440 version; fields in `dynamic` not also given
    ///   statically, `name` never dynamic; `requires-python` a valid specifier set;
    ///   `dependencies` and `optional-dependencies` PEP 508 requirements with valid extra
    ///   names; `readme` an existing file with a known content type; `authors`/`maintainers`
    ///   tables of `name` and `email`; `urls` with `http(s)` URLs; `scripts`, `gui-scripts`
    ///   and `entry-points` object references (console scripts not in `entry-points`);
    ///   every field of the right type.
    /// - PEP 639: `license` a valid SPDX expression; `license-files` relative globs that
    ///   each match a file.
    /// - PEP 735 `[dependency-groups]`: valid and unique group names, PEP 508 strings or
    ///   `{include-group = …}` tables, includes that exist and do not form a cycle.
    /// - Classifiers from the official trove list (deprecated ones name their replacement).
    ///
    /// ## Why it matters
    /// Guide §7 (`pyproject.toml` and build backends): the build backend rejects an
    /// invalid file, often only at release time, or worse builds metadata PyPI refuses at
    /// upload. Catching it on every commit keeps the release path green.
    ///
    /// ## Example
    /// ```toml
    /// [project]
    /// name = "shop"
    /// version = "1.0-final"
    /// license = "MIT license"
    /// dependencies = ["requests>=2,"]
    /// classifiers = ["Programming Language :: Python :: 3.99"]
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// license = "MIT"
    /// dependencies = ["requests>=2"]
    /// classifiers = ["Programming Language :: Python :: 3.12"]
    /// ```
    pub static INVALID_PYPROJECT = Rule {
        code: "PKG002",
        name: "invalid-pyproject",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[
            Peer::same("validate-pyproject", "pep517/pep621/pep639/pep735"),
            Peer::related("ruff", "RUF200"),
        ],
        check: Check::Pyproject { run: check },
    };
}

/// The keys PEP 621 (with PEP 639 and PEP 794) allows in `[project]`.
const PROJECT_KEYS: &[&str] = &[
    "name",
    "version",
    "description",
    "readme",
    "requires-python",
    "license",
    "license-files",
    "authors",
    "maintainers",
    "keywords",
    "classifiers",
    "urls",
    "entry-points",
    "scripts",
    "gui-scripts",
    "dependencies",
    "optional-dependencies",
    "dynamic",
    "import-names",
    "import-namespaces",
];

fn check(cx: &mut PyprojectContext) {
    if let Some(build) = cx.file.item(&["build-system"]) {
        build_system(cx, build);
    }
    if let Some(project) = cx.file.item(&["project"]) {
        project_table(cx, project);
    }
    if let Some(groups) = cx.file.item(&["dependency-groups"]) {
        dependency_groups(cx, groups);
    }
}

fn build_system(cx: &mut PyprojectContext, build: &Item) {
    let file = cx.file;
    let Some(table) = build.as_table_like() else {
        cx.report(file.range(build), "`[build-system]` must be a table");
        return;
    };
    for (key, _) in table.iter() {
        if !["requires", "build-backend", "backend-path"].contains(&key) {
            cx.report(
                file.key_range(build, key),
                format!("`[build-system]` has no key `{key}` (PEP 518 allows `requires`, `build-backend` and `backend-path`); move tool settings under `[tool]`"),
            );
        }
    }
    if let Some(requires) = build.get("requires") {
        requirements(cx, requires, "[build-system].requires");
    }
    if let Some(backend) = build.get("build-backend") {
        match backend.as_str() {
            Some(text) if is_object_reference(text, true) => {}
            _ => cx.report(
                file.range(backend),
                "`build-backend` must name a module or object (`hatchling.build`, `setuptools.build_meta`)",
            ),
        }
    }
    if let Some(paths) = build.get("backend-path") {
        string_array(cx, paths, "[build-system].backend-path");
    }
}

fn project_table(cx: &mut PyprojectContext, project: &Item) {
    let file = cx.file;
    let Some(table) = project.as_table_like() else {
        cx.report(file.range(project), "`[project]` must be a table");
        return;
    };
    for (key, _) in table.iter() {
        if PROJECT_KEYS.contains(&key) {
            continue;
        }
        let closest = PROJECT_KEYS
            .iter()
            .map(|known| (strsim::jaro_winkler(key, known), known))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(score, _)| *score > 0.8)
            .map(|(_, known)| format!(": did you mean `{known}`?"))
            .unwrap_or_else(|| ": tool settings go under `[tool.<name>]`".to_string());
        cx.report(
            file.key_range(project, key),
            format!("`[project]` has no key `{key}`{closest}"),
        );
    }
    let dynamic = dynamic_fields(project);
    if let Some(item) = project.get("dynamic") {
        for (field, value) in strings(item) {
            let range = file.value_range(value);
            if field == "name" {
                cx.report(
                    range,
                    "`name` cannot be dynamic: a build frontend needs it before building",
                );
            } else if !PROJECT_KEYS.contains(&field) {
                cx.report(
                    range,
                    format!("`{field}` in `dynamic` is not a `[project]` field"),
                );
            } else if project.get(field).is_some() {
                cx.report(
                    range,
                    format!("`{field}` is both given in `[project]` and listed in `dynamic`: keep one (PEP 621)"),
                );
            }
        }
    }
    match project.get("name") {
        None => cx.report(file.table_range("project"), "`[project]` has no `name`"),
        Some(name) => match name.as_str() {
            Some(text) if distribution_name::is_valid(text) => {}
            Some(text) => cx.report(
                file.range(name),
                format!("`{text}` is not a valid project name: letters, digits, `.`, `_` and `-`, starting and ending with a letter or digit"),
            ),
            None => cx.report(file.range(name), "`name` must be a string"),
        },
    }
    match project.get("version") {
        None if !dynamic.contains(&"version") => cx.report(
            file.table_range("project"),
            "`[project]` has no `version`: give one, or list `version` in `dynamic` when the build backend computes it",
        ),
        None => {}
        Some(version) => match version.as_str() {
            Some(text) => {
                if let Err(error) = pep440_rs::Version::from_str(text) {
                    cx.report(
                        file.range(version),
                        format!("`{text}` is not a PEP 440 version ({error}): use `1.0`, `1.0rc1`, `1.0.post1`"),
                    );
                }
            }
            None => cx.report(file.range(version), "`version` must be a string"),
        },
    }
    if let Some(description) = project.get("description") {
        match description.as_str() {
            Some(text) if text.contains('\n') => cx.report(
                file.range(description),
                "`description` is the one-line summary: put the long text in `readme`",
            ),
            Some(_) => {}
            None => cx.report(file.range(description), "`description` must be a string"),
        }
    }
    if let Some(readme) = project.get("readme") {
        readme_field(cx, readme);
    }
    if let Some(requires_python) = project.get("requires-python") {
        match requires_python.as_str() {
            Some(text) => {
                if let Err(error) = pep440_rs::VersionSpecifiers::from_str(text) {
                    cx.report(
                        file.range(requires_python),
                        format!("`requires-python = \"{text}\"` is not a valid version specifier ({}): write `>=3.10`", one_line(&error.to_string())),
                    );
                }
            }
            None => cx.report(
                file.range(requires_python),
                "`requires-python` must be a string",
            ),
        }
    }
    if let Some(license) = project.get("license") {
        license_field(cx, license);
    }
    if let Some(license_files) = project.get("license-files") {
        license_files_field(cx, license_files);
    }
    for people in ["authors", "maintainers"] {
        if let Some(item) = project.get(people) {
            people_field(cx, item, people);
        }
    }
    if let Some(keywords) = project.get("keywords") {
        string_array(cx, keywords, "keywords");
    }
    if let Some(classifiers) = project.get("classifiers") {
        classifiers_field(cx, classifiers);
    }
    if let Some(urls) = project.get("urls") {
        urls_field(cx, urls);
    }
    for scripts in ["scripts", "gui-scripts"] {
        if let Some(item) = project.get(scripts) {
            entry_point_table(cx, item, scripts);
        }
    }
    if let Some(entry_points) = project.get("entry-points") {
        match entry_points.as_table_like() {
            Some(groups) => {
                for (group, item) in groups.iter() {
                    if group == "console_scripts" || group == "gui_scripts" {
                        cx.report(
                            file.key_range(entry_points, group),
                            format!(
                                "`{group}` cannot be in `entry-points`: use `[project.{}]`",
                                if group == "console_scripts" {
                                    "scripts"
                                } else {
                                    "gui-scripts"
                                }
                            ),
                        );
                    } else {
                        entry_point_table(cx, item, &format!("entry-points.{group}"));
                    }
                }
            }
            None => cx.report(
                file.range(entry_points),
                "`entry-points` must be a table of groups",
            ),
        }
    }
    if let Some(dependencies) = project.get("dependencies") {
        requirements(cx, dependencies, "dependencies");
    }
    if let Some(optional) = project.get("optional-dependencies") {
        match optional.as_table_like() {
            Some(extras) => {
                for (extra, item) in extras.iter() {
                    if !distribution_name::is_valid(extra) {
                        cx.report(
                            file.key_range(optional, extra),
                            format!("`{extra}` is not a valid extra name: letters, digits, `-`, `_` and `.`"),
                        );
                    }
                    requirements(cx, item, &format!("optional-dependencies.{extra}"));
                }
            }
            None => cx.report(
                file.range(optional),
                "`optional-dependencies` must be a table of extras",
            ),
        }
    }
}

fn readme_field(cx: &mut PyprojectContext, readme: &Item) {
    let file = cx.file;
    let root = file.root();
    let check_file = |cx: &mut PyprojectContext, path: &str, range, needs_type: bool| {
        if !root.join(path).is_file() {
            cx.report(range, format!("the readme `{path}` does not exist"));
        } else if needs_type && content_type_of(path).is_none() {
            cx.report(
                range,
                format!("the content type of `{path}` is unknown (`.md`, `.rst` or `.txt`): use `readme = {{file = \"{path}\", content-type = \"text/markdown\"}}`"),
            );
        }
    };
    if let Some(path) = readme.as_str() {
        check_file(cx, path, file.range(readme), true);
        return;
    }
    if readme.as_table_like().is_none() {
        cx.report(
            file.range(readme),
            "`readme` must be a path or a table with `file` or `text` and `content-type`",
        );
        return;
    }
    let has_file = readme.get("file");
    let has_text = readme.get("text");
    match (has_file, has_text) {
        (Some(_), Some(_)) => cx.report(
            file.range(readme),
            "`readme` takes `file` or `text`, not both",
        ),
        (None, None) => cx.report(file.range(readme), "`readme` needs `file` or `text`"),
        (Some(path), None) => match path.as_str() {
            Some(text) => check_file(cx, text, file.range(path), false),
            None => cx.report(file.range(path), "`readme.file` must be a string"),
        },
        _ => {}
    }
    match readme.get("content-type").and_then(Item::as_str) {
        None => cx.report(
            file.range(readme),
            "a `readme` table needs `content-type` (`text/markdown`, `text/x-rst` or `text/plain`)",
        ),
        Some(content_type) => {
            let base = content_type.split(';').next().unwrap_or_default().trim();
            if !["text/markdown", "text/x-rst", "text/plain"].contains(&base) {
                let item = readme.get("content-type").unwrap_or(readme);
                cx.report(
                    file.range(item),
                    format!("`{content_type}` is not a content type PyPI renders: use `text/markdown`, `text/x-rst` or `text/plain`"),
                );
            }
        }
    }
}

/// The content type a readme's extension gives (PEP 621).
pub fn content_type_of(path: &str) -> Option<&'static str> {
    let extension = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "md" | "markdown" => Some("text/markdown"),
        "rst" => Some("text/x-rst"),
        "txt" => Some("text/plain"),
        _ => None,
    }
}

fn license_field(cx: &mut PyprojectContext, license: &Item) {
    let file = cx.file;
    if let Some(expression) = license.as_str() {
        if let Err(error) = spdx::Expression::parse(expression) {
            let suggestion = spdx::Expression::canonicalize(expression)
                .ok()
                .flatten()
                .map(|canonical| format!(": write `{canonical}`"))
                .unwrap_or_else(|| {
                    ": use SPDX identifiers (`MIT`, `Apache-2.0 OR MIT`, `LicenseRef-Proprietary`)"
                        .to_string()
                });
            cx.report(
                file.range(license),
                format!(
                    "`{expression}` is not a valid SPDX license expression ({}){suggestion}",
                    error.reason
                ),
            );
        }
        return;
    }
    // The table form is deprecated (PKG005); here only its shape.
    match (license.get("file"), license.get("text")) {
        (Some(path), None) => {
            if let Some(text) = path.as_str()
                && !file.root().join(text).is_file()
            {
                cx.report(
                    file.range(path),
                    format!("the license file `{text}` does not exist"),
                );
            }
        }
        (None, Some(_)) => {}
        _ => cx.report(
            file.range(license),
            "`license` must be an SPDX expression (or, deprecated, a table with `file` or `text`)",
        ),
    }
}

fn license_files_field(cx: &mut PyprojectContext, license_files: &Item) {
    let file = cx.file;
    let root = file.root();
    let Some(patterns) = license_files.as_array() else {
        cx.report(
            file.range(license_files),
            "`license-files` must be a list of glob patterns (PEP 639)",
        );
        return;
    };
    for value in patterns {
        let range = file.value_range(value);
        let Some(pattern) = value.as_str() else {
            cx.report(range, "`license-files` entries must be strings");
            continue;
        };
        if pattern.starts_with('/')
            || pattern.split('/').any(|part| part == "..")
            || pattern.contains('\\')
        {
            cx.report(range, format!("`{pattern}` must be a relative path inside the project, with `/` separators and no `..` (PEP 639)"));
            continue;
        }
        let Ok(glob) = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
        else {
            cx.report(range, format!("`{pattern}` is not a valid glob"));
            continue;
        };
        let matcher = glob.compile_matcher();
        // Patterns rarely reach deep: walk only as far as the pattern can.
        let depth = if pattern.contains("**") {
            12
        } else {
            pattern.split('/').count()
        };
        let matched = ignore::WalkBuilder::new(root)
            .max_depth(Some(depth))
            .hidden(false)
            .git_ignore(false)
            .filter_entry(|entry| {
                !matches!(
                    entry.file_name().to_str(),
                    Some(".git" | ".venv" | "venv" | "node_modules")
                )
            })
            .build()
            .flatten()
            .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
            .any(|entry| {
                entry
                    .path()
                    .strip_prefix(root)
                    .is_ok_and(|relative| matcher.is_match(relative))
            });
        if !matched {
            cx.report(range, format!("`{pattern}` matches no file: build backends fail on license globs that match nothing (PEP 639)"));
        }
    }
}

fn people_field(cx: &mut PyprojectContext, item: &Item, field: &str) {
    let file = cx.file;
    let Some(people) = item.as_array() else {
        cx.report(
            file.range(item),
            format!("`{field}` must be a list of `{{name = …, email = …}}` tables"),
        );
        return;
    };
    for person in people {
        let range = file.value_range(person);
        let Some(table) = person.as_inline_table() else {
            cx.report(
                range,
                format!("entries of `{field}` must be tables with `name` and/or `email`"),
            );
            continue;
        };
        if table.is_empty() {
            cx.report(
                range,
                format!("an entry of `{field}` needs `name` or `email`"),
            );
        }
        for (key, value) in table.iter() {
            match (key, value.as_str()) {
                ("name", Some(name)) if name.contains(',') => cx.report(
                    file.value_range(value),
                    format!("`{name}`: a name in `{field}` cannot contain a comma (core metadata joins them with commas); use one table per person"),
                ),
                ("email", Some(email)) if !is_email(email) => cx.report(
                    file.value_range(value),
                    format!("`{email}` is not an email address"),
                ),
                ("name" | "email", Some(_)) => {}
                ("name" | "email", None) => cx.report(file.value_range(value), format!("`{key}` must be a string")),
                _ => cx.report(range, format!("entries of `{field}` take only `name` and `email`, not `{key}`")),
            }
        }
    }
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !text.contains(char::is_whitespace)
}

fn classifiers_field(cx: &mut PyprojectContext, classifiers: &Item) {
    let file = cx.file;
    let Some(array) = classifiers.as_array() else {
        cx.report(
            file.range(classifiers),
            "`classifiers` must be a list of strings",
        );
        return;
    };
    let trove = trove();
    for value in array {
        let range = file.value_range(value);
        let Some(classifier) = value.as_str() else {
            cx.report(range, "classifiers must be strings");
            continue;
        };
        if trove.valid.contains(classifier) || classifier.starts_with("Private ::") {
            continue;
        }
        let message = match trove.deprecated.get(classifier) {
            Some(replacements) if !replacements.is_empty() => format!(
                "`{classifier}` is deprecated: use {}",
                replacements
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            Some(_) => format!("`{classifier}` is deprecated and PyPI rejects it: remove it"),
            None => {
                let closest = trove
                    .valid
                    .iter()
                    .map(|known| (strsim::jaro_winkler(classifier, known), *known))
                    .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
                    .filter(|(score, _)| *score > 0.9)
                    .map(|(_, known)| format!(": did you mean `{known}`?"))
                    .unwrap_or_else(|| ": see https://pypi.org/classifiers/".to_string());
                format!(
                    "`{classifier}` is not a trove classifier, and PyPI rejects the upload{closest}"
                )
            }
        };
        cx.report(range, message);
    }
}

fn urls_field(cx: &mut PyprojectContext, urls: &Item) {
    let file = cx.file;
    let Some(table) = urls.as_table_like() else {
        cx.report(file.range(urls), "`urls` must be a table of label = URL");
        return;
    };
    for (label, item) in table.iter() {
        match item.as_str() {
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                if url.contains(char::is_whitespace)
                    || url
                        .trim_start_matches("https://")
                        .trim_start_matches("http://")
                        .is_empty()
                {
                    cx.report(file.range(item), format!("`{url}` is not a URL"));
                }
            }
            Some(url) => cx.report(
                file.range(item),
                format!("`{label} = \"{url}\"` is not an http(s) URL"),
            ),
            None => cx.report(file.range(item), format!("`urls.{label}` must be a string")),
        }
        if label.len() > 32 {
            cx.report(
                file.key_range(urls, label),
                format!(
                    "the URL label `{label}` is longer than 32 characters (core metadata limit)"
                ),
            );
        }
    }
}

fn entry_point_table(cx: &mut PyprojectContext, item: &Item, field: &str) {
    let file = cx.file;
    let Some(table) = item.as_table_like() else {
        cx.report(
            file.range(item),
            format!("`{field}` must be a table of name = \"module:object\""),
        );
        return;
    };
    for (name, target) in table.iter() {
        match target.as_str() {
            Some(reference) if is_object_reference(reference, false) => {}
            Some(reference) => cx.report(
                file.range(target),
                format!("`{name} = \"{reference}\"` is not an object reference: write `package.module:function`"),
            ),
            None => cx.report(file.range(target), format!("`{field}.{name}` must be a string")),
        }
    }
}

fn requirements(cx: &mut PyprojectContext, item: &Item, field: &str) {
    let file = cx.file;
    let Some(array) = item.as_array() else {
        cx.report(
            file.range(item),
            format!("`{field}` must be a list of PEP 508 requirement strings"),
        );
        return;
    };
    for value in array {
        requirement_value(cx, value, field);
    }
}

fn requirement_value(cx: &mut PyprojectContext, value: &Value, field: &str) {
    let range = cx.file.value_range(value);
    let Some(text) = value.as_str() else {
        cx.report(range, format!("`{field}` entries must be strings"));
        return;
    };
    if let Err(error) = archlint_project::requirement::parse(text) {
        cx.report(
            range,
            format!(
                "`{text}` is not a valid PEP 508 requirement: {}",
                one_line(&error.message.to_string())
            ),
        );
    }
}

fn string_array(cx: &mut PyprojectContext, item: &Item, field: &str) {
    let file = cx.file;
    match item.as_array() {
        Some(array) => {
            for value in array.iter().filter(|v| v.as_str().is_none()) {
                cx.report(
                    file.value_range(value),
                    format!("`{field}` entries must be strings"),
                );
            }
        }
        None => cx.report(
            file.range(item),
            format!("`{field}` must be a list of strings"),
        ),
    }
}

fn dependency_groups(cx: &mut PyprojectContext, groups: &Item) {
    let file = cx.file;
    let Some(table) = groups.as_table_like() else {
        cx.report(
            file.range(groups),
            "`[dependency-groups]` must be a table of lists",
        );
        return;
    };
    let normalized: Vec<(String, &str)> = table
        .iter()
        .map(|(name, _)| (normalize(name), name))
        .collect();
    let mut seen = rustc_hash::FxHashSet::default();
    for (key, name) in &normalized {
        if !distribution_name::is_valid(name) {
            cx.report(
                file.key_range(groups, name),
                format!("`{name}` is not a valid group name"),
            );
        }
        if !seen.insert(key.clone()) {
            cx.report(
                file.key_range(groups, name),
                format!("the group `{name}` duplicates another after name normalisation (PEP 735)"),
            );
        }
    }
    let group_of = |name: &str| {
        let key = normalize(name);
        normalized.iter().find(|(k, _)| *k == key).map(|(_, n)| *n)
    };
    for (name, item) in table.iter() {
        let Some(entries) = item.as_array() else {
            cx.report(
                file.range(item),
                format!("the group `{name}` must be a list"),
            );
            continue;
        };
        for entry in entries {
            if entry.is_str() {
                requirement_value(cx, entry, &format!("dependency-groups.{name}"));
                continue;
            }
            let range = file.value_range(entry);
            match entry
                .as_inline_table()
                .and_then(|t| t.get("include-group"))
                .and_then(Value::as_str)
            {
                Some(included) if group_of(included).is_none() => cx.report(
                    range,
                    format!(
                        "`include-group = \"{included}\"` names no group of `[dependency-groups]`"
                    ),
                ),
                Some(included) => {
                    if let Some(cycle) = include_cycle(groups, name, included, &group_of) {
                        cx.report(
                            range,
                            format!("including `{included}` makes a cycle: {cycle}"),
                        );
                    }
                }
                None => cx.report(
                    range,
                    "group entries are requirement strings or `{include-group = \"name\"}` tables",
                ),
            }
        }
    }
}

/// The cycle `start → … → start` that including `included` from `start` closes, if any.
fn include_cycle<'a>(
    groups: &'a Item,
    start: &str,
    included: &'a str,
    group_of: &dyn Fn(&str) -> Option<&'a str>,
) -> Option<String> {
    let mut path = vec![start.to_string()];
    let mut stack = vec![(group_of(included)?, 0usize)];
    let mut visited = rustc_hash::FxHashSet::default();
    while let Some((group, depth)) = stack.pop() {
        path.truncate(depth + 1);
        path.push(group.to_string());
        if normalize(group) == normalize(start) {
            return Some(path.join(" → "));
        }
        if !visited.insert(group) {
            continue;
        }
        for entry in groups
            .get(group)
            .and_then(Item::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(next) = entry
                .as_inline_table()
                .and_then(|t| t.get("include-group"))
                .and_then(Value::as_str)
                .and_then(group_of)
            {
                stack.push((next, depth + 1));
            }
        }
    }
    None
}

/// `module.sub:object.attr` (the object part optional for a build backend), with an
/// optional `[extras]` suffix on entry points.
fn is_object_reference(text: &str, object_optional: bool) -> bool {
    let text = match text.split_once('[') {
        Some((reference, extras)) if extras.trim_end().ends_with(']') => reference.trim_end(),
        Some(_) => return false,
        None => text,
    };
    let dotted = |part: &str| {
        !part.is_empty()
            && part
                .split('.')
                .all(|name| ruff_python_stdlib::identifiers::is_identifier(name.trim()))
    };
    match text.split_once(':') {
        Some((module, object)) => dotted(module.trim()) && dotted(object.trim()),
        None => object_optional && dotted(text),
    }
}

fn one_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_references() {
        assert!(is_object_reference("pkg.cli:main", false));
        assert!(is_object_reference("pkg.cli:App.run [extra]", false));
        assert!(!is_object_reference("pkg.cli", false));
        assert!(is_object_reference("setuptools.build_meta", true));
        assert!(!is_object_reference("pkg-cli:main", false));
        assert_eq!(content_type_of("README.md"), Some("text/markdown"));
        assert_eq!(content_type_of("README"), None);
    }
}
