//! `archlint check [PATH…]`: runs every selected rule and prints the findings.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;

use super::{Format, findings_exit_code, render_findings, use_color, write_output};
use crate::pipeline;
use archlint_project::settings::{Overrides, Settings};
use archlint_report::Summary;
use archlint_rules::registry;
use archlint_vocabulary::Severity;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files and folders to check.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub output_format: Format,
    /// Write the output to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output_file: Option<PathBuf>,
    /// Rules to run instead of the configured set: codes, prefixes (`SEC6`), chapters
    /// (`security`), names, or `ALL`. Comma-separated or repeated.
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Rules to run on top of the configured set.
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Rules not to run.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Globs of paths not to check, on top of the configured ones.
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Apply the exclusions to files named on the command line too (for pre-commit, which
    /// names every changed file).
    #[arg(long)]
    pub force_exclude: bool,
    /// The oldest Python version the project supports (`3.11`), overriding the configuration.
    #[arg(long)]
    pub target_version: Option<String>,
    /// The lowest severity that makes the run exit 1.
    #[arg(long, value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Files larger than this many bytes are skipped (IO004).
    #[arg(long)]
    pub max_file_size: Option<u64>,
    /// Read the configuration from this file (`pyproject.toml` or `archlint.toml`).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Print nothing but the findings (no summary, no progress).
    #[arg(long, short)]
    pub quiet: bool,
    /// Instead of the findings, print each file's minimum Python version with the features
    /// that decide it, and the project's minimum (text, or JSON with `--output-format json`).
    #[arg(long)]
    pub show_versions: bool,
    /// Instead of the findings, print each file's code role (package, tests, test-data, docs,
    /// scripts, stubs) and why (text, or JSON with `--output-format json`).
    #[arg(long, conflicts_with = "show_versions")]
    pub show_roles: bool,
    /// Instead of the findings, print a `[tool.archlint.deadcode]` allow-list of the dead code
    /// found (ARCH010-ARCH013), to paste into `pyproject.toml` before turning the rules on.
    #[arg(long)]
    pub make_allowlist: bool,
    /// The Python environment (a virtualenv or its interpreter) whose installed
    /// distributions the dependency rules read; default: `VIRTUAL_ENV`.
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,

    /// Print the configuration used and timings on stderr.
    #[arg(long, short)]
    pub verbose: bool,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::from_name(text)
        .ok_or_else(|| format!("`{text}` is not a severity: use error, warning or info"))
}

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let overrides = Overrides {
        config: args.config.clone(),
        isolated: args.isolated,
        // `--show-versions` prints no findings: only the rules recording the needs run.
        select: if args.show_versions {
            Some(vec!["VER001".to_string(), "VER002".to_string()])
        } else {
            args.select.clone()
        },
        extend_select: {
            let mut rules = args.extend_select.clone();
            if args.make_allowlist {
                rules.extend(["ARCH010", "ARCH011", "ARCH012", "ARCH013"].map(String::from));
            }
            rules
        },
        ignore: args.ignore.clone(),
        exclude: args.exclude.clone(),
        force_exclude: args.force_exclude,
        target_version: args.target_version.clone(),
        fail_on: args.fail_on,
        max_file_size: args.max_file_size,
        python: args.python.clone(),
    };
    let first = args
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let mut settings = Settings::resolve(registry::catalogue(), &first, &overrides)?;
    settings.use_active_environment();
    if args.verbose {
        eprintln!(
            "archlint: configuration {}; {} rules; target Python {}.{}",
            settings
                .config_file
                .as_ref()
                .map_or("none (defaults)".to_string(), |p| {
                    archlint_project::options::display_path(p)
                        .display()
                        .to_string()
                }),
            settings.rules.rules.len(),
            settings.rule_options.target.0,
            settings.rule_options.target.1,
        );
    }

    if args.show_roles {
        let roles = pipeline::roles(&args.paths, &settings);
        let text = match args.output_format {
            Format::Json => archlint_report::roles::render_json(&roles),
            _ => archlint_report::roles::render_text(&roles),
        };
        write_output(&text, args.output_file.as_ref())?;
        return Ok(ExitCode::SUCCESS);
    }

    let progress = Progress::new(!args.quiet && std::io::stderr().is_terminal());
    let outcome = pipeline::check(&args.paths, &settings, &|| progress.tick());
    progress.finish();

    if args.show_versions {
        let target = settings.rule_options.target;
        let text = match args.output_format {
            Format::Json => archlint_report::versions::render_json(&outcome.modules, target),
            _ => archlint_report::versions::render_text(&outcome.modules, target),
        };
        write_output(&text, args.output_file.as_ref())?;
        return Ok(ExitCode::SUCCESS);
    }

    if args.make_allowlist {
        let project = archlint_analysis::Project::new(
            &outcome.modules,
            &settings.project,
            &settings.rule_options,
        );
        let text = allowlist(&project);
        write_output(&text, args.output_file.as_ref())?;
        return Ok(ExitCode::SUCCESS);
    }

    let mut summary = Summary::new(&outcome.diagnostics, outcome.files_checked);
    if args.quiet {
        summary.files_checked = outcome.files_checked;
    }
    let color = use_color(args.output_file.as_deref());
    let text = render_findings(
        args.output_format,
        &outcome.diagnostics,
        &summary,
        args.quiet,
        color,
    );
    write_output(&text, args.output_file.as_ref())?;
    if args.verbose {
        eprintln!(
            "archlint: checked {} files in {:.2?}",
            outcome.files_checked,
            started.elapsed()
        );
    }
    Ok(findings_exit_code(&outcome.diagnostics, settings.fail_on))
}

/// The dead code found, as an allow-list to paste into `pyproject.toml`.
fn allowlist(project: &archlint_analysis::Project) -> String {
    use std::fmt::Write as _;
    let mut text = String::from(
        "# Dead code archlint found; each entry counts as used from now on.\n[tool.archlint.deadcode]\nallow = [\n",
    );
    for item in &project.deadcode().items {
        let path = project.shown(&project.modules[item.module].path);
        let _ = writeln!(
            text,
            "    \"{}\",  # unused {} ({}:{})",
            item.path,
            item.kind.label(),
            path,
            item.line
        );
    }
    text.push_str("]\n");
    text
}

/// A progress bar on stderr, shown only on a terminal and only once a run passes a second.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: Instant,
}

impl Progress {
    fn new(enabled: bool) -> Progress {
        let bar = enabled.then(|| {
            let bar = indicatif::ProgressBar::hidden();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} checked {pos} files ({elapsed})",
                )
                .expect("valid template"),
            );
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
        }
    }

    fn tick(&self) {
        if let Some(bar) = &self.bar {
            if bar.is_hidden() && self.started.elapsed() > Duration::from_secs(1) {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
