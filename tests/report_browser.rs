//! The HTML report in a real browser: the page of a small project's review by `archlint
//! report --compare`, and of a hand-built review holding every part of the page, is opened
//! from `file://` in headless Chromium and driven over the DevTools protocol. Its script must run
//! without an error, build every chapter card and a findings table whose filters and search
//! narrow the rows to exactly the right findings, show a finding's frame and explanation, show
//! hostile text as text, and request nothing but the file itself.
//!
//! Chromium comes from the distribution's packages (`sh tests/install-browser.sh`); without it
//! the test fails and says so. `CHROMIUM` names another binary.
//!
//! `cargo test --test report_browser -- --ignored screenshot --nocapture` writes a PNG of a
//! report: `ARCHLINT_REPORT_HTML` names the HTML, or `ARCHLINT_REPORT_JSON` a review in the
//! JSON format to render (default: this test's fixture review), and `ARCHLINT_SCREENSHOT` the
//! PNG (default: `report.png` in the system's temporary folder), of the whole page or, with
//! `ARCHLINT_SCREENSHOT_AT=ID`, of one screen from the element with that id (`graph`,
//! `findings`), after running the script `ARCHLINT_SCREENSHOT_EVAL` in the page if given
//! (`document.querySelector('button.toggle').click()` opens the first finding). It prints the
//! page's size and how long the browser took to open it.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::net::TcpStream;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use archlint_report::review::{
    AuditSummary, ChapterMetric, ChapterReview, ComplexFunction, DependencyRow, DependencySummary,
    Finding, FixedFinding, NotChecked, PackageCoupling, PackageEdge, PackageGraph, PackageNode,
    Review, RoleSize, RuleDoc, ScoreChange, Trend, TypesSummary, VulnerabilityRef, html,
};
use base64::Engine as _;
use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

const HOSTILE: &str = "<script>alert(1)</script>";
const HOSTILE_IMG: &str = "<img src=x onerror=alert(2)>";
/// The longest any one step may take.
const STEP: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------------
// The review under test.

/// The hand-built review and its page: every part of the page, with what a small project
/// does not have (an audit with a vulnerability, a trend, hostile text in every field).
fn report() -> (Review, String) {
    let review = hand_built();
    let page = html::render(&review);
    (review, page)
}

/// A small project: a cycle, unannotated functions, `eval`, `pickle`, a `match` statement
/// newer than its oldest Python, and a requirement that is HTML.
const PROJECT: &[(&str, &str)] = &[
    (
        "pyproject.toml",
        "[project]\nname = \"shop\"\nversion = \"0.1.0\"\nrequires-python = \">=3.9\"\n\
         dependencies = [\"requests\", \"<script>alert(1)</script>\"]\n\n[build-system]\n\
         requires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
    ),
    ("shop/__init__.py", ""),
    (
        "shop/core.py",
        "from shop import util\n\n\ndef run(value):\n    return util.helper(value)\n",
    ),
    (
        "shop/util.py",
        "import pickle\n\nfrom shop import core\n\n\ndef helper(data):\n    return pickle.loads(data)\n\n\n\
         def again(value):\n    return core.run(value)\n",
    ),
    (
        "shop/auth.py",
        "PASSWORD = \"hunter2\"\n\n\ndef check(text):\n    return eval(text)\n",
    ),
    (
        "shop/parse.py",
        "def parse(command):\n    match command:\n        case \"go\":\n            return 1\n\
         \x20       case _:\n            return 0\n",
    ),
];

/// What the project gains after its first review, for `--compare`.
const LATER: (&str, &str) = (
    "shop/run.py",
    "import subprocess\n\n\ndef sh(command):\n    return subprocess.call(command, shell=True)\n",
);

