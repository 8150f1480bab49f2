//! Which distribution provides which top-level module. An installed environment says it
//! exactly (`top_level.txt`, else the files listed in `RECORD`); without one, a built-in
//! table of the well-known names that differ (`yaml` is PyYAML) and the configured
//! `package-module-map` come before the rule that a distribution provides the module named
//! like it (`typing-extensions` → `typing_extensions`).

use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};

use archlint_project::distribution_name::normalize;

/// Distributions (normalised) whose top-level modules are not their names.
const WELL_KNOWN: &[(&str, &[&str])] = &[
    ("attrs", &["attr", "attrs"]),
    ("beautifulsoup4", &["bs4"]),
    ("django-cors-headers", &["corsheaders"]),
    ("django-environ", &["environ"]),
    ("django-filter", &["django_filters"]),
    ("djangorestframework", &["rest_framework"]),
    ("faiss-cpu", &["faiss"]),
    ("faiss-gpu", &["faiss"]),
    ("gitpython", &["git"]),
    ("google-api-python-client", &["googleapiclient"]),
    ("grpcio", &["grpc"]),
    ("ipython", &["IPython"]),
    ("ldap3", &["ldap3"]),
    ("markdown-it-py", &["markdown_it"]),
    ("msgpack-python", &["msgpack"]),
    ("mysql-connector-python", &["mysql"]),
    ("mysqlclient", &["MySQLdb"]),
    ("opencv-contrib-python", &["cv2"]),
    ("opencv-contrib-python-headless", &["cv2"]),
    ("opencv-python", &["cv2"]),
    ("opencv-python-headless", &["cv2"]),
    ("pillow", &["PIL"]),
    ("protobuf", &["google"]),
    ("psycopg2-binary", &["psycopg2"]),
    ("pycryptodome", &["Crypto"]),
    ("pycryptodomex", &["Cryptodome"]),
    ("pygobject", &["gi"]),
    ("pyjwt", &["jwt"]),
    ("pymongo", &["pymongo", "bson", "gridfs"]),
    ("pyopenssl", &["OpenSSL"]),
    ("pyserial", &["serial"]),
    ("pysocks", &["socks", "sockshandler"]),
    ("python-dateutil", &["dateutil"]),
    ("python-dotenv", &["dotenv"]),
    ("python-jose", &["jose"]),
    ("python-json-logger", &["pythonjsonlogger"]),
    ("python-ldap", &["ldap"]),
    ("python-levenshtein", &["Levenshtein"]),
    ("python-magic", &["magic"]),
    ("python-multipart", &["multipart", "python_multipart"]),
    ("python-slugify", &["slugify"]),
    ("pyusb", &["usb"]),
    (
        "pywin32",
        &[
            "win32api",
            "win32con",
            "win32com",
            "win32file",
            "pywintypes",
            "pythoncom",
        ],
    ),
    ("pyyaml", &["yaml"]),
    ("pyzmq", &["zmq"]),
    ("ruamel-yaml", &["ruamel"]),
    ("scikit-image", &["skimage"]),
    ("scikit-learn", &["sklearn"]),
    (
        "setuptools",
        &["setuptools", "pkg_resources", "_distutils_hack"],
    ),
    ("sqlcipher3-binary", &["sqlcipher3"]),
    ("websocket-client", &["websocket"]),
];

/// Distributions that install no module of their own (stubs), or one nobody imports (`tzdata`,
/// the time zone data `zoneinfo` reads): never reported as unused.
pub fn provides_no_module(normalized: &str) -> bool {
    normalized.starts_with("types-") || normalized.ends_with("-stubs") || normalized == "tzdata"
}

/// An installed environment's distributions.
#[derive(Default)]
pub struct Environment {
    pub site_packages: Vec<PathBuf>,
    /// Normalised distribution → its top-level modules.
    pub modules: FxHashMap<String, Vec<String>>,
    /// Normalised distribution → the normalised names it requires.
    pub requires: FxHashMap<String, Vec<String>>,
    /// Every distribution installed, with its version (what `deps --audit` audits).
    pub installed: Vec<Installed>,
}

/// One installed distribution, from its `METADATA`.
pub struct Installed {
    /// The name as the metadata writes it.
    pub name: String,
    pub version: String,
    pub metadata: PathBuf,
    /// The line of the `Version:` header.
    pub version_line: usize,
}

