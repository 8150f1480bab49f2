//! One target per parser of untrusted input, each calling the parser's public entry point the
//! way the pipeline does, then what the pipeline does with the result (the rules on a parsed
//! module, the distribution rules on an opened archive, the audit on a loaded database), so a
//! value a parser accepts but later code cannot handle is found too.
//!
//! Invariant of every target: no panic. Targets that render something also check that the
//! rendering is valid in its format (the SVG flame graph is XML; JSON parses).

use std::path::Path;
use std::sync::OnceLock;

use archlint_analysis::audit::{self, osv::Database, pins};
use archlint_dist::archive::{self, Format, Limits};
use archlint_dist::{Distribution, DistributionContext, ProjectMetadata};
use archlint_project::pyproject_file::PyprojectFile;
use archlint_project::settings::{Overrides, Settings};
use archlint_rules::dispatch::Dispatches;
use archlint_rules::registry;
use archlint_vocabulary::Role;

use crate::corpus;
use crate::engine::{Seed, Target};

/// Every rule, the default-off ones too: the widest path through the code after parsing.
fn all_rules() -> &'static (Settings, Dispatches) {
    static ALL: OnceLock<(Settings, Dispatches)> = OnceLock::new();
    ALL.get_or_init(|| {
        let settings =
            Settings::isolated(registry::catalogue(), &std::env::temp_dir(), Some(&["ALL"]));
        let dispatches = Dispatches::for_rules(&settings.rules);
        (settings, dispatches)
    })
}

fn text(input: &[u8]) -> String {
    String::from_utf8_lossy(input).into_owned()
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

/// Fails the target when an output that must be JSON is not.
pub fn assert_json(what: &str, text: &str) -> serde_json::Value {
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("invariant: {what} is not JSON ({e}): {}", head(text)))
}

/// Fails the target when an output that must be XML is not well-formed.
pub fn assert_xml(what: &str, text: &str) {
    // Flame graphs declare SVG's DTD (which defines no entities they use).
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    if let Err(e) = roxmltree::Document::parse_with_options(text, options) {
        panic!(
            "invariant: {what} is not well-formed XML ({e}): {}",
            head(text)
        );
    }
}

pub fn head(text: &str) -> String {
    text.chars().take(300).collect()
}

// ---------------------------------------------------------------------------------------
// Python source.

const PYTHON_TOKENS: &[&[u8]] = &[
    b"def ",
    b"async def ",
    b"class ",
    b"lambda",
    b"await ",
    b"yield ",
    b"return",
    b"import ",
    b"from . import ",
    b"from __future__ import annotations\n",
    b"if TYPE_CHECKING:\n",
    b"    ",
    b"\n    ",
    b"\n\t",
    b"@",
    b"->",
    b":=",
    b"*args",
    b"**kwargs",
    b"f\"{",
    b"}\"",
    b"rb'",
    b"u'",
    b"t'",
    b"match x:\n    case ",
    b"try:\n    pass\nexcept* E:\n",
    b"with ",
    b"for x in ",
    b"while ",
    b"global x\n",
    b"nonlocal x\n",
    b"del ",
    b"# noqa: ",
    b"# nosec",
    b"# archlint: ignore[",
    b"# type: ignore",
    b"# expect: ",
    b"subprocess.run(",
    b"eval(",
    b"pickle.loads(",
    b"asyncio.create_task(",
    b"threading.Lock()",
    b"sys.version_info >= (3, 12)",
    b"__all__ = [",
    b"__slots__",
    b"type X = ",
    b"[T]",
    b"...",
    b"\\N{",
    b"0j",
    b"0o777",
];

fn python_seeds() -> Vec<Seed> {
    let mut seeds = corpus::files("tests/fixtures", 64 * 1024, |n| {
        n.ends_with(".py") || n.ends_with(".pyi")
    });
    seeds.extend(corpus::files("bench", 256 * 1024, |n| n.ends_with(".py")));
    seeds
}

/// Python source: decoding guards, the parser, every per-file rule, the metrics and the
/// types reader (with stubs).
pub static PYTHON: Target = Target {
    name: "python",
    iterations: 300,
    max_len: 64 * 1024,
    tokens: PYTHON_TOKENS,
    seeds: python_seeds,
    run: run_python,
};

pub fn run_python(input: &[u8], _scratch: &Path) {
    let Ok(source) = archlint_source::read::decode(input.to_vec()) else {
        return;
    };
    check_python_source(&source, Role::Package);
}

pub fn check_python_source(source: &str, role: Role) {
    let (settings, dispatches) = all_rules();
    let path = Path::new("pkg/module.py");
    let identity = archlint::pipeline::FileIdentity {
        module: Some("pkg.module".to_string()),
        is_package: false,
        role,
    };
    let (diagnostics, _) =
        archlint::pipeline::check_source(path, identity, source, settings, dispatches.of(role));
    if let Some(internal) = diagnostics.iter().find(|d| d.code == "INT001") {
        panic!("invariant: INT001 {}", internal.message);
    }
    match archlint_source::parse::parse(source) {
        Ok(parsed) => {
            let file = archlint_source::parse::ParsedFile {
                path,
                module: Some("pkg.module".to_string()),
                is_package: false,
                role,
                source,
                parsed: &parsed,
            };
            archlint_analysis::metrics::measure(&file);
            archlint_analysis::types::read(&file, settings, true);
        }
        // As the pipeline does: a failed tree may be too deep to drop recursively.
        Err(failure) => std::mem::forget(failure.parsed),
    }
}

