//! Where a project's shipped code is, as its build configuration says: the folders packages
//! are mapped from (`package_dir = =lib`, `[tool.setuptools.packages.find] where`, hatch's
//! `sources`, PDM's `package-dir`, Poetry's `from`, maturin's `python-source`) and the
//! packages or modules it names (`packages`, `py-modules`, flit's module). Module names are
//! counted from those folders, and code roles start from what is shipped.

use std::path::{Path, PathBuf};

use toml_edit::{ImDocument, Item};

use crate::ini::IniFile;

#[derive(Debug, Default)]
pub struct Layout {
    /// Folders packages are mapped from, relative to the project root (`lib`, `src`).
    pub source_roots: Vec<PathBuf>,
    /// Packages and modules the configuration names, relative to the project root
    /// (`src/shop`, `shop.py`).
    pub shipped: Vec<PathBuf>,
    /// Whether the project builds a distribution at all (`[project]`, `[build-system]`,
    /// `setup.py` or `setup.cfg`); a project that does not is all application code.
    pub builds: bool,
    /// The normalised distribution name, when `[project] name` gives it.
    pub name: Option<String>,
    /// The supported Pythons as PEP 440 specifiers, from where a build configuration other
    /// than `[project]` declares them: Poetry's `python` dependency, `python_requires` in
    /// `setup.cfg` or (as a literal) in `setup.py`.
    pub requires_python: Option<String>,
}

/// The build configuration files at a project's root, each read and parsed once: the layout
/// and pytest's settings both come from them. A missing or broken file is `None` (the
/// configuration loader reports a broken `pyproject.toml`).
#[derive(Default)]
pub struct ConfigFiles {
    pub pyproject: Option<ImDocument<String>>,
    pub setup_cfg: Option<IniFile>,
    pub setup_py: Option<String>,
    /// Whether `setup.py` or `setup.cfg` is there, readable or not.
    pub setuptools: bool,
}

impl ConfigFiles {
    pub fn read(root: &Path) -> ConfigFiles {
        let read = |name: &str| std::fs::read_to_string(root.join(name)).ok();
        ConfigFiles {
            pyproject: read("pyproject.toml").and_then(|text| text.parse().ok()),
            setup_cfg: read("setup.cfg").map(|text| IniFile::parse(&text)),
            setup_py: read("setup.py"),
            setuptools: root.join("setup.py").is_file() || root.join("setup.cfg").is_file(),
        }
    }
}

impl Layout {
    pub fn of(files: &ConfigFiles) -> Layout {
        let mut layout = Layout {
            builds: files.setuptools,
            ..Layout::default()
        };
        if let Some(document) = &files.pyproject {
            layout.read_pyproject(document.as_item());
        }
        if let Some(file) = &files.setup_cfg {
            layout.read_setup_cfg(file);
        }
        if let Some(text) = &files.setup_py {
            layout.read_setup_py(text);
        }
        layout.source_roots.sort();
        layout.source_roots.dedup();
        layout.shipped.sort();
        layout.shipped.dedup();
        layout
    }

