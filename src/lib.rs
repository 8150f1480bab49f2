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
