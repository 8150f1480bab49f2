//! `archlint deps [PATH]`: the dependencies the project declares against the modules its
//! code imports, as a table, with the DEP findings `check` reports (`docs/output-deps.md`);
//! `--audit` matches the pinned versions with OSV advisories and `--update-db` downloads
//! them (`audit.rs`, `docs/output-audit.md`).

use std::process::ExitCode;

use clap::Args;

use super::audit::AuditArgs;
use super::{DepsFormat, DepsOutput, ProjectArgs, findings_exit_code, use_color, write_output};
use crate::pipeline;
use archlint_analysis::Project;
use archlint_analysis::deps::distributions::Environment;
use archlint_analysis::deps::free_threading;
use archlint_analysis::deps::render;
use archlint_report::{OutputFormat, Summary};

#[derive(Args, Debug)]
pub struct DepsArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Match the pinned versions (lock files, `==` requirements, or an environment) with the
    /// OSV advisories of PyPI.
    #[arg(long)]
    pub audit: bool,
    #[command(flatten)]
    pub audit_args: AuditArgs,
    /// List the environment's distributions that ship extension modules without a
    /// free-threaded build (importing them re-enables the GIL on 3.13t/3.14t); exits 1 when a
    /// free-threaded environment has any.
    #[arg(long, conflicts_with = "audit")]
    pub free_threading: bool,
    #[command(flatten)]
    pub output: DepsOutput,
}

/// The hygiene rules; the vulnerability audit is `--audit`.
const HYGIENE_RULES: [&str; 5] = ["DEP001", "DEP002", "DEP003", "DEP004", "DEP005"];

pub fn run(args: DepsArgs) -> anyhow::Result<ExitCode> {
    if args.audit || args.audit_args.update_db {
        return super::audit::run(&args.project, args.audit_args, args.audit, &args.output);
    }
    let output = &args.output;
    if args.free_threading {
        return free_threading(&args.project, output);
    }
    let mut overrides = args.project.overrides();
    overrides.select = Some(HYGIENE_RULES.map(String::from).to_vec());
    overrides.python = output.python.clone();
    let mut settings = args.project.resolve(&overrides)?;
    settings.use_active_environment();
    let outcome = pipeline::check(&args.project.paths, &settings, &|| {});
    let project = Project::new(&outcome.modules, &settings.project, &settings.rule_options);
    let dependencies = project.dependencies();
    if let Some(problem) = &dependencies.environment_problem {
        eprintln!("archlint: warning: the Python environment was not read: {problem}");
    }
    let shown = |path: &std::path::Path| project.shown(path);
    let summary = Summary::new(&outcome.diagnostics, outcome.files_checked);
    let text = match output.format {
        DepsFormat::Text => {
            let color = use_color(output.output_file.as_deref());
            let findings =
                archlint_report::render(OutputFormat::Text, &outcome.diagnostics, &summary, color);
            render::text(dependencies, &shown, &findings)
        }
        DepsFormat::Json => {
            let findings = archlint_report::json::render(&outcome.diagnostics, &summary);
            render::json(dependencies, &shown, &findings)
        }
    };
    write_output(&text, output.output_file.as_ref())?;
    Ok(findings_exit_code(&outcome.diagnostics, settings.fail_on))
}

/// `deps --free-threading`: the readiness of the environment for free-threaded Python.
fn free_threading(project: &ProjectArgs, output: &DepsOutput) -> anyhow::Result<ExitCode> {
    let mut overrides = project.overrides();
    overrides.python = output.python.clone();
    let mut settings = project.resolve(&overrides)?;
    settings.use_active_environment();
    let Some(python) = &settings.project.python else {
        anyhow::bail!(
            "`--free-threading` reads an installed environment: give it with `--python PATH` (a virtualenv or its interpreter) or activate one"
        );
    };
    let environment = Environment::read(python).map_err(anyhow::Error::msg)?;
    let report = free_threading::assess(&environment);
    let text = match output.format {
        DepsFormat::Text => {
            free_threading::render_text(&report, &|path| path.display().to_string())
        }
        DepsFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    write_output(&text, output.output_file.as_ref())?;
    Ok(if report.reenables_gil() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
