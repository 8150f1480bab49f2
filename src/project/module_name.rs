//! The dotted module name of a file: the chain of folders holding an `__init__.py` above it
//! (`pkg/sub/mod.py` → `pkg.sub.mod`). Relative imports resolve from it.

use std::path::Path;

/// The module name and whether the file is a package's `__init__`; `is_package_dir` says
/// whether a folder holds an `__init__.py`.
pub fn module_name(path: &Path, is_package_dir: impl Fn(&Path) -> bool) -> (Option<String>, bool) {
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
        return (None, false);
    };
    let is_package = stem == "__init__";
    let mut parts: Vec<String> = Vec::new();
    if !is_package {
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
        return (None, is_package);
    }
    parts.reverse();
    (Some(parts.join(".")), is_package)
}

/// Looks a folder up on disk (for files checked outside a discovery walk).
pub fn has_init_file(dir: &Path) -> bool {
    dir.join("__init__.py").is_file() || dir.join("__init__.pyi").is_file()
}
