//! archlint audits a Python project the way a reviewer following the expert architecture
//! guide would, chapter by chapter, without importing or running it.
//!
//! The pipeline, in the order of the modules below: `project` finds the files and the
//! configuration; `source` reads each file with guards against bad input and parses it;
//! `rules::dispatch` walks each tree once, resolving names through `facts` and running the
//! selected `rules`; `pipeline` runs that over all files in parallel, applies suppressions and
//! sorts; `report` prints the result in the chosen format. `cli` is the command line.

pub mod analysis;
pub mod cli;
pub mod dist;
pub mod facts;
pub mod pipeline;
pub mod project;
pub mod report;
pub mod rules;
pub mod source;

use std::path::Path;

use project::settings::Settings;
use report::diagnostic::Diagnostic;

/// Checks one file or folder with the given selectors (all default rules when `None`): the
/// entry point of the fixture tests. A folder's own `pyproject.toml` is its configuration;
/// nothing outside the fixture is read.
pub fn check_for_test(path: &Path, select: Option<&[&str]>) -> Vec<Diagnostic> {
    let own_config = path.join("pyproject.toml");
    let settings = if own_config.is_file() {
        let overrides = project::settings::Overrides {
            config: Some(own_config),
            select: select.map(|s| s.iter().map(|c| c.to_string()).collect()),
            ..Default::default()
        };
        Settings::resolve(path, &overrides).expect("a fixture's configuration is valid")
    } else {
        Settings::isolated(path, select)
    };
    pipeline::check(&[path.to_path_buf()], &settings, &|| {}).diagnostics
}
