use super::*;
use crate::review::{
    ChapterReview, Finding, PackageEdge, PackageNode, RoleSize, RuleDoc, TypesSummary,
};

const HOSTILE: &str = "<script>alert(1)</script>";

fn finding(code: &str, chapter: &str, path: &str, line: usize, message: &str) -> Finding {
    Finding {
        code: code.to_string(),
        name: format!("{}-name", code.to_lowercase()),
        chapter: chapter.to_string(),
        severity: "warning".to_string(),
        path: path.to_string(),
        line,
        column: 1,
        end_line: line,
        end_column: 5,
        message: message.to_string(),
        weight: 1.0,
        frame: vec![format!("x = {HOSTILE}"), "y = 2".to_string()],
        frame_line: line,
        ..Finding::default()
    }
}

fn sample() -> Review {
    let mut review = Review {
        version: crate::review::SCHEMA_VERSION,
        archlint: "0.1.0".to_string(),
        ..Review::default()
    };
    review.project.name = format!("demo {HOSTILE}");
    review.project.root = "/tmp/demo".to_string();
    review.project.roles = vec![RoleSize {
        role: "package".to_string(),
        files: 3,
        lines: 120,
    }];
    review.project.python.oldest_supported = "3.9".to_string();
    review.project.types = Some(TypesSummary {
        coverage: 61.5,
        completeness: 40.0,
        public_symbols: 10,
        public_known: 4,
        least_complete: Vec::new(),
    });
    review.project.complexity.functions = 4;
    review.project.complexity.ranks.insert("A".to_string(), 3);
    review.project.complexity.ranks.insert("C".to_string(), 1);
    review.project.graph.packages = PackageGraph {
        depth: 1,
        nodes: ["demo.a", "demo.b", "demo.c"]
            .iter()
            .map(|n| PackageNode {
                name: n.to_string(),
                modules: 2,
                in_cycle: *n != "demo.c",
            })
            .collect(),
        edges: vec![
            PackageEdge {
                from: 0,
                to: 1,
                imports: 2,
            },
            PackageEdge {
                from: 1,
                to: 0,
                imports: 1,
            },
            PackageEdge {
                from: 1,
                to: 2,
                imports: 3,
            },
        ],
    };
    review.findings = vec![
        finding(
            "SEC105",
            "security",
            &format!("pkg/{HOSTILE}.py"),
            3,
            HOSTILE,
        ),
        finding(
            "VER001",
            "versions",
            "pkg/a.py",
            7,
            "match statement \u{2028} <!-- x",
        ),
    ];
    review.chapters = vec![
        ChapterReview {
            key: "security".to_string(),
            prefix: "SEC".to_string(),
            title: "Security".to_string(),
            section: "§8".to_string(),
            score: Some(82.4),
            grade: "B".to_string(),
            warnings: 1,
            top_findings: vec![0, 99],
            ..ChapterReview::default()
        },
        ChapterReview {
            key: "versions".to_string(),
            prefix: "VER".to_string(),
            title: "Interpreter and versions".to_string(),
            section: "§1".to_string(),
            score: None,
            grade: "-".to_string(),
            warnings: 1,
            not_checked: vec![NotChecked {
                chapter: Some("versions".to_string()),
                what: HOSTILE.to_string(),
                why: "because".to_string(),
                location: None,
            }],
            ..ChapterReview::default()
        },
    ];
    review.rules.insert(
        "SEC105".to_string(),
        RuleDoc {
            name: "sec105-name".to_string(),
            chapter: "security".to_string(),
            summary: format!("Finds {HOSTILE}"),
            what: format!("Finds {HOSTILE}"),
            why: "</script><script>alert(2)</script>".to_string(),
            fix: "Don't.".to_string(),
            default_enabled: true,
        },
    );
    review
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).expect("start marker") + start.len();
    let to = from + text[from..].find(end).expect("end marker");
    &text[from..to]
}

#[test]
fn hostile_text_is_escaped_in_the_server_rendered_parts() {
    let html = render(&sample());
    // Exactly two script elements: the JSON island and the page's script.
    assert_eq!(html.matches("<script").count(), 2, "{html}");
    assert!(!html.contains("alert(1)</script>"));
    assert!(
        html.contains("demo &lt;script&gt;alert(1)&lt;"),
        "the project name as text"
    );
    assert!(
        html.contains("<strong>&lt;script&gt;alert(1)"),
        "a not-checked note as text"
    );
}

#[test]
fn the_json_island_cannot_be_broken_out_of_and_reads_back() {
    let review = sample();
    let html = render(&review);
    let island = between(
        &html,
        r#"<script type="application/json" id="review-data">"#,
        "</script>",
    );
    for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
        assert!(!island.contains(forbidden), "{forbidden:?} in the island");
    }
    let value: serde_json::Value = serde_json::from_str(island).expect("the island is JSON");
    assert_eq!(value["findings"][0][5], HOSTILE);
    assert_eq!(value["findings"][1][5], "match statement \u{2028} <!-- x");
    assert_eq!(value["paths"][0], format!("pkg/{HOSTILE}.py"));
    assert_eq!(
        value["rules"]["SEC105"]["why"],
        "</script><script>alert(2)</script>"
    );
    assert_eq!(
        value["findings"].as_array().map(Vec::len),
        Some(review.findings.len())
    );
}

