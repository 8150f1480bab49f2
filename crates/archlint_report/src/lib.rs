//! Reporting: one renderer per output format of `archlint check` (text, concise, JSON, SARIF,
//! GitHub, JUnit), the `--statistics` counts and the `--show-versions` and `--show-roles`
//! tables.
//!
//! Every renderer takes the same sorted diagnostics and returns the whole text, so output is
//! written in one go (and, for `--output-file`, atomically).

pub mod baseline;
pub mod github;
pub mod json;
pub mod junit;
pub mod review;
pub mod roles;
pub mod sarif;
pub mod statistics;
pub mod text;
pub mod versions;

use std::collections::BTreeMap;

use clap::ValueEnum;
use serde::Serialize;

use archlint_vocabulary::Diagnostic;
use archlint_vocabulary::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Grouped by file, with a code frame under each finding.
    Text,
    /// One line per finding: `path:line:column: CODE [severity] message`.
    Concise,
    /// A JSON document (schema in docs/output-json.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// JUnit XML, for CI systems that show test reports.
    Junit,
}

/// Counts by severity and by chapter, shown at the end of a run.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub files_checked: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub by_chapter: BTreeMap<&'static str, usize>,
}

impl Summary {
    pub fn new(diagnostics: &[Diagnostic], files_checked: usize) -> Summary {
        let mut summary = Summary {
            files_checked,
            ..Summary::default()
        };
        for d in diagnostics {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
            *summary.by_chapter.entry(d.chapter.name()).or_default() += 1;
        }
        summary
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

/// Renders diagnostics in `format`. `color` applies to the text formats only.
pub fn render(
    format: OutputFormat,
    diagnostics: &[Diagnostic],
    summary: &Summary,
    color: bool,
) -> String {
    match format {
        OutputFormat::Text => text::render(diagnostics, summary, color),
        OutputFormat::Concise => text::render_concise(diagnostics, summary, color),
        OutputFormat::Json => json::render(diagnostics, summary),
        OutputFormat::Sarif => sarif::render(diagnostics),
        OutputFormat::Github => github::render(diagnostics),
        OutputFormat::Junit => junit::render(diagnostics, summary),
    }
}
