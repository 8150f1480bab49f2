//! `archlint profile`: a profile's hotspots joined with the project. Each hotspot's file, a
//! path on the machine that ran the profile, is matched to a project file by the longest
//! common path suffix (at least the file's module path, `shop/render.py` for
//! `shop.render`, so that a library's `utils.py` is not taken for the project's); the
//! function is the innermost definition of that name whose lines hold the profile's line
//! (cProfile gives the first line of the code, its first decorator; samplers a line inside
//! it); its findings are those `archlint check` reports inside those lines, with the
//! project's configuration and the performance chapter selected, and its metrics those of
//! `archlint metrics` (cyclomatic and cognitive complexity).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use ruff_python_ast::statement_visitor::{StatementVisitor, walk_stmt};
use ruff_python_ast::{self as ast, Stmt};
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextSize};

use archlint_analysis::metrics::{cognitive, cyclomatic};
use archlint_profile::Profile;
use archlint_profile::report::{Definition, Finding, FunctionMetrics, Join};
use archlint_project::discover::discover;
use archlint_project::module_name::module_name;
use archlint_project::settings::{Overrides, Settings};
use archlint_rules::registry;
use archlint_source::read::read_source;

/// The selector added to the project's own: the performance chapter's rules (`PERF…`).
pub const PERFORMANCE: &str = "performance";

/// What the project says about the profile's functions `shown`, one [`Join`] each.
pub fn join(
    profile: &Profile,
    shown: &[usize],
    project: &Path,
    overrides: &Overrides,
) -> anyhow::Result<Vec<Join>> {
    let mut overrides = overrides.clone();
    overrides.extend_select.push(PERFORMANCE.to_string());
    let settings = Settings::resolve(registry::catalogue(), project, &overrides)?;
    let paths = [project.to_path_buf()];
    let discovered = discover(&paths, &settings);
    let files = ProjectFiles::new(&discovered.files, &settings, &|dir| {
        discovered.is_package_dir(dir)
    });
    let matched: Vec<Option<usize>> = shown
        .iter()
        .map(|&index| {
            let function = &profile.functions[index];
            if function.is_builtin() || function.file.starts_with('<') || function.file.is_empty() {
                None
            } else {
                files.find(&function.file)
            }
        })
        .collect();
    let mut joins = vec![Join::default(); shown.len()];
    if matched.iter().all(Option::is_none) {
        return Ok(joins);
    }
    let outcome = super::check(&paths, &settings, &|| {});
    let mut definitions: HashMap<usize, Vec<Def>> = HashMap::new();
    for ((join, &index), file) in joins.iter_mut().zip(shown).zip(&matched) {
        let Some(file) = *file else {
            continue;
        };
        let path = &discovered.files[file];
        let defs = definitions
            .entry(file)
            .or_insert_with(|| definitions_in(path, &settings));
        let function = &profile.functions[index];
        let line = function.line as usize;
        let Some(def) = defs
            .iter()
            .filter(|d| d.name == function.name && d.start <= line && line <= d.end)
            .min_by_key(|d| d.end - d.start)
        else {
            continue;
        };
        join.definition = Some(Definition {
            path: shown_path(path),
            qualname: def.qualname.clone(),
            line: def.start,
            end_line: def.end,
        });
        join.metrics = def.metrics;
        join.findings = outcome
            .diagnostics
            .iter()
            .filter(|d| &d.path == path && def.start <= d.start.line && d.start.line <= def.end)
            .map(|d| Finding {
                code: d.code.to_string(),
                severity: d.severity.name().to_string(),
                line: d.start.line,
                column: d.start.column,
                message: d.message.clone(),
            })
            .collect();
    }
    Ok(joins)
}

/// A path as the findings of `archlint check` show it: relative to the current folder when
/// under it.
fn shown_path(path: &Path) -> String {
    let shown = archlint_project::options::display_path(path);
    let shown = shown.strip_prefix(".").unwrap_or(&shown);
    shown.display().to_string()
}

/// The names of a path, last first (`/srv/app/shop/render.py` → `render.py`, `shop`, …).
fn names_from_the_end(path: &str) -> Vec<&str> {
    path.split(['/', '\\'])
        .filter(|part| !part.is_empty() && *part != ".")
        .rev()
        .collect()
}

/// The project's files, by file name, with how many trailing names a profile's path must
/// share with each.
struct ProjectFiles {
    by_name: HashMap<String, Vec<(usize, Vec<String>, usize)>>,
}

