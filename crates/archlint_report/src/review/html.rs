//! The `html` format of `archlint report`: one self-contained file that works offline and
//! from `file://`.
//!
//! The page is a minijinja template (`html/report.html`, HTML auto-escaping on) with its style
//! and script inlined (`html/report.css`, `html/report.js`). Everything but the findings table
//! is rendered here, so the chapter cards, the project's facts, the import graph and the charts
//! (inline SVG drawn in Rust) show without JavaScript. The table is built by the script from a
//! JSON island (`<script type="application/json" id="review-data">`), written with `<`, `>`,
//! `&`, U+2028 and U+2029 escaped so that no string can end the element. A Content-Security-
//! Policy allows only the inline style and script by their SHA-256 hashes and `data:` images:
//! the page can make no network request, and the browser test checks that it makes none.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use base64::Engine as _;
use minijinja::{Environment, Value, context};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{ChapterMetric, NotChecked, PackageGraph, Review};

const TEMPLATE: &str = include_str!("html/report.html");
const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/report.js");

/// The graph draws at most this many packages (those folding the most modules); more would not
/// be readable.
pub const MAX_GRAPH_NODES: usize = 60;
/// A frame line longer than this is cut in the page (minified code would otherwise swell it).
const FRAME_LINE_CHARS: usize = 240;
/// The fixed findings the trend section lists.
const FIXED_SHOWN: usize = 100;

/// The whole page.
pub fn render(review: &Review) -> String {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    env.add_filter("code_spans", code_spans);
    let template = env
        .template_from_named_str("report.html", TEMPLATE)
        .expect("the report template parses");
    let graph = graph_svg(&review.project.graph.packages);
    template
        .render(context! {
            // Ours alone, with no `"`, `<` or `&`: printed as it is, readable.
            csp => Value::from_safe_string(content_security_policy()),
            style => Value::from_safe_string(STYLE.to_string()),
            script => Value::from_safe_string(SCRIPT.to_string()),
            data => Value::from_safe_string(island(review)),
            archlint => &review.archlint,
            project => Value::from_serialize(project_view(review)),
            chapters => Value::from_serialize(chapter_views(review)),
            findings => review.findings.len(),
            graph_svg => graph.svg.map(Value::from_safe_string),
            graph_note => graph.note,
            graph_edges => Value::from_serialize(graph.edges),
            charts => Value::from_serialize(charts(review)),
            trend => Value::from_serialize(trend_view(review)),
            not_checked => Value::from_serialize(&review.not_checked),
        })
        .expect("the report template renders")
}

/// The policy: nothing but the inline style and script, by hash, and `data:` images.
fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src 'sha256-{}'; script-src 'sha256-{}'; img-src data:; \
         base-uri 'none'; form-action 'none'",
        sha256_base64(STYLE),
        sha256_base64(SCRIPT)
    )
}

fn sha256_base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

// ---------------------------------------------------------------------------------------------
// The JSON island: what the findings table needs, compact (paths and rule codes interned,
// each finding an array).

#[derive(Serialize)]
struct Island<'a> {
    chapters: Vec<IslandChapter<'a>>,
    /// `[code, name, chapter]`, referenced by index.
    codes: Vec<[&'a str; 3]>,
    rules: BTreeMap<&'a str, IslandRule<'a>>,
    paths: Vec<&'a str>,
    /// `[code, severity, path, line, column, message, frame_line, frame, confidence, weight]`.
    findings: Vec<IslandFinding<'a>>,
    /// Indices of the findings new since the compared review.
    new: Vec<usize>,
}

#[derive(Serialize)]
struct IslandChapter<'a> {
    key: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct IslandRule<'a> {
    name: &'a str,
    what: &'a str,
    why: &'a str,
    fix: &'a str,
    default_enabled: bool,
}

#[derive(Serialize)]
struct IslandFinding<'a>(
    usize,
    &'a str,
    usize,
    usize,
    usize,
    &'a str,
    usize,
    Vec<String>,
    Option<&'a str>,
    f64,
);

