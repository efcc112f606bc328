//! The order lessons can be taught in: a lesson comes after the lessons that
//! teach what it requires (its competencies' prerequisites, all the way down)
//! and what it assesses. Bundles print in this order; C027 reads it for a
//! bundle whose author fixed the order.

use std::collections::{BTreeSet, HashMap};

use super::{Curriculum, Lesson};

/// Why lesson `before` must come before another: it teaches `competency`, which
/// the other `assesses` or requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need<'c> {
    pub before: usize,
    pub competency: &'c str,
    pub assesses: bool,
}

/// For each of `lessons`, the earlier lessons it needs, by index into `lessons`.
pub fn needs<'c>(c: &'c Curriculum, lessons: &[&'c Lesson]) -> Vec<Vec<Need<'c>>> {
    let mut teachers: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, lesson) in lessons.iter().enumerate() {
        for id in &lesson.teaches {
            teachers.entry(id.value.as_str()).or_default().push(i);
        }
    }
    lessons
        .iter()
        .enumerate()
        .map(|(j, lesson)| {
            let mut needs = Vec::new();
            let mut push = |competency: &'c str, assesses: bool| {
                for &before in teachers.get(competency).into_iter().flatten() {
                    if before != j && !needs.iter().any(|n: &Need| n.before == before) {
                        needs.push(Need {
                            before,
                            competency,
                            assesses,
                        });
                    }
                }
            };
            let taught = |id: &str| lesson.teaches.iter().any(|t| t.value.as_str() == id);
            for id in &lesson.assesses {
                if !taught(id.value.as_str()) {
                    push(id.value.as_str(), true);
                }
            }
            let own = lesson.teaches.iter().chain(&lesson.assesses);
            for required in prerequisites(c, own.map(|id| id.value.as_str())) {
                if !taught(required) {
                    push(required, false);
                }
            }
            needs
        })
        .collect()
}

/// Every competency the given ones require, directly or through others, in the
/// order found. A cycle (R003's finding) ends where it closes.
fn prerequisites<'c>(c: &'c Curriculum, start: impl Iterator<Item = &'c str>) -> Vec<&'c str> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut found = Vec::new();
    let mut stack: Vec<&str> = start.collect();
    while let Some(id) = stack.pop() {
        let Some(k) = c.competency(id) else { continue };
        for p in &k.prerequisites {
            if seen.insert(p.value.as_str()) {
                found.push(p.value.as_str());
                stack.push(p.value.as_str());
            }
        }
    }
    found
}

/// `lessons` in an order that teaches before it requires or assesses: each
/// lesson as early as its needs allow, ties (and lessons caught in a cycle of
/// needs) kept in the order given. The same input always gives the same order.
pub fn teaching_order<'c>(c: &'c Curriculum, lessons: Vec<&'c Lesson>) -> Vec<&'c Lesson> {
    let needs = needs(c, &lessons);
    let mut waiting: Vec<usize> = needs.iter().map(Vec::len).collect();
    let mut followers: Vec<Vec<usize>> = vec![Vec::new(); lessons.len()];
    for (j, list) in needs.iter().enumerate() {
        for need in list {
            followers[need.before].push(j);
        }
    }
    let mut ready: BTreeSet<usize> = (0..lessons.len()).filter(|&j| waiting[j] == 0).collect();
    let mut placed = vec![false; lessons.len()];
    let mut order = Vec::with_capacity(lessons.len());
    while order.len() < lessons.len() {
        // Nothing ready means a cycle: the first lesson not yet placed breaks it.
        let next = ready.pop_first().unwrap_or_else(|| {
            (0..lessons.len())
                .find(|&j| !placed[j])
                .expect("one is left")
        });
        if placed[next] {
            continue;
        }
        placed[next] = true;
        order.push(lessons[next]);
        for &f in &followers[next] {
            waiting[f] = waiting[f].saturating_sub(1);
            if waiting[f] == 0 && !placed[f] {
                ready.insert(f);
            }
        }
    }
    order
}
