//! YAML (GitHub Actions workflows and actions, `.gitlab-ci.yml`, `.pre-commit-config.yaml`),
//! parsed into a tree whose every node keeps where it is: line, column and byte offsets.
//!
//! The events come from `saphyr-parser` (YAML 1.2); the tree is built here, without recursion.
//! An alias is resolved to the node its anchor names, *shared*, not copied: a "billion laughs"
//! document (aliases of aliases of aliases) stays as small as its text, and [`Node::walk`]
//! visits each node once. The merge key `<<` is not expanded (GitHub Actions does not support
//! it). A document archlint cannot read is a [`YamlError`] at its line; nothing panics.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// Where a node starts or ends: a 1-based line, a 1-based column (characters), and the byte
/// offset in the text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    /// `|` or `>`: the text starts on the line after the indicator.
    Block,
}

#[derive(Debug)]
enum Value {
    Scalar(String, Style),
    Sequence(Vec<usize>),
    Mapping(Vec<(usize, usize)>),
}

#[derive(Debug)]
struct Data {
    value: Value,
    start: Position,
    end: Position,
}

/// A parsed YAML stream: its documents, each a tree of nodes.
#[derive(Debug)]
pub struct Yaml {
    nodes: Vec<Data>,
    documents: Vec<usize>,
}

/// Why a YAML text could not be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)
    }
}

/// One node of a [`Yaml`] tree.
#[derive(Clone, Copy)]
pub struct Node<'a> {
    yaml: &'a Yaml,
    id: usize,
}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Node({:?} at {:?})", self.data().value, self.start())
    }
}

/// Nodes deeper than this are refused: no rule needs them and nothing walking the tree
/// should have to think about them.
pub const MAX_DEPTH: usize = 512;

impl Yaml {
    /// The documents of the stream (a CI file has one).
    pub fn documents(&self) -> impl Iterator<Item = Node<'_>> {
        self.documents.iter().map(|&id| Node { yaml: self, id })
    }

    /// The first document's root, if the stream has a document.
    pub fn root(&self) -> Option<Node<'_>> {
        self.documents().next()
    }
}

impl<'a> Node<'a> {
    fn data(&self) -> &'a Data {
        &self.yaml.nodes[self.id]
    }

    pub fn start(&self) -> Position {
        self.data().start
    }

    pub fn end(&self) -> Position {
        self.data().end
    }

    /// The scalar's text (`None` for a sequence or a mapping).
    pub fn as_str(&self) -> Option<&'a str> {
        match &self.data().value {
            Value::Scalar(text, _) => Some(text),
            _ => None,
        }
    }

    pub fn style(&self) -> Option<Style> {
        match &self.data().value {
            Value::Scalar(_, style) => Some(*style),
            _ => None,
        }
    }

    /// Whether the node is `null`, `~` or empty, written plain.
    pub fn is_null(&self) -> bool {
        matches!(&self.data().value, Value::Scalar(t, Style::Plain) if matches!(t.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn is_mapping(&self) -> bool {
        matches!(self.data().value, Value::Mapping(_))
    }

    pub fn is_sequence(&self) -> bool {
        matches!(self.data().value, Value::Sequence(_))
    }

    /// A mapping's entries, in order (none for another kind of node).
    pub fn entries(&self) -> impl Iterator<Item = (Node<'a>, Node<'a>)> + use<'a> {
        let yaml = self.yaml;
        let entries: &'a [(usize, usize)] = match &self.data().value {
            Value::Mapping(entries) => entries,
            _ => &[],
        };
        entries
            .iter()
            .map(move |&(k, v)| (Node { yaml, id: k }, Node { yaml, id: v }))
    }

    /// A sequence's items (none for another kind of node).
    pub fn items(&self) -> impl Iterator<Item = Node<'a>> + use<'a> {
        let yaml = self.yaml;
        let items: &'a [usize] = match &self.data().value {
            Value::Sequence(items) => items,
            _ => &[],
        };
        items.iter().map(move |&id| Node { yaml, id })
    }

    /// The value of the first entry whose key is the scalar `key`.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        self.entry(key).map(|(_, value)| value)
    }

    /// The first entry whose key is the scalar `key`, key and value.
    pub fn entry(&self, key: &str) -> Option<(Node<'a>, Node<'a>)> {
        self.entries().find(|(k, _)| k.as_str() == Some(key))
    }

    /// `get(key)` as a string.
    pub fn str_of(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(|node| node.as_str())
    }

    /// This node and every node under it, each once, depth first in document order (an
    /// aliased node is visited where its anchor is, once however often it is aliased).
    pub fn walk(&self) -> Vec<Node<'a>> {
        let mut seen = vec![false; self.yaml.nodes.len()];
        let mut out = Vec::new();
        let mut stack = vec![self.id];
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id], true) {
                continue;
            }
            out.push(Node {
                yaml: self.yaml,
                id,
            });
            match &self.yaml.nodes[id].value {
                Value::Scalar(..) => {}
                Value::Sequence(items) => stack.extend(items.iter().rev()),
                Value::Mapping(entries) => {
                    for (k, v) in entries.iter().rev() {
                        stack.push(*v);
                        stack.push(*k);
                    }
                }
            }
        }
        out
    }

    /// The last line holding text of this node: a block collection's end marker, and a block
    /// scalar's, lie at the start of the next token, often lines later.
    pub fn last_line(&self) -> usize {
        self.walk()
            .iter()
            .filter(|node| node.as_str().is_some())
            .map(|node| {
                let (start, end) = (node.start(), node.end());
                if end.line > start.line && end.column == 1 {
                    end.line - 1
                } else {
                    end.line
                }
            })
            .max()
            .unwrap_or(self.start().line)
            .max(self.start().line)
    }

    /// Whether two handles are the same node (an alias and its anchor are).
    pub fn same(&self, other: &Node<'_>) -> bool {
        std::ptr::eq(self.yaml, other.yaml) && self.id == other.id
    }
}

