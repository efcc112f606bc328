//! A synthetic curriculum of any size, for benchmarks and scale tests.
//!
//! The real curriculum has 68 lessons; a state office may keep thousands. To
//! measure cib (and the tools it replaces) at that scale we need curricula that
//! are valid, realistic in shape — external frameworks with hierarchies,
//! competencies with prerequisites and alignments, lessons with headings,
//! tables, lists, G-code, images, questions, answer keys and calculations — and
//! the same bytes for the same seed, so two benchmark runs measure the same
//! input. Every text is generated filler and every framework code is marked as
//! ours and provisional: nothing here pretends to be an official standard.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, ensure};

/// The size and seed of a generated curriculum.
#[derive(Clone, Debug)]
pub struct Spec {
    pub lessons: usize,
    pub competencies: usize,
    /// How many competency frameworks share the competencies (each gets its own
    /// instructor and student bundle).
    pub frameworks: usize,
    pub seed: u64,
}

/// What [`write`] made.
pub struct Written {
    pub files: usize,
    pub bytes: usize,
}

/// The largest curriculum [`write`] makes; past it the loader's own file budget
/// (`cib explain L007`) would refuse the result anyway.
pub const MAX_LESSONS: usize = 9_000;
pub const MAX_COMPETENCIES: usize = 1_000_000;

const STATE: &str = "gen-state";
const EXAM: &str = "gen-exam";
const AREAS: [&str; 8] = [
    "SAF", "MATH", "PRINT", "MEAS", "LATHE", "MILL", "GRIND", "CNC",
];
const AREA_NAMES: [&str; 8] = [
    "Shop safety",
    "Shop math",
    "Print reading",
    "Measurement",
    "Manual lathe",
    "Manual mill",
    "Grinding",
    "CNC machining",
];
const LEVELS: [&str; 4] = ["basic", "essential", "advanced", "advanced-plus"];

