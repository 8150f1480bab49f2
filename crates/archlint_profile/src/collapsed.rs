//! Folded stacks: one sample (or several alike) a line, `frame;frame;frame weight`, root
//! first, as Brendan Gregg's `stackcollapse` scripts, py-spy (`record -f raw`) and Austin
//! write them.
//!
//! Frames are read in the forms these tools give:
//! - py-spy: `function (file.py:12)`, or `function (file.py)` without line numbers; its
//!   `process 42:"cmd"` and `thread (0x7f…)` frames (from `--subprocesses` and `--threads`)
//!   say where the sample was taken and are left out of the functions;
//! - Austin 3: `P42;T7f…;file.py:function:12 …` (the process and thread frames first, left
//!   out), and its alternative format `file.py:function;L12` where the line is a frame of
//!   its own; lines starting with `#` are its metadata; in full mode the weight is
//!   `time,idle,memory` and the time is taken;
//! - anything else: the frame is the function's name.
//!
//! Samplers give the line executing in each frame, not the function's first line, so a
//! function is one `(file, name)` and its line is the smallest seen. Its own weight is the
//! samples where it is the leaf; its cumulative weight the samples whose stack holds it,
//! once however deep it recurses. The weights stay in the tool's unit (samples for py-spy,
//! microseconds for Austin).

use std::collections::HashMap;

use crate::{CallTree, Format, FunctionStats, Profile, Unit};

/// Whether `text` reads as folded stacks: its first line that is not a comment ends in a
/// weight.
pub fn looks_like(text: &str) -> bool {
    text.lines()
        .map(str::trim_end)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .is_some_and(|line| split_line(line).is_ok())
}

/// One frame as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub name: String,
    pub file: String,
    pub line: u32,
}

/// Reads the frames of one stack, root first, without the process and thread frames.
pub fn frames(stack: &str) -> Vec<Frame> {
    let mut frames: Vec<Frame> = Vec::new();
    let mut austin = false;
    for (position, text) in stack.split(';').enumerate() {
        if is_marker(text, position, austin) {
            austin = position == 0;
            continue;
        }
        if text.is_empty() {
            continue;
        }
        // Austin's alternative format: `L12` is the line of the frame before it.
        if let Some(line) = text.strip_prefix('L').and_then(|n| n.parse::<u32>().ok())
            && let Some(previous) = frames.last_mut()
        {
            if previous.line == 0 {
                if let Some((file, name)) = previous.name.rsplit_once(':')
                    && previous.file.is_empty()
                    && !file.is_empty()
                {
                    previous.file = file.to_string();
                    previous.name = name.to_string();
                }
                previous.line = line;
            }
            continue;
        }
        frames.push(frame(text));
    }
    frames
}

/// py-spy's `process …` and `thread (…)` frames; Austin's `P42` first and its thread frame
/// (`T7f…`, `T0:7`) right after it.
fn is_marker(text: &str, position: usize, austin: bool) -> bool {
    let digits =
        |rest: &str, allowed: fn(u8) -> bool| !rest.is_empty() && rest.bytes().all(allowed);
    (position == 0
        && text
            .strip_prefix('P')
            .is_some_and(|r| digits(r, |b| b.is_ascii_digit())))
        || (position == 1
            && austin
            && text
                .strip_prefix('T')
                .is_some_and(|r| digits(r, |b| b.is_ascii_hexdigit() || b == b':')))
        || (text.starts_with("process ") && text.contains(':'))
        || (text.starts_with("thread (") && text.ends_with(')'))
}

fn frame(text: &str) -> Frame {
    // py-spy: `name (file:line)` or `name (file)`.
    if let Some(inner) = text.strip_suffix(')')
        && let Some((name, location)) = inner.rsplit_once(" (")
        && !name.is_empty()
    {
        let (file, line) = match location.rsplit_once(':') {
            Some((file, line)) if line.parse::<u32>().is_ok() => {
                (file, line.parse::<u32>().unwrap_or(0))
            }
            _ => (location, 0),
        };
        return Frame {
            name: name.to_string(),
            file: file.to_string(),
            line,
        };
    }
    // Austin: `file:function:line` (the file may hold `:` itself, as `C:\…` does).
    let mut parts = text.rsplitn(3, ':');
    if let (Some(line), Some(name), Some(file)) = (parts.next(), parts.next(), parts.next())
        && let Ok(line) = line.parse::<u32>()
        && !name.is_empty()
        && !file.is_empty()
    {
        return Frame {
            name: name.to_string(),
            file: file.to_string(),
            line,
        };
    }
    Frame {
        name: text.to_string(),
        file: String::new(),
        line: 0,
    }
}

