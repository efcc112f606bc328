//! What changed between two versions of one framework: items or competencies
//! added, removed, re-coded, reworded or moved, and the CASE `replacedBy`
//! associations an editor would record for them.
//!
//! Both versions are first flattened into a [`Snapshot`] of [`Entry`]s (code,
//! parent, title, text), so an external framework, one of our competency
//! frameworks, a CASE package or a CSV table (read into one of those) compare
//! the same way.
//!
//! The rules, stated once (the reports and docs/diff-json.md repeat them):
//! - An entry whose code is on both sides is **unchanged**, **reworded** (its
//!   title or text differs, whitespace aside) and/or **moved** (its parent, read
//!   through any re-coding of the parent, differs).
//! - Entries whose code is on one side only are paired when their texts are at
//!   least [`RECODE_THRESHOLD`] similar, most similar pair first, each entry used
//!   once; a pair is **re-coded** (and may also be reworded or moved).
//! - What stays unpaired is **removed** (old side) or **added** (new side).
//! - Every re-coded pair is a suggested `replacedBy` association (origin the old
//!   entry, destination the new one), and so is every removed entry whose most
//!   similar new-only entry reaches [`SUGGEST_THRESHOLD`].
//!
//! Similarity is the Sørensen–Dice coefficient of the character trigrams of
//! the two texts, lower-cased and with whitespace collapsed. Rewording mostly
//! reorders clauses and swaps words; trigrams survive both, where an edit
//! distance charges a moved clause twice, and cost time linear in the texts'
//! length per pair (edit distance is quadratic), which matters when a whole
//! framework is re-coded and every old-only entry meets every new-only one.
//! Trigrams rather than bigrams (`strsim::sorensen_dice`): across the 227
//! statements and descriptions of this repository's frameworks, unrelated
//! pairs score a median 0.35 on bigrams (1 498 pairs reach 0.5) but 0.14 on
//! trigrams (27 reach 0.5, all templated near-twins such as the mill and
//! lathe versions of one competency). At 0.8 two texts differ by a word or
//! two, or one adds a short phrase: the same entry under a new code. At 0.5
//! they share much of their wording: worth a reviewer's look, too weak to
//! assume.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use serde_json::{Value, json};

use crate::load::Kind;
use crate::model::{CompetencyFramework, Framework};
use crate::publish::coverage::md;

/// How similar the texts of an old-only and a new-only entry must be for the
/// pair to count as one entry under a new code.
pub const RECODE_THRESHOLD: f64 = 0.8;

/// How similar a removed entry's text must be to a new-only entry's for a
/// `replacedBy` association to be suggested.
pub const SUGGEST_THRESHOLD: f64 = 0.5;

/// Bounds on comparing every old-only entry with every new-only one, so a
/// hostile or wholesale re-coded file cannot make `cib diff` hang or fill
/// memory. Past them only identical texts are paired.
#[derive(Clone, Copy, Debug)]
struct Limits {
    /// Old-only entries times new-only entries.
    pairs: usize,
    /// Trigrams merged in all, over every pair.
    work: usize,
}

const LIMITS: Limits = Limits {
    pairs: 1_000_000,
    work: 1_000_000_000,
};

/// One item or competency, reduced to what a comparison looks at. A CASE
/// `CFItem` maps onto it as well (human coding scheme, `isChildOf` parent,
/// abbreviated and full statement).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The item's code or the competency's id.
    pub code: String,
    /// The parent item's code, or the competency's area: what "moved" means.
    pub parent: Option<String>,
    /// Whitespace collapsed, as in `text` and `parent`, so re-folding a YAML
    /// line is no change.
    pub title: String,
    /// The description (the title when there is none) or the statement: what
    /// similarity is measured on, since titles are too short to tell apart.
    pub text: String,
    /// What else an auditor compares, by name: an item's status, hours and
    /// whether its code is ours; a competency's level, hours, criteria and
    /// each alignment's relation (`alignment to <target>`). A change to any
    /// of them is a revision.
    pub facts: BTreeMap<String, String>,
}

/// One version of one framework, flattened in document order. Codes are
/// unique within it, as `cib check` requires (R001).
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The file as the user named it (a path or `REV:PATH`).
    pub file: String,
    /// [`Kind::Framework`] or [`Kind::CompetencyFramework`]: only like compares
    /// with like.
    pub kind: Kind,
    pub id: String,
    pub version: String,
    pub entries: Vec<Entry>,
}

impl Snapshot {
    /// An external framework: items are compared as their tree places them,
    /// each under its parent item's code.
    pub fn of_framework(file: &str, f: &Framework) -> Snapshot {
        let entries = f
            .items
            .iter()
            .map(|item| {
                let description = item.description.as_deref().filter(|d| !d.trim().is_empty());
                Entry {
                    code: item.code.value.clone(),
                    parent: item
                        .parent
                        .and_then(|p| f.items.get(p))
                        .map(|p| p.code.value.clone()),
                    title: crate::collapse_whitespace(&item.title),
                    text: crate::collapse_whitespace(description.unwrap_or(&item.title)),
                    facts: item_facts(item),
                }
            })
            .collect();
        Snapshot {
            file: file.to_owned(),
            kind: Kind::Framework,
            id: f.id.value.to_string(),
            version: f.version.clone(),
            entries,
        }
    }

