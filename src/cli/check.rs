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
use archlint_report::baseline::{Baseline, fingerprints};
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
    /// Instead of the findings, print how many each rule gives, most first (text, or JSON
    /// with `--output-format json`); the exit code is the same as with the findings.
    #[arg(long, conflicts_with_all = ["show_versions", "show_roles"])]
    pub statistics: bool,
    /// Instead of the findings, print a `[tool.archlint.deadcode]` allow-list of the dead code
    /// found (ARCH010-ARCH013), to paste into `pyproject.toml` before turning the rules on.
    #[arg(long)]
    pub make_allowlist: bool,
    /// Report only the findings this baseline file does not hold (default: the configured
    /// `baseline`); its findings no longer found are counted as fixed.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Report only the findings on lines added or changed since this git revision (commits,
    /// staged and unstaged changes, untracked files), and project-wide findings whose chain
    /// passes through such a line.
    #[arg(long, value_name = "REF")]
    pub since: Option<String>,
    /// Instead of reporting the findings, add a `# archlint: ignore[CODE]` comment for each
    /// on its line, in place (each file written whole or not at all).
    #[arg(long, conflicts_with_all = ["write_baseline", "statistics", "show_roles", "show_versions"])]
    pub add_ignore: bool,
    /// Write the findings to this baseline file instead of reporting them. Written over the
    /// baseline in use, it only drops the findings that are fixed and never adds new ones.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// The Python environment (a virtualenv or its interpreter) whose installed
    /// distributions the dependency rules read; default: `VIRTUAL_ENV`.
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,

    /// Neither read nor write the cache: check every file afresh (also: `ARCHLINT_NO_CACHE`
    /// set to anything but `0`, `false` or nothing).
    #[arg(long)]
    pub no_cache: bool,
    /// The cache folder; default: `ARCHLINT_CACHE_DIR`, else the configuration's
    /// `cache-dir`, else `.archlint_cache` in the project folder.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Print the configuration used and timings on stderr.
    #[arg(long, short)]
    pub verbose: bool,
}

