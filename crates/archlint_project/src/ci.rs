//! The project's CI configuration: which files there are, read and parsed once per run for
//! the `CI` rules.
//!
//! - GitHub Actions: the workflows (`.github/workflows/*.yml`, `*.yaml`) and the actions
//!   (`action.yml` / `action.yaml` at the root or anywhere under `.github/`);
//! - `.gitlab-ci.yml`, `.pre-commit-config.yaml`, `.github/dependabot.yml`: parsed too;
//! - other CI systems, Renovate, `tox.ini`, `noxfile.py`: noted as present.
//!
//! YAML is parsed with [`archlint_source::yaml`]; a file that cannot be read or parsed keeps
//! its error (with the line) and the run goes on. Each file's suppression comments
//! (`# archlint: ignore[CI003]`, `# zizmor: ignore[unpinned-uses]`) are read from its lines.

use std::path::{Path, PathBuf};

use ruff_source_file::LineIndex;
use ruff_text_size::{TextRange, TextSize};

use archlint_source::read::{SourceError, read_source};
use archlint_source::suppress::{self, Suppressions};
use archlint_source::yaml::{self, Yaml, YamlError};

/// What a parsed CI file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CiKind {
    /// `.github/workflows/*.yml`.
    Workflow,
    /// `action.yml`: a composite, JavaScript or Docker action.
    Action,
    GitlabCi,
    PreCommit,
    Dependabot,
}

/// One parsed CI file.
pub struct CiFile {
    /// As reported (relative to the working directory when under it).
    pub path: PathBuf,
    pub kind: CiKind,
    pub source: String,
    pub line_index: LineIndex,
    pub yaml: Result<Yaml, YamlError>,
    pub suppressions: Suppressions,
}

impl CiFile {
    fn new(path: PathBuf, kind: CiKind, source: String) -> Self {
        let line_index = LineIndex::from_source_text(&source);
        let yaml = yaml::parse(&source);
        let suppressions = comments(&source);
        CiFile {
            path,
            kind,
            source,
            line_index,
            yaml,
            suppressions,
        }
    }

    /// The parsed file's first document, if it parsed.
    pub fn root(&self) -> Option<yaml::Node<'_>> {
        self.yaml.as_ref().ok()?.root()
    }

    /// The byte range between two offsets, clamped to the text.
    pub fn range(&self, start: usize, end: usize) -> TextRange {
        let len = self.source.len();
        let start = start.min(len);
        TextRange::new(
            TextSize::new(start as u32),
            TextSize::new(end.clamp(start, len) as u32),
        )
    }

    /// The file's name, for messages.
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }
}

/// The CI configuration of a project.
#[derive(Default)]
pub struct CiFiles {
    /// The project root the files were looked for under.
    pub root: PathBuf,
    pub files: Vec<CiFile>,
    /// Files that exist but could not be read.
    pub unreadable: Vec<(PathBuf, SourceError)>,
    /// Other CI configuration found (by path relative to the root): CI systems archlint does
    /// not parse, Renovate's configuration, `tox.ini`, `noxfile.py`.
    pub present: Vec<PathBuf>,
}

/// CI systems' configuration files archlint notes but does not parse.
const OTHER_CI: &[&str] = &[
    "azure-pipelines.yml",
    "azure-pipelines.yaml",
    ".circleci/config.yml",
    ".circleci/config.yaml",
    "Jenkinsfile",
    ".travis.yml",
    "bitbucket-pipelines.yml",
    ".drone.yml",
    ".woodpecker.yml",
    "appveyor.yml",
    ".appveyor.yml",
    ".cirrus.yml",
    ".buildkite/pipeline.yml",
];

/// Renovate's configuration files, and the other files noted as present.
const NOTED: &[&str] = &[
    "renovate.json",
    "renovate.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
    ".renovaterc",
    ".renovaterc.json",
    "tox.ini",
    "noxfile.py",
];

/// The largest CI file read.
const LIMIT: u64 = 4 * 1024 * 1024;