/// The review of the project above by `archlint report`, compared with its review before
/// `LATER`: the JSON for what the test expects, the HTML for the browser.
fn from_command(dir: &Path) -> (Review, String) {
    let project = dir.join("shop-project");
    for (path, text) in PROJECT {
        let path = project.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_archlint"))
            .arg("report")
            .arg(&project)
            .args(args)
            .output()
            .expect("archlint runs");
        assert!(
            output.status.success(),
            "archlint report {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    };
    let previous = dir.join("previous.json");
    std::fs::write(&previous, run(&["--output-format", "json"])).unwrap();
    std::fs::write(project.join(LATER.0), LATER.1).unwrap();
    let compare = previous.to_str().unwrap();
    let json = run(&["--output-format", "json", "--compare", compare]);
    let review = Review::from_json(&json).expect("the JSON report reads back");
    (
        review,
        run(&["--output-format", "html", "--compare", compare]),
    )
}

fn finding(
    code: &str,
    chapter: &str,
    severity: &str,
    path: &str,
    line: usize,
    message: &str,
) -> Finding {
    Finding {
        code: code.to_string(),
        name: format!("rule-{}", code.to_lowercase()),
        chapter: chapter.to_string(),
        severity: severity.to_string(),
        confidence: (chapter == "security").then(|| "high".to_string()),
        path: path.to_string(),
        line,
        column: 5,
        end_line: line,
        end_column: 12,
        message: message.to_string(),
        role: Some("package".to_string()),
        weight: 1.0,
        frame: vec![
            format!("def f{line}():"),
            format!("    value = {line}  # {code}"),
            "    return value".to_string(),
        ],
        frame_line: line - 1,
        text: String::new(),
        context: String::new(),
    }
}

fn chapter(
    key: &str,
    prefix: &str,
    title: &str,
    section: &str,
    score: Option<f64>,
) -> ChapterReview {
    ChapterReview {
        key: key.to_string(),
        prefix: prefix.to_string(),
        title: title.to_string(),
        section: section.to_string(),
        score,
        grade: match score {
            Some(s) if s >= 90.0 => "A",
            Some(s) if s >= 75.0 => "C",
            Some(_) => "F",
            None => "-",
        }
        .to_string(),
        lines: 420,
        rules_run: 12,
        ..ChapterReview::default()
    }
}

fn hand_built() -> Review {
    let mut findings = vec![
        finding(
            "SEC105",
            "security",
            "error",
            "demo/auth.py",
            12,
            "hardcoded password string `hunter2`",
        ),
        finding(
            "SEC301",
            "security",
            "warning",
            "demo/cache.py",
            40,
            "pickle.loads on data read from a socket",
        ),
        finding(
            "SEC113",
            "security",
            "warning",
            "demo/client.py",
            8,
            "requests.get without a timeout",
        ),
        finding(
            "VER001",
            "versions",
            "error",
            "demo/parse.py",
            22,
            "the match statement needs Python 3.10",
        ),
        finding(
            "VER006",
            "versions",
            "warning",
            "demo/legacy.py",
            3,
            "the module `imp` was removed in 3.12",
        ),
        finding(
            "TYP001",
            "types",
            "info",
            "demo/api.py",
            17,
            "public function `fetch` has no annotations",
        ),
        finding(
            "TYP001",
            "types",
            "info",
            "demo/api.py",
            30,
            "public function `store` has no annotations",
        ),
        finding(
            "TYP003",
            "types",
            "warning",
            "demo/models.py",
            5,
            "`Any` in a public signature",
        ),
        finding(
            "ARCH001",
            "architecture",
            "warning",
            "demo/core/__init__.py",
            2,
            "import cycle: demo.core -> demo.util -> demo.core",
        ),
        finding(
            "SEC802",
            "security",
            "warning",
            &format!("demo/{HOSTILE}.py"),
            4,
            HOSTILE,
        ),
        finding(
            "VER002",
            "versions",
            "warning",
            "demo/img.py",
            9,
            HOSTILE_IMG,
        ),
    ];
    findings.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    let index = |code: &str| findings.iter().position(|f| f.code == code).unwrap();
    let count = |key: &str, severity: &str| {
        findings
            .iter()
            .filter(|f| f.chapter == key && f.severity == severity)
            .count()
    };
    let mut chapters = vec![
        chapter(
            "versions",
            "VER",
            "Interpreter and versions",
            "§1",
            Some(71.0),
        ),
        chapter("types", "TYP", "Types", "§4", Some(88.5)),
        chapter("security", "SEC", "Security", "§8", Some(64.0)),
        chapter("performance", "PERF", "Performance", "§6", None),
        chapter("architecture", "ARCH", "Architecture", "-", Some(93.0)),
    ];
    for c in &mut chapters {
        c.errors = count(&c.key, "error");
        c.warnings = count(&c.key, "warning");
        c.infos = count(&c.key, "info");
        c.weighted_per_kloc = (c.errors * 3 + c.warnings) as f64 / 0.42;
        c.top_findings = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.chapter == c.key)
            .map(|(i, _)| i)
            .take(3)
            .collect();
    }
    chapters[1].metrics = vec![ChapterMetric {
        name: "annotation coverage".to_string(),
        value: "61.5%".to_string(),
        effect: "weight 0.4".to_string(),
    }];
    chapters[3].not_checked = vec![NotChecked {
        chapter: Some("performance".to_string()),
        what: "the performance rules".to_string(),
        why: "they are off by default".to_string(),
        location: None,
    }];
    let mut rules = BTreeMap::new();
    for f in &findings {
        rules.insert(
            f.code.clone(),
            RuleDoc {
                name: f.name.clone(),
                chapter: f.chapter.clone(),
                summary: format!("Finds what {} finds.", f.code),
                what: format!("Finds what {} finds.", f.code),
                why: format!("Because the guide says so ({}).", f.chapter),
                fix: format!("Write it another way than {} wants.", f.code),
                default_enabled: f.code != "TYP003",
            },
        );
    }
    rules.get_mut("SEC802").unwrap().why = format!("</script>{HOSTILE}<!--");
    let graph = PackageGraph {
        depth: 2,
        nodes: [
            ("demo", 3, false),
            ("demo.core", 5, true),
            ("demo.util", 2, true),
            ("demo.api", 4, false),
        ]
        .iter()
        .map(|&(name, modules, in_cycle)| PackageNode {
            name: name.to_string(),
            modules,
            in_cycle,
        })
        .collect(),
        edges: vec![
            PackageEdge {
                from: 0,
                to: 3,
                imports: 2,
            },
            PackageEdge {
                from: 3,
                to: 1,
                imports: 4,
            },
            PackageEdge {
                from: 1,
                to: 2,
                imports: 3,
            },
            PackageEdge {
                from: 2,
                to: 1,
                imports: 1,
            },
        ],
    };
    let mut review = Review {
        version: archlint_report::review::SCHEMA_VERSION,
        archlint: "0.1.0".to_string(),
        chapters,
        rules,
        not_checked: vec![NotChecked {
            chapter: None,
            what: "demo/broken.py".to_string(),
            why: "a syntax error at line 3".to_string(),
            location: Some("demo/broken.py:3".to_string()),
        }],
        trend: Some(Trend {
            previous_archlint: "0.1.0".to_string(),
            scores: vec![ScoreChange {
                chapter: "security".to_string(),
                before: Some(70.0),
                after: Some(64.0),
            }],
            new: vec![index("SEC301")],
            fixed: vec![FixedFinding {
                code: "SEC101".to_string(),
                path: "demo/auth.py".to_string(),
                line: 3,
                message: "assert used outside tests".to_string(),
            }],
        }),
        ..Review::default()
    };
    review.findings = findings;
    review.project.name = "demo".to_string();
    review.project.root = "demo".to_string();
    review.project.roles = vec![
        RoleSize {
            role: "package".to_string(),
            files: 9,
            lines: 420,
        },
        RoleSize {
            role: "tests".to_string(),
            files: 4,
            lines: 160,
        },
    ];
    review.project.python.requires_python = Some(">=3.9".to_string());
    review.project.python.oldest_supported = "3.9".to_string();
    review.project.python.code_minimum = Some("3.10".to_string());
    review.project.python.decided_by = Some("demo/parse.py:22: the match statement".to_string());
    review.project.graph.modules = 14;
    review.project.graph.imports = 10;
    review.project.graph.cycles = 1;
    review.project.graph.largest_cycle = vec![
        "demo.core".to_string(),
        "demo.util".to_string(),
        "demo.core".to_string(),
    ];
    review.project.graph.largest_cycle_modules = 2;
    review.project.graph.packages = graph;
    review.project.types = Some(TypesSummary {
        coverage: 61.5,
        completeness: 48.0,
        public_symbols: 25,
        public_known: 12,
        least_complete: Vec::new(),
    });
    review.project.complexity.functions = 30;
    review.project.complexity.average = 3.4;
    for (rank, n) in [("A", 22), ("B", 5), ("C", 2), ("E", 1)] {
        review.project.complexity.ranks.insert(rank.to_string(), n);
    }
    review
        .project
        .complexity
        .maintainability
        .insert("A".to_string(), 9);
    review.project.complexity.worst = vec![ComplexFunction {
        name: "Parser.parse".to_string(),
        path: "demo/parse.py".to_string(),
        line: 20,
        complexity: 31,
        cognitive: 44,
        rank: "E".to_string(),
    }];
    review.project.graph.farthest_from_main_sequence = vec![PackageCoupling {
        package: "demo.core".to_string(),
        afferent: 3,
        efferent: 1,
        instability: 0.25,
        abstractness: 0.0,
        distance: 0.75,
    }];
    review.project.dependencies = DependencySummary {
        rows: vec![
            DependencyRow {
                name: "requests".to_string(),
                declared_in: vec!["project".to_string()],
                imported: true,
                pinned: Some("2.25.0".to_string()),
                vulnerabilities: vec![VulnerabilityRef {
                    id: "GHSA-j8r2-6x86-q33q".to_string(),
                    severity: "medium".to_string(),
                    summary: "Unintended leak of Proxy-Authorization header".to_string(),
                }],
                fix: Some("2.31.0".to_string()),
            },
            DependencyRow {
                name: "rich".to_string(),
                declared_in: vec!["project".to_string(), "dev".to_string()],
                imported: false,
                pinned: None,
                vulnerabilities: Vec::new(),
                fix: None,
            },
        ],
        audit: Some(AuditSummary {
            database: "OSV PyPI export of 2026-11-30".to_string(),
            pins: 1,
            vulnerable: 1,
            medium: 1,
            ..AuditSummary::default()
        }),
    };
    review
}

// ---------------------------------------------------------------------------------------------
// Headless Chromium over the DevTools protocol.

/// A headless Chromium with its own profile, killed (with every process it started) when
/// dropped.
struct Browser {
    child: Child,
    socket: WebSocket<TcpStream>,
    /// The page's DevTools session.
    session: String,
    next_id: u64,
    /// Every event received, in order.
    events: Vec<Value>,
    /// Holds the profile until the browser is gone.
    _profile: tempfile::TempDir,
}

fn chromium() -> PathBuf {
    const INSTALL: &str = "Install it from the distribution's packages: \
        `sh tests/install-browser.sh` (`apt-get install chromium`).";
    if let Some(path) = std::env::var_os("CHROMIUM") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "CHROMIUM names {}, which is not a file. {INSTALL}",
            path.display()
        );
        return path;
    }
    for name in ["chromium", "chromium-browser"] {
        for dir in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "the HTML report's browser test needs Chromium, and none was found (looked for \
         `chromium` and `chromium-browser` on PATH, and the CHROMIUM variable). {INSTALL}"
    )
}

