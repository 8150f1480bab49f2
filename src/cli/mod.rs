//! The command line: clap definitions, and one file per command. Errors that stop a run
//! (usage, configuration, I/O on the output) exit 2; `check` exits 1 when it finds problems
//! at or above `fail-on`.

mod audit;
mod check;
mod deps;
mod graph;
mod metrics;
mod package;
mod profile;
mod report;
mod rules;
mod types;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use archlint_report::OutputFormat;

#[derive(Parser, Debug)]
#[command(
    name = "archlint",
    version,
    about = "A fast static auditor for Python projects, organised by the chapters of the expert Python architecture guide"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check files and folders with every selected rule (the CI command).
    Check(check::CheckArgs),
    /// The whole review: a score per guide chapter, the project's facts and every finding, as
    /// text, Markdown, JSON or one self-contained HTML page; `--compare` shows the change.
    Report(report::ReportArgs),
    /// Print the import graph: modules, imports, cycles, contracts, coupling metrics.
    Graph(graph::GraphArgs),
    /// Annotation coverage and public-API completeness; `--stubs DIR` writes `.pyi` stubs.
    Types(types::TypesArgs),
    /// Declared dependencies against the modules the code imports (deptry's checks);
    /// `--audit` matches pinned versions with OSV advisories, `--update-db` downloads them.
    Deps(deps::DepsArgs),
    /// Complexity (radon-compatible cyclomatic, and cognitive), maintainability index, raw
    /// and Halstead metrics per file, function, method and class; thresholds as a CI gate.
    Metrics(metrics::MetricsArgs),
    /// Verify built wheels and sdists in place; `--checksums FILE` writes their SHA-256.
    Package(package::PackageArgs),
    /// A profile's hotspots (cProfile dumps, py-spy/Austin folded stacks, speedscope JSON),
    /// read without running Python and joined with their functions' findings;
    /// `--flamegraph FILE.svg` draws the call tree.
    Profile(profile::ProfileArgs),
    /// List the rules.
    Rules(rules::RulesArgs),
    /// Print a rule's documentation.
    Explain(rules::ExplainArgs),
}

pub fn main() -> ExitCode {
    // Panics inside a file's check are caught and reported as INT001; keep them quiet here.
    std::panic::set_hook(Box::new(|_| {}));
    crate::pipeline::init_threads();
    let cli = Cli::parse();
    // A panic outside a file's check (the hook above keeps it quiet) is an internal error:
    // say so and exit 2, rather than die silently with Rust's exit code 101.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match cli.command {
        Command::Check(args) => check::run(args),
        Command::Report(args) => report::run(args),
        Command::Graph(args) => graph::run(args),
        Command::Types(args) => types::run(args),
        Command::Deps(args) => deps::run(args),
        Command::Metrics(args) => metrics::run(args),
        Command::Package(args) => package::run(args),
        Command::Profile(args) => profile::run(args),
        Command::Rules(args) => rules::list(args),
        Command::Explain(args) => rules::explain(args),
    }))
    .unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(anyhow::anyhow!(
            "internal error ({message}); please report it with the command line"
        ))
    });
    match result {
        Ok(code) => code,
        Err(error) => {
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("archlint: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether to colour output on stdout: a terminal, and `NO_COLOR` unset.
/// Exit 1 when a finding reaches `fail_on`, else 0.
pub fn findings_exit_code(
    diagnostics: &[archlint_vocabulary::diagnostic::Diagnostic],
    fail_on: archlint_vocabulary::Severity,
) -> ExitCode {
    if diagnostics.iter().any(|d| d.severity >= fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The findings in `format`; `quiet` keeps only the finding lines of the text formats.
pub fn render_findings(
    format: OutputFormat,
    diagnostics: &[archlint_vocabulary::diagnostic::Diagnostic],
    summary: &archlint_report::Summary,
    quiet: bool,
    color: bool,
) -> String {
    if quiet && matches!(format, OutputFormat::Text | OutputFormat::Concise) {
        // One line per finding without the counts; "No findings" when there are none.
        if diagnostics.is_empty() {
            archlint_report::render(OutputFormat::Concise, diagnostics, summary, color)
        } else {
            archlint_report::text::render_concise_lines(diagnostics, color)
        }
    } else {
        archlint_report::render(format, diagnostics, summary, color)
    }
}

pub fn use_color(output_file: Option<&Path>) -> bool {
    output_file.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes the output to standard output (no file, or `-`), or to a file without damaging what
/// is there: a regular file is replaced atomically keeping its mode, a link is followed, a
/// device or FIFO is written through (see [`archlint_source::write`]).
pub fn write_output(text: &str, output_file: Option<&PathBuf>) -> anyhow::Result<()> {
    use anyhow::Context;
    match output_file {
        Some(path) if path.as_os_str() != "-" => {
            archlint_source::write::write_file(path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))
        }
        _ => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
            Ok(())
        }
    }
}

/// The project a read-only command (`graph`, `types`) reads, and how its configuration is
/// found.
#[derive(clap::Args, Debug)]
pub struct ProjectArgs {
    /// The project folder (or files) to read.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Globs of paths not to read, on top of the configured ones.
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Read the configuration from this file.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
}

impl ProjectArgs {
    /// The settings for the project of the first path.
    pub fn settings(&self) -> anyhow::Result<archlint_project::settings::Settings> {
        self.resolve(&self.overrides())
    }

    /// What these arguments override in the configuration.
    pub fn overrides(&self) -> archlint_project::settings::Overrides {
        archlint_project::settings::Overrides {
            config: self.config.clone(),
            isolated: self.isolated,
            exclude: self.exclude.clone(),
            ..Default::default()
        }
    }

    /// The settings for the project of the first path, with `overrides`.
    pub fn resolve(
        &self,
        overrides: &archlint_project::settings::Overrides,
    ) -> anyhow::Result<archlint_project::settings::Settings> {
        let first = self
            .paths
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(archlint_project::settings::Settings::resolve(
            archlint_rules::registry::catalogue(),
            &first,
            overrides,
        )?)
    }
}

/// The formats of `archlint deps` and `deps --audit`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum DepsFormat {
    Text,
    Json,
}

/// What `archlint deps` and its `--audit` share.
#[derive(clap::Args, Debug)]
pub struct DepsOutput {
    /// The Python environment (a virtualenv or its interpreter, read from its metadata,
    /// never run): it maps imports to distributions, and `--audit` audits what it has
    /// installed. Default: `VIRTUAL_ENV`.
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,
    /// Output format.
    #[arg(long, visible_alias = "output-format", value_enum, default_value_t = DepsFormat::Text)]
    pub format: DepsFormat,
    /// Write the output to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output_file: Option<PathBuf>,
}

pub fn format_arg_help() -> &'static str {
    "text"
}

pub(crate) type Format = OutputFormat;