impl CiFiles {
    /// Finds and parses the CI configuration under `root`.
    pub fn discover(root: &Path) -> CiFiles {
        let mut found: Vec<(PathBuf, CiKind)> = Vec::new();
        let workflows = root.join(".github/workflows");
        for path in sorted_entries(&workflows) {
            if is_yaml(&path) && !path.is_dir() {
                found.push((path, CiKind::Workflow));
            }
        }
        for name in ["action.yml", "action.yaml"] {
            let path = root.join(name);
            if path.is_file() {
                found.push((path, CiKind::Action));
            }
        }
        find_actions(&root.join(".github"), 0, &mut found);
        for (name, kind) in [
            (".gitlab-ci.yml", CiKind::GitlabCi),
            (".gitlab-ci.yaml", CiKind::GitlabCi),
            (".pre-commit-config.yaml", CiKind::PreCommit),
            (".pre-commit-config.yml", CiKind::PreCommit),
            (".github/dependabot.yml", CiKind::Dependabot),
            (".github/dependabot.yaml", CiKind::Dependabot),
        ] {
            let path = root.join(name);
            if path.is_file() {
                found.push((path, kind));
            }
        }
        let mut files = CiFiles {
            root: root.to_path_buf(),
            ..CiFiles::default()
        };
        for (path, kind) in found {
            let shown = crate::options::display_path(&path);
            match read_source(&path, LIMIT) {
                Ok(source) => files.files.push(CiFile::new(shown, kind, source)),
                Err(error) => files.unreadable.push((shown, error)),
            }
        }
        for name in OTHER_CI.iter().chain(NOTED) {
            if root.join(name).exists() {
                files.present.push(PathBuf::from(name));
            }
        }
        files
    }

    /// The parsed files of one kind.
    pub fn of(&self, kind: CiKind) -> impl Iterator<Item = &CiFile> {
        self.files.iter().filter(move |f| f.kind == kind)
    }

    /// Whether a file at `name` (relative to the root) was noted as present.
    pub fn has(&self, name: &str) -> bool {
        self.present.iter().any(|p| p == Path::new(name))
    }

    /// Whether any CI system's configuration is there (parsed or only noted).
    pub fn has_any_ci(&self) -> bool {
        self.files
            .iter()
            .any(|f| matches!(f.kind, CiKind::Workflow | CiKind::GitlabCi))
            || self
                .present
                .iter()
                .any(|p| OTHER_CI.iter().any(|o| p == Path::new(o)))
    }
}

fn is_yaml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yml" || e == "yaml")
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|read| read.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

/// `action.yml` files under `.github/` (not following links, a few levels deep).
fn find_actions(dir: &Path, depth: usize, found: &mut Vec<(PathBuf, CiKind)>) {
    if depth > 6 {
        return;
    }
    for path in sorted_entries(dir) {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if path.file_name().is_some_and(|n| n != "workflows") {
                find_actions(&path, depth + 1, found);
            }
        } else if meta.is_file()
            && path
                .file_name()
                .is_some_and(|n| n == "action.yml" || n == "action.yaml")
        {
            found.push((path, CiKind::Action));
        }
    }
}

/// The suppression comments of a YAML file: a `#` at the start of a line or after a blank.
fn comments(source: &str) -> Suppressions {
    let mut suppressions = Suppressions::default();
    let mut offset = 0usize;
    for (index, line) in source.split_inclusive('\n').enumerate() {
        let hash = line
            .char_indices()
            .find(|&(i, c)| c == '#' && (i == 0 || line[..i].ends_with([' ', '\t'])))
            .map(|(i, _)| i);
        if let Some(hash) = hash {
            let text = line[hash..].trim_end();
            let start = offset + hash;
            let range = TextRange::new(
                TextSize::new(start as u32),
                TextSize::new((start + text.len()) as u32),
            );
            for mut directive in suppress::parse_comment(text, index + 1, range) {
                directive.column = line[..hash].chars().count() + 1;
                suppressions.directives.push(directive);
            }
        }
        offset += line.len();
    }
    suppressions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_workflows_actions_and_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
        std::fs::create_dir_all(root.join(".github/actions/setup")).unwrap();
        std::fs::write(root.join(".github/workflows/ci.yml"), "on: push\n").unwrap();
        std::fs::write(root.join(".github/workflows/notes.md"), "x").unwrap();
        std::fs::write(root.join(".github/workflows/bad.yaml"), "a: [\n").unwrap();
        std::fs::write(root.join(".github/actions/setup/action.yml"), "runs: {}\n").unwrap();
        std::fs::write(root.join("tox.ini"), "[tox]\n").unwrap();
        let files = CiFiles::discover(root);
        let kinds: Vec<_> = files.files.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [CiKind::Workflow, CiKind::Workflow, CiKind::Action],
            "{:?}",
            files.files.iter().map(|f| &f.path).collect::<Vec<_>>()
        );
        assert!(files.files[0].yaml.is_err());
        assert!(files.has("tox.ini"));
        assert!(files.has_any_ci());
    }

    #[test]
    fn comments_hold_suppressions() {
        let text = "steps:\n  - uses: a/b@v1  # zizmor: ignore[unpinned-uses]\n  - run: echo '#x'  # archlint: ignore[CI005]\n";
        let suppressions = comments(text);
        let lines: Vec<_> = suppressions.directives.iter().map(|d| d.line).collect();
        assert_eq!(lines, [2, 3]);
        assert_eq!(suppressions.directives[0].column, 19);
    }
}
