//! The review as GitHub-flavoured Markdown, for a pull-request comment or
//! `$GITHUB_STEP_SUMMARY`: the chapter table in the open, everything else folded in
//! `<details>`, and the whole under GitHub's 65,536-character limit for a comment.

use std::fmt::Write;

use super::{Review, plural, shown_delta};

/// GitHub refuses a comment longer than 65,536 characters; stay clear of it.
pub const MAX_CHARS: usize = 65_000;
/// How many findings a folded list shows before saying how many more there are.
const LISTED: usize = 50;

pub fn render(review: &Review) -> String {
    let head = head(review);
    let mut sections = vec![chapters(review), facts(review)];
    if review.trend.is_some() {
        sections.insert(0, trend(review));
    }
    sections.push(not_checked(review));
    let tail = format!(
        "\n{} in all; the JSON and HTML formats of `archlint report` list every one.\n",
        plural(review.findings.len(), "finding", "findings")
    );
    let mut out = head;
    for section in sections {
        // A section that would break the limit is left out with a note, never cut in the
        // middle of a table or a `<details>` block.
        if out.chars().count() + section.chars().count() + tail.chars().count() + 200 > MAX_CHARS {
            out.push_str("\n_Part of this report is left out to fit a GitHub comment._\n");
            break;
        }
        out.push_str(&section);
    }
    out.push_str(&tail);
    out
}

/// Text made inert for an inline position (never the start of a line): the characters
/// Markdown or HTML would read are backslash-escaped, so a message holding `<script>` or `|`
/// shows as written. Code spans (`` `name` ``) are kept as code spans when the backticks
/// pair up; their content is literal already, but for `|`, which GitHub's tables read first.
pub fn escape(text: &str) -> String {
    let paired = text.matches('`').count().is_multiple_of(2);
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' if paired => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            _ if in_code => out.push(c),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    out
}

fn head(review: &Review) -> String {
    let facts = &review.project;
    let (files, lines) = facts.totals();
    let mut out = format!("## archlint report: {}\n\n", escape(&facts.name));
    let _ = writeln!(
        out,
        "{files} files, {lines} lines · {} findings · archlint {}\n",
        review.findings.len(),
        escape(&review.archlint)
    );
    let trend = review.trend.as_ref();
    out.push_str("| Chapter | Score | Grade | Errors | Warnings | Info |");
    out.push_str(if trend.is_some() { " Change |\n" } else { "\n" });
    out.push_str("| --- | ---: | :---: | ---: | ---: | ---: |");
    out.push_str(if trend.is_some() { " ---: |\n" } else { "\n" });
    for chapter in &review.chapters {
        let _ = write!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            escape(&chapter.label()),
            chapter.shown_score(),
            chapter.grade,
            chapter.errors,
            chapter.warnings,
            chapter.infos
        );
        if let Some(trend) = trend {
            let change = trend
                .scores
                .iter()
                .find(|c| c.chapter == chapter.key)
                .map(shown_delta)
                .unwrap_or_default();
            let _ = write!(out, " {} |", escape(&change));
        }
        out.push('\n');
    }
    out
}

fn finding_line(review: &Review, index: usize) -> String {
    let finding = &review.findings[index];
    format!(
        "- **{}** {} {}: {}\n",
        finding.code,
        finding.severity,
        escape(&finding.location()),
        escape(&finding.message)
    )
}