    /// One of our competency frameworks: competencies have no tree, and the
    /// area they are grouped under is what moving one changes.
    pub fn of_competency_framework(file: &str, f: &CompetencyFramework) -> Snapshot {
        let entries = f
            .competencies
            .iter()
            .map(|k| Entry {
                code: k.id.value.to_string(),
                parent: k.area.as_deref().map(crate::collapse_whitespace),
                title: crate::collapse_whitespace(&k.title),
                text: crate::collapse_whitespace(&k.statement.value),
                facts: competency_facts(k),
            })
            .collect();
        Snapshot {
            file: file.to_owned(),
            kind: Kind::CompetencyFramework,
            id: f.id.value.to_string(),
            version: f.version.clone(),
            entries,
        }
    }

    /// The one framework of a file checked by [`crate::check_framework_file`];
    /// `None` when it resolved to neither kind.
    pub fn of_checked(file: &str, c: &crate::model::Curriculum) -> Option<Snapshot> {
        if let Some(f) = c.frameworks.first() {
            return Some(Snapshot::of_framework(file, f));
        }
        c.competency_frameworks
            .first()
            .map(|f| Snapshot::of_competency_framework(file, f))
    }

    /// What a parent is called in this kind of framework, for reports.
    fn parent_noun(&self) -> &'static str {
        if self.kind == Kind::CompetencyFramework {
            "area"
        } else {
            "parent"
        }
    }
}

fn item_facts(item: &crate::model::Item) -> BTreeMap<String, String> {
    let mut facts = BTreeMap::from([("status".to_owned(), item.status.as_str().to_owned())]);
    if let Some(hours) = item.hours {
        facts.insert("hours".into(), hours.to_string());
    }
    if item.our_code {
        facts.insert("code".into(), "ours".into());
    }
    case_facts(&mut facts, item.case.as_ref(), &item.associations);
    facts
}

/// A CASE identifier, and each association named by where it leads, so one
/// added, removed or retargeted shows as such; a node outside is an external
/// link.
fn case_facts(
    facts: &mut BTreeMap<String, String>,
    case: Option<&crate::model::CaseIdentity>,
    associations: &[crate::model::Association],
) {
    if let Some(case) = case {
        facts.insert("CASE identifier".into(), case.identifier.clone());
    }
    for a in associations {
        let (name, value) = match &a.to {
            crate::model::AssociationEnd::Item(code) => {
                (format!("{} to {}", a.kind, code.value), "item".to_owned())
            }
            crate::model::AssociationEnd::Node { uri, title, .. } => (
                format!("{} to {uri}", a.kind),
                format!("external link {}", crate::collapse_whitespace(title)),
            ),
        };
        facts.insert(name, value.trim().to_owned());
    }
}

fn competency_facts(k: &crate::model::Competency) -> BTreeMap<String, String> {
    let mut facts = BTreeMap::from([
        ("level".to_owned(), k.level.value.as_str().to_owned()),
        ("hours".to_owned(), k.hours.to_string()),
    ]);
    if !k.criteria.is_empty() {
        let criteria: Vec<String> = k
            .criteria
            .iter()
            .map(|c| crate::collapse_whitespace(c))
            .collect();
        facts.insert("criteria".into(), criteria.join("; "));
    }
    for a in &k.alignments {
        facts.insert(
            format!("alignment to {}", a.target.value),
            a.relation.as_str().to_owned(),
        );
    }
    case_facts(&mut facts, k.case.as_ref(), &k.associations);
    facts
}

/// One fact of an entry that differs between the versions; `None` where a
/// side does not have it.
#[derive(Clone, Debug, PartialEq)]
pub struct Revision {
    pub fact: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The facts that differ between two versions of an entry, by name.
fn revisions(old: &Entry, new: &Entry) -> Vec<Revision> {
    let names: BTreeSet<&String> = old.facts.keys().chain(new.facts.keys()).collect();
    names
        .into_iter()
        .filter_map(|name| {
            let (o, n) = (old.facts.get(name), new.facts.get(name));
            (o != n).then(|| Revision {
                fact: name.clone(),
                old: o.cloned(),
                new: n.cloned(),
            })
        })
        .collect()
}

/// An entry found on both sides, under the same code or re-coded.
#[derive(Clone, Debug, PartialEq)]
pub struct Matched {
    /// Index into the old snapshot's entries.
    pub old: usize,
    /// Index into the new snapshot's entries.
    pub new: usize,
    /// Of the old and new text, from 0 to 1.
    pub similarity: f64,
    pub recoded: bool,
    pub reworded: bool,
    pub moved: bool,
    /// Its facts that changed (status, relations, hours, level, criteria).
    pub revised: Vec<Revision>,
}

impl Matched {
    fn changed(&self) -> bool {
        self.recoded || self.reworded || self.moved || !self.revised.is_empty()
    }
}

/// A suggested CASE `replacedBy` association from an old entry to a new one.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// Index into the old snapshot's entries.
    pub origin: usize,
    /// Index into the new snapshot's entries.
    pub destination: usize,
    pub similarity: f64,
    /// Whether the origin was re-coded to the destination (else it was removed).
    pub recoded: bool,
}

