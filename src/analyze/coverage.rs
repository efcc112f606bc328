//! Coverage of every external framework item: which competencies align to it,
//! which lessons teach and assess them, which assessments evidence them, the
//! hours planned, and a status.
//!
//! The rules, stated once (the reports print them):
//! - A **leaf** item's status is the strongest reached through competencies
//!   aligned to it: *demonstrated* (a performance assessment's rubric
//!   evidences one), *assessed* (a lesson or a written assessment assesses
//!   one), *taught* (a lesson teaches one), *aligned* (no lesson yet), else
//!   *gap*.
//! - A **parent** item's status is the weakest of its leaves (a topic is taught
//!   when every part of it is), raised to what competencies aligned to the
//!   parent itself reach.
//! - **Hours**: a lesson's minutes are split equally among the competencies it
//!   teaches; a competency's minutes are split equally among the items it is
//!   aligned to in that framework; a parent adds up its own and its children's.
//!   So hours are never counted twice within a framework.
//! - Percentages count leaf items; provisional items are counted apart.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{
    Assessment, Competency, CompetencyId, CoverageStatus, Curriculum, Evidenced, Framework, Item,
    ItemRef, Lesson, Relation, Spanned, Status as Verification, Threshold,
};

/// How far an item is covered, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Gap,
    Aligned,
    Taught,
    Assessed,
    Demonstrated,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Gap,
        Status::Aligned,
        Status::Taught,
        Status::Assessed,
        Status::Demonstrated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Gap => "gap",
            Status::Aligned => "aligned",
            Status::Taught => "taught",
            Status::Assessed => "assessed",
            Status::Demonstrated => "demonstrated",
        }
    }

    fn from_threshold(status: CoverageStatus) -> Status {
        match status {
            CoverageStatus::Aligned => Status::Aligned,
            CoverageStatus::Taught => Status::Taught,
            CoverageStatus::Assessed => Status::Assessed,
            CoverageStatus::Demonstrated => Status::Demonstrated,
        }
    }
}

/// Leaf items counted by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    counts: [usize; 5],
}

impl Tally {
    fn add(&mut self, status: Status) {
        self.counts[status as usize] += 1;
    }

    fn merge(&mut self, other: &Tally) {
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
    }

    fn plus(mut self, other: &Tally) -> Tally {
        self.merge(other);
        self
    }

    pub fn count(&self, status: Status) -> usize {
        self.counts[status as usize]
    }

    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// Percentage of items at exactly `status`; 0 when there are none.
    pub fn percent(&self, status: Status) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        self.count(status) as f64 * 100.0 / total as f64
    }

    /// Percentage of items at `status` or stronger; 100 when there are none.
    pub fn percent_at_least(&self, status: Status) -> f64 {
        let total = self.total();
        if total == 0 {
            return 100.0;
        }
        let reached: usize = self.counts[status as usize..].iter().sum();
        reached as f64 * 100.0 / total as f64
    }
}

/// One item's coverage.
pub struct ItemCoverage<'c> {
    pub item: &'c Item,
    pub leaf: bool,
    /// Competencies aligned to this item itself, with the relation.
    pub competencies: Vec<(&'c Competency, Relation)>,
    /// The crosswalk: items of other frameworks that those competencies are
    /// aligned to too (DESE ⇄ MACWIC ⇄ OSHA ⇄ NIMS), sorted, each once.
    pub related: Vec<ItemRef>,
    /// Lessons teaching those competencies, in curriculum order.
    pub teaching: Vec<&'c Lesson>,
    /// Lessons assessing them, in curriculum order.
    pub assessing: Vec<&'c Lesson>,
    /// Assessments whose rubrics evidence them, in curriculum order, each with
    /// the criteria tied to any of those competencies.
    pub evidence: Vec<Evidenced<'c>>,
    /// Planned minutes (see the module rules); parents include their children.
    pub minutes: f64,
    pub status: Status,
    /// The leaves at or below this item (just itself for a leaf), by status;
    /// verified and provisional apart.
    pub verified: Tally,
    pub provisional: Tally,
}

impl ItemCoverage<'_> {
    /// The leaves at or below this item, verified and provisional.
    pub fn leaves(&self) -> Tally {
        self.verified.plus(&self.provisional)
    }
}

/// One framework's coverage: items in document order, and leaf totals.
pub struct FrameworkCoverage<'c> {
    pub framework: &'c Framework,
    pub items: Vec<ItemCoverage<'c>>,
    pub verified: Tally,
    pub provisional: Tally,
    pub minutes: f64,
}

impl FrameworkCoverage<'_> {
    /// All leaves, verified and provisional.
    pub fn leaves(&self) -> Tally {
        self.verified.plus(&self.provisional)
    }
}