fn island(review: &Review) -> String {
    let mut codes: Vec<[&str; 3]> = Vec::new();
    let mut code_index: BTreeMap<[&str; 3], usize> = BTreeMap::new();
    let mut paths: Vec<&str> = Vec::new();
    let mut path_index: BTreeMap<&str, usize> = BTreeMap::new();
    let findings = review
        .findings
        .iter()
        .map(|f| {
            let key = [f.code.as_str(), f.name.as_str(), f.chapter.as_str()];
            let code = *code_index.entry(key).or_insert_with(|| {
                codes.push(key);
                codes.len() - 1
            });
            let path = *path_index.entry(f.path.as_str()).or_insert_with(|| {
                paths.push(f.path.as_str());
                paths.len() - 1
            });
            IslandFinding(
                code,
                &f.severity,
                path,
                f.line,
                f.column,
                &f.message,
                f.frame_line,
                f.frame
                    .iter()
                    .map(|line| cut(line, FRAME_LINE_CHARS))
                    .collect(),
                f.confidence.as_deref(),
                (f.weight * 100.0).round() / 100.0,
            )
        })
        .collect();
    let island = Island {
        chapters: review
            .chapters
            .iter()
            .map(|c| IslandChapter {
                key: &c.key,
                title: &c.title,
            })
            .collect(),
        codes,
        rules: review
            .rules
            .iter()
            .map(|(code, doc)| {
                let rule = IslandRule {
                    name: &doc.name,
                    what: &doc.what,
                    why: &doc.why,
                    fix: &doc.fix,
                    default_enabled: doc.default_enabled,
                };
                (code.as_str(), rule)
            })
            .collect(),
        paths,
        findings,
        new: review
            .trend
            .as_ref()
            .map(|t| {
                t.new
                    .iter()
                    .copied()
                    .filter(|&i| i < review.findings.len())
                    .collect()
            })
            .unwrap_or_default(),
    };
    let json = serde_json::to_string(&island).expect("the island serialises");
    escape_script_json(&json)
}

/// JSON that can sit inside a `<script>` element: no `<`, `>` or `&` (so neither `</script>`
/// nor `<!--` can appear) and no U+2028/U+2029. The escapes only occur inside JSON strings,
/// where `\uXXXX` means the same character.
fn escape_script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn cut(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// What the template prints, with the numbers formatted.

#[derive(Serialize)]
struct ProjectView<'a> {
    name: &'a str,
    root: &'a str,
    roles: &'a [super::RoleSize],
    total_files: usize,
    total_lines: usize,
    python: &'a super::PythonRange,
    graph: GraphView<'a>,
    types: Option<TypesView<'a>>,
    dependencies: &'a [super::DependencyRow],
    audit: Option<&'a super::AuditSummary>,
    complexity: ComplexityView<'a>,
}

#[derive(Serialize)]
struct GraphView<'a> {
    modules: usize,
    imports: usize,
    cycles: usize,
    largest_cycle: String,
    largest_cycle_modules: usize,
    farthest: Vec<CouplingView<'a>>,
    contracts: &'a super::ContractCounts,
    depth: usize,
}

#[derive(Serialize)]
struct CouplingView<'a> {
    package: &'a str,
    afferent: usize,
    efferent: usize,
    instability: String,
    abstractness: String,
    distance: String,
}

#[derive(Serialize)]
struct TypesView<'a> {
    coverage: String,
    completeness: String,
    public_symbols: usize,
    public_known: usize,
    least_complete: Vec<(&'a str, String, usize)>,
}

#[derive(Serialize)]
struct ComplexityView<'a> {
    functions: usize,
    average: String,
    worst: &'a [super::ComplexFunction],
}

