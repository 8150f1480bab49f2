//! The driver every target shares: it draws inputs from the target's corpus and the mutation
//! engine, runs the target on each inside `catch_unwind`, and keeps what failed.
//!
//! A run is reproducible: input `i` of a target is rebuilt from the seed, the target's name
//! and `i` alone, so a failure names all three. The input being run is also written to
//! `<crashes>/<target>.current` first, so that what no `catch_unwind` can catch (a stack
//! overflow, an abort, the watchdog ending a run that hangs) still leaves its input behind.
//!
//! `cargo test` runs each target for a fixed number of inputs (seconds in a debug build); the
//! environment turns the same test into a campaign (`bench/fuzz` sets these):
//!
//! | variable | meaning | default |
//! | --- | --- | --- |
//! | `ARCHLINT_FUZZ_SEED` | the seed of every target | `20251204` |
//! | `ARCHLINT_FUZZ_ITERATIONS` | inputs per target | the target's own figure |
//! | `ARCHLINT_FUZZ_SECONDS` | time per target (inputs unbounded unless also given) | none |
//! | `ARCHLINT_FUZZ_ITERATION` | run only this input (to reproduce a failure) | none |
//! | `ARCHLINT_FUZZ_CRASHES` | where failing inputs are written | `target/tmp/fuzz-crashes` |
//! | `ARCHLINT_FUZZ_TIMEOUT` | seconds one input may take before the run is stopped | 60 |

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use fastrand::Rng;

use crate::mutate;

/// One file of a target's corpus.
pub struct Seed {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Seed {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Seed {
        Seed {
            name: name.into(),
            bytes: bytes.into(),
        }
    }
}

/// A parser (or the whole pipeline) under test.
pub struct Target {
    /// Also the folder of its regression inputs, `tests/fixtures/fuzz/<name>/`.
    pub name: &'static str,
    /// Inputs per `cargo test` run.
    pub iterations: u64,
    /// The largest input the mutations make, in bytes.
    pub max_len: usize,
    /// Words of the format, inserted by the mutations as often as the common tokens.
    pub tokens: &'static [&'static [u8]],
    /// The corpus the inputs are mutated from (the regression inputs are added to it).
    pub seeds: fn() -> Vec<Seed>,
    /// Runs the target on one input, with a scratch folder of its own (emptied by nobody:
    /// the target overwrites what it writes). Panics when an invariant does not hold.
    pub run: fn(&[u8], &Path),
}

/// What a campaign on one target did.
pub struct Campaign {
    pub inputs: u64,
    pub elapsed: Duration,
    pub slowest: Duration,
    pub failures: Vec<Failure>,
    /// Failures seen again with the same message (not saved again).
    pub repeats: u64,
}

pub struct Failure {
    pub iteration: u64,
    pub message: String,
    pub saved: PathBuf,
}

struct Config {
    seed: u64,
    iterations: Option<u64>,
    seconds: Option<f64>,
    only: Option<u64>,
    crashes: PathBuf,
    timeout: Duration,
}

impl Config {
    fn from_env() -> Config {
        let number = |name: &str| {
            std::env::var(name).ok().map(|v| {
                v.trim()
                    .parse::<f64>()
                    .unwrap_or_else(|_| panic!("{name}={v}: not a number"))
            })
        };
        Config {
            seed: number("ARCHLINT_FUZZ_SEED").map_or(20_251_204, |n| n as u64),
            iterations: number("ARCHLINT_FUZZ_ITERATIONS").map(|n| n as u64),
            seconds: number("ARCHLINT_FUZZ_SECONDS"),
            only: number("ARCHLINT_FUZZ_ITERATION").map(|n| n as u64),
            crashes: std::env::var_os("ARCHLINT_FUZZ_CRASHES")
                .map(PathBuf::from)
                .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-crashes")),
            timeout: Duration::from_secs_f64(number("ARCHLINT_FUZZ_TIMEOUT").unwrap_or(60.0)),
        }
    }
}

/// The stack of the thread a target runs on: the pipeline walks each file on a 64 MiB stack,
/// and the targets must not overflow where the pipeline would not.
const STACK_SIZE: usize = 64 * 1024 * 1024;

