//! What a rule is, as every layer sees it: its code, name, chapter, severity, confidence, peers
//! and documentation. Where a rule looks and what it runs belong to the rules layer, which
//! pairs each of these with its hook.

use serde::{Deserialize, Serialize};

use crate::role::{Role, Roles};

/// The guide chapter a rule belongs to, taken from its code's prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Chapter {
    Versions,
    Runtime,
    Metaprogramming,
    Types,
    Async,
    Performance,
    Packaging,
    Security,
    Dependencies,
    Testing,
    Ci,
    Architecture,
    Tool,
}

impl Chapter {
    pub const ALL: [Chapter; 13] = [
        Chapter::Versions,
        Chapter::Runtime,
        Chapter::Metaprogramming,
        Chapter::Types,
        Chapter::Async,
        Chapter::Performance,
        Chapter::Packaging,
        Chapter::Security,
        Chapter::Dependencies,
        Chapter::Testing,
        Chapter::Ci,
        Chapter::Architecture,
        Chapter::Tool,
    ];

    /// The chapter whose prefix starts `code` (`SEC602` → security).
    pub fn of_code(code: &str) -> Option<Chapter> {
        let prefix: String = code
            .chars()
            .take_while(|c| c.is_ascii_uppercase())
            .collect();
        Some(match prefix.as_str() {
            "VER" => Chapter::Versions,
            "RUN" => Chapter::Runtime,
            "META" => Chapter::Metaprogramming,
            "TYP" => Chapter::Types,
            "ASY" => Chapter::Async,
            "PERF" => Chapter::Performance,
            "PKG" => Chapter::Packaging,
            "SEC" => Chapter::Security,
            "DEP" => Chapter::Dependencies,
            "TST" => Chapter::Testing,
            "CI" => Chapter::Ci,
            "ARCH" => Chapter::Architecture,
            "SYN" | "IO" | "SUP" | "INT" => Chapter::Tool,
            _ => return None,
        })
    }

    /// The name used in configuration and `--chapter` (`security`).
    pub fn name(self) -> &'static str {
        match self {
            Chapter::Versions => "versions",
            Chapter::Runtime => "runtime",
            Chapter::Metaprogramming => "metaprogramming",
            Chapter::Types => "types",
            Chapter::Async => "async",
            Chapter::Performance => "performance",
            Chapter::Packaging => "packaging",
            Chapter::Security => "security",
            Chapter::Dependencies => "dependencies",
            Chapter::Testing => "testing",
            Chapter::Ci => "ci",
            Chapter::Architecture => "architecture",
            Chapter::Tool => "tool",
        }
    }

    pub fn from_name(name: &str) -> Option<Chapter> {
        Chapter::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name))
    }

    /// The roles a rule of the chapter runs in unless it says otherwise.
    pub fn default_roles(self) -> Roles {
        match self {
            // Test data is often written in newer syntax on purpose, stubs are never executed,
            // and tools run on the maintainers' Python, not on every supported one.
            Chapter::Versions => Roles::of(&[Role::Package, Role::Tests, Role::Docs]),
            Chapter::Runtime
            | Chapter::Metaprogramming
            | Chapter::Async
            | Chapter::Packaging
            | Chapter::Security => Roles::SHIPPED,
            Chapter::Types | Chapter::Performance | Chapter::Architecture => Roles::PACKAGE,
            Chapter::Dependencies => Roles::CODE,
            Chapter::Testing => Roles::of(&[Role::Tests]),
            Chapter::Ci | Chapter::Tool => Roles::ALL,
        }
    }

    /// The guide section the chapter follows.
    pub fn guide_section(self) -> &'static str {
        match self {
            Chapter::Versions => "§1",
            Chapter::Runtime => "§2",
            Chapter::Metaprogramming => "§3",
            Chapter::Types => "§4",
            Chapter::Async => "§5",
            Chapter::Performance => "§6",
            Chapter::Packaging | Chapter::Dependencies => "§7",
            Chapter::Security => "§8",
            Chapter::Testing => "§9",
            Chapter::Ci => "§10",
            Chapter::Architecture | Chapter::Tool => "-",
        }
    }

    /// The title of the guide chapter it follows (the guide's own words), or what it covers.
    pub fn title(self) -> &'static str {
        match self {
            Chapter::Versions => "Python Interpreter Ecosystem & Internals",
            Chapter::Runtime => "Memory Management & GIL Architecture",
            Chapter::Metaprogramming => "Advanced Metaprogramming & Code Generation",
            Chapter::Types => "Type System Mastery",
            Chapter::Async => "Concurrency & Async Architecture",
            Chapter::Performance => "Performance Engineering",
            Chapter::Packaging => "Modern Python Packaging & Distribution",
            Chapter::Dependencies => "Dependencies",
            Chapter::Security => "Security Architecture",
            Chapter::Testing => "Testing at Scale",
            Chapter::Ci => "Build Systems & CI/CD",
            Chapter::Architecture => "Architecture",
            Chapter::Tool => "archlint itself",
        }
    }

    /// The prefix of its rule codes (`SEC`); the tool's own rules have several, and this
    /// gives `-` for them.
    pub fn prefix(self) -> &'static str {
        match self {
            Chapter::Versions => "VER",
            Chapter::Runtime => "RUN",
            Chapter::Metaprogramming => "META",
            Chapter::Types => "TYP",
            Chapter::Async => "ASY",
            Chapter::Performance => "PERF",
            Chapter::Packaging => "PKG",
            Chapter::Security => "SEC",
            Chapter::Dependencies => "DEP",
            Chapter::Testing => "TST",
            Chapter::Ci => "CI",
            Chapter::Architecture => "ARCH",
            Chapter::Tool => "-",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn from_name(name: &str) -> Option<Severity> {
        match name.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Bandit's confidence scale: how sure the rule is that a finding is a real problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn name(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// The same check in another tool: what `# nosec`/`# noqa` map through, and what the
/// agreement figures compare with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Peer {
    pub tool: &'static str,
    pub id: &'static str,
    /// `false` when the peer covers a narrower or broader case than this rule.
    pub same: bool,
}

impl Peer {
    pub const fn same(tool: &'static str, id: &'static str) -> Peer {
        Peer {
            tool,
            id,
            same: true,
        }
    }
    pub const fn related(tool: &'static str, id: &'static str) -> Peer {
        Peer {
            tool,
            id,
            same: false,
        }
    }
}

/// Bandit's own rating of a finding (kept as metadata on bandit-parity rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BanditRating {
    pub severity: Confidence,
    pub confidence: Confidence,
}

