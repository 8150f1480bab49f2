//! The pinned versions a project installs, each with the file and line that pins it: uv's,
//! Poetry's and PDM's lock files, `pylock.toml` (PEP 751), `requirements*.txt` with `==`
//! pins (hashes, `-r` includes, comments, markers and continuation lines understood), or the
//! `*.dist-info/METADATA` of an installed environment (read, never run).
//!
//! Environment markers are not evaluated: a pin for another platform is still audited, as a
//! lock file is usually shared by every platform.

use std::path::{Path, PathBuf};

use toml_edit::{ImDocument, Item, Table};

use crate::deps::declared::requirement_lines;
use archlint_project::distribution_name::normalize;

/// One pinned distribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// As written.
    pub name: String,
    /// PEP 503-normalised.
    pub normalized: String,
    pub version: String,
    pub path: PathBuf,
    pub line: usize,
}

/// Which reader a file needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockFormat {
    Uv,
    Poetry,
    Pdm,
    Pylock,
    Requirements,
}

impl LockFormat {
    /// The format a file's name says (`requirements` for any other name).
    pub fn of(path: &Path) -> LockFormat {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        match name {
            "uv.lock" => LockFormat::Uv,
            "poetry.lock" => LockFormat::Poetry,
            "pdm.lock" => LockFormat::Pdm,
            _ if name.starts_with("pylock.") && name.ends_with(".toml") => LockFormat::Pylock,
            _ => LockFormat::Requirements,
        }
    }
}

/// The lock and requirements files at a project's root (and in its `requirements/`
/// folder), sorted.
pub fn discover(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut scan = |dir: &Path, in_folder: bool| {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_file() {
                continue;
            }
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let lock = matches!(name, "uv.lock" | "poetry.lock" | "pdm.lock")
                || (name.starts_with("pylock.") && name.ends_with(".toml"));
            let requirements =
                name.ends_with(".txt") && (in_folder || name.contains("requirements"));
            if (lock && !in_folder) || requirements {
                files.push(path);
            }
        }
    };
    scan(root, false);
    scan(&root.join("requirements"), true);
    files.sort();
    files
}

/// The pins of one file, in the format its name says.
pub fn read(path: &Path) -> Result<Vec<Pin>, String> {
    read_as(path, LockFormat::of(path))
}

/// The pins of one file in a given format.
pub fn read_as(path: &Path, format: LockFormat) -> Result<Vec<Pin>, String> {
    if format == LockFormat::Requirements {
        let mut pins = Vec::new();
        let mut seen = Vec::new();
        read_requirements(path, &mut pins, &mut seen, 0)?;
        return Ok(pins);
    }
    let text = read_text(path)?;
    let document: ImDocument<String> = text.parse().map_err(|e: toml_edit::TomlError| {
        format!("{}: invalid TOML: {}", path.display(), e.message())
    })?;
    let key = if format == LockFormat::Pylock {
        "packages"
    } else {
        "package"
    };
    let mut pins = Vec::new();
    let Some(packages) = document.get(key).and_then(Item::as_array_of_tables) else {
        return Ok(pins);
    };
    for table in packages {
        if !is_registry_package(table, format) {
            continue;
        }
        let (Some(name), Some(version)) = (
            table.get("name").and_then(Item::as_str),
            table.get("version"),
        ) else {
            continue;
        };
        let Some(version_text) = version.as_str() else {
            continue;
        };
        let line = version
            .span()
            .map_or(1, |span| text[..span.start].matches('\n').count() + 1);
        pins.push(Pin {
            name: name.to_string(),
            normalized: normalize(name),
            version: version_text.to_string(),
            path: path.to_path_buf(),
            line,
        });
    }
    Ok(pins)
}

