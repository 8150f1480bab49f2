//! `archlint deps --audit`: the project's pinned versions (lock files, pinned requirements,
//! or an installed environment) matched with the OSV advisories of PyPI, as text or JSON
//! (`docs/output-audit.md`); `--update-db` downloads the database. Exit codes: 0 nothing at
//! or above `--fail-on-severity`, 1 findings, 2 errors (no database, no network, no pins).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use serde_json::json;

use super::{DepsFormat, DepsOutput, ProjectArgs, write_output};
use archlint_analysis::audit::osv::{Database, format_date};
use archlint_analysis::audit::pins::{self, LockFormat, Pin};
use archlint_analysis::audit::severity::Level;
use archlint_analysis::audit::{self, Audit, default_database, update};
use archlint_project::options::display_path;

/// A database older than this is reported on stderr.
const STALE_DAYS: i64 = 7;
/// Summaries longer than this are cut in the text output (JSON has them whole).
const SUMMARY_WIDTH: usize = 110;

/// `--fail-on-severity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Low,
    Medium,
    High,
    Critical,
    /// Never exit 1 for findings.
    None,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// The advisory database: a folder of OSV JSON files (searched recursively), a folder
    /// holding OSV's `all.zip`, or the zip itself (read in place). Default: `[tool.archlint.deps]
    /// osv-db`, else the cache `--update-db` fills ($XDG_CACHE_HOME/archlint/osv-pypi).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Download OSV's PyPI advisories into the database folder (the cache, or `--db`), then
    /// audit only if `--audit` is given too.
    #[arg(long)]
    pub update_db: bool,
    /// Where `--update-db` downloads the database from.
    #[arg(long, value_name = "URL", default_value = update::DEFAULT_URL)]
    pub db_url: String,
    /// Audit this lock file instead of the project's own (repeatable): `uv.lock`,
    /// `poetry.lock`, `pdm.lock`, `pylock*.toml`; any other name is read as a requirements file.
    #[arg(long = "lock", value_name = "FILE")]
    pub locks: Vec<PathBuf>,
    /// Audit this requirements file (repeatable): its `==` pins and its `-r` includes.
    #[arg(short = 'r', long = "requirement", value_name = "FILE")]
    pub requirements: Vec<PathBuf>,
    /// Exit with 1 only when a finding reaches this level (`unknown` reaches every level);
    /// `none` never fails. Default: any finding exits 1.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on_severity: Option<FailOn>,
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `--update-db` and/or the audit.
pub fn run(
    project: &ProjectArgs,
    args: AuditArgs,
    audit: bool,
    common: &DepsOutput,
) -> anyhow::Result<ExitCode> {
    if args.update_db {
        let folder = match &args.db {
            Some(db) if db.extension().is_some_and(|e| e == "zip") => bail!(
                "--update-db writes a folder (`all.zip` and its timestamp); give `--db` a folder, not {}",
                db.display()
            ),
            Some(db) => db.clone(),
            None => default_database().context(
                "no cache folder (neither XDG_CACHE_HOME nor HOME is set); pass `--db FOLDER`",
            )?,
        };
        let updated = update::update(&args.db_url, &folder, now()).map_err(anyhow::Error::msg)?;
        eprintln!(
            "archlint: downloaded {} advisories ({:.1} MB) to {}",
            updated.advisories,
            updated.bytes as f64 / 1_048_576.0,
            updated.path.display()
        );
        if !audit {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let settings = project.settings()?;
    let pins = read_pins(&args, common.python.as_ref(), &settings.root)?;
    let db_path = match &args.db {
        Some(db) => db.clone(),
        None => match &settings.project.deps.osv_db {
            Some(configured) => settings.root.join(configured),
            None => default_database().context(
                "no advisory database: run `archlint deps --update-db` or pass `--db PATH`",
            )?,
        },
    };
    let database = Database::load(&display_path(&db_path))?;
    for warning in &database.warnings {
        eprintln!("archlint: warning: {warning} (skipped)");
    }
    let age = database.age_days(now());
    if let (Some(days), Some(updated)) = (age, database.updated)
        && days > STALE_DAYS
    {
        eprintln!(
            "archlint: warning: the advisory database is {days} days old (as of {}); run `archlint deps --update-db` for current advisories",
            format_date(updated)
        );
    }
    let result = audit::audit(&pins, &database);
    for warning in &result.warnings {
        eprintln!("archlint: warning: {warning}");
    }
    let text = match common.format {
        DepsFormat::Text => render_text(&result, &database),
        DepsFormat::Json => render_json(&result, &database, age, args.fail_on_severity),
    };
    write_output(&text, common.output_file.as_ref())?;
    let threshold = match args.fail_on_severity {
        None => Some(Level::Unknown),
        Some(FailOn::None) => None,
        Some(FailOn::Low) => Some(Level::Low),
        Some(FailOn::Medium) => Some(Level::Medium),
        Some(FailOn::High) => Some(Level::High),
        Some(FailOn::Critical) => Some(Level::Critical),
    };
    let fails = threshold.is_some_and(|threshold| {
        result
            .findings
            .iter()
            .flat_map(|f| &f.vulnerabilities)
            .any(|v| audit::reaches(v.severity.level, threshold))
    });
    Ok(if fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The pins of the files and environment named on the command line, else of the project's
/// lock and requirements files, else of `VIRTUAL_ENV`.
fn read_pins(args: &AuditArgs, python: Option<&PathBuf>, root: &Path) -> anyhow::Result<Vec<Pin>> {
    let mut pins = Vec::new();
    let explicit = !args.locks.is_empty() || !args.requirements.is_empty() || python.is_some();
    for lock in &args.locks {
        pins.extend(pins::read(lock).map_err(anyhow::Error::msg)?);
    }
    for requirements in &args.requirements {
        pins.extend(
            pins::read_as(requirements, LockFormat::Requirements).map_err(anyhow::Error::msg)?,
        );
    }
    if let Some(python) = python {
        pins.extend(pins::from_environment(python).map_err(anyhow::Error::msg)?);
    }
    if explicit {
        return Ok(pins);
    }
    let files = pins::discover(root);
    for file in &files {
        pins.extend(pins::read(&display_path(file)).map_err(anyhow::Error::msg)?);
    }
    if files.is_empty() {
        match std::env::var_os("VIRTUAL_ENV").filter(|v| !v.is_empty()) {
            Some(venv) => {
                pins.extend(pins::from_environment(Path::new(&venv)).map_err(anyhow::Error::msg)?)
            }
            None => bail!(
                "no lock file (uv.lock, poetry.lock, pdm.lock, pylock.toml) or requirements*.txt in {}: pass `--lock FILE`, `-r FILE` or `--python PATH`",
                display_path(root).display()
            ),
        }
    }
    Ok(pins)
}

fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn database_line(database: &Database) -> String {
    format!(
        "Advisory database: {}, {}{}",
        database.source.display(),
        plural(database.advisories.len(), "advisory", "advisories"),
        database
            .updated
            .map(|t| format!(", as of {}", format_date(t)))
            .unwrap_or_default()
    )
}

/// One block per vulnerable pin, one entry per advisory, then the counts.
pub fn render_text(result: &Audit, database: &Database) -> String {
    let mut out = String::new();
    for finding in &result.findings {
        let places: Vec<String> = finding
            .locations
            .iter()
            .map(|l| format!("{}:{}", l.path.display(), l.line))
            .collect();
        let fix = match &finding.fix {
            Some(fix) => format!("upgrade to {fix}"),
            None => "no fixed version known".to_string(),
        };
        out.push_str(&format!(
            "{} {} ({}): {}; {fix}\n",
            finding.package,
            finding.version,
            places.join(", "),
            plural(
                finding.vulnerabilities.len(),
                "vulnerability",
                "vulnerabilities"
            ),
        ));
        for vulnerability in &finding.vulnerabilities {
            let severity = match vulnerability.severity.score {
                Some(score) => format!("{} {score:.1}", vulnerability.severity.level.name()),
                None => vulnerability.severity.level.name().to_string(),
            };
            let aliases = if vulnerability.aliases.is_empty() {
                String::new()
            } else {
                format!(" ({})", vulnerability.aliases.join(", "))
            };
            let fixed = match &vulnerability.fix {
                Some(fix) => format!("fixed in {fix}"),
                None => "no fix".to_string(),
            };
            out.push_str(&format!(
                "  {}{aliases} [{severity}] {fixed}\n    {}\n",
                vulnerability.id,
                cut(&vulnerability.summary, SUMMARY_WIDTH)
            ));
        }
        out.push('\n');
    }
    let counts = &result.counts;
    if result.findings.is_empty() {
        out.push_str(&format!(
            "No known vulnerabilities in {}.\n",
            plural(result.audited, "pinned package", "pinned packages")
        ));
    } else {
        let by_level: Vec<String> = Level::ALL
            .iter()
            .map(|&level| format!("{} {}", counts.get(level), level.name()))
            .collect();
        out.push_str(&format!(
            "Found {} in {} of {} ({}).\n",
            plural(
                counts.total(),
                "known vulnerability",
                "known vulnerabilities"
            ),
            result.findings.len(),
            plural(result.audited, "pinned package", "pinned packages"),
            by_level.join(", ")
        ));
    }
    out.push_str(&database_line(database));
    out.push('\n');
    out
}

/// The JSON document of `docs/output-audit.md`.
pub fn render_json(
    result: &Audit,
    database: &Database,
    age_days: Option<i64>,
    fail_on: Option<FailOn>,
) -> String {
    let fail_on = match fail_on {
        None => "any",
        Some(FailOn::None) => "none",
        Some(FailOn::Low) => "low",
        Some(FailOn::Medium) => "medium",
        Some(FailOn::High) => "high",
        Some(FailOn::Critical) => "critical",
    };
    let document = json!({
        "version": 1,
        "database": {
            "path": database.source,
            "advisories": database.advisories.len(),
            "withdrawn": database.withdrawn,
            "skipped_files": database.warnings.len(),
            "updated": database.updated.map(format_date),
            "age_days": age_days,
        },
        "audited": result.audited,
        "findings": result.findings,
        "summary": {
            "vulnerable_packages": result.findings.len(),
            "vulnerabilities": result.counts.total(),
            "by_severity": result.counts,
        },
        "fail_on_severity": fail_on,
        "warnings": result.warnings,
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON values serialise");
    text.push('\n');
    text
}
