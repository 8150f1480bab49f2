//! A structural check of a reStructuredText long description: the problems that make
//! docutils warn or fail, which `twine check` (readme_renderer) turns into a rejected upload.
//! It is not a renderer: it finds unknown or disabled directives, title underlines shorter
//! than their title, inline markup left open, unknown interpreted roles, and references to
//! targets that do not exist. Literal blocks, directive bodies and comments are skipped.

/// Directives docutils knows (English names and aliases). `raw` and `include` are known but
/// disabled on PyPI, and are reported on their own.
const DIRECTIVES: &[&str] = &[
    "attention",
    "caution",
    "code",
    "code-block",
    "sourcecode",
    "danger",
    "error",
    "important",
    "note",
    "tip",
    "hint",
    "warning",
    "admonition",
    "sidebar",
    "topic",
    "line-block",
    "parsed-literal",
    "rubric",
    "epigraph",
    "highlights",
    "pull-quote",
    "compound",
    "container",
    "table",
    "csv-table",
    "list-table",
    "math",
    "meta",
    "image",
    "figure",
    "replace",
    "unicode",
    "date",
    "class",
    "role",
    "default-role",
    "title",
    "contents",
    "sectnum",
    "section-numbering",
    "header",
    "footer",
    "target-notes",
];

/// Interpreted-text roles docutils knows.
const ROLES: &[&str] = &[
    "emphasis",
    "literal",
    "code",
    "math",
    "pep-reference",
    "pep",
    "rfc-reference",
    "rfc",
    "strong",
    "subscript",
    "sub",
    "superscript",
    "sup",
    "title-reference",
    "title",
    "t",
    "abbreviation",
    "ab",
    "acronym",
    "ac",
];

const ADORNMENT: &[char] = &[
    '=', '-', '`', ':', '\'', '"', '~', '^', '_', '*', '+', '#', '<', '>', '.', '!', '$', '%', '&',
    ',', '/', ';', '?', '@', '[', '\\', ']', '{', '|', '}', '(', ')',
];

/// One problem: the 1-based line of the description and what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub struct RstProblem {
    pub line: usize,
    pub message: String,
}

/// The problems docutils would report at warning level or above, in line order.
pub fn check(text: &str) -> Vec<RstProblem> {
    let lines: Vec<&str> = text.lines().collect();
    let mut problems = Vec::new();
    let skipped = skipped_lines(&lines);
    let mut roles: Vec<String> = Vec::new();
    let mut targets: Vec<String> = Vec::new();
    let mut references: Vec<(usize, String)> = Vec::new();

    for (i, line) in lines.iter().enumerate() {
        if skipped[i] {
            continue;
        }
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(".. ") {
            explicit_markup(i, rest, &mut problems, &mut roles, &mut targets);
            continue;
        }
        // A title: a text line, then an adornment line at least as long (docutils treats
        // adornments shorter than four characters as ordinary text).
        if let Some(next) = lines.get(i + 1)
            && !line.trim().is_empty()
            && !line.starts_with(char::is_whitespace)
            && is_adornment(next)
            && !is_adornment(line)
        {
            let title = line.trim_end();
            if next.trim_end().chars().count() < title.chars().count() && next.trim_end().len() >= 4
            {
                problems.push(RstProblem {
                    line: i + 2,
                    message: format!("title underline is shorter than the title `{title}`"),
                });
            }
            targets.push(normalize(title));
        }
    }

    // Inline markup is read per paragraph: it may span lines, never paragraphs.
    let mut paragraph: Vec<(usize, &str)> = Vec::new();
    // A blank line after the last one closes the last paragraph.
    for (i, line) in lines.iter().copied().enumerate().chain([(lines.len(), "")]) {
        let in_text = !skipped.get(i).copied().unwrap_or(true)
            && !line.trim().is_empty()
            && !line.trim_start().starts_with(".. ")
            && !is_adornment(line);
        if in_text {
            paragraph.push((i, line));
        } else if !paragraph.is_empty() {
            inline(
                &paragraph,
                &mut problems,
                &roles,
                &mut targets,
                &mut references,
            );
            paragraph.clear();
        }
    }
    for (line, name) in references {
        if !targets.contains(&name) {
            problems.push(RstProblem {
                line: line + 1,
                message: format!("reference `{name}` points to no target; define `.. _{name}: URL` or fix the name"),
            });
        }
    }
    problems.sort_by_key(|p| p.line);
    problems
}