    fn read_pyproject(&mut self, document: &Item) {
        let at = |keys: &[&str]| -> Option<&Item> {
            keys.iter().try_fold(document, |item, key| item.get(key))
        };
        let strings = |item: Option<&Item>| -> Vec<String> {
            item.and_then(Item::as_array)
                .map(|array| {
                    array
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        self.builds |= at(&["project"]).is_some() || at(&["build-system"]).is_some();
        self.name = at(&["project", "name"])
            .and_then(Item::as_str)
            .map(crate::distribution_name::normalize);
        self.requires_python = at(&["tool", "poetry", "dependencies", "python"])
            .and_then(Item::as_str)
            .and_then(poetry_constraint);

        // setuptools
        if let Some(table) =
            at(&["tool", "setuptools", "package-dir"]).and_then(Item::as_table_like)
        {
            for (package, folder) in table.iter() {
                self.map_package(package, folder.as_str().unwrap_or_default());
            }
        }
        let packages = at(&["tool", "setuptools", "packages"]);
        self.add_packages(strings(packages));
        let find = packages.and_then(|p| p.get("find"));
        for folder in strings(find.and_then(|f| f.get("where"))) {
            self.add_root(&folder);
        }
        for module in strings(at(&["tool", "setuptools", "py-modules"])) {
            self.shipped.push(PathBuf::from(format!("{module}.py")));
        }
        // hatch: `packages = ["src/shop"]` names folders; `sources` maps roots away.
        for key in [
            &["tool", "hatch", "build", "targets", "wheel", "packages"][..],
            &["tool", "hatch", "build", "packages"][..],
        ] {
            for folder in strings(at(key)) {
                let path = PathBuf::from(folder.trim_end_matches('/'));
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    self.source_roots.push(parent.to_path_buf());
                }
                self.shipped.push(path);
            }
        }
        for key in [
            &["tool", "hatch", "build", "targets", "wheel", "sources"][..],
            &["tool", "hatch", "build", "sources"][..],
        ] {
            match at(key) {
                Some(item) if item.is_array() => {
                    for folder in strings(Some(item)) {
                        self.add_root(&folder);
                    }
                }
                Some(item) => {
                    for (folder, _) in item.as_table_like().into_iter().flat_map(|t| t.iter()) {
                        self.add_root(folder);
                    }
                }
                None => {}
            }
        }
        // flit: one module or package, at the root or under `src/`.
        if let Some(module) = at(&["tool", "flit", "module", "name"]).and_then(Item::as_str) {
            self.add_packages([module.to_string()]);
        }
        // PDM
        if let Some(folder) = at(&["tool", "pdm", "build", "package-dir"]).and_then(Item::as_str) {
            self.add_root(folder);
        }
        // Poetry: `packages = [{ include = "shop", from = "src" }]`.
        if let Some(array) = at(&["tool", "poetry", "packages"]).and_then(Item::as_array) {
            for entry in array.iter().filter_map(|v| v.as_inline_table()) {
                let Some(include) = entry.get("include").and_then(|v| v.as_str()) else {
                    continue;
                };
                let from = entry.get("from").and_then(|v| v.as_str()).unwrap_or("");
                if !from.is_empty() {
                    self.add_root(from);
                }
                self.shipped.push(Path::new(from).join(include));
            }
        }
        // maturin's Python half.
        if let Some(folder) = at(&["tool", "maturin", "python-source"]).and_then(Item::as_str) {
            self.add_root(folder);
        }
    }

    fn read_setup_cfg(&mut self, file: &IniFile) {
        if let Some(field) = file.field("options", "python_requires") {
            let value = field.items().collect::<Vec<_>>().join(",");
            self.requires_python.get_or_insert(value);
        }
        if let Some(field) = file.field("options", "package_dir") {
            for item in field.items() {
                let (package, folder) = item.split_once('=').unwrap_or(("", item));
                self.map_package(package.trim(), folder.trim());
            }
        }
        if let Some(field) = file.field("options", "packages") {
            let names: Vec<String> = field
                .items()
                .filter(|item| !item.starts_with("find"))
                .map(str::to_string)
                .collect();
            self.add_packages(names);
        }
        if let Some(field) = file.field("options.packages.find", "where") {
            for folder in field.items() {
                self.add_root(folder);
            }
        }
        if let Some(field) = file.field("options", "py_modules") {
            for module in field.words() {
                self.shipped.push(PathBuf::from(format!("{module}.py")));
            }
        }
    }

    /// `package_dir={"": "lib"}` and `python_requires=">=3.8"` written as literals in
    /// `setup.py`.
    fn read_setup_py(&mut self, text: &str) {
        if self.requires_python.is_none() {
            self.requires_python = literal_argument(text, "python_requires");
        }
        let Some(start) = text.find("package_dir") else {
            return;
        };
        let rest = &text[start..];
        let Some(open) = rest.find('{') else {
            return;
        };
        let Some(close) = rest[open..].find('}') else {
            return;
        };
        for entry in rest[open + 1..open + close].split(',') {
            let Some((package, folder)) = entry.split_once(':') else {
                continue;
            };
            let unquote = |s: &str| s.trim().trim_matches(['"', '\'']).to_string();
            self.map_package(&unquote(package), &unquote(folder));
        }
    }

    /// `package-dir` entries: `""` maps the root of all packages, a name maps that package.
    fn map_package(&mut self, package: &str, folder: &str) {
        let folder = folder.trim().trim_end_matches('/');
        if package.is_empty() {
            self.add_root(folder);
        } else if !folder.is_empty() {
            self.shipped.push(PathBuf::from(folder));
        }
    }

    fn add_root(&mut self, folder: &str) {
        let folder = folder.trim().trim_end_matches('/');
        if !folder.is_empty() && folder != "." {
            self.source_roots.push(PathBuf::from(folder));
        }
    }

    /// Dotted package names: only their top-level folder matters here, found under each
    /// source root (or the project root).
    fn add_packages(&mut self, names: impl IntoIterator<Item = String>) {
        for name in names {
            let top = name.split('.').next().unwrap_or(&name).trim();
            if !top.is_empty() && !top.contains(['*', '{']) {
                self.shipped.push(PathBuf::from(top));
            }
        }
    }
}

/// The string literal passed as `keyword=` in a call written in `setup.py`, if it is one.
fn literal_argument(text: &str, keyword: &str) -> Option<String> {
    let rest = &text[text.find(keyword)? + keyword.len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let body = &rest[1..];
    Some(body[..body.find(quote)?].to_string())
}

/// A Poetry version constraint as PEP 440 specifiers: `^3.8` and `~3.8` allow 3.8 and later
/// releases (only the lower bound matters here), `3.8.*` is `==3.8.*`; alternatives (`||`)
/// are not translated.
fn poetry_constraint(constraint: &str) -> Option<String> {
    if constraint.contains("||") || constraint.contains('|') {
        return None;
    }
    let parts: Vec<String> = constraint
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            if let Some(version) = part.strip_prefix('^').or_else(|| part.strip_prefix("~=")) {
                format!(">={}", version.trim())
            } else if let Some(version) = part.strip_prefix('~') {
                format!(">={}", version.trim())
            } else if part.starts_with(|c: char| c.is_ascii_digit()) {
                format!("=={part}")
            } else {
                part.to_string()
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(","))
}

#[cfg(test)]
mod tests {
    use super::{ConfigFiles, Layout};
    use std::path::PathBuf;

    fn layout(files: &[(&str, &str)]) -> Layout {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        Layout::of(&ConfigFiles::read(dir.path()))
    }

    #[test]
    fn supported_pythons_come_from_poetry_setup_cfg_or_setup_py() {
        let poetry = layout(&[(
            "pyproject.toml",
            "[tool.poetry.dependencies]\npython = \"^3.8\"\n",
        )]);
        assert_eq!(poetry.requires_python.as_deref(), Some(">=3.8"));
        let both = layout(&[(
            "pyproject.toml",
            "[tool.poetry.dependencies]\npython = \">=3.8.0, <4\"\n",
        )]);
        assert_eq!(both.requires_python.as_deref(), Some(">=3.8.0,<4"));
        let cfg = layout(&[("setup.cfg", "[options]\npython_requires = >=3.7\n")]);
        assert_eq!(cfg.requires_python.as_deref(), Some(">=3.7"));
        let py = layout(&[(
            "setup.py",
            "setup(\n    name='x',\n    python_requires = \">=3.8\",\n)\n",
        )]);
        assert_eq!(py.requires_python.as_deref(), Some(">=3.8"));
        let computed = layout(&[("setup.py", "setup(python_requires=MINIMUM)\n")]);
        assert_eq!(computed.requires_python, None);
    }

    #[test]
    fn setup_cfg_package_dir_maps_the_source_root() {
        let found = layout(&[(
            "setup.cfg",
            "[options]\npackage_dir =\n    =lib\npackages = find:\n",
        )]);
        assert_eq!(found.source_roots, [PathBuf::from("lib")]);
        assert!(found.builds);
    }

    #[test]
    fn pyproject_build_tables_name_roots_and_packages() {
        let hatch = "[project]\nname = \"Shop_App\"\n[tool.hatch.build.targets.wheel]\npackages = [\"src/shop\"]\n";
        let found = layout(&[("pyproject.toml", hatch)]);
        assert_eq!(found.source_roots, [PathBuf::from("src")]);
        assert_eq!(found.shipped, [PathBuf::from("src/shop")]);
        assert_eq!(found.name.as_deref(), Some("shop-app"));
        let setuptools = "[tool.setuptools.packages.find]\nwhere = [\"python\"]\n[tool.setuptools]\npy-modules = [\"single\"]\n";
        let found = layout(&[("pyproject.toml", setuptools)]);
        assert_eq!(found.source_roots, [PathBuf::from("python")]);
        assert_eq!(found.shipped, [PathBuf::from("single.py")]);
        assert!(!found.builds, "tool tables alone build nothing");
        let poetry = "[tool.poetry]\npackages = [{ include = \"shop\", from = \"src\" }]\n";
        assert_eq!(
            layout(&[("pyproject.toml", poetry)]).shipped,
            [PathBuf::from("src/shop")]
        );
    }

    #[test]
    fn a_literal_package_dir_in_setup_py_is_read() {
        let found = layout(&[(
            "setup.py",
            "setup(package_dir={'': 'lib'}, packages=find_packages('lib'))\n",
        )]);
        assert_eq!(found.source_roots, [PathBuf::from("lib")]);
    }
}