/// Byte offsets of character indices (the parser counts characters).
struct Offsets<'s> {
    source: &'s str,
    ascii: bool,
    /// Byte offset of every character, for non-ASCII text.
    table: Vec<usize>,
    /// For a text re-indented by [`lenient`]: the original text's line starts, and the
    /// spaces added at the start of each line.
    original: Option<(Vec<usize>, Vec<usize>, &'s str)>,
}

impl<'s> Offsets<'s> {
    fn new(source: &'s str) -> Self {
        let ascii = source.is_ascii();
        let table = if ascii {
            Vec::new()
        } else {
            source.char_indices().map(|(i, _)| i).collect()
        };
        Offsets {
            source,
            ascii,
            table,
            original: None,
        }
    }

    fn byte(&self, index: usize) -> usize {
        if self.ascii {
            index.min(self.source.len())
        } else {
            self.table.get(index).copied().unwrap_or(self.source.len())
        }
    }

    fn position(&self, marker: &saphyr_parser::Marker) -> Position {
        if let Some((starts, added, text)) = &self.original {
            // The same line of the original text, the added spaces taken back out.
            let line = marker.line().max(1);
            let index = line - 1;
            let column = marker
                .col()
                .saturating_sub(added.get(index).copied().unwrap_or(0));
            let start = starts.get(index).copied().unwrap_or(text.len());
            let line_text = &text[start..];
            let offset = start
                + line_text
                    .char_indices()
                    .nth(column)
                    .map_or(line_text.len(), |(i, _)| i);
            return Position {
                line,
                column: column + 1,
                offset: offset.min(text.len()),
            };
        }
        Position {
            line: marker.line(),
            column: marker.col() + 1,
            offset: self.byte(marker.index()),
        }
    }
}

enum Open {
    Sequence(usize),
    /// A mapping and the key waiting for its value.
    Mapping(usize, Option<usize>),
}