#[test]
fn the_policy_allows_exactly_the_inline_script_and_style() {
    let html = render(&sample());
    let csp = between(
        &html,
        r#"<meta http-equiv="Content-Security-Policy" content=""#,
        r#"">"#,
    );
    assert!(!csp.contains('&'));
    let script = between(&html, "<script>", "</script>");
    let style = between(&html, "<style>", "</style>");
    assert_eq!(script, SCRIPT);
    assert_eq!(style, STYLE);
    assert!(csp.starts_with("default-src 'none';"), "{csp}");
    assert!(
        csp.contains(&format!("script-src 'sha256-{}'", sha256_base64(script))),
        "{csp}"
    );
    assert!(
        csp.contains(&format!("style-src 'sha256-{}'", sha256_base64(style))),
        "{csp}"
    );
    assert!(!csp.contains("unsafe"), "{csp}");
}

#[test]
fn the_page_loads_nothing_from_outside() {
    let html = render(&sample());
    for attribute in ["src=", "href=", "action=", "url("] {
        for (at, _) in html.match_indices(attribute) {
            let value = html[at + attribute.len()..].trim_start_matches(['"', '\'']);
            assert!(
                value.starts_with('#') || value.starts_with("data:"),
                "{attribute} {}",
                &value[..value.len().min(60)]
            );
        }
    }
    assert!(!html.contains("@import"));
    assert!(!SCRIPT.contains("</script") && !SCRIPT.contains("<!--"));
    assert!(
        !SCRIPT.contains("innerHTML")
            && !SCRIPT.contains("fetch(")
            && !SCRIPT.contains("XMLHttpRequest")
    );
}

#[test]
fn backticks_become_code_and_stay_escaped() {
    assert_eq!(
        code_spans("a `<b>` c").to_string(),
        "a <code>&lt;b&gt;</code> c"
    );
    assert_eq!(code_spans("odd ` <i>").to_string(), "odd ` &lt;i&gt;");
}

#[test]
fn the_output_is_deterministic() {
    assert_eq!(render(&sample()), render(&sample()));
}

#[test]
fn every_chapter_has_a_card_and_the_graph_marks_its_cycle() {
    let review = sample();
    let html = render(&review);
    for chapter in &review.chapters {
        assert!(html.contains(&format!(
            r#"<article class="chapter-card" id="chapter-{}""#,
            chapter.key
        )));
    }
    let svg = between(&html, r#"<svg class="graph""#, "</svg>");
    assert_eq!(
        svg.matches(r#"<g class="node node-cycle">"#).count(),
        2,
        "{svg}"
    );
    assert_eq!(svg.matches(r#"<g class="node">"#).count(), 1, "{svg}");
    assert_eq!(
        svg.matches(r#"class="edge edge-cycle""#).count(),
        2,
        "{svg}"
    );
    assert_eq!(svg.matches(r#"class="edge""#).count(), 1, "{svg}");
    // An index past the findings (the card's second top finding) is ignored, not a panic.
    assert_eq!(
        between(&html, r#"<ul class="top-findings">"#, "</ul>")
            .matches("<li>")
            .count(),
        1
    );
}

#[test]
fn a_large_graph_is_cut_to_the_largest_packages_with_a_note() {
    let mut review = sample();
    let nodes = 75;
    review.project.graph.packages = PackageGraph {
        depth: 2,
        nodes: (0..nodes)
            .map(|i| PackageNode {
                name: format!("p.m{i:02}"),
                modules: i + 1,
                in_cycle: false,
            })
            .collect(),
        // A chain, and edges pointing nowhere, which are dropped.
        edges: (0..nodes - 1)
            .map(|i| PackageEdge {
                from: i,
                to: i + 1,
                imports: 1,
            })
            .chain([PackageEdge {
                from: 0,
                to: 999,
                imports: 1,
            }])
            .collect(),
    };
    let html = render(&review);
    let svg = between(&html, r#"<svg class="graph""#, "</svg>");
    assert_eq!(svg.matches(r#"<g class="node">"#).count(), MAX_GRAPH_NODES);
    assert!(!svg.contains("p.m00"), "the smallest package is left out");
    assert!(svg.contains("p.m74"));
    assert!(html.contains("60 of the 75 packages drawn"));
}

#[test]
fn layers_put_what_is_imported_below_what_imports_it() {
    // a -> b -> c, and a <-> d (a cycle): c at the bottom, a and d in one row.
    let succ = vec![vec![1, 3], vec![2], vec![], vec![0]];
    let component = strongly_connected(&succ);
    assert_eq!(component[0], component[3]);
    assert_ne!(component[0], component[1]);
    let components = component.iter().max().unwrap() + 1;
    let mut dag = vec![Vec::new(); components];
    for (from, targets) in succ.iter().enumerate() {
        for &to in targets {
            if component[from] != component[to] {
                dag[component[from]].push(component[to]);
            }
        }
    }
    let mut level = vec![usize::MAX; components];
    assert_eq!(longest_below(component[0], &dag, &mut level), 2);
    assert_eq!(level[component[2]], 0);
    assert_eq!(level[component[1]], 1);
    // Drawn, the cycle is cut at the import that closes it in a walk from a: d goes under a.
    let pred = vec![vec![3], vec![0], vec![1], vec![0]];
    let back = back_edges(&succ, &pred);
    assert_eq!(back.into_iter().collect::<Vec<_>>(), vec![(3, 0)]);
}

#[test]
fn an_empty_review_renders() {
    let html = render(&Review::default());
    assert!(html.contains("No package to draw."));
    assert!(html.contains("Everything was checked."));
}