/// Whether a lock entry is a release from an index (the project itself, editable, path, VCS
/// and URL sources have versions no advisory speaks of).
fn is_registry_package(table: &Table, format: LockFormat) -> bool {
    match format {
        LockFormat::Uv => match table.get("source") {
            None => true,
            Some(source) => {
                let has = |key: &str| source.get(key).is_some();
                has("registry") && !has("editable") && !has("virtual")
            }
        },
        LockFormat::Poetry => {
            let kind = table
                .get("source")
                .and_then(|s| s.get("type"))
                .and_then(Item::as_str);
            !matches!(kind, Some("git" | "directory" | "file" | "url"))
        }
        LockFormat::Pdm => ["git", "path", "url", "editable"]
            .iter()
            .all(|key| table.get(key).is_none()),
        LockFormat::Pylock => ["vcs", "directory", "archive"]
            .iter()
            .all(|key| table.get(key).is_none()),
        LockFormat::Requirements => true,
    }
}

fn read_text(path: &Path) -> Result<String, String> {
    archlint_source::read::read_source(path, 64 * 1024 * 1024)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// A requirements file and the files it includes with `-r` (at most 8 deep, each once;
/// `-c` constraints are not installed and are not followed).
fn read_requirements(
    path: &Path,
    pins: &mut Vec<Pin>,
    seen: &mut Vec<PathBuf>,
    depth: usize,
) -> Result<(), String> {
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if depth > 8 || seen.contains(&canonical) {
        return Ok(());
    }
    seen.push(canonical);
    let text = read_text(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    for (line, _, entry) in requirement_lines(&text) {
        if let Some(included) = entry
            .strip_prefix("--requirement")
            .or_else(|| entry.strip_prefix("-r"))
        {
            let included = included.trim_start_matches([' ', '=']).trim();
            let included = dir.join(included);
            // An include that is missing is reported; the rest of the file is still read.
            if let Err(error) = read_requirements(&included, pins, seen, depth + 1) {
                return Err(format!("{error} (included from {}:{line})", path.display()));
            }
            continue;
        }
        if let Some((name, version)) = requirement_pin(&entry) {
            pins.push(Pin {
                normalized: normalize(&name),
                name,
                version,
                path: path.to_path_buf(),
                line,
            });
        }
    }
    Ok(())
}

/// The name and version of a `name==version` requirement line (extras, markers and trailing
/// options such as `--hash=…` allowed); `None` for ranges, wildcards, URLs and options.
pub fn requirement_pin(entry: &str) -> Option<(String, String)> {
    if entry.starts_with('-') {
        return None;
    }
    // Options after the requirement (`--hash=sha256:…`) are not part of it.
    let requirement = entry.split(" --").next().unwrap_or(entry).trim();
    let parsed = archlint_project::requirement::parse(requirement).ok()?;
    let Some(pep508_rs::VersionOrUrl::VersionSpecifier(specifiers)) = parsed.version_or_url else {
        return None;
    };
    let [specifier] = &*specifiers else {
        return None;
    };
    use pep440_rs::Operator;
    if !matches!(specifier.operator(), Operator::Equal | Operator::ExactEqual) {
        return None;
    }
    // The version as written (`3.2.0` stays `3.2.0` in messages).
    let written = requirement
        .split(";")
        .next()
        .and_then(|r| r.rsplit("==").next())
        .map(|v| v.trim().trim_start_matches('=').trim())
        .filter(|v| !v.is_empty() && !v.contains([',', ' ']))
        .map_or_else(|| specifier.version().to_string(), str::to_string);
    // The name as written too (the parser normalises it).
    let end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)))
        .unwrap_or(requirement.len());
    let name = Some(&requirement[..end])
        .filter(|n| !n.is_empty())
        .map_or_else(|| parsed.name.to_string(), str::to_string);
    Some((name, written))
}