/// The comparison of two snapshots; indices point into their entries.
#[derive(Debug)]
pub struct Diff {
    pub old: Snapshot,
    pub new: Snapshot,
    /// Every entry on both sides, changed or not, in old document order.
    pub matched: Vec<Matched>,
    /// Old entries with no counterpart, in old document order.
    pub removed: Vec<usize>,
    /// New entries with no counterpart, in new document order.
    pub added: Vec<usize>,
    /// In old document order of their origins.
    pub replaced_by: Vec<Suggestion>,
    /// Too many entries were left unpaired to compare every text with every
    /// other in reasonable time: only identical texts were paired.
    pub similarity_skipped: bool,
}

/// How many entries fall in each class; a re-coded entry that was also
/// reworded counts in both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub recoded: usize,
    pub reworded: usize,
    pub moved: usize,
    pub revised: usize,
    pub unchanged: usize,
    pub suggested: usize,
}

impl Diff {
    pub fn counts(&self) -> Counts {
        let count = |f: fn(&Matched) -> bool| self.matched.iter().filter(|m| f(m)).count();
        Counts {
            added: self.added.len(),
            removed: self.removed.len(),
            recoded: count(|m| m.recoded),
            reworded: count(|m| m.reworded),
            moved: count(|m| m.moved),
            revised: count(|m| !m.revised.is_empty()),
            unchanged: count(|m| !m.changed()),
            suggested: self.replaced_by.len(),
        }
    }

    /// Whether any entry was added, removed, re-coded, reworded, moved or
    /// revised (what `--exit-code` reports); the framework's own fields are
    /// not compared.
    pub fn differs(&self) -> bool {
        !self.added.is_empty()
            || !self.removed.is_empty()
            || self.matched.iter().any(Matched::changed)
    }

    /// The changed entries of one class (or all), with their two versions.
    fn changes(
        &self,
        class: fn(&Matched) -> bool,
    ) -> impl Iterator<Item = (&Matched, &Entry, &Entry)> {
        self.matched
            .iter()
            .filter(move |m| m.changed() && class(m))
            .map(|m| (m, &self.old.entries[m.old], &self.new.entries[m.new]))
    }

    /// Every suggestion with its origin's and destination's codes.
    fn suggestions(&self) -> impl Iterator<Item = (&Suggestion, &str, &str)> {
        self.replaced_by.iter().map(|s| {
            (
                s,
                self.old.entries[s.origin].code.as_str(),
                self.new.entries[s.destination].code.as_str(),
            )
        })
    }
}

/// The code an entry has now, with the old one if it was re-coded.
fn current_code(m: &Matched, old: &Entry, new: &Entry) -> String {
    if m.recoded {
        format!("{} (was {})", new.code, old.code)
    } else {
        new.code.clone()
    }
}

/// Compares two versions of one framework. `Err` when they are not the same
/// kind of framework, which no comparison could make sense of.
pub fn compare(old: Snapshot, new: Snapshot) -> anyhow::Result<Diff> {
    anyhow::ensure!(
        old.kind == new.kind,
        "cannot compare `{}` ({}) with `{}` ({}): give two versions of the same framework",
        old.file,
        old.kind.noun(),
        new.file,
        new.kind.noun()
    );
    Ok(compare_within(old, new, LIMITS))
}