/// Parses a YAML stream.
///
/// YAML requires the lines of a flow collection (`[…]`, `{…}`) inside a block to be indented
/// more than the block; GitHub's parser, like PyYAML, accepts a closing `]` at the block's own
/// indentation, and real workflows write it so. When the strict parse fails, the text is
/// parsed again with every line that holds only closing brackets indented like the line
/// before it; positions are those of the original text.
pub fn parse(source: &str) -> Result<Yaml, YamlError> {
    match parse_with(Offsets::new(source), source) {
        Ok(yaml) => Ok(yaml),
        Err(error) => {
            let Some((text, added)) = lenient(source) else {
                return Err(error);
            };
            let mut offsets = Offsets::new(&text);
            let starts = std::iter::once(0)
                .chain(source.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            offsets.original = Some((starts, added, source));
            parse_with(offsets, &text).map_err(|_| error)
        }
    }
}

/// The text with each line holding only closing brackets (and commas) indented like the
/// line before it, and the spaces added per line; `None` when no line changes.
fn lenient(source: &str) -> Option<(String, Vec<usize>)> {
    let mut out = String::with_capacity(source.len() + 64);
    let mut added = Vec::new();
    let mut previous_indent = 0;
    let mut changed = false;
    for line in source.split_inclusive('\n') {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        let content = body.trim_end();
        let closing =
            !content.is_empty() && content.chars().all(|c| matches!(c, ']' | '}' | ',' | ' '));
        if closing && indent < previous_indent {
            let extra = previous_indent - indent;
            out.extend(std::iter::repeat_n(' ', extra));
            added.push(extra);
            changed = true;
        } else {
            added.push(0);
            if !content.is_empty() && !content.starts_with('#') {
                previous_indent = indent;
            }
        }
        out.push_str(line);
    }
    changed.then_some((out, added))
}

fn parse_with(offsets: Offsets<'_>, source: &str) -> Result<Yaml, YamlError> {
    let mut yaml = Yaml {
        nodes: Vec::new(),
        documents: Vec::new(),
    };
    // Anchor ids (the parser numbers anchors) to the nodes they name.
    let mut anchors: Vec<Option<usize>> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let error_at = |span: &Span, message: String| YamlError {
        line: span.start.line(),
        column: span.start.col() + 1,
        message,
    };
    for event in Parser::new_from_str(source) {
        let (event, span) = event.map_err(|e| YamlError {
            line: e.marker().line(),
            column: e.marker().col() + 1,
            message: e.info().to_string(),
        })?;
        let start = offsets.position(&span.start);
        let end = offsets.position(&span.end);
        let (node, anchor) = match event {
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => continue,
            Event::Alias(anchor) => {
                let target = anchors.get(anchor).copied().flatten().ok_or_else(|| {
                    error_at(
                        &span,
                        "an alias names an anchor not defined before it".into(),
                    )
                })?;
                (target, 0)
            }
            Event::Scalar(text, style, anchor, _tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                    ScalarStyle::Literal | ScalarStyle::Folded => Style::Block,
                };
                let text = match text {
                    Cow::Borrowed(s) => s.to_string(),
                    Cow::Owned(s) => s,
                };
                yaml.nodes.push(Data {
                    value: Value::Scalar(text, style),
                    start,
                    end,
                });
                (yaml.nodes.len() - 1, anchor)
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= MAX_DEPTH {
                    return Err(error_at(
                        &span,
                        format!("nested more than {MAX_DEPTH} levels deep"),
                    ));
                }
                let value = if matches!(event, Event::SequenceStart(..)) {
                    Value::Sequence(Vec::new())
                } else {
                    Value::Mapping(Vec::new())
                };
                yaml.nodes.push(Data { value, start, end });
                let id = yaml.nodes.len() - 1;
                if anchor > 0 {
                    set_anchor(&mut anchors, anchor, id);
                }
                open.push(if matches!(yaml.nodes[id].value, Value::Sequence(_)) {
                    Open::Sequence(id)
                } else {
                    Open::Mapping(id, None)
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(closed) = open.pop() else {
                    return Err(error_at(&span, "unbalanced collection".into()));
                };
                let id = match closed {
                    Open::Sequence(id) | Open::Mapping(id, _) => id,
                };
                yaml.nodes[id].end = end;
                (id, 0)
            }
        };
        if anchor > 0 {
            set_anchor(&mut anchors, anchor, node);
        }
        match open.last_mut() {
            None => yaml.documents.push(node),
            Some(Open::Sequence(id)) => {
                if let Value::Sequence(items) = &mut yaml.nodes[*id].value {
                    items.push(node);
                }
            }
            Some(Open::Mapping(id, key)) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    if let Value::Mapping(entries) = &mut yaml.nodes[*id].value {
                        entries.push((k, node));
                    }
                }
            },
        }
    }
    Ok(yaml)
}

