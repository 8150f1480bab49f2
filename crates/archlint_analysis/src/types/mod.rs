//! Types (guide §4), for a whole project: annotation coverage and public-API completeness
//! (`coverage`), computed from each module's typed surface (`api`), and `.pyi` stubs
//! (`stubs`). Unlike the other analyses these read the syntax tree itself, once per file in
//! the same parallel pass: a stub needs every signature as written, more than the facts the
//! rules keep.

pub mod annotations;
pub mod api;
pub mod coverage;
pub mod render;
pub mod stubs;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use archlint_project::settings::{Settings, relative_to};
use archlint_source::parse::ParsedFile;
use archlint_vocabulary::Role;
use archlint_vocabulary::diagnostic::Diagnostic;

/// What one pass over the project gives.
pub struct TypesRun {
    /// One per module: a module with both a `.py` and a `.pyi` is its stub.
    pub modules: Vec<api::ModuleApi>,
    /// The stubs to write, by path under the output folder, when asked for.
    pub stubs: Vec<(PathBuf, String)>,
    /// Files that could not be read or parsed.
    pub problems: Vec<Diagnostic>,
}

/// One file's part of the pass: its typed surface and, with `stubs`, its stub (an existing
/// `.pyi` is copied as it is). The caller reads and parses the files in parallel and hands
/// the results to [`assemble`].
pub fn read(file: &ParsedFile, settings: &Settings, stubs: bool) -> FileTypes {
    let is_stub = file.path.extension().is_some_and(|e| e == "pyi");
    let api = api::read(file, file.role == Role::Tests);
    let stub = stubs.then(|| {
        let stub = if is_stub {
            Stub::Copy(file.source.to_string())
        } else {
            Stub::Draft(stubs::draft(file, &api))
        };
        (stub_path(file, &settings.root), stub)
    });
    FileTypes { is_stub, api, stub }
}

/// The whole project from its files' parts ([`read`]), with the files that could not be read
/// or parsed.
pub fn assemble(files: Vec<FileTypes>, problems: Vec<Diagnostic>) -> TypesRun {
    // A `.pyi` beside its `.py` is what type checkers read: keep it, drop the source.
    let mut by_module: FxHashMap<String, usize> = FxHashMap::default();
    let mut kept: Vec<FileTypes> = Vec::new();
    for file in files {
        let key = file
            .api
            .path
            .with_extension("")
            .to_string_lossy()
            .into_owned();
        match by_module.get(&key) {
            Some(&index) if file.is_stub => kept[index] = file,
            Some(_) => {}
            None => {
                by_module.insert(key, kept.len());
                kept.push(file);
            }
        }
    }
    let (modules, drafts): (Vec<_>, Vec<_>) =
        kept.into_iter().map(|file| (file.api, file.stub)).unzip();
    let context = stub_context(&modules);
    let stubs = drafts
        .into_par_iter()
        .flatten()
        .map(|(path, stub)| match stub {
            Stub::Copy(text) => (path, text),
            Stub::Draft(draft) => (path, draft.finish(&context)),
        })
        .collect();
    TypesRun {
        stubs,
        modules,
        problems,
    }
}

/// One file read: whether it is a `.pyi`, its typed surface, and its stub when asked for.
pub struct FileTypes {
    is_stub: bool,
    api: api::ModuleApi,
    stub: Option<(PathBuf, Stub)>,
}

enum Stub {
    /// An existing `.pyi`, copied as it is.
    Copy(String),
    Draft(stubs::Draft),
}

/// The project's modules and, for each, the names other modules import from it: a stub must
/// re-export those.
fn stub_context(modules: &[api::ModuleApi]) -> stubs::StubContext<'_> {
    let mut context = stubs::StubContext {
        modules: modules.iter().map(|m| m.module.as_str()).collect(),
        alls: modules
            .iter()
            .filter_map(|m| Some((m.module.as_str(), m.dunder_all.as_deref()?)))
            .collect(),
        imported: FxHashMap::default(),
    };
    for import in modules.iter().flat_map(|m| &m.imports) {
        if import.is_from()
            && !import.is_star()
            && let Some((module, member)) = import.target.rsplit_once('.')
            && context.modules.contains(module)
        {
            context.imported.entry(module).or_default().insert(member);
        }
    }
    context
}

/// Where a module's stub goes under the output folder: by its dotted name
/// (`pkg/sub/__init__.pyi`), or by its path for a file outside any package.
fn stub_path(file: &ParsedFile, root: &Path) -> PathBuf {
    match &file.module {
        Some(module) => {
            let mut path: PathBuf = module.split('.').collect();
            if file.is_package {
                path.push("__init__.pyi");
            } else {
                path.set_extension("pyi");
            }
            path
        }
        None => {
            let relative = relative_to(root, file.path);
            // Never outside the output folder, whatever path the file was given by.
            if relative.is_absolute()
                || relative
                    .components()
                    .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                Path::new(file.path.file_name().unwrap_or_default()).with_extension("pyi")
            } else {
                relative.with_extension("pyi")
            }
        }
    }
}

/// Writes the stubs under `out`, each file whole or not at all (see
/// [`archlint_source::write`]).
pub fn write_stubs(stubs: &[(PathBuf, String)], out: &Path) -> anyhow::Result<()> {
    use anyhow::Context;
    stubs.par_iter().try_for_each(|(relative, text)| {
        let path = out.join(relative);
        let dir = path.parent().unwrap_or(out);
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        archlint_source::write::write_file(&path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))
    })
}
