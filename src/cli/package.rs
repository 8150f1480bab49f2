//! `archlint package [FILE|DIR…]`: verifies built wheels and sdists in place (the
//! `Distribution` rules, PKG011–PKG019), runs the `pyproject.toml` rules of the project it is
//! run in, and writes checksums with `--checksums` (`docs/output-package.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::{Format, findings_exit_code, render_findings, use_color, write_output};
use crate::pipeline;
use archlint_dist as dist;
use archlint_project::settings::{Overrides, Settings};
use archlint_report::Summary;
use archlint_rules::dispatch::Dispatch;
use archlint_rules::registry;

#[derive(Args, Debug)]
pub struct PackageArgs {
    /// Wheels, sdists, or folders holding them (default: the project's `dist/`).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub output_format: Format,
    /// Write the output to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output_file: Option<PathBuf>,
    /// Write the SHA-256 of each distribution to FILE as JSON (`{"name": "hex"}`) and to
    /// FILE.sha256 as `sha256sum` text, each atomically.
    #[arg(long, value_name = "FILE")]
    pub checksums: Option<PathBuf>,
    /// Rules to run instead of the configured set (codes, prefixes, chapters, names, `ALL`).
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Rules not to run.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The project folder whose configuration and `pyproject.toml` apply (default: `.`).
    #[arg(long, default_value = ".")]
    pub project: PathBuf,
    /// Read the configuration from this file.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Print nothing but the findings.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: PackageArgs) -> anyhow::Result<ExitCode> {
    let overrides = Overrides {
        config: args.config.clone(),
        isolated: args.isolated,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        ..Default::default()
    };
    let settings = Settings::resolve(registry::catalogue(), &args.project, &overrides)?;
    let paths = if args.paths.is_empty() {
        vec![settings.root.join("dist")]
    } else {
        args.paths.clone()
    };
    let distributions = dist::collect(&paths)?;
    let dispatch = Dispatch::for_rules(&settings.rules);
    let outcome = pipeline::package::verify(&distributions, &settings, &dispatch);

    if let Some(target) = &args.checksums {
        let mut entries = Vec::with_capacity(distributions.len());
        for path in &distributions {
            let hex = dist::checksums::sha256_hex(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            entries.push((name, hex));
        }
        let mut text_path = target.clone().into_os_string();
        text_path.push(".sha256");
        write_output(&dist::checksums::render_json(&entries), Some(target))?;
        write_output(
            &dist::checksums::render_sha256sum(&entries),
            Some(&PathBuf::from(text_path)),
        )?;
    }

    let summary = Summary::new(&outcome.diagnostics, distributions.len());
    let color = use_color(args.output_file.as_deref());
    let text = render_findings(
        args.output_format,
        &outcome.diagnostics,
        &summary,
        args.quiet,
        color,
    );
    write_output(&text, args.output_file.as_ref())?;
    Ok(findings_exit_code(&outcome.diagnostics, settings.fail_on))
}
