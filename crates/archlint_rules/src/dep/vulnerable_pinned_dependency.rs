use crate::prelude::*;

use archlint_analysis::audit::osv::Database;
use archlint_analysis::audit::severity::Level;
use archlint_analysis::audit::{self, default_database, pins};

rule! {
    /// ## What it does
    /// Reports a pinned version with known vulnerabilities: every `==` pin of
    /// `requirements*.txt` (with their `-r` includes) and every release in `uv.lock`,
    /// `poetry.lock`, `pdm.lock` or `pylock.toml` is matched with the OSV advisories of PyPI,
    /// under PEP 440 ordering. The finding sits on the pin's line, names the advisories and
    /// the smallest version that fixes all of them; its severity follows the worst CVSS
    /// score (critical and high: error, medium: warning, low: info, no score: error). The
    /// advisories come from `[tool.archlint.deps] osv-db` (a folder of OSV JSON files or
    /// OSV's `all.zip`), else from the cache `archlint deps --update-db` fills; without a
    /// database the rule reports nothing. `archlint deps --audit` prints the full report.
    ///
    /// ## Why it matters
    /// Guide §8 (supply-chain security) and §7 (lock files): a lock file makes every install
    /// reproduce the same versions, vulnerable ones included, until someone upgrades them.
    /// Nothing in the code shows that a pinned release has a published advisory.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [tool.archlint.deps]
    /// osv-db = "advisories"
    /// # file: requirements.txt
    /// django==3.2.0
    /// # file: advisories/PYSEC-2021-98.json
    /// {"id": "PYSEC-2021-98", "aliases": ["CVE-2021-33203"],
    ///  "summary": "Directory traversal in django.contrib.admindocs",
    ///  "affected": [{"package": {"ecosystem": "PyPI", "name": "django"},
    ///    "ranges": [{"type": "ECOSYSTEM",
    ///      "events": [{"introduced": "3.2"}, {"fixed": "3.2.4"}]}]}]}
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [tool.archlint.deps]
    /// osv-db = "advisories"
    /// # file: requirements.txt
    /// django==3.2.4
    /// # file: advisories/PYSEC-2021-98.json
    /// {"id": "PYSEC-2021-98", "aliases": ["CVE-2021-33203"],
    ///  "summary": "Directory traversal in django.contrib.admindocs",
    ///  "affected": [{"package": {"ecosystem": "PyPI", "name": "django"},
    ///    "ranges": [{"type": "ECOSYSTEM",
    ///      "events": [{"introduced": "3.2"}, {"fixed": "3.2.4"}]}]}]}
    /// ```
    pub static VULNERABLE_PINNED_DEPENDENCY = Rule {
        code: "DEP006",
        name: "vulnerable-pinned-dependency",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[
            Peer::same("pip-audit", "vulnerability"),
            Peer::same("osv-scanner", "scan"),
        ],
        check: Check::Project {
            run: check,
            reads: &[],
        },
    };
}

/// How many advisory ids a message lists before eliding the rest.
const LISTED: usize = 5;

fn check(cx: &mut ProjectContext) {
    let project = cx.project;
    let root = project.root();
    let mut pinned = Vec::new();
    for file in pins::discover(root) {
        // An unreadable lock file is not this rule's finding (`deps --audit` reports it).
        if let Ok(found) = pins::read(&archlint_project::options::display_path(&file)) {
            pinned.extend(found);
        }
    }
    if pinned.is_empty() {
        return;
    }
    let configured = project.options.deps.osv_db.as_ref().map(|db| root.join(db));
    let Some(path) = configured.or_else(default_database) else {
        return;
    };
    // No database (or an unreadable one): nothing to match with, and `check` goes on.
    let Ok(database) = Database::load(&path) else {
        return;
    };
    let result = audit::audit(&pinned, &database);
    for finding in &result.findings {
        let count = finding.vulnerabilities.len();
        let mut ids: Vec<&str> = finding
            .vulnerabilities
            .iter()
            .take(LISTED)
            .map(|v| v.id.as_str())
            .collect();
        let more = count.saturating_sub(LISTED);
        let more = if more > 0 {
            format!(", and {more} more")
        } else {
            String::new()
        };
        ids.truncate(LISTED);
        let fix = match &finding.fix {
            Some(fix) => format!("upgrade to {fix}"),
            None => "no fixed version is known; replace it or accept the risk".to_string(),
        };
        let message = format!(
            "`{}=={}` has {count} known {} ({}{more}); {fix}",
            finding.package,
            finding.version,
            if count == 1 {
                "vulnerability"
            } else {
                "vulnerabilities"
            },
            ids.join(", "),
        );
        let severity = match finding.level {
            Level::Critical | Level::High | Level::Unknown => Severity::Error,
            Level::Medium => Severity::Warning,
            Level::Low => Severity::Info,
        };
        for location in &finding.locations {
            cx.report_with_severity(&location.path, location.line, 1, severity, message.clone());
        }
    }
}
