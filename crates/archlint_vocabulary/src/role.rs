//! What a file is for: its code role. Every file checked has exactly one, and every rule says
//! in which roles it runs, so that test data written in new syntax on purpose, documentation
//! examples and stubs are not held to the rules of shipped code.

use serde::{Deserialize, Serialize};

/// The role of a file in its project.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// What the build backend ships (or, in a project that builds nothing, its code).
    #[default]
    Package,
    /// Test suites: what pytest collects, `conftest.py`, and the helpers beside them.
    Tests,
    /// Files under a test folder that are read by the tests, not run or imported by them.
    TestData,
    /// Documentation and examples.
    Docs,
    /// Tools, benchmarks and build scripts that are never installed.
    Scripts,
    /// Type stubs (`.pyi`): read by type checkers, never executed.
    Stubs,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Package,
        Role::Tests,
        Role::TestData,
        Role::Docs,
        Role::Scripts,
        Role::Stubs,
    ];

    /// The name used in configuration and output (`test-data`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Package => "package",
            Role::Tests => "tests",
            Role::TestData => "test-data",
            Role::Docs => "docs",
            Role::Scripts => "scripts",
            Role::Stubs => "stubs",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.name() == name)
    }

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of roles: where a rule runs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Roles(u8);

impl Roles {
    pub const ALL: Roles = Roles::of(&Role::ALL);
    /// Code that runs: everything but test data and stubs.
    pub const CODE: Roles = Roles::of(&[Role::Package, Role::Tests, Role::Docs, Role::Scripts]);
    /// Code that is installed or run as a tool, not tests or documentation.
    pub const SHIPPED: Roles = Roles::of(&[Role::Package, Role::Scripts]);
    pub const PACKAGE: Roles = Roles::of(&[Role::Package]);
    /// Every role but test data, whose files may be broken on purpose.
    pub const NOT_TEST_DATA: Roles = Roles::of(&[
        Role::Package,
        Role::Tests,
        Role::Docs,
        Role::Scripts,
        Role::Stubs,
    ]);

    pub const fn of(roles: &[Role]) -> Roles {
        let mut bits = 0;
        let mut i = 0;
        while i < roles.len() {
            bits |= roles[i].bit();
            i += 1;
        }
        Roles(bits)
    }

    pub const fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL
            .into_iter()
            .filter(move |role| self.contains(*role))
    }
}

impl std::fmt::Debug for Roles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter().map(Role::name)).finish()
    }
}
