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

#[cfg(test)]
mod tests {
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
