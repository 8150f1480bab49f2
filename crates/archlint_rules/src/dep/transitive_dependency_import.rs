use crate::prelude::*;

rule! {
    /// ## What it does
    /// With an installed environment (`archlint deps --python PATH`, `[tool.archlint.deps]
    /// python`, or `VIRTUAL_ENV`), reports an import of a module whose distribution is
    /// installed but not declared: it is there only because a declared dependency requires
    /// it, and the message names which. Without an environment such imports are DEP001.
    ///
    /// ## Why it matters
    /// Guide §8 (dependency security): a transitive dependency can disappear or change major
    /// version when the package that brought it in is upgraded, and the code that imports it
    /// breaks with no change of its own.
    ///
    /// ## Example
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = ["flask>=3"]
    /// [tool.archlint.deps]
    /// python = "venv"
    /// # file: venv/lib/python3.12/site-packages/flask-3.0.dist-info/METADATA
    /// Name: flask
    /// Requires-Dist: werkzeug>=3
    /// # file: venv/lib/python3.12/site-packages/werkzeug-3.0.dist-info/METADATA
    /// Name: werkzeug
    /// # file: venv/lib/python3.12/site-packages/werkzeug-3.0.dist-info/top_level.txt
    /// werkzeug
    /// # file: shop/__init__.py
    /// from werkzeug.utils import secure_filename
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: pyproject.toml
    /// [project]
    /// name = "shop"
    /// version = "1.0"
    /// dependencies = ["flask>=3", "werkzeug>=3"]
    /// [tool.archlint.deps]
    /// python = "venv"
    /// # file: venv/lib/python3.12/site-packages/flask-3.0.dist-info/METADATA
    /// Name: flask
    /// Requires-Dist: werkzeug>=3
    /// # file: venv/lib/python3.12/site-packages/werkzeug-3.0.dist-info/METADATA
    /// Name: werkzeug
    /// # file: venv/lib/python3.12/site-packages/werkzeug-3.0.dist-info/top_level.txt
    /// werkzeug
    /// # file: shop/__init__.py
    /// from werkzeug.utils import secure_filename
    /// ```
    pub static TRANSITIVE_DEPENDENCY_IMPORT = Rule {
        code: "DEP003",
        name: "transitive-dependency-import",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[Peer::same("deptry", "DEP003")],
        check: Check::Project {
            run: check,
            reads: &[Analysis::Dependencies],
        },
    };
}

fn check(cx: &mut ProjectContext) {
    super::report_findings(cx, "DEP003");
}
