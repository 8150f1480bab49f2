//! `archlint graph [PATH]`: the import graph with its cycles, contracts and (with
//! `--metrics`) coupling metrics, as text, DOT, Mermaid or JSON (`docs/output-graph.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{ProjectArgs, write_output};
use crate::pipeline;
use archlint_analysis::Project;
use archlint_analysis::graph::render::{self, ViewOptions};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum GraphFormat {
    Text,
    Dot,
    Mermaid,
    Json,
}

#[derive(Args, Debug)]
pub struct GraphArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
    /// Show only this module (and its submodules) with the modules it imports and that
    /// import it.
    #[arg(long)]
    pub focus: Option<String>,
    /// Fold modules into their packages at this depth (`1`: top-level packages).
    #[arg(long)]
    pub collapse: Option<usize>,
    /// Show imports of the standard library and third-party packages too.
    #[arg(long)]
    pub include_external: bool,
    /// Add the coupling metrics of every package (Ca, Ce, instability, abstractness,
    /// distance from the main sequence).
    #[arg(long)]
    pub metrics: bool,
    /// Write the output to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output_file: Option<PathBuf>,
}

pub fn run(args: GraphArgs) -> anyhow::Result<ExitCode> {
    let settings = args.project.settings()?;
    let modules = pipeline::collect_facts(&args.project.paths, &settings);
    let project = Project::new(&modules, &settings.project, &settings.rule_options);
    let metrics = args.metrics.then(|| project.metrics().to_vec());
    let options = ViewOptions {
        focus: args.focus.clone(),
        collapse: args.collapse,
        include_external: args.include_external,
    };
    let view = render::view(
        &project.graph,
        project.root(),
        project.cycles(),
        metrics,
        project.contracts(),
        &options,
    );
    let text = match args.format {
        GraphFormat::Text => render::text(&view),
        GraphFormat::Dot => render::dot(&view),
        GraphFormat::Mermaid => render::mermaid(&view),
        GraphFormat::Json => render::json(&view),
    };
    write_output(&text, args.output_file.as_ref())?;
    Ok(ExitCode::SUCCESS)
}