/// The check, with the cache unless `--no-cache`. A cache that cannot be opened or written is
/// said on stderr and the run goes on without it: it only ever saves time.
fn check_with_cache(
    args: &CheckArgs,
    settings: &Settings,
    progress: &(dyn Fn() + Sync),
) -> pipeline::CheckOutcome {
    let no_cache_from_environment = std::env::var("ARCHLINT_NO_CACHE")
        .is_ok_and(|value| !matches!(value.trim(), "" | "0" | "false"));
    if args.no_cache || no_cache_from_environment {
        return pipeline::check(&args.paths, settings, progress);
    }
    let folder = args
        .cache_dir
        .clone()
        .or_else(|| {
            std::env::var_os("ARCHLINT_CACHE_DIR")
                .filter(|dir| !dir.is_empty())
                .map(PathBuf::from)
        })
        .or_else(|| settings.cache_dir.clone())
        .unwrap_or_else(|| settings.root.join(pipeline::cache::DEFAULT_FOLDER));
    let cache = match pipeline::cache::Cache::open(&folder, settings) {
        Ok(cache) => cache,
        Err(error) => {
            if !args.quiet {
                eprintln!(
                    "archlint: the cache {} cannot be used ({error}); checking without it",
                    folder.display()
                );
            }
            return pipeline::check(&args.paths, settings, progress);
        }
    };
    let outcome = pipeline::check_cached(&args.paths, settings, &cache, progress);
    if args.verbose {
        let (reused, asked) = cache.reused();
        eprintln!(
            "archlint: {reused} of {asked} Python files taken from the cache {}",
            folder.display()
        );
        eprintln!(
            "archlint: {}",
            if cache.walked() {
                "the folders named were walked"
            } else {
                "no folder walked: the cache's record of each still holds"
            }
        );
    }
    if let Err(error) = cache.save()
        && !args.quiet
    {
        eprintln!(
            "archlint: the cache {} could not be written ({error}); the next run checks every file again",
            folder.display()
        );
    }
    outcome
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
    let outcome = check_with_cache(&args, &settings, &|| progress.tick());
    progress.finish();
    for (path, why) in &outcome.not_checked {
        eprintln!("archlint: {} is not checked: {why}", path.display());
    }

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

    let baseline = args.baseline.clone().or_else(|| settings.baseline.clone());
    let mut diagnostics = outcome.diagnostics;
    if let Some(revision) = &args.since {
        let changes = pipeline::changes::Changes::since(&settings.root, revision)?;
        diagnostics.retain(|d| changes.touches(d, &settings.root));
    }
    if let Some(target) = &args.write_baseline {
        let written = write_baseline(&diagnostics, baseline.as_deref(), target, &settings)?;
        if !args.quiet {
            eprintln!(
                "archlint: wrote {written} findings to the baseline {}",
                target.display()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(path) = &baseline {
        let accepted = Baseline::read(path).map_err(anyhow::Error::msg)?;
        let comparison = accepted.compare(&fingerprints(&diagnostics, &settings.root));
        if !args.quiet {
            let hidden = comparison.known.iter().filter(|known| **known).count();
            let fixed = comparison.fixed_count();
            eprintln!(
                "archlint: the baseline {} hides {hidden} findings; {fixed} of its findings are fixed{}",
                path.display(),
                if fixed > 0 {
                    " (`--write-baseline` over it drops them)"
                } else {
                    ""
                }
            );
        }
        if args.output_format == Format::Sarif && !args.statistics {
            let text = archlint_report::sarif::render_with_baseline(
                &diagnostics,
                &comparison.known,
                &comparison.fixed(),
            );
            write_output(&text, args.output_file.as_ref())?;
            let new: Vec<_> = diagnostics
                .into_iter()
                .zip(&comparison.known)
                .filter(|(_, known)| !**known)
                .map(|(d, _)| d)
                .collect();
            return Ok(findings_exit_code(&new, settings.fail_on));
        }
        let mut known = comparison.known.iter();
        diagnostics.retain(|_| !known.next().copied().unwrap_or(false));
    }
    if args.add_ignore {
        let added = pipeline::ignores::add_ignores(&diagnostics);
        for (path, text) in &added.files {
            write_output(text, Some(path))?;
        }
        for (path, line, why) in &added.refused {
            eprintln!(
                "archlint: no comment added for the finding at {}:{line}: {why}",
                path.display()
            );
        }
        if !args.quiet {
            eprintln!(
                "archlint: added {} suppression comments in {} files",
                added.comments,
                added.files.len()
            );
        }
        let code = if added.refused.is_empty() { 0 } else { 1 };
        return Ok(ExitCode::from(code));
    }
    let outcome = pipeline::CheckOutcome {
        diagnostics,
        ..outcome
    };

    if args.statistics {
        let text = match args.output_format {
            Format::Json => archlint_report::statistics::render_json(&outcome.diagnostics),
            _ => archlint_report::statistics::render_text(&outcome.diagnostics),
        };
        write_output(&text, args.output_file.as_ref())?;
        return Ok(findings_exit_code(&outcome.diagnostics, settings.fail_on));
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
    let code = findings_exit_code(&outcome.diagnostics, settings.fail_on);
    // The process ends now: freeing every finding and fact one by one would only take time.
    std::mem::forget(outcome);
    Ok(code)
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

/// Writes the findings to the baseline `target`; over the baseline in use, only what it holds
/// and still finds. Returns how many findings it holds.
fn write_baseline(
    diagnostics: &[archlint_vocabulary::Diagnostic],
    in_use: Option<&std::path::Path>,
    target: &std::path::Path,
    settings: &Settings,
) -> anyhow::Result<usize> {
    let same_file = in_use.is_some_and(|path| {
        path == target
            || (path.canonicalize().ok()).is_some_and(|p| target.canonicalize().ok() == Some(p))
    });
    let baseline = if same_file && target.exists() {
        Baseline::read(target)
            .map_err(anyhow::Error::msg)?
            .compare(&fingerprints(diagnostics, &settings.root))
            .kept()
    } else {
        let prints = fingerprints(diagnostics, &settings.root);
        let findings: Vec<_> = prints.into_iter().zip(diagnostics).collect();
        Baseline::of(&findings)
    };
    write_output(&baseline.render(), Some(&target.to_path_buf()))?;
    Ok(baseline.findings.iter().map(|e| e.count).sum())
}
