//! Flame graphs: a profile's call tree as folded stacks, drawn by `inferno` into one
//! self-contained SVG (its script and styles inline, nothing loaded from elsewhere).
//!
//! Samplers record whole stacks: each is drawn as recorded. A pstats dump records no stacks,
//! only each function's own time and, for each of its callers, the calls and cumulative time
//! spent in it from there; the stacks are estimated from these edges, as snakeviz and
//! flameprof do, but walked from the leaves up rather than from the roots down: each
//! function's own time (exact) is shared among its callers in proportion to the cumulative
//! time each spent in it, each caller's share among that caller's callers the same way, and
//! so up; the part no recorded caller accounts for (the function running when profiling
//! started) begins the stack there. A caller already on the stack (recursion) also begins
//! it there, and so does the depth limit [`MAX_DEPTH`]; a share under [`MIN_SHARE`] of the
//! whole stays with the frame reached. Every function's own time is then drawn exactly,
//! and the total is the profile's; what is estimated is which path led to it: a function
//! called from two places is drawn under both with the same split of its callees. Walking
//! down from the roots instead loses time at every recursive function (cProfile records
//! the cumulative time of a recursion's outer calls only, and `python -m cProfile` runs
//! the program inside a recursive `exec`), which is why this walks up.

use std::collections::HashMap;

use crate::{CallTree, Profile, Unit};

/// How deep the estimated stacks of a pstats dump go.
pub const MAX_DEPTH: usize = 64;
/// The smallest share of the whole a frame of the estimated stacks is drawn for.
pub const MIN_SHARE: f64 = 1e-4;