/// Writes a curriculum of `spec`'s size into `dir`, which must not exist or be
/// empty (nothing of the user's is overwritten).
pub fn write(dir: &Path, spec: &Spec) -> anyhow::Result<Written> {
    ensure!(spec.lessons >= 1, "a curriculum needs at least one lesson");
    ensure!(
        spec.competencies >= 1,
        "a curriculum needs at least one competency"
    );
    ensure!(
        spec.frameworks >= 1 && spec.frameworks <= spec.competencies.min(spec.lessons),
        "the number of competency frameworks must be between 1 and the smaller of the lesson and competency counts"
    );
    ensure!(
        spec.lessons <= MAX_LESSONS && spec.competencies <= MAX_COMPETENCIES,
        "at most {MAX_LESSONS} lessons and {MAX_COMPETENCIES} competencies"
    );
    crate::ensure_new_folder(dir, "generate")?;
    let mut out = Out::new(dir);
    let mut rng = Rng(spec.seed);
    out.schemas()?;
    let state = external_state(spec.competencies.div_ceil(8).max(4));
    let exam = external_exam(spec.competencies.div_ceil(12).max(3));
    out.file("frameworks/gen-state.yaml", &state.yaml)?;
    out.file("frameworks/gen-exam.yaml", &exam.yaml)?;

    let frameworks = split(spec.competencies, spec.frameworks);
    let lessons_per = split(spec.lessons, spec.frameworks);
    let mut bundles = String::new();
    let mut lesson_number = 0;
    for (f, (&count, &lesson_count)) in frameworks.iter().zip(&lessons_per).enumerate() {
        let fid = format!("gen-{:02}", f + 1);
        let prefix = format!("G{:02}", f + 1);
        let ids: Vec<String> = (0..count)
            .map(|i| format!("{prefix}-{}-{:04}", AREAS[i * AREAS.len() / count], i + 1))
            .collect();
        let mut yaml = format!(
            "# yaml-language-server: $schema=../schemas/competency-framework.schema.json\n\
             id: {fid}\n\
             title: Generated competency framework {n}\n\
             version: \"1.0\"\n\
             license: CC0-1.0\n\
             description: >\n  Synthetic competencies written by `cib generate` (seed {seed}) to measure cib at scale.\n\
             competencies:\n",
            n = f + 1,
            seed = spec.seed,
        );
        for (i, id) in ids.iter().enumerate() {
            competency(&mut yaml, &mut rng, id, i, count, &ids, &state, &exam);
        }
        out.file(&format!("competencies/{fid}.yaml"), &yaml)?;
        out.file(&format!("lessons/{fid}/{fid}-setup.svg"), &svg(&mut rng))?;

        let slices = split(count, lesson_count);
        let mut first = 0;
        for (l, &taught) in slices.iter().enumerate() {
            lesson_number += 1;
            let lid = format!("{fid}-lesson-{:04}", l + 1);
            // With more lessons than competencies, later lessons revisit one.
            let teaches: Vec<&str> = if taught == 0 {
                vec![ids[l % count].as_str()]
            } else {
                ids[first..first + taught]
                    .iter()
                    .map(String::as_str)
                    .collect()
            };
            first += taught;
            let text = lesson(&mut rng, &lid, &fid, lesson_number, &teaches);
            out.file(&format!("lessons/{fid}/{lid}.md"), &text)?;
        }
        for audience in ["instructor", "student"] {
            write!(
                bundles,
                "  - id: {fid}-{audience}\n    title: Generated framework {n} — {audience} bundle\n    audience: {audience}\n    frameworks: [{fid}]\n",
                n = f + 1
            )?;
        }
    }
    let curriculum = format!(
        "# yaml-language-server: $schema=schemas/curriculum.schema.json\n\
         title: Generated curriculum ({lessons} lessons, {competencies} competencies)\n\
         publisher: cib generate\n\
         version: \"1.0\"\n\
         date: \"2026-09-01\"\n\
         license: CC0-1.0\n\
         language: en-US\n\
         description: >\n  A synthetic curriculum for benchmarks, seed {seed}. Its texts are filler and its\n  framework codes are invented.\n\
         bundles:\n{bundles}\
         coverage:\n  thresholds:\n    - framework: {STATE}\n      status: taught\n      min_percent: 50\n",
        lessons = spec.lessons,
        competencies = spec.competencies,
        seed = spec.seed,
    );
    out.file("curriculum.yaml", &curriculum)?;
    Ok(Written {
        files: out.files,
        bytes: out.bytes,
    })
}

/// Files written into a new folder (`cib generate`, `cib init`).
pub(crate) struct Out {
    dir: PathBuf,
    files: usize,
    bytes: usize,
    /// Every file written, relative to `dir`, in order.
    pub(crate) written: Vec<String>,
}

impl Out {
    pub(crate) fn new(dir: &Path) -> Out {
        Out {
            dir: dir.to_path_buf(),
            files: 0,
            bytes: 0,
            written: Vec::new(),
        }
    }

    /// Writes `text` to `path` (relative, `/`-separated), making its folders.
    pub(crate) fn file(&mut self, path: &str, text: &str) -> anyhow::Result<()> {
        let full = self.dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        std::fs::write(&full, text)
            .with_context(|| format!("cannot write `{}`", full.display()))?;
        self.files += 1;
        self.bytes += text.len();
        self.written.push(path.to_owned());
        Ok(())
    }

    /// The schemas this cib checks against, in `schemas/`, where the files'
    /// modelines point editors.
    pub(crate) fn schemas(&mut self) -> anyhow::Result<()> {
        for (name, text) in crate::check::schema::EMBEDDED {
            self.file(&format!("schemas/{name}"), text)?;
        }
        Ok(())
    }
}

/// `total` as `parts` near-equal counts, larger ones first.
fn split(total: usize, parts: usize) -> Vec<usize> {
    (0..parts)
        .map(|i| total / parts + usize::from(i < total % parts))
        .collect()
}

