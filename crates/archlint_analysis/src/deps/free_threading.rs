//! Whether an environment is ready for free-threaded Python (guide §2): the installed
//! distributions that ship extension modules without a free-threaded build. Importing such a
//! module on a free-threaded interpreter (3.13t, 3.14t) re-enables the GIL for the whole
//! process, with a warning, so one dependency undoes the build.
//!
//! Read from the files an installer leaves, never by importing: the extension modules in
//! `RECORD` and the tags in `WHEEL`. A free-threaded build is tagged with an ABI ending in
//! `t` (`cp313t`, `cp314t`), in the wheel's tags and in its extension modules' file names
//! (`_speedups.cpython-313t-x86_64-linux-gnu.so`, `_speedups.cp313t-win_amd64.pyd`). The
//! stable ABI (`abi3`) has no free-threaded variant before Python 3.15.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::distributions::Environment;

/// What one installed distribution means for a free-threaded interpreter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Readiness {
    /// No extension modules: runs on any build.
    PurePython,
    /// Extension modules built for a free-threaded ABI.
    FreeThreaded,
    /// Extension modules built for the GIL only: on a free-threaded interpreter, importing
    /// them re-enables the GIL.
    GilOnly,
}

/// One distribution's readiness and the evidence for it.
#[derive(Debug, Serialize)]
pub struct Distribution {
    pub name: String,
    pub version: String,
    pub readiness: Readiness,
    /// The extension modules `RECORD` lists, as paths inside `site-packages`.
    pub extension_modules: Vec<String>,
    /// The `Tag:` lines of `WHEEL`.
    pub wheel_tags: Vec<String>,
    #[serde(skip)]
    pub dist_info: PathBuf,
}

/// The readiness of an environment.
#[derive(Debug, Serialize)]
pub struct Report {
    pub site_packages: Vec<PathBuf>,
    /// Whether the environment's own interpreter is a free-threaded build (its
    /// `site-packages` sits under `python3.Nt`). On a GIL interpreter the installed wheels
    /// are GIL builds whatever the project publishes.
    pub interpreter_free_threaded: bool,
    pub distributions: Vec<Distribution>,
}

impl Report {
    /// Whether a free-threaded interpreter of this environment would run with the GIL
    /// re-enabled: what `deps --free-threading` fails on.
    pub fn reenables_gil(&self) -> bool {
        self.interpreter_free_threaded && self.count(Readiness::GilOnly) > 0
    }

    pub fn count(&self, readiness: Readiness) -> usize {
        self.distributions
            .iter()
            .filter(|d| d.readiness == readiness)
            .count()
    }
}

/// The readiness of every distribution installed in `environment`, by name.
pub fn assess(environment: &Environment) -> Report {
    let mut distributions: Vec<Distribution> = environment
        .installed
        .iter()
        .filter_map(|installed| {
            let dist_info = installed.metadata.parent()?.to_path_buf();
            let extension_modules = extension_modules(&dist_info);
            let wheel_tags = wheel_tags(&dist_info);
            let readiness = readiness(&extension_modules, &wheel_tags);
            Some(Distribution {
                name: installed.name.clone(),
                version: installed.version.clone(),
                readiness,
                extension_modules,
                wheel_tags,
                dist_info,
            })
        })
        .collect();
    distributions.sort_by(|a, b| {
        (a.name.to_ascii_lowercase(), &a.version).cmp(&(b.name.to_ascii_lowercase(), &b.version))
    });
    Report {
        interpreter_free_threaded: environment
            .site_packages
            .iter()
            .any(|folder| is_free_threaded_lib(folder)),
        site_packages: environment.site_packages.clone(),
        distributions,
    }
}

fn readiness(extension_modules: &[String], wheel_tags: &[String]) -> Readiness {
    if extension_modules.is_empty() {
        return Readiness::PurePython;
    }
    let tagged = wheel_tags
        .iter()
        .any(|tag| tag.split('-').nth(1).is_some_and(is_free_threaded_abi));
    let named = extension_modules
        .iter()
        .all(|module| module_abi(module).is_some_and(is_free_threaded_abi));
    if tagged || named {
        Readiness::FreeThreaded
    } else {
        Readiness::GilOnly
    }
}

/// `cp313t`, `cp314t`, and the `313t` of `cpython-313t`, possibly among several
/// dot-separated ABI tags.
fn is_free_threaded_abi(abi: &str) -> bool {
    abi.split('.').any(|abi| {
        let digits = abi.strip_prefix("cp").unwrap_or(abi);
        digits.strip_suffix('t').is_some_and(|version| {
            !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit())
        })
    })
}

