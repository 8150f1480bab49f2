//! The dotted module name of a file, as Python would import it.
//!
//! A file below a source root (the project root and `src/` by default, or `[tool.archlint]
//! src = [...]`) is named by its path from the deepest such root: `src/pkg/sub/mod.py` →
//! `pkg.sub.mod`, whether or not the folders hold an `__init__.py` (PEP 420 namespace
//! packages). A root that is itself a package is named from above it. A file outside every
//! root, or whose path is not made of identifiers, is named by the chain of folders holding
//! an `__init__.py` above it. Relative imports resolve from this name.

use std::path::{Path, PathBuf};

use ruff_python_stdlib::identifiers::is_identifier;

/// The module name and whether the file is a package's `__init__`. `roots` are absolute
/// source roots; `is_package_dir` says whether a folder holds an `__init__.py`.
pub fn module_name(
    path: &Path,
    roots: &[PathBuf],
    is_package_dir: impl Fn(&Path) -> bool,
) -> (Option<String>, bool) {
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
        return (None, false);
    };
    let is_package = stem == "__init__";
    if !roots.is_empty() {
        let absolute = super::settings::absolute(path);
        let deepest = roots
            .iter()
            .filter(|root| absolute.starts_with(root))
            .max_by_key(|root| root.components().count());
        if let Some(root) = deepest
            && let Some(name) = name_below_root(&absolute, root, &is_package_dir)
        {
            return (Some(name).filter(|n| !n.is_empty()), is_package);
        }
    }
    (package_chain(path, &is_package_dir), is_package)
}

/// The name from `root`, prefixed with the packages `root` itself sits in; `None` when a part
/// is not an identifier (the file cannot be imported under that name).
fn name_below_root(
    path: &Path,
    root: &Path,
    is_package_dir: &impl Fn(&Path) -> bool,
) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let mut parts: Vec<String> = Vec::new();
    if is_package_dir(root) {
        let outer = package_chain(&root.join("__init__.py"), is_package_dir)?;
        parts.push(outer);
    }
    let components: Vec<&str> = relative.iter().map(|c| c.to_str()).collect::<Option<_>>()?;
    let (file, folders) = components.split_last()?;
    for folder in folders {
        if !is_identifier(folder) {
            return None;
        }
        parts.push(folder.to_string());
    }
    let stem = Path::new(file).file_stem()?.to_str()?;
    if stem != "__init__" {
        if !is_identifier(stem) {
            return None;
        }
        parts.push(stem.to_string());
    }
    Some(parts.join("."))
}

/// The chain of regular packages above a file (`pkg/sub/mod.py` → `pkg.sub.mod`).
fn package_chain(path: &Path, is_package_dir: &impl Fn(&Path) -> bool) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let mut parts: Vec<String> = Vec::new();
    if stem != "__init__" {
        parts.push(stem.to_string());
    }
    let mut dir = path.parent();
    while let Some(folder) = dir {
        let Some(name) = folder.file_name().and_then(|n| n.to_str()) else {
            break;
        };
        if !is_package_dir(folder) {
            break;
        }
        parts.push(name.to_string());
        dir = folder.parent();
    }
    if parts.is_empty() {
        return None;
    }
    parts.reverse();
    Some(parts.join("."))
}

/// Looks a folder up on disk (for files checked outside a discovery walk).
pub fn has_init_file(dir: &Path) -> bool {
    dir.join("__init__.py").is_file() || dir.join("__init__.pyi").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(path: &str, roots: &[&str], packages: &[&str]) -> Option<String> {
        let roots: Vec<PathBuf> = roots.iter().map(PathBuf::from).collect();
        module_name(Path::new(path), &roots, |dir| {
            packages.iter().any(|p| dir == Path::new(p))
        })
        .0
    }

    #[test]
    fn names_follow_the_deepest_source_root() {
        let roots = ["/p", "/p/src"];
        assert_eq!(
            name("/p/src/pkg/sub/mod.py", &roots, &[]).as_deref(),
            Some("pkg.sub.mod")
        );
        assert_eq!(
            name("/p/src/pkg/__init__.py", &roots, &["/p/src/pkg"]).as_deref(),
            Some("pkg")
        );
        assert_eq!(
            name("/p/tools/run.py", &roots, &[]).as_deref(),
            Some("tools.run")
        );
    }

    #[test]
    fn a_root_inside_a_package_is_named_from_above_it() {
        assert_eq!(
            name("/w/django/db/models.py", &["/w/django"], &["/w/django"]).as_deref(),
            Some("django.db.models")
        );
    }

    #[test]
    fn paths_that_are_not_identifiers_fall_back_to_the_package_chain() {
        assert_eq!(
            name("/p/my-scripts/pkg/mod.py", &["/p"], &["/p/my-scripts/pkg"]).as_deref(),
            Some("pkg.mod")
        );
        assert_eq!(
            name("/p/my-scripts/run.py", &["/p"], &[]).as_deref(),
            Some("run")
        );
    }

    #[test]
    fn without_roots_the_package_chain_names_the_file() {
        assert_eq!(
            name("/x/pkg/sub/mod.py", &[], &["/x/pkg", "/x/pkg/sub"]).as_deref(),
            Some("pkg.sub.mod")
        );
    }
}
