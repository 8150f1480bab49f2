//! Code metrics per file and per function, method and class, counted as radon counts them:
//! cyclomatic complexity and its rank (`cyclomatic`), raw line counts (`raw`), Halstead
//! metrics (`halstead`) and the maintainability index; and cognitive complexity as
//! complexipy counts it (`cognitive`). `archlint metrics` prints them (`render`); the PERF
//! rules and `archlint profile` read them.

pub mod cognitive;
pub mod cyclomatic;
pub mod halstead;
pub mod raw;
pub mod render;

use std::path::{Path, PathBuf};

use ruff_python_ast::Stmt;
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextSize};
use serde::Serialize;

use archlint_source::parse::ParsedFile;
use cyclomatic::{Class, Function};

/// One file's metrics (serialised as `archlint metrics` writes each file).
#[derive(Debug, Serialize)]
pub struct FileMetrics {
    #[serde(serialize_with = "lossy_path")]
    pub path: PathBuf,
    pub maintainability_index: f64,
    pub mi_rank: char,
    pub raw: raw::RawMetrics,
    pub halstead: halstead::Halstead,
    /// Every function, method and class, in the order of their lines.
    pub blocks: Vec<Block>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Function,
    Method,
    Class,
}

impl BlockKind {
    /// radon's letter: F, M, C.
    pub fn letter(self) -> char {
        match self {
            BlockKind::Function => 'F',
            BlockKind::Method => 'M',
            BlockKind::Class => 'C',
        }
    }
}

/// A function, method or class.
#[derive(Clone, Debug, Serialize)]
pub struct Block {
    pub kind: BlockKind,
    /// Dotted from the outermost block: `Class.method`, `outer.inner`.
    pub name: String,
    /// The line of `def` or `class` (not of a decorator).
    pub line: u32,
    pub end_line: u32,
    pub complexity: u32,
    pub rank: char,
    pub cognitive: u32,
    /// A block radon lists by default (a module's functions and classes, and their methods);
    /// closures and inner classes are listed only with its `--show-closures`. Averages and
    /// the gates count these, as xenon does.
    #[serde(skip)]
    pub top_level: bool,
}

/// The metrics of a parsed file.
pub fn measure(file: &ParsedFile) -> FileMetrics {
    let lines = LineIndex::from_source_text(file.source);
    let body = &file.parsed.syntax().body;
    let complexity = cyclomatic::score(body);
    let raw = raw::count(file.source);
    let halstead = halstead::count(body);
    let maintainability_index = maintainability_index(&raw, &halstead, complexity.total);
    let mut blocks = Blocks {
        lines: &lines,
        list: Vec::new(),
    };
    for function in &complexity.functions {
        blocks.add_function(function, BlockKind::Function, "", true);
    }
    for class in &complexity.classes {
        blocks.add_class(class, "", true);
    }
    let mut blocks = blocks.list;
    blocks.sort_by(|a, b| (a.line, &a.name).cmp(&(b.line, &b.name)));
    FileMetrics {
        path: file.path.to_path_buf(),
        maintainability_index,
        mi_rank: mi_rank(maintainability_index),
        raw,
        halstead,
        blocks,
    }
}

/// The blocks of a file as they are listed, outermost first.
struct Blocks<'l> {
    lines: &'l LineIndex,
    list: Vec<Block>,
}

