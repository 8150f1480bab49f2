//! `archlint types [PATH]`: annotation coverage and public-API completeness as text or JSON
//! (`docs/output-types.md`), a CI gate on completeness, and `.pyi` stubs with `--stubs`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{ProjectArgs, write_output};
use crate::pipeline;
use archlint_analysis::types::{self, coverage, render};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum TypesFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct TypesArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TypesFormat::Text)]
    pub format: TypesFormat,
    /// Exit with 1 when the public API's completeness (the share of public symbols fully
    /// known) is below this percentage.
    #[arg(long, value_name = "PERCENT")]
    pub fail_under: Option<f64>,
    /// Report the public API only, not every function and attribute.
    #[arg(long)]
    pub public_only: bool,
    /// How many of the least complete modules the text output lists.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Write a `.pyi` stub for every module into this folder (existing `.pyi` files are
    /// copied).
    #[arg(long, value_name = "OUT_DIR")]
    pub stubs: Option<PathBuf>,
    /// Write the output to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output_file: Option<PathBuf>,
}

pub fn run(args: TypesArgs) -> anyhow::Result<ExitCode> {
    if let Some(percent) = args.fail_under
        && !(0.0..=100.0).contains(&percent)
    {
        anyhow::bail!("--fail-under takes a percentage from 0 to 100, not {percent}");
    }
    let settings = args.project.settings()?;
    let run = pipeline::types(&args.project.paths, &settings, args.stubs.is_some());
    for problem in &run.problems {
        eprintln!(
            "archlint: warning: {}: {} (skipped)",
            problem.path.display(),
            problem.message
        );
    }
    if let Some(out) = &args.stubs {
        types::write_stubs(&run.stubs, out)?;
        eprintln!(
            "archlint: wrote {} stubs to {}",
            run.stubs.len(),
            out.display()
        );
    }
    let report = coverage::measure(&run.modules);
    let options = render::RenderOptions {
        root: &settings.root,
        public_only: args.public_only,
        limit: args.limit,
    };
    let text = match args.format {
        TypesFormat::Text => render::text(&report, &options),
        TypesFormat::Json => render::json(&report, &options),
    };
    write_output(&text, args.output_file.as_ref())?;
    let score = report.project.completeness.score();
    Ok(match args.fail_under {
        Some(minimum) if score < minimum => {
            eprintln!(
                "archlint: public API completeness {score:.1}% is below --fail-under {minimum}%"
            );
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    })
}