/// Runs `target` as configured, prints one `fuzz-stats` line (which `bench/fuzz` collects),
/// and fails with every distinct failure, each with its seed, iteration and saved input.
pub fn fuzz(target: &'static Target) {
    let config = Config::from_env();
    let seed = config.seed;
    let campaign = std::thread::Builder::new()
        .name(format!("fuzz-{}", target.name))
        .stack_size(STACK_SIZE)
        .spawn(move || drive(target, &config))
        .expect("a thread for the target")
        .join()
        .expect("the driver itself does not panic");
    eprintln!(
        "fuzz-stats target={} seed={} inputs={} seconds={:.1} slowest_ms={} failures={} repeats={}",
        target.name,
        seed,
        campaign.inputs,
        campaign.elapsed.as_secs_f64(),
        campaign.slowest.as_millis(),
        campaign.failures.len(),
        campaign.repeats,
    );
    if !campaign.failures.is_empty() {
        let list: Vec<String> = campaign
            .failures
            .iter()
            .map(|f| {
                format!(
                    "- iteration {} (ARCHLINT_FUZZ_SEED={seed} ARCHLINT_FUZZ_ITERATION={}), input saved at {}:\n  {}",
                    f.iteration,
                    f.iteration,
                    f.saved.display(),
                    f.message.replace('\n', "\n  ")
                )
            })
            .collect();
        panic!(
            "fuzz target `{}` failed on {} distinct input(s):\n{}",
            target.name,
            campaign.failures.len(),
            list.join("\n")
        );
    }
}

/// The seeds of `target` and its regression inputs.
pub fn corpus(target: &Target) -> Vec<Seed> {
    let mut seeds = (target.seeds)();
    seeds.extend(regressions(target));
    assert!(!seeds.is_empty(), "target `{}` has no seeds", target.name);
    seeds
}

/// The inputs that once failed on `target`, kept as fixtures: `tests/fixtures/fuzz/<name>/`.
pub fn regressions(target: &Target) -> Vec<Seed> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target.name);
    let mut found: Vec<Seed> = std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().is_file())
        .map(|entry| {
            Seed::new(
                entry.file_name().to_string_lossy(),
                std::fs::read(entry.path()).expect("a regression input is readable"),
            )
        })
        .filter(|seed| !seed.name.ends_with(".md"))
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

/// Runs `target` on `input` once, the way the driver does, and returns the failure message.
pub fn run_once(target: &Target, input: &[u8], scratch: &Path) -> Result<(), String> {
    install_panic_hook();
    catch_unwind(AssertUnwindSafe(|| (target.run)(input, scratch))).map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        match LAST_PANIC_AT.with(|at| at.take()) {
            Some(at) => format!("{message} (at {at})"),
            None => message,
        }
    })
}

/// Runs a closure on a thread with the targets' stack (for the tests outside the driver).
pub fn on_big_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn(work)
        .expect("a thread")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn drive(target: &Target, config: &Config) -> Campaign {
    let corpus: Vec<Vec<u8>> = corpus(target).into_iter().map(|s| s.bytes).collect();
    std::fs::create_dir_all(&config.crashes).expect("the crash folder can be made");
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let current = config.crashes.join(format!("{}.current", target.name));
    let watchdog = Watchdog::start(
        target.name,
        config.timeout,
        current.clone(),
        config.crashes.clone(),
    );

    let (first, count) = match config.only {
        Some(only) => (only, Some(1)),
        None => (
            0,
            config
                .iterations
                .or(config.seconds.is_none().then_some(target.iterations)),
        ),
    };
    let deadline = config
        .seconds
        .map(|s| Instant::now() + Duration::from_secs_f64(s));
    let started = Instant::now();
    let mut campaign = Campaign {
        inputs: 0,
        elapsed: Duration::ZERO,
        slowest: Duration::ZERO,
        failures: Vec::new(),
        repeats: 0,
    };
    let mut seen_messages: Vec<String> = Vec::new();
    let mut iteration = first;
    loop {
        if count.is_some_and(|n| iteration - first >= n)
            || deadline.is_some_and(|d| Instant::now() >= d)
            || campaign.failures.len() >= 20
        {
            break;
        }
        let input = input_for(target, config.seed, iteration, &corpus);
        std::fs::write(&current, &input).expect("the current input can be saved");
        watchdog.begin(iteration);
        let one = Instant::now();
        let outcome = run_once(target, &input, scratch.path());
        let took = one.elapsed();
        watchdog.end();
        campaign.slowest = campaign.slowest.max(took);
        campaign.inputs += 1;
        if let Err(message) = outcome {
            // The same bug is usually found many times: keep its first input only.
            let signature = signature(&message);
            if seen_messages.contains(&signature) {
                campaign.repeats += 1;
            } else {
                seen_messages.push(signature);
                let saved = config.crashes.join(format!(
                    "{}-seed{}-iteration{}",
                    target.name, config.seed, iteration
                ));
                std::fs::write(&saved, &input).expect("the failing input can be saved");
                campaign.failures.push(Failure {
                    iteration,
                    message,
                    saved,
                });
            }
        }
        iteration += 1;
    }
    watchdog.stop();
    let _ = std::fs::remove_file(&current);
    campaign.elapsed = started.elapsed();
    campaign
}