/// The distributions installed in an environment (an interpreter such as `venv/bin/python`
/// or a virtualenv folder): `Name` and `Version` of each `*.dist-info/METADATA`.
pub fn from_environment(python: &Path) -> Result<Vec<Pin>, String> {
    let environment = crate::deps::distributions::Environment::read(python)?;
    let mut pins: Vec<Pin> = environment
        .installed
        .into_iter()
        .map(|installed| Pin {
            normalized: normalize(&installed.name),
            name: installed.name,
            version: installed.version,
            path: installed.metadata,
            line: installed.version_line,
        })
        .collect();
    pins.sort_by(|a, b| (&a.normalized, &a.version).cmp(&(&b.normalized, &b.version)));
    Ok(pins)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/osv/locks")
            .join(name)
    }

    fn summary(pins: &[Pin]) -> Vec<(String, String, usize)> {
        pins.iter()
            .map(|p| (p.normalized.clone(), p.version.clone(), p.line))
            .collect()
    }

    fn expected(list: &[(&str, &str, usize)]) -> Vec<(String, String, usize)> {
        list.iter()
            .map(|(n, v, l)| (n.to_string(), v.to_string(), *l))
            .collect()
    }

    #[test]
    fn uv_lock_pins_registry_packages_only() {
        let pins = read(&fixture("uv.lock")).unwrap();
        assert_eq!(
            summary(&pins),
            expected(&[("django", "3.2.0", 6), ("sqlparse", "0.4.1", 18)])
        );
    }

    #[test]
    fn poetry_lock_skips_git_and_directory_sources() {
        let pins = read(&fixture("poetry.lock")).unwrap();
        assert_eq!(
            summary(&pins),
            expected(&[("jinja2", "2.10", 3), ("markupsafe", "2.0.1", 11)])
        );
    }

    #[test]
    fn pdm_lock_pins() {
        let pins = read(&fixture("pdm.lock")).unwrap();
        assert_eq!(
            summary(&pins),
            expected(&[("requests", "2.19.0", 11), ("urllib3", "1.24.1", 17)])
        );
    }

    #[test]
    fn pylock_toml_pins_and_skips_vcs() {
        let pins = read(&fixture("pylock.toml")).unwrap();
        assert_eq!(
            summary(&pins),
            expected(&[("pyyaml", "5.3", 7), ("pillow", "8.0.0", 15)])
        );
        assert_eq!(pins[0].name, "PyYAML");
    }

    #[test]
    fn requirements_with_hashes_includes_markers_and_continuations() {
        let pins = read(&fixture("requirements.txt")).unwrap();
        let mut found: Vec<_> = pins
            .iter()
            .map(|p| {
                (
                    p.path.file_name().unwrap().to_str().unwrap().to_string(),
                    p.normalized.clone(),
                    p.version.clone(),
                    p.line,
                )
            })
            .collect();
        found.sort();
        let want: Vec<(String, String, String, usize)> = [
            ("requirements-base.txt", "sqlparse", "0.4.1", 2),
            ("requirements.txt", "django", "3.2.0", 3),
            ("requirements.txt", "flask", "0.12", 10),
            ("requirements.txt", "pyyaml", "5.3", 8),
            ("requirements.txt", "urllib3", "1.24.1", 5),
        ]
        .iter()
        .map(|(f, n, v, l)| (f.to_string(), n.to_string(), v.to_string(), *l))
        .collect();
        assert_eq!(found, want);
    }

    #[test]
    fn requirement_lines_that_are_not_pins() {
        for entry in [
            "django>=3.2",
            "django==3.*",
            "django>=3,<4",
            "-e .",
            "--index-url https://example.org",
            "git+https://github.com/x/y#egg=y",
        ] {
            assert_eq!(requirement_pin(entry), None, "{entry}");
        }
        assert_eq!(
            requirement_pin("Django[argon2]==3.2.0 ; python_version >= \"3.8\""),
            Some(("Django".into(), "3.2.0".into()))
        );
        assert_eq!(
            requirement_pin("foo===1.0"),
            Some(("foo".into(), "1.0".into()))
        );
    }

    #[test]
    fn environment_metadata_is_read_without_running_python() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("lib/python3.11/site-packages");
        for (folder, metadata) in [
            (
                "Django-3.2.0.dist-info",
                "Metadata-Version: 2.1\nName: Django\nVersion: 3.2.0\n\nVersion: 9\n",
            ),
            (
                "six-1.16.0.dist-info",
                "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n",
            ),
        ] {
            std::fs::create_dir_all(site.join(folder)).unwrap();
            std::fs::write(site.join(folder).join("METADATA"), metadata).unwrap();
        }
        let pins = from_environment(dir.path()).unwrap();
        assert_eq!(
            summary(&pins),
            expected(&[("django", "3.2.0", 3), ("six", "1.16.0", 3)])
        );
        assert!(from_environment(&dir.path().join("missing")).is_err());
    }
}
