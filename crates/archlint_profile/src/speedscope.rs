//! speedscope's file format (`https://www.speedscope.app/file-format-schema.json`): frames
//! shared by every profile (`name`, and optionally `file`, `line`, `col`), and profiles that
//! are either `sampled` (stacks of frame indices, root first, each with a weight) or
//! `evented` (frames opened and closed at given times). Every profile of the file (py-spy
//! writes one per thread) is read into one.
//!
//! Sampled profiles count no calls; evented ones do: a call is an open event, and a
//! primitive call an open of a frame not already open (pstats' definition). Times in
//! `nanoseconds`, `microseconds`, `milliseconds` or `seconds` are read as seconds; `none`
//! (py-spy: one per sample) and `bytes` stay as they are.

use std::collections::HashMap;

use serde::Deserialize;

use crate::{CallTree, Format, FunctionStats, Profile, Unit};

#[derive(Deserialize)]
struct File {
    shared: Shared,
    profiles: Vec<SpeedscopeProfile>,
}

#[derive(Deserialize)]
struct Shared {
    frames: Vec<Frame>,
}

#[derive(Deserialize)]
struct Frame {
    name: String,
    file: Option<String>,
    line: Option<f64>,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum SpeedscopeProfile {
    Sampled {
        unit: String,
        samples: Vec<Vec<usize>>,
        weights: Vec<f64>,
    },
    Evented {
        unit: String,
        #[serde(rename = "endValue")]
        end_value: f64,
        events: Vec<Event>,
    },
}

#[derive(Deserialize)]
struct Event {
    #[serde(rename = "type")]
    kind: String,
    at: f64,
    frame: usize,
}

/// Seconds per unit, or `None` for the units that are not time.
fn seconds_per(unit: &str) -> Result<Option<f64>, String> {
    Ok(match unit {
        "nanoseconds" => Some(1e-9),
        "microseconds" => Some(1e-6),
        "milliseconds" => Some(1e-3),
        "seconds" => Some(1.0),
        "none" | "bytes" => None,
        other => return Err(format!("a profile in the unknown unit `{other}`")),
    })
}

/// What is gathered across the profiles of a file.
struct Builder {
    functions: Vec<FunctionStats>,
    index_of: HashMap<usize, usize>,
    stacks: Vec<(Vec<usize>, f64)>,
    total: f64,
}

impl Builder {
    /// The function of frame `frame`, added on first use.
    fn function(&mut self, frames: &[Frame], frame: usize) -> Result<usize, String> {
        if let Some(&index) = self.index_of.get(&frame) {
            return Ok(index);
        }
        let Some(shared) = frames.get(frame) else {
            return Err(format!(
                "frame {frame} is used but only {} are defined",
                frames.len()
            ));
        };
        let line = shared
            .line
            .filter(|l| l.is_finite() && *l >= 0.0 && *l <= f64::from(u32::MAX))
            .map_or(0, |l| l as u32);
        self.functions.push(FunctionStats {
            file: shared.file.clone().unwrap_or_default(),
            line,
            name: shared.name.clone(),
            calls: None,
            primitive_calls: None,
            total_time: 0.0,
            cumulative_time: 0.0,
        });
        self.index_of.insert(frame, self.functions.len() - 1);
        Ok(self.functions.len() - 1)
    }
}

/// Reads a speedscope file.
pub fn parse(bytes: &[u8]) -> Result<Profile, String> {
    let file: File = serde_json::from_slice(bytes).map_err(|e| {
        format!("not a speedscope profile ({e}); expected speedscope's JSON file format")
    })?;
    let mut builder = Builder {
        functions: Vec::new(),
        index_of: HashMap::new(),
        stacks: Vec::new(),
        total: 0.0,
    };
    let mut unit: Option<Option<f64>> = None;
    let mut evented = false;
    for (number, profile) in file.profiles.iter().enumerate() {
        let in_profile = |problem: String| format!("profile {}: {problem}", number + 1);
        let this_unit = match profile {
            SpeedscopeProfile::Sampled { unit, .. } | SpeedscopeProfile::Evented { unit, .. } => {
                seconds_per(unit).map_err(in_profile)?
            }
        };
        if unit.is_some_and(|u| u.is_some() != this_unit.is_some()) {
            return Err(in_profile(
                "its unit is not of the same kind as the first profile's".to_string(),
            ));
        }
        unit = Some(this_unit);
        let scale = this_unit.unwrap_or(1.0);
        match profile {
            SpeedscopeProfile::Sampled {
                samples, weights, ..
            } => {
                if samples.len() != weights.len() {
                    return Err(in_profile(format!(
                        "{} samples but {} weights",
                        samples.len(),
                        weights.len()
                    )));
                }
                sampled(&mut builder, &file.shared.frames, samples, weights, scale)
                    .map_err(in_profile)?;
            }
            SpeedscopeProfile::Evented {
                end_value, events, ..
            } => {
                evented = true;
                events_into(&mut builder, &file.shared.frames, events, *end_value, scale)
                    .map_err(in_profile)?;
            }
        }
    }
    if builder.functions.is_empty() {
        return Err("a speedscope profile that holds no sample".to_string());
    }
    if evented {
        for function in &mut builder.functions {
            function.calls.get_or_insert(0);
            function.primitive_calls.get_or_insert(0);
        }
    }
    Ok(Profile {
        format: Format::Speedscope,
        unit: if unit.flatten().is_some() {
            Unit::Seconds
        } else {
            Unit::Samples
        },
        total_time: builder.total,
        functions: builder.functions,
        tree: CallTree::Stacks(builder.stacks),
    })
}

fn weight(value: f64) -> Result<f64, String> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(format!("the weight {value} is not a non-negative number"))
    }
}