fn normalize(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn is_adornment(line: &str) -> bool {
    let line = line.trim_end();
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    ADORNMENT.contains(&first) && line.len() >= 2 && chars.all(|c| c == first)
}

/// Lines inside literal blocks (after `::`), directive bodies and comments.
fn skipped_lines(lines: &[&str]) -> Vec<bool> {
    let mut skipped = vec![false; lines.len()];
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let opens_block = line.trim_end().ends_with("::") || line.trim_start().starts_with("..");
        if opens_block && !line.trim().is_empty() {
            let base = indent(line);
            let mut j = i + 1;
            while j < lines.len() && (lines[j].trim().is_empty() || indent(lines[j]) > base) {
                skipped[j] = true;
                j += 1;
            }
            // A directive's own line is read; a paragraph ending in `::` is text.
            i = j;
            continue;
        }
        i += 1;
    }
    skipped
}

fn explicit_markup(
    i: usize,
    rest: &str,
    problems: &mut Vec<RstProblem>,
    roles: &mut Vec<String>,
    targets: &mut Vec<String>,
) {
    if let Some(target) = rest.strip_prefix('_') {
        // `.. _name: URL` or `.. _`name with colon`: URL`.
        let name = if let Some(quoted) = target.strip_prefix('`') {
            quoted.split('`').next().unwrap_or_default()
        } else {
            target.split(':').next().unwrap_or_default()
        };
        targets.push(normalize(name));
        return;
    }
    let rest = match rest.strip_prefix('|') {
        // A substitution definition: `.. |name| directive:: …`.
        Some(sub) => match sub.split_once("| ") {
            Some((_, directive)) => directive,
            None => return,
        },
        None => rest,
    };
    let Some((name, args)) = rest.split_once("::") else {
        return; // a comment
    };
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | ':' | '.'))
    {
        return;
    }
    let lower = name.to_ascii_lowercase();
    if lower == "raw" || lower == "include" {
        problems.push(RstProblem {
            line: i + 1,
            message: format!("directive `{name}` is disabled on PyPI; remove it"),
        });
    } else if !DIRECTIVES.contains(&lower.as_str()) {
        problems.push(RstProblem {
            line: i + 1,
            message: format!(
                "unknown directive `{name}` (a Sphinx extension is not available on PyPI); use a docutils directive such as `code` or `note`"
            ),
        });
    } else if lower == "role" {
        let role = args.trim().split('(').next().unwrap_or_default().trim();
        if !role.is_empty() {
            roles.push(role.to_ascii_lowercase());
        }
    }
}

fn start_ok(before: Option<char>) -> bool {
    before.is_none_or(|c| c.is_whitespace() || "-:/'\"<([{".contains(c))
}

fn end_ok(after: Option<char>) -> bool {
    after.is_none_or(|c| c.is_whitespace() || "-.,:;!?\\/'\")]}>".contains(c))
}

