//! Code roles: what each file is for (shipped package, tests, test data, docs, scripts,
//! stubs), decided from the project's own configuration first, then from conventions.
//!
//! In order: `[tool.archlint.roles]` globs; what sits in a data folder below a test folder and
//! is not a package is test data; the other `.pyi` files are stubs; files pytest would collect
//! (its `testpaths` and `python_files`, `conftest.py`) and folders named `tests`, `test` or
//! `t` are tests; what the build ships (`layout`) is the package; `docs/`, `docs_src/`,
//! `examples/` are docs; `scripts/`, `tools/`, `benchmarks/`, `setup.py`, `noxfile.py` and the
//! loose files of a project that builds a distribution are scripts; the rest is the package.

use std::path::{Component, Path, PathBuf};

use archlint_vocabulary::Role;
use globset::GlobSet;

use crate::layout::{ConfigFiles, Layout};
use crate::options::RolesOptions;
use crate::pytest::{DEFAULT_PYTHON_FILES, PytestConfig};
use crate::settings::{globs, relative_to};

/// Folders whose files are test suites.
const TEST_FOLDERS: &[&str] = &["tests", "test", "t"];
/// Folders below a test folder that hold files the tests read.
const DATA_FOLDERS: &[&str] = &[
    "data",
    "fixtures",
    "fixture",
    "cases",
    "samples",
    "sample",
    "resources",
    "files",
    "inputs",
    "input",
    "expected",
    "snapshots",
    "assets",
    "corpus",
];
/// Folders of test data wherever they are.
const TEST_DATA_FOLDERS: &[&str] = &["testdata", "test_data", "test-data"];
const DOC_FOLDERS: &[&str] = &[
    "docs",
    "doc",
    "docs_src",
    "documentation",
    "examples",
    "example",
    "gallery",
    "tutorial",
    "tutorials",
    "demo",
    "demos",
];
const SCRIPT_FOLDERS: &[&str] = &[
    "scripts",
    "script",
    "tools",
    "tool",
    "bin",
    "benchmarks",
    "benchmark",
    "bench",
    "ci",
    ".github",
    "tasks",
];
/// Files at the top of a project that are tools, not code it ships.
const SCRIPT_FILES: &[&str] = &[
    "setup.py",
    "noxfile.py",
    "fabfile.py",
    "tasks.py",
    "pavement.py",
    "manage.py",
    "build.py",
    "hatch_build.py",
    "pdm_build.py",
];

/// A file's role and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub role: Role,
    pub reason: String,
}

/// How a project assigns roles to its files.
#[derive(Debug)]
pub struct FileRoles {
    root: PathBuf,
    /// `[tool.archlint.roles]` (and the older `test-files`), in the order they are tried,
    /// with the option each came from.
    configured: Vec<(Role, String, GlobSet)>,
    /// pytest's `testpaths`, relative to the root.
    test_paths: Vec<PathBuf>,
    /// pytest's `python_files`, matched against file names.
    python_files: GlobSet,
    python_files_text: String,
    /// Where the pytest settings came from, for the reasons.
    pytest_source: Option<&'static str>,
    /// pytest's whole configuration, for the testing rules.
    pytest: PytestConfig,
    layout: Layout,
    /// No source folders: packages sit at the top of the project.
    flat_layout: bool,
}

impl FileRoles {
    /// The roles of the project at `root`, from its build `layout` and the pytest settings of
    /// its configuration `files`. `test_files` is the older `test-files` option, read as
    /// tests globs.
    pub fn new(
        root: &Path,
        configured: Option<&RolesOptions>,
        test_files: Option<&[String]>,
        layout: Layout,
        files: &ConfigFiles,
    ) -> Result<FileRoles, String> {
        let mut tried = Vec::new();
        let configured = configured.cloned().unwrap_or_default();
        let lists = [
            (Role::TestData, &configured.test_data),
            (Role::Tests, &configured.tests),
            (Role::Docs, &configured.docs),
            (Role::Scripts, &configured.scripts),
            (Role::Stubs, &configured.stubs),
            (Role::Package, &configured.package),
        ];
        for (role, patterns) in lists {
            let Some(patterns) = patterns else { continue };
            let set = globs(&patterns.iter().map(String::as_str).collect::<Vec<_>>())
                .map_err(|e| format!("invalid glob in `roles.{}`: {e}", role.name()))?;
            tried.push((role, format!("roles.{}", role.name()), set));
        }
        if let Some(patterns) = test_files {
            let set = globs(&patterns.iter().map(String::as_str).collect::<Vec<_>>())
                .map_err(|e| format!("invalid glob in `test-files`: {e}"))?;
            tried.push((Role::Tests, "test-files".to_string(), set));
        }
        let pytest = PytestConfig::read(root, files);
        let python_files = if pytest.python_files.is_empty() {
            DEFAULT_PYTHON_FILES.iter().map(|s| s.to_string()).collect()
        } else {
            pytest.python_files.clone()
        };
        let patterns: Vec<&str> = python_files.iter().map(String::as_str).collect();
        Ok(FileRoles {
            root: root.to_path_buf(),
            configured: tried,
            test_paths: pytest.testpaths.iter().map(PathBuf::from).collect(),
            python_files: globs(&patterns).unwrap_or_default(),
            python_files_text: python_files.join(" "),
            pytest_source: pytest.source,
            pytest,
            flat_layout: layout.source_roots.is_empty() && !root.join("src").is_dir(),
            layout,
        })
    }