fn sampled(
    builder: &mut Builder,
    frames: &[Frame],
    samples: &[Vec<usize>],
    weights: &[f64],
    scale: f64,
) -> Result<(), String> {
    let mut seen: HashMap<usize, usize> = HashMap::new();
    for (sample, (stack, raw)) in samples.iter().zip(weights).enumerate() {
        let value = weight(*raw)? * scale;
        builder.total += value;
        let mut path = Vec::with_capacity(stack.len());
        for &frame in stack {
            path.push(builder.function(frames, frame)?);
        }
        let Some(&leaf) = path.last() else {
            continue;
        };
        builder.functions[leaf].total_time += value;
        for &index in &path {
            if seen.insert(index, sample) != Some(sample) {
                builder.functions[index].cumulative_time += value;
            }
        }
        builder.stacks.push((path, value));
    }
    Ok(())
}

fn events_into(
    builder: &mut Builder,
    frames: &[Frame],
    events: &[Event],
    end_value: f64,
    scale: f64,
) -> Result<(), String> {
    // The open frames (function index, and whether this open is its outermost).
    let mut stack: Vec<usize> = Vec::new();
    let mut open: HashMap<usize, (usize, f64)> = HashMap::new();
    let mut last = events.first().map_or(0.0, |e| e.at);
    let advance =
        |builder: &mut Builder, stack: &[usize], at: f64, last: &mut f64| -> Result<(), String> {
            if !at.is_finite() || at < *last {
                return Err(format!("an event at {at} comes after one at {last}"));
            }
            let elapsed = (at - *last) * scale;
            if let Some(&top) = stack.last() {
                builder.functions[top].total_time += elapsed;
                builder.total += elapsed;
                if elapsed > 0.0 {
                    builder.stacks.push((stack.to_vec(), elapsed));
                }
            }
            *last = at;
            Ok(())
        };
    for (number, event) in events.iter().enumerate() {
        advance(builder, &stack, event.at, &mut last)?;
        let function = builder.function(frames, event.frame)?;
        match event.kind.as_str() {
            "O" => {
                let entry = open.entry(function).or_insert((0, event.at));
                let stats = &mut builder.functions[function];
                *stats.calls.get_or_insert(0) += 1;
                let primitive = stats.primitive_calls.get_or_insert(0);
                if entry.0 == 0 {
                    *primitive += 1;
                    entry.1 = event.at;
                }
                entry.0 += 1;
                stack.push(function);
            }
            "C" => {
                if stack.last() != Some(&function) {
                    return Err(format!(
                        "event {} closes frame {} but it is not the innermost open one",
                        number + 1,
                        event.frame
                    ));
                }
                stack.pop();
                close(builder, &mut open, function, event.at, scale);
            }
            other => {
                return Err(format!(
                    "event {} has the unknown type `{other}`",
                    number + 1
                ));
            }
        }
    }
    // Frames left open close at the end of the profile.
    let end = if end_value.is_finite() && end_value > last {
        end_value
    } else {
        last
    };
    advance(builder, &stack, end, &mut last)?;
    while let Some(function) = stack.pop() {
        close(builder, &mut open, function, end, scale);
    }
    Ok(())
}