fn chapters(review: &Review) -> String {
    let mut out = String::from("\n### Chapters\n\n");
    for chapter in &review.chapters {
        let count = chapter.errors + chapter.warnings + chapter.infos;
        if count == 0 && chapter.metrics.is_empty() && chapter.not_checked.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<details><summary>{}: {} ({}), {}</summary>\n",
            escape(&chapter.label()),
            chapter.shown_score(),
            chapter.grade,
            plural(count, "finding", "findings")
        );
        for metric in &chapter.metrics {
            let _ = writeln!(
                out,
                "- {}: {} ({})",
                escape(&metric.name),
                escape(&metric.value),
                escape(&metric.effect)
            );
        }
        for &index in &chapter.top_findings {
            out.push_str(&finding_line(review, index));
            if let Some(rule) = review.rules.get(&review.findings[index].code) {
                let _ = writeln!(out, "  - {}", escape(&rule.summary));
            }
        }
        for gap in &chapter.not_checked {
            let at = gap
                .location
                .as_deref()
                .map(escape)
                .map(|l| format!(" ({l})"));
            let _ = writeln!(
                out,
                "- not checked: {}{}: {}",
                escape(&gap.what),
                at.unwrap_or_default(),
                escape(&gap.why)
            );
        }
        out.push_str("\n</details>\n\n");
    }
    out
}

fn facts(review: &Review) -> String {
    let facts = &review.project;
    let mut out = String::from("<details><summary>Project facts</summary>\n\n");
    out.push_str("| Role | Files | Lines |\n| --- | ---: | ---: |\n");
    for role in &facts.roles {
        let _ = writeln!(out, "| {} | {} | {} |", role.role, role.files, role.lines);
    }
    let python = &facts.python;
    let _ = writeln!(
        out,
        "\n- requires-python: {}; oldest supported: {}",
        escape(python.requires_python.as_deref().unwrap_or("not set")),
        escape(&python.oldest_supported)
    );
    if let (Some(minimum), Some(by)) = (&python.code_minimum, &python.decided_by) {
        let _ = writeln!(
            out,
            "- the code needs Python {}: {}",
            escape(minimum),
            escape(by)
        );
    }
    let graph = &facts.graph;
    let _ = writeln!(
        out,
        "- import graph: {} modules, {} imports, {} cycle components",
        graph.modules, graph.imports, graph.cycles
    );
    if !graph.largest_cycle.is_empty() {
        let _ = writeln!(
            out,
            "- largest cycle component ({} modules): {}",
            graph.largest_cycle_modules,
            escape(&graph.largest_cycle.join(" → "))
        );
    }
    if let Some(types) = &facts.types {
        let _ = writeln!(
            out,
            "- types: {:.1}% annotated, public API {:.1}% complete",
            types.coverage, types.completeness
        );
    }
    if facts.complexity.functions > 0 {
        let _ = writeln!(
            out,
            "- complexity: {} functions, average {:.1}",
            facts.complexity.functions, facts.complexity.average
        );
    }
    let vulnerable: Vec<_> = facts
        .dependencies
        .rows
        .iter()
        .filter(|r| !r.vulnerabilities.is_empty())
        .collect();
    if !vulnerable.is_empty() {
        out.push_str(
            "\n| Dependency | Pinned | Advisories | Fixed in |\n| --- | --- | --- | --- |\n",
        );
        for row in vulnerable {
            let ids: Vec<String> = row.vulnerabilities.iter().map(|v| escape(&v.id)).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                escape(&row.name),
                escape(row.pinned.as_deref().unwrap_or("")),
                ids.join(", "),
                escape(row.fix.as_deref().unwrap_or("unknown"))
            );
        }
    }
    out.push_str("\n</details>\n");
    out
}

fn trend(review: &Review) -> String {
    let Some(trend) = &review.trend else {
        return String::new();
    };
    let mut out = format!(
        "\n<details><summary>Since the previous report: {} new, {} fixed</summary>\n\n",
        trend.new.len(),
        trend.fixed.len()
    );
    for &index in trend.new.iter().take(LISTED) {
        out.push_str(&finding_line(review, index));
    }
    if trend.new.len() > LISTED {
        let _ = writeln!(out, "- … and {} more new", trend.new.len() - LISTED);
    }
    for fixed in trend.fixed.iter().take(LISTED) {
        let _ = writeln!(
            out,
            "- fixed: **{}** {}: {}",
            fixed.code,
            escape(&format!("{}:{}", fixed.path, fixed.line)),
            escape(&fixed.message)
        );
    }
    if trend.fixed.len() > LISTED {
        let _ = writeln!(out, "- … and {} more fixed", trend.fixed.len() - LISTED);
    }
    out.push_str("\n</details>\n");
    out
}

