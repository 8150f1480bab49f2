use crate::prelude::*;

rule! {
    /// ## What it does
    /// Checks each `[project.scripts]`, `[project.gui-scripts]` and
    /// `[project.entry-points.<group>]` value `module:object` against the project's code:
    /// the module must be one of the project's modules, and the object's first name must be
    /// defined or imported at the module's top level (or be a submodule). Modules with a
    /// module-level `__getattr__` or a star import are given the benefit of the doubt.
    ///
    /// ## Why it matters
    /// Guide §7: its sample declares `advanced-tool = "advanced_python_package.cli:main"`
    /// and plugin entry points. A typo there builds and uploads without complaint; the
    /// console script then fails with `ImportError` or `AttributeError` on every user's
    /// machine, and a plugin silently never loads.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// [project.scripts]
    /// shop = "shop.cli:main"
    /// # file: shop/__init__.py
    /// # file: shop/cli.py
    /// def run():
    ///     pass
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// [project.scripts]
    /// shop = "shop.cli:run"
    /// # file: shop/__init__.py
    /// # file: shop/cli.py
    /// def run():
    ///     pass
    /// ```
    pub static ENTRY_POINT_TARGET_MISSING = Rule {
        code: "PKG010",
        name: "entry-point-target-missing",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
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
    let mut tables = Vec::new();
    for key in ["scripts", "gui-scripts"] {
        if let Some(item) = file.item(&["project", key]) {
            tables.push(item);
        }
    }
    if let Some(groups) = file
        .item(&["project", "entry-points"])
        .and_then(|item| item.as_table_like())
    {
        tables.extend(groups.iter().map(|(_, item)| item));
    }
    let first_party = project.top_level_modules();
    for table in tables {
        let Some(entries) = table.as_table_like() else {
            continue;
        };
        for (name, item) in entries.iter() {
            let Some(reference) = item.as_str() else {
                continue;
            };
            let reference = reference.split('[').next().unwrap_or(reference).trim();
            let Some((module_name, object)) = reference.split_once(':') else {
                continue;
            };
            let (module_name, object) = (module_name.trim(), object.trim());
            let top = module_name.split('.').next().unwrap_or(module_name);
            // Entry points into another distribution's code are not this project's to check.
            if !first_party.contains(top) {
                continue;
            }
            let Some(module) = project
                .modules
                .iter()
                .find(|m| m.module.as_deref() == Some(module_name))
            else {
                cx.report_in(
                    file,
                    file.range(item),
                    format!("`{name}` points at the module `{module_name}`, which the project does not have"),
                );
                continue;
            };
            let first = object.split('.').next().unwrap_or(object);
            let defined = module.definitions.iter().any(|d| d.qualname == first)
                || module.imports.iter().any(|i| {
                    i.bound_as.as_deref() == Some(first) || i.member.as_deref() == Some("*")
                })
                || module
                    .definitions
                    .iter()
                    .any(|d| d.qualname == "__getattr__")
                || project
                    .modules
                    .iter()
                    .any(|m| m.module.as_deref() == Some(&format!("{module_name}.{first}")));
            if !defined {
                cx.report_in(
                    file,
                    file.range(item),
                    format!(
                        "`{name}` points at `{module_name}:{object}`, but `{module_name}` ({}) defines no `{first}` at its top level",
                        project.shown(&module.path)
                    ),
                );
            }
        }
    }
}