/// A line's stack and weight.
fn split_line(line: &str) -> Result<(&str, f64), String> {
    let Some((stack, weight)) = line.rsplit_once(' ') else {
        return Err("no weight after the stack".to_string());
    };
    let stack = stack.trim_end();
    if stack.is_empty() {
        return Err("an empty stack".to_string());
    }
    // Austin's full mode: `time,idle,memory`.
    let first = weight.split(',').next().unwrap_or(weight);
    let value: f64 = first
        .parse()
        .map_err(|_| format!("`{weight}` is not a weight"))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!("`{weight}` is not a weight"));
    }
    Ok((stack, value))
}

/// Reads folded stacks.
pub fn parse(bytes: &[u8]) -> Result<Profile, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "folded stacks that are not UTF-8 (at byte {})",
            e.valid_up_to()
        )
    })?;
    let mut index_of: HashMap<(String, String), usize> = HashMap::new();
    let mut functions: Vec<FunctionStats> = Vec::new();
    let mut stacks: Vec<(Vec<usize>, f64)> = Vec::new();
    let mut total = 0.0;
    let mut seen: Vec<u64> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (stack, weight) =
            split_line(line).map_err(|problem| format!("line {}: {problem}", number + 1))?;
        let mut path = Vec::new();
        for frame in frames(stack) {
            let key = (frame.file.clone(), frame.name.clone());
            let index = *index_of.entry(key).or_insert_with(|| {
                functions.push(FunctionStats {
                    file: frame.file.clone(),
                    line: frame.line,
                    name: frame.name.clone(),
                    calls: None,
                    primitive_calls: None,
                    total_time: 0.0,
                    cumulative_time: 0.0,
                });
                seen.push(u64::MAX);
                functions.len() - 1
            });
            let function = &mut functions[index];
            if frame.line != 0 && (function.line == 0 || frame.line < function.line) {
                function.line = frame.line;
            }
            path.push(index);
        }
        total += weight;
        let Some(&leaf) = path.last() else {
            continue;
        };
        functions[leaf].total_time += weight;
        let sample = stacks.len() as u64;
        for &index in &path {
            if seen[index] != sample {
                seen[index] = sample;
                functions[index].cumulative_time += weight;
            }
        }
        stacks.push((path, weight));
    }
    if functions.is_empty() {
        return Err("folded stacks that hold no sample".to_string());
    }
    Ok(Profile {
        format: Format::Collapsed,
        unit: Unit::Samples,
        total_time: total,
        functions,
        tree: CallTree::Stacks(stacks),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(name: &str, file: &str, line: u32) -> Frame {
        Frame {
            name: name.into(),
            file: file.into(),
            line,
        }
    }

    #[test]
    fn reads_py_spy_frames() {
        assert_eq!(
            frames(
                "process 12:\"python app.py\";thread (0x7F1A);<module> (app.py:3);run (pkg/core.py:12);helper (pkg/util.py)"
            ),
            [
                frame("<module>", "app.py", 3),
                frame("run", "pkg/core.py", 12),
                frame("helper", "pkg/util.py", 0),
            ]
        );
    }

    #[test]
    fn reads_austin_frames() {
        assert_eq!(
            frames("P4317;T7ffb7f8c0700;/srv/app.py:<module>:1;/srv/app.py:main:10"),
            [
                frame("<module>", "/srv/app.py", 1),
                frame("main", "/srv/app.py", 10)
            ]
        );
        assert_eq!(
            frames("P1;T0:7;C:\\app\\main.py:run:4"),
            [frame("run", "C:\\app\\main.py", 4)]
        );
        assert_eq!(
            frames("P1;T2;/srv/app.py:main;L10;/srv/lib.py:work;L3"),
            [
                frame("main", "/srv/app.py", 10),
                frame("work", "/srv/lib.py", 3)
            ]
        );
        assert_eq!(frames("a;b"), [frame("a", "", 0), frame("b", "", 0)]);
    }

    #[test]
    fn counts_self_and_cumulative_weights_with_recursion_once() {
        let profile =
            parse(b"# austin: 3.6.0\nmain;fib;fib;fib 3\nmain;fib 2\nmain;other 5\nmain 1,0,120\n")
                .unwrap();
        let by_name = |name: &str| {
            profile
                .functions
                .iter()
                .find(|f| f.name == name)
                .unwrap()
                .clone()
        };
        assert_eq!(profile.total_time, 11.0);
        assert_eq!(by_name("main").cumulative_time, 11.0);
        assert_eq!(by_name("main").total_time, 1.0);
        assert_eq!(by_name("fib").cumulative_time, 5.0);
        assert_eq!(by_name("fib").total_time, 5.0);
        assert_eq!(by_name("other").total_time, 5.0);
        assert!(by_name("fib").calls.is_none());
    }

    #[test]
    fn names_the_line_that_is_wrong() {
        assert_eq!(
            parse(b"a;b 1\na;c many\n").unwrap_err(),
            "line 2: `many` is not a weight"
        );
        assert!(parse(b"a;b -1\n").is_err());
        assert!(!looks_like("hello world\n"));
        assert!(looks_like("# comment\na;b 12\n"));
    }
}