impl Environment {
    /// Reads the environment of an interpreter (`…/bin/python`) or a virtualenv folder,
    /// without running it: its `site-packages` folders and their `*.dist-info`.
    pub fn read(python: &Path) -> Result<Environment, String> {
        let base = if python.is_file() {
            // `venv/bin/python` → `venv`; `/usr/bin/python3` → `/usr`.
            python
                .parent()
                .and_then(Path::parent)
                .unwrap_or(Path::new("/"))
        } else {
            python
        };
        let mut site_packages = Vec::new();
        for lib in ["lib", "lib64", "Lib"] {
            let Ok(entries) = std::fs::read_dir(base.join(lib)) else {
                continue;
            };
            for entry in entries.flatten() {
                let candidate = entry.path().join("site-packages");
                if candidate.is_dir() {
                    site_packages.push(candidate);
                }
            }
            if base.join(lib).join("site-packages").is_dir() {
                site_packages.push(base.join(lib).join("site-packages"));
            }
        }
        if site_packages.is_empty() {
            return Err(format!(
                "no site-packages folder under {}: give a virtualenv folder or its `bin/python`",
                base.display()
            ));
        }
        // A virtualenv's `lib64` is a link to `lib`: one folder, read once.
        let mut site_packages: Vec<PathBuf> = site_packages
            .into_iter()
            .map(|folder| std::fs::canonicalize(&folder).unwrap_or(folder))
            .collect();
        site_packages.sort();
        site_packages.dedup();
        let mut environment = Environment {
            site_packages,
            ..Environment::default()
        };
        for folder in environment.site_packages.clone() {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "dist-info") {
                    environment.add_distribution(&path);
                }
            }
        }
        Ok(environment)
    }

    fn add_distribution(&mut self, dist_info: &Path) {
        let metadata_path = dist_info.join("METADATA");
        let metadata = std::fs::read_to_string(&metadata_path).unwrap_or_default();
        let mut written_name = None;
        let mut version = None;
        let mut requires = Vec::new();
        for (index, line) in metadata.lines().enumerate() {
            if line.is_empty() {
                break; // the body (long description) follows the headers
            }
            if let Some(value) = line.strip_prefix("Name:") {
                written_name = Some(value.trim().to_string());
            } else if let Some(value) = line.strip_prefix("Version:") {
                version = Some((value.trim().to_string(), index + 1));
            } else if let Some(value) = line.strip_prefix("Requires-Dist:") {
                // Requirements of extras are not installed with the distribution.
                if value.contains("extra ==") || value.contains("extra==") {
                    continue;
                }
                let end = value
                    .trim()
                    .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
                    .unwrap_or(value.trim().len());
                requires.push(normalize(&value.trim()[..end]));
            }
        }
        let Some(written_name) = written_name else {
            return;
        };
        let name = normalize(&written_name);
        if let Some((version, version_line)) = version {
            self.installed.push(Installed {
                name: written_name,
                version,
                metadata: metadata_path,
                version_line,
            });
        }
        let mut modules: Vec<String> =
            match std::fs::read_to_string(dist_info.join("top_level.txt")) {
                Ok(text) => text
                    .lines()
                    .map(|l| l.trim().replace('/', "."))
                    .filter(|l| !l.is_empty())
                    .map(|l| l.split('.').next().unwrap_or_default().to_string())
                    .collect(),
                Err(_) => record_top_levels(dist_info),
            };
        modules.sort();
        modules.dedup();
        self.modules.insert(name.clone(), modules);
        self.requires.insert(name, requires);
    }
}

/// The top-level modules a distribution's `RECORD` lists (`pkg/__init__.py` → `pkg`,
/// `mod.py` → `mod`, extension modules `mod.cpython-311-x86_64-linux-gnu.so` → `mod`).
fn record_top_levels(dist_info: &Path) -> Vec<String> {
    let Ok(record) = std::fs::read_to_string(dist_info.join("RECORD")) else {
        return Vec::new();
    };
    let mut modules = FxHashSet::default();
    for line in record.lines() {
        let path = line.split(',').next().unwrap_or_default();
        if path.starts_with("..") || path.starts_with('/') {
            continue;
        }
        let first = path.split('/').next().unwrap_or_default();
        if first.ends_with(".dist-info") || first.ends_with(".data") || first == "__pycache__" {
            continue;
        }
        let module = if path.contains('/') {
            (path.ends_with(".py") || path.ends_with(".so") || path.ends_with(".pyd"))
                .then_some(first)
        } else {
            first.strip_suffix(".py").or_else(|| {
                (first.ends_with(".so") || first.ends_with(".pyd"))
                    .then(|| first.split('.').next().unwrap_or(first))
            })
        };
        if let Some(module) = module.filter(|m| !m.is_empty() && !m.ends_with(".pth")) {
            modules.insert(module.to_string());
        }
    }
    modules.into_iter().collect()
}

/// Maps top-level modules and distributions both ways.
pub struct ModuleMap<'e> {
    environment: Option<&'e Environment>,
    configured: FxHashMap<String, Vec<String>>,
}

