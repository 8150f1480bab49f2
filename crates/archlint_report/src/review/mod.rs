//! `archlint report`: the whole review as one document. [`Review`] is the data (its JSON is
//! the `json` format, schema in `docs/report.md`); the other formats (text, Markdown, HTML)
//! are rendered from it, and `--compare` reads a previous JSON back into it.
//!
//! The pipeline fills the review from one pass over the project; this module knows nothing
//! of how: it scores the chapters ([`score`]), compares two reviews ([`compare`]) and renders.

pub mod compare;
pub mod html;
pub mod markdown;
pub mod score;
pub mod text;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The version of the JSON document; a reader refuses another.
pub const SCHEMA_VERSION: u32 = 1;

/// The review of one project.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Review {
    pub version: u32,
    /// The archlint version that wrote it.
    pub archlint: String,
    pub project: ProjectFacts,
    /// One per chapter, in the guide's order, architecture and dependencies included.
    pub chapters: Vec<ChapterReview>,
    /// Every finding, sorted by path, line, column and code.
    pub findings: Vec<Finding>,
    /// The documentation of every rule with a finding, by code.
    pub rules: BTreeMap<String, RuleDoc>,
    /// What was not checked, and why: files archlint could not read or parse, optional parts
    /// without their input, contracts it cannot evaluate.
    pub not_checked: Vec<NotChecked>,
    /// The change since `--compare`'s review, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trend: Option<Trend>,
}

/// What the project is: its size, the Pythons it supports, its import graph, its types, its
/// dependencies and its complexity.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ProjectFacts {
    /// `[project] name`, else the folder's name.
    pub name: String,
    /// The folder, as given on the command line.
    pub root: String,
    /// Files and lines per code role (package, tests, test-data, docs, scripts, stubs),
    /// roles without files left out.
    pub roles: Vec<RoleSize>,
    pub python: PythonRange,
    pub graph: GraphSummary,
    /// `None` when no file of the package role has any function or class.
    pub types: Option<TypesSummary>,
    pub dependencies: DependencySummary,
    pub complexity: ComplexitySummary,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RoleSize {
    pub role: String,
    pub files: usize,
    /// Physical lines.
    pub lines: usize,
}

/// The supported Python range and what decides its lower end.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PythonRange {
    /// `[project] requires-python`, as written.
    pub requires_python: Option<String>,
    /// The oldest Python the configuration says the project supports (`3.9`).
    pub oldest_supported: String,
    /// The Python versions of the `Programming Language :: Python :: 3.x` classifiers.
    pub classifiers: Vec<String>,
    /// The oldest Python the code itself runs on: the highest minimum of its files.
    pub code_minimum: Option<String>,
    /// The feature and place that decide `code_minimum` (`path:line: the match statement`).
    pub decided_by: Option<String>,
}