/// A coverage threshold from curriculum.yaml and whether it is met.
pub struct ThresholdResult<'c> {
    pub threshold: &'c Threshold,
    pub percent: f64,
    pub met: bool,
    /// The leaves counted.
    pub items: usize,
}

/// Coverage of every external framework of the curriculum.
pub struct Coverage<'c> {
    pub frameworks: Vec<FrameworkCoverage<'c>>,
}

/// Computes coverage. Pure: reads the curriculum only.
pub fn coverage(c: &Curriculum) -> Coverage<'_> {
    let minutes = competency_minutes(c);
    let evidence = c.evidence();
    let frameworks = c
        .frameworks
        .iter()
        .map(|f| framework_coverage(c, f, &minutes, &evidence))
        .collect();
    Coverage { frameworks }
}

impl<'c> Coverage<'c> {
    pub fn framework(&self, id: &str) -> Option<&FrameworkCoverage<'c>> {
        self.frameworks
            .iter()
            .find(|f| f.framework.id.value.as_str() == id)
    }

    /// Evaluates the curriculum's thresholds, in the order written.
    pub fn thresholds(&self, c: &'c Curriculum) -> Vec<ThresholdResult<'c>> {
        let Some(settings) = &c.settings else {
            return Vec::new();
        };
        settings
            .thresholds
            .iter()
            .filter_map(|t| {
                let f = self.framework(t.framework.value.as_str())?;
                let tally = match &t.item {
                    None => f.leaves(),
                    Some(code) => f
                        .items
                        .iter()
                        .find(|i| i.item.code.value == code.value)?
                        .leaves(),
                };
                let percent = tally.percent_at_least(Status::from_threshold(t.status));
                Some(ThresholdResult {
                    threshold: t,
                    percent,
                    met: percent + 1e-9 >= t.min_percent,
                    items: tally.total(),
                })
            })
            .collect()
    }
}

/// Planned minutes per competency: each lesson's minutes split equally among
/// the competencies it teaches.
pub fn competency_minutes(c: &Curriculum) -> BTreeMap<&str, f64> {
    let mut minutes = BTreeMap::new();
    for lesson in &c.lessons {
        if lesson.teaches.is_empty() {
            continue;
        }
        let share = f64::from(lesson.duration_minutes) / lesson.teaches.len() as f64;
        for id in &lesson.teaches {
            *minutes.entry(id.value.as_str()).or_insert(0.0) += share;
        }
    }
    minutes
}

/// For each competency id, the indexes of the lessons that name it in the
/// list `field` picks (teaches or assesses), in lesson order.
fn lesson_index<'c>(
    lessons: &'c [Lesson],
    field: impl Fn(&'c Lesson) -> &'c [Spanned<CompetencyId>],
) -> HashMap<&'c str, Vec<usize>> {
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, lesson) in lessons.iter().enumerate() {
        for id in field(lesson) {
            let entry = index.entry(id.value.as_str()).or_default();
            if entry.last() != Some(&i) {
                entry.push(i);
            }
        }
    }
    index
}

/// The lessons that name any of `ids`, in lesson order, once each.
fn lessons_of<'c>(
    lessons: &'c [Lesson],
    index: &HashMap<&str, Vec<usize>>,
    ids: &BTreeSet<&str>,
) -> Vec<&'c Lesson> {
    let mut found: Vec<usize> = ids
        .iter()
        .filter_map(|id| index.get(id))
        .flatten()
        .copied()
        .collect();
    found.sort_unstable();
    found.dedup();
    found.into_iter().map(|i| &lessons[i]).collect()
}

/// The evidence for any of `ids`, one entry per assessment (in curriculum
/// order) with its criteria for all of them.
fn evidence_of<'c>(
    c: &'c Curriculum,
    evidence: &HashMap<&str, Vec<Evidenced<'c>>>,
    ids: &BTreeSet<&str>,
) -> Vec<Evidenced<'c>> {
    let mut found: Vec<Evidenced<'c>> = Vec::new();
    for e in ids.iter().filter_map(|id| evidence.get(id)).flatten() {
        match found
            .iter_mut()
            .find(|f| f.assessment.id.value == e.assessment.id.value)
        {
            Some(f) => f.criteria.extend(e.criteria.iter().copied()),
            None => found.push(e.clone()),
        }
    }
    let order = |a: &Assessment| c.assessments.iter().position(|x| std::ptr::eq(x, a));
    found.sort_by_key(|e| order(e.assessment));
    for f in &mut found {
        let rubric = &f.assessment.rubric.criteria;
        f.criteria
            .sort_by_key(|k| rubric.iter().position(|r| r.id.value == *k));
        f.criteria.dedup();
    }
    found
}