impl Blocks<'_> {
    fn line(&self, offset: TextSize) -> u32 {
        self.lines.line_index(offset).get() as u32
    }

    /// Lists a function and what it defines; gives its cognitive complexity.
    fn add_function(
        &mut self,
        function: &Function,
        kind: BlockKind,
        prefix: &str,
        top_level: bool,
    ) -> u32 {
        let def = function.def;
        let name = format!("{prefix}{}", def.name);
        let cognitive = cognitive::cognitive_complexity(def);
        self.list.push(Block {
            kind,
            name: name.clone(),
            // The line of `def` (radon's `lineno`), not of the first decorator.
            line: self.line(def.name.start()),
            end_line: self.line(def.end()),
            complexity: function.complexity,
            rank: cyclomatic::rank(function.complexity),
            cognitive,
            top_level,
        });
        let prefix = format!("{name}.");
        for closure in &function.closures {
            self.add_function(closure, BlockKind::Function, &prefix, false);
        }
        for class in &function.classes {
            self.add_class(class, &prefix, false);
        }
        cognitive
    }

    fn add_class(&mut self, class: &Class, prefix: &str, top_level: bool) {
        let name = format!("{prefix}{}", class.class.name);
        let complexity = class.complexity();
        let index = self.list.len();
        self.list.push(Block {
            kind: BlockKind::Class,
            name: name.clone(),
            line: self.line(class.class.name.start()),
            end_line: self.line(class.class.end()),
            complexity,
            rank: cyclomatic::rank(complexity),
            cognitive: 0,
            top_level,
        });
        let prefix = format!("{name}.");
        // A class's cognitive complexity is its methods' (complexipy scores functions only).
        self.list[index].cognitive = class
            .methods
            .iter()
            .map(|method| self.add_function(method, BlockKind::Method, &prefix, top_level))
            .sum();
        for inner in &class.inner_classes {
            self.add_class(inner, &prefix, false);
        }
    }
}

/// A module's maintainability index, from its text and syntax tree.
pub fn module_maintainability(source: &str, body: &[Stmt]) -> f64 {
    let complexity = cyclomatic::score(body).total;
    maintainability_index(&raw::count(source), &halstead::count(body), complexity)
}

/// radon's maintainability index (`mi_compute` with multi-line strings counted as comments):
/// `171 - 5.2 ln(V) - 0.23 G - 16.2 ln(L) + 50 sin(sqrt(2.46 C))` scaled to 0–100, where `V` is
/// the Halstead volume, `G` the module's total cyclomatic complexity, `L` the logical lines
/// and `C` the comment and multi-line string lines as a percentage of the source lines (taken
/// as degrees and turned into radians, as radon has it).
fn maintainability_index(
    raw: &raw::RawMetrics,
    halstead: &halstead::Halstead,
    complexity: u32,
) -> f64 {
    let volume = halstead.volume;
    if volume <= 0.0 || raw.lloc == 0 {
        return 100.0;
    }
    let comments = if raw.sloc == 0 {
        0.0
    } else {
        f64::from(raw.comments + raw.multi) / f64::from(raw.sloc) * 100.0
    };
    let unnormalised =
        171.0 - 5.2 * volume.ln() - 0.23 * f64::from(complexity) - 16.2 * f64::from(raw.lloc).ln()
            + 50.0 * (2.46 * comments.to_radians()).sqrt().sin();
    (unnormalised * 100.0 / 171.0).clamp(0.0, 100.0)
}

fn lossy_path<S: serde::Serializer>(path: &Path, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&path.display())
}

/// radon's maintainability rank: A above 19, B above 9, C at 9 or below.
pub fn mi_rank(index: f64) -> char {
    if index > 19.0 {
        'A'
    } else if index > 9.0 {
        'B'
    } else {
        'C'
    }
}

/// The mean complexity of the blocks radon lists by default (0 with none), as xenon averages.
pub fn average_complexity<'b>(blocks: impl IntoIterator<Item = &'b Block>) -> f64 {
    let (sum, count) = blocks
        .into_iter()
        .filter(|b| b.top_level)
        .fold((0u64, 0u64), |(sum, count), b| {
            (sum + u64::from(b.complexity), count + 1)
        });
    if count == 0 {
        0.0
    } else {
        sum as f64 / count as f64
    }
}

/// The rank of an average, as radon ranks it (the average rounded up).
pub fn average_rank(average: f64) -> char {
    cyclomatic::rank(average.ceil() as u32)
}