fn close(
    builder: &mut Builder,
    open: &mut HashMap<usize, (usize, f64)>,
    function: usize,
    at: f64,
    scale: f64,
) {
    if let Some(entry) = open.get_mut(&function) {
        entry.0 = entry.0.saturating_sub(1);
        if entry.0 == 0 {
            builder.functions[function].cumulative_time += (at - entry.1) * scale;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_sampled_profile_of_several_threads() {
        let json = br#"{"$schema": "https://www.speedscope.app/file-format-schema.json",
            "shared": {"frames": [{"name": "main", "file": "app.py", "line": 3},
                                  {"name": "work", "file": "app.py", "line": 9}]},
            "profiles": [
              {"type": "sampled", "name": "t1", "unit": "none", "startValue": 0, "endValue": 3,
               "samples": [[0, 1], [0, 1], [0]], "weights": [1, 1, 1]},
              {"type": "sampled", "name": "t2", "unit": "none", "startValue": 0, "endValue": 1,
               "samples": [[0, 1, 1]], "weights": [2]}]}"#;
        let profile = parse(json).unwrap();
        assert_eq!(profile.unit, Unit::Samples);
        assert_eq!(profile.total_time, 5.0);
        assert_eq!(profile.functions[0].cumulative_time, 5.0);
        assert_eq!(profile.functions[0].total_time, 1.0);
        assert_eq!(profile.functions[1].cumulative_time, 4.0);
        assert_eq!(profile.functions[1].line, 9);
        assert!(profile.functions[1].calls.is_none());
    }

    #[test]
    fn reads_an_evented_profile_with_calls_and_recursion() {
        let json = br#"{"shared": {"frames": [{"name": "main"}, {"name": "fib"}]},
            "profiles": [{"type": "evented", "name": "x", "unit": "milliseconds",
              "startValue": 0, "endValue": 10, "events": [
                {"type": "O", "frame": 0, "at": 0},
                {"type": "O", "frame": 1, "at": 1},
                {"type": "O", "frame": 1, "at": 2},
                {"type": "C", "frame": 1, "at": 5},
                {"type": "C", "frame": 1, "at": 6},
                {"type": "C", "frame": 0, "at": 10}]}]}"#;
        let profile = parse(json).unwrap();
        assert_eq!(profile.unit, Unit::Seconds);
        let fib = &profile.functions[1];
        assert_eq!((fib.calls, fib.primitive_calls), (Some(2), Some(1)));
        assert!((fib.cumulative_time - 0.005).abs() < 1e-12);
        assert!((fib.total_time - 0.005).abs() < 1e-12);
        assert!((profile.functions[0].cumulative_time - 0.010).abs() < 1e-12);
        assert!((profile.total_time - 0.010).abs() < 1e-12);
    }

    #[test]
    fn refuses_inconsistent_files() {
        for (json, expected) in [
            (&br#"{"shared": {"frames": []}, "profiles": [{"type": "sampled", "unit": "none", "samples": [[0]], "weights": [1]}]}"#[..], "frame 0 is used"),
            (br#"{"shared": {"frames": [{"name": "a"}]}, "profiles": [{"type": "sampled", "unit": "none", "samples": [[0]], "weights": []}]}"#, "1 samples but 0 weights"),
            (br#"{"shared": {"frames": [{"name": "a"}, {"name": "b"}]}, "profiles": [{"type": "evented", "unit": "seconds", "endValue": 1, "events": [{"type": "O", "frame": 0, "at": 0}, {"type": "C", "frame": 1, "at": 1}]}]}"#, "not the innermost"),
            (br#"{"shared": {"frames": [{"name": "a"}]}, "profiles": [{"type": "evented", "unit": "seconds", "endValue": 1, "events": [{"type": "O", "frame": 0, "at": 2}, {"type": "C", "frame": 0, "at": 1}]}]}"#, "comes after"),
            (br#"{"shared": {"frames": []}, "profiles": []}"#, "holds no sample"),
            (br#"{"a": 1}"#, "not a speedscope profile"),
        ] {
            let error = parse(json).unwrap_err();
            assert!(error.contains(expected), "{error}");
        }
    }
}
