//! `archlint metrics [PATH...]`: radon-compatible complexity, maintainability, raw and
//! Halstead metrics and cognitive complexity per file and block, as text or JSON
//! (`docs/output-metrics.md`), with xenon-style gates.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{ProjectArgs, write_output};
use crate::pipeline;
use archlint_analysis::metrics::{self, FileMetrics, average_complexity, render};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum MetricsFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct MetricsArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Output format.
    #[arg(long, visible_alias = "format", value_enum, default_value_t = MetricsFormat::Text)]
    pub output_format: MetricsFormat,
    /// List only blocks of this rank or worse (A–F), and files of this maintainability rank
    /// or worse (A–C), in the text output.
    #[arg(long, default_value = "A", value_parser = parse_rank)]
    pub min_rank: char,
    /// Exit with 1 when a function, method or class is more complex than this.
    #[arg(long, value_name = "N")]
    pub fail_over_complexity: Option<u32>,
    /// Exit with 1 when a file's maintainability index is below this.
    #[arg(long, value_name = "N")]
    pub fail_under_mi: Option<f64>,
    /// Exit with 1 when a file's average block complexity is above this.
    #[arg(long, value_name = "N")]
    pub fail_over_module_average: Option<f64>,
    /// Exit with 1 when the project's average block complexity is above this.
    #[arg(long, value_name = "N")]
    pub fail_over_average: Option<f64>,
    /// Write the output to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output_file: Option<PathBuf>,
}

fn parse_rank(text: &str) -> Result<char, String> {
    match text.to_ascii_uppercase().as_str() {
        rank @ ("A" | "B" | "C" | "D" | "E" | "F") => Ok(rank.chars().next().unwrap_or('A')),
        _ => Err(format!("`{text}` is not a rank: use A, B, C, D, E or F")),
    }
}

pub fn run(args: MetricsArgs) -> anyhow::Result<ExitCode> {
    let settings = args.project.settings()?;
    let run = pipeline::metrics(&args.project.paths, &settings);
    for problem in &run.problems {
        eprintln!(
            "archlint: warning: {}: {} (not measured)",
            problem.path.display(),
            problem.message
        );
    }
    let options = render::RenderOptions {
        min_rank: args.min_rank,
    };
    let text = match args.output_format {
        MetricsFormat::Text => render::text(&run.files, &options),
        MetricsFormat::Json => render::json(&run.files),
    };
    write_output(&text, args.output_file.as_ref())?;
    let breaches = gate(&args, &run.files);
    for breach in &breaches {
        eprintln!("archlint: {breach}");
    }
    Ok(if breaches.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// What the thresholds given on the command line find, one message each (the worst few of
/// each kind, then a count).
fn gate(args: &MetricsArgs, files: &[FileMetrics]) -> Vec<String> {
    const SHOWN: usize = 5;
    let shown = |path: &std::path::Path| path.display().to_string();
    let mut breaches = Vec::new();
    let mut report = |mut found: Vec<(f64, String)>, what: &str| {
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let more = found.len().saturating_sub(SHOWN);
        breaches.extend(found.into_iter().take(SHOWN).map(|(_, text)| text));
        if more > 0 {
            breaches.push(format!("… and {more} more {what}"));
        }
    };
    if let Some(limit) = args.fail_over_complexity {
        let found = files
            .iter()
            .flat_map(|f| f.blocks.iter().map(move |b| (f, b)))
            .filter(|(_, b)| b.complexity > limit)
            .map(|(f, b)| {
                (
                    f64::from(b.complexity),
                    format!(
                        "{}:{} `{}` has complexity {} ({}), over --fail-over-complexity {limit}",
                        shown(&f.path),
                        b.line,
                        b.name,
                        b.complexity,
                        b.rank
                    ),
                )
            })
            .collect();
        report(found, "blocks over the complexity limit");
    }
    if let Some(limit) = args.fail_under_mi {
        let found = files
            .iter()
            .filter(|f| f.maintainability_index < limit)
            .map(|f| {
                (
                    -f.maintainability_index,
                    format!(
                        "{} has maintainability index {:.2} ({}), under --fail-under-mi {limit}",
                        shown(&f.path),
                        f.maintainability_index,
                        f.mi_rank
                    ),
                )
            })
            .collect();
        report(found, "files under the maintainability limit");
    }
    if let Some(limit) = args.fail_over_module_average {
        let found = files
            .iter()
            .map(|f| (f, average_complexity(&f.blocks)))
            .filter(|(_, average)| *average > limit)
            .map(|(f, average)| {
                (
                    average,
                    format!(
                        "{} has average complexity {average:.2}, over --fail-over-module-average {limit}",
                        shown(&f.path)
                    ),
                )
            })
            .collect();
        report(found, "files over the average limit");
    }
    if let Some(limit) = args.fail_over_average {
        let average = average_complexity(files.iter().flat_map(|f| &f.blocks));
        if average > limit {
            breaches.push(format!(
                "the project's average complexity is {average:.2} ({}), over --fail-over-average {limit}",
                metrics::average_rank(average)
            ));
        }
    }
    breaches
}