// ---------------------------------------------------------------------------------------
// TOML: pyproject.toml and archlint.toml.

const TOML_TOKENS: &[&[u8]] = &[
    b"[project]\n",
    b"[build-system]\n",
    b"[tool.archlint]\n",
    b"[tool.archlint.contracts]\n",
    b"[[tool.importlinter.contracts]]\n",
    b"[dependency-groups]\n",
    b"[tool.poetry.dependencies]\n",
    b"[tool.uv]\n",
    b"[project.optional-dependencies]\n",
    b"[project.entry-points.x]\n",
    b"name = ",
    b"version = ",
    b"requires-python = ",
    b"dependencies = [",
    b"dynamic = [",
    b"license = ",
    b"license-files = [",
    b"readme = ",
    b"classifiers = [",
    b"select = [",
    b"ignore = [",
    b"per-file-ignores = {",
    b"target-version = ",
    b"fail-on = ",
    b"exclude = [",
    b"max-file-size = ",
    b"roles = {",
    b"include-group = ",
    b"{ include-group = \"a\" }",
    b"\"ALL\"",
    b"\"SEC\"",
    b"\"security\"",
    b">=3.8",
    b"~=",
    b"!=",
    b"===",
    b"; python_version",
    b"[extra]",
    b"@ https://x/y.whl",
    b"\"\"\"",
    b"'''",
    b"1979-05-27T07:32:00Z",
    b"+inf",
    b"0x7f",
    b"{ a = 1 }",
    b"a.b.c = ",
    b"\"MIT OR Apache-2.0\"",
    b"\"text/markdown\"",
];

fn toml_seeds() -> Vec<Seed> {
    let mut seeds = corpus::files("tests/fixtures", 64 * 1024, |n| {
        n.ends_with(".toml") || n.ends_with(".lock")
    });
    seeds.extend(
        corpus::files(".", 64 * 1024, |n| n == "Cargo.toml")
            .into_iter()
            .take(3),
    );
    seeds
}

/// `pyproject.toml` as configuration (options, settings, selectors, roles) and as metadata:
/// the `Pyproject` rules, the project metadata `package` compares distributions with, and
/// the dependencies it declares.
pub static PYPROJECT: Target = Target {
    name: "pyproject",
    iterations: 250,
    max_len: 32 * 1024,
    tokens: TOML_TOKENS,
    seeds: toml_seeds,
    run: run_pyproject,
};

fn run_pyproject(input: &[u8], scratch: &Path) {
    let path = scratch.join("pyproject.toml");
    write(&path, input);
    let _ = archlint_project::options::load(&path);
    let overrides = Overrides {
        select: Some(vec!["ALL".to_string()]),
        ..Overrides::default()
    };
    let _ = Settings::resolve(registry::catalogue(), scratch, &overrides);
    // The same file as `archlint.toml`, which has no `[tool.archlint]` level.
    let _ = archlint_project::options::load(&scratch.join("pyproject.toml"));
    if let Some(file) = PyprojectFile::read(&path) {
        let (settings, dispatches) = all_rules();
        let mut cx = archlint_facts::context::PyprojectContext::new(&file, &settings.rule_options);
        dispatches.project().run_pyproject(&mut cx);
        ProjectMetadata::from_file(&file);
        archlint_analysis::deps::declared::read(scratch, Some(&file), &["dev".to_string()]);
        archlint_project::importlinter::find(scratch);
    }
}

// ---------------------------------------------------------------------------------------
// INI: setup.cfg and .importlinter.

const INI_TOKENS: &[&[u8]] = &[
    b"[metadata]\n",
    b"[options]\n",
    b"[options.extras_require]\n",
    b"[importlinter]\n",
    b"[importlinter:contract:one]\n",
    b"[tool:archlint]\n",
    b"install_requires =\n    ",
    b"tests_require =",
    b"root_package = ",
    b"root_packages =\n    ",
    b"type = layers\n",
    b"type = forbidden\n",
    b"type = independence\n",
    b"layers =\n    ",
    b"containers =\n",
    b"source_modules =\n",
    b"forbidden_modules =\n",
    b"ignore_imports =\n    a -> b\n",
    b"modules =\n",
    b" -> ",
    b"=",
    b":",
    b";",
    b"\n    ",
    b"\n\t",
    b"%(here)s",
    b"[",
    b"]",
    b"python_requires = >=3.8\n",
    b"packages = find:\n",
    b"package_dir =\n    =src\n",
];