/// A rule's metadata and documentation, written once in its rule file.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// How sure a finding is, for security rules (bandit's scale).
    pub confidence: Option<Confidence>,
    /// Bandit's own severity and confidence, for the rules that mirror a bandit check.
    pub bandit: Option<BanditRating>,
    /// `false` for rules shipped but not selected unless asked for by code, prefix or chapter.
    pub default_enabled: bool,
    pub peers: &'static [Peer],
    /// The roles of the files the rule runs on; `None` for its chapter's
    /// ([`Chapter::default_roles`]).
    pub roles: Option<Roles>,
    /// The doc comment as written (each line keeps the space after `///`); read it
    /// through [`Rule::docs`].
    pub doc: &'static str,
    /// The file that defines the rule.
    pub source: &'static str,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule")
            .field("code", &self.code)
            .field("name", &self.name)
            .finish()
    }
}

impl Rule {
    pub fn chapter(&self) -> Chapter {
        Chapter::of_code(self.code).expect("registry meta-test checks every prefix")
    }

    /// The roles of the files the rule runs on.
    pub fn roles(&self) -> Roles {
        self.roles.unwrap_or_else(|| self.chapter().default_roles())
    }

    /// The peer id in `tool` (`bandit` → `B602`), if the rule has one.
    pub fn peer_id(&self, tool: &str) -> Option<&'static str> {
        self.peers.iter().find(|p| p.tool == tool).map(|p| p.id)
    }

    /// The documentation: What it does / Why it matters / Example / Use instead.
    pub fn docs(&self) -> String {
        let mut text = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            text.push_str(line.strip_prefix(' ').unwrap_or(line));
            text.push('\n');
        }
        text
    }

    /// The first sentence of "What it does", for listings and SARIF's short description.
    pub fn summary(&self) -> String {
        let docs = self.docs();
        let body = section(&docs, "What it does").unwrap_or(&docs);
        let text = body.split_whitespace().collect::<Vec<_>>().join(" ");
        match text.find(". ") {
            Some(end) => text[..=end].to_string(),
            None => text,
        }
    }
}

/// The text of a `## heading` section of a rule doc, without the heading.
pub fn section<'d>(doc: &'d str, heading: &str) -> Option<&'d str> {
    let marker = format!("## {heading}\n");
    let start = doc.find(&marker)? + marker.len();
    let rest = &doc[start..];
    let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
    Some(rest[..end].trim_matches('\n'))
}

/// The first ```python block of a doc section.
pub fn python_block(section_text: &str) -> Option<&str> {
    code_block(section_text, "python")
}

/// The first fenced block in `language` of a section.
pub fn code_block<'t>(section_text: &'t str, language: &str) -> Option<&'t str> {
    let fence = format!("```{language}\n");
    let start = section_text.find(&fence)? + fence.len();
    let end = section_text[start..].find("```")? + start;
    Some(&section_text[start..end])
}
