//! `archlint metrics` output: text (the worst blocks first, then the least maintainable files
//! and the project's averages) and JSON (`docs/output-metrics.md`). Paths are shown as found
//! from the paths given, as `check` shows them.

use std::fmt::Write;
use std::path::Path;

use super::{Block, FileMetrics, average_complexity, average_rank};

pub struct RenderOptions {
    /// Blocks ranked below this are left out of the text (`--min-rank`); files too, by their
    /// maintainability rank.
    pub min_rank: char,
}

/// The JSON document: `{"files": [...]}`, files by path, blocks by line.
pub fn json(files: &[FileMetrics]) -> String {
    #[derive(serde::Serialize)]
    struct Document<'a> {
        files: &'a [FileMetrics],
    }
    let mut text = serde_json::to_string_pretty(&Document { files }).expect("metrics serialise");
    text.push('\n');
    text
}

/// The text report.
pub fn text(files: &[FileMetrics], options: &RenderOptions) -> String {
    let mut out = String::new();
    let mut blocks: Vec<(&Path, &Block)> = files
        .iter()
        .flat_map(|file| file.blocks.iter().map(|block| (file.path.as_path(), block)))
        .filter(|(_, block)| block.rank >= options.min_rank)
        .collect();
    blocks.sort_by(|(path_a, a), (path_b, b)| {
        (b.complexity, b.cognitive)
            .cmp(&(a.complexity, a.cognitive))
            .then_with(|| (*path_a, a.line).cmp(&(*path_b, b.line)))
    });
    if !blocks.is_empty() {
        let _ = writeln!(
            out,
            "Blocks ranked {} or worse, most complex first (cyclomatic, cognitive):",
            options.min_rank
        );
        for (path, block) in &blocks {
            let _ = writeln!(
                out,
                "  {} {:>3} {:>4}  {}:{} {} {}",
                block.rank,
                block.complexity,
                block.cognitive,
                path.display(),
                block.line,
                block.kind.letter(),
                block.name
            );
        }
        out.push('\n');
    }
    let mut modules: Vec<&FileMetrics> = files
        .iter()
        .filter(|file| file.mi_rank >= options.min_rank)
        .collect();
    modules.sort_by(|a, b| {
        a.maintainability_index
            .total_cmp(&b.maintainability_index)
            .then_with(|| a.path.cmp(&b.path))
    });
    if !modules.is_empty() {
        let _ = writeln!(
            out,
            "Files with maintainability rank {} or worse, least maintainable first:",
            options.min_rank
        );
        for file in &modules {
            let average = average_complexity(&file.blocks);
            let _ = writeln!(
                out,
                "  {} {:>6.2}  {}  (lloc {}, average complexity {} {:.2})",
                file.mi_rank,
                file.maintainability_index,
                file.path.display(),
                file.raw.lloc,
                average_rank(average),
                average
            );
        }
        out.push('\n');
    }
    let average = average_complexity(files.iter().flat_map(|f| &f.blocks));
    let ranked = |rank: char| files.iter().filter(|f| f.mi_rank == rank).count();
    let blocks = files
        .iter()
        .flat_map(|f| &f.blocks)
        .filter(|b| b.top_level)
        .count();
    let _ = writeln!(
        out,
        "{} {}, {} {}: average complexity {} ({:.2}); maintainability A {}, B {}, C {}",
        files.len(),
        if files.len() == 1 { "file" } else { "files" },
        blocks,
        if blocks == 1 { "block" } else { "blocks" },
        average_rank(average),
        average,
        ranked('A'),
        ranked('B'),
        ranked('C'),
    );
    out
}
