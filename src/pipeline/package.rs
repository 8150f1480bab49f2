//! `archlint package`: each wheel or sdist opened in place and checked by the selected
//! `Distribution` rules, in parallel, with the project's `pyproject.toml` checked by the
//! `Pyproject` rules. One archive's failure, even a panic, is a diagnostic; the run goes on.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use archlint_dist::archive::{Format, Limits};
use archlint_dist::{Distribution, DistributionContext, ProjectMetadata, collect};
use archlint_project::settings::Settings;
use archlint_rules::dispatch::Dispatch;
use archlint_rules::engine::internal_error::INTERNAL_ERROR;
use archlint_rules::registry;
use archlint_vocabulary::diagnostic::{self, Diagnostic};
use rayon::prelude::*;

/// What `archlint package` found.
pub struct PackageOutcome {
    pub diagnostics: Vec<Diagnostic>,
    /// The distributions verified, in order.
    pub distributions: Vec<PathBuf>,
}

/// Verifies each distribution with the selected `Distribution` rules, and the project's
/// `pyproject.toml` with the selected `Pyproject` rules.
pub fn verify(
    distributions: &[PathBuf],
    settings: &Settings,
    dispatch: &Dispatch,
) -> PackageOutcome {
    let limits = Limits::default();
    let pyproject = super::read_pyproject(settings);
    let project = pyproject.as_ref().map(ProjectMetadata::from_file);
    let root = settings.root.canonicalize().ok();
    let diagnostics: Vec<Diagnostic> = distributions
        .par_iter()
        .flat_map_iter(|path| {
            catch_unwind(AssertUnwindSafe(|| {
                verify_one(path, &limits, project.as_ref(), root.as_deref(), dispatch)
            }))
            .unwrap_or_else(|panic| {
                let message = super::panic_message(&panic);
                vec![Diagnostic::for_file(
                    &INTERNAL_ERROR,
                    path.clone(),
                    format!("archlint failed on this distribution ({message}); please report it with the file"),
                )]
            })
        })
        .collect();
    let mut diagnostics = super::configured(settings, diagnostics);
    diagnostics.extend(super::check_pyproject(
        settings,
        dispatch,
        pyproject.as_ref(),
    ));
    diagnostic::sort(&mut diagnostics);
    PackageOutcome {
        diagnostics,
        distributions: distributions.to_vec(),
    }
}

fn verify_one(
    path: &Path,
    limits: &Limits,
    project: Option<&ProjectMetadata>,
    root: Option<&Path>,
    dispatch: &Dispatch,
) -> Vec<Diagnostic> {
    // A file that is not named like a distribution is read as what its content says.
    let format = Format::of(path).unwrap_or(Format::Zip);
    let dist = Distribution::open(path, format, limits);
    // The project's metadata applies only to distributions inside the project.
    let inside = root.is_some_and(|root| path.canonicalize().is_ok_and(|p| p.starts_with(root)));
    let mut cx = DistributionContext::new(&dist, project.filter(|_| inside));
    dispatch.run_distribution(&mut cx);
    cx.diagnostics
}

/// Runs `archlint package` on `root`'s `dist/` folder with the rules `select`ed.
pub fn check_for_test(root: &Path, select: &[&str]) -> Vec<Diagnostic> {
    let settings = Settings::isolated(registry::catalogue(), root, Some(select));
    let dispatch = Dispatch::for_rules(&settings.rules);
    let distributions = collect(&[root.join("dist")]).unwrap_or_default();
    verify(&distributions, &settings, &dispatch).diagnostics
}