/// Finds open inline markup, unknown roles and references in one paragraph.
fn inline(
    paragraph: &[(usize, &str)],
    problems: &mut Vec<RstProblem>,
    roles: &[String],
    targets: &mut Vec<String>,
    references: &mut Vec<(usize, String)>,
) {
    // The paragraph as one text, with the line each character came from.
    let mut chars: Vec<char> = Vec::new();
    let mut line_of: Vec<usize> = Vec::new();
    for (line, text) in paragraph {
        for c in text.trim().chars() {
            chars.push(c);
            line_of.push(*line);
        }
        chars.push('\n');
        line_of.push(*line);
    }
    let at = |i: usize| chars.get(i).copied();
    let before = |i: usize| if i == 0 { None } else { at(i - 1) };
    let find_end = |from: usize, end: &str, need_ok: bool| -> Option<usize> {
        let end: Vec<char> = end.chars().collect();
        let mut j = from;
        while j + end.len() <= chars.len() {
            if chars[j] == '\\' && end[0] != '`' {
                j += 2;
                continue;
            }
            // A reference's end-string is `` `_ `` or `` `__ ``.
            let mut after = j + end.len();
            if end == ['`'] {
                while at(after) == Some('_') && after < j + 3 {
                    after += 1;
                }
            }
            if chars[j..j + end.len()] == end[..]
                && !chars[j - 1].is_whitespace()
                && (!need_ok || end_ok(at(after)))
            {
                return Some(j);
            }
            j += 1;
        }
        None
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            i += 2;
            continue;
        }
        let next = at(i + 1);
        // A role before interpreted text: `:name:` directly followed by a backquote.
        if c == ':' && start_ok(before(i)) {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || "-_+.".contains(chars[j]))
            {
                j += 1;
            }
            if j > i + 1 && at(j) == Some(':') && at(j + 1) == Some('`') {
                let role: String = chars[i + 1..j]
                    .iter()
                    .collect::<String>()
                    .to_ascii_lowercase();
                if !ROLES.contains(&role.as_str()) && !roles.contains(&role) {
                    problems.push(RstProblem {
                        line: line_of[i] + 1,
                        message: format!(
                            "unknown interpreted text role `:{role}:` (a Sphinx role is not available on PyPI); use plain ``literal`` text"
                        ),
                    });
                }
                i = j + 1;
                continue;
            }
        }
        if !start_ok(before(i)) {
            i += 1;
            continue;
        }
        let (start, end, what) = if c == '`' && next == Some('`') {
            ("``", "``", "inline literal")
        } else if c == '*' && next == Some('*') {
            ("**", "**", "strong emphasis")
        } else if c == '*' {
            ("*", "*", "emphasis")
        } else if c == '`' {
            ("`", "`", "interpreted text or reference")
        } else if c == '|' {
            ("|", "|", "substitution reference")
        } else {
            i += 1;
            continue;
        };
        let content_start = i + start.len();
        let following = at(content_start);
        // A start-string must be followed by text, and not be quoted (`"*"`, `(*)`).
        let quoted = matches!(
            (before(i), following),
            (Some('"'), Some('"'))
                | (Some('\''), Some('\''))
                | (Some('('), Some(')'))
                | (Some('['), Some(']'))
                | (Some('{'), Some('}'))
                | (Some('<'), Some('>'))
        );
        if following.is_none_or(char::is_whitespace) || quoted {
            i = content_start;
            continue;
        }
        match find_end(content_start + 1, end, true).or_else(|| {
            (start == "`" || start == "``")
                .then(|| find_end(content_start, end, true))
                .flatten()
        }) {
            Some(close) => {
                if c == '`' && start == "`" {
                    let text: String = chars[content_start..close].iter().collect();
                    let after = close + 1;
                    if at(after) == Some('_') && at(after + 1) != Some('_') {
                        match text.rfind('<') {
                            Some(open) if text.ends_with('>') => {
                                targets.push(normalize(&text[..open]));
                            }
                            _ => references.push((line_of[i], normalize(&text))),
                        }
                    }
                }
                i = close + end.len();
            }
            None => {
                problems.push(RstProblem {
                    line: line_of[i] + 1,
                    message: format!("{what} start-string `{start}` without end-string; close it or escape it with `\\`"),
                });
                i = content_start;
            }
        }
    }
    // Simple references: `name_` after a space, not inside markup already skipped.
    let text: String = chars.iter().collect();
    for (index, word) in text.split_whitespace().enumerate() {
        let _ = index;
        let word = word.trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
        if let Some(name) = word.strip_suffix('_')
            && !name.ends_with('_')
            && !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.+".contains(c))
            && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            let position = text.find(word).unwrap_or(0);
            let line = line_of[text[..position].chars().count().min(line_of.len() - 1)];
            references.push((line, normalize(name)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn clean_text_passes() {
        let text = "Demo\n====\n\nSome *emphasis*, **strong**, ``code`` and a `link <https://x>`_.\n\n.. code:: python\n\n    x = `y\n\nSee Demo_ and `Demo`_.\n\n.. note:: fine\n";
        assert_eq!(check(text), vec![]);
    }

    #[test]
    fn problems_found() {
        let text = "Demo title\n====\n\n.. autofunction:: f\n\nAn *open emphasis and :func:`f` and `nowhere`_.\n";
        let problems = check(text);
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 4, 6, 6, 6], "{problems:?}");
    }
}