impl Browser {
    fn start() -> Browser {
        let binary = chromium();
        let profile = tempfile::tempdir().expect("a temporary profile");
        let log = std::fs::File::create(profile.path().join("chromium.log")).expect("a log file");
        let child = Command::new(&binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-dev-shm-usage",
                "--mute-audio",
                "--hide-scrollbars",
                "--window-size=1280,900",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        // Until the socket is open, a failure must still end the browser: a guard.
        let mut guard = ChildGuard(Some(child));
        let port_file = profile.path().join("DevToolsActivePort");
        let deadline = Instant::now() + STEP;
        let (port, path) = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    break (port.trim().to_string(), path.trim().to_string());
                }
            }
            if let Some(status) = guard.0.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                panic!(
                    "Chromium exited ({status}) before opening its DevTools port; its log:\n{}",
                    std::fs::read_to_string(profile.path().join("chromium.log"))
                        .unwrap_or_default()
                );
            }
            assert!(
                Instant::now() < deadline,
                "Chromium did not open its DevTools port in {STEP:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let stream =
            TcpStream::connect(format!("127.0.0.1:{port}")).expect("DevTools port connects");
        // A whole step for the handshake (a timeout inside it would abort it), then short
        // reads so that every wait checks its own deadline.
        stream.set_read_timeout(Some(STEP)).unwrap();
        stream.set_write_timeout(Some(STEP)).unwrap();
        let url = format!("ws://127.0.0.1:{port}{path}");
        let (socket, _) =
            tungstenite::client(url.as_str(), stream).expect("the DevTools WebSocket opens");
        socket
            .get_ref()
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let child = guard.0.take().unwrap();
        let mut browser = Browser {
            child,
            socket,
            session: String::new(),
            next_id: 0,
            events: Vec::new(),
            _profile: profile,
        };
        let target = browser.call(None, "Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"]
            .as_str()
            .expect("a target id")
            .to_string();
        let attached = browser.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        for domain in [
            "Runtime.enable",
            "Log.enable",
            "Network.enable",
            "Page.enable",
        ] {
            browser.page(domain, json!({}));
        }
        browser
    }

    /// Sends a command (to the page's session, or the browser's) and waits for its answer,
    /// keeping the events that arrive meanwhile.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .expect("a DevTools command is sent");
        let deadline = Instant::now() + STEP;
        loop {
            let Some(message) = self.receive(deadline) else {
                panic!("no answer to {method} in {STEP:?}");
            };
            if message["id"] == json!(id) {
                if let Some(error) = message.get("error") {
                    panic!("{method} failed: {error}");
                }
                return message["result"].clone();
            }
        }
    }

    fn page(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.call(Some(&session), method, params)
    }

    /// The next message before `deadline`; events are also kept in `events`.
    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        while Instant::now() < deadline {
            match self.socket.read() {
                Ok(Message::Text(text)) => {
                    let value: Value =
                        serde_json::from_str(text.as_str()).expect("DevTools sends JSON");
                    if value.get("method").is_some() {
                        self.events.push(value.clone());
                    }
                    return Some(value);
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) => panic!("the DevTools connection failed: {e}"),
            }
        }
        None
    }

    /// Reads events until one named `method` has come (since the browser started).
    fn wait_for_event(&mut self, method: &str) {
        self.wait_for_events(method, 1);
    }

    /// Reads events until `count` named `method` have come (since the browser started).
    fn wait_for_events(&mut self, method: &str, count: usize) {
        let deadline = Instant::now() + STEP;
        while self.events.iter().filter(|e| e["method"] == method).count() < count {
            assert!(
                self.receive(deadline).is_some(),
                "no {method} event in {STEP:?}"
            );
        }
    }

    /// Evaluates an expression in the page, awaiting a promise, and returns its value.
    fn eval(&mut self, expression: &str) -> Value {
        let result = self.page(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("`{expression}` threw: {exception}");
        }
        result["result"]["value"].clone()
    }

    /// Evaluates `expression` until it is true; an exception thrown by the page's script
    /// meanwhile fails at once.
    fn wait_until(&mut self, expression: &str) {
        let deadline = Instant::now() + STEP;
        while self.eval(expression) != json!(true) {
            if let Some(e) = self
                .events
                .iter()
                .find(|e| e["method"] == "Runtime.exceptionThrown")
            {
                panic!(
                    "the page's script threw: {}",
                    e["params"]["exceptionDetails"]
                );
            }
            assert!(
                Instant::now() < deadline,
                "`{expression}` still false after {STEP:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn open(&mut self, file: &Path) -> String {
        let url = format!("file://{}", file.display());
        self.page("Page.navigate", json!({"url": url}));
        self.wait_for_event("Page.loadEventFired");
        self.wait_until("document.body.getAttribute('data-ready') === 'true'");
        url
    }

    /// A PNG of the whole page, or of one screen from the element with id `at` down.
    fn screenshot(&mut self, at: Option<&str>) -> Vec<u8> {
        let metrics = self.page("Page.getLayoutMetrics", json!({}));
        let size = &metrics["cssContentSize"];
        let (top, height) = match at {
            Some(id) => {
                let top = self.eval(&format!(
                    "document.getElementById({}).getBoundingClientRect().top + window.scrollY",
                    json!(id)
                ));
                (top, json!(900))
            }
            None => (json!(0), size["height"].clone()),
        };
        let shot = self.page(
            "Page.captureScreenshot",
            json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": {"x": 0, "y": top, "width": size["width"], "height": height, "scale": 1},
            }),
        );
        base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("screenshot data"))
            .expect("base64 PNG")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.socket.send(Message::text(
            json!({"id": 0, "method": "Browser.close"}).to_string(),
        ));
        end(&mut self.child);
    }
}

