//! Built distributions (`archlint package`): wheels and sdists opened in place as hostile
//! input, their names, metadata and RECORD parsed, and what the `Distribution` rules see.
//!
//! Each archive is read with limits against hostile archives (`archive.rs`); its file name and
//! metadata are parsed once (`wheel.rs`, `sdist.rs`, `metadata.rs`); the rules read the result
//! through a [`DistributionContext`]. Findings are diagnostics on the archive's path, with the
//! member named at the start of the message.

pub mod archive;
pub mod checksums;
pub mod metadata;
pub mod rst;
pub mod sdist;
pub mod wheel;

use std::path::{Path, PathBuf};

use archive::{Archive, Format, Limits};
use archlint_project::distribution_name::normalize;
use archlint_project::pyproject_file::PyprojectFile;
use archlint_vocabulary::{Diagnostic, Rule};
use metadata::CoreMetadata;
use sdist::SdistName;
use wheel::{RecordEntry, WheelName};

/// One distribution, read and parsed.
pub struct Distribution {
    pub archive: Archive,
    pub file_name: String,
    /// For a wheel: its file name split, or why it cannot be.
    pub wheel_name: Option<Result<WheelName, String>>,
    /// For an sdist: its file name split, or why it cannot be.
    pub sdist_name: Option<Result<SdistName, String>>,
    /// The `.dist-info` folders at the top of a wheel.
    pub dist_infos: Vec<String>,
    /// `METADATA` (wheel) or `PKG-INFO` (sdist): the member and its fields.
    pub metadata: Option<(String, CoreMetadata)>,
    /// A wheel's `WHEEL` file.
    pub wheel_file: Option<(String, CoreMetadata)>,
    /// A wheel's `RECORD`.
    pub record: Option<(String, Vec<RecordEntry>)>,
    /// An sdist's one top-level folder, if it has exactly one.
    pub sdist_root: Option<String>,
}

impl Distribution {
    pub fn is_wheel(&self) -> bool {
        self.archive.format == Format::Wheel
    }

    /// Opens the distribution at `path` and parses what the rules read.
    pub fn open(path: &Path, format: Format, limits: &Limits) -> Distribution {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let keep = |name: &str| -> bool {
            let depth = name.matches('/').count();
            match format {
                Format::Wheel => {
                    depth == 1
                        && name
                            .split('/')
                            .next()
                            .is_some_and(|d| d.ends_with(".dist-info"))
                        && (name.ends_with("/METADATA")
                            || name.ends_with("/WHEEL")
                            || name.ends_with("/RECORD"))
                }
                Format::TarGz | Format::Zip => {
                    depth <= 1 && (name.ends_with("PKG-INFO") || name.ends_with("pyproject.toml"))
                }
            }
        };
        let archive = archive::read(path, format, limits, &keep);
        let mut dist = Distribution {
            archive,
            file_name,
            wheel_name: None,
            sdist_name: None,
            dist_infos: Vec::new(),
            metadata: None,
            wheel_file: None,
            record: None,
            sdist_root: None,
        };
        if format == Format::Wheel {
            dist.open_wheel();
        } else {
            dist.open_sdist();
        }
        dist
    }

    fn open_wheel(&mut self) {
        let name = WheelName::parse(&self.file_name);
        let mut dist_infos: Vec<String> = self
            .archive
            .members
            .iter()
            .filter_map(|m| m.name.split_once('/').map(|(top, _)| top))
            .filter(|top| top.ends_with(".dist-info"))
            .map(str::to_string)
            .collect();
        dist_infos.sort();
        dist_infos.dedup();
        // The folder the file name predicts, else the only one there is.
        let expected = name.as_ref().ok().map(WheelName::dist_info);
        let chosen = dist_infos
            .iter()
            .find(|d| {
                expected
                    .as_ref()
                    .is_some_and(|e| normalize(e) == normalize(d))
            })
            .or_else(|| (dist_infos.len() == 1).then(|| &dist_infos[0]))
            .cloned();
        if let Some(folder) = chosen {
            let parse = |file: &str| {
                let member = format!("{folder}/{file}");
                let text = self.archive.member(&member)?.text()?;
                Some((member, text))
            };
            self.metadata = parse("METADATA").map(|(m, t)| (m, CoreMetadata::parse(&t)));
            self.wheel_file = parse("WHEEL").map(|(m, t)| (m, CoreMetadata::parse(&t)));
            self.record = parse("RECORD").map(|(m, t)| (m, wheel::parse_record(&t)));
        }
        self.dist_infos = dist_infos;
        self.wheel_name = Some(name);
    }

