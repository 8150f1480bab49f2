//! Profiles read without running Python: cProfile/pstats dumps (`marshal.rs`, `pstats.rs`),
//! folded stacks from py-spy and Austin (`collapsed.rs`) and speedscope JSON
//! (`speedscope.rs`), each turned into one [`Profile`]: per-function calls, own and
//! cumulative time, and the call tree a flame graph is drawn from (`flame.rs`).
//! `report.rs` orders the functions the way `pstats` does and renders the hotspots.
//!
//! Every file is hostile input: its format is told by its content, not its name; every
//! length and count is checked against the bytes that hold it; nothing panics; a file that
//! cannot be read gives one [`ProfileError`] naming the file and what was wrong. This crate
//! depends on no other layer: the binary joins its hotspots with the project's findings.

pub mod collapsed;
pub mod flame;
pub mod marshal;
pub mod pstats;
pub mod report;
pub mod speedscope;

use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::Serialize;

/// The largest profile read, in bytes: a pstats dump of a large program is tens of
/// megabytes.
pub const MAX_PROFILE_BYTES: u64 = 1 << 30;

/// The formats read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `cProfile`/`profile` dumps (`python -m cProfile -o`, `Stats.dump_stats`).
    Pstats,
    /// Folded stacks, one `frame;frame;frame count` a line (py-spy `-f raw`, Austin).
    Collapsed,
    /// speedscope's JSON file format (py-spy `-f speedscope`, and many other profilers).
    Speedscope,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Pstats => "cProfile dump",
            Format::Collapsed => "folded stacks",
            Format::Speedscope => "speedscope profile",
        }
    }
}

/// What the times of a profile count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Seconds,
    /// Samples (or the sampler's own weights, such as Austin's microseconds).
    Samples,
}

/// One function of a profile.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionStats {
    /// The file as the profiled machine named it (`~` for built-ins in pstats).
    pub file: String,
    /// The line the profiler gave: the first line of the function's code (its first
    /// decorator) for cProfile, the smallest line sampled for samplers.
    pub line: u32,
    pub name: String,
    /// How many times it was called, when the profiler counts calls.
    pub calls: Option<u64>,
    /// Calls that were not recursive (pstats' `cc`).
    pub primitive_calls: Option<u64>,
    /// Time in the function itself.
    pub total_time: f64,
    /// Time in the function and everything it called (recursion counted once).
    pub cumulative_time: f64,
}

impl FunctionStats {
    /// pstats' name for it: `file:line(function)`, or `{built-in method …}` for the
    /// functions of file `~` at line 0.
    pub fn std_name(&self) -> String {
        if self.file == "~" && self.line == 0 {
            match self
                .name
                .strip_prefix('<')
                .and_then(|n| n.strip_suffix('>'))
            {
                Some(inner) => format!("{{{inner}}}"),
                None => self.name.clone(),
            }
        } else {
            format!("{}:{}({})", self.file, self.line, self.name)
        }
    }

    /// Whether the function is built into the interpreter (no source to point at).
    pub fn is_builtin(&self) -> bool {
        self.file == "~"
    }
}

/// The call structure a flame graph is drawn from.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum CallTree {
    /// Whole stacks, root first, as indices into [`Profile::functions`], with their weight
    /// (in the profile's unit).
    Stacks(Vec<(Vec<usize>, f64)>),
    /// Caller → callee edges with the callee's cumulative time under that caller (pstats
    /// records no stacks).
    Edges(Vec<Edge>),
    #[default]
    None,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub caller: usize,
    pub callee: usize,
    pub calls: u64,
    pub cumulative_time: f64,
}

/// A profile, whatever format it came in.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub format: Format,
    pub unit: Unit,
    /// pstats: the sum of every function's own time (what `print_stats` shows); samplers:
    /// every sample's weight.
    pub total_time: f64,
    /// In the order the file gives them (pstats breaks ties in that order).
    pub functions: Vec<FunctionStats>,
    pub tree: CallTree,
}

impl Profile {
    /// Whether the profiler counted calls (pstats, speedscope's evented profiles).
    pub fn counts_calls(&self) -> bool {
        self.functions.iter().all(|f| f.calls.is_some())
    }
}

/// Why a file could not be read as a profile: one line, naming the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    pub message: String,
}

impl ProfileError {
    fn new(path: &Path, problem: impl fmt::Display) -> ProfileError {
        ProfileError {
            message: format!("{}: {problem}", path.display()),
        }
    }
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ProfileError {}

const EXPECTED: &str = "expected a cProfile dump (`python -m cProfile -o`), folded stacks (py-spy, Austin) or speedscope JSON";

/// Reads the profile at `path`, whatever its format.
pub fn read(path: &Path) -> Result<Profile, ProfileError> {
    let file = std::fs::File::open(path).map_err(|e| ProfileError::new(path, e))?;
    let too_large = || {
        ProfileError::new(
            path,
            format!(
                "larger than the {} MiB a profile may be",
                MAX_PROFILE_BYTES >> 20
            ),
        )
    };
    // A regular file's size is known before reading it; a pipe's is bounded as it is read.
    if file
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() > MAX_PROFILE_BYTES)
    {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(MAX_PROFILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ProfileError::new(path, e))?;
    if bytes.len() as u64 > MAX_PROFILE_BYTES {
        return Err(too_large());
    }
    parse(&bytes).map_err(|problem| ProfileError::new(path, problem))
}

/// Reads a profile from its bytes; the error is the problem, without the file's name.
pub fn parse(bytes: &[u8]) -> Result<Profile, String> {
    match detect(bytes) {
        Some(Format::Pstats) => pstats::parse(bytes),
        Some(Format::Speedscope) => speedscope::parse(bytes),
        Some(Format::Collapsed) => collapsed::parse(bytes),
        None if bytes.is_empty() => Err(format!("the file is empty; {EXPECTED}")),
        None => Err(format!("not a profile; {EXPECTED}")),
    }
}

/// The format of `bytes`, told by their content.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    // A marshalled dict: `{`, with the reference flag when the dict was shared (as
    // `dump_stats` writes it); unflagged, what follows tells it from a JSON object, whose
    // `{` is followed by white space, a quote or `}`.
    match bytes {
        [0xfb, ..] => return Some(Format::Pstats),
        [b'{', next, ..] if !matches!(next, b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'}') => {
            return Some(Format::Pstats);
        }
        _ => {}
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('{') {
        return Some(Format::Speedscope);
    }
    collapsed::looks_like(text).then_some(Format::Collapsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_format_by_the_content() {
        assert_eq!(detect(b"\xfb)\x03"), Some(Format::Pstats));
        assert_eq!(detect(b"{)\x03"), Some(Format::Pstats));
        assert_eq!(detect(b"{\xda\x01a"), Some(Format::Pstats));
        assert_eq!(detect(b"{\"shared\": {}}"), Some(Format::Speedscope));
        assert_eq!(detect(b"\xef\xbb\xbf\n  {\n}"), Some(Format::Speedscope));
        assert_eq!(detect(b"main;work 3\n"), Some(Format::Collapsed));
        assert_eq!(detect(b"def main():\n    pass\n"), None);
        assert_eq!(detect(b"\x00\xff"), None);
        assert_eq!(detect(b""), None);
        assert!(parse(b"").unwrap_err().starts_with("the file is empty"));
        assert!(parse(b"[\x00").unwrap_err().starts_with("not a profile"));
    }
}