/// Ends a browser that has no DevTools connection yet.
struct ChildGuard(Option<Child>);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            end(child);
        }
    }
}

/// Waits a little for the browser to close, then kills its process group (the renderers and
/// helpers it started) and reaps it.
fn end(child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let group = format!("-{}", child.id());
    let _ = Command::new("kill")
        .args(["-KILL", "--", &group])
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

// ---------------------------------------------------------------------------------------------
// The tests.

/// The indices of the findings shown in the table, in order.
const SHOWN: &str = "Array.from(document.querySelectorAll('#findings-body tr.finding')).map(r => Number(r.dataset.index))";

fn indices(value: Value) -> Vec<usize> {
    serde_json::from_value(value).expect("a list of indices")
}

/// The message as the table shows it: backtick spans as code, without their backticks.
fn shown_message(message: &str) -> String {
    if message.split('`').count() % 2 == 1 {
        message.replace('`', "")
    } else {
        message.to_string()
    }
}

/// The start of a rule's documentation section as the page shows it.
fn doc_start(text: &str) -> String {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    shown_message(first.trim()).chars().take(40).collect()
}

#[test]
fn the_report_of_a_project_works_in_a_browser_and_requests_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (review, page) = from_command(dir.path());
    assert!(review.trend.as_ref().is_some_and(|t| !t.new.is_empty()));
    check_page(&review, &page);
}

