//! Absolute paths without asking the system for the working folder each time.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The working folder, read once: archlint never changes it, and a run makes thousands of
/// paths absolute (a `getcwd` call each with `std::path::absolute`).
static WORKING_FOLDER: LazyLock<Option<PathBuf>> = LazyLock::new(|| std::env::current_dir().ok());

/// What `std::path::absolute` gives (`.` components dropped, `..` kept, nothing resolved).
pub fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    match &*WORKING_FOLDER {
        // An empty path is an error, as it is for the standard library.
        Some(folder) if path.is_relative() && !path.as_os_str().is_empty() => {
            std::path::absolute(folder.join(path))
        }
        _ => std::path::absolute(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_as_the_standard_library() {
        for path in [
            "a/b.py",
            "./a/./b.py",
            "a/../b/",
            ".",
            "/x/./y/../z",
            "",
            "//n/x",
        ] {
            let path = Path::new(path);
            assert_eq!(
                absolute(path).ok(),
                std::path::absolute(path).ok(),
                "{}",
                path.display()
            );
        }
    }
}