impl<'e> ModuleMap<'e> {
    pub fn new(
        environment: Option<&'e Environment>,
        configured: &std::collections::BTreeMap<String, Vec<String>>,
    ) -> Self {
        ModuleMap {
            environment,
            configured: configured
                .iter()
                .map(|(dist, modules)| (normalize(dist), modules.clone()))
                .collect(),
        }
    }

    /// The top-level modules a distribution provides, and where that was learnt.
    pub fn modules_of(&self, normalized: &str) -> (Vec<String>, Source) {
        if let Some(modules) = self.configured.get(normalized) {
            return (modules.clone(), Source::Configured);
        }
        if let Some(modules) = self
            .environment
            .and_then(|env| env.modules.get(normalized))
            .filter(|m| !m.is_empty())
        {
            return (modules.clone(), Source::Environment);
        }
        if let Some((_, modules)) = WELL_KNOWN.iter().find(|(dist, _)| *dist == normalized) {
            return (
                modules.iter().map(|m| m.to_string()).collect(),
                Source::BuiltIn,
            );
        }
        // `zope.interface` → `zope`, `google-cloud-storage` → `google`: namespace
        // distributions install into their first name part.
        let mut modules = vec![normalized.replace('-', "_")];
        for namespace in [
            "google",
            "azure",
            "zope",
            "backports",
            "opentelemetry",
            "jaraco",
            "sphinxcontrib",
        ] {
            if normalized.starts_with(&format!("{namespace}-")) {
                modules.push(namespace.to_string());
            }
        }
        (modules, Source::Name)
    }

    /// Whether the distribution provides the top-level `module`. A module guessed by the name
    /// rule matches in any case (`ipython` is imported as `IPython`): a normalised
    /// distribution name has lost the module's case.
    pub fn provides(&self, normalized: &str, module: &str) -> bool {
        let (modules, source) = self.modules_of(normalized);
        source.matches(&modules, module)
    }

    /// The installed distribution providing a top-level module, when an environment is known.
    pub fn installed_provider(&self, module: &str) -> Option<&'e str> {
        let environment = self.environment?;
        environment
            .modules
            .iter()
            .filter(|(_, modules)| modules.iter().any(|m| m == module))
            .map(|(dist, _)| dist.as_str())
            .min()
    }
}

/// How a distribution's modules were found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Configured,
    Environment,
    BuiltIn,
    Name,
}

impl Source {
    /// Whether `module` is one of `modules` found this way (see [`ModuleMap::provides`]).
    pub fn matches(self, modules: &[String], module: &str) -> bool {
        modules
            .iter()
            .any(|m| m == module || (self == Source::Name && m.eq_ignore_ascii_case(module)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_names_and_the_name_rule() {
        let map = ModuleMap::new(None, &Default::default());
        assert_eq!(map.modules_of("pyyaml").0, ["yaml"]);
        assert_eq!(map.modules_of("typing-extensions").0, ["typing_extensions"]);
        assert_eq!(
            map.modules_of("google-cloud-storage").0,
            ["google_cloud_storage", "google"]
        );
        let configured = [("My.Dist".to_string(), vec!["mine".to_string()])].into();
        assert_eq!(
            ModuleMap::new(None, &configured).modules_of("my-dist").0,
            ["mine"]
        );
    }

    #[test]
    fn an_environment_is_read_from_its_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("lib/python3.11/site-packages");
        let yaml = site.join("PyYAML-6.0.dist-info");
        std::fs::create_dir_all(&yaml).unwrap();
        std::fs::write(
            yaml.join("METADATA"),
            "Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0\n\nbody\nName: nope\n",
        )
        .unwrap();
        std::fs::write(yaml.join("top_level.txt"), "_yaml\nyaml\n").unwrap();
        let flask = site.join("flask-3.0.dist-info");
        std::fs::create_dir_all(&flask).unwrap();
        std::fs::write(
            flask.join("METADATA"),
            "Name: Flask\nRequires-Dist: Werkzeug>=3\nRequires-Dist: asgiref>=3.2; extra == \"async\"\n",
        )
        .unwrap();
        std::fs::write(
            flask.join("RECORD"),
            "flask/__init__.py,sha256=x,1\nflask/__pycache__/app.cpython-311.pyc,,\nflask-3.0.dist-info/METADATA,,\n../../../bin/flask,,\n",
        )
        .unwrap();
        let environment = Environment::read(dir.path()).unwrap();
        assert_eq!(environment.modules["pyyaml"], ["_yaml", "yaml"]);
        assert_eq!(environment.modules["flask"], ["flask"]);
        assert_eq!(environment.requires["flask"], ["werkzeug"]);
        let map = ModuleMap::new(Some(&environment), &Default::default());
        assert_eq!(map.installed_provider("yaml"), Some("pyyaml"));
        assert!(Environment::read(&dir.path().join("missing")).is_err());
    }
}