    fn open_sdist(&mut self) {
        self.sdist_name = Some(SdistName::parse(&self.file_name));
        self.sdist_root = sdist::root_folder(&self.archive);
        let pkg_info = match &self.sdist_root {
            Some(root) => format!("{root}/PKG-INFO"),
            None => "PKG-INFO".to_string(),
        };
        self.metadata = self
            .archive
            .member(&pkg_info)
            .and_then(|m| m.text())
            .map(|text| (pkg_info, CoreMetadata::parse(&text)));
    }

    /// The name and version the file name gives.
    pub fn name_and_version(&self) -> Option<(&str, &str)> {
        match (&self.wheel_name, &self.sdist_name) {
            (Some(Ok(w)), _) => Some((&w.name, &w.version)),
            (_, Some(Ok(s))) => Some((&s.name, &s.version)),
            _ => None,
        }
    }
}

/// The `[project]` table of the `pyproject.toml` a distribution was built from.
#[derive(Debug, Default)]
pub struct ProjectMetadata {
    pub path: PathBuf,
    pub name: Option<String>,
    pub version: Option<String>,
    pub requires_python: Option<String>,
    pub dependencies: Option<Vec<String>>,
    /// Fields the backend computes (`dynamic = [...]`): never compared.
    pub dynamic: Vec<String>,
}

impl ProjectMetadata {
    pub fn from_file(file: &PyprojectFile) -> ProjectMetadata {
        let text = |key: &str| file.string(&["project", key]).map(|(s, _)| s.to_string());
        let strings = |key: &str| {
            file.item(&["project", key])
                .and_then(|item| item.as_array())
                .map(|array| {
                    array
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect::<Vec<_>>()
                })
        };
        ProjectMetadata {
            path: file.path.clone(),
            name: text("name"),
            version: text("version"),
            requires_python: text("requires-python"),
            dependencies: strings("dependencies"),
            dynamic: strings("dynamic").unwrap_or_default(),
        }
    }

    pub fn is_dynamic(&self, key: &str) -> bool {
        self.dynamic.iter().any(|d| d == key)
    }
}

/// What a `Distribution` rule sees: one opened distribution, and the project's metadata when
/// the distribution lies inside a project that has a `pyproject.toml`.
pub struct DistributionContext<'a> {
    pub dist: &'a Distribution,
    pub project: Option<&'a ProjectMetadata>,
    /// The rule running now, set by the dispatcher: findings are reported under it.
    pub rule: Option<&'static Rule>,
    /// The findings so far, taken by the pipeline once the rules ran.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> DistributionContext<'a> {
    pub fn new(dist: &'a Distribution, project: Option<&'a ProjectMetadata>) -> Self {
        DistributionContext {
            dist,
            project,
            rule: None,
            diagnostics: Vec::new(),
        }
    }

    /// Reports a finding of the running rule about the archive, or one `member` of it.
    pub fn report(&mut self, member: Option<&str>, message: impl Into<String>) {
        let rule = self.rule.expect("a rule is running");
        let message = message.into();
        let message = match member {
            Some(member) => format!("`{member}`: {message}"),
            None => message,
        };
        self.diagnostics.push(Diagnostic::for_file(
            rule,
            self.dist.archive.path.clone(),
            message,
        ));
    }
}

/// The distributions named by `paths`: files as given, folders scanned (not recursively) for
/// `*.whl`, `*.tar.gz` and `*.zip`. A path that does not exist is an error.
pub fn collect(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && Format::of(p).is_some())
                .collect();
            inside.sort();
            found.extend(inside);
        } else if path.exists() {
            found.push(path.clone());
        } else {
            anyhow::bail!("{} does not exist", path.display());
        }
    }
    Ok(found)
}