#[test]
fn a_review_with_every_part_works_in_a_browser_and_requests_nothing() {
    let (review, page) = report();
    check_page(&review, &page);
    // The hand-built review has HTML in other places too.
    assert!(review.findings.iter().any(|f| f.message == HOSTILE_IMG));
}

/// Opens the page of `review` in Chromium and checks it, as the module's documentation says.
fn check_page(review: &Review, page: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    std::fs::write(&file, page).unwrap();
    let mut browser = Browser::start();
    let url = browser.open(&file);

    // Every chapter card, in the review's order.
    let cards = browser.eval(
        "Array.from(document.querySelectorAll('article.chapter-card')).map(c => c.dataset.chapter)",
    );
    let keys: Vec<&str> = review.chapters.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(cards, json!(keys));

    // All findings at first (one page).
    let all: Vec<usize> = (0..review.findings.len()).collect();
    assert!(
        all.len() > 5 && all.len() < 200,
        "the fixture fits one page"
    );
    assert_eq!(indices(browser.eval(SHOWN)), all);

    // Choosing a chapter shows exactly its findings.
    let of_chapter = |key: &str| -> Vec<usize> {
        all.iter()
            .copied()
            .filter(|&i| review.findings[i].chapter == key)
            .collect()
    };
    for chapter in &review.chapters {
        let shown = indices(browser.eval(&format!(
            "(() => {{ const s = document.getElementById('filter-chapter'); s.value = {key}; \
             s.dispatchEvent(new Event('change')); return {SHOWN}; }})()",
            key = json!(chapter.key)
        )));
        assert_eq!(shown, of_chapter(&chapter.key), "chapter {}", chapter.key);
    }
    // A card's link does the same.
    let chapter = review
        .chapters
        .iter()
        .find(|c| !of_chapter(&c.key).is_empty() && of_chapter(&c.key).len() < all.len())
        .expect("a chapter with some of the findings");
    let shown = browser.eval(&format!(
        "(() => {{ document.querySelector('a.filter-link[data-chapter={key}]').click(); return {SHOWN}; }})()",
        key = json!(chapter.key)
    ));
    assert_eq!(indices(shown), of_chapter(&chapter.key));
    browser.eval("document.getElementById('filter-reset').click()");
    assert_eq!(indices(browser.eval(SHOWN)), all);

    // Typing in the search box narrows the rows (after the debounce).
    browser.eval("document.getElementById('filter-search').focus()");
    browser.page("Input.insertText", json!({"text": "Annotation"}));
    let expected: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| {
            let f = &review.findings[i];
            format!("{} {} {} {}", f.code, f.name, f.path, f.message)
                .to_lowercase()
                .contains("annotation")
        })
        .collect();
    assert!(!expected.is_empty() && expected.len() < all.len());
    browser.wait_until(&format!("{SHOWN}.length === {}", expected.len()));
    assert_eq!(indices(browser.eval(SHOWN)), expected);
    browser.eval("document.getElementById('filter-reset').click()");

    // Enter on a finding's button opens its frame and its rule's explanation.
    let first = &review.findings[0];
    browser.eval("document.querySelector('#findings-body tr.finding button.toggle').focus()");
    for kind in ["keyDown", "keyUp"] {
        browser.page(
            "Input.dispatchKeyEvent",
            json!({"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"}),
        );
    }
    browser.wait_until("document.getElementById('finding-detail-0') !== null");
    let detail = browser.eval(
        "(() => { const d = document.getElementById('finding-detail-0'); const f = d.querySelector('pre.frame'); \
         return { frame: f ? f.textContent : '', doc: d.querySelector('.rule-doc').textContent, \
         expanded: document.querySelector('#findings-body tr.finding button.toggle').getAttribute('aria-expanded') }; })()",
    );
    if let Some(line) = first.frame.get(first.line.saturating_sub(first.frame_line)) {
        let start: String = line.chars().take(60).collect();
        assert!(
            detail["frame"].as_str().unwrap().contains(&start),
            "{detail}"
        );
    }
    let rule = &review.rules[&first.code];
    let doc = detail["doc"].as_str().unwrap();
    assert!(doc.contains(&doc_start(&rule.what)), "{detail}");
    assert!(doc.contains(&doc_start(&rule.why)), "{detail}");
    assert_eq!(detail["expanded"], "true");

    // Hostile text is text: no element made of it, and the cells read as it was written.
    let hostile = review
        .findings
        .iter()
        .position(|f| f.message.contains(HOSTILE))
        .expect("a finding with HTML in its message");
    let row = browser.eval(&format!(
        "(() => {{ const r = document.querySelector('#findings-body tr.finding[data-index=\"{hostile}\"]'); \
         const b = r.querySelector('button.toggle'); \
         if (b.getAttribute('aria-expanded') !== 'true') {{ b.click(); }} \
         return {{ message: b.textContent, location: r.querySelector('td.loc').textContent, \
         doc: document.getElementById('finding-detail-{hostile}').querySelector('.rule-doc').textContent, \
         scripts: document.scripts.length, images: document.images.length }}; }})()"
    ));
    let f = &review.findings[hostile];
    assert_eq!(row["message"], shown_message(&f.message));
    assert_eq!(
        row["location"],
        format!("{}:{}:{}", f.path, f.line, f.column)
    );
    let rule = &review.rules[&f.code];
    assert!(
        row["doc"].as_str().unwrap().contains(&doc_start(&rule.why)),
        "{row}"
    );
    assert_eq!(
        row["scripts"], 2,
        "only the data island and the page's script"
    );
    assert_eq!(row["images"], 0, "HTML in the data stays text");
    for other in review.findings.iter().filter(|f| f.message.contains('<')) {
        let found = browser.eval(&format!(
            "Array.from(document.querySelectorAll('#findings-body button.toggle')).some(b => b.textContent === {})",
            json!(shown_message(&other.message))
        ));
        assert_eq!(found, true, "{}", other.message);
    }
    let title = browser.eval("document.querySelector('h1').textContent");
    assert!(title.as_str().unwrap().starts_with(&review.project.name));

    // Printing hides the controls.
    browser.page("Emulation.setEmulatedMedia", json!({"media": "print"}));
    let hidden = browser.eval("getComputedStyle(document.getElementById('filters')).display");
    assert_eq!(hidden, "none");
    browser.page("Emulation.setEmulatedMedia", json!({"media": ""}));

    // With a comparison: the new findings only.
    if let Some(trend) = &review.trend {
        let new = browser.eval(&format!(
            "(() => {{ const b = document.getElementById('filter-new'); b.checked = true; \
             b.dispatchEvent(new Event('change')); return {SHOWN}; }})()"
        ));
        assert_eq!(indices(new), trend.new);
        browser.eval("document.getElementById('filter-reset').click()");
    }

    // Without JavaScript the cards and facts are there all the same.
    browser.page(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": true}),
    );
    browser.page("Page.reload", json!({}));
    browser.wait_for_events("Page.loadEventFired", 2);
    let static_page = browser.eval(
        "({ cards: document.querySelectorAll('article.chapter-card').length, \
         ready: document.body.getAttribute('data-ready'), \
         graph: document.querySelectorAll('svg.graph g.node').length, \
         charts: document.querySelectorAll('svg.chart').length })",
    );
    assert_eq!(static_page["cards"], review.chapters.len());
    assert_eq!(static_page["ready"], Value::Null, "the script did not run");
    let nodes = review.project.graph.packages.nodes.len();
    assert!(nodes > 1);
    assert_eq!(static_page["graph"], nodes.min(html::MAX_GRAPH_NODES));
    assert!(
        static_page["charts"].as_u64().unwrap() >= 1,
        "{static_page}"
    );
    browser.page(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": false}),
    );

    // Let late events arrive, then: no error of any kind, no request but the file.
    browser.eval("new Promise(r => setTimeout(r, 300))");
    let errors: Vec<&Value> = browser
        .events
        .iter()
        .filter(|e| match e["method"].as_str() {
            Some("Runtime.exceptionThrown") => true,
            Some("Runtime.consoleAPICalled") => {
                matches!(
                    e["params"]["type"].as_str(),
                    Some("error" | "assert" | "warning")
                )
            }
            Some("Log.entryAdded") => {
                matches!(
                    e["params"]["entry"]["level"].as_str(),
                    Some("error" | "warning")
                )
            }
            _ => false,
        })
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    let requests: Vec<&str> = browser
        .events
        .iter()
        .filter(|e| e["method"] == "Network.requestWillBeSent")
        .filter_map(|e| e["params"]["request"]["url"].as_str())
        .collect();
    assert!(
        requests.contains(&url.as_str()),
        "the page itself is seen: {requests:?}"
    );
    let others: Vec<&&str> = requests
        .iter()
        .filter(|u| **u != url && !u.starts_with("data:"))
        .collect();
    assert!(
        others.is_empty(),
        "requests other than the file: {others:?}"
    );
}

