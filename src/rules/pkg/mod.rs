//! Packaging (guide §7): `pyproject.toml` against the packaging PEPs (517/518 build system,
//! 621 metadata, 639 licences, 735 dependency groups) and the trove classifiers, a single
//! source for the version, entry points that exist, development tools kept out of runtime
//! dependencies, and library code that behaves at import time (PKG001–PKG010); and built
//! wheels and sdists, which `archlint package` reads through the `Distribution` hook
//! (PKG011–PKG019).

pub mod archive_bomb;
pub mod build_system_missing;
pub mod classifiers_inconsistent;
pub mod corrupt_archive;
pub mod dev_tool_in_runtime_dependencies;
pub mod distribution_metadata_mismatch;
pub mod entry_point_target_missing;
pub mod interpreter_by_path;
pub mod invalid_distribution_metadata;
pub mod invalid_pyproject;
pub mod library_import_side_effects;
pub mod license_metadata_conflict;
pub mod long_description_does_not_render;
pub mod sdist_incomplete;
pub mod stray_files_in_distribution;
pub mod tests_in_distribution;
pub mod unsafe_archive_member;
pub mod version_not_single_sourced;
pub mod wheel_record_mismatch;

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};
use toml_edit::Item;

/// The trove classifiers PyPI accepts, and the deprecated ones with their replacements,
/// from `trove_classifiers.txt` (written by `scripts/update_trove_classifiers.py`).
pub struct Trove {
    pub valid: FxHashSet<&'static str>,
    pub deprecated: FxHashMap<&'static str, Vec<&'static str>>,
}

pub fn trove() -> &'static Trove {
    static TROVE: OnceLock<Trove> = OnceLock::new();
    TROVE.get_or_init(|| {
        let text = include_str!("trove_classifiers.txt");
        let mut trove = Trove {
            valid: FxHashSet::default(),
            deprecated: FxHashMap::default(),
        };
        let mut in_deprecated = false;
        for line in text.lines() {
            if line == "# deprecated" {
                in_deprecated = true;
            } else if line.starts_with('#') || line.is_empty() {
                continue;
            } else if in_deprecated {
                let (old, new) = line.split_once('\t').unwrap_or((line, ""));
                let replacements = new.split('|').filter(|n| !n.is_empty()).collect();
                trove.deprecated.insert(old, replacements);
            } else {
                trove.valid.insert(line);
            }
        }
        trove
    })
}

/// The fields `[project].dynamic` lists.
pub fn dynamic_fields(project: &Item) -> Vec<&str> {
    project
        .get("dynamic")
        .and_then(Item::as_array)
        .map(|fields| fields.iter().filter_map(|f| f.as_str()).collect())
        .unwrap_or_default()
}

/// The strings of an array item, with their values (for ranges).
pub fn strings(item: &Item) -> Vec<(&str, &toml_edit::Value)> {
    item.as_array()
        .map(|array| {
            array
                .iter()
                .filter_map(|value| Some((value.as_str()?, value)))
                .collect()
        })
        .unwrap_or_default()
}

/// The lines a rule flags in a throwaway project made of `files` (path, text).
#[cfg(test)]
fn flagged_lines(code: &str, files: &[(&str, &str)]) -> Vec<usize> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    crate::check_for_test(dir.path(), Some(&[code]))
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.start.line)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::flagged_lines;

    #[test]
    fn near_misses_are_not_flagged() {
        // Only tool settings: not a package, nothing to build.
        let tools_only = "[tool.ruff]\nline-length = 100\n";
        assert!(flagged_lines("PKG001", &[("pyproject.toml", tools_only)]).is_empty());
        // A dynamic version read from the package is the single source.
        let dynamic = "[project]\nname = \"shop\"\ndynamic = [\"version\"]\n[tool.hatch.version]\npath = \"shop/__init__.py\"\n";
        let init = "__version__ = \"1.0\"\n";
        assert!(
            flagged_lines(
                "PKG003",
                &[("pyproject.toml", dynamic), ("shop/__init__.py", init)]
            )
            .is_empty()
        );
        // Classifiers inside the range, with its lower bound.
        let consistent = "[project]\nname = \"shop\"\nversion = \"1\"\nrequires-python = \">=3.10\"\nclassifiers = [\"Programming Language :: Python :: 3.10\", \"Programming Language :: Python :: 3.14\"]\n";
        assert!(flagged_lines("PKG004", &[("pyproject.toml", consistent)]).is_empty());
        // A valid file: every PKG002 check passes.
        let valid = "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"shop\"\nversion = \"1.0.post1\"\nreadme = {text = \"Hi\", content-type = \"text/markdown\"}\nlicense = \"Apache-2.0 WITH LLVM-exception OR MIT\"\nlicense-files = [\"LICENSE\"]\n[project.entry-points.\"shop.plugins\"]\nx = \"shop.plugins:X\"\n[dependency-groups]\na = [{include-group = \"b\"}]\nb = [\"pytest\"]\n";
        assert_eq!(
            flagged_lines("PKG002", &[("pyproject.toml", valid), ("LICENSE", "MIT")]),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn the_classifier_table_is_loaded() {
        let trove = super::trove();
        assert!(trove.valid.len() > 800);
        assert!(
            trove
                .valid
                .contains("Programming Language :: Python :: 3.12")
        );
        assert!(
            !trove
                .valid
                .contains("Programming Language :: Python :: 3.12 ")
        );
        assert!(!trove.deprecated.is_empty());
    }
}