fn set_anchor(anchors: &mut Vec<Option<usize>>, anchor: usize, node: usize) {
    if anchors.len() <= anchor {
        anchors.resize(anchor + 1, None);
    }
    anchors[anchor] = Some(node);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_keep_their_lines_and_columns() {
        let text = "on: push\njobs:\n  test:\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n";
        let yaml = parse(text).unwrap();
        let root = yaml.root().unwrap();
        let steps = root.get("jobs").unwrap().get("test").unwrap().get("steps");
        let step = steps.unwrap().items().next().unwrap();
        let (key, uses) = step.entry("uses").unwrap();
        assert_eq!((key.start().line, key.start().column), (5, 9));
        assert_eq!(uses.as_str(), Some("actions/checkout@v4"));
        assert_eq!((uses.start().line, uses.start().column), (5, 15));
        assert_eq!(
            &text[uses.start().offset..uses.end().offset],
            "actions/checkout@v4"
        );
        let persist = step
            .get("with")
            .unwrap()
            .get("persist-credentials")
            .unwrap();
        assert_eq!(persist.start().line, 7);
    }

    #[test]
    fn aliases_share_the_anchored_node() {
        let yaml = parse("a: &x {k: v}\nb: *x\n").unwrap();
        let root = yaml.root().unwrap();
        let (a, b) = (root.get("a").unwrap(), root.get("b").unwrap());
        assert!(a.same(&b));
        assert_eq!(b.str_of("k"), Some("v"));
        assert_eq!(b.start().line, 1);
    }

    #[test]
    fn billion_laughs_stays_small() {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..40 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let yaml = parse(&text).unwrap();
        assert!(yaml.nodes.len() < 1000);
        assert!(yaml.root().unwrap().walk().len() < 1000);
    }

    #[test]
    fn broken_yaml_is_an_error_at_its_line() {
        let error = parse("on: push\njobs:\n  test: [\n").unwrap_err();
        assert!(error.line >= 3, "{error:?}");
        let error = parse("a: *nowhere\n").unwrap_err();
        assert_eq!(error.line, 1);
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = "[".repeat(100_000);
        assert!(parse(&text).is_err());
        let text = format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        // The parser has a nesting limit of its own, lower than ours; either refuses.
        assert!(parse(&text).is_err());
    }

    #[test]
    fn closing_brackets_at_the_block_indentation_are_accepted() {
        let text =
            "jobs:\n  matrix:\n    name: [\n      \"a\",\n      \"b\",\n    ]\n    os: [x]\n";
        let yaml = parse(text).unwrap();
        let matrix = yaml
            .root()
            .unwrap()
            .get("jobs")
            .unwrap()
            .get("matrix")
            .unwrap();
        let b = matrix.get("name").unwrap().items().nth(1).unwrap();
        assert_eq!(b.as_str(), Some("b"));
        assert_eq!((b.start().line, b.start().column), (5, 7));
        assert_eq!(&text[b.start().offset..b.end().offset], "\"b\"");
        let os = matrix.entry("os").unwrap().0;
        assert_eq!((os.start().line, os.start().column), (7, 5));
    }

    #[test]
    fn non_ascii_offsets_are_bytes() {
        let text = "name: \"é€\"\nrun: echo ok\n";
        let yaml = parse(text).unwrap();
        let run = yaml.root().unwrap().get("run").unwrap();
        assert_eq!(&text[run.start().offset..run.end().offset], "echo ok");
        assert_eq!(run.start().column, 6);
    }

    #[test]
    fn block_scalars_keep_their_text() {
        let text = "run: |\n  echo ${{ github.head_ref }}\n  make\n";
        let yaml = parse(text).unwrap();
        let run = yaml.root().unwrap().get("run").unwrap();
        assert_eq!(run.style(), Some(Style::Block));
        assert_eq!(run.as_str(), Some("echo ${{ github.head_ref }}\nmake\n"));
        let raw = &text[run.start().offset..run.end().offset];
        assert!(raw.contains("${{ github.head_ref }}"), "{raw:?}");
    }
}