/// A review of 50,000 findings: the table shows them 200 a page, the pages move, the filters
/// and the search go over all of them, and the whole stays quick.
#[test]
fn a_large_review_is_paged_and_stays_quick() {
    let (mut review, _) = report();
    let template = review.findings.clone();
    review.findings = (0..50_000)
        .map(|i| {
            let mut f = template[i % template.len()].clone();
            f.path = format!("demo/m{:05}.py", i);
            f.line = 10 + i % 7;
            f.frame_line = f.line - 1;
            if i % 1000 == 0 {
                f.message = format!("needle {i}");
            }
            f
        })
        .collect();
    review.trend = None;
    for chapter in &mut review.chapters {
        chapter.top_findings.clear();
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    std::fs::write(&file, html::render(&review)).unwrap();
    let mut browser = Browser::start();
    let start = Instant::now();
    browser.open(&file);
    let opened = start.elapsed();
    assert!(opened < Duration::from_secs(15), "opened in {opened:?}");

    assert_eq!(indices(browser.eval(SHOWN)), (0..200).collect::<Vec<_>>());
    assert_eq!(
        browser.eval("document.getElementById('page-prev').disabled"),
        true
    );
    browser.eval("document.getElementById('page-next').click()");
    assert_eq!(indices(browser.eval(SHOWN)), (200..400).collect::<Vec<_>>());
    let status = browser.eval("document.getElementById('page-status').textContent");
    assert_eq!(status, "Findings 201–400, page 2 of 250");

    // The search covers every page, and a filter goes back to the first page.
    let start = Instant::now();
    browser.eval(
        "(() => { const s = document.getElementById('filter-search'); s.value = 'needle'; \
         s.dispatchEvent(new Event('input')); })()",
    );
    browser.wait_until(&format!("{SHOWN}.length === 50"));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "searched in {:?}",
        start.elapsed()
    );
    let expected: Vec<usize> = (0..50_000).step_by(1000).collect();
    assert_eq!(indices(browser.eval(SHOWN)), expected);
    assert_eq!(
        browser.eval("document.getElementById('findings-count').dataset.count"),
        "50"
    );

    // The filters are reached with Tab, in order.
    browser.eval("document.getElementById('filter-chapter').focus()");
    let mut reached = Vec::new();
    for _ in 0..5 {
        for kind in ["rawKeyDown", "keyUp"] {
            browser.page(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}),
            );
        }
        reached.push(browser.eval("document.activeElement.id"));
    }
    assert_eq!(
        Value::from(reached),
        json!([
            "filter-severity",
            "filter-rule",
            "filter-path",
            "filter-search",
            "filter-reset"
        ])
    );
}