    /// pytest's configuration, as the roles read it.
    pub fn pytest(&self) -> &PytestConfig {
        &self.pytest
    }

    /// The build layout the roles start from.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The role of the file at `path`; `is_package_dir` says whether a folder holds an
    /// `__init__.py`.
    pub fn of(&self, path: &Path, is_package_dir: &dyn Fn(&Path) -> bool) -> Assignment {
        let relative = relative_to(&self.root, path);
        let assign = |role: Role, reason: String| Assignment { role, reason };
        for (role, option, set) in &self.configured {
            if set.is_match(relative.as_ref()) {
                return assign(*role, format!("`[tool.archlint] {option}` matches"));
            }
        }
        let folders: Vec<&str> = relative
            .parent()
            .into_iter()
            .flat_map(Path::components)
            .filter_map(|c| match c {
                Component::Normal(name) => name.to_str(),
                _ => None,
            })
            .collect();
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let collected = file_name == "conftest.py" || self.python_files.is_match(file_name);
        let is_stub = path.extension().is_some_and(|e| e == "pyi");

        if let Some(folder) = folders.iter().find(|f| TEST_DATA_FOLDERS.contains(f)) {
            return assign(
                Role::TestData,
                format!("under `{folder}/`, a folder of test data"),
            );
        }
        let shipped = self.shipped(&relative, &folders, is_package_dir);
        let test_folder = self.test_folder(&relative, &folders);
        if let Some(test_index) = test_folder {
            let data = folders
                .iter()
                .enumerate()
                .skip(test_index + 1)
                .find(|(_, f)| DATA_FOLDERS.contains(f));
            if let Some((data_index, data)) = data
                && !collected
                && !is_package_dir(&self.root.join(folders[..=data_index].join("/")))
            {
                return assign(
                    Role::TestData,
                    format!(
                        "under `{data}/` in a test folder, not a package: files the tests read"
                    ),
                );
            }
            if is_stub {
                return assign(Role::Stubs, "a `.pyi` stub".into());
            }
            // A shipped module named like a test folder (`django.test`) is the package; the
            // test files of a package that ships its tests are still tests.
            if let Some(reason) = shipped.as_ref().filter(|_| !collected) {
                return assign(Role::Package, reason.clone());
            }
            let why = match self.pytest_source {
                Some(source) if self.under_test_path(&relative) => {
                    format!("under a pytest `testpaths` folder ({source})")
                }
                _ => format!("under `{}/`", folders[test_index]),
            };
            return assign(Role::Tests, why);
        }
        if is_stub {
            return assign(Role::Stubs, "a `.pyi` stub".into());
        }
        if collected {
            return assign(
                Role::Tests,
                format!(
                    "pytest collects it (`{}`)",
                    self.collected_pattern(file_name)
                ),
            );
        }
        if let Some(reason) = shipped {
            return assign(Role::Package, reason);
        }
        if let Some(folder) = folders.iter().find(|f| DOC_FOLDERS.contains(f)) {
            return assign(Role::Docs, format!("under `{folder}/`"));
        }
        if let Some(folder) = folders.iter().find(|f| SCRIPT_FOLDERS.contains(f)) {
            return assign(Role::Scripts, format!("under `{folder}/`"));
        }
        if folders.is_empty() && SCRIPT_FILES.contains(&file_name) {
            return assign(Role::Scripts, format!("`{file_name}`, a project tool"));
        }
        if self.layout.builds {
            return assign(
                Role::Scripts,
                "outside the packages the project's build ships".into(),
            );
        }
        assign(
            Role::Package,
            "the project's code (it builds no distribution)".into(),
        )
    }

    /// The index of the first test folder in `folders`: a pytest `testpaths` entry or a
    /// folder named like one.
    fn test_folder(&self, relative: &Path, folders: &[&str]) -> Option<usize> {
        if let Some(index) = self
            .test_paths
            .iter()
            .find(|test_path| relative.starts_with(test_path))
            .map(|test_path| test_path.components().count().saturating_sub(1))
            .filter(|index| *index < folders.len())
        {
            return Some(index);
        }
        folders.iter().position(|f| TEST_FOLDERS.contains(f))
    }

