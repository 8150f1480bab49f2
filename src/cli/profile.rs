//! `archlint profile FILE`: a profile's hotspots, read without running Python — cProfile
//! dumps, py-spy and Austin folded stacks, speedscope JSON — ordered as pstats orders them,
//! each joined with its function's static findings in the project; `--flamegraph` draws the
//! call tree as a self-contained SVG (`docs/output-profile.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, ValueEnum};

use super::write_output;
use crate::pipeline;
use archlint_profile::report::{Join, Report, SortKey};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ProfileFormat {
    Text,
    Json,
}

/// What the hotspots are ordered by, with pstats' names as aliases.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SortArg {
    /// Time in the function itself.
    #[value(alias = "time")]
    Tottime,
    /// Time in the function and what it calls.
    #[value(alias = "cumulative")]
    Cumtime,
    /// Calls, recursive ones included.
    #[value(alias = "ncalls")]
    Calls,
}

#[derive(Args, Debug)]
pub struct ProfileArgs {
    /// The profile: a cProfile dump (`python -m cProfile -o FILE`), folded stacks (py-spy
    /// `-f raw`, Austin) or speedscope JSON; the format is told by the content.
    pub file: PathBuf,
    /// How many functions to show (0: all).
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// What to order them by, largest first (ties keep the profile's order, as pstats).
    #[arg(long, value_enum, default_value_t = SortArg::Cumtime)]
    pub sort: SortArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ProfileFormat::Text)]
    pub output_format: ProfileFormat,
    /// Write the output to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output_file: Option<PathBuf>,
    /// Also write a flame graph of the call tree to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub flamegraph: Option<PathBuf>,
    /// The project whose findings are joined with the hotspots.
    #[arg(long, value_name = "PATH", default_value = ".")]
    pub project: PathBuf,
    /// Show the profile alone, without reading the project.
    #[arg(long, conflicts_with = "project")]
    pub no_project: bool,
    /// Read the project's configuration from this file.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Ignore the project's configuration files.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
}

pub fn run(args: ProfileArgs) -> anyhow::Result<ExitCode> {
    let profile = archlint_profile::read(&args.file)?;
    let sort = match args.sort {
        SortArg::Tottime => SortKey::Tottime,
        SortArg::Cumtime => SortKey::Cumtime,
        SortArg::Calls => SortKey::Calls,
    };
    if sort == SortKey::Calls && !profile.counts_calls() {
        bail!(
            "{}: a sampled profile counts no calls; use --sort cumtime or --sort tottime",
            args.file.display()
        );
    }
    let mut shown = archlint_profile::report::order(&profile, sort);
    if args.top > 0 {
        shown.truncate(args.top);
    }
    let joins = if args.no_project {
        vec![Join::default(); shown.len()]
    } else {
        if !args.project.exists() {
            bail!("{}: no such project folder", args.project.display());
        }
        let overrides = archlint_project::settings::Overrides {
            config: args.config.clone(),
            isolated: args.isolated,
            ..Default::default()
        };
        pipeline::profile::join(&profile, &shown, &args.project, &overrides)?
    };
    let report = Report {
        source: args.file.display().to_string(),
        profile: &profile,
        sort,
        hotspots: shown.into_iter().zip(joins).collect(),
    };
    let text = match args.output_format {
        ProfileFormat::Text => report.text(),
        ProfileFormat::Json => report.json(),
    };
    if let Some(path) = &args.flamegraph {
        let title = format!("archlint profile {}", args.file.display());
        let svg = archlint_profile::flame::svg(&profile, &title)
            .map_err(|problem| anyhow::anyhow!("{}: {problem}", args.file.display()))?;
        write_output(&svg, Some(path))?;
    }
    write_output(&text, args.output_file.as_ref())?;
    Ok(ExitCode::SUCCESS)
}
