//! `archlint report`: the whole review in one pass. One discovery and one parse per file: the
//! rules, the complexity metrics and the type coverage read the same tree; the project model
//! the project-wide rules use gives the graph and dependency facts; then the optional parts
//! whose input is present (the vulnerability audit with a lock file and an advisory database,
//! the built distributions in `dist/`), each reported as not checked when it is absent.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use archlint_analysis::Project;
use archlint_analysis::audit::{self, osv::Database, pins};
use archlint_analysis::deps::declared::DeclaredKind;
use archlint_analysis::graph::render::{self, ViewOptions};
use archlint_analysis::metrics::BlockKind;
use archlint_analysis::types::{self as types_analysis, FileTypes, coverage};
use archlint_project::distribution_name::normalize;
use archlint_project::options::display_path;
use archlint_project::settings::Settings;
use archlint_report::baseline;
use archlint_report::review::{
    AuditSummary, ChapterReview, ComplexFunction, ComplexitySummary, ContractCounts, DependencyRow,
    DependencySummary, Finding, GraphSummary, ModuleCompleteness, NotChecked, PackageCoupling,
    PackageEdge, PackageGraph, PackageNode, ProjectFacts, PythonRange, Review, RoleSize, RuleDoc,
    SCHEMA_VERSION, TypesSummary, VulnerabilityRef, score,
};
use archlint_rules::Check;
use archlint_rules::dispatch::Dispatch;
use archlint_rules::registry;
use archlint_source::parse::ParsedFile;
use archlint_vocabulary::diagnostic::Diagnostic;
use archlint_vocabulary::{Chapter, Role, rule};

/// The folded package graph stays readable up to this many packages.
const GRAPH_NODES: usize = 40;
/// How many of each ranking the facts list.
const LISTED: usize = 10;

/// What `archlint report` reads besides the project: where the advisories and the built
/// distributions are (`None`: absent, noted as not checked).
pub struct ReportInputs<'a> {
    pub paths: &'a [PathBuf],
    pub settings: &'a Settings,
    pub database: Option<PathBuf>,
    pub dist: Option<PathBuf>,
}

/// What the per-file hook keeps of each file.
struct FileFacts {
    role: Role,
    lines: usize,
    /// Package code only.
    complexity: Option<FileComplexity>,
    types: Option<FileTypes>,
}

struct FileComplexity {
    path: PathBuf,
    maintainability_rank: char,
    /// The functions and methods radon lists: (name, line, cyclomatic, cognitive, rank).
    functions: Vec<(String, u32, u32, u32, char)>,
}

/// What the review takes from the project model while it exists.
#[derive(Default)]
struct ProjectPart {
    name: Option<String>,
    requires_python: Option<String>,
    classifiers: Vec<String>,
    graph: GraphSummary,
    contracts_not_checked: Vec<NotChecked>,
    rows: Vec<DependencyRow>,
}

/// Reviews the project: every selected rule, the metrics and the facts.
pub fn review(inputs: &ReportInputs, progress: &(dyn Fn() + Sync)) -> Review {
    let settings = inputs.settings;
    let each = |file: &ParsedFile| file_facts(file, settings);
    let mut part = ProjectPart::default();
    let (outcome, files) =
        super::check_each(inputs.paths, settings, progress, &each, &mut |project| {
            part = project_part(project)
        });
    let mut not_checked = Vec::new();
    let mut diagnostics = outcome.diagnostics;
    let root = std::path::absolute(&settings.root).unwrap_or_else(|_| settings.root.clone());

    let mut dependencies = DependencySummary {
        rows: part.rows,
        audit: None,
    };
    audit_pins(inputs, &root, &mut dependencies, &mut not_checked);
    diagnostics.extend(check_distributions(inputs, &mut not_checked));
    archlint_vocabulary::diagnostic::sort(&mut diagnostics);

    // What the package needs decides the supported range; tests, docs and scripts do not.
    let (code_minimum, decided_by) = archlint_report::versions::project_minimum(
        outcome.modules.iter().filter(|m| m.role == Role::Package),
    );
    let decided_by = decided_by.map(|place| {
        let root = format!("{}/", display_path(&settings.root).display());
        place
            .strip_prefix(&root)
            .map_or(place.clone(), str::to_string)
    });
    let mut facts = ProjectFacts {
        name: part.name.unwrap_or_else(|| {
            root.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| ".".to_string())
        }),
        root: display_path(&settings.root).display().to_string(),
        roles: roles(&files),
        python: PythonRange {
            requires_python: part.requires_python,
            oldest_supported: format!(
                "{}.{}",
                settings.rule_options.target.0, settings.rule_options.target.1
            ),
            classifiers: part.classifiers,
            code_minimum,
            decided_by,
        },
        graph: part.graph,
        types: None,
        dependencies,
        complexity: complexity(&files),
    };
    let (types, files) = types_summary(files);
    facts.types = types;
    not_checked.extend(part.contracts_not_checked);

    let (findings, tool_problems) = findings(&diagnostics, &root);
    not_checked.extend(tool_problems);
    let rules = rule_docs(&findings);
    let chapters = chapters(settings, &files, &findings, &facts, &not_checked);
    Review {
        version: SCHEMA_VERSION,
        archlint: env!("CARGO_PKG_VERSION").to_string(),
        project: facts,
        chapters,
        findings,
        rules,
        not_checked,
        trend: None,
    }
}