fn compare_within(old: Snapshot, new: Snapshot, limits: Limits) -> Diff {
    let index = |s: &Snapshot| -> HashMap<String, usize> {
        let mut map = HashMap::new();
        for (i, e) in s.entries.iter().enumerate() {
            map.entry(e.code.clone()).or_insert(i);
        }
        map
    };
    let (old_codes, new_codes) = (index(&old), index(&new));
    let old_only: Vec<usize> = (0..old.entries.len())
        .filter(|&i| !new_codes.contains_key(&old.entries[i].code))
        .collect();
    let new_only: Vec<usize> = (0..new.entries.len())
        .filter(|&j| !old_codes.contains_key(&new.entries[j].code))
        .collect();

    let texts = |s: &Snapshot, at: &[usize]| -> Vec<Prepared> {
        at.iter()
            .map(|&i| Prepared::new(&s.entries[i].text))
            .collect()
    };
    let (old_texts, new_texts) = (texts(&old, &old_only), texts(&new, &new_only));
    let grams = |texts: &[Prepared]| texts.iter().map(|t| t.grams.len()).sum::<usize>();
    let work = (new_only.len().saturating_mul(grams(&old_texts)))
        .saturating_add(old_only.len().saturating_mul(grams(&new_texts)));
    let similarity_skipped =
        old_only.len().saturating_mul(new_only.len()) > limits.pairs || work > limits.work;

    // `pairs` holds (similarity, position in old_only, position in new_only);
    // `best` the most similar new-only entry of each old-only one (the first
    // in document order on a tie).
    let mut pairs = Vec::new();
    let mut best: Vec<Option<(f64, usize)>> = vec![None; old_only.len()];
    if similarity_skipped {
        let mut by_text: HashMap<&str, VecDeque<usize>> = HashMap::new();
        for (b, text) in new_texts.iter().enumerate() {
            by_text.entry(&text.lower).or_default().push_back(b);
        }
        for (a, text) in old_texts.iter().enumerate() {
            if let Some(b) = by_text
                .get_mut(text.lower.as_str())
                .and_then(VecDeque::pop_front)
            {
                pairs.push((1.0, a, b));
            }
        }
    } else {
        for (a, x) in old_texts.iter().enumerate() {
            for (b, y) in new_texts.iter().enumerate() {
                let s = x.similarity(y);
                if s >= RECODE_THRESHOLD {
                    pairs.push((s, a, b));
                }
                if best[a].is_none_or(|(top, _)| s > top) {
                    best[a] = Some((s, b));
                }
            }
        }
        pairs.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
    }
    let mut recoded_to: Vec<Option<usize>> = vec![None; old_only.len()];
    let mut taken = vec![false; new_only.len()];
    for (_, a, b) in pairs {
        if recoded_to[a].is_none() && !taken[b] {
            recoded_to[a] = Some(b);
            taken[b] = true;
        }
    }

    // Old code -> new code, so a child of a re-coded parent has not moved.
    let mut renamed: HashMap<&str, &str> = HashMap::new();
    for (a, b) in recoded_to.iter().enumerate() {
        if let Some(b) = b {
            renamed.insert(
                &old.entries[old_only[a]].code,
                &new.entries[new_only[*b]].code,
            );
        }
    }
    let matched_pair = |i: usize, j: usize, recoded: bool| {
        let (o, n) = (&old.entries[i], &new.entries[j]);
        let parent = o.parent.as_deref().map(|p| {
            if old_codes.contains_key(p) && !new_codes.contains_key(p) {
                renamed.get(p).copied().unwrap_or(p)
            } else {
                p
            }
        });
        Matched {
            old: i,
            new: j,
            similarity: similarity(&o.text, &n.text),
            recoded,
            reworded: o.title != n.title || o.text != n.text,
            moved: parent != n.parent.as_deref(),
            revised: revisions(o, n),
        }
    };

    let only: HashMap<usize, usize> = old_only.iter().enumerate().map(|(a, &i)| (i, a)).collect();
    let mut matched = Vec::new();
    let mut removed = Vec::new();
    let mut replaced_by = Vec::new();
    for (i, entry) in old.entries.iter().enumerate() {
        if let Some(&j) = new_codes.get(&entry.code) {
            matched.push(matched_pair(i, j, false));
            continue;
        }
        let Some(&a) = only.get(&i) else { continue };
        if let Some(b) = recoded_to[a] {
            let m = matched_pair(i, new_only[b], true);
            replaced_by.push(Suggestion {
                origin: i,
                destination: m.new,
                similarity: m.similarity,
                recoded: true,
            });
            matched.push(m);
            continue;
        }
        removed.push(i);
        if let Some((s, b)) = best[a]
            && s >= SUGGEST_THRESHOLD
        {
            replaced_by.push(Suggestion {
                origin: i,
                destination: new_only[b],
                similarity: s,
                recoded: false,
            });
        }
    }
    let added = (0..new_only.len())
        .filter(|&b| !taken[b])
        .map(|b| new_only[b])
        .collect();
    Diff {
        old,
        new,
        matched,
        removed,
        added,
        replaced_by,
        similarity_skipped,
    }
}

/// A text made ready to compare with many others: lower-cased, and its
/// character trigrams sorted so two texts' common trigrams are found in one
/// merge.
struct Prepared {
    lower: String,
    grams: Vec<[char; 3]>,
}

impl Prepared {
    fn new(text: &str) -> Prepared {
        let lower = text.to_lowercase();
        let chars: Vec<char> = lower.chars().collect();
        let mut grams: Vec<[char; 3]> = chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
        grams.sort_unstable();
        Prepared { lower, grams }
    }

    /// From 0 (no trigram in common) to 1 (the same text, case aside): the
    /// Sørensen–Dice coefficient of the two trigram multisets.
    fn similarity(&self, other: &Prepared) -> f64 {
        if self.lower == other.lower {
            return 1.0;
        }
        let (a, b) = (&self.grams, &other.grams);
        if a.is_empty() || b.is_empty() {
            return 0.0;
        }
        let (mut i, mut j, mut common) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        2.0 * common as f64 / (a.len() + b.len()) as f64
    }
}

/// The similarity of two texts, from 0 (nothing in common) to 1 (the same,
/// case aside).
fn similarity(a: &str, b: &str) -> f64 {
    Prepared::new(a).similarity(&Prepared::new(b))
}

fn rounded(similarity: f64) -> f64 {
    (similarity * 1000.0).round() / 1000.0
}

/// The summary line: counts of every class.
fn summary(c: &Counts) -> String {
    format!(
        "{} added, {} removed, {} re-coded, {} reworded, {} moved, {} revised, {} unchanged",
        c.added, c.removed, c.recoded, c.reworded, c.moved, c.revised, c.unchanged
    )
}

