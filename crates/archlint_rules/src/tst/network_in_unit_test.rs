use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a unit test that reaches the network: it calls `requests`, `httpx`, `aiohttp`,
    /// `urllib.request.urlopen`, `socket.create_connection`, `http.client` or `urllib3`
    /// itself, or calls a function of the project that does, however deep (the message shows
    /// the chain, each step with its file and line).
    ///
    /// Left alone: tests marked `network`, `integration`, `online`, `e2e` or `vcr`; tests
    /// decorated with a `patch`; tests that patch something themselves (`mock.patch`,
    /// `monkeypatch.setattr`); modules that import a transport mock (`responses`, `respx`,
    /// `pytest_httpx`, `requests_mock`, `aioresponses`, `httpretty`, `vcr`, `betamax`);
    /// tests gated on CPython's `network` resource (`support.requires("network")`,
    /// `requires_resource`, `transient_internet`, in the test or at the top of its module);
    /// and test folders named `integration`, `e2e`, `functional`, `system`, `acceptance`,
    /// `live` or `network`.
    ///
    /// A call to a server the suite starts itself on `localhost` (a `server` fixture running
    /// uvicorn) is not told apart from a call to a remote service, which is why the rule is
    /// off by default.
    ///
    /// ## Why it matters
    /// The guide's §9 (Testing at Scale): a unit test that talks to a real server fails when
    /// the network is slow or down, or when the service changes, so the suite is flaky and
    /// slow, and it cannot run offline or in a sandboxed CI job. The call is often not in the
    /// test at all but two helpers down, where nobody sees it.
    ///
    /// ## Example
    /// ```python
    /// # file: shop/__init__.py
    /// # file: shop/rates.py
    /// import requests
    ///
    /// def rate(currency):
    ///     return requests.get(f"https://rates.example/{currency}").json()["rate"]
    /// # file: tests/test_rates.py
    /// from shop.rates import rate
    ///
    /// def test_rate():
    ///     assert rate("EUR") > 0
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: shop/__init__.py
    /// # file: shop/rates.py
    /// import requests
    ///
    /// def rate(currency):
    ///     return requests.get(f"https://rates.example/{currency}").json()["rate"]
    /// # file: tests/test_rates.py
    /// import responses
    ///
    /// from shop.rates import rate
    ///
    /// @responses.activate
    /// def test_rate():
    ///     responses.get("https://rates.example/EUR", json={"rate": 1.1})
    ///     assert rate("EUR") > 0
    /// ```
    pub static NETWORK_IN_UNIT_TEST = Rule {
        code: "TST006",
        name: "network-in-unit-test",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[],
        check: Check::Project {
            run: check,
            reads: &[Analysis::CallGraph],
        },
    };
}

/// Calls that go to the network.
fn network_api(callee: &str) -> Option<&'static str> {
    const EXACT: &[&str] = &[
        "urllib.request.urlopen",
        "urllib.request.urlretrieve",
        "socket.create_connection",
        "http.client.HTTPConnection",
        "http.client.HTTPSConnection",
        "aiohttp.ClientSession",
        "aiohttp.request",
        "urllib3.request",
        "urllib3.PoolManager",
        "ftplib.FTP",
        "smtplib.SMTP",
    ];
    const VERBS: &[&str] = &[
        "get", "post", "put", "patch", "delete", "head", "options", "request", "stream",
    ];
    if EXACT.contains(&callee) {
        return Some("network");
    }
    let (module, verb) = callee.rsplit_once('.')?;
    (matches!(module, "requests" | "httpx" | "requests.api") && VERBS.contains(&verb))
        .then_some("network")
}

/// Markers under which reaching the network is the point.
const NETWORK_MARKERS: &[&str] = &["network", "integration", "online", "e2e", "vcr"];
/// Modules whose import means the transport is replaced in this test module.
const TRANSPORT_MOCKS: &[&str] = &[
    "responses",
    "respx",
    "pytest_httpx",
    "requests_mock",
    "aioresponses",
    "httpretty",
    "vcr",
    "betamax",
    "pook",
];
/// Test folders that hold tests meant to reach real services.
const NON_UNIT_FOLDERS: &[&str] = &[
    "integration",
    "integration_tests",
    "e2e",
    "functional",
    "system",
    "acceptance",
    "live",
    "network",
];