fn project_view(review: &Review) -> ProjectView<'_> {
    let p = &review.project;
    let g = &p.graph;
    ProjectView {
        name: &p.name,
        root: &p.root,
        roles: &p.roles,
        total_files: p.roles.iter().map(|r| r.files).sum(),
        total_lines: p.roles.iter().map(|r| r.lines).sum(),
        python: &p.python,
        graph: GraphView {
            modules: g.modules,
            imports: g.imports,
            cycles: g.cycles,
            largest_cycle: g.largest_cycle.join(" → "),
            largest_cycle_modules: g.largest_cycle_modules,
            farthest: g
                .farthest_from_main_sequence
                .iter()
                .map(|c| CouplingView {
                    package: &c.package,
                    afferent: c.afferent,
                    efferent: c.efferent,
                    instability: format!("{:.2}", c.instability),
                    abstractness: format!("{:.2}", c.abstractness),
                    distance: format!("{:.2}", c.distance),
                })
                .collect(),
            contracts: &g.contracts,
            depth: g.packages.depth,
        },
        types: p.types.as_ref().map(|t| TypesView {
            coverage: format!("{:.1}%", t.coverage),
            completeness: format!("{:.1}%", t.completeness),
            public_symbols: t.public_symbols,
            public_known: t.public_known,
            least_complete: t
                .least_complete
                .iter()
                .map(|m| {
                    (
                        m.module.as_str(),
                        format!("{:.1}%", m.completeness),
                        m.symbols,
                    )
                })
                .collect(),
        }),
        dependencies: &p.dependencies.rows,
        audit: p.dependencies.audit.as_ref(),
        complexity: ComplexityView {
            functions: p.complexity.functions,
            average: format!("{:.2}", p.complexity.average),
            worst: &p.complexity.worst,
        },
    }
}

#[derive(Serialize)]
struct ChapterView<'a> {
    key: &'a str,
    prefix: &'a str,
    title: &'a str,
    section: &'a str,
    score: Option<String>,
    grade: &'a str,
    /// The grade as a CSS class (`grade-a`…, `grade-none`).
    grade_class: String,
    errors: usize,
    warnings: usize,
    infos: usize,
    findings: usize,
    lines: usize,
    per_kloc: String,
    metrics: &'a [ChapterMetric],
    top: Vec<TopFinding<'a>>,
    rules_run: usize,
    not_checked: &'a [NotChecked],
}

#[derive(Serialize)]
struct TopFinding<'a> {
    code: &'a str,
    severity: &'a str,
    path: &'a str,
    line: usize,
    message: &'a str,
}

fn chapter_views(review: &Review) -> Vec<ChapterView<'_>> {
    review
        .chapters
        .iter()
        .map(|c| {
            let grade_class = match c.grade.as_str() {
                g @ ("A" | "B" | "C" | "D" | "E" | "F") => format!("grade-{}", g.to_lowercase()),
                _ => "grade-none".to_string(),
            };
            ChapterView {
                key: &c.key,
                prefix: &c.prefix,
                title: &c.title,
                section: &c.section,
                score: c.score.map(|_| c.shown_score()),
                grade: &c.grade,
                grade_class,
                errors: c.errors,
                warnings: c.warnings,
                infos: c.infos,
                findings: c.errors + c.warnings + c.infos,
                lines: c.lines,
                per_kloc: format!("{:.2}", c.weighted_per_kloc),
                metrics: &c.metrics,
                top: c
                    .top_findings
                    .iter()
                    .filter_map(|&i| review.findings.get(i))
                    .map(|f| TopFinding {
                        code: &f.code,
                        severity: &f.severity,
                        path: &f.path,
                        line: f.line,
                        message: &f.message,
                    })
                    .collect(),
                rules_run: c.rules_run,
                not_checked: &c.not_checked,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct TrendView<'a> {
    previous_archlint: &'a str,
    scores: Vec<ScoreView<'a>>,
    new: usize,
    fixed: usize,
    fixed_shown: &'a [super::FixedFinding],
}

#[derive(Serialize)]
struct ScoreView<'a> {
    chapter: &'a str,
    before: String,
    after: String,
    delta: String,
    /// `up`, `down` or `same`.
    direction: &'static str,
}

fn trend_view(review: &Review) -> Option<TrendView<'_>> {
    let trend = review.trend.as_ref()?;
    let score = |s: Option<f64>| s.map_or_else(|| "-".to_string(), |s| format!("{s:.1}"));
    Some(TrendView {
        previous_archlint: &trend.previous_archlint,
        scores: trend
            .scores
            .iter()
            .map(|s| {
                let delta = s.delta();
                ScoreView {
                    chapter: review.chapter(&s.chapter).map_or(&s.chapter, |c| &c.title),
                    before: score(s.before),
                    after: score(s.after),
                    delta: super::shown_delta(s),
                    direction: match delta {
                        Some(d) if d >= 0.05 => "up",
                        Some(d) if d <= -0.05 => "down",
                        _ => "same",
                    },
                }
            })
            .collect(),
        new: trend.new.len(),
        fixed: trend.fixed.len(),
        fixed_shown: &trend.fixed[..trend.fixed.len().min(FIXED_SHOWN)],
    })
}

