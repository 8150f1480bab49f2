//! The rules: every rule file (docs, metadata and logic, one folder per chapter), the one
//! registry, and the dispatcher that runs the selected rules in a single walk per file.
//!
//! A rule is data plus a function. It declares *where* it looks ([`Check`]); the dispatcher
//! (`dispatch.rs`) builds lookup tables from those declarations, so adding a rule never edits
//! the walk. The one list of rules is `registry.rs`.

pub mod arch;
pub mod asy;
pub mod ci;
pub mod dep;
pub mod dispatch;
pub mod engine;
pub mod meta;
pub mod perf;
pub mod pkg;
pub mod precision;
pub mod registry;
pub mod run;
pub mod sec;
pub mod tst;
pub mod typ;
pub mod ver;

use ruff_python_ast::{Expr, NodeKind, Stmt};

pub use archlint_analysis::{Analysis, ProjectContext};
pub use archlint_dist::DistributionContext;
pub use archlint_facts::ci::CiContext;
pub use archlint_facts::context::{CallSite, FileContext, ImportedModule, PyprojectContext};
pub use archlint_vocabulary::{
    BanditRating, Chapter, Confidence, Peer, Role, Roles, Rule, Severity, code_block, python_block,
    section,
};

pub type CallFn = fn(&CallSite, &mut FileContext);
pub type StmtFn = fn(&Stmt, &mut FileContext);
pub type ExprFn = fn(&Expr, &mut FileContext);
pub type ImportFn = fn(&ImportedModule, &mut FileContext);
pub type SourceFn = fn(&mut FileContext);
pub type PyprojectFn = fn(&mut PyprojectContext);
pub type ProjectFn = fn(&mut ProjectContext);
pub type CiFn = fn(&mut CiContext);
pub type DistributionFn = fn(&mut DistributionContext);

/// Where a rule looks. The dispatcher builds one table per kind of hook.
#[derive(Clone, Copy)]
pub enum Check {
    /// Calls whose callee resolves to one of `targets` (qualified names such as
    /// `subprocess.Popen`, or `builtins` names such as `eval`). A target written `.name`
    /// matches a method call `<anything>.name(...)` whose receiver is not resolved to a module.
    Call {
        targets: &'static [&'static str],
        run: CallFn,
    },
    /// Every call, for rules that match on arguments rather than on the callee.
    AnyCall { run: CallFn },
    /// Statements of the given kinds.
    Stmt {
        kinds: &'static [NodeKind],
        run: StmtFn,
    },
    /// Expressions of the given kinds.
    Expr {
        kinds: &'static [NodeKind],
        run: ExprFn,
    },
    /// Imports of one of `modules` or of a submodule or member of one; every import when
    /// `modules` is empty.
    Import {
        modules: &'static [&'static str],
        run: ImportFn,
    },
    /// The whole file once, with its text and tokens, after the walk.
    Source { run: SourceFn },
    /// The project's `pyproject.toml`, once per run.
    Pyproject { run: PyprojectFn },
    /// The project's CI configuration (workflows, actions, `.gitlab-ci.yml`, …), once per
    /// run.
    Ci { run: CiFn },
    /// The whole project once, after every file: the import graph, the call graph, dead
    /// code (`archlint_analysis`). `reads` names the shared analyses `run` reads, which the
    /// dispatcher builds side by side before the rules run.
    Project {
        run: ProjectFn,
        reads: &'static [Analysis],
    },
    /// Each built wheel or sdist `archlint package` verifies, opened in place.
    Distribution { run: DistributionFn },
    /// Several hooks for one rule (a pattern written as a statement in one place and as an
    /// expression in another).
    Several(&'static [Check]),
    /// Reported by the engine itself (syntax and I/O errors, suppressions, internal errors).
    Engine,
}

/// A rule as its file defines it: what it is ([`Rule`], the metadata every layer reads) and
/// where it looks ([`Check`], which only the dispatcher reads). It reads as its metadata, so
/// `definition.code` is the rule's code.
pub struct RuleDefinition {
    pub rule: Rule,
    pub check: Check,
}

impl std::ops::Deref for RuleDefinition {
    type Target = Rule;

    fn deref(&self) -> &Rule {
        &self.rule
    }
}

impl std::fmt::Debug for RuleDefinition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.rule.fmt(f)
    }
}

impl RuleDefinition {
    /// Whether the rule runs on the whole project (then its findings are filtered after the
    /// per-file pass).
    pub fn is_project_wide(&self) -> bool {
        fn project(check: &Check) -> bool {
            match check {
                Check::Project { .. } => true,
                Check::Several(checks) => checks.iter().any(project),
                _ => false,
            }
        }
        project(&self.check)
    }
}

/// Declares a rule. A rule file writes `pub static NAME = Rule { code: …, check: …, … };`
/// under its doc comment; that becomes a [`RuleDefinition`] whose [`Rule`] has the doc comment
/// as `doc`, the defining file as `source` and every field but `check`, which goes to the hook.
/// `roles` may be left out: the rule then runs in its chapter's roles.
#[macro_export]
macro_rules! rule {
    ($(#[doc = $doc:literal])* pub static $id:ident = Rule { $($body:tt)* };) => {
        $crate::rule!(@split [$($doc)*] $id [] [] [None] $($body)*);
    };
    // One field at a time: `check` to the hook, `roles` to its own slot, the others to the
    // metadata.
    (@split $docs:tt $id:ident $meta:tt [$($check:tt)*] $roles:tt check: $value:expr $(, $($rest:tt)*)?) => {
        $crate::rule!(@split $docs $id $meta [$value] $roles $($($rest)*)?);
    };
    (@split $docs:tt $id:ident $meta:tt $check:tt $roles:tt roles: $value:expr $(, $($rest:tt)*)?) => {
        $crate::rule!(@split $docs $id $meta $check [Some($value)] $($($rest)*)?);
    };
    (@split $docs:tt $id:ident [$($meta:tt)*] $check:tt $roles:tt $field:ident: $value:expr $(, $($rest:tt)*)?) => {
        $crate::rule!(@split $docs $id [$($meta)* $field: $value,] $check $roles $($($rest)*)?);
    };
    (@split [$($doc:literal)*] $id:ident [$($meta:tt)*] [$check:expr] [$roles:expr]) => {
        pub static $id: $crate::RuleDefinition = $crate::RuleDefinition {
            rule: $crate::Rule {
                doc: concat!($($doc, "\n"),*),
                source: file!(),
                roles: $roles,
                $($meta)*
            },
            check: $check,
        };
    };
}

/// What a rule file needs.
pub mod prelude {
    pub use super::{
        Analysis, BanditRating, CallSite, Check, CiContext, Confidence, DistributionContext,
        FileContext, ImportedModule, Peer, ProjectContext, PyprojectContext, Role, Roles, Rule,
        RuleDefinition, Severity,
    };
    pub use crate::rule;
    pub use archlint_facts::literal;
    pub use ruff_python_ast::{self as ast, Expr, NodeKind, Stmt};
    pub use ruff_text_size::{Ranged, TextRange};

    /// Bandit's rating, written `bandit(High, Medium)`.
    pub const fn bandit(severity: Confidence, confidence: Confidence) -> Option<BanditRating> {
        Some(BanditRating {
            severity,
            confidence,
        })
    }
    pub use Confidence::{High, Low, Medium};
}