/// A frame's label: `function (file:line)` as py-spy writes it, or pstats' name of a
/// built-in; `;` and line breaks, which the folded format cannot hold, are replaced, and so
/// are the control characters an SVG cannot hold.
fn label(profile: &Profile, index: usize) -> String {
    let function = &profile.functions[index];
    let text = if function.is_builtin() {
        function.std_name()
    } else if function.file.is_empty() {
        function.name.clone()
    } else if function.line == 0 {
        format!("{} ({})", function.name, function.file)
    } else {
        format!("{} ({}:{})", function.name, function.file, function.line)
    };
    text.chars()
        .map(|c| match c {
            ';' | '\n' | '\r' => ':',
            // Characters XML 1.0 cannot hold, which would make the SVG unreadable.
            c if (c < ' ' && c != '\t') || c == '\u{fffe}' || c == '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// The largest total of the counts of one flame graph: 2^53, so that their sum fits the
/// `u64` inferno adds them in and each stays exact as the `f64` it draws widths with. A
/// profile whose weights add up to more (a hostile or corrupt file) is scaled down whole.
pub const MAX_TOTAL_COUNT: f64 = 9_007_199_254_740_992.0;

/// The weight of a stack in the unit of the folded format's counts: microseconds for times,
/// the profile's own unit otherwise; zero for what is not a positive finite number.
fn scaled(profile: &Profile, weight: f64) -> f64 {
    let scaled = match profile.unit {
        Unit::Seconds => weight * 1e6,
        Unit::Samples => weight,
    };
    if scaled.is_finite() && scaled > 0.0 {
        scaled
    } else {
        0.0
    }
}

/// The profile's stacks folded, one `frame;frame count` a line, sorted; the counts add up to
/// at most [`MAX_TOTAL_COUNT`].
pub fn folded(profile: &Profile) -> Vec<String> {
    let mut weights: HashMap<Vec<usize>, f64> = HashMap::new();
    match &profile.tree {
        CallTree::Stacks(stacks) => {
            for (path, weight) in stacks {
                *weights.entry(path.clone()).or_default() += weight;
            }
        }
        CallTree::Edges(_) => estimate(profile, &mut weights),
        CallTree::None => {}
    }
    let labels: Vec<String> = (0..profile.functions.len())
        .map(|index| label(profile, index))
        .collect();
    let scaled: Vec<(Vec<usize>, f64)> = weights
        .into_iter()
        .map(|(path, weight)| (path, scaled(profile, weight)))
        .collect();
    let total: f64 = scaled.iter().map(|(_, weight)| weight).sum();
    let factor = if total > MAX_TOTAL_COUNT {
        MAX_TOTAL_COUNT / total
    } else {
        1.0
    };
    let mut lines: Vec<String> = scaled
        .into_iter()
        .filter_map(|(path, weight)| {
            // Rounded down when scaled, so that the rounding cannot take the sum over.
            let count = if factor < 1.0 {
                (weight * factor).floor()
            } else {
                weight.round()
            } as u64;
            (count > 0 && !path.is_empty()).then(|| {
                let names: Vec<&str> = path.iter().map(|&i| labels[i].as_str()).collect();
                format!("{} {count}", names.join(";"))
            })
        })
        .collect();
    lines.sort_unstable();
    lines
}

/// Estimates the stacks of a pstats dump from its caller → callee edges (see the module
/// documentation).
fn estimate(profile: &Profile, weights: &mut HashMap<Vec<usize>, f64>) {
    let CallTree::Edges(edges) = &profile.tree else {
        return;
    };
    let functions = &profile.functions;
    let mut callers: Vec<Vec<(usize, f64)>> = vec![Vec::new(); functions.len()];
    for edge in edges {
        if edge.caller == edge.callee {
            continue;
        }
        let callee = &functions[edge.callee];
        // The `profile` module records counts only: split the callee's time by calls.
        let time = if edge.cumulative_time.is_nan() {
            match callee.calls {
                Some(calls) if calls > 0 => {
                    callee.cumulative_time * edge.calls as f64 / calls as f64
                }
                _ => 0.0,
            }
        } else {
            edge.cumulative_time
        };
        callers[edge.callee].push((edge.caller, time.max(0.0)));
    }
    let whole: f64 = functions.iter().map(|f| f.total_time.max(0.0)).sum();
    let smallest = whole * MIN_SHARE;
    // Stacks grow from the leaf up: (the path leaf first, its weight).
    let mut work: Vec<(Vec<usize>, f64)> = functions
        .iter()
        .enumerate()
        .filter(|(_, f)| f.total_time > 0.0)
        .map(|(index, f)| (vec![index], f.total_time))
        .collect();
    while let Some((path, weight)) = work.pop() {
        let Some(&top) = path.last() else {
            continue;
        };
        let mut parents: Vec<(usize, f64)> = Vec::new();
        let mut stays = weight;
        let cumulative = functions[top].cumulative_time;
        if path.len() < MAX_DEPTH && cumulative > 0.0 {
            let shares: f64 = callers[top].iter().map(|(_, t)| t / cumulative).sum();
            let norm = shares.max(1.0);
            for &(caller, time) in &callers[top] {
                let part = weight * time / cumulative / norm;
                // A caller already on the stack is recursion: the stack starts here.
                if part >= smallest && part > 0.0 && !path.contains(&caller) {
                    parents.push((caller, part));
                    stays -= part;
                }
            }
        }
        // What no recorded caller accounts for starts the stack here.
        if stays > 0.0 {
            let mut stack = path.clone();
            stack.reverse();
            *weights.entry(stack).or_default() += stays;
        }
        for (caller, part) in parents {
            let mut next = path.clone();
            next.push(caller);
            work.push((next, part));
        }
    }
}

/// The profile drawn as a flame graph: a self-contained SVG.
pub fn svg(profile: &Profile, title: &str) -> Result<String, String> {
    let lines = folded(profile);
    if lines.is_empty() {
        return Err("the profile has no time to draw".to_string());
    }
    let mut options = inferno::flamegraph::Options::default();
    options.title = title.to_string();
    options.count_name = match profile.unit {
        Unit::Seconds => "μs".to_string(),
        Unit::Samples => "samples".to_string(),
    };
    options.hash = true;
    if matches!(profile.tree, CallTree::Edges(_)) {
        options.subtitle = Some(
            "stacks estimated from caller/callee times: cProfile records no stacks".to_string(),
        );
    }
    let mut out = Vec::new();
    inferno::flamegraph::from_lines(&mut options, lines.iter().map(String::as_str), &mut out)
        .map_err(|e| format!("cannot draw the flame graph: {e}"))?;
    String::from_utf8(out).map_err(|e| format!("cannot draw the flame graph: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Edge, Format, FunctionStats};

    fn function(name: &str, tt: f64, ct: f64) -> FunctionStats {
        FunctionStats {
            file: "app.py".into(),
            line: 1,
            name: name.into(),
            calls: Some(1),
            primitive_calls: Some(1),
            total_time: tt,
            cumulative_time: ct,
        }
    }

    #[test]
    fn estimates_stacks_from_pstats_edges() {
        // main (10: 1 own) calls a (6: 4 own) and b (3); a calls b (2); b (5 own) recurses.
        let profile = Profile {
            format: Format::Pstats,
            unit: Unit::Seconds,
            total_time: 10.0,
            functions: vec![
                function("main", 1.0, 10.0),
                function("a", 4.0, 6.0),
                function("b", 5.0, 5.0),
            ],
            tree: CallTree::Edges(vec![
                Edge {
                    caller: 0,
                    callee: 1,
                    calls: 1,
                    cumulative_time: 6.0,
                },
                Edge {
                    caller: 0,
                    callee: 2,
                    calls: 1,
                    cumulative_time: 3.0,
                },
                Edge {
                    caller: 1,
                    callee: 2,
                    calls: 1,
                    cumulative_time: 2.0,
                },
                Edge {
                    caller: 2,
                    callee: 2,
                    calls: 4,
                    cumulative_time: 1.0,
                },
            ]),
        };
        assert_eq!(
            folded(&profile),
            [
                "main (app.py:1) 1000000",
                "main (app.py:1);a (app.py:1) 4000000",
                "main (app.py:1);a (app.py:1);b (app.py:1) 2000000",
                "main (app.py:1);b (app.py:1) 3000000",
            ]
        );
        let svg = svg(&profile, "t").unwrap();
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains("main (app.py:1)"));
    }

    #[test]
    fn a_cycle_of_calls_ends() {
        let profile = Profile {
            format: Format::Pstats,
            unit: Unit::Seconds,
            total_time: 2.0,
            functions: vec![function("a", 1.0, 2.0), function("b", 1.0, 2.0)],
            tree: CallTree::Edges(vec![
                Edge {
                    caller: 0,
                    callee: 1,
                    calls: 1,
                    cumulative_time: 2.0,
                },
                Edge {
                    caller: 1,
                    callee: 0,
                    calls: 1,
                    cumulative_time: 2.0,
                },
            ]),
        };
        let lines = folded(&profile);
        assert!(!lines.is_empty() && lines.len() <= 2, "{lines:?}");
    }

    /// Found by the fuzz tests: sample weights near `u64::MAX` (a hostile file) made the
    /// flame graph's total overflow inside inferno; they are scaled down, proportions kept.
    #[test]
    fn huge_weights_are_scaled_down_to_a_total_that_fits() {
        let profile = Profile {
            format: Format::Collapsed,
            unit: Unit::Samples,
            total_time: 3.0 * 1.8e19,
            functions: vec![function("a", 0.0, 0.0), function("b", 0.0, 0.0)],
            tree: CallTree::Stacks(vec![
                (vec![0], 1.8e19),
                (vec![0, 1], 1.8e19),
                (vec![1], 3.6e19),
            ]),
        };
        let lines = folded(&profile);
        let counts: Vec<u64> = lines
            .iter()
            .map(|line| line.rsplit(' ').next().unwrap().parse().unwrap())
            .collect();
        let total: u128 = counts.iter().map(|&c| u128::from(c)).sum();
        assert!(total <= MAX_TOTAL_COUNT as u128, "{lines:?}");
        let proportion = i128::from(counts[2]) - 2 * i128::from(counts[0]);
        assert!(proportion.abs() <= 1, "{lines:?}");
        let svg = svg(&profile, "huge").unwrap();
        assert!(svg.contains("a (app.py:1)"));
    }
}
