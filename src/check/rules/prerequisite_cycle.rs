//! R003: competency prerequisites must form no cycle.
//!
//! Tarjan's strongly connected components, run with an explicit stack so a
//! 10 000-long prerequisite chain cannot overflow the call stack. Each cycle is
//! reported once, at the edge that closes it, listing every competency on it.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic};
use crate::model::{Competency, Curriculum, Spanned};

use super::Index;

pub fn check(_: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    let nodes: Vec<&Competency> = index.competencies.values().copied().collect();
    let position: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, k)| (k.id.value.as_str(), i))
        .collect();
    // Edges to existing competencies only; dangling ones are R002's.
    let edges: Vec<Vec<(usize, &Spanned<_>)>> = nodes
        .iter()
        .map(|k| {
            k.prerequisites
                .iter()
                .filter_map(|p| position.get(p.value.as_str()).map(|&j| (j, p)))
                .collect()
        })
        .collect();
    for component in strongly_connected(&edges) {
        let cyclic =
            component.len() > 1 || edges[component[0]].iter().any(|(j, _)| *j == component[0]);
        if !cyclic {
            continue;
        }
        let path = cycle_through(&edges, &component);
        let names: Vec<&str> = path.iter().map(|&i| nodes[i].id.value.as_str()).collect();
        let closing = edge(&edges, path[path.len() - 1], path[0]);
        let mut d = Diagnostic::new(
            Code::PrerequisiteCycle,
            closing.span.clone(),
            format!(
                "prerequisites form a cycle: {} → {}",
                names.join(" → "),
                names[0]
            ),
        )
        .with_label("this prerequisite closes the cycle")
        .with_hint("remove the prerequisite that points backwards");
        for pair in path.windows(2) {
            let e = edge(&edges, pair[0], pair[1]);
            d = d.with_related(
                e.span.clone(),
                format!(
                    "{} requires {}",
                    nodes[pair[0]].id.value, nodes[pair[1]].id.value
                ),
            );
        }
        out.push(d);
    }
}

fn edge<'a, T>(edges: &[Vec<(usize, &'a T)>], from: usize, to: usize) -> &'a T {
    edges[from]
        .iter()
        .find(|(j, _)| *j == to)
        .map(|(_, e)| *e)
        .expect("the path follows edges")
}

/// A cycle inside one component, starting from its first node: breadth-first search
/// for the shortest way back.
fn cycle_through<T>(edges: &[Vec<(usize, &T)>], component: &[usize]) -> Vec<usize> {
    let start = *component.iter().min().expect("components are not empty");
    let inside: std::collections::BTreeSet<usize> = component.iter().copied().collect();
    let mut came_from: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for &(m, _) in &edges[n] {
            if m == start {
                let mut path = vec![n];
                let mut cur = n;
                while cur != start {
                    cur = came_from[&cur];
                    path.push(cur);
                }
                path.reverse();
                return path;
            }
            if inside.contains(&m) && !came_from.contains_key(&m) {
                came_from.insert(m, n);
                queue.push_back(m);
            }
        }
    }
    vec![start]
}

/// Iterative Tarjan; components come out in a deterministic order.
fn strongly_connected<T>(edges: &[Vec<(usize, &T)>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut counter = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(top) = work.last_mut() {
            let v = top.0;
            if top.1 == 0 && index[v] == usize::MAX {
                index[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&(w, _)) = edges[v].get(top.1) {
                top.1 += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                loop {
                    let w = stack.pop().expect("v is on the stack");
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component);
            }
        }
    }
    components.sort();
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(adj: &[&[usize]]) -> Vec<Vec<(usize, &'static ())>> {
        adj.iter()
            .map(|a| a.iter().map(|&j| (j, &())).collect())
            .collect()
    }

    #[test]
    fn finds_cycles_and_their_paths() {
        let edges = graph(&[&[1], &[2], &[0], &[3], &[]]);
        let comps = strongly_connected(&edges);
        assert!(comps.contains(&vec![0, 1, 2]));
        assert_eq!(cycle_through(&edges, &[0, 1, 2]), vec![0, 1, 2]);
        assert!(comps.contains(&vec![3]));
    }

    #[test]
    fn survives_a_long_chain() {
        let adj: Vec<Vec<(usize, &())>> = (0..200_000)
            .map(|i| {
                if i + 1 < 200_000 {
                    vec![(i + 1, &())]
                } else {
                    vec![]
                }
            })
            .collect();
        assert_eq!(strongly_connected(&adj).len(), 200_000);
    }
}