const SKIPPED_NOTE: &str = "too many entries changed code to compare every text with every other; only identical texts were paired";

/// The report for a terminal: what was compared, the counts, then one section
/// per class that has entries, with old and new text for reworded ones.
pub fn human(diff: &Diff) -> String {
    let (old, new) = (&diff.old, &diff.new);
    let id = if old.id == new.id {
        new.id.clone()
    } else {
        format!("{} → {}", old.id, new.id)
    };
    let mut out = format!(
        "{} `{id}`, version {} → {}\n  old: {}\n  new: {}\n{}\n",
        old.kind.noun(),
        old.version,
        new.version,
        old.file,
        new.file,
        summary(&diff.counts())
    );
    if diff.similarity_skipped {
        out.push_str(&format!("note: {SKIPPED_NOTE}\n"));
    }
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            out.push_str(&format!("\n{title} ({}):\n", lines.len()));
            out.extend(lines);
        }
    };
    let recoded = diff.changes(|m| m.recoded).map(|(m, o, n)| {
        format!(
            "  {} → {}  (similarity {:.2})  {}\n",
            o.code, n.code, m.similarity, n.title
        )
    });
    section("re-coded", recoded.collect());
    let reworded = diff.changes(|m| m.reworded).map(|(m, o, n)| {
        let code = current_code(m, o, n);
        let mut text = format!("  {code}  (similarity {:.2})\n", m.similarity);
        if o.title != n.title {
            text.push_str(&format!(
                "    - title: {}\n    + title: {}\n",
                o.title, n.title
            ));
        }
        if o.text != n.text && (o.text != o.title || n.text != n.title) {
            text.push_str(&format!("    - {}\n    + {}\n", o.text, n.text));
        }
        text
    });
    section("reworded", reworded.collect());
    let none = if old.kind == Kind::CompetencyFramework {
        "(no area)"
    } else {
        "(top level)"
    };
    let moved = diff.changes(|m| m.moved).map(|(m, o, n)| {
        format!(
            "  {}  {} {} → {}\n",
            current_code(m, o, n),
            old.parent_noun(),
            o.parent.as_deref().unwrap_or(none),
            n.parent.as_deref().unwrap_or(none)
        )
    });
    section("moved", moved.collect());
    let revised = diff.changes(|m| !m.revised.is_empty()).map(|(m, o, n)| {
        let mut text = format!("  {}\n", current_code(m, o, n));
        for r in &m.revised {
            text.push_str(&format!("    {}: {}\n", r.fact, revision_words(r)));
        }
        text
    });
    section("revised", revised.collect());
    let listed = |s: &Snapshot, at: &[usize]| -> Vec<String> {
        let entry = |i: usize| &s.entries[i];
        at.iter()
            .map(|&i| format!("  {}  {}\n", entry(i).code, entry(i).title))
            .collect()
    };
    section("removed", listed(old, &diff.removed));
    section("added", listed(new, &diff.added));
    let suggested = diff.suggestions().map(|(s, origin, destination)| {
        let why = if s.recoded { "re-coded" } else { "removed" };
        format!(
            "  {origin} → {destination}  (similarity {:.2}, {why})\n",
            s.similarity
        )
    });
    section("suggested replacedBy associations", suggested.collect());
    out
}

/// A revised fact as read: `provisional → verified`, `none → exactMatchOf`.
fn revision_words(r: &Revision) -> String {
    format!(
        "{} → {}",
        r.old.as_deref().unwrap_or("none"),
        r.new.as_deref().unwrap_or("none")
    )
}