/// SplitMix64: a few lines, and the same sequence on every platform and in every
/// version, which a library generator does not promise.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }

    /// `n` different words (at most all of them), in random order.
    fn several<'a>(&mut self, words: &[&'a str], n: usize) -> Vec<&'a str> {
        let mut words = words.to_vec();
        let n = n.min(words.len());
        for i in 0..n {
            let j = i + self.below(words.len() - i);
            words.swap(i, j);
        }
        words.truncate(n);
        words
    }
}

/// An external framework: its YAML and the codes of its leaf items.
struct External {
    yaml: String,
    leaves: Vec<String>,
}

const PROVISIONAL: &str =
    "status: provisional\nverify_against: nothing; generated by cib generate\nour_code: true\n";

/// One level of an external framework's tree.
struct Level {
    kind: &'static str,
    /// How many items of this level hold `n` leaves: `n / per`, within `at_least..=at_most`.
    per: usize,
    at_least: usize,
    at_most: usize,
    /// The code of the `index`th item under `parent`.
    code: fn(parent: &str, index: usize) -> String,
}

/// A state-style framework: strands, standards under them, objectives under
/// those (codes like `2.B.07`).
fn external_state(leaves: usize) -> External {
    let header = format!(
        "id: {STATE}\ntitle: Generated state framework\npublisher: cib generate\nversion: \"1.0\"\n\
         description: A synthetic state-style framework; every code is invented.\nhours: 900\n"
    );
    let levels = [
        Level {
            kind: "strand",
            per: 40,
            at_least: 1,
            at_most: 9,
            code: |_, i| (i + 1).to_string(),
        },
        Level {
            kind: "standard",
            per: 8,
            at_least: 1,
            at_most: 26,
            code: |p, i| format!("{p}.{}", char::from(b'A' + i as u8)),
        },
        Level {
            kind: "objective",
            per: 1,
            at_least: 1,
            at_most: usize::MAX,
            code: |p, i| format!("{p}.{:02}", i + 1),
        },
    ];
    external(header, leaves, &levels)
}

/// An exam-style framework: three levels, topics and objectives (codes like
/// `L2-T03-05`).
fn external_exam(leaves: usize) -> External {
    let header = format!(
        "id: {EXAM}\ntitle: Generated credential exams\npublisher: cib generate\nversion: \"1.0\"\n\
         description: A synthetic three-level credential; every code is invented.\n"
    );
    let levels = [
        Level {
            kind: "level",
            per: 1,
            at_least: 3,
            at_most: 3,
            code: |_, i| format!("L{}", i + 1),
        },
        Level {
            kind: "topic",
            per: 6,
            at_least: 1,
            at_most: usize::MAX,
            code: |p, i| format!("{p}-T{:02}", i + 1),
        },
        Level {
            kind: "objective",
            per: 1,
            at_least: 1,
            at_most: usize::MAX,
            code: |p, i| format!("{p}-{:02}", i + 1),
        },
    ];
    external(header, leaves.max(3), &levels)
}

/// A framework whose tree has `levels`, the last one holding `leaves` items.
fn external(header: String, leaves: usize, levels: &[Level]) -> External {
    let mut yaml = format!(
        "# yaml-language-server: $schema=../schemas/framework.schema.json\n{header}items:\n"
    );
    let mut codes = Vec::new();
    items(&mut yaml, &mut codes, "", leaves, levels, 1);
    External {
        yaml,
        leaves: codes,
    }
}

