//! `archlint report [PATH]`: the whole review in one artefact — a score per chapter, the
//! project's facts, every finding, and with `--compare` the change since a previous report —
//! as text, Markdown, JSON or one self-contained HTML file (`docs/report.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::write_output;
use crate::pipeline;
use crate::pipeline::report::ReportInputs;
use archlint_analysis::audit::default_database;
use archlint_project::settings::{Overrides, Settings};
use archlint_report::review::{self, Review};
use archlint_rules::registry;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A summary for the terminal.
    Text,
    /// GitHub-flavoured Markdown for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    Markdown,
    /// The whole review as data (`docs/report.md` gives the schema).
    Json,
    /// One self-contained page, for a browser, offline.
    Html,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The project folder.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format (default: `html` when `-o` ends in `.html`, `json` for `.json`, `markdown`
    /// for `.md`, else `text`).
    #[arg(long, value_enum)]
    pub output_format: Option<ReportFormat>,
    /// Write the report to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output_file: Option<PathBuf>,
    /// A previous report in JSON: show every score's change and the findings new or fixed
    /// since then.
    #[arg(long, value_name = "PREVIOUS.json")]
    pub compare: Option<PathBuf>,
    /// Rules to review with instead of every rule (`ALL`): codes, prefixes, chapters, names.
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Rules not to run.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Globs of paths not to read, on top of the configured ones.
    #[arg(long)]
    pub exclude: Vec<String>,
    /// The OSV advisory database (a folder of OSV JSON files or OSV's `all.zip`); default:
    /// `[tool.archlint.deps] osv-db`, else the cache `archlint deps --update-db` fills.
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// The Python environment (a virtualenv or its interpreter) the dependency rules read;
    /// default: `VIRTUAL_ENV`.
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,
    /// The folder of built wheels and sdists to verify (default: the project's `dist/`).
    #[arg(long, value_name = "DIR")]
    pub dist: Option<PathBuf>,
    /// Read the configuration from this file.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
}

impl ReportArgs {
    fn format(&self) -> ReportFormat {
        if let Some(format) = self.output_format {
            return format;
        }
        let extension = self
            .output_file
            .as_ref()
            .and_then(|p| p.extension())
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("html" | "htm") => ReportFormat::Html,
            Some("json") => ReportFormat::Json,
            Some("md" | "markdown") => ReportFormat::Markdown,
            _ => ReportFormat::Text,
        }
    }
}

pub fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    // A review of nothing would read as a clean project.
    if !args.path.exists() {
        anyhow::bail!(
            "{} does not exist: `archlint report` takes the project's folder",
            args.path.display()
        );
    }
    // Read the previous report first: a wrong path should not cost a whole review.
    let previous = match &args.compare {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Some(Review::from_json(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?)
        }
        None => None,
    };
    let overrides = Overrides {
        config: args.config.clone(),
        isolated: args.isolated,
        select: Some(
            args.select
                .clone()
                .unwrap_or_else(|| vec!["ALL".to_string()]),
        ),
        ignore: args.ignore.clone(),
        exclude: args.exclude.clone(),
        python: args.python.clone(),
        ..Default::default()
    };
    let mut settings = Settings::resolve(registry::catalogue(), &args.path, &overrides)?;
    settings.use_active_environment();
    let database = match &args.db {
        Some(db) => Some(db.clone()),
        None => match &settings.project.deps.osv_db {
            Some(configured) => Some(settings.root.join(configured)),
            None => default_database().filter(|folder| folder.exists()),
        },
    };
    let dist = args
        .dist
        .clone()
        .or_else(|| Some(settings.root.join("dist")).filter(|d| d.is_dir()));
    let inputs = ReportInputs {
        paths: std::slice::from_ref(&args.path),
        settings: &settings,
        database,
        dist,
    };
    let mut review = pipeline::report::review(&inputs, &|| {});
    if let Some(previous) = &previous {
        review.trend = Some(review::compare::trend(previous, &review));
    }
    let text = match args.format() {
        ReportFormat::Text => review::text::render(&review),
        ReportFormat::Markdown => review::markdown::render(&review),
        ReportFormat::Json => review.to_json(),
        ReportFormat::Html => review::html::render(&review),
    };
    write_output(&text, args.output_file.as_ref())?;
    Ok(ExitCode::SUCCESS)
}