fn file_facts(file: &ParsedFile, settings: &Settings) -> FileFacts {
    let package = file.role == Role::Package;
    let stub = file.path.extension().is_some_and(|e| e == "pyi");
    let complexity = (package && !stub).then(|| {
        let measured = archlint_analysis::metrics::measure(file);
        FileComplexity {
            path: file.path.to_path_buf(),
            maintainability_rank: measured.mi_rank,
            functions: measured
                .blocks
                .iter()
                .filter(|b| b.top_level && b.kind != BlockKind::Class)
                .map(|b| (b.name.clone(), b.line, b.complexity, b.cognitive, b.rank))
                .collect(),
        }
    });
    FileFacts {
        role: file.role,
        lines: file.source.lines().count(),
        complexity,
        types: package.then(|| types_analysis::read(file, settings, false)),
    }
}

fn project_part(project: &Project) -> ProjectPart {
    let pyproject = project.pyproject();
    let string = |keys: &[&str]| {
        pyproject
            .and_then(|file| file.string(keys))
            .map(|(text, _)| text.to_string())
    };
    let classifiers = pyproject
        .and_then(|file| file.item(&["project", "classifiers"]))
        .and_then(|item| item.as_array())
        .map(|array| {
            array
                .iter()
                .filter_map(|value| value.as_str())
                .filter_map(|c| c.strip_prefix("Programming Language :: Python :: "))
                .filter(|version| version.starts_with("3.") || *version == "3")
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let (contracts, contracts_not_checked) = contracts(project);
    ProjectPart {
        name: string(&["project", "name"]),
        requires_python: string(&["project", "requires-python"]),
        classifiers,
        graph: GraphSummary {
            contracts,
            ..graph(project)
        },
        contracts_not_checked,
        rows: dependency_rows(project),
    }
}

fn graph(project: &Project) -> GraphSummary {
    let graph = &project.graph;
    let modules = (0..graph.nodes.len())
        .filter(|&n| graph.is_project(n))
        .count();
    let imports = graph
        .edges
        .iter()
        .filter(|e| graph.is_project(e.from) && graph.is_project(e.to))
        .count();
    let cycles = project.cycles();
    let largest = cycles.iter().max_by_key(|c| c.members.len());
    let largest_cycle = largest
        .map(|cycle| {
            let mut names: Vec<String> = cycle
                .shortest
                .iter()
                .map(|edge| graph.nodes[edge.from].name.clone())
                .collect();
            if let Some(first) = names.first().cloned() {
                names.push(first);
            }
            names
        })
        .unwrap_or_default();
    let mut coupling: Vec<PackageCoupling> = project
        .metrics()
        .iter()
        .filter(|m| m.afferent + m.efferent > 0 && m.distance > 0.0)
        .map(|m| PackageCoupling {
            package: m.package.clone(),
            afferent: m.afferent,
            efferent: m.efferent,
            instability: m.instability,
            abstractness: m.abstractness,
            distance: m.distance,
        })
        .collect();
    coupling.sort_by(|a, b| {
        b.distance
            .total_cmp(&a.distance)
            .then_with(|| a.package.cmp(&b.package))
    });
    coupling.truncate(LISTED);
    GraphSummary {
        modules,
        imports,
        cycles: cycles.len(),
        largest_cycle,
        largest_cycle_modules: largest.map_or(0, |c| c.members.len()),
        farthest_from_main_sequence: coupling,
        contracts: ContractCounts::default(),
        packages: package_graph(project),
    }
}

/// The project's packages (tests, docs and scripts left out) folded to the deepest level
/// that stays readable.
fn package_graph(project: &Project) -> PackageGraph {
    let graph = &project.graph;
    let shipped: Vec<&str> = (0..graph.nodes.len())
        .filter(|&n| graph.is_project(n))
        .filter(|&n| {
            graph.nodes[n]
                .facts
                .is_some_and(|i| project.modules[i].role == Role::Package)
        })
        .map(|n| graph.nodes[n].name.as_str())
        .collect();
    // The modules each folded name stands for, at a depth.
    let folded_at = |depth: usize| {
        let mut folded: FxHashMap<String, usize> = FxHashMap::default();
        for name in &shipped {
            let name: Vec<&str> = name.split('.').take(depth).collect();
            *folded.entry(name.join(".")).or_default() += 1;
        }
        folded
    };
    let mut depth = 1;
    let mut folded = folded_at(depth);
    while depth < 6 {
        let deeper = folded_at(depth + 1);
        if deeper.len() > GRAPH_NODES || deeper.len() == folded.len() {
            break;
        }
        depth += 1;
        folded = deeper;
    }
    let view = render::view(
        graph,
        project.root(),
        &[],
        None,
        &[],
        &ViewOptions {
            focus: None,
            collapse: Some(depth),
            include_external: false,
        },
    );
    let mut names: Vec<&String> = folded.keys().collect();
    names.sort();
    let index: FxHashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    let mut edges: Vec<PackageEdge> = view
        .edges
        .iter()
        .filter_map(|e| {
            let (from, to) = (*index.get(e.from.as_str())?, *index.get(e.to.as_str())?);
            (from != to).then_some(PackageEdge {
                from,
                to,
                imports: e.imports,
            })
        })
        .collect();
    edges.sort_by_key(|e| (e.from, e.to));
    let mut successors = vec![Vec::new(); names.len()];
    for edge in &edges {
        successors[edge.from].push(edge.to);
    }
    let mut in_cycle = vec![false; names.len()];
    for component in
        archlint_analysis::graph::cycles::components(names.len(), |n| successors[n].clone())
    {
        if component.len() > 1 {
            component.iter().for_each(|&n| in_cycle[n] = true);
        }
    }
    PackageGraph {
        depth,
        nodes: names
            .iter()
            .enumerate()
            .map(|(i, name)| PackageNode {
                name: name.to_string(),
                modules: folded[*name],
                in_cycle: in_cycle[i],
            })
            .collect(),
        edges,
    }
}

fn contracts(project: &Project) -> (ContractCounts, Vec<NotChecked>) {
    let mut counts = ContractCounts::default();
    let mut not_checked = Vec::new();
    for contract in project.contracts() {
        let location = contract
            .declared
            .as_ref()
            .map(|d| format!("{}:{}", display_path(&d.path).display(), d.line));
        if let Some(why) = &contract.not_checked {
            counts.not_checked += 1;
            not_checked.push(NotChecked {
                chapter: Some(Chapter::Architecture.name().to_string()),
                what: format!("contract `{}`", contract.name),
                why: why.clone(),
                location,
            });
        } else if contract.violations.is_empty() {
            counts.kept += 1;
        } else {
            counts.broken += 1;
        }
    }
    (counts, not_checked)
}

fn dependency_rows(project: &Project) -> Vec<DependencyRow> {
    project
        .dependencies()
        .rows
        .iter()
        .map(|row| DependencyRow {
            name: row.name.clone(),
            declared_in: row
                .kinds
                .iter()
                .map(|kind| match kind {
                    DeclaredKind::Runtime => "runtime".to_string(),
                    DeclaredKind::Extra(extra) => format!("extra `{extra}`"),
                    DeclaredKind::Dev(group) => format!("dev `{group}`"),
                })
                .collect(),
            imported: row.imported_by + row.imported_by_dev_code > 0,
            ..DependencyRow::default()
        })
        .collect()
}

/// The pinned versions and, with an advisory database, their vulnerabilities.
fn audit_pins(
    inputs: &ReportInputs,
    root: &Path,
    dependencies: &mut DependencySummary,
    not_checked: &mut Vec<NotChecked>,
) {
    let chapter = Some(Chapter::Dependencies.name().to_string());
    let mut pinned = Vec::new();
    let files = pins::discover(root);
    for file in &files {
        match pins::read(&display_path(file)) {
            Ok(found) => pinned.extend(found),
            Err(why) => not_checked.push(NotChecked {
                chapter: chapter.clone(),
                what: "lock file".to_string(),
                why,
                location: Some(display_path(file).display().to_string()),
            }),
        }
    }
    let mut row_of: FxHashMap<String, usize> = dependencies
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| (normalize(&row.name), i))
        .collect();
    for pin in &pinned {
        if let Some(&i) = row_of.get(&pin.normalized) {
            dependencies.rows[i]
                .pinned
                .get_or_insert_with(|| pin.version.clone());
        }
    }
    if files.is_empty() {
        not_checked.push(NotChecked {
            chapter,
            what: "vulnerability audit".to_string(),
            why: "no lock file (uv.lock, poetry.lock, pdm.lock, pylock.toml) or pinned requirements*.txt".to_string(),
            location: None,
        });
        return;
    }
    let Some(path) = &inputs.database else {
        not_checked.push(NotChecked {
            chapter,
            what: "vulnerability audit".to_string(),
            why: "no advisory database: run `archlint deps --update-db`, or pass `--db PATH`"
                .to_string(),
            location: None,
        });
        return;
    };
    let database = match Database::load(&display_path(path)) {
        Ok(database) => database,
        Err(error) => {
            not_checked.push(NotChecked {
                chapter,
                what: "vulnerability audit".to_string(),
                why: format!("the advisory database cannot be read: {error}"),
                location: Some(display_path(path).display().to_string()),
            });
            return;
        }
    };
    let result = audit::audit(&pinned, &database);
    for vulnerable in &result.findings {
        let index = *row_of
            .entry(vulnerable.normalized.clone())
            .or_insert_with(|| {
                dependencies.rows.push(DependencyRow {
                    name: vulnerable.package.clone(),
                    declared_in: vec!["lock file only".to_string()],
                    pinned: Some(vulnerable.version.clone()),
                    ..DependencyRow::default()
                });
                dependencies.rows.len() - 1
            });
        let row = &mut dependencies.rows[index];
        row.vulnerabilities = vulnerable
            .vulnerabilities
            .iter()
            .map(|v| VulnerabilityRef {
                id: v.id.clone(),
                severity: v.severity.level.name().to_string(),
                summary: v.summary.clone(),
            })
            .collect();
        row.fix = vulnerable.fix.clone();
    }
    let counts = &result.counts;
    dependencies.audit = Some(AuditSummary {
        database: format!(
            "{}{}",
            database.source.display(),
            database
                .updated
                .map(|t| format!(", as of {}", audit::osv::format_date(t)))
                .unwrap_or_default()
        ),
        pins: result.audited,
        vulnerable: result.findings.len(),
        critical: counts.critical,
        high: counts.high,
        medium: counts.medium,
        low: counts.low,
        unknown: counts.unknown,
    });
}

/// The selected distribution rules on the wheels and sdists of `dist/`, when there are any.
fn check_distributions(
    inputs: &ReportInputs,
    not_checked: &mut Vec<NotChecked>,
) -> Vec<Diagnostic> {
    let chapter = Some(Chapter::Packaging.name().to_string());
    let Some(folder) = &inputs.dist else {
        not_checked.push(NotChecked {
            chapter,
            what: "built distributions".to_string(),
            why: "no `dist/` folder: build the wheel and sdist first, or pass `--dist DIR`"
                .to_string(),
            location: None,
        });
        return Vec::new();
    };
    let distributions = match archlint_dist::collect(std::slice::from_ref(folder)) {
        Ok(found) if !found.is_empty() => found,
        Ok(_) => {
            not_checked.push(NotChecked {
                chapter,
                what: "built distributions".to_string(),
                why: "no wheel or sdist in the folder".to_string(),
                location: Some(display_path(folder).display().to_string()),
            });
            return Vec::new();
        }
        Err(error) => {
            not_checked.push(NotChecked {
                chapter,
                what: "built distributions".to_string(),
                why: format!("{error:#}"),
                location: Some(display_path(folder).display().to_string()),
            });
            return Vec::new();
        }
    };
    // Only the distribution rules: the check pass ran the `pyproject.toml` ones already.
    let rules: Vec<_> = registry::selected(&inputs.settings.rules)
        .into_iter()
        .filter(|r| matches!(r.check, Check::Distribution { .. }))
        .collect();
    super::package::verify(&distributions, inputs.settings, &Dispatch::new(&rules)).diagnostics
}

fn roles(files: &[FileFacts]) -> Vec<RoleSize> {
    Role::ALL
        .iter()
        .filter_map(|&role| {
            let of_role: Vec<&FileFacts> = files.iter().filter(|f| f.role == role).collect();
            (!of_role.is_empty()).then(|| RoleSize {
                role: role.name().to_string(),
                files: of_role.len(),
                lines: of_role.iter().map(|f| f.lines).sum(),
            })
        })
        .collect()
}

fn complexity(files: &[FileFacts]) -> ComplexitySummary {
    let mut summary = ComplexitySummary::default();
    let mut total = 0u64;
    let mut worst = Vec::new();
    for file in files.iter().filter_map(|f| f.complexity.as_ref()) {
        *summary
            .maintainability
            .entry(file.maintainability_rank.to_string())
            .or_default() += 1;
        for (name, line, complexity, cognitive, rank) in &file.functions {
            summary.functions += 1;
            total += u64::from(*complexity);
            *summary.ranks.entry(rank.to_string()).or_default() += 1;
            worst.push(ComplexFunction {
                name: name.clone(),
                path: display_path(&file.path).display().to_string(),
                line: *line as usize,
                complexity: *complexity,
                cognitive: *cognitive,
                rank: rank.to_string(),
            });
        }
    }
    if summary.functions > 0 {
        summary.average = score_round(total as f64 / summary.functions as f64);
    }
    worst.sort_by(|a, b| {
        b.complexity
            .cmp(&a.complexity)
            .then_with(|| (&a.path, a.line).cmp(&(&b.path, b.line)))
    });
    worst.truncate(LISTED);
    summary.worst = worst;
    summary
}

fn score_round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Annotation coverage and public-API completeness of the package code; the files are given
/// back without their type facts.
fn types_summary(mut files: Vec<FileFacts>) -> (Option<TypesSummary>, Vec<FileFacts>) {
    let read: Vec<FileTypes> = files.iter_mut().filter_map(|f| f.types.take()).collect();
    if read.is_empty() {
        return (None, files);
    }
    let run = types_analysis::assemble(read, Vec::new());
    let report = coverage::measure(&run.modules);
    let totals = &report.project;
    let annotated = totals.all.parameters.annotated + totals.all.returns.annotated;
    let annotatable = totals.all.parameters.total + totals.all.returns.total;
    if annotatable == 0 && totals.completeness.total() == 0 {
        return (None, files);
    }
    let mut least: Vec<ModuleCompleteness> = report
        .modules
        .iter()
        .filter(|m| m.completeness.total() > 0)
        .map(|m| ModuleCompleteness {
            module: m.module.clone(),
            completeness: score_round(m.completeness.score()),
            symbols: m.completeness.total(),
        })
        .collect();
    least.sort_by(|a, b| {
        a.completeness
            .total_cmp(&b.completeness)
            .then_with(|| b.symbols.cmp(&a.symbols))
            .then_with(|| a.module.cmp(&b.module))
    });
    least.truncate(LISTED);
    let summary = TypesSummary {
        coverage: if annotatable == 0 {
            100.0
        } else {
            score_round(100.0 * annotated as f64 / annotatable as f64)
        },
        completeness: score_round(totals.completeness.score()),
        public_symbols: totals.completeness.total(),
        public_known: totals.completeness.known,
        least_complete: least,
    };
    (Some(summary), files)
}

/// The findings of the review, and the files archlint could not check (its own `SYN`, `IO`
/// and `INT` diagnostics, which are about the tool's reach, not the project's quality).
fn findings(diagnostics: &[Diagnostic], root: &Path) -> (Vec<Finding>, Vec<NotChecked>) {
    // The frames of findings made without the source at hand (project-wide rules,
    // `pyproject.toml` and lock files) are read with their fingerprints.
    let fingerprints = baseline::fingerprints_with(diagnostics, root, |d, lines| {
        d.snippet.is_none().then(|| frame(d, lines)).flatten()
    });
    let mut findings = Vec::with_capacity(diagnostics.len());
    let mut not_checked = Vec::new();
    for (d, (fingerprint, frame)) in diagnostics.iter().zip(fingerprints) {
        if d.chapter == Chapter::Tool && !d.code.starts_with("SUP") {
            not_checked.push(NotChecked {
                chapter: None,
                what: format!("{} ({})", d.name, d.code),
                why: d.message.clone(),
                location: Some(format!("{}:{}", fingerprint.path, d.start.line)),
            });
            continue;
        }
        let confidence = d.confidence.map(|c| c.name().to_string());
        findings.push(Finding {
            code: d.code.to_string(),
            name: d.name.to_string(),
            chapter: d.chapter.name().to_string(),
            severity: d.severity.name().to_string(),
            weight: score::weight(
                d.severity.name(),
                confidence.as_deref(),
                d.rule.default_enabled,
            ),
            confidence,
            path: fingerprint.path,
            line: d.start.line,
            column: d.start.column,
            end_line: d.end.line,
            end_column: d.end.column,
            message: d.message.clone(),
            role: d.role.map(|r| r.name().to_string()),
            frame: match &d.snippet {
                Some(snippet) => snippet.lines.clone(),
                None => frame.unwrap_or_default(),
            },
            frame_line: d.snippet.as_ref().map_or(d.start.line, |s| s.first_line),
            text: fingerprint.text,
            context: fingerprint.context,
        });
    }
    (findings, not_checked)
}

/// The flagged lines (at most four) of a finding, or `None` when they are not text (the
/// distribution rules point into wheels and sdists).
fn frame(d: &Diagnostic, lines: &[&str]) -> Option<Vec<String>> {
    const MAX_LINES: usize = 4;
    let first = d.start.line.checked_sub(1)?;
    let last = d.end.line.clamp(d.start.line, d.start.line + MAX_LINES - 1);
    let frame = lines.get(first..last.min(lines.len()))?;
    (!frame.iter().any(|line| line.contains('\0')))
        .then(|| frame.iter().map(|line| line.to_string()).collect())
}

fn rule_docs(findings: &[Finding]) -> std::collections::BTreeMap<String, RuleDoc> {
    let mut docs = std::collections::BTreeMap::new();
    for finding in findings {
        if docs.contains_key(&finding.code) {
            continue;
        }
        let Some(rule) = registry::catalogue().find(&finding.code) else {
            continue;
        };
        let text = rule.docs();
        let section = |heading| {
            rule::section(&text, heading)
                .unwrap_or_default()
                .to_string()
        };
        docs.insert(
            finding.code.clone(),
            RuleDoc {
                name: rule.name.to_string(),
                chapter: rule.chapter().name().to_string(),
                summary: rule.summary(),
                what: section("What it does"),
                why: section("Why it matters"),
                fix: section("Use instead"),
                default_enabled: rule.default_enabled,
            },
        );
    }
    docs
}

/// One review per chapter of the guide, then dependencies and architecture.
fn chapters(
    settings: &Settings,
    files: &[FileFacts],
    findings: &[Finding],
    facts: &ProjectFacts,
    not_checked: &[NotChecked],
) -> Vec<ChapterReview> {
    Chapter::ALL
        .iter()
        .filter(|&&chapter| chapter != Chapter::Tool)
        .map(|&chapter| {
            let roles = chapter.default_roles();
            let lines = files
                .iter()
                .filter(|f| roles.contains(f.role))
                .map(|f| f.lines)
                .sum();
            let key = chapter.name().to_string();
            let mut gaps: Vec<NotChecked> = not_checked
                .iter()
                .filter(|n| n.chapter.as_deref() == Some(key.as_str()))
                .cloned()
                .collect();
            let rules_run = settings
                .rules
                .rules
                .iter()
                .filter(|r| r.chapter() == chapter)
                .count();
            if rules_run == 0 {
                gaps.push(NotChecked {
                    chapter: Some(key.clone()),
                    what: "every rule of the chapter".to_string(),
                    why: "none is selected, or archlint has none yet".to_string(),
                    location: None,
                });
            } else if chapter == Chapter::Testing && lines == 0 {
                gaps.push(NotChecked {
                    chapter: Some(key.clone()),
                    what: "test suite".to_string(),
                    why: "no file has the tests role".to_string(),
                    location: None,
                });
            }
            let mut review = ChapterReview {
                key,
                prefix: chapter.prefix().to_string(),
                title: chapter.title().to_string(),
                section: chapter.guide_section().to_string(),
                lines,
                rules_run,
                not_checked: gaps,
                ..ChapterReview::default()
            };
            score::score_chapter(&mut review, findings, facts);
            review
        })
        .collect()
}
