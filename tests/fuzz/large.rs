//! Large inputs of the shapes that break naive code: one long line, brackets nested all the
//! way down, many short lines, random binary. Each parser target gets each shape, and the
//! real binary checks a project holding each as a Python file (the default size limit is
//! 10 MiB, so a 10 MB file is read and parsed, not skipped). Every run must finish within
//! the time limit, and the binary's peak memory must stay within the memory limit.
//!
//! `cargo test` uses 500 kB inputs in a debug build; `bench/fuzz` 10 MB in a release build.
//!
//! | variable | meaning | default |
//! | --- | --- | --- |
//! | `ARCHLINT_FUZZ_LARGE_BYTES` | size of each input | 500000 |
//! | `ARCHLINT_FUZZ_LARGE_SECONDS` | time one input may take | 60 |
//! | `ARCHLINT_FUZZ_LARGE_MEMORY_MB` | peak resident memory of `archlint check` | 2048 |

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::engine;
use crate::targets::head;

fn setting(name: &str, default: f64) -> f64 {
    std::env::var(name).ok().map_or(default, |v| {
        v.trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v}: not a number"))
    })
}

/// The shapes, each `size` bytes or close to it.
pub fn shapes(size: usize) -> Vec<(&'static str, Vec<u8>)> {
    let repeat = |unit: &[u8]| unit.repeat(size / unit.len().max(1));
    let nested = |open: u8, close: u8| {
        let mut bytes = b"x = ".to_vec();
        bytes.extend(std::iter::repeat_n(open, size / 2));
        bytes.extend(std::iter::repeat_n(close, size / 2));
        bytes.push(b'\n');
        bytes
    };
    let mut long_line = b"x = '".to_vec();
    long_line.extend(std::iter::repeat_n(b'a', size));
    long_line.extend_from_slice(b"'\n");
    let mut rng = fastrand::Rng::with_seed(10);
    let binary: Vec<u8> = (0..size).map(|_| rng.u8(..)).collect();
    vec![
        ("long-line", long_line),
        ("deep-parentheses", nested(b'(', b')')),
        ("deep-brackets", nested(b'[', b']')),
        ("deep-braces", nested(b'{', b'}')),
        ("many-lines", repeat(b"a = [1, 'b', c.d(e)]  # f\n")),
        (
            "many-definitions",
            repeat(b"def f(x: int = 1) -> int:\n    return x\n"),
        ),
        ("blank-lines", repeat(b"\n")),
        ("binary", binary),
    ]
}

pub fn run() {
    let size = setting("ARCHLINT_FUZZ_LARGE_BYTES", 500_000.0) as usize;
    let limit = Duration::from_secs_f64(setting("ARCHLINT_FUZZ_LARGE_SECONDS", 60.0));
    let memory_mb = setting("ARCHLINT_FUZZ_LARGE_MEMORY_MB", 2048.0);
    let shapes = shapes(size);
    let mut slow = Vec::new();
    let mut report = Vec::new();

    // Each parser target on each shape, in process.
    let results = engine::on_big_stack({
        let shapes = shapes.clone();
        move || {
            let mut results = Vec::new();
            let scratch = tempfile::tempdir().unwrap();
            for target in crate::TARGETS {
                // The check target reads a project listing, and the listing builder is the
                // test's own code: both get their large inputs through the binary below.
                if matches!(target.name, "check" | "package_spec") {
                    continue;
                }
                for (shape, bytes) in &shapes {
                    let started = Instant::now();
                    let outcome = engine::run_once(target, bytes, scratch.path());
                    results.push((target.name, *shape, started.elapsed(), outcome));
                }
            }
            results
        }
    });
    for (target, shape, took, outcome) in results {
        report.push(format!("{target}/{shape}: {:.2}s", took.as_secs_f64()));
        if let Err(message) = outcome {
            slow.push(format!("{target} on {shape}: {message}"));
        }
        if took > limit {
            slow.push(format!("{target} on {shape}: {:.1}s", took.as_secs_f64()));
        }
    }

    // The binary on a project holding each shape as a module.
    let dir = tempfile::tempdir().unwrap();
    for (shape, bytes) in &shapes {
        let root = dir.path().join(shape);
        std::fs::create_dir_all(root.join("pkg")).unwrap();
        std::fs::write(root.join("pkg/__init__.py"), "").unwrap();
        std::fs::write(root.join("pkg/big.py"), bytes).unwrap();
        let (code, took, peak_kb) = measure(&root);
        report.push(format!(
            "check/{shape}: {:.2}s, {} MB",
            took.as_secs_f64(),
            peak_kb / 1024
        ));
        if !matches!(code, Some(0..=2)) {
            slow.push(format!("archlint check on {shape}: exit code {code:?}"));
        }
        if took > limit {
            slow.push(format!(
                "archlint check on {shape}: {:.1}s",
                took.as_secs_f64()
            ));
        }
        if peak_kb as f64 > memory_mb * 1024.0 {
            slow.push(format!(
                "archlint check on {shape}: peak memory {} MB",
                peak_kb / 1024
            ));
        }
    }
    eprintln!("fuzz-large size={size} {}", report.join("; "));
    assert!(
        slow.is_empty(),
        "large inputs of {size} bytes over {}s or {memory_mb} MB, or failing:\n{}",
        limit.as_secs_f64(),
        head(&slow.join("\n"))
    );
}

/// Runs `archlint check --select ALL` on `root`: its exit code, wall time and peak resident
/// memory in KiB (Linux; 0 elsewhere), read from `/proc` while it runs.
fn measure(root: &Path) -> (Option<i32>, Duration, u64) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_archlint"))
        .args(["check", "--select", "ALL", "--output-format", "json", "."])
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary runs");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && let Some(line) = text.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kb: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            peak = peak.max(kb);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    (status.code(), started.elapsed(), peak)
}