fn not_checked(review: &Review) -> String {
    let general: Vec<_> = review
        .not_checked
        .iter()
        .filter(|n| n.chapter.is_none())
        .collect();
    if general.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n<details><summary>Not checked: {}</summary>\n\n",
        general.len()
    );
    for gap in general.iter().take(LISTED) {
        let at = gap.location.as_deref().map(|l| format!("{}: ", escape(l)));
        let _ = writeln!(
            out,
            "- {}{}: {}",
            at.unwrap_or_default(),
            escape(&gap.what),
            escape(&gap.why)
        );
    }
    if general.len() > LISTED {
        let _ = writeln!(out, "- … and {} more", general.len() - LISTED);
    }
    out.push_str("\n</details>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{ChapterReview, Finding, NotChecked, RuleDoc};

    /// As GitHub renders a comment: its tables, and raw HTML passed through (GitHub then
    /// filters tags; leaving them in here shows any our escaping let through).
    fn github_html(markdown: &str) -> String {
        let mut options = comrak::Options::default();
        options.extension.table = true;
        options.extension.strikethrough = true;
        options.extension.autolink = true;
        options.render.r#unsafe = true;
        comrak::markdown_to_html(markdown, &options)
    }

    fn review(findings: usize, gaps: usize) -> Review {
        let hostile = "`eval` of <script>alert(1)</script> | a *cell* [x](javascript:y) & more";
        Review {
            archlint: "0.1.0".to_string(),
            chapters: ["versions", "security"]
                .iter()
                .map(|key| ChapterReview {
                    key: key.to_string(),
                    title: format!("{key} <b>title</b>"),
                    section: "§8".to_string(),
                    score: Some(42.0),
                    grade: "F".to_string(),
                    errors: findings,
                    top_findings: (0..findings.min(5)).collect(),
                    ..ChapterReview::default()
                })
                .collect(),
            findings: (0..findings)
                .map(|i| Finding {
                    code: "SEC307".to_string(),
                    severity: "error".to_string(),
                    path: format!("src/<img src=x>/m{i}.py"),
                    line: i + 1,
                    message: hostile.to_string(),
                    ..Finding::default()
                })
                .collect(),
            rules: [(
                "SEC307".to_string(),
                RuleDoc {
                    summary: hostile.to_string(),
                    ..RuleDoc::default()
                },
            )]
            .into(),
            not_checked: (0..gaps)
                .map(|i| NotChecked {
                    what: "a file".to_string(),
                    why: "x".repeat(300),
                    location: Some(format!("bad{i}.py")),
                    ..NotChecked::default()
                })
                .collect(),
            ..Review::default()
        }
    }

    #[test]
    fn renders_as_github_would_with_hostile_text_inert() {
        let markdown = render(&review(3, 2));
        let html = github_html(&markdown);
        assert!(html.contains("<table>"), "{html}");
        // The chapter table: its header row and one row per chapter.
        let chapters = &html[..html.find("</table>").unwrap()];
        assert_eq!(chapters.matches("<tr>").count(), 3, "{html}");
        assert_eq!(
            html.matches("<details>").count(),
            html.matches("</details>").count()
        );
        assert!(html.contains("<summary>"));
        let lower = html.to_lowercase();
        for tag in ["<script", "<img", "<b>", "<a href"] {
            assert!(!lower.contains(tag), "{tag} got through:\n{html}");
        }
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        // Code spans stay code, and a `|` does not split the table row.
        assert!(html.contains("<code>eval</code>"), "{html}");
    }

    #[test]
    fn a_huge_review_fits_a_github_comment() {
        let markdown = render(&review(200_000, 20_000));
        assert!(markdown.chars().count() <= MAX_CHARS, "{}", markdown.len());
        let html = github_html(&markdown);
        assert_eq!(
            html.matches("<details>").count(),
            html.matches("</details>").count()
        );
        assert!(markdown.contains("200000 findings in all"));
    }
}
