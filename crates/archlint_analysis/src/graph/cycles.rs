//! Import cycles: the strongly connected components of the project's import graph (Tarjan's
//! algorithm, iterative so that a deep graph cannot overflow the stack), each explained by
//! its shortest cycle (a breadth-first search from every member, ties broken by name).

use std::collections::VecDeque;

use super::{Edge, ImportGraph};
use archlint_facts::ImportKind;

/// Which imports count as edges of a cycle.
#[derive(Clone, Copy, Debug)]
pub struct CycleEdges {
    pub lazy: bool,
    pub dynamic: bool,
}

impl CycleEdges {
    pub fn admits(self, kind: ImportKind) -> bool {
        match kind {
            ImportKind::Normal | ImportKind::Conditional => true,
            ImportKind::TypeChecking => false,
            ImportKind::Lazy => self.lazy,
            ImportKind::Dynamic => self.dynamic,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Cycle {
    /// The modules of the component, sorted by name.
    pub members: Vec<usize>,
    /// The shortest cycle: each import in turn, the last one leading back to the first
    /// importer.
    pub shortest: Vec<Edge>,
}

/// The components of two or more modules, sorted by their first member's name.
pub fn find(graph: &ImportGraph, edges: CycleEdges) -> Vec<Cycle> {
    let successors = |node: usize| {
        graph
            .imports_of(node)
            .iter()
            .filter(move |e| graph.is_project(e.to) && edges.admits(e.kind))
    };
    let mut cycles: Vec<Cycle> = components(graph.project_count, |n| {
        successors(n).map(|e| e.to).collect()
    })
    .into_iter()
    .filter(|members| members.len() > 1)
    .map(|mut members| {
        members.sort_by(|&a, &b| graph.nodes[a].name.cmp(&graph.nodes[b].name));
        let shortest = shortest_cycle(&members, &successors);
        Cycle { members, shortest }
    })
    .collect();
    cycles.sort_by(|a, b| {
        graph.nodes[a.members[0]]
            .name
            .cmp(&graph.nodes[b.members[0]].name)
    });
    cycles
}

/// Tarjan's strongly connected components over nodes `0..count`.
pub fn components(count: usize, successors: impl Fn(usize) -> Vec<usize>) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut found = Vec::new();
    let mut next = 0;
    for start in 0..count {
        if index[start] != UNSEEN {
            continue;
        }
        // Each frame: a node, its successors, and how many of them were visited.
        let mut frames: Vec<(usize, Vec<usize>, usize)> = vec![(start, successors(start), 0)];
        index[start] = next;
        low[start] = next;
        next += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some((node, succ, position)) = frames.last_mut() {
            let node = *node;
            if let Some(&child) = succ.get(*position) {
                *position += 1;
                if index[child] == UNSEEN {
                    index[child] = next;
                    low[child] = next;
                    next += 1;
                    stack.push(child);
                    on_stack[child] = true;
                    frames.push((child, successors(child), 0));
                } else if on_stack[child] {
                    low[node] = low[node].min(index[child]);
                }
                continue;
            }
            frames.pop();
            if let Some((parent, _, _)) = frames.last() {
                low[*parent] = low[*parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                found.push(component);
            }
        }
    }
    found
}

/// The shortest cycle through the component, as the imports along it (the first line of
/// each import from one module to the next).
fn shortest_cycle<'g, I>(members: &[usize], successors: &impl Fn(usize) -> I) -> Vec<Edge>
where
    I: Iterator<Item = &'g Edge>,
{
    let inside: rustc_hash::FxHashSet<usize> = members.iter().copied().collect();
    let mut best: Vec<Edge> = Vec::new();
    for &start in members {
        // Breadth-first from `start`, remembering the edge that reached each node.
        let mut reached: rustc_hash::FxHashMap<usize, Edge> = rustc_hash::FxHashMap::default();
        let mut queue = VecDeque::from([start]);
        let mut closing = None;
        'search: while let Some(node) = queue.pop_front() {
            for edge in successors(node) {
                if !inside.contains(&edge.to) {
                    continue;
                }
                if edge.to == start {
                    closing = Some(*edge);
                    break 'search;
                }
                if let std::collections::hash_map::Entry::Vacant(entry) = reached.entry(edge.to) {
                    entry.insert(*edge);
                    queue.push_back(edge.to);
                }
            }
        }
        let Some(last) = closing else { continue };
        let mut path = vec![last];
        let mut node = last.from;
        while node != start {
            let edge = reached[&node];
            path.push(edge);
            node = edge.from;
        }
        path.reverse();
        if best.is_empty() || path.len() < best.len() {
            best = path;
        }
        if best.len() == 2 {
            break; // no cycle between modules is shorter
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::tests::module;
    use archlint_facts::ImportKind::{Lazy, Normal, TypeChecking};

    fn names(graph: &ImportGraph, nodes: &[usize]) -> Vec<String> {
        nodes.iter().map(|&n| graph.nodes[n].name.clone()).collect()
    }

    #[test]
    fn each_component_is_found_once_with_its_shortest_cycle() {
        let modules = [
            module("a", &[("b", None, 1, Normal)]),
            module("b", &[("c", None, 2, Normal), ("a", None, 5, Lazy)]),
            module("c", &[("a", None, 3, Normal)]),
            module("d", &[("e", None, 1, TypeChecking)]),
            module("e", &[("d", None, 1, Normal)]),
        ];
        let graph = ImportGraph::build(&modules, 11);
        let strict = find(
            &graph,
            CycleEdges {
                lazy: false,
                dynamic: false,
            },
        );
        assert_eq!(strict.len(), 1);
        assert_eq!(names(&graph, &strict[0].members), ["a", "b", "c"]);
        assert_eq!(strict[0].shortest.len(), 3);

        let with_lazy = find(
            &graph,
            CycleEdges {
                lazy: true,
                dynamic: false,
            },
        );
        let shortest: Vec<(String, usize)> = with_lazy[0]
            .shortest
            .iter()
            .map(|e| (graph.nodes[e.from].name.clone(), e.line))
            .collect();
        assert_eq!(shortest, [("a".to_string(), 1), ("b".to_string(), 5)]);
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let count = 200_000;
        let found = components(count, |n| if n + 1 < count { vec![n + 1] } else { vec![0] });
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), count);
    }
}