// ---------------------------------------------------------------------------------------------
// Charts: horizontal bars, one SVG each.

#[derive(Serialize)]
struct Chart {
    title: String,
    svg: Value,
}

struct Bar {
    label: String,
    /// The label as drawn, short enough for its column.
    short: String,
    value: f64,
    text: String,
    /// The CSS class of the bar (its colour).
    class: &'static str,
}

fn charts(review: &Review) -> Vec<Chart> {
    let mut charts = Vec::new();
    let scored: Vec<Bar> = review
        .chapters
        .iter()
        .filter_map(|c| {
            let score = c.score?;
            Some(Bar {
                label: c.title.clone(),
                short: cut(&c.title, 30),
                value: score,
                text: format!("{} ({})", c.shown_score(), c.grade),
                class: grade_bar_class(&c.grade),
            })
        })
        .collect();
    if !scored.is_empty() {
        charts.push(bar_chart("Chapter scores", &scored, 100.0));
    }
    if let Some(types) = &review.project.types {
        let mut bars = vec![
            Bar {
                label: "Annotation coverage".to_string(),
                short: "Annotation coverage".to_string(),
                value: types.coverage,
                text: format!("{:.1}%", types.coverage),
                class: "bar-main",
            },
            Bar {
                label: "Public API completeness".to_string(),
                short: "Public API completeness".to_string(),
                value: types.completeness,
                text: format!("{:.1}%", types.completeness),
                class: "bar-main",
            },
        ];
        bars.extend(types.least_complete.iter().take(10).map(|m| Bar {
            label: m.module.clone(),
            short: shorten(&m.module, 30),
            value: m.completeness,
            text: format!("{:.1}% of {}", m.completeness, m.symbols),
            class: "bar-low",
        }));
        charts.push(bar_chart("Types: coverage and completeness", &bars, 100.0));
    }
    let complexity = &review.project.complexity;
    if complexity.functions > 0 {
        let bars = rank_bars(&complexity.ranks, &["A", "B", "C", "D", "E", "F"]);
        let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
        charts.push(bar_chart(
            "Cyclomatic complexity: functions per rank",
            &bars,
            max,
        ));
    }
    if complexity.maintainability.values().any(|&n| n > 0) {
        let bars = rank_bars(&complexity.maintainability, &["A", "B", "C"]);
        let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
        charts.push(bar_chart(
            "Maintainability index: modules per rank",
            &bars,
            max,
        ));
    }
    charts
}

fn rank_bars(counts: &BTreeMap<String, usize>, ranks: &[&str]) -> Vec<Bar> {
    let last = ranks.len().saturating_sub(1).max(1) as f64;
    ranks
        .iter()
        .enumerate()
        .map(|(i, rank)| {
            let n = counts.get(*rank).copied().unwrap_or(0);
            Bar {
                label: format!("rank {rank}"),
                short: format!("rank {rank}"),
                value: n as f64,
                text: n.to_string(),
                class: match i as f64 / last {
                    x if x < 0.34 => "bar-good",
                    x if x < 0.67 => "bar-fair",
                    _ => "bar-low",
                },
            }
        })
        .collect()
}