fn ini_seeds() -> Vec<Seed> {
    let mut seeds = corpus::files("tests/fixtures", 64 * 1024, |n| {
        n.ends_with(".cfg") || n.ends_with(".ini") || n == ".importlinter"
    });
    seeds.push(Seed::new(
        "setup.cfg",
        "[metadata]\nname = shop\nversion = attr: shop.__version__\n\n[options]\npackages = find:\n\
         package_dir =\n    = src\npython_requires = >=3.8\ninstall_requires =\n    requests>=2\n    \
         click ; python_version < \"3.12\"\ntests_require = pytest\n\n[options.extras_require]\n\
         fast = orjson\n    ujson\n\n[importlinter]\nroot_package = shop\n\n\
         [importlinter:contract:layers]\nname = Layers\ntype = layers\nlayers =\n    shop.api\n    \
         shop.core | shop.util\n    shop.db\nignore_imports =\n    shop.api -> shop.db\n",
    ));
    seeds.push(Seed::new(
        ".importlinter",
        "[importlinter]\nroot_packages =\n    a\n    b\ninclude_external_packages = True\n\n\
         [importlinter:contract:1]\nname = No b in a\ntype = forbidden\nsource_modules =\n    a\n\
         forbidden_modules =\n    b\n    requests\nallow_indirect_imports = true\n\n\
         [importlinter:contract:2]\nname = Independent\ntype = independence\nmodules =\n    a.x\n    a.y\n\
         \n[importlinter:contract:3]\nname = Custom\ntype = mypackage.Custom\n",
    ));
    seeds
}

/// INI files: `setup.cfg` (dependencies, layout) and `.importlinter` (contracts).
pub static INI: Target = Target {
    name: "ini",
    iterations: 250,
    max_len: 32 * 1024,
    tokens: INI_TOKENS,
    seeds: ini_seeds,
    run: run_ini,
};

fn run_ini(input: &[u8], scratch: &Path) {
    archlint_project::ini::IniFile::parse(&text(input));
    write(&scratch.join("setup.cfg"), input);
    write(&scratch.join(".importlinter"), input);
    archlint_project::importlinter::find(scratch);
    let files = archlint_project::layout::ConfigFiles::read(scratch);
    archlint_project::layout::Layout::of(&files);
    archlint_analysis::deps::declared::read(scratch, None, &[]);
}

// ---------------------------------------------------------------------------------------
// Requirements files.

const REQUIREMENTS_TOKENS: &[&[u8]] = &[
    b"==",
    b"===",
    b">=",
    b"~=",
    b"!=",
    b"<",
    b"*",
    b".*",
    b"[extra]",
    b"; python_version < \"3.9\"",
    b" --hash=sha256:",
    b"-r ",
    b"--requirement=",
    b"-c ",
    b"-e ",
    b"--index-url ",
    b"-r requirements.txt\n",
    b"-r ../x.txt\n",
    b"-r /dev/zero\n",
    b"-r /\n",
    b"git+https://x/y.git#egg=y",
    b" @ file:///x",
    b"\\\n",
    b" # ",
    b"1.0.post1",
    b"2!1.0",
    b"1.0+local",
    b"1.0rc1.dev2",
    b"v1",
    b"name",
];

fn requirements_seeds() -> Vec<Seed> {
    let mut seeds = corpus::files("tests/fixtures", 64 * 1024, |n| n.ends_with(".txt"));
    seeds.extend(corpus::files("bench", 64 * 1024, |n| n.ends_with(".txt")));
    seeds
}

/// `requirements*.txt`: the declared dependencies, and the pins `deps --audit` reads
/// (`-r` includes followed, at most 8 deep).
pub static REQUIREMENTS: Target = Target {
    name: "requirements",
    iterations: 300,
    max_len: 16 * 1024,
    tokens: REQUIREMENTS_TOKENS,
    seeds: requirements_seeds,
    run: run_requirements,
};

fn run_requirements(input: &[u8], scratch: &Path) {
    let text = text(input);
    for (_, _, entry) in archlint_analysis::deps::declared::requirement_lines(&text) {
        pins::requirement_pin(&entry);
    }
    let path = scratch.join("requirements.txt");
    write(&path, input);
    let _ = pins::read_as(&path, pins::LockFormat::Requirements);
    archlint_analysis::deps::declared::read(scratch, None, &[]);
}

// ---------------------------------------------------------------------------------------
// Lock files.

fn lock_target_run(input: &[u8], scratch: &Path, name: &str, format: pins::LockFormat) {
    let path = scratch.join(name);
    write(&path, input);
    if let Ok(pins) = pins::read_as(&path, format) {
        // What `deps --audit` does next with the pins.
        audit::audit(&pins, small_database());
    }
}

/// The unit advisories, loaded once, to audit the pins of the lock targets against.
fn small_database() -> &'static Database {
    static DATABASE: OnceLock<Database> = OnceLock::new();
    DATABASE.get_or_init(|| {
        Database::load(&corpus::repo().join("tests/fixtures/osv/unit"))
            .expect("the unit advisories load")
    })
}