    fn under_test_path(&self, relative: &Path) -> bool {
        self.test_paths.iter().any(|p| relative.starts_with(p))
    }

    fn collected_pattern(&self, file_name: &str) -> String {
        if file_name == "conftest.py" {
            "conftest.py".into()
        } else {
            self.python_files_text.clone()
        }
    }

    /// Why the file is shipped code, if it is: inside a package or module the build
    /// configuration names, under a source root other than the project folder, in the folder
    /// named after the distribution, or in a regular package (its folders down from the
    /// project hold `__init__.py`).
    fn shipped(
        &self,
        relative: &Path,
        folders: &[&str],
        is_package_dir: &dyn Fn(&Path) -> bool,
    ) -> Option<String> {
        if let Some(shipped) = self.layout.shipped.iter().find(|s| {
            relative.starts_with(s)
                || self
                    .layout
                    .source_roots
                    .iter()
                    .any(|root| relative.starts_with(root.join(s)))
        }) {
            return Some(format!(
                "in `{}`, which the build configuration ships",
                shipped.display()
            ));
        }
        let src = PathBuf::from("src");
        for root in self.layout.source_roots.iter().chain([&src]) {
            if relative.starts_with(root) {
                return Some(format!("under the source root `{}/`", root.display()));
            }
        }
        // The folder checked is itself a package (`archlint check django` with no project
        // configuration around it): its folders are its subpackages, `django/test/` included.
        let parent = self.root.join(relative.parent().unwrap_or(Path::new("")));
        if is_package_dir(&self.root) && is_package_dir(&parent) {
            let name = self
                .root
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(".");
            return Some(format!("in the package `{name}` checked here"));
        }
        let import_name = self.layout.name.as_ref().map(|name| name.replace('-', "_"));
        let Some(top) = folders.first() else {
            // A single-module distribution: `shop.py` for the project `shop`.
            let stem = relative.file_stem()?.to_str()?.to_ascii_lowercase();
            return (import_name == Some(stem))
                .then(|| "the module named after the distribution".to_string());
        };
        // The conventions below are for a flat layout: with source folders (`src/`, `lib/`),
        // what sits beside them is not shipped.
        let conventional = [DOC_FOLDERS, SCRIPT_FOLDERS, TEST_FOLDERS];
        if !self.flat_layout || conventional.iter().any(|names| names.contains(top)) {
            return None;
        }
        // Build backends ship the folder named after the distribution, namespace or not.
        if import_name.is_some_and(|name| top.to_ascii_lowercase() == name) {
            return Some(format!("in `{top}`, named after the distribution"));
        }
        let package = self.root.join(top);
        if is_package_dir(&package)
            && is_package_dir(&self.root.join(relative.parent().unwrap_or(Path::new(""))))
        {
            return Some(format!("in the package `{top}`"));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{ConfigFiles, FileRoles, Layout, Role};
    use crate::options::RolesOptions;

    /// The role of each file of a project made of `files` (path, text).
    fn roles(files: &[(&str, &str)], configured: Option<RolesOptions>) -> Vec<(String, Role)> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let root = dir.path();
        let config = ConfigFiles::read(root);
        let roles = FileRoles::new(
            root,
            configured.as_ref(),
            None,
            Layout::of(&config),
            &config,
        )
        .unwrap();
        let is_package = |dir: &Path| dir.join("__init__.py").is_file();
        files
            .iter()
            .filter(|(name, _)| name.ends_with(".py") || name.ends_with(".pyi"))
            .map(|(name, _)| {
                (
                    name.to_string(),
                    roles.of(&root.join(name), &is_package).role,
                )
            })
            .collect()
    }

    fn role_of(found: &[(String, Role)], name: &str) -> Role {
        found.iter().find(|(n, _)| n == name).unwrap().1
    }

    #[test]
    fn a_formatter_s_test_cases_are_test_data_and_its_suite_is_tests() {
        let found = roles(
            &[
                ("pyproject.toml", "[project]\nname = \"fmt\"\n"),
                ("src/fmt/__init__.py", ""),
                ("tests/test_format.py", ""),
                ("tests/util.py", ""),
                ("tests/data/cases/pep_701.py", "x = f'{'a'}'\n"),
                ("tests/data/cases/stub.pyi", ""),
                ("tests/fixtures/__init__.py", ""),
                ("tests/fixtures/helpers.py", ""),
                ("src/fmt/py.typed.pyi", ""),
            ],
            None,
        );
        assert_eq!(role_of(&found, "src/fmt/__init__.py"), Role::Package);
        assert_eq!(role_of(&found, "tests/test_format.py"), Role::Tests);
        assert_eq!(role_of(&found, "tests/util.py"), Role::Tests);
        assert_eq!(
            role_of(&found, "tests/data/cases/pep_701.py"),
            Role::TestData
        );
        assert_eq!(role_of(&found, "tests/data/cases/stub.pyi"), Role::TestData);
        // A fixtures package is test code the tests import.
        assert_eq!(role_of(&found, "tests/fixtures/helpers.py"), Role::Tests);
        assert_eq!(role_of(&found, "src/fmt/py.typed.pyi"), Role::Stubs);
    }

    #[test]
    fn docs_scripts_and_the_loose_files_of_a_built_project() {
        let found = roles(
            &[
                ("pyproject.toml", "[project]\nname = \"web-kit\"\n"),
                ("web_kit/__init__.py", ""),
                ("docs_src/tutorial_py310.py", ""),
                ("examples/app.py", ""),
                ("scripts/release.py", ""),
                ("setup.py", ""),
                ("noxfile.py", ""),
                ("loose.py", ""),
                ("conftest.py", ""),
            ],
            None,
        );
        assert_eq!(role_of(&found, "web_kit/__init__.py"), Role::Package);
        assert_eq!(role_of(&found, "docs_src/tutorial_py310.py"), Role::Docs);
        assert_eq!(role_of(&found, "examples/app.py"), Role::Docs);
        assert_eq!(role_of(&found, "scripts/release.py"), Role::Scripts);
        assert_eq!(role_of(&found, "setup.py"), Role::Scripts);
        assert_eq!(role_of(&found, "noxfile.py"), Role::Scripts);
        assert_eq!(role_of(&found, "loose.py"), Role::Scripts);
        assert_eq!(role_of(&found, "conftest.py"), Role::Tests);
    }

    #[test]
    fn an_application_that_builds_nothing_is_all_package() {
        let found = roles(
            &[
                ("app.py", ""),
                ("views/home.py", ""),
                ("tests/test_app.py", ""),
            ],
            None,
        );
        assert_eq!(role_of(&found, "app.py"), Role::Package);
        assert_eq!(role_of(&found, "views/home.py"), Role::Package);
        assert_eq!(role_of(&found, "tests/test_app.py"), Role::Tests);
    }

    #[test]
    fn the_build_configuration_and_pytest_settings_come_first() {
        let found = roles(
            &[
                (
                    "setup.cfg",
                    "[options]\npackage_dir =\n    =lib\n[tool:pytest]\ntestpaths = t\n",
                ),
                ("lib/orm/__init__.py", ""),
                ("lib/orm/testing/suite/test_ddl.py", ""),
                ("t/unit/test_x.py", ""),
                ("t/unit/helpers.py", ""),
                ("tools/gen.py", ""),
            ],
            None,
        );
        assert_eq!(role_of(&found, "lib/orm/__init__.py"), Role::Package);
        assert_eq!(
            role_of(&found, "lib/orm/testing/suite/test_ddl.py"),
            Role::Tests
        );
        assert_eq!(role_of(&found, "t/unit/helpers.py"), Role::Tests);
        assert_eq!(role_of(&found, "tools/gen.py"), Role::Scripts);
    }

    #[test]
    fn a_package_checked_on_its_own_keeps_its_subpackage_named_test() {
        let found = roles(
            &[
                ("__init__.py", ""),
                ("test/__init__.py", ""),
                ("test/client.py", ""),
                ("test/test_client.py", ""),
                ("core/__init__.py", ""),
                ("core/tests/test_core.py", ""),
            ],
            None,
        );
        assert_eq!(role_of(&found, "test/client.py"), Role::Package);
        assert_eq!(role_of(&found, "test/test_client.py"), Role::Tests);
        assert_eq!(role_of(&found, "core/tests/test_core.py"), Role::Tests);
    }

    #[test]
    fn a_shipped_module_named_test_is_the_package_but_its_test_files_are_tests() {
        let found = roles(
            &[
                ("pyproject.toml", "[project]\nname = \"web\"\n"),
                ("web/__init__.py", ""),
                ("web/test/__init__.py", ""),
                ("web/test/client.py", ""),
                ("web/core/tests/__init__.py", ""),
                ("web/core/tests/test_core.py", ""),
            ],
            None,
        );
        assert_eq!(role_of(&found, "web/test/client.py"), Role::Package);
        assert_eq!(role_of(&found, "web/core/tests/test_core.py"), Role::Tests);
    }

    #[test]
    fn configured_globs_win() {
        let configured = RolesOptions {
            docs: Some(vec!["site/**".into()]),
            package: Some(vec!["tools/**".into()]),
            ..RolesOptions::default()
        };
        let found = roles(
            &[
                ("pyproject.toml", "[project]\nname = \"x\"\n"),
                ("site/page.py", ""),
                ("tools/gen.py", ""),
            ],
            Some(configured),
        );
        assert_eq!(role_of(&found, "site/page.py"), Role::Docs);
        assert_eq!(role_of(&found, "tools/gen.py"), Role::Package);
    }
}