fn grade_bar_class(grade: &str) -> &'static str {
    match grade {
        "A" | "B" => "bar-good",
        "C" | "D" => "bar-fair",
        _ => "bar-low",
    }
}

fn bar_chart(title: &str, bars: &[Bar], max: f64) -> Chart {
    const LABEL: f64 = 240.0;
    const AREA: f64 = 220.0;
    const ROW: f64 = 24.0;
    let width = LABEL + AREA + 110.0;
    let height = ROW * bars.len() as f64 + 8.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{}"><title>{}</title>"#,
        escape(title),
        escape(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let fraction = if max > 0.0 {
            (bar.value / max).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let w = (AREA * fraction).max(if bar.value > 0.0 { 1.0 } else { 0.0 });
        let _ = write!(
            svg,
            r#"<g><title>{label}: {text}</title><text class="chart-label" x="{lx}" y="{ty}" text-anchor="end">{short}</text><rect class="bar-track" x="{LABEL}" y="{by}" width="{AREA}" height="16"/><rect class="{class}" x="{LABEL}" y="{by}" width="{w:.1}" height="16"/><text class="chart-value" x="{vx}" y="{ty}">{text}</text></g>"#,
            label = escape(&bar.label),
            text = escape(&bar.text),
            short = escape(&bar.short),
            lx = LABEL - 8.0,
            ty = y + 13.0,
            by = y + 1.0,
            class = bar.class,
            vx = LABEL + AREA + 8.0,
        );
    }
    svg.push_str("</svg>");
    Chart {
        title: title.to_string(),
        svg: Value::from_safe_string(svg),
    }
}

/// A message as HTML: escaped, with its `spans` as code elements (when the backticks pair up),
/// as the findings table shows them.
fn code_spans(text: &str) -> Value {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return Value::from_safe_string(escape(text));
    }
    let mut html = String::with_capacity(text.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 {
            let _ = write!(html, "<code>{}</code>", escape(part));
        } else {
            html.push_str(&escape(part));
        }
    }
    Value::from_safe_string(html)
}

/// Keeps the end of a long dotted name (`…views.generic.edit`), where the detail is.
fn shorten(name: &str, chars: usize) -> String {
    let count = name.chars().count();
    if count <= chars {
        return name.to_string();
    }
    let tail: String = name.chars().skip(count - (chars - 1)).collect();
    format!("…{tail}")
}

/// Text for HTML and SVG (XML) content and attribute values, any character XML 1.0 forbids
/// dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The package import graph: a layered drawing. Packages are ranked by the longest path of
// imports below them, over the graph with each cycle folded to one node, so that what is
// imported sits under what imports it; the members of a cycle share a row.

struct GraphDrawing {
    svg: Option<String>,
    note: Option<String>,
    /// The imports drawn, as text for screen readers and print: `(from, to, imports, cycle)`.
    edges: Vec<(String, String, usize, bool)>,
}

const NODE_HEIGHT: f64 = 38.0;
const ROW_GAP: f64 = 70.0;
const NODE_GAP: f64 = 22.0;
const MARGIN: f64 = 16.0;
/// A row wider than this wraps.
const MAX_ROW_WIDTH: f64 = 1100.0;
/// Above the first row: room for the arcs between members of a cycle.
const TOP: f64 = 44.0;

