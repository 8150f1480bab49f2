//! The dependency vulnerability audit: pinned versions (`pins`) matched with OSV advisories
//! (`osv`) under PEP 440 ordering, each finding rated (`severity`), and for each package the
//! smallest version that fixes every advisory — a suggestion, nothing is installed.
//! `update` downloads the database. `archlint deps --audit` prints the result and rule
//! DEP006 reports it at each pin's line.
//!
//! An advisory affects a version when one of its PyPI `affected[]` entries for the package
//! lists it in `versions` (compared as PEP 440 versions, so `3.2.0` is `3.2`; a listed
//! version without a local label matches any local label) or one of its `ECOSYSTEM` ranges
//! holds it: events sorted by version, `introduced` opens the range, `fixed` closes it at
//! that version and `last_affected` just after it (the OSV schema's evaluation).

pub mod osv;
pub mod pins;
pub mod severity;
pub mod update;

use std::path::PathBuf;
use std::str::FromStr;

use pep440_rs::Version;
use serde::Serialize;

use osv::{Advisory, Database, Event};
use pins::Pin;
use severity::{Level, Rating};

/// The default database folder: `$XDG_CACHE_HOME/archlint/osv-pypi`, else
/// `~/.cache/archlint/osv-pypi`.
pub fn default_database() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".cache"))
        })?;
    Some(cache.join("archlint").join("osv-pypi"))
}

/// An advisory's versions, parsed once per package audited.
struct Matcher<'d> {
    advisory: &'d Advisory,
    /// Each range's events, sorted by version.
    ranges: Vec<Vec<(Version, EventKind)>>,
    versions: Vec<Version>,
    /// `versions` entries that are not PEP 440, compared as text.
    odd_versions: Vec<&'d str>,
    /// The `fixed` events, as written, with their versions.
    fixed: Vec<(Version, &'d str)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EventKind {
    Introduced,
    Fixed,
    LastAffected,
}

impl<'d> Matcher<'d> {
    fn new(advisory: &'d Advisory, normalized: &str) -> Matcher<'d> {
        let mut matcher = Matcher {
            advisory,
            ranges: Vec::new(),
            versions: Vec::new(),
            odd_versions: Vec::new(),
            fixed: Vec::new(),
        };
        for affected in advisory
            .affected
            .iter()
            .filter(|a| a.normalized == normalized)
        {
            for range in &affected.ranges {
                let mut events: Vec<(Version, EventKind)> = range
                    .iter()
                    .filter_map(|event| {
                        let (text, kind) = match event {
                            Event::Introduced(v) => (v, EventKind::Introduced),
                            Event::Fixed(v) => (v, EventKind::Fixed),
                            Event::LastAffected(v) => (v, EventKind::LastAffected),
                        };
                        let version = Version::from_str(text).ok()?;
                        if kind == EventKind::Fixed {
                            matcher.fixed.push((version.clone(), text.as_str()));
                        }
                        Some((version, kind))
                    })
                    .collect();
                events.sort_by(|a, b| a.0.cmp(&b.0));
                matcher.ranges.push(events);
            }
            for text in &affected.versions {
                match Version::from_str(text) {
                    Ok(version) => matcher.versions.push(version),
                    Err(_) => matcher.odd_versions.push(text),
                }
            }
        }
        matcher.fixed.sort_by(|a, b| a.0.cmp(&b.0));
        matcher.fixed.dedup_by(|a, b| a.0 == b.0);
        matcher
    }

    fn affects(&self, version: &Version) -> bool {
        let listed = self.versions.iter().any(|listed| {
            listed == version
                || (!listed.is_local() && version.is_local() && {
                    let plain = version.clone().without_local();
                    *listed == plain
                })
        });
        listed || self.ranges.iter().any(|events| in_range(events, version))
    }

    /// The smallest `fixed` version above `version`.
    fn fix_for(&self, version: &Version) -> Option<&'d str> {
        self.fixed
            .iter()
            .find(|(fixed, _)| fixed > version)
            .map(|(_, text)| *text)
    }
}