/// The import graph in brief, and the packages drawn in the HTML.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct GraphSummary {
    pub modules: usize,
    /// Imports between the project's own modules.
    pub imports: usize,
    /// Components of the graph that hold a cycle.
    pub cycles: usize,
    /// The shortest cycle through the largest such component (first module repeated last).
    pub largest_cycle: Vec<String>,
    /// How many modules that component holds.
    pub largest_cycle_modules: usize,
    /// The packages farthest from the main sequence (|A + I − 1|), farthest first.
    pub farthest_from_main_sequence: Vec<PackageCoupling>,
    pub contracts: ContractCounts,
    /// The project's packages folded to a readable depth, with the imports between them.
    pub packages: PackageGraph,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PackageCoupling {
    pub package: String,
    pub afferent: usize,
    pub efferent: usize,
    pub instability: f64,
    pub abstractness: f64,
    pub distance: f64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ContractCounts {
    pub kept: usize,
    pub broken: usize,
    pub not_checked: usize,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PackageGraph {
    /// The depth the modules were folded to (`1`: top-level packages).
    pub depth: usize,
    pub nodes: Vec<PackageNode>,
    pub edges: Vec<PackageEdge>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PackageNode {
    pub name: String,
    /// How many modules it folds.
    pub modules: usize,
    /// Whether it is part of an import cycle at this depth.
    pub in_cycle: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PackageEdge {
    /// Indices into `nodes`.
    pub from: usize,
    pub to: usize,
    /// How many module imports it stands for.
    pub imports: usize,
}

/// Annotation coverage and public-API completeness (`archlint types`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TypesSummary {
    /// Percentage of parameters and returns annotated, in every function of the package.
    pub coverage: f64,
    /// Percentage of public symbols whose types are fully known.
    pub completeness: f64,
    pub public_symbols: usize,
    pub public_known: usize,
    /// The least complete modules, least first.
    pub least_complete: Vec<ModuleCompleteness>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ModuleCompleteness {
    pub module: String,
    pub completeness: f64,
    pub symbols: usize,
}

/// The declared dependencies with what the code imports and, when audited, their
/// vulnerabilities.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DependencySummary {
    pub rows: Vec<DependencyRow>,
    /// `None` when not audited (no lock file or no advisory database: see `not_checked`).
    pub audit: Option<AuditSummary>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DependencyRow {
    /// The distribution name as declared.
    pub name: String,
    /// Where it is declared: `project`, an extra, a group, `requirements.txt`…
    pub declared_in: Vec<String>,
    /// Whether the code imports it.
    pub imported: bool,
    /// The pinned version, when a lock file or `==` requirement pins it.
    pub pinned: Option<String>,
    pub vulnerabilities: Vec<VulnerabilityRef>,
    /// The smallest version that fixes all of them.
    pub fix: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct VulnerabilityRef {
    pub id: String,
    /// `critical`, `high`, `medium`, `low` or `unknown`.
    pub severity: String,
    pub summary: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AuditSummary {
    /// The advisory database, and its date.
    pub database: String,
    /// Distinct pinned versions audited.
    pub pins: usize,
    /// Of which vulnerable.
    pub vulnerable: usize,
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub unknown: usize,
}

/// radon's cyclomatic complexity and maintainability index over the package.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ComplexitySummary {
    /// Functions and methods measured.
    pub functions: usize,
    pub average: f64,
    /// How many functions have each rank, `A` to `F`.
    pub ranks: BTreeMap<String, usize>,
    /// The most complex functions, most first.
    pub worst: Vec<ComplexFunction>,
    /// How many modules have each maintainability rank, `A` to `C`.
    pub maintainability: BTreeMap<String, usize>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ComplexFunction {
    pub name: String,
    pub path: String,
    pub line: usize,
    pub complexity: u32,
    pub cognitive: u32,
    pub rank: String,
}

/// One chapter's part of the review.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ChapterReview {
    /// The chapter's name as `--select` takes it (`security`).
    pub key: String,
    /// Its rule codes' prefix (`SEC`).
    pub prefix: String,
    pub title: String,
    /// The guide's section (`§8`; `-` for architecture).
    pub section: String,
    /// From 0 to 100; `None` when nothing of the project is this chapter's to check.
    pub score: Option<f64>,
    /// `A` to `F`, or `-` without a score.
    pub grade: String,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// The lines of the code the chapter's rules apply to.
    pub lines: usize,
    /// The findings' weight per 1,000 of those lines (`docs/report.md`).
    pub weighted_per_kloc: f64,
    /// The chapter's metrics that enter its score.
    pub metrics: Vec<ChapterMetric>,
    /// The chapter's worst findings, as indices into `Review::findings`.
    pub top_findings: Vec<usize>,
    /// How many of the chapter's rules ran.
    pub rules_run: usize,
    /// What of this chapter was not checked, and why.
    pub not_checked: Vec<NotChecked>,
}

/// A metric that moves a chapter's score.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ChapterMetric {
    pub name: String,
    /// As shown (`87.5%`, `3 cycles`).
    pub value: String,
    /// The points it takes off (or, for types, the weight it carries), as in `docs/report.md`.
    pub effect: String,
}

/// One finding.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    /// The rule's name (`hardcoded-password-string`).
    pub name: String,
    /// The chapter's key (`security`).
    pub chapter: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// bandit-style confidence (`high`, `medium`, `low`), for the rules that carry one.
    pub confidence: Option<String>,
    /// From the project folder, with `/`.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    /// The code role of the file (`package`, `tests`…).
    pub role: Option<String>,
    /// The weight the finding carries in its chapter's score.
    pub weight: f64,
    /// The flagged lines (at most four), starting at `frame_line`.
    pub frame: Vec<String>,
    pub frame_line: usize,
    /// What `--compare` recognises the finding by (as a baseline does: the flagged line's
    /// text and a hash of its neighbours, never the line number).
    pub text: String,
    pub context: String,
}

/// A rule's documentation, for the findings' explanations.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RuleDoc {
    pub name: String,
    pub chapter: String,
    /// The first sentence of "What it does".
    #[serde(default)]
    pub summary: String,
    /// Its "What it does" section.
    pub what: String,
    /// Its "Why it matters" section.
    pub why: String,
    /// Its "Use instead" section: the fix.
    pub fix: String,
    /// Whether the rule is on by default (measured at least 90% precise on real projects);
    /// the findings of opt-in rules weigh a tenth.
    pub default_enabled: bool,
}

/// Something archlint did not check, and why.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct NotChecked {
    /// The chapter's key, or `None` for the whole project (an unreadable file).
    pub chapter: Option<String>,
    pub what: String,
    pub why: String,
    /// The path (and `:line`) it is about, when there is one.
    pub location: Option<String>,
}

/// The change since a previous review.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Trend {
    /// The archlint version that wrote the previous review.
    pub previous_archlint: String,
    pub scores: Vec<ScoreChange>,
    /// Findings not in the previous review, as indices into `Review::findings`.
    pub new: Vec<usize>,
    /// Findings of the previous review no longer found.
    pub fixed: Vec<FixedFinding>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ScoreChange {
    pub chapter: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
}

impl ScoreChange {
    /// `after − before`, when both are scored.
    pub fn delta(&self) -> Option<f64> {
        Some(self.after? - self.before?)
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FixedFinding {
    pub code: String,
    pub path: String,
    /// Where it was in the previous review.
    pub line: usize,
    pub message: String,
}

impl Review {
    /// The JSON document (the `json` format).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a review serialises");
        text.push('\n');
        text
    }

    /// Reads a review written by `to_json`, refusing another schema version.
    pub fn from_json(text: &str) -> Result<Review, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not a JSON report: {e}"))?;
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(version) if version == u64::from(SCHEMA_VERSION) => {}
            Some(version) => {
                return Err(format!(
                    "a report of schema version {version}; this archlint reads version {SCHEMA_VERSION}"
                ));
            }
            None => return Err("not an archlint report (no `version` field)".to_string()),
        }
        serde_json::from_value(value).map_err(|e| format!("not an archlint report: {e}"))
    }

    /// The chapter with this key.
    pub fn chapter(&self, key: &str) -> Option<&ChapterReview> {
        self.chapters.iter().find(|c| c.key == key)
    }
}

impl ChapterReview {
    /// `§8 Security Architecture`, or the title alone for a chapter outside the guide's list.
    pub fn label(&self) -> String {
        if self.section == "-" {
            self.title.clone()
        } else {
            format!("{} {}", self.section, self.title)
        }
    }

    /// The score as shown: `92.5` or `-`.
    pub fn shown_score(&self) -> String {
        self.score.map_or("-".to_string(), |s| format!("{s:.1}"))
    }
}

impl ProjectFacts {
    /// Files and lines in every role.
    pub fn totals(&self) -> (usize, usize) {
        self.roles
            .iter()
            .fold((0, 0), |(f, l), r| (f + r.files, l + r.lines))
    }
}

impl Finding {
    /// `path:line:column`.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.path, self.line, self.column)
    }
}

/// `+1.5`, `-3.0`, `0.0`, or `new` / `gone` when one side has no score.
pub fn shown_delta(change: &ScoreChange) -> String {
    match (change.before, change.after, change.delta()) {
        (_, _, Some(delta)) => format!("{delta:+.1}"),
        (None, Some(_), None) => "new".to_string(),
        (Some(_), None, None) => "gone".to_string(),
        _ => "-".to_string(),
    }
}

/// `1 finding`, `2 findings`.
pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}
