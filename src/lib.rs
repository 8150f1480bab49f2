//! archlint audits a Python project the way a reviewer following the expert architecture
//! guide would, chapter by chapter, without importing or running it. This crate is the
//! command line (`cli`) and the pipeline that runs the layers below it (`pipeline`).
//!
//! The layers, each a crate of the workspace and each depending only on those before it:
//! `archlint_vocabulary` (what a rule and a finding are), `archlint_source` (reading and
//! parsing files, suppression comments), `archlint_project` (discovery, configuration, module
//! names), `archlint_facts` (what one walk over a module records), `archlint_analysis`
//! (project-wide: import and call graphs, dead code, dependencies, types) and `archlint_dist`
//! (wheels and sdists), `archlint_rules` (every rule, the registry and the dispatcher), and
//! `archlint_report` (the output formats).

pub mod cli;
pub mod pipeline;

use std::path::Path;

use archlint_project::settings::{Overrides, Settings};
use archlint_rules::registry;
use archlint_vocabulary::Diagnostic;

/// Checks one file or folder with the given selectors (all default rules when `None`): the
/// entry point of the fixture tests. A folder's own `pyproject.toml` is its configuration;
/// nothing outside the fixture is read.
pub fn check_for_test(path: &Path, select: Option<&[&str]>) -> Vec<Diagnostic> {
    let own_config = path.join("pyproject.toml");
    let settings = if own_config.is_file() {
        let overrides = Overrides {
            config: Some(own_config),
            select: select.map(|s| s.iter().map(|c| c.to_string()).collect()),
            ..Default::default()
        };
        Settings::resolve(registry::catalogue(), path, &overrides)
            .expect("a fixture's configuration is valid")
    } else {
        Settings::isolated(registry::catalogue(), path, select)
    };
    pipeline::check(&[path.to_path_buf()], &settings, &|| {}).diagnostics
}

/// Runs `archlint package` on `root`'s `dist/` folder with the rules `select`ed, the way the
/// fixture tests do.
pub fn check_package_for_test(root: &Path, select: &[&str]) -> Vec<Diagnostic> {
    pipeline::package::check_for_test(root, select)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The layers, bottom first: a crate may depend only on the crates before it.
    const LAYERS: [&str; 9] = [
        "archlint_vocabulary",
        "archlint_profile",
        "archlint_source",
        "archlint_project",
        "archlint_facts",
        "archlint_analysis",
        "archlint_dist",
        "archlint_rules",
        "archlint_report",
    ];

    #[test]
    fn each_layer_depends_only_on_the_layers_below_it() {
        let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates");
        let mut found: Vec<String> = std::fs::read_dir(&crates)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        found.sort();
        let mut expected = LAYERS.map(String::from).to_vec();
        expected.sort();
        assert_eq!(found, expected, "every crate has its place in LAYERS");
        for (position, layer) in LAYERS.iter().enumerate() {
            let manifest = std::fs::read_to_string(crates.join(layer).join("Cargo.toml")).unwrap();
            for line in manifest.lines().filter(|l| l.starts_with("archlint_")) {
                let dependency = line.split(['.', ' ']).next().unwrap();
                let below = LAYERS[..position].contains(&dependency);
                assert!(
                    below,
                    "{layer} depends on {dependency}, which is not below it"
                );
            }
            let lib = std::fs::read_to_string(crates.join(layer).join("src/lib.rs")).unwrap();
            assert!(
                lib.starts_with("//! "),
                "{layer}'s lib.rs opens with what it owns"
            );
        }
    }
}