fn graph_svg(graph: &PackageGraph) -> GraphDrawing {
    let n_all = graph.nodes.len();
    if n_all == 0 {
        return GraphDrawing {
            svg: None,
            note: None,
            edges: Vec::new(),
        };
    }
    // The packages drawn: those folding the most modules, then by name.
    let mut kept: Vec<usize> = (0..n_all).collect();
    kept.sort_by(|&a, &b| {
        let (a, b) = (&graph.nodes[a], &graph.nodes[b]);
        b.modules.cmp(&a.modules).then_with(|| a.name.cmp(&b.name))
    });
    kept.truncate(MAX_GRAPH_NODES);
    kept.sort_by(|&a, &b| graph.nodes[a].name.cmp(&graph.nodes[b].name));
    let note = (n_all > kept.len()).then(|| {
        format!(
            "{} of the {n_all} packages drawn (those holding the most modules); the other {} are left out.",
            kept.len(),
            n_all - kept.len()
        )
    });
    let mut local = vec![usize::MAX; n_all];
    for (i, &node) in kept.iter().enumerate() {
        local[node] = i;
    }
    let n = kept.len();
    // Edges between drawn packages, merged, no self-loops.
    let mut merged: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for e in &graph.edges {
        let (Some(&from), Some(&to)) = (local.get(e.from), local.get(e.to)) else {
            continue;
        };
        if from == usize::MAX || to == usize::MAX || from == to {
            continue;
        }
        *merged.entry((from, to)).or_default() += e.imports;
    }
    let mut succ = vec![Vec::new(); n];
    for &(from, to) in merged.keys() {
        succ[from].push(to);
    }
    let component = strongly_connected(&succ);
    let components = component.iter().copied().max().map_or(0, |m| m + 1);
    let mut size = vec![0usize; components];
    for &c in &component {
        size[c] += 1;
    }
    // Rows: the longest path of imports below each package, over the graph with each cycle
    // folded to one node, so that what is imported sits under what imports it. The members of
    // a cycle share a row (wrapped when wide), in the order of the longest path below each over
    // the cycle without the imports that close it, so that its more basic packages come last.
    let mut pred = vec![Vec::new(); n];
    for &(from, to) in merged.keys() {
        pred[to].push(from);
    }
    let mut dag = vec![Vec::new(); components];
    for &(from, to) in merged.keys() {
        let (a, b) = (component[from], component[to]);
        if a != b {
            dag[a].push(b);
        }
    }
    let mut level = vec![usize::MAX; components];
    for c in 0..components {
        longest_below(c, &dag, &mut level);
    }
    let node_level: Vec<usize> = (0..n).map(|i| level[component[i]]).collect();
    let back = back_edges(&succ, &pred);
    let within: Vec<Vec<usize>> = (0..n)
        .map(|v| {
            succ[v]
                .iter()
                .copied()
                .filter(|&w| component[w] == component[v] && !back.contains(&(v, w)))
                .collect()
        })
        .collect();
    let mut inner = vec![usize::MAX; n];
    for v in 0..n {
        longest_below(v, &within, &mut inner);
    }
    let max_level = node_level.iter().copied().max().unwrap_or(0);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); max_level + 1];
    let mut by_inner: Vec<usize> = (0..n).collect();
    by_inner.sort_by_key(|&i| (std::cmp::Reverse(inner[i]), i));
    for i in by_inner {
        rows[max_level - node_level[i]].push(i);
    }
    // Order within a row by the mean position of the neighbours in the rows above and below,
    // a few sweeps.
    let mut order = vec![0.0f64; n];
    for row in &rows {
        for (x, &i) in row.iter().enumerate() {
            order[i] = x as f64;
        }
    }
    for sweep in 0..4 {
        let row_ids: Vec<usize> = if sweep % 2 == 0 {
            (1..rows.len()).collect()
        } else {
            (0..rows.len().saturating_sub(1)).rev().collect()
        };
        for r in row_ids {
            let neighbours = if sweep % 2 == 0 { &pred } else { &succ };
            let mut keyed: Vec<(f64, f64, usize)> = rows[r]
                .iter()
                .map(|&i| {
                    let near: Vec<f64> = neighbours[i]
                        .iter()
                        .filter(|&&j| node_level[j] != node_level[i])
                        .map(|&j| order[j])
                        .collect();
                    let bary = if near.is_empty() {
                        order[i]
                    } else {
                        near.iter().sum::<f64>() / near.len() as f64
                    };
                    (bary, order[i], i)
                })
                .collect();
            keyed.sort_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then(a.1.total_cmp(&b.1))
                    .then(a.2.cmp(&b.2))
            });
            rows[r] = keyed.into_iter().map(|k| k.2).collect();
            for (x, &i) in rows[r].iter().enumerate() {
                order[i] = x as f64;
            }
        }
    }
    // Positions.
    let label: Vec<String> = kept
        .iter()
        .map(|&k| shorten(&graph.nodes[k].name, 30))
        .collect();
    let width_of = |i: usize| (label[i].chars().count() as f64 * 7.4 + 20.0).max(70.0);
    // A row wider than the page wraps onto the next.
    let mut visual: Vec<Vec<usize>> = Vec::new();
    for row in &rows {
        let mut current: Vec<usize> = Vec::new();
        let mut used = 0.0;
        for &i in row {
            if !current.is_empty() && used + NODE_GAP + width_of(i) > MAX_ROW_WIDTH {
                visual.push(std::mem::take(&mut current));
                used = 0.0;
            }
            if !current.is_empty() {
                used += NODE_GAP;
            }
            used += width_of(i);
            current.push(i);
        }
        if !current.is_empty() {
            visual.push(current);
        }
    }
    let row_width: Vec<f64> = visual
        .iter()
        .map(|row| {
            row.iter().map(|&i| width_of(i)).sum::<f64>()
                + NODE_GAP * row.len().saturating_sub(1) as f64
        })
        .collect();
    let total_width = row_width.iter().copied().fold(0.0, f64::max) + 2.0 * MARGIN;
    let total_height = visual.len() as f64 * (NODE_HEIGHT + ROW_GAP) - ROW_GAP + TOP + MARGIN;
    let mut x = vec![0.0f64; n];
    let mut y = vec![0.0f64; n];
    for (r, row) in visual.iter().enumerate() {
        let mut left = (total_width - row_width[r]) / 2.0;
        for &i in row {
            x[i] = left + width_of(i) / 2.0;
            y[i] = TOP + r as f64 * (NODE_HEIGHT + ROW_GAP);
            left += width_of(i) + NODE_GAP;
        }
    }
    let in_cycle = |i: usize| size[component[i]] > 1 || graph.nodes[kept[i]].in_cycle;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg class="graph" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" role="img" aria-labelledby="graph-svg-title"><title id="graph-svg-title">Imports between the project's packages, folded to depth {depth}: {n} packages, {e} imports between them</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker><marker id="arrow-cycle" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path class="arrow-cycle" d="M0,0 L10,5 L0,10 z"/></marker></defs>"##,
        w = total_width,
        h = total_height,
        depth = graph.depth,
        e = merged.len(),
    );
    let mut edges = Vec::new();
    let max_imports = merged.values().copied().max().unwrap_or(1).max(1) as f64;
    for (&(from, to), &imports) in &merged {
        let cycle = component[from] == component[to];
        let stroke = 1.0 + 2.5 * (imports as f64).ln_1p() / max_imports.ln_1p().max(1.0);
        let (x1, x2) = (x[from], x[to]);
        let path = if y[to] > y[from] {
            // Down, from the importer's bottom to the imported's top.
            let (y1, y2) = (y[from] + NODE_HEIGHT, y[to]);
            let mid = (y1 + y2) / 2.0;
            format!("M{x1:.1},{y1:.1} C{x1:.1},{mid:.1} {x2:.1},{mid:.1} {x2:.1},{y2:.1}")
        } else if y[to] < y[from] {
            // Up (an import closing a cycle), from the top to the bottom.
            let (y1, y2) = (y[from], y[to] + NODE_HEIGHT);
            let mid = (y1 + y2) / 2.0;
            format!("M{x1:.1},{y1:.1} C{x1:.1},{mid:.1} {x2:.1},{mid:.1} {x2:.1},{y2:.1}")
        } else {
            // Within a row: an arc above it.
            let top = y[from];
            let lift = (18.0 + (x1 - x2).abs() * 0.15).min(TOP - 6.0);
            format!(
                "M{x1:.1},{top:.1} C{x1:.1},{c:.1} {x2:.1},{c:.1} {x2:.1},{top:.1}",
                c = top - lift
            )
        };
        let from_name = &graph.nodes[kept[from]].name;
        let to_name = &graph.nodes[kept[to]].name;
        let _ = write!(
            svg,
            r#"<path class="{class}" d="{path}" stroke-width="{stroke:.1}" marker-end="url(#{marker})"><title>{f} → {t}: {imports} import{s}</title></path>"#,
            class = if cycle { "edge edge-cycle" } else { "edge" },
            marker = if cycle { "arrow-cycle" } else { "arrow" },
            f = escape(from_name),
            t = escape(to_name),
            s = if imports == 1 { "" } else { "s" },
        );
        edges.push((from_name.clone(), to_name.clone(), imports, cycle));
    }
    for i in 0..n {
        let node = &graph.nodes[kept[i]];
        let w = width_of(i);
        let _ = write!(
            svg,
            r#"<g class="{class}"><title>{name}: {m} module{s}{c}</title><rect x="{rx:.1}" y="{ry:.1}" width="{w:.1}" height="{NODE_HEIGHT}" rx="5"/><text class="node-name" x="{cx:.1}" y="{ty:.1}" text-anchor="middle">{label}</text><text class="node-size" x="{cx:.1}" y="{sy:.1}" text-anchor="middle">{m} module{s}</text></g>"#,
            class = if in_cycle(i) {
                "node node-cycle"
            } else {
                "node"
            },
            name = escape(&node.name),
            m = node.modules,
            s = if node.modules == 1 { "" } else { "s" },
            c = if in_cycle(i) {
                ", in an import cycle"
            } else {
                ""
            },
            rx = x[i] - w / 2.0,
            ry = y[i],
            cx = x[i],
            ty = y[i] + 16.0,
            sy = y[i] + 31.0,
            label = escape(&label[i]),
        );
    }
    svg.push_str("</svg>");
    GraphDrawing {
        svg: Some(svg),
        note,
        edges,
    }
}