/// The report for tools, documented field by field in docs/diff-json.md.
pub fn json(diff: &Diff) -> Value {
    let (old, new) = (&diff.old, &diff.new);
    let entry = |e: &Entry| json!({"code": e.code, "parent": e.parent, "title": e.title, "text": e.text, "facts": e.facts});
    let side = |s: &Snapshot| json!({"file": s.file, "id": s.id, "version": s.version, "entries": s.entries.len()});
    let c = diff.counts();
    json!({
        "version": 1,
        "generator": format!("cib {}", env!("CARGO_PKG_VERSION")),
        "kind": match old.kind {
            Kind::CompetencyFramework => "competency-framework",
            _ => "framework",
        },
        "old": side(old),
        "new": side(new),
        "thresholds": {"recoded": RECODE_THRESHOLD, "suggested": SUGGEST_THRESHOLD},
        "similarity_skipped": diff.similarity_skipped,
        "counts": {
            "added": c.added,
            "removed": c.removed,
            "recoded": c.recoded,
            "reworded": c.reworded,
            "moved": c.moved,
            "revised": c.revised,
            "unchanged": c.unchanged,
            "suggested": c.suggested,
        },
        "changed": diff.changes(|_| true).map(|(m, o, n)| json!({
            "old": entry(o),
            "new": entry(n),
            "similarity": rounded(m.similarity),
            "recoded": m.recoded,
            "reworded": m.reworded,
            "moved": m.moved,
            "revised": m.revised.iter().map(|r| json!({"fact": r.fact, "old": r.old, "new": r.new})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "removed": diff.removed.iter().map(|&i| entry(&old.entries[i])).collect::<Vec<_>>(),
        "added": diff.added.iter().map(|&j| entry(&new.entries[j])).collect::<Vec<_>>(),
        "replaced_by": diff.suggestions().map(|(s, origin, destination)| json!({
            "type": "replacedBy",
            "origin": origin,
            "destination": destination,
            "similarity": rounded(s.similarity),
            "recoded": s.recoded,
        })).collect::<Vec<_>>(),
    })
}

/// The report as a pull-request comment: a heading, the counts as a table, a
/// table per class. Every text is escaped, so none can break a table.
pub fn markdown(diff: &Diff) -> String {
    let (old, new) = (&diff.old, &diff.new);
    let c = diff.counts();
    let mut out = format!(
        "## Changes to {} {}, version {} → {}\n\nOld: {} · New: {}\n\n",
        old.kind.noun(),
        md(&new.id),
        md(&old.version),
        md(&new.version),
        md(&old.file),
        md(&new.file)
    );
    out.push_str(
        "| Added | Removed | Re-coded | Reworded | Moved | Revised | Unchanged | Suggested replacedBy |\n",
    );
    out.push_str("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    out.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
        c.added, c.removed, c.recoded, c.reworded, c.moved, c.revised, c.unchanged, c.suggested
    ));
    if diff.similarity_skipped {
        out.push_str(&format!("\n**Note:** {SKIPPED_NOTE}.\n"));
    }
    let mut table = |title: &str, header: &str, rows: Vec<String>| {
        if !rows.is_empty() {
            out.push_str(&format!("\n### {title} ({})\n\n{header}\n", rows.len()));
            out.extend(rows);
        }
    };
    let cell = |e: &Entry| {
        if e.text == e.title {
            md(&e.title)
        } else {
            format!("**{}** — {}", md(&e.title), md(&e.text))
        }
    };
    let recoded = diff.changes(|m| m.recoded).map(|(m, o, n)| {
        let (was, is, title) = (md(&o.code), md(&n.code), md(&n.title));
        format!("| {was} | {is} | {:.2} | {title} |\n", m.similarity)
    });
    table(
        "Re-coded",
        "| Old code | New code | Similarity | Title |\n| --- | --- | ---: | --- |",
        recoded.collect(),
    );
    let reworded = diff.changes(|m| m.reworded).map(|(m, o, n)| {
        let code = md(&current_code(m, o, n));
        let (was, is) = (cell(o), cell(n));
        format!("| {code} | {:.2} | {was} | {is} |\n", m.similarity)
    });
    table(
        "Reworded",
        "| Code | Similarity | Old | New |\n| --- | ---: | --- | --- |",
        reworded.collect(),
    );
    let parent = |e: &Entry| e.parent.as_deref().map(md).unwrap_or_else(|| "—".into());
    let moved = diff.changes(|m| m.moved).map(|(m, o, n)| {
        let code = md(&current_code(m, o, n));
        format!("| {code} | {} | {} |\n", parent(o), parent(n))
    });
    let noun = old.parent_noun();
    table(
        "Moved",
        &format!("| Code | Old {noun} | New {noun} |\n| --- | --- | --- |"),
        moved.collect(),
    );
    let revised = diff
        .changes(|m| !m.revised.is_empty())
        .flat_map(|(m, o, n)| {
            let code = md(&current_code(m, o, n));
            m.revised.iter().map(move |r| {
                let side = |v: &Option<String>| v.as_deref().map(md).unwrap_or_else(|| "—".into());
                format!(
                    "| {code} | {} | {} | {} |\n",
                    md(&r.fact),
                    side(&r.old),
                    side(&r.new)
                )
            })
        });
    table(
        "Revised",
        "| Code | What | Old | New |\n| --- | --- | --- | --- |",
        revised.collect(),
    );
    let listed = |s: &Snapshot, at: &[usize]| -> Vec<String> {
        let entry = |i: usize| &s.entries[i];
        at.iter()
            .map(|&i| format!("| {} | {} |\n", md(&entry(i).code), cell(entry(i))))
            .collect()
    };
    let entries = "| Code | Entry |\n| --- | --- |";
    table("Removed", entries, listed(old, &diff.removed));
    table("Added", entries, listed(new, &diff.added));
    let suggested = diff.suggestions().map(|(s, origin, destination)| {
        let why = if s.recoded {
            "re-coded"
        } else {
            "removed; similar text"
        };
        let (origin, destination) = (md(origin), md(destination));
        format!(
            "| {origin} | {destination} | {:.2} | {why} |\n",
            s.similarity
        )
    });
    table(
        "Suggested replacedBy associations",
        "| Origin (old) | Destination (new) | Similarity | Because |\n| --- | --- | ---: | --- |",
        suggested.collect(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An external framework whose entries are (code, parent, text); the title
    /// is the text, as for an item without a description.
    fn snapshot(file: &str, entries: &[(&str, Option<&str>, &str)]) -> Snapshot {
        Snapshot {
            file: file.into(),
            kind: Kind::Framework,
            id: "fw".into(),
            version: "1".into(),
            entries: entries
                .iter()
                .map(|&(code, parent, text)| Entry {
                    code: code.into(),
                    parent: parent.map(Into::into),
                    title: text.into(),
                    text: text.into(),
                    facts: BTreeMap::from([("status".to_owned(), "verified".to_owned())]),
                })
                .collect(),
        }
    }

    #[test]
    fn a_changed_fact_is_a_revision_that_makes_the_versions_differ() {
        let entries = [
            ("A", None, "Measure with a micrometer"),
            ("B", None, "Read a print"),
        ];
        let old = snapshot("old.yaml", &entries);
        let mut new = snapshot("new.yaml", &entries);
        let facts = &mut new.entries[0].facts;
        facts.insert("status".into(), "provisional".into());
        facts.insert("alignment to ext:X".into(), "exactMatchOf".into());
        let d = compare(old, new).unwrap();
        assert!(d.differs());
        let c = d.counts();
        assert_eq!((c.revised, c.unchanged, c.reworded), (1, 1, 0));
        assert_eq!(
            d.matched[0].revised,
            [
                Revision {
                    fact: "alignment to ext:X".into(),
                    old: None,
                    new: Some("exactMatchOf".into()),
                },
                Revision {
                    fact: "status".into(),
                    old: Some("verified".into()),
                    new: Some("provisional".into()),
                },
            ]
        );
        assert!(human(&d).contains("    status: verified → provisional\n"));
        assert!(human(&d).contains("    alignment to ext:X: none → exactMatchOf\n"));
        assert!(markdown(&d).contains("| A | status | verified | provisional |"));
        assert_eq!(json(&d)["changed"][0]["revised"][1]["new"], "provisional");
    }

    fn diff(old: &[(&str, Option<&str>, &str)], new: &[(&str, Option<&str>, &str)]) -> Diff {
        compare(snapshot("old.yaml", old), snapshot("new.yaml", new)).unwrap()
    }

    /// (old code, new code) of every re-coded entry.
    fn recoded(d: &Diff) -> Vec<(&str, &str)> {
        d.matched
            .iter()
            .filter(|m| m.recoded)
            .map(|m| {
                (
                    d.old.entries[m.old].code.as_str(),
                    d.new.entries[m.new].code.as_str(),
                )
            })
            .collect()
    }

    fn codes<'a>(s: &'a Snapshot, at: &[usize]) -> Vec<&'a str> {
        at.iter().map(|&i| s.entries[i].code.as_str()).collect()
    }

    const TAP: &str = "Tap a through hole by hand with a tap wrench, starting square and backing off every half turn to break the chip.";
    const TAP_EDITED: &str = "Tap a through hole by hand with a tap wrench, starting it square and backing off every half turn to break the chip.";
    const TAP_CLEARED: &str = "Tap a through hole by hand with a tap wrench, starting square and backing off every half turn to break and clear the chip.";
    const REAM: &str = "Ream a drilled hole to size on the drill press at half the drilling speed with plenty of cutting oil.";
    const SAW: &str = "Set the band saw blade tension and guides, then cut bar stock to length within a sixteenth of an inch.";

    #[test]
    fn an_entry_both_recoded_and_reworded_counts_in_both_and_is_suggested() {
        let d = diff(&[("A-1", None, TAP)], &[("B-7", None, TAP_EDITED)]);
        assert_eq!(recoded(&d), [("A-1", "B-7")]);
        let m = &d.matched[0];
        assert!(m.reworded && !m.moved);
        assert!(
            m.similarity >= RECODE_THRESHOLD && m.similarity < 1.0,
            "{}",
            m.similarity
        );
        let c = d.counts();
        assert_eq!(
            (c.recoded, c.reworded, c.unchanged, c.added, c.removed),
            (1, 1, 0, 0, 0)
        );
        assert_eq!(
            d.replaced_by,
            [Suggestion {
                origin: 0,
                destination: 0,
                similarity: m.similarity,
                recoded: true
            }]
        );
        assert!(d.differs());
    }

    #[test]
    fn a_tie_in_similarity_goes_to_the_first_entry_in_document_order() {
        let d = diff(
            &[("A-1", None, TAP)],
            &[("B-2", None, TAP), ("B-1", None, TAP)],
        );
        assert_eq!(recoded(&d), [("A-1", "B-2")]);
        assert_eq!(codes(&d.new, &d.added), ["B-1"]);
        // Two old entries tie for one new one: the first is re-coded, the
        // second removed, with the same destination suggested (a merge).
        let d = diff(
            &[("A-2", None, TAP), ("A-1", None, TAP)],
            &[("B-1", None, TAP)],
        );
        assert_eq!(recoded(&d), [("A-2", "B-1")]);
        assert_eq!(codes(&d.old, &d.removed), ["A-1"]);
        let merged = &d.replaced_by[1];
        assert_eq!(
            (merged.origin, merged.destination, merged.recoded),
            (1, 0, false)
        );
    }

    #[test]
    fn the_most_similar_pair_is_recoded_first() {
        // A-1 is closest to B-1, but B-1 is A-2's exact twin: taking pairs in
        // document order would leave A-2 with a worse match or none.
        assert!(similarity(TAP, TAP_EDITED) > similarity(TAP, TAP_CLEARED));
        let d = diff(
            &[("A-1", None, TAP), ("A-2", None, TAP_EDITED)],
            &[("B-1", None, TAP_EDITED), ("B-2", None, TAP_CLEARED)],
        );
        assert_eq!(recoded(&d), [("A-1", "B-2"), ("A-2", "B-1")]);
    }

    #[test]
    fn an_empty_framework_against_a_full_one_is_all_added_or_all_removed() {
        let full = [("1", None, REAM), ("1.A", Some("1"), SAW)];
        let d = diff(&[], &full);
        assert_eq!(codes(&d.new, &d.added), ["1", "1.A"]);
        assert_eq!(
            d.counts(),
            Counts {
                added: 2,
                ..Counts::default()
            }
        );
        let d = diff(&full, &[]);
        assert_eq!(codes(&d.old, &d.removed), ["1", "1.A"]);
        assert!(d.replaced_by.is_empty());
        let d = diff(&[], &[]);
        assert!(!d.differs());
        assert_eq!(d.counts(), Counts::default());
    }

    #[test]
    fn same_codes_are_unchanged_reworded_or_moved() {
        let d = diff(
            &[
                ("1", None, REAM),
                ("2", None, SAW),
                ("1.A", Some("1"), TAP),
                ("1.B", Some("1"), SAW),
            ],
            &[
                ("1", None, REAM),
                ("2", None, SAW),
                ("1.A", Some("2"), TAP),
                ("1.B", Some("1"), REAM),
            ],
        );
        let flags: Vec<(bool, bool)> = d.matched.iter().map(|m| (m.reworded, m.moved)).collect();
        assert_eq!(
            flags,
            [(false, false), (false, false), (false, true), (true, false)]
        );
        assert_eq!(
            d.counts(),
            Counts {
                moved: 1,
                reworded: 1,
                unchanged: 2,
                ..Counts::default()
            }
        );
    }

    #[test]
    fn a_child_of_a_recoded_parent_has_not_moved() {
        let d = diff(
            &[("2", None, REAM), ("2.A", Some("2"), TAP)],
            &[("3", None, REAM), ("2.A", Some("3"), TAP)],
        );
        assert_eq!(recoded(&d), [("2", "3")]);
        assert!(d.matched.iter().all(|m| !m.moved));
    }

    #[test]
    fn a_removed_entry_with_a_somewhat_similar_new_one_gets_only_a_suggestion() {
        let old = "Drill a hole on the drill press after center punching its location, at the speed the chart gives.";
        let new = "Drill and ream a hole on the drill press after spotting its location, at the speed the chart gives for the drill.";
        let s = similarity(old, new);
        assert!((SUGGEST_THRESHOLD..RECODE_THRESHOLD).contains(&s), "{s}");
        let d = diff(
            &[("D-1", None, old), ("S-1", None, SAW)],
            &[("D-2", None, new)],
        );
        assert!(recoded(&d).is_empty());
        assert_eq!(codes(&d.old, &d.removed), ["D-1", "S-1"]);
        assert_eq!(codes(&d.new, &d.added), ["D-2"]);
        assert_eq!(
            d.replaced_by,
            [Suggestion {
                origin: 0,
                destination: 0,
                similarity: s,
                recoded: false
            }]
        );
    }

    #[test]
    fn similarity_ignores_case_and_unrelated_texts_score_low() {
        assert_eq!(similarity("Face the stock", "face THE stock"), 1.0);
        assert!(similarity(TAP, SAW) < SUGGEST_THRESHOLD);
        assert_eq!(similarity("ab", "cd"), 0.0);
        assert_eq!(similarity(REAM, TAP), similarity(TAP, REAM));
    }

    #[test]
    fn past_the_limits_only_identical_texts_are_paired() {
        let old = snapshot("old.yaml", &[("A-1", None, TAP_EDITED), ("A-2", None, SAW)]);
        let new = snapshot("new.yaml", &[("B-1", None, TAP), ("B-2", None, SAW)]);
        let d = compare_within(
            old,
            new,
            Limits {
                pairs: 3,
                work: usize::MAX,
            },
        );
        assert!(d.similarity_skipped);
        assert_eq!(recoded(&d), [("A-2", "B-2")]);
        assert_eq!(codes(&d.old, &d.removed), ["A-1"]);
        assert_eq!(d.replaced_by.len(), 1);
        assert!(human(&d).contains("only identical texts were paired"));
    }

    #[test]
    fn different_kinds_are_refused_naming_both_files() {
        let mut new = snapshot("new/comp.yaml", &[]);
        new.kind = Kind::CompetencyFramework;
        let error = compare(snapshot("old/fw.yaml", &[]), new)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("`old/fw.yaml` (external framework)"),
            "{error}"
        );
        assert!(
            error.contains("`new/comp.yaml` (competency framework)"),
            "{error}"
        );
    }

    #[test]
    fn a_pipe_in_a_title_cannot_break_a_markdown_table() {
        let d = diff(&[], &[("X|1", None, "Bore | ream")]);
        let md = markdown(&d);
        assert!(md.contains("| X\\|1 | Bore \\| ream |\n"), "{md}");
    }
}