const LOCK_TOKENS: &[&[u8]] = &[
    b"[[package]]\n",
    b"[[packages]]\n",
    b"name = ",
    b"version = ",
    b"source = { registry = \"x\" }",
    b"source = { editable = \".\" }",
    b"source = { virtual = \".\" }",
    b"[package.source]\ntype = \"git\"\n",
    b"git = ",
    b"path = ",
    b"url = ",
    b"editable = true",
    b"vcs = {",
    b"directory = {",
    b"archive = {",
    b"lock-version = \"1.0\"",
    b"[metadata]\n",
    b"requires-python = ",
    b"\"1.0.0\"",
    b"\"\"",
    b"'",
    b"[]",
];

fn lock_seeds() -> Vec<Seed> {
    corpus::files("tests/fixtures", 64 * 1024, |n| {
        n.ends_with(".lock") || n.starts_with("pylock")
    })
}

macro_rules! lock_target {
    ($static:ident, $name:literal, $file:literal, $format:expr, $run:ident) => {
        fn $run(input: &[u8], scratch: &Path) {
            lock_target_run(input, scratch, $file, $format);
        }
        #[doc = concat!("`", $file, "`: its pins, then the audit of them.")]
        pub static $static: Target = Target {
            name: $name,
            iterations: 150,
            max_len: 16 * 1024,
            tokens: LOCK_TOKENS,
            seeds: lock_seeds,
            run: $run,
        };
    };
}

lock_target!(
    UV_LOCK,
    "uv_lock",
    "uv.lock",
    pins::LockFormat::Uv,
    run_uv_lock
);
lock_target!(
    POETRY_LOCK,
    "poetry_lock",
    "poetry.lock",
    pins::LockFormat::Poetry,
    run_poetry_lock
);
lock_target!(
    PDM_LOCK,
    "pdm_lock",
    "pdm.lock",
    pins::LockFormat::Pdm,
    run_pdm_lock
);
lock_target!(
    PYLOCK,
    "pylock",
    "pylock.toml",
    pins::LockFormat::Pylock,
    run_pylock
);

// ---------------------------------------------------------------------------------------
// OSV advisories.

const OSV_TOKENS: &[&[u8]] = &[
    b"\"id\":",
    b"\"modified\":",
    b"\"published\":",
    b"\"withdrawn\":",
    b"\"aliases\":",
    b"\"affected\":",
    b"\"package\":",
    b"\"ecosystem\": \"PyPI\"",
    b"\"name\":",
    b"\"ranges\":",
    b"\"type\": \"ECOSYSTEM\"",
    b"\"type\": \"GIT\"",
    b"\"type\": \"SEMVER\"",
    b"\"events\":",
    b"{\"introduced\": \"0\"}",
    b"{\"fixed\": \"1.0\"}",
    b"{\"last_affected\": \"2.0\"}",
    b"{\"limit\": \"3\"}",
    b"\"versions\":",
    b"\"severity\":",
    b"\"CVSS_V3\"",
    b"\"CVSS_V4\"",
    b"\"score\":",
    b"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    b"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    b"\"database_specific\":",
    b"\"severity\": \"HIGH\"",
    b"\"summary\":",
    b"\"details\":",
    b"2024-10-10T00:00:00Z",
    b"\"\\u0000\"",
    b"\"\\ud800\"",
    b"null",
    b"[]",
    b"{}",
    b"1e999",
];

fn osv_seeds() -> Vec<Seed> {
    corpus::advisories(60)
}

/// One OSV advisory (JSON) in a database folder: loading, then an audit of pins of every
/// package it names at a few versions.
pub static OSV_JSON: Target = Target {
    name: "osv_json",
    iterations: 300,
    max_len: 16 * 1024,
    tokens: OSV_TOKENS,
    seeds: osv_seeds,
    run: run_osv_json,
};

fn run_osv_json(input: &[u8], scratch: &Path) {
    let folder = scratch.join("db");
    write(&folder.join("advisory.json"), input);
    if let Ok(database) = Database::load(&folder) {
        audit_everything(&database);
    }
}

fn audit_everything(database: &Database) {
    let mut pins = Vec::new();
    for advisory in &database.advisories {
        for affected in &advisory.affected {
            for version in [
                "0",
                "0.9",
                "1.0",
                "1.0.0rc1",
                "2.3.4",
                "99",
                "1!0",
                "not a version",
            ] {
                pins.push(pins::Pin {
                    name: affected.normalized.clone(),
                    normalized: affected.normalized.clone(),
                    version: version.to_string(),
                    path: "requirements.txt".into(),
                    line: 1,
                });
            }
        }
    }
    audit::audit(&pins, database);
    database.age_days(1_800_000_000);
}

fn osv_zip_seeds() -> Vec<Seed> {
    let advisories = corpus::advisories(6);
    let files: Vec<(String, Vec<u8>)> = advisories
        .iter()
        .map(|s| {
            (
                s.name.rsplit('/').next().unwrap().to_string(),
                s.bytes.clone(),
            )
        })
        .collect();
    vec![
        Seed::new("all.zip", corpus::zip_of(&files)),
        Seed::new("one.zip", corpus::zip_of(&files[..1])),
    ]
}