/// Tarjan's strongly connected components, iteratively; the component of each node.
fn strongly_connected(succ: &[Vec<usize>]) -> Vec<usize> {
    let n = succ.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = succ[v].get(*child) {
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// The edges that close a cycle in a depth-first walk started from the packages nothing
/// imports (then the others, in order): without them the graph is acyclic.
fn back_edges(
    succ: &[Vec<usize>],
    pred: &[Vec<usize>],
) -> std::collections::BTreeSet<(usize, usize)> {
    let n = succ.len();
    let mut roots: Vec<usize> = (0..n).collect();
    roots.sort_by_key(|&v| (pred[v].len(), v));
    // 0: not seen, 1: on the walk's path, 2: done.
    let mut state = vec![0u8; n];
    let mut back = std::collections::BTreeSet::new();
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if let Some(&w) = succ[v].get(*child) {
                *child += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        work.push((w, 0));
                    }
                    1 => {
                        back.insert((v, w));
                    }
                    _ => {}
                }
                continue;
            }
            state[v] = 2;
            work.pop();
        }
    }
    back
}

/// The longest path below node `c` of an acyclic graph, memoised in `level`.
fn longest_below(c: usize, dag: &[Vec<usize>], level: &mut [usize]) -> usize {
    if level[c] != usize::MAX {
        return level[c];
    }
    // Iterative post-order: the graph holds at most MAX_GRAPH_NODES nodes, but keep the stack
    // flat all the same.
    let mut work = vec![(c, 0usize)];
    while let Some(&mut (v, ref mut child)) = work.last_mut() {
        if let Some(&w) = dag[v].get(*child) {
            *child += 1;
            if level[w] == usize::MAX {
                work.push((w, 0));
            }
            continue;
        }
        level[v] = dag[v].iter().map(|&w| level[w] + 1).max().unwrap_or(0);
        work.pop();
    }
    level[c]
}

#[cfg(test)]
mod tests;