/// Steps shown before the chain is elided.
const SHOWN_STEPS: usize = 6;

fn check(cx: &mut ProjectContext) {
    let project = cx.project;
    let graph = project.calls();
    let reach = graph.reaching(project.modules, &network_api);
    for (test, function) in graph.functions.iter().enumerate() {
        let facts = &project.modules[function.module];
        if facts.role != Role::Tests || reach[test].is_none() || !unit_test(function, facts) {
            continue;
        }
        let route = project.route(&reach, test, SHOWN_STEPS);
        let call = &facts.calls[route.first_call];
        let api = format!("`{}` ({})", route.api, route.api_at);
        let chain = route.through;
        let name = &function.qualname;
        let route = if chain.is_empty() {
            format!("it calls {api}")
        } else {
            format!("{} → {api}", chain.join(" → "))
        };
        let message = format!(
            "unit test `{name}` reaches the network: {route}; replace the transport (responses, respx, pytest-httpx) or mark the test `@pytest.mark.network`"
        );
        cx.report(&facts.path, call.line, call.column, message);
    }
}

/// Whether `function` is a unit test: a `test*` function or a `test*` method of a class, not
/// marked or placed as a test of real services, that does not patch anything itself, in a
/// module that imports no transport mock.
fn unit_test(
    function: &archlint_analysis::calls::Function,
    facts: &archlint_facts::ModuleFacts,
) -> bool {
    let parts: Vec<&str> = function.qualname.split('.').collect();
    let name = parts.last().copied().unwrap_or_default();
    if parts.len() > 2 || !name.starts_with("test") {
        return false;
    }
    if facts.path.components().any(|c| {
        c.as_os_str()
            .to_str()
            .is_some_and(|c| NON_UNIT_FOLDERS.contains(&c))
    }) {
        return false;
    }
    if facts.imports.iter().any(|i| {
        let top = i.module.split('.').next().unwrap_or_default();
        TRANSPORT_MOCKS.contains(&top)
    }) {
        return false;
    }
    let marked_or_patched = |qualname: &str| {
        facts
            .definitions
            .iter()
            .filter(|d| d.qualname == qualname)
            .flat_map(|d| d.decorators.iter())
            .any(|d| {
                d.contains("patch")
                    || d.strip_prefix("pytest.mark.").is_some_and(|m| {
                        NETWORK_MARKERS.contains(&m.split('(').next().unwrap_or(m))
                    })
            })
    };
    if marked_or_patched(&function.qualname) || (parts.len() == 2 && marked_or_patched(parts[0])) {
        return false;
    }
    // CPython's test suite gates network tests on the `network` resource
    // (`support.requires("network")`, `requires_resource`, `transient_internet`), in the test
    // or at the top of its module.
    let resource_gated = facts.calls.iter().any(|c| {
        (c.caller.is_empty()
            || c.caller == function.qualname
            || parts.len() == 2 && c.caller.starts_with(parts[0]))
            && (c.callee.ends_with("support.requires")
                || c.callee.ends_with("requires_resource")
                || c.callee.ends_with("transient_internet"))
    }) || facts
        .definitions
        .iter()
        .filter(|d| d.qualname == function.qualname || parts.len() == 2 && d.qualname == parts[0])
        .flat_map(|d| d.decorators.iter())
        .any(|d| d.contains("requires_resource") || d.contains("transient_internet"));
    if resource_gated {
        return false;
    }
    let patches_itself = facts.calls.iter().any(|c| {
        c.caller == function.qualname
            && (c.callee.ends_with(".setattr")
                || c.callee.contains("mock.patch")
                || c.callee.ends_with(".patch")
                || c.callee.ends_with(".patch.object"))
    });
    !patches_itself
}