/// The OSV export as a zip (`all.zip`, what `--update-db` downloads).
pub static OSV_ZIP: Target = Target {
    name: "osv_zip",
    iterations: 250,
    max_len: 64 * 1024,
    tokens: &[
        b"PK\x03\x04",
        b"PK\x01\x02",
        b"PK\x05\x06",
        b"PK\x06\x06",
        b"\xff\xff\xff\xff",
    ],
    seeds: osv_zip_seeds,
    run: run_osv_zip,
};

fn run_osv_zip(input: &[u8], scratch: &Path) {
    let path = scratch.join("all.zip");
    write(&path, input);
    if let Ok(database) = Database::load(&path) {
        audit_everything(&database);
    }
}

// ---------------------------------------------------------------------------------------
// Built distributions.

const ZIP_TOKENS: &[&[u8]] = &[
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"PK\x05\x06",
    b"PK\x06\x06",
    b"PK\x07\x08",
    b"\xff\xff\xff\xff",
    b"\x00\x00\x00\x00",
    b"../",
    b"/etc/passwd",
    b".dist-info/",
    b"RECORD",
    b"METADATA",
    b"WHEEL",
];

/// Opens the distribution at `path` and runs every distribution rule on it, as `archlint
/// package` does.
fn verify_distribution(path: &Path, format: Format, project: Option<&ProjectMetadata>) {
    let dist = Distribution::open(path, format, &Limits::default());
    let (_, dispatches) = all_rules();
    let mut cx = DistributionContext::new(&dist, project);
    dispatches.project().run_distribution(&mut cx);
    dist.name_and_version();
}

fn archives_named(suffix: &str) -> Vec<Seed> {
    corpus::built_archives()
        .iter()
        .filter(|(name, bytes)| name.ends_with(suffix) && bytes.len() <= 128 * 1024)
        .map(|(name, bytes)| Seed::new(name.clone(), bytes.clone()))
        .collect()
}

fn wheel_seeds() -> Vec<Seed> {
    archives_named(".whl")
}

/// Wheels (`.whl`), byte for byte: the zip reader, RECORD, METADATA, WHEEL, entry points and
/// every distribution rule.
pub static WHEEL: Target = Target {
    name: "wheel",
    iterations: 250,
    max_len: 128 * 1024,
    tokens: ZIP_TOKENS,
    seeds: wheel_seeds,
    run: run_wheel,
};

fn run_wheel(input: &[u8], scratch: &Path) {
    let path = scratch.join("shop-1.0-py3-none-any.whl");
    write(&path, input);
    verify_distribution(&path, Format::Wheel, None);
}

fn sdist_zip_seeds() -> Vec<Seed> {
    archives_named(".zip")
        .into_iter()
        .chain(archives_named(".whl").into_iter().take(3))
        .collect()
}

/// Legacy sdists in a `.zip`.
pub static SDIST_ZIP: Target = Target {
    name: "sdist_zip",
    iterations: 150,
    max_len: 128 * 1024,
    tokens: ZIP_TOKENS,
    seeds: sdist_zip_seeds,
    run: run_sdist_zip,
};

fn run_sdist_zip(input: &[u8], scratch: &Path) {
    let path = scratch.join("shop-1.0.zip");
    write(&path, input);
    verify_distribution(&path, Format::Zip, None);
}

fn tar_seeds() -> Vec<Seed> {
    archives_named(".tar.gz")
        .into_iter()
        .filter_map(|seed| Some(Seed::new(seed.name, corpus::gunzip(&seed.bytes)?)))
        .collect()
}

/// Sdists (`.tar.gz`): the input is the tar, gzipped by the target, so that the mutations
/// reach the tar headers (names, sizes, links, types, checksums) instead of breaking the
/// compressed stream; every seventh input is also tried as gzip bytes as they come.
pub static SDIST_TAR: Target = Target {
    name: "sdist_tar",
    iterations: 250,
    max_len: 128 * 1024,
    tokens: &[
        b"ustar\x00",
        b"ustar  \x00",
        b"././@LongLink",
        b"00000000000",
        b"77777777777",
        b"\x80",
        b"\xff",
        b"0000644\x00",
        b"../",
        b"/",
        b"PKG-INFO",
        b"pyproject.toml",
        b"\x00\x00\x00\x00",
    ],
    seeds: tar_seeds,
    run: run_sdist_tar,
};

fn run_sdist_tar(input: &[u8], scratch: &Path) {
    let path = scratch.join("shop-1.0.tar.gz");
    let raw = input.len().is_multiple_of(7);
    write(
        &path,
        &if raw {
            input.to_vec()
        } else {
            corpus::gzip(input)
        },
    );
    verify_distribution(&path, Format::TarGz, None);
}

