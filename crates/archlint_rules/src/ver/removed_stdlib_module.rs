use super::version_range::{NEWEST_PYTHON, show};
use crate::prelude::*;
use archlint_facts::ImportKind;

rule! {
    /// ## What it does
    /// Flags imports of standard-library modules removed in a Python version up to the
    /// newest one archlint considers (3.14): `distutils`, `imp`, `asyncore`, `asynchat`,
    /// `smtpd` (3.12); the PEP 594 "dead batteries" (`cgi`, `telnetlib`, `crypt`, `pipes`, …)
    /// and `lib2to3` (3.13); and older removals (`formatter`, `parser`, `symbol`, `binhex`,
    /// `macpath`, `xml.etree.cElementTree`). The message names the version and the
    /// replacement. Guarded imports (in `try`/`if`, or under `TYPE_CHECKING`) are not flagged.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): the import fails with `ModuleNotFoundError` on
    /// the first Python without the module, which is usually discovered by a user upgrading.
    ///
    /// ## Example
    /// ```python
    /// import imp
    ///
    /// module = imp.load_source("plugin", path)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import importlib.util
    ///
    /// spec = importlib.util.spec_from_file_location("plugin", path)
    /// ```
    pub static REMOVED_STDLIB_MODULE = Rule {
        code: "VER006",
        name: "removed-stdlib-module",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("pylint", "W4901"), Peer::related("ruff", "UP035")],
        check: Check::Import { modules: MODULES, run: check },
    };
}

/// Removed modules: (name, removed in, replacement).
const REMOVED: &[(&str, (u8, u8), &str)] = &[
    ("macpath", (3, 8), "`os.path`"),
    ("xml.etree.cElementTree", (3, 9), "`xml.etree.ElementTree`"),
    ("formatter", (3, 10), "your own formatting code"),
    ("parser", (3, 10), "`ast`"),
    ("symbol", (3, 10), "`token` and `ast`"),
    ("binhex", (3, 11), "`base64` or `binascii`"),
    (
        "distutils",
        (3, 12),
        "`setuptools` and `packaging`; `sysconfig` for paths",
    ),
    ("imp", (3, 12), "`importlib`"),
    ("asynchat", (3, 12), "`asyncio`"),
    ("asyncore", (3, 12), "`asyncio`"),
    ("smtpd", (3, 12), "`aiosmtpd` (PyPI)"),
    ("aifc", (3, 13), "a PyPI package (PEP 594)"),
    ("audioop", (3, 13), "`audioop-lts` (PyPI)"),
    (
        "cgi",
        (3, 13),
        "`email.message` / `urllib.parse`, or `legacy-cgi` (PyPI)",
    ),
    ("cgitb", (3, 13), "`traceback` / `faulthandler`"),
    ("chunk", (3, 13), "a PyPI package (PEP 594)"),
    ("crypt", (3, 13), "`hashlib` or `bcrypt`/`argon2` (PyPI)"),
    ("imghdr", (3, 13), "`filetype` or `puremagic` (PyPI)"),
    ("mailcap", (3, 13), "`mimetypes`"),
    ("msilib", (3, 13), "a PyPI package (PEP 594)"),
    ("nis", (3, 13), "a PyPI package (PEP 594)"),
    ("nntplib", (3, 13), "a PyPI package (PEP 594)"),
    ("ossaudiodev", (3, 13), "a PyPI package (PEP 594)"),
    ("pipes", (3, 13), "`subprocess` and `shlex.quote`"),
    ("sndhdr", (3, 13), "`filetype` (PyPI)"),
    ("spwd", (3, 13), "`python-pam` (PyPI)"),
    ("sunau", (3, 13), "a PyPI package (PEP 594)"),
    ("telnetlib", (3, 13), "`telnetlib3` (PyPI) or SSH"),
    ("uu", (3, 13), "`base64`"),
    ("xdrlib", (3, 13), "a PyPI package (PEP 594)"),
    ("lib2to3", (3, 13), "`libcst` or `parso` (PyPI)"),
    ("tkinter.tix", (3, 13), "`tkinter.ttk`"),
    (
        "typing.io",
        (3, 13),
        "`typing` (`typing.IO`, `typing.TextIO`)",
    ),
    (
        "typing.re",
        (3, 13),
        "`typing` (`typing.Pattern`, `typing.Match`) or `re`",
    ),
];

const MODULES: &[&str] = &[
    "macpath",
    "xml.etree.cElementTree",
    "formatter",
    "parser",
    "symbol",
    "binhex",
    "distutils",
    "imp",
    "asynchat",
    "asyncore",
    "smtpd",
    "aifc",
    "audioop",
    "cgi",
    "cgitb",
    "chunk",
    "crypt",
    "imghdr",
    "mailcap",
    "msilib",
    "nis",
    "nntplib",
    "ossaudiodev",
    "pipes",
    "sndhdr",
    "spwd",
    "sunau",
    "telnetlib",
    "uu",
    "xdrlib",
    "lib2to3",
    "tkinter.tix",
    "typing.io",
    "typing.re",
];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    if matches!(
        import.kind,
        ImportKind::Conditional | ImportKind::TypeChecking
    ) {
        return;
    }
    let Some(&(module, removed, replacement)) = REMOVED.iter().find(|(module, _, _)| {
        import.name == *module
            || import
                .name
                .strip_prefix(module)
                .is_some_and(|rest| rest.starts_with('.'))
    }) else {
        return;
    };
    if removed > NEWEST_PYTHON || cx.already_reported(import.statement) {
        return;
    }
    cx.report(
        import.statement,
        format!(
            "`{module}` was removed in Python {}; use {replacement}",
            show(removed)
        ),
    );
}
