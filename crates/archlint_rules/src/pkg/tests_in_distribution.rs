use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports build configuration that ships a top-level `tests`, `test`, `docs` or
    /// `examples` package: hatch's wheel `packages`/`only-include` naming one, setuptools'
    /// `packages` listing one or `[tool.setuptools.packages.find]` without an `exclude`
    /// while such a folder has an `__init__.py`, Poetry's `packages` including one, or
    /// `find_packages()` without `exclude` in `setup.py` in the same situation.
    ///
    /// ## Why it matters
    /// Guide §7 (its hatch configuration excludes `/tests` and `/docs` from the sdist): a
    /// top-level `tests` package in a wheel is installed into `site-packages/tests`, where it
    /// collides with every other distribution that makes the same mistake
    /// (check-wheel-contents W005).
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// [tool.hatch.build.targets.wheel]
    /// packages = ["shop", "tests"]
    /// # file: shop/__init__.py
    /// # file: tests/__init__.py
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// [tool.hatch.build.targets.wheel]
    /// packages = ["shop"]
    /// # file: shop/__init__.py
    /// # file: tests/__init__.py
    /// ```
    pub static TESTS_IN_DISTRIBUTION = Rule {
        code: "PKG009",
        name: "tests-in-distribution",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("check-wheel-contents", "W005")],
        check: Check::Project {
            run: check,
            reads: &[],
        },
    };
}

const NOT_SHIPPED: &[&str] = &["tests", "test", "docs", "examples"];

/// `tests`, `src/tests`, `tests/` → `tests`, when it is one of the folders never shipped.
fn shipped_folder(path: &str) -> Option<&str> {
    let last = path.trim_end_matches(['/', '*']).rsplit('/').next()?;
    NOT_SHIPPED.contains(&last).then_some(last)
}

fn check(cx: &mut ProjectContext) {
    let project = cx.project;
    let root = project.root();
    let packages_present: Vec<&str> = NOT_SHIPPED
        .iter()
        .copied()
        .filter(|name| root.join(name).join("__init__.py").is_file())
        .collect();
    if let Some(file) = project.pyproject() {
        for keys in [
            &["tool", "hatch", "build", "targets", "wheel", "packages"][..],
            &["tool", "hatch", "build", "targets", "wheel", "only-include"],
            &["tool", "hatch", "build", "packages"],
            &["tool", "setuptools", "packages"],
        ] {
            let Some(item) = file.item(keys) else {
                continue;
            };
            for (path, value) in super::strings(item) {
                if let Some(folder) = shipped_folder(path) {
                    cx.report_in(
                        file,
                        file.value_range(value),
                        format!("`{path}` puts a top-level `{folder}` package in the wheel, where it collides with other distributions' `{folder}`: leave it out"),
                    );
                }
            }
        }
        if let Some(packages) = file
            .item(&["tool", "poetry", "packages"])
            .and_then(|i| i.as_array())
        {
            for value in packages {
                let include = value
                    .as_inline_table()
                    .and_then(|t| t.get("include"))
                    .and_then(|v| v.as_str());
                if let Some(folder) = include.and_then(shipped_folder) {
                    cx.report_in(
                        file,
                        file.value_range(value),
                        format!("this includes a top-level `{folder}` package in the distribution: leave it out of `packages`"),
                    );
                }
            }
        }
        if let Some(find) = file.item(&["tool", "setuptools", "packages", "find"])
            && !packages_present.is_empty()
            && find.get("exclude").is_none()
            && find.get("include").is_none()
        {
            cx.report_in(
                file,
                file.range(find),
                format!(
                    "package discovery has no `exclude`, and {} has an `__init__.py`: add `exclude = [\"{}*\"]`",
                    packages_present.iter().map(|p| format!("`{p}/`")).collect::<Vec<_>>().join(", "),
                    packages_present[0]
                ),
            );
        }
    }
    if packages_present.is_empty() {
        return;
    }
    let setup_py = root.join("setup.py");
    let Ok(source) = std::fs::read_to_string(&setup_py) else {
        return;
    };
    for (index, line) in source.lines().enumerate() {
        let Some(at) = line
            .find("find_packages(")
            .or_else(|| line.find("find_namespace_packages("))
        else {
            continue;
        };
        let call = &line[at..];
        if call.contains("exclude") || call.contains("include") || !call.contains(')') {
            continue;
        }
        cx.report(
            &archlint_project::options::display_path(&setup_py),
            index + 1,
            at + 1,
            format!(
                "`{}` without `exclude` ships {} as top-level packages: pass `exclude=[\"{}\", \"{}.*\"]`",
                call.split(')').next().unwrap_or(call).to_string() + ")",
                packages_present.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
                packages_present[0],
                packages_present[0]
            ),
        );
    }
}
