//! `archlint deps [PATH]`: the project's dependencies. `--audit` matches the pinned
//! versions with OSV advisories and `--update-db` downloads them (both in `audit.rs`).

use std::process::ExitCode;

use clap::Args;

use super::ProjectArgs;
use super::audit::AuditArgs;

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
}

pub fn run(args: DepsArgs) -> anyhow::Result<ExitCode> {
    if args.audit || args.audit_args.update_db {
        return super::audit::run(&args.project, args.audit_args, args.audit);
    }
    eprintln!("archlint: dependency hygiene: see `archlint check --select DEP`");
    Ok(ExitCode::SUCCESS)
}