/// The listings the package fixtures are built from, mutated then built: structure-aware
/// archives whose RECORD, METADATA, WHEEL and members are mutated as text while the zip and
/// tar around them stay valid; checked by `archlint package` with the project's metadata.
pub static PACKAGE_SPEC: Target = Target {
    name: "package_spec",
    iterations: 120,
    max_len: 16 * 1024,
    tokens: &[
        b"# file: ",
        b"# archive: ",
        b"# duplicate: ",
        b"# tamper: ",
        b"# unrecorded: ",
        b"# record-extra: ",
        b"# no-record\n",
        b"# bare\n",
        b"# symlink: a -> ../b\n",
        b"# hardlink: a -> b\n",
        b"Metadata-Version: 2.4\n",
        b"Name: ",
        b"Version: ",
        b"Requires-Dist: ",
        b"Requires-Python: ",
        b"License-Expression: ",
        b"License-File: ",
        b"Description-Content-Type: text/x-rst\n",
        b"Dynamic: ",
        b"Wheel-Version: 1.0\n",
        b"Root-Is-Purelib: true\n",
        b"Tag: py3-none-any\n",
        b"[console_scripts]\n",
        b"x = a.b:c\n",
        b",sha256=",
        b",,\n",
        b"\"a,b\"",
        b".dist-info/",
        b".data/scripts/",
        b"__pycache__/",
        b".. code-block:: python\n\n",
        b"=====\n",
        b"`a <b>`_",
        b".. image:: x\n",
    ],
    seeds: corpus::archive_specs,
    run: run_package_spec,
};

fn run_package_spec(input: &[u8], scratch: &Path) {
    let text = buildable(&text(input));
    let root = tempfile::tempdir_in(scratch).unwrap();
    // Building is the test's own code, not archlint's: a listing it cannot build is skipped.
    let built = std::panic::catch_unwind(|| crate::support::build(&text, root.path()));
    if built.is_err() {
        return;
    }
    let pyproject = PyprojectFile::read(&root.path().join("pyproject.toml"));
    let project = pyproject.as_ref().map(ProjectMetadata::from_file);
    let Ok(entries) = std::fs::read_dir(root.path().join("dist")) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let format = Format::of(&path).unwrap_or(Format::Zip);
        verify_distribution(&path, format, project.as_ref());
    }
}