/// The OSV schema's evaluation of one range's sorted events.
fn in_range(events: &[(Version, EventKind)], version: &Version) -> bool {
    let mut affected = false;
    for (at, kind) in events {
        match kind {
            EventKind::Introduced if version >= at => affected = true,
            EventKind::Fixed if version >= at => affected = false,
            EventKind::LastAffected if version > at => affected = false,
            _ => {}
        }
    }
    affected
}

/// Where a version is pinned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PinLocation {
    pub path: PathBuf,
    pub line: usize,
}

/// One advisory that affects a pin.
#[derive(Debug, Clone, Serialize)]
pub struct Vulnerability {
    pub id: String,
    pub aliases: Vec<String>,
    pub summary: String,
    pub severity: Rating,
    /// Every `fixed` version of the advisory for this package, in version order.
    pub fixed: Vec<String>,
    /// The smallest of them above the pin (`null` when none is known).
    pub fix: Option<String>,
}

/// A pinned version with the advisories that affect it.
#[derive(Debug, Clone, Serialize)]
pub struct VulnerablePin {
    pub package: String,
    pub normalized: String,
    pub version: String,
    pub locations: Vec<PinLocation>,
    /// Sorted by id.
    pub vulnerabilities: Vec<Vulnerability>,
    /// The smallest `fixed` version above the pin that no advisory of the package affects
    /// (`null` when the database knows none).
    pub fix: Option<String>,
    /// The highest level of its vulnerabilities (`unknown` ranks lowest).
    pub level: Level,
}

/// Findings per severity level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub unknown: usize,
}

impl Counts {
    fn add(&mut self, level: Level) {
        *match level {
            Level::Critical => &mut self.critical,
            Level::High => &mut self.high,
            Level::Medium => &mut self.medium,
            Level::Low => &mut self.low,
            Level::Unknown => &mut self.unknown,
        } += 1;
    }

    pub fn get(&self, level: Level) -> usize {
        match level {
            Level::Critical => self.critical,
            Level::High => self.high,
            Level::Medium => self.medium,
            Level::Low => self.low,
            Level::Unknown => self.unknown,
        }
    }

    pub fn total(&self) -> usize {
        self.critical + self.high + self.medium + self.low + self.unknown
    }
}

/// The result of an audit.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// Distinct (package, version) pins audited.
    pub audited: usize,
    /// The vulnerable ones, sorted by package and version.
    pub findings: Vec<VulnerablePin>,
    /// Vulnerabilities (advisory × pin) per level.
    pub counts: Counts,
    /// Pins whose version is not PEP 440 (compared as text with `versions` lists only).
    pub warnings: Vec<String>,
}

/// Matches every pin with the database. Pins of the same package and version in several
/// files are one finding with several locations.
pub fn audit(pins: &[Pin], database: &Database) -> Audit {
    let mut groups: Vec<(&str, &str, Vec<&Pin>)> = Vec::new();
    let mut sorted: Vec<&Pin> = pins.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.normalized, &a.version, &a.path, a.line).cmp(&(
            &b.normalized,
            &b.version,
            &b.path,
            b.line,
        ))
    });
    for pin in sorted {
        match groups.last_mut() {
            Some((name, version, group)) if *name == pin.normalized && *version == pin.version => {
                group.push(pin)
            }
            _ => groups.push((&pin.normalized, &pin.version, vec![pin])),
        }
    }
    let mut result = Audit {
        audited: groups.len(),
        findings: Vec::new(),
        counts: Counts::default(),
        warnings: Vec::new(),
    };
    for (normalized, version_text, group) in groups {
        let matchers: Vec<Matcher> = database
            .advisories_for(normalized)
            .map(|a| Matcher::new(a, normalized))
            .collect();
        if matchers.is_empty() {
            continue;
        }
        let version = Version::from_str(version_text).ok();
        if version.is_none() {
            result.warnings.push(format!(
                "{}:{}: `{}=={version_text}` is not a PEP 440 version; only advisories listing it verbatim are matched",
                group[0].path.display(),
                group[0].line,
                group[0].name
            ));
        }
        let affecting: Vec<&Matcher> = matchers
            .iter()
            .filter(|m| match &version {
                Some(version) => m.affects(version),
                None => m.odd_versions.contains(&version_text),
            })
            .collect();
        if affecting.is_empty() {
            continue;
        }
        let vulnerabilities: Vec<Vulnerability> = affecting
            .iter()
            .map(|m| Vulnerability {
                id: m.advisory.id.clone(),
                aliases: m.advisory.aliases.clone(),
                summary: m.advisory.summary.clone(),
                severity: m.advisory.rating.clone(),
                fixed: m.fixed.iter().map(|(_, t)| t.to_string()).collect(),
                fix: version
                    .as_ref()
                    .and_then(|v| m.fix_for(v))
                    .map(str::to_string),
            })
            .collect();
        for vulnerability in &vulnerabilities {
            result.counts.add(vulnerability.severity.level);
        }
        let fix = version.as_ref().and_then(|v| smallest_fix(&matchers, v));
        result.findings.push(VulnerablePin {
            package: group[0].name.clone(),
            normalized: normalized.to_string(),
            version: version_text.to_string(),
            locations: group
                .iter()
                .map(|p| PinLocation {
                    path: p.path.clone(),
                    line: p.line,
                })
                .collect(),
            level: vulnerabilities
                .iter()
                .map(|v| v.severity.level)
                .max()
                .unwrap_or(Level::Unknown),
            vulnerabilities,
            fix,
        });
    }
    result
}