/// The ABI part of an extension module's file name: `313t` in
/// `m.cpython-313t-x86_64-linux-gnu.so`, `cp313t` in `m.cp313t-win_amd64.pyd`, `abi3` in
/// `m.abi3.so`.
fn module_abi(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next()?;
    let mut parts = name.split('.');
    parts.next()?;
    let tag = parts.next()?;
    let tag = tag.strip_prefix("cpython-").unwrap_or(tag);
    tag.split('-').next()
}

fn is_free_threaded_lib(site_packages: &Path) -> bool {
    site_packages
        .parent()
        .and_then(Path::file_name)
        .and_then(|name| name.to_str())
        .and_then(|name| name.strip_prefix("python"))
        .is_some_and(|version| version.ends_with('t'))
}

/// The extension modules `RECORD` lists (`.so`, `.pyd`), skipping files outside the
/// `site-packages` folder.
fn extension_modules(dist_info: &Path) -> Vec<String> {
    let Ok(record) = std::fs::read_to_string(dist_info.join("RECORD")) else {
        return Vec::new();
    };
    let mut modules: Vec<String> = record
        .lines()
        .filter_map(|line| line.split(',').next())
        .filter(|path| !path.starts_with("..") && !path.starts_with('/'))
        .filter(|path| path.ends_with(".pyd") || path.ends_with(".so"))
        // Shared libraries vendored beside the extension modules (`numpy.libs/…so`) are not
        // modules.
        .filter(|path| {
            !path
                .split('/')
                .next()
                .unwrap_or_default()
                .ends_with(".libs")
        })
        .map(str::to_string)
        .collect();
    modules.sort();
    modules
}

fn wheel_tags(dist_info: &Path) -> Vec<String> {
    let Ok(wheel) = std::fs::read_to_string(dist_info.join("WHEEL")) else {
        return Vec::new();
    };
    wheel
        .lines()
        .filter_map(|line| line.strip_prefix("Tag:"))
        .map(|tag| tag.trim().to_string())
        .collect()
}