/// The listing without what would make the builder write outside its folder (project files
/// and archives named with `..` or an absolute path) or build huge members (`# zeros:`, for
/// `large_inputs`).
fn buildable(text: &str) -> String {
    let mut in_archive = false;
    let mut kept = String::new();
    for line in text.lines() {
        let outside = |value: &str| {
            let value = value.trim();
            value.contains("..") || value.starts_with(['/', '\\']) || value.contains(':')
        };
        let dropped = line.starts_with("# zeros:")
            || line.strip_prefix("# archive:").is_some_and(outside)
            || (!in_archive && line.strip_prefix("# file:").is_some_and(outside));
        if !dropped {
            in_archive |= line.starts_with("# archive:");
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

fn metadata_seeds() -> Vec<Seed> {
    corpus::archive_members(&["METADATA", "PKG-INFO", "WHEEL", "entry_points.txt"])
}

/// Core metadata (`METADATA`, `PKG-INFO`) and its long description (the reStructuredText
/// check PyPI's renderer stands for), the `WHEEL` file, and wheel and sdist file names.
pub static METADATA: Target = Target {
    name: "metadata",
    iterations: 400,
    max_len: 16 * 1024,
    tokens: &[
        b"Metadata-Version: ",
        b"Name: ",
        b"Version: ",
        b"Summary: ",
        b"Description: ",
        b"Description-Content-Type: text/x-rst\n",
        b"Description-Content-Type: text/markdown; charset=UTF-8\n",
        b"Requires-Dist: ",
        b"Provides-Extra: ",
        b"Classifier: ",
        b"\n        |",
        b"\n\n",
        b".. ",
        b"::",
        b"`_",
        b"__",
        b"=====",
        b"-----",
        b"* ",
        b"#. ",
        b"|sub|",
        b".. |sub| image:: x\n",
        b"\n   ",
        b"**",
        b"``",
        b":ref:`",
        b"[#]_",
        b"+---+---+\n",
        b"| a | b |\n",
    ],
    seeds: metadata_seeds,
    run: run_metadata,
};

fn run_metadata(input: &[u8], _scratch: &Path) {
    let text = text(input);
    let metadata = archlint_dist::metadata::CoreMetadata::parse(&text);
    metadata.content_type();
    if let Some(description) = &metadata.description {
        archlint_dist::rst::check(description);
    }
    archlint_dist::rst::check(&text);
    for line in text.lines().take(50) {
        let _ = archlint_dist::wheel::WheelName::parse(line);
        let _ = archlint_dist::sdist::SdistName::parse(line);
        archive::unsafe_path(line);
    }
}

fn record_seeds() -> Vec<Seed> {
    corpus::archive_members(&["RECORD"])
}

/// A wheel's `RECORD` (CSV).
pub static RECORD: Target = Target {
    name: "record",
    iterations: 400,
    max_len: 16 * 1024,
    tokens: &[
        b",",
        b"\"",
        b"\"\"",
        b",sha256=",
        b",sha512=",
        b",md5=",
        b"=",
        b",-1",
        b",\r\n",
        b"\n\n",
    ],
    seeds: record_seeds,
    run: run_record,
};

fn run_record(input: &[u8], _scratch: &Path) {
    archlint_dist::wheel::parse_record(&text(input));
}

// ---------------------------------------------------------------------------------------
// An installed environment (`--python`): METADATA, RECORD and top_level.txt of dist-info.

fn environment_seeds() -> Vec<Seed> {
    let mut seeds = corpus::files("tests/fixtures/dep", 64 * 1024, |n| {
        matches!(n, "METADATA" | "RECORD" | "top_level.txt")
    });
    seeds.extend(
        corpus::archive_members(&["METADATA", "RECORD"])
            .into_iter()
            .take(10),
    );
    seeds
}

/// The `*.dist-info` folders of a virtualenv, read (never run) by `deps --python` and
/// `deps --audit --python`: the input is the METADATA, RECORD and top_level.txt of one.
pub static ENVIRONMENT: Target = Target {
    name: "environment",
    iterations: 200,
    max_len: 16 * 1024,
    tokens: &[
        b"Name: ",
        b"Version: ",
        b"Requires-Dist: ",
        b",sha256=",
        b"../",
        b"/",
        b"__init__.py,",
        b".pth,",
        b".so,",
        b"\n",
        b"-",
        b"_",
    ],
    seeds: environment_seeds,
    run: run_environment,
};

fn run_environment(input: &[u8], scratch: &Path) {
    let venv = scratch.join("venv");
    let info = venv.join("lib/python3.12/site-packages/shop-1.0.dist-info");
    for name in ["METADATA", "RECORD", "top_level.txt"] {
        write(&info.join(name), input);
    }
    if let Ok(environment) = archlint_analysis::deps::distributions::Environment::read(&venv) {
        let map = archlint_analysis::deps::distributions::ModuleMap::new(
            Some(&environment),
            &Default::default(),
        );
        map.modules_of("shop");
        map.installed_provider("shop");
    }
    let _ = pins::from_environment(&venv);
}

// ---------------------------------------------------------------------------------------
// Profiles.

/// cProfile/pstats dumps (marshal), folded stacks and speedscope JSON: the reader, the
/// orders, the report in text and JSON (which must parse) and the flame graph (which must
/// be well-formed SVG).
pub static PROFILE: Target = Target {
    name: "profile",
    iterations: 300,
    max_len: 64 * 1024,
    tokens: &[
        b"{",
        b"\xfb",
        b"\xfa",
        b"\xe9",
        b"\xda",
        b"\xf5",
        b"\xe7",
        b"\x7b\x00\x00\x00",
        b"\xff\xff\xff\x7f",
        b"\x00\x00\x00\x80",
        b"r\x00\x00\x00\x00",
        b")\x03",
        b"(\x05\x00\x00\x00",
        b"0",
        b"N",
        b"T",
        b"F",
        b"i",
        b"l",
        b"g",
        b"\x00\x00\x00\x00\x00\x00\xf8\x7f",
        b"\x00\x00\x00\x00\x00\x00\xf0\x7f",
        b";",
        b" 1\n",
        b" 99999999999999999999\n",
        b"<module>",
        b"(file.py:1)",
        b"\"frames\":",
        b"\"profiles\":",
        b"\"samples\":",
        b"\"weights\":",
        b"\"events\":",
        b"\"type\": \"sampled\"",
        b"\"type\": \"evented\"",
        b"{\"type\": \"O\", \"frame\": 0, \"at\": 0}",
        b"\"endValue\":",
        b"\"unit\": \"seconds\"",
        b"-1",
        b"1e308",
    ],
    seeds: || {
        corpus::files("tests/fixtures/profile", 256 * 1024, |n| {
            !n.ends_with(".py")
        })
    },
    run: run_profile,
};

fn run_profile(input: &[u8], _scratch: &Path) {
    use archlint_profile::report::{Join, Report, SortKey};
    let _ = archlint_profile::marshal::read(input);
    let Ok(profile) = archlint_profile::parse(input) else {
        return;
    };
    for sort in [SortKey::Tottime, SortKey::Cumtime, SortKey::Calls] {
        let order = archlint_profile::report::order(&profile, sort);
        let report = Report {
            source: "profile.prof".to_string(),
            profile: &profile,
            sort,
            hotspots: order
                .into_iter()
                .take(20)
                .map(|i| (i, Join::default()))
                .collect(),
        };
        report.text();
        assert_json("the profile report", &report.json());
    }
    archlint_profile::flame::folded(&profile);
    if let Ok(svg) = archlint_profile::flame::svg(&profile, "profile.prof") {
        assert_xml("the flame graph", &svg);
    }
}

// ---------------------------------------------------------------------------------------
// Baselines.

/// A baseline file (`--baseline`), which a project keeps and anyone can edit.
pub static BASELINE: Target = Target {
    name: "baseline",
    iterations: 250,
    max_len: 16 * 1024,
    tokens: &[
        b"\"version\":",
        b"\"findings\":",
        b"\"fingerprint\":",
        b"\"code\":",
        b"\"path\":",
        b"\"count\":",
        b"\"SEC602\"",
        b"-1",
        b"18446744073709551616",
        b"null",
        b"[]",
        b"{}",
    ],
    seeds: baseline_seeds,
    run: run_baseline,
};

fn baseline_seeds() -> Vec<Seed> {
    // A real one: the findings of a fixture, written as `--write-baseline` writes them.
    let root = corpus::repo().join("tests/fixtures/cli/formats");
    let diagnostics = archlint::check_for_test(&root, Some(&["ALL"]));
    let fingerprints = archlint_report::baseline::fingerprints(&diagnostics, &root);
    let pairs: Vec<_> = fingerprints.into_iter().zip(diagnostics.iter()).collect();
    let baseline = archlint_report::baseline::Baseline::of(&pairs);
    vec![Seed::new("baseline.json", baseline.render())]
}

fn run_baseline(input: &[u8], scratch: &Path) {
    let path = scratch.join("baseline.json");
    write(&path, input);
    if let Ok(baseline) = archlint_report::baseline::Baseline::read(&path) {
        assert_json("a baseline read back and rendered", &baseline.render());
        // Compared with the findings of a run: the fingerprints of its own entries.
        let fingerprints: Vec<archlint_report::baseline::Fingerprint> = baseline
            .findings
            .iter()
            .map(|e| archlint_report::baseline::Fingerprint {
                code: e.code.clone(),
                path: e.path.clone(),
                text: e.text.clone(),
                context: e.context.clone(),
            })
            .collect();
        let comparison = baseline.compare(&fingerprints[..fingerprints.len() / 2]);
        comparison.fixed_count();
        comparison.fixed();
        assert_json("a baseline updated", &comparison.kept().render());
    }
}

// ---------------------------------------------------------------------------------------
// YAML: CI workflows, actions and the other CI files.

const YAML_TOKENS: &[&[u8]] = &[
    b"on:\n",
    b"on: pull_request_target\n",
    b"on: [push, workflow_run]\n",
    b"permissions: write-all\n",
    b"permissions:\n  contents: read\n",
    b"jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n",
    b"      - uses: actions/checkout@v4\n",
    b"        with:\n          persist-credentials: false\n",
    b"          ref: ${{ github.event.pull_request.head.sha }}\n",
    b"      - run: |\n          echo ${{ github.event.issue.title }}\n",
    b"      - run: pip install pytest\n",
    b"      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          password: x\n",
    b"runs:\n  using: composite\n  steps:\n",
    b"${{ ",
    b" }}",
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"!!str ",
    b"!tag ",
    b"---\n",
    b"...\n",
    b"%YAML 1.2\n",
    b"? ",
    b": ",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"|\n",
    b">-\n",
    b"'",
    b"\"",
    b"\\u00e9",
    b"# archlint: ignore[CI003]",
    b"# zizmor: ignore[unpinned-uses]",
    b"\t",
    b"\n  ",
];

fn yaml_seeds() -> Vec<Seed> {
    let mut seeds = corpus::files("tests/fixtures", 64 * 1024, |n| {
        n.ends_with(".yml") || n.ends_with(".yaml")
    });
    seeds.push(Seed::new(
        "anchors",
        b"x: &a {k: [1, *a]}\ny: *a\njobs: {t: {steps: [{uses: a/b@v1}, *a]}}\n",
    ));
    seeds
}

/// YAML: the parser (every node's position within the text, every alias resolved), then
/// the same text as a workflow, an action and `.gitlab-ci.yml` through every CI rule.
pub static YAML: Target = Target {
    name: "yaml",
    iterations: 250,
    max_len: 32 * 1024,
    tokens: YAML_TOKENS,
    seeds: yaml_seeds,
    run: run_yaml,
};

fn run_yaml(input: &[u8], scratch: &Path) {
    let text = text(input);
    if let Ok(yaml) = archlint_source::yaml::parse(&text) {
        for document in yaml.documents() {
            for node in document.walk() {
                let (start, end) = (node.start(), node.end());
                assert!(
                    start.offset <= end.offset && end.offset <= text.len(),
                    "invariant: a node's offsets lie within the text: {start:?}..{end:?}"
                );
                assert!(
                    text.is_char_boundary(start.offset) && text.is_char_boundary(end.offset),
                    "invariant: offsets are character boundaries"
                );
            }
        }
    }
    // A folder of its own: the scratch folder may hold another target's `pyproject.toml`.
    let root = scratch.join("yaml-project");
    write(&root.join(".github/workflows/ci.yml"), input);
    write(&root.join("action.yml"), input);
    write(&root.join(".gitlab-ci.yml"), input);
    let _ = archlint::check_for_test(&root, Some(&["CI", "SYN001"]));
}