fn items(
    yaml: &mut String,
    codes: &mut Vec<String>,
    parent: &str,
    leaves: usize,
    levels: &[Level],
    depth: usize,
) {
    let Some((level, below)) = levels.split_first() else {
        return;
    };
    let count = leaves
        .div_ceil(level.per)
        .clamp(level.at_least, level.at_most);
    let pad = "  ".repeat(2 * depth - 1);
    for (index, leaves) in split(leaves, count).into_iter().enumerate() {
        let code = (level.code)(parent, index);
        let _ = write!(
            yaml,
            "{pad}- code: \"{code}\"\n{}",
            indent(
                &format!(
                    "kind: {}\ntitle: Generated {} {code}\n{PROVISIONAL}",
                    level.kind, level.kind
                ),
                4 * depth
            )
        );
        if below.is_empty() {
            codes.push(code);
        } else {
            let _ = writeln!(yaml, "{pad}  items:");
            items(yaml, codes, &code, leaves, below, depth + 1);
        }
    }
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

const VERBS: [&str; 12] = [
    "Measure",
    "Set up",
    "Machine",
    "Inspect",
    "Calculate",
    "Program",
    "Sharpen",
    "Lay out",
    "Deburr",
    "Verify",
    "Adjust",
    "Record",
];
const OBJECTS: [&str; 16] = [
    "a stepped shaft",
    "a drilled and tapped plate",
    "a squared block",
    "a slotted bracket",
    "a bored bushing",
    "a threaded stud",
    "a pocketed fixture plate",
    "a chamfered pin",
    "a faced and turned spacer",
    "a keyway in a shaft",
    "a bolt-hole circle",
    "a counterbored hole pattern",
    "a knurled handle",
    "a tapered mandrel",
    "an angled V-block",
    "a profiled cam plate",
];
const STANDARDS: [&str; 8] = [
    "to within ±0.005 in",
    "to within ±0.002 in",
    "to within ±0.001 in",
    "with a 63 µin finish",
    "square within 0.002 in",
    "following the shop's safety rules",
    "without a collision or alarm",
    "matching the print",
];
const TOOLS: [&str; 10] = [
    "0-1 in outside micrometer",
    "6 in dial caliper",
    "dial test indicator",
    "edge finder",
    "1/2 in 3-flute end mill",
    "HSS drill set",
    "spotting drill",
    "tap wrench and taps",
    "parallels and soft-jaw vise",
    "CNMG 432 turning insert",
];
const SENTENCES: [&str; 10] = [
    "Check the print for the datum and the tolerance of every feature before you cut.",
    "Write down the reading each time and compare it with the print.",
    "A light finishing pass gives a better surface and a more accurate size.",
    "Keep the work envelope clear and the guards closed while the spindle turns.",
    "Measure twice at two places 90 degrees apart to catch a part that is out of round.",
    "Choose the speed from the material and the tool, then check the chip it makes.",
    "Clean the vise and the parallels so that chips do not tip the part.",
    "Deburr every edge before you measure, or the burr adds to the reading.",
    "If the sound of the cut changes, stop with feed hold and look before you go on.",
    "Record the offsets you set so the next shift can repeat the setup.",
];

#[allow(clippy::too_many_arguments)]
fn competency(
    yaml: &mut String,
    rng: &mut Rng,
    id: &str,
    index: usize,
    count: usize,
    ids: &[String],
    state: &External,
    exam: &External,
) {
    let area = AREA_NAMES[index * AREA_NAMES.len() / count];
    let level = LEVELS[index * LEVELS.len() / count];
    let verb = rng.pick(&VERBS);
    let object = rng.pick(&OBJECTS);
    let _ = write!(
        yaml,
        "  - id: {id}\n    title: {verb} {object}\n    area: {area}\n    statement: >\n      {verb} {object} {} from a print and the shop's written procedure, {}.\n    level: {level}\n    hours: {}\n    criteria:\n",
        rng.pick(&STANDARDS),
        rng.pick(&SENTENCES).trim_end_matches('.').to_lowercase(),
        rng.range(2, 12),
    );
    let criteria = rng.range(2, 4);
    for criterion in rng.several(&SENTENCES, criteria) {
        let _ = writeln!(yaml, "      - {criterion}");
    }
    // Prerequisites point backwards, so there is never a cycle.
    if index > 0 {
        let mut prerequisites: Vec<&str> = (0..rng.range(0, 2))
            .map(|_| ids[rng.below(index)].as_str())
            .collect();
        prerequisites.sort_unstable();
        prerequisites.dedup();
        if !prerequisites.is_empty() {
            let _ = writeln!(yaml, "    prerequisites: [{}]", prerequisites.join(", "));
        }
    }
    let _ = write!(
        yaml,
        "    alignments:\n      - target: {STATE}:{}\n        relation: isPartOf\n",
        state.leaves[index * state.leaves.len() / count]
    );
    if rng.below(2) == 0 {
        let _ = write!(
            yaml,
            "      - target: {EXAM}:{}\n        relation: {}\n",
            exam.leaves[index * exam.leaves.len() / count],
            rng.pick(&["exactMatchOf", "isPartOf", "isRelatedTo"])
        );
    }
}

fn lesson(rng: &mut Rng, id: &str, framework: &str, number: usize, teaches: &[&str]) -> String {
    let object = rng.pick(&OBJECTS);
    let duration = 30 * rng.range(3, 8);
    let sfm = 50 * rng.range(2, 16);
    let diameter = [0.25, 0.375, 0.5, 0.75, 1.0][rng.below(5)];
    let rpm = 12.0 * sfm as f64 / (std::f64::consts::PI * diameter);
    let feed = 10 + rng.below(30);
    let mut text = format!(
        "---\nid: {id}\ntitle: Generated lesson {number} — {object}\nduration: {duration}\nteaches: [{}]\nassesses: [{}]\ncontrol: fanuc-mill\nobjectives:\n",
        teaches.join(", "),
        teaches[teaches.len() - 1],
    );
    for _ in 0..rng.range(2, 4) {
        let _ = writeln!(
            text,
            "  - {} {} {}.",
            rng.pick(&VERBS),
            rng.pick(&OBJECTS),
            rng.pick(&STANDARDS)
        );
    }
    text.push_str("materials:\n");
    let tools = rng.range(2, 5);
    for tool in rng.several(&TOOLS, tools) {
        let _ = writeln!(text, "  - {tool}");
    }
    let _ = write!(
        text,
        "safety:\n  - Wear safety glasses with side shields.\n  - {}\nquestions:\n",
        rng.pick(&SENTENCES)
    );
    let questions = rng.range(2, 4);
    for q in 1..=questions {
        let _ = write!(
            text,
            "  - id: q{q}\n    prompt: >-\n      Why does the procedure say: \"{}\" Give one reason.\n",
            rng.pick(&SENTENCES).trim_end_matches('.')
        );
    }
    let _ = write!(
        text,
        "calculations:\n  - id: rpm-cutter\n    kind: spindle-rpm\n    inputs: {{surface_speed_sfm: {sfm}, diameter_in: {diameter}}}\n    answer: {:.0}\n    tolerance: 1\n",
        rpm.round()
    );
    text.push_str("instructor:\n  notes: |\n");
    for _ in 0..rng.range(2, 4) {
        let _ = writeln!(text, "    {}", rng.pick(&SENTENCES));
    }
    text.push_str("  procedure:\n");
    let steps = rng.range(3, 5);
    for (s, minutes) in split(duration - 10, steps).into_iter().enumerate() {
        let _ = write!(
            text,
            "    - minutes: {minutes}\n      step: >-\n        Step {}: {}\n",
            s + 1,
            rng.pick(&SENTENCES)
        );
    }
    text.push_str("  answer_key:\n");
    for q in 1..=questions {
        let _ = write!(
            text,
            "    q{q}: >-\n      {} {}\n",
            rng.pick(&SENTENCES),
            rng.pick(&SENTENCES)
        );
    }
    text.push_str("---\n\n");

    let _ = write!(
        text,
        "## Overview\n\n{} {} {}\n\n",
        rng.pick(&SENTENCES),
        rng.pick(&SENTENCES),
        rng.pick(&SENTENCES)
    );
    let _ = write!(
        text,
        "![Top view of the part in the vise with the work origin at the front-left corner of the top face.]({framework}-setup.svg)\n\n## Tools and settings\n\n| Tool | Speed (rev/min) | Feed (in/min) | Note |\n| --- | ---: | ---: | --- |\n"
    );
    for _ in 0..rng.range(3, 6) {
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} |",
            rng.pick(&TOOLS),
            100 * rng.range(5, 40),
            rng.range(4, 40),
            rng.pick(&STANDARDS)
        );
    }
    let _ = write!(
        text,
        "\nFor a {diameter} in cutter at {sfm} ft/min the spindle speed is 12 × {sfm} / (π × {diameter}) ≈ **{:.0} rev/min**.\n\n## Method\n\n",
        rpm.round()
    );
    for step in 1..=rng.range(4, 8) {
        let _ = writeln!(text, "{step}. {}", rng.pick(&SENTENCES));
    }
    let _ = write!(
        text,
        "\n## The program\n\n```gcode\n%\nO{:04} (GENERATED LESSON {number})\nN10 G20 G17 G40 G49 G80 G90\nN20 T1 M06\nN30 G54 G00 X-0.5 Y-0.5\nN40 S{:.0} M03\nN50 G43 H01 Z1.0 M08\nN60 Z0.1\nN70 G01 Z-0.05 F{feed}.0\n",
        number % 10_000,
        rpm.round().min(8000.0)
    );
    let mut n = 80;
    for _ in 0..rng.range(3, 8) {
        let _ = writeln!(
            text,
            "N{n} X{}.{} Y{}.{}",
            rng.below(4),
            rng.below(10),
            rng.below(3),
            rng.below(10)
        );
        n += 10;
    }
    let _ = write!(
        text,
        "N{n} G00 Z1.0 M09\nN{} M05\nN{} G91 G28 Z0.\nN{} M30\n%\n```\n\n## Check your work\n\n",
        n + 10,
        n + 20,
        n + 30
    );
    for _ in 0..rng.range(2, 5) {
        let _ = writeln!(text, "- {}", rng.pick(&SENTENCES));
    }
    let _ = write!(text, "\n> **Remember:** {}\n", rng.pick(&SENTENCES));
    text
}