/// Input `iteration` of `target`: a corpus file picked and mutated by a generator seeded
/// from the seed, the target and the iteration only.
pub fn input_for(target: &Target, seed: u64, iteration: u64, corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut rng = Rng::with_seed(mix(seed
        ^ mix(fnv(target.name.as_bytes()))
        ^ mix(iteration)));
    let mut input = corpus[rng.usize(..corpus.len())].clone();
    input.truncate(target.max_len);
    mutate::mutate(&mut rng, &mut input, corpus, target.tokens, target.max_len);
    input
}

/// A failure's message without the parts that change from input to input (numbers, quoted
/// text), so that one bug found many times is saved once (roughly: a bug whose message
/// quotes the input differently may still be saved a few times).
fn signature(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or_default();
    let mut out = String::new();
    let mut quoted = false;
    for c in first_line.chars() {
        match c {
            '`' | '"' | '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            _ if quoted => {}
            '0'..='9' => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn mix(mut x: u64) -> u64 {
    // splitmix64's finaliser.
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

thread_local! {
    /// Where the last panic on this thread happened, for the failure message.
    static LAST_PANIC_AT: std::cell::Cell<Option<String>> = const { std::cell::Cell::new(None) };
}

/// Records each panic's location for [`run_once`], then prints it as usual.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(at) = info.location() {
                LAST_PANIC_AT.with(|cell| cell.set(Some(at.to_string())));
            }
            previous(info);
        }));
    });
}

/// Stops the whole run when one input takes longer than the timeout: a hang is a failure
/// like a panic, and its input is kept.
struct Watchdog {
    started: Arc<Mutex<Option<(Instant, u64)>>>,
    done: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
    fn start(
        name: &'static str,
        timeout: Duration,
        current: PathBuf,
        crashes: PathBuf,
    ) -> Watchdog {
        let started: Arc<Mutex<Option<(Instant, u64)>>> = Arc::default();
        let done = Arc::new(AtomicBool::new(false));
        let thread = {
            let started = Arc::clone(&started);
            let done = Arc::clone(&done);
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                    let running = *started.lock().unwrap();
                    if let Some((since, iteration)) = running
                        && since.elapsed() > timeout
                    {
                        let saved = crashes.join(format!("{name}-timeout-iteration{iteration}"));
                        let _ = std::fs::copy(&current, &saved);
                        eprintln!(
                            "fuzz target `{name}`: iteration {iteration} ran over {}s; input saved at {}",
                            timeout.as_secs_f64(),
                            saved.display()
                        );
                        std::process::exit(101);
                    }
                }
            })
        };
        Watchdog {
            started,
            done,
            thread: Some(thread),
        }
    }

    fn begin(&self, iteration: u64) {
        *self.started.lock().unwrap() = Some((Instant::now(), iteration));
    }

    fn end(&self) {
        *self.started.lock().unwrap() = None;
    }

    fn stop(mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
