use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a version written in two places: a static `[project].version` and a literal
    /// `__version__ = "…"` in the distribution's top-level package (worse when they
    /// differ); and a version source configured for the build backend
    /// (`[tool.hatch.version]`, `[tool.setuptools.dynamic].version`,
    /// `[tool.pdm.version]`) while `version` is not in `[project].dynamic`, where the
    /// backend ignores it or fails.
    ///
    /// ## Why it matters
    /// Guide §7: its own `pyproject.toml` gives `version = "1.0.0"`, a `[tool.hatch.version]`
    /// path and `__version__ = "1.0.0"` in `__init__.py`; the three drift at the first
    /// release that updates only one. Keep one source: the static field with
    /// `importlib.metadata.version()` at run time, or a dynamic version read from the code.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.1.0"
    /// # file: shop/__init__.py
    /// __version__ = "1.0.0"
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.1.0"
    /// # file: shop/__init__.py
    /// from importlib.metadata import version
    ///
    /// __version__ = version("shop")
    /// ```
    pub static VERSION_NOT_SINGLE_SOURCED = Rule {
        code: "PKG003",
        name: "version-not-single-sourced",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Project {
            run: check,
            reads: &[],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    let project = cx.project;
    let Some(file) = project.pyproject() else {
        return;
    };
    let Some(table) = file.item(&["project"]) else {
        return;
    };
    let dynamic = super::dynamic_fields(table).contains(&"version");
    if !dynamic {
        for keys in [
            &["tool", "hatch", "version"][..],
            &["tool", "setuptools", "dynamic", "version"],
            &["tool", "pdm", "version"],
        ] {
            if let Some(item) = file.item(keys) {
                cx.report_in(
                    file,
                    file.range(item),
                    format!(
                        "`[{}]` configures where the version comes from, but `version` is not in `[project].dynamic`: add it to `dynamic` and remove the static `version`, or remove this table",
                        keys.join(".")
                    ),
                );
            }
        }
    }
    let Some((version, _)) = file.string(&["project", "version"]) else {
        return;
    };
    let Some((name, _)) = file.string(&["project", "name"]) else {
        return;
    };
    let package = archlint_project::distribution_name::normalize(name).replace('-', "_");
    let Some(init) = project
        .modules
        .iter()
        .find(|m| m.is_package && m.module.as_deref() == Some(package.as_str()))
    else {
        return;
    };
    let Ok(source) = std::fs::read_to_string(&init.path) else {
        return;
    };
    let Some((index, literal)) = source.lines().enumerate().find_map(|(index, line)| {
        let rest = line.strip_prefix("__version__")?;
        if !rest.trim_start().starts_with(['=', ':']) {
            return None;
        }
        Some((index, version_literal(rest)?))
    }) else {
        return;
    };
    let message = if literal == version {
        format!(
            "`__version__ = \"{literal}\"` repeats `[project].version`: read it with `importlib.metadata.version(\"{name}\")`, or make `version` dynamic and read it from here"
        )
    } else {
        format!(
            "`__version__ = \"{literal}\"` differs from `[project].version = \"{version}\"`: keep one source, and read it with `importlib.metadata.version(\"{name}\")`"
        )
    };
    cx.report(&init.path, index + 1, 1, message);
}

/// The string of `__version__ = "1.0"` (or `__version__: str = '1.0'`).
fn version_literal(line: &str) -> Option<&str> {
    let (_, value) = line.split_once('=')?;
    let value = value.trim();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &value[1..];
    let end = rest.find(quote)?;
    Some(&rest[..end])
}