impl ProjectFiles {
    fn new(files: &[PathBuf], settings: &Settings, is_package_dir: &dyn Fn(&Path) -> bool) -> Self {
        let mut by_name: HashMap<String, Vec<(usize, Vec<String>, usize)>> = HashMap::new();
        for (index, path) in files.iter().enumerate() {
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            let relative = absolute.strip_prefix(&settings.root).unwrap_or(&absolute);
            let names: Vec<String> = relative
                .components()
                .filter_map(|c| match c {
                    Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
                    _ => None,
                })
                .rev()
                .collect();
            let Some(file_name) = names.first().cloned() else {
                continue;
            };
            let (module, is_package) =
                module_name(path, &settings.project.source_roots, is_package_dir);
            // A module's path from its source root; a script's from the project root.
            let required = match module {
                Some(module) => module.split('.').count() + usize::from(is_package),
                None => names.len(),
            };
            by_name
                .entry(file_name)
                .or_default()
                .push((index, names, required.max(1)));
        }
        ProjectFiles { by_name }
    }

    /// The project file a profile's path names: the longest shared suffix, when it covers
    /// the file's module path and no other file shares as long a one.
    fn find(&self, profile_path: &str) -> Option<usize> {
        let wanted = names_from_the_end(profile_path);
        let candidates = self.by_name.get(*wanted.first()?)?;
        let mut best: Option<(usize, usize)> = None;
        let mut tie = false;
        for (index, names, required) in candidates {
            let shared = names
                .iter()
                .zip(&wanted)
                .take_while(|(a, b)| a.as_str() == **b)
                .count();
            if shared < *required {
                continue;
            }
            match best {
                Some((_, longest)) if shared == longest => tie = true,
                Some((_, longest)) if shared < longest => {}
                _ => {
                    best = Some((*index, shared));
                    tie = false;
                }
            }
        }
        if tie {
            None
        } else {
            best.map(|(index, _)| index)
        }
    }
}

/// A function or class of a file: its name, qualified name, lines (from its first
/// decorator to its last line) and, for a function, its complexity as `archlint metrics`
/// gives it.
struct Def {
    name: String,
    qualname: String,
    start: usize,
    end: usize,
    metrics: Option<FunctionMetrics>,
}

/// The functions and classes defined in `path`, at any depth; none when it does not read or
/// parse.
fn definitions_in(path: &Path, settings: &Settings) -> Vec<Def> {
    let Ok(source) = read_source(path, settings.max_file_size) else {
        return Vec::new();
    };
    let Ok(parsed) = archlint_source::parse::parse(&source) else {
        return Vec::new();
    };
    struct Collector {
        index: LineIndex,
        scope: Vec<String>,
        out: Vec<Def>,
    }
    impl Collector {
        fn line(&self, offset: TextSize) -> usize {
            self.index.line_index(offset).get()
        }
    }
    impl<'a> StatementVisitor<'a> for Collector {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            let (name, metrics) = match stmt {
                Stmt::FunctionDef(def) => (
                    def.name.as_str(),
                    Some(FunctionMetrics {
                        complexity: cyclomatic::function_complexity(def),
                        cognitive: cognitive::cognitive_complexity(def),
                    }),
                ),
                Stmt::ClassDef(ast::StmtClassDef { name, .. }) => (name.as_str(), None),
                _ => return walk_stmt(self, stmt),
            };
            let mut qualname = self.scope.join(".");
            if !qualname.is_empty() {
                qualname.push('.');
            }
            qualname.push_str(name);
            // The range of a decorated definition starts at its first decorator, where
            // cProfile's line points.
            let start = self.line(stmt.start());
            let end = self.line(stmt.end());
            self.out.push(Def {
                name: name.to_string(),
                qualname,
                start,
                end,
                metrics,
            });
            self.scope.push(name.to_string());
            walk_stmt(self, stmt);
            self.scope.pop();
        }
    }
    let mut collector = Collector {
        index: LineIndex::from_source_text(&source),
        scope: Vec::new(),
        out: Vec::new(),
    };
    collector.visit_body(&parsed.syntax().body);
    collector.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_path_from_its_end() {
        assert_eq!(
            names_from_the_end("/srv/app/./shop/render.py"),
            ["render.py", "shop", "app", "srv"]
        );
        assert_eq!(
            names_from_the_end("C:\\app\\main.py"),
            ["main.py", "app", "C:"]
        );
    }
}