/// The report as text: one line per distribution that is not pure Python, worst first, then
/// the counts.
pub fn render_text(report: &Report, shown: &dyn Fn(&Path) -> String) -> String {
    let mut text = String::new();
    let folders: Vec<String> = report.site_packages.iter().map(|p| shown(p)).collect();
    text.push_str(&format!(
        "Free-threading readiness of {} ({}):\n",
        folders.join(", "),
        if report.interpreter_free_threaded {
            "a free-threaded interpreter"
        } else {
            "a GIL interpreter: its wheels are GIL builds whatever the projects publish; read a 3.13t or 3.14t environment to learn which have free-threaded builds"
        }
    ));
    let mut listed: Vec<&Distribution> = report
        .distributions
        .iter()
        .filter(|d| d.readiness != Readiness::PurePython)
        .collect();
    listed.sort_by_key(|d| d.readiness != Readiness::GilOnly);
    for distribution in listed {
        let first = distribution
            .extension_modules
            .first()
            .map(String::as_str)
            .unwrap_or_default();
        let more = match distribution.extension_modules.len() {
            0 | 1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        let verdict = match distribution.readiness {
            Readiness::GilOnly if report.interpreter_free_threaded => {
                "no free-threaded build; importing it re-enables the GIL"
            }
            Readiness::GilOnly => "extension modules built for the GIL",
            _ => "free-threaded build",
        };
        let tags = if distribution.wheel_tags.is_empty() {
            String::new()
        } else {
            format!(", wheel tag {}", distribution.wheel_tags.join(" "))
        };
        text.push_str(&format!(
            "  {} {}: {verdict} ({first}{more}{tags})\n",
            distribution.name, distribution.version
        ));
    }
    text.push_str(&format!(
        "{} distributions: {} pure Python, {} with free-threaded builds, {} {}.\n",
        report.distributions.len(),
        report.count(Readiness::PurePython),
        report.count(Readiness::FreeThreaded),
        report.count(Readiness::GilOnly),
        if report.interpreter_free_threaded {
            "re-enable the GIL"
        } else {
            "built for the GIL"
        },
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn install(site: &Path, name: &str, record: &[&str], tags: &[&str]) {
        let dist_info = site.join(format!("{name}-1.0.dist-info"));
        std::fs::create_dir_all(&dist_info).unwrap();
        std::fs::write(
            dist_info.join("METADATA"),
            format!("Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"),
        )
        .unwrap();
        let record: String = record.iter().map(|path| format!("{path},,\n")).collect();
        std::fs::write(dist_info.join("RECORD"), record).unwrap();
        if !tags.is_empty() {
            let wheel: String = tags.iter().map(|tag| format!("Tag: {tag}\n")).collect();
            std::fs::write(
                dist_info.join("WHEEL"),
                format!("Wheel-Version: 1.0\n{wheel}"),
            )
            .unwrap();
        }
    }

    fn report(lib: &str) -> Report {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("lib").join(lib).join("site-packages");
        install(&site, "pure", &["pure/__init__.py"], &["py3-none-any"]);
        install(
            &site,
            "ready",
            &[
                "ready/_core.cpython-313t-x86_64-linux-gnu.so",
                "ready/__init__.py",
            ],
            &["cp313-cp313t-manylinux_2_17_x86_64"],
        );
        install(
            &site,
            "gil",
            &["gil/_speedups.cpython-313-x86_64-linux-gnu.so"],
            &["cp313-cp313-manylinux_2_17_x86_64"],
        );
        install(
            &site,
            "stable",
            &["stable/_ext.abi3.so"],
            &["cp39-abi3-manylinux_2_17_x86_64"],
        );
        install(
            &site,
            "untagged",
            &["untagged.cpython-314t-darwin.so", "untagged.libs/libz.so.1"],
            &[],
        );
        let environment = Environment::read(dir.path()).unwrap();
        assess(&environment)
    }

    #[test]
    fn extension_modules_without_a_free_threaded_abi_reenable_the_gil() {
        let report = report("python3.13t");
        let verdicts: Vec<(&str, Readiness)> = report
            .distributions
            .iter()
            .map(|d| (d.name.as_str(), d.readiness))
            .collect();
        assert_eq!(
            verdicts,
            [
                ("gil", Readiness::GilOnly),
                ("pure", Readiness::PurePython),
                ("ready", Readiness::FreeThreaded),
                ("stable", Readiness::GilOnly),
                ("untagged", Readiness::FreeThreaded),
            ]
        );
        assert!(report.interpreter_free_threaded);
        let untagged = &report.distributions[4];
        assert_eq!(
            untagged.extension_modules,
            ["untagged.cpython-314t-darwin.so"]
        );
    }

    #[test]
    fn the_text_lists_the_gil_builds_first_and_says_what_the_interpreter_is() {
        let text = render_text(&report("python3.13"), &|p| {
            p.file_name().unwrap().to_string_lossy().into_owned()
        });
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].contains("a GIL interpreter"), "{text}");
        assert!(
            lines[1].starts_with("  gil 1.0: extension modules built for the GIL"),
            "{text}"
        );
        assert!(
            lines[2].starts_with("  stable 1.0: extension modules built for"),
            "{text}"
        );
        assert!(
            lines[3].starts_with("  ready 1.0: free-threaded build"),
            "{text}"
        );
        assert_eq!(
            lines.last().unwrap(),
            &"5 distributions: 1 pure Python, 2 with free-threaded builds, 2 built for the GIL."
        );
        let text = render_text(&report("python3.13t"), &|p| p.display().to_string());
        assert!(text.contains("a free-threaded interpreter"), "{text}");
        assert!(
            text.contains("  gil 1.0: no free-threaded build; importing it re-enables the GIL (gil/_speedups.cpython-313-x86_64-linux-gnu.so, wheel tag cp313-cp313-manylinux_2_17_x86_64)"),
            "{text}"
        );
        assert!(text.ends_with("2 re-enable the GIL.\n"), "{text}");
    }

    #[test]
    fn abi_tags_are_read_from_file_names_and_wheel_tags() {
        assert_eq!(
            module_abi("a/b.cpython-313t-x86_64-linux-gnu.so"),
            Some("313t")
        );
        assert_eq!(module_abi("b.cp314t-win_amd64.pyd"), Some("cp314t"));
        assert_eq!(module_abi("b.abi3.so"), Some("abi3"));
        assert!(is_free_threaded_abi("cp313t"));
        assert!(is_free_threaded_abi("cp313.cp313t"));
        assert!(!is_free_threaded_abi("cp313"));
        assert!(!is_free_threaded_abi("abi3"));
        assert!(!is_free_threaded_abi("t"));
    }
}