/// A small setup drawing; varied per framework so images are not all one file.
fn svg(rng: &mut Rng) -> String {
    let (w, h) = (rng.range(160, 260), rng.range(80, 140));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"200\" viewBox=\"0 0 320 200\">\n\
         <rect x=\"20\" y=\"150\" width=\"280\" height=\"30\" fill=\"#9aa5b1\"/>\n\
         <rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"#d9e2ec\" stroke=\"#243b53\" stroke-width=\"2\"/>\n\
         <circle cx=\"{x}\" cy=\"{y}\" r=\"5\" fill=\"#c0392b\"/>\n\
         <path d=\"M{x} {y} h40 M{x} {y} v-40\" stroke=\"#c0392b\" stroke-width=\"2\"/>\n\
         </svg>\n",
        x = 160 - w / 2,
        y = 150 - h,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_spreads_the_remainder_over_the_first_parts() {
        assert_eq!(split(10, 3), vec![4, 3, 3]);
        assert_eq!(split(2, 4), vec![1, 1, 0, 0]);
        assert_eq!(split(12, 4).iter().sum::<usize>(), 12);
    }

    #[test]
    fn the_generator_is_the_same_sequence_for_a_seed() {
        let (mut a, mut b, mut c) = (Rng(7), Rng(7), Rng(8));
        let first: Vec<u64> = (0..4).map(|_| a.next()).collect();
        assert_eq!(first, (0..4).map(|_| b.next()).collect::<Vec<_>>());
        assert_ne!(first, (0..4).map(|_| c.next()).collect::<Vec<_>>());
        // SplitMix64's published first output for seed 0.
        assert_eq!(Rng(0).next(), 0xE220_A839_7B1D_CDAF);
    }
}
