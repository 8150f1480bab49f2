//! The project's `pyproject.toml`, kept with its text and spans so that rules about project
//! metadata can point at the key they are about.

use std::path::{Path, PathBuf};

use ruff_source_file::LineIndex;
use ruff_text_size::{TextRange, TextSize};
use toml_edit::{ImDocument, Item, Value};

pub struct PyprojectFile {
    pub path: PathBuf,
    pub source: String,
    document: ImDocument<String>,
    pub(crate) line_index: LineIndex,
}

impl PyprojectFile {
    /// Reads and parses the file; `None` when it is missing, unreadable or not valid TOML
    /// (the configuration loader reports a broken `pyproject.toml` on its own).
    pub fn read(path: &Path) -> Option<PyprojectFile> {
        const LIMIT: u64 = 10 * 1024 * 1024;
        let source = archlint_source::read::read_source(path, LIMIT).ok()?;
        let document: ImDocument<String> = source.parse().ok()?;
        let line_index = LineIndex::from_source_text(&source);
        Some(PyprojectFile {
            path: path.to_path_buf(),
            source,
            document,
            line_index,
        })
    }

    /// The item at a dotted key path (`["project", "requires-python"]`).
    pub fn item(&self, keys: &[&str]) -> Option<&Item> {
        let mut item = self.document.as_item();
        for key in keys {
            item = item.get(key)?;
        }
        Some(item)
    }

    /// A string value with its range.
    pub fn string(&self, keys: &[&str]) -> Option<(&str, TextRange)> {
        let item = self.item(keys)?;
        Some((item.as_str()?, self.range(item)))
    }

    /// The source range of an item (its value), or the start of the file.
    pub fn range(&self, item: &Item) -> TextRange {
        text_range(item.span())
    }

    /// The source range of a value inside an array or inline table.
    pub fn value_range(&self, value: &Value) -> TextRange {
        text_range(value.span())
    }

    /// The range of `key` in the table (or inline table) at `table`, falling back to the
    /// value's range.
    pub fn key_range(&self, table: &Item, key: &str) -> TextRange {
        let key_span = match table {
            Item::Table(table) => table.key(key).and_then(|k| k.span()),
            Item::Value(Value::InlineTable(table)) => table.key(key).and_then(|k| k.span()),
            _ => None,
        };
        match key_span {
            Some(span) => text_range(Some(span)),
            None => table
                .get(key)
                .map_or_else(|| self.range(table), |item| self.range(item)),
        }
    }

    /// A finding of `rule` at `range` of the file.
    pub fn diagnostic(
        &self,
        rule: &'static archlint_vocabulary::Rule,
        range: TextRange,
        message: String,
    ) -> archlint_vocabulary::diagnostic::Diagnostic {
        archlint_vocabulary::diagnostic::Diagnostic::at(
            rule,
            &self.path,
            &self.source,
            &self.line_index,
            range,
            message,
        )
    }

    /// Where `range` starts, as a line and column.
    pub fn location(&self, range: TextRange) -> archlint_vocabulary::diagnostic::Location {
        archlint_vocabulary::diagnostic::location(&self.source, &self.line_index, range.start())
    }

    /// The folder holding the file.
    pub fn root(&self) -> &Path {
        match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        }
    }

    /// The range of a table's header line (`[project]`), for findings about a missing key.
    pub fn table_range(&self, key: &str) -> TextRange {
        let header = format!("[{key}]");
        self.source
            .find(&header)
            .and_then(|start| {
                let start = TextSize::try_from(start).ok()?;
                Some(TextRange::at(start, TextSize::of(header.as_str())))
            })
            .unwrap_or_default()
    }
}

fn text_range(span: Option<std::ops::Range<usize>>) -> TextRange {
    span.and_then(|span| {
        let start = TextSize::try_from(span.start).ok()?;
        let end = TextSize::try_from(span.end).ok()?;
        Some(TextRange::new(start, end))
    })
    .unwrap_or_default()
}