/// Not a check: writes a PNG of a report for a person to look at.
#[test]
#[ignore]
fn screenshot() {
    let dir = tempfile::tempdir().unwrap();
    let html = match std::env::var_os("ARCHLINT_REPORT_HTML") {
        Some(path) => PathBuf::from(path),
        None => {
            let page = match std::env::var_os("ARCHLINT_REPORT_JSON") {
                Some(json) => {
                    let text = std::fs::read_to_string(json).expect("the JSON review reads");
                    let review = Review::from_json(&text).expect("a review");
                    let start = Instant::now();
                    let page = html::render(&review);
                    eprintln!(
                        "{} findings rendered in {:?}",
                        review.findings.len(),
                        start.elapsed()
                    );
                    page
                }
                None => report().1,
            };
            let path = dir.path().join("report.html");
            std::fs::write(&path, page).unwrap();
            path
        }
    };
    eprintln!(
        "{}: {} bytes",
        html.display(),
        std::fs::metadata(&html).unwrap().len()
    );
    let out = std::env::var_os("ARCHLINT_SCREENSHOT")
        .map_or_else(|| std::env::temp_dir().join("report.png"), PathBuf::from);
    let html = std::fs::canonicalize(html).expect("the HTML exists");
    let mut browser = Browser::start();
    browser.page(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
    );
    let start = Instant::now();
    browser.open(&html);
    eprintln!("opened, its script run, in {:?}", start.elapsed());
    if let Ok(script) = std::env::var("ARCHLINT_SCREENSHOT_EVAL") {
        browser.eval(&script);
    }
    let at = std::env::var("ARCHLINT_SCREENSHOT_AT").ok();
    std::fs::write(&out, browser.screenshot(at.as_deref())).unwrap();
    eprintln!("wrote {}", out.display());
}