fn framework_coverage<'c>(
    c: &'c Curriculum,
    f: &'c Framework,
    minutes: &BTreeMap<&str, f64>,
    evidence: &HashMap<&str, Vec<Evidenced<'c>>>,
) -> FrameworkCoverage<'c> {
    // Competencies aligned to each item, and how many items of this framework
    // each competency is aligned to (for splitting its minutes).
    let mut aligned: Vec<Vec<(&Competency, Relation)>> = vec![Vec::new(); f.items.len()];
    let mut targets: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_code: HashMap<&str, usize> = HashMap::new();
    for (i, item) in f.items.iter().enumerate() {
        by_code.entry(item.code.value.as_str()).or_insert(i);
    }
    for k in c.competencies() {
        for a in &k.alignments {
            if a.target.value.framework != f.id.value {
                continue;
            }
            let index = by_code.get(a.target.value.code.as_str()).copied();
            if let Some(i) = index
                && !aligned[i]
                    .iter()
                    .any(|(seen, _)| seen.id.value == k.id.value)
            {
                aligned[i].push((k, a.relation));
                *targets.entry(k.id.value.as_str()).or_insert(0) += 1;
            }
        }
    }
    let has_children: BTreeSet<usize> = f.items.iter().filter_map(|i| i.parent).collect();
    let taught_in = lesson_index(&c.lessons, |l| &l.teaches);
    let assessed_in = lesson_index(&c.lessons, |l| &l.assesses);
    let mut items: Vec<ItemCoverage<'c>> = f
        .items
        .iter()
        .zip(aligned)
        .enumerate()
        .map(|(index, (item, competencies))| {
            let ids: BTreeSet<&str> = competencies
                .iter()
                .map(|(k, _)| k.id.value.as_str())
                .collect();
            let teaching = lessons_of(&c.lessons, &taught_in, &ids);
            let assessing = lessons_of(&c.lessons, &assessed_in, &ids);
            let evidence = evidence_of(c, evidence, &ids);
            let own = if evidence.iter().any(|e| e.assessment.is_performance()) {
                Status::Demonstrated
            } else if !assessing.is_empty() || !evidence.is_empty() {
                Status::Assessed
            } else if !teaching.is_empty() {
                Status::Taught
            } else if !competencies.is_empty() {
                Status::Aligned
            } else {
                Status::Gap
            };
            let own_minutes: f64 = competencies
                .iter()
                .map(|(k, _)| {
                    let id = k.id.value.as_str();
                    minutes.get(id).copied().unwrap_or(0.0) / targets[id] as f64
                })
                .sum();
            let related: Vec<ItemRef> = competencies
                .iter()
                .flat_map(|(k, _)| &k.alignments)
                .map(|a| a.target.value.clone())
                .filter(|target| target.framework != f.id.value)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            ItemCoverage {
                item,
                leaf: !has_children.contains(&index),
                related,
                competencies,
                teaching,
                assessing,
                evidence,
                minutes: own_minutes,
                status: own,
                verified: Tally::default(),
                provisional: Tally::default(),
            }
        })
        .collect();
    // Children come after their parent in document order: walk backwards to
    // fold each item into its parent.
    for index in (0..items.len()).rev() {
        if items[index].leaf {
            let status = items[index].status;
            let item = &mut items[index];
            match item.item.status {
                Verification::Verified => item.verified.add(status),
                Verification::Provisional => item.provisional.add(status),
            }
        } else {
            let all = items[index].leaves();
            let weakest = Status::ALL
                .into_iter()
                .find(|s| all.count(*s) > 0)
                .unwrap_or(Status::Gap);
            let item = &mut items[index];
            item.status = item.status.max(weakest);
        }
        if let Some(parent) = f.items[index].parent {
            let (verified, provisional, minutes) = {
                let child = &items[index];
                (child.verified, child.provisional, child.minutes)
            };
            let parent = &mut items[parent];
            parent.verified.merge(&verified);
            parent.provisional.merge(&provisional);
            parent.minutes += minutes;
        }
    }
    let mut verified = Tally::default();
    let mut provisional = Tally::default();
    let mut total = 0.0;
    for (item, coverage) in f.items.iter().zip(&items) {
        if item.parent.is_none() {
            verified.merge(&coverage.verified);
            provisional.merge(&coverage.provisional);
            total += coverage.minutes;
        }
    }
    FrameworkCoverage {
        framework: f,
        items,
        verified,
        provisional,
        minutes: total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The base fixture with `edit` applied to a temporary copy.
    fn checked(edit: impl FnOnce(&Path)) -> crate::Checked {
        let dir = tempfile::tempdir().unwrap();
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
        for entry in walkdir::WalkDir::new(&base) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(&base).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        edit(dir.path());
        let checked = crate::check(dir.path()).unwrap();
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        checked
    }

    fn replace(root: &Path, file: &str, from: &str, to: &str) {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} not in {file}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    }

    fn statuses(f: &FrameworkCoverage<'_>) -> Vec<(String, Status)> {
        f.items
            .iter()
            .map(|i| (i.item.code.value.clone(), i.status))
            .collect()
    }

    #[test]
    fn statuses_hours_and_tallies_follow_the_rules() {
        let checked = checked(|_| {});
        let cov = coverage(&checked.curriculum);
        let ext = cov.framework("ext").unwrap();
        // C-ONE (assessed) → A.1; C-TWO (taught) → B; A is the weakest of its leaves.
        assert_eq!(
            statuses(ext),
            [
                ("A".into(), Status::Assessed),
                ("A.1".into(), Status::Assessed),
                ("B".into(), Status::Taught),
            ]
        );
        // The 45-minute lesson teaches two competencies: 22.5 minutes each.
        let minutes: Vec<f64> = ext.items.iter().map(|i| i.minutes).collect();
        assert_eq!(minutes, [22.5, 22.5, 22.5]);
        assert_eq!(ext.minutes, 45.0);
        assert_eq!(ext.verified.count(Status::Assessed), 1);
        assert_eq!(ext.provisional.count(Status::Taught), 1);
        assert_eq!(ext.leaves().total(), 2);
        assert_eq!(ext.leaves().percent_at_least(Status::Taught), 100.0);
        assert_eq!(ext.leaves().percent_at_least(Status::Assessed), 50.0);
        assert!(!ext.items[0].leaf && ext.items[1].leaf);
        assert_eq!(ext.items[1].teaching[0].id.value.as_str(), "lesson-one");
        assert_eq!(ext.items[2].assessing.len(), 0);
    }

    #[test]
    fn an_item_nothing_aligns_to_is_a_gap_and_pulls_its_parent_down() {
        let checked = checked(|root| {
            replace(
                root,
                "frameworks/ext.yaml",
                "        source: Test document, page 2\n",
                "        source: Test document, page 2\n      - code: A.2\n        title: Objective A.2\n        status: verified\n        source: Test document, page 3\n",
            )
        });
        let cov = coverage(&checked.curriculum);
        let ext = cov.framework("ext").unwrap();
        assert_eq!(
            statuses(ext),
            [
                ("A".into(), Status::Gap),
                ("A.1".into(), Status::Assessed),
                ("A.2".into(), Status::Gap),
                ("B".into(), Status::Taught),
            ]
        );
        let a = &ext.items[0];
        assert_eq!(a.verified.total(), 2);
        assert_eq!(a.verified.percent_at_least(Status::Taught), 50.0);
        // The base threshold (every leaf of A taught) now fails.
        let results = cov.thresholds(&checked.curriculum);
        assert_eq!(results.len(), 1);
        assert!(!results[0].met);
        assert_eq!(results[0].percent, 50.0);
        assert_eq!(results[0].items, 2);
    }

    #[test]
    fn a_competency_aligned_to_two_items_splits_its_hours() {
        let checked = checked(|root| {
            replace(
                root,
                "competencies/comp.yaml",
                "      - target: ext:B\n",
                "      - target: ext:A.1\n        relation: isRelatedTo\n      - target: ext:B\n",
            )
        });
        let cov = coverage(&checked.curriculum);
        let ext = cov.framework("ext").unwrap();
        let minutes: Vec<f64> = ext.items.iter().map(|i| i.minutes).collect();
        // C-ONE 22.5 → A.1; C-TWO 22.5 split between A.1 and B.
        assert_eq!(minutes, [33.75, 33.75, 11.25]);
        assert_eq!(ext.minutes, 45.0);
        assert_eq!(ext.items[1].competencies.len(), 2);
    }

    #[test]
    fn the_crosswalk_links_items_of_different_frameworks_through_shared_competencies() {
        let checked = checked(|root| {
            std::fs::write(
                root.join("frameworks/other.yaml"),
                "id: other\ntitle: Other\npublisher: P\nversion: \"1\"\nitems:\n  - code: X\n    title: X\n    status: verified\n    source: p. 1\n",
            )
            .unwrap();
            replace(
                root,
                "competencies/comp.yaml",
                "      - target: ext:B\n",
                "      - target: other:X\n        relation: isRelatedTo\n      - target: ext:B\n",
            )
        });
        let cov = coverage(&checked.curriculum);
        let related = |fw: &str, code: &str| -> Vec<String> {
            cov.framework(fw)
                .unwrap()
                .items
                .iter()
                .find(|i| i.item.code.value == code)
                .unwrap()
                .related
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(related("ext", "B"), ["other:X"]);
        assert_eq!(related("other", "X"), ["ext:B"]);
        assert!(related("ext", "A.1").is_empty());
    }
}