/// The smallest `fixed` version above `version` among all the package's advisories that no
/// advisory of the package affects.
fn smallest_fix(matchers: &[Matcher], version: &Version) -> Option<String> {
    let mut candidates: Vec<&(Version, &str)> = matchers
        .iter()
        .flat_map(|m| m.fixed.iter())
        .filter(|(fixed, _)| fixed > version)
        .collect();
    candidates.sort_by(|a, b| a.0.cmp(&b.0));
    candidates
        .into_iter()
        .find(|(candidate, _)| !matchers.iter().any(|m| m.affects(candidate)))
        .map(|(_, text)| text.to_string())
}

/// Whether a finding reaches `--fail-on-severity`: `unknown` reaches every threshold (an
/// advisory without a rating may be critical).
pub fn reaches(level: Level, threshold: Level) -> bool {
    level == Level::Unknown || level >= threshold
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn database() -> Database {
        Database::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/osv/unit"))
            .unwrap()
    }

    fn pin(name: &str, version: &str) -> Pin {
        Pin {
            name: name.to_string(),
            normalized: archlint_project::distribution_name::normalize(name),
            version: version.to_string(),
            path: PathBuf::from("requirements.txt"),
            line: 1,
        }
    }

    /// The advisory ids affecting `name==version`.
    fn ids(db: &Database, name: &str, version: &str) -> Vec<String> {
        let result = audit(&[pin(name, version)], db);
        result
            .findings
            .iter()
            .flat_map(|f| f.vulnerabilities.iter().map(|v| v.id.clone()))
            .collect()
    }

    #[test]
    fn introduced_fixed_and_several_ranges() {
        let db = database();
        // TEST-RANGES: [0, 1.2.3) and [2.0, 2.1.1), one range of two intervals and one more.
        for (version, hit) in [
            ("0.1", true),
            ("1.2.2", true),
            ("1.2.3", false),
            ("1.5", false),
            ("2.0", true),
            ("2.0.0", true),
            ("2.1.0", true),
            ("2.1.1", false),
            ("3.0.0", true), // the second range: introduced 3.0, fixed 3.0.2
            ("3.0.2", false),
        ] {
            let found = ids(&db, "Example_Pkg", version).contains(&"TEST-RANGES".to_string());
            assert_eq!(found, hit, "example-pkg {version}");
        }
    }

    #[test]
    fn pre_post_dev_local_and_epoch_releases_are_ordered_as_pep_440() {
        let db = database();
        // TEST-PEP440: introduced 1.0, fixed 1.1rc1 ; introduced 1!0.5, fixed 1!0.6.
        for (version, hit) in [
            ("1.0.dev1", false), // before 1.0
            ("1.0", true),
            ("1.0.post1", true),
            ("1.1.dev0", true), // before 1.1rc1
            ("1.1a1", true),
            ("1.1rc1", false),
            ("1.0+ubuntu1", true), // local versions sort just after their public version
            ("1!0.4", false),
            ("1!0.5.1", true), // epoch 1 outranks every epoch-0 version
            ("1!0.6", false),
            ("0.5.1", false),
        ] {
            let found = ids(&db, "pep440-pkg", version).contains(&"TEST-PEP440".to_string());
            assert_eq!(found, hit, "pep440-pkg {version}");
        }
    }

    #[test]
    fn last_affected_includes_its_own_version() {
        let db = database();
        for (version, hit) in [
            ("0.9", false),
            ("1.0", true),
            ("1.4", true),
            ("1.4.0", true),
            ("1.4.1", false),
        ] {
            let found = ids(&db, "last-pkg", version).contains(&"TEST-LAST".to_string());
            assert_eq!(found, hit, "last-pkg {version}");
        }
    }

    #[test]
    fn versions_lists_match_as_pep_440_and_git_ranges_are_ignored() {
        let db = database();
        // TEST-VERSIONS lists 3.2 and 4.0.1 only.
        assert_eq!(ids(&db, "listed-pkg", "3.2.0"), ["TEST-VERSIONS"]);
        assert_eq!(ids(&db, "listed-pkg", "3.2"), ["TEST-VERSIONS"]);
        assert_eq!(ids(&db, "listed-pkg", "3.2+local"), ["TEST-VERSIONS"]);
        assert!(ids(&db, "listed-pkg", "3.2.1").is_empty());
        // TEST-GIT: a GIT range from commit 0 (would match everything) and an ECOSYSTEM
        // range [5.0, 5.1).
        assert_eq!(ids(&db, "git-pkg", "5.0.3"), ["TEST-GIT"]);
        assert!(ids(&db, "git-pkg", "4.0").is_empty());
    }

    #[test]
    fn withdrawn_advisories_never_match() {
        let db = database();
        assert!(ids(&db, "withdrawn-pkg", "1.0").is_empty());
    }

    #[test]
    fn the_fix_is_the_smallest_fixed_version_no_advisory_affects() {
        let db = database();
        // fix-pkg: TEST-FIX-A fixed in 2.0.1 and 2.1.0; TEST-FIX-B affects [2.0.1, 2.0.5).
        let result = audit(&[pin("fix-pkg", "2.0.0")], &db);
        let finding = &result.findings[0];
        assert_eq!(finding.vulnerabilities.len(), 1);
        assert_eq!(finding.vulnerabilities[0].fix.as_deref(), Some("2.0.1"));
        assert_eq!(finding.fix.as_deref(), Some("2.0.5"));
        let fixed: Vec<&str> = finding.vulnerabilities[0]
            .fixed
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(fixed, ["2.0.1", "2.1.0"]);
        // Severity comes from the CVSS v3 vector: 9.8, critical.
        assert_eq!(finding.vulnerabilities[0].severity.level, Level::Critical);
        assert_eq!(result.counts.critical, 1);
        // last-pkg has no fixed version at all.
        let result = audit(&[pin("last-pkg", "1.0")], &db);
        assert_eq!(result.findings[0].fix, None);
    }

    #[test]
    fn pins_in_several_files_are_one_finding_with_several_locations() {
        let db = database();
        let mut second = pin("Example-Pkg", "1.0");
        second.path = PathBuf::from("uv.lock");
        second.line = 7;
        let result = audit(
            &[pin("example_pkg", "1.0"), second, pin("unrelated", "1.0")],
            &db,
        );
        assert_eq!(result.audited, 2);
        assert_eq!(result.findings.len(), 1);
        assert_eq!(result.findings[0].locations.len(), 2);
    }

    #[test]
    fn unknown_severity_reaches_every_threshold() {
        assert!(reaches(Level::Unknown, Level::Critical));
        assert!(reaches(Level::High, Level::Medium));
        assert!(!reaches(Level::Low, Level::Medium));
    }
}
