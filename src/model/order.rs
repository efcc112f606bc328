//! The order lessons can be taught in: a lesson comes after a lesson teaching
//! each competency it assesses or requires (its competencies' prerequisites,
//! all the way down). Bundles print in this order; C027 reads it for a bundle
//! whose author fixed the order.

use std::collections::{BTreeSet, HashMap};

use super::{Curriculum, Lesson};

/// A competency a lesson needs taught before it, by another of the lessons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need<'c> {
    pub competency: &'c str,
    /// Whether the lesson assesses it (else it requires it).
    pub assesses: bool,
    /// The lessons that teach it, by index, in the order given.
    pub teachers: Vec<usize>,
}

/// For each of `lessons`, what it needs taught before it: each competency it
/// assesses or requires, does not teach itself, and another of `lessons` teaches.
pub fn needs<'c>(c: &'c Curriculum, lessons: &[&'c Lesson]) -> Vec<Vec<Need<'c>>> {
    let mut teachers: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, lesson) in lessons.iter().enumerate() {
        for id in &lesson.teaches {
            teachers.entry(id.value.as_str()).or_default().push(i);
        }
    }
    lessons
        .iter()
        .map(|lesson| {
            let taught = |id: &str| lesson.teaches.iter().any(|t| t.value.as_str() == id);
            let assessed = lesson.assesses.iter().map(|id| (id.value.as_str(), true));
            let own = lesson.teaches.iter().chain(&lesson.assesses);
            let required = prerequisites(c, own.map(|id| id.value.as_str()))
                .into_iter()
                .map(|id| (id, false));
            let mut needs: Vec<Need> = Vec::new();
            for (competency, assesses) in assessed.chain(required) {
                if taught(competency) || needs.iter().any(|n| n.competency == competency) {
                    continue;
                }
                if let Some(t) = teachers.get(competency) {
                    needs.push(Need {
                        competency,
                        assesses,
                        teachers: t.clone(),
                    });
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

/// `lessons` in an order that teaches before it requires or assesses: at each
/// place the first lesson (in the order given) whose needs some lesson already
/// placed teaches. A list already in such an order is left as it is; when no
/// lesson is ready (needs in a circle), the first one left goes next. The same
/// input always gives the same order.
pub fn teaching_order<'c>(c: &'c Curriculum, lessons: Vec<&'c Lesson>) -> Vec<&'c Lesson> {
    let needs = needs(c, &lessons);
    let mut placed = vec![false; lessons.len()];
    let mut order = Vec::with_capacity(lessons.len());
    while order.len() < lessons.len() {
        let unplaced = || (0..lessons.len()).filter(|&j| !placed[j]);
        let ready = |j: &usize| {
            needs[*j]
                .iter()
                .all(|n| n.teachers.iter().any(|&t| placed[t]))
        };
        let next = unplaced()
            .find(ready)
            .or_else(|| unplaced().next())
            .expect("a lesson is left while the order is short");
        placed[next] = true;
        order.push(lessons[next]);
    }
    order
}
