//! The one table of stable diagnostic codes.
//!
//! A code is a letter for the stage that finds the problem (L load, P parse, S schema,
//! R references, C content, B build, X exchange: import and diff of CASE and CSV) and three digits. Codes are never renumbered or reused:
//! scripts, CI filters and `cib explain` depend on them. The doc comment of each
//! variant is what `cib explain CODE` prints, so it is written for curriculum authors.

use super::Severity;

macro_rules! codes {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $code:literal, $name:literal, $severity:ident, $title:literal;
    )*) => {
        /// A stable diagnostic code; see the module documentation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as printed, such as `P001`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The kebab-case name, such as `yaml-syntax`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// A one-line summary for listings.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// The long documentation: what it checks, why, an example, how to fix.
            pub fn doc(self) -> String {
                let raw: &[&str] = match self { $(Code::$variant => &[$($doc),*],)* };
                raw.iter()
                    .map(|line| line.strip_prefix(' ').unwrap_or(line))
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        }
    };
}

impl Code {
    /// Finds a code by its code (`p001`) or its name (`yaml-syntax`), ignoring case.
    pub fn lookup(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| {
            code.as_str().eq_ignore_ascii_case(text) || code.name().eq_ignore_ascii_case(text)
        })
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

codes! {
    /// ## What it checks
    /// A curriculum file is larger than cib reads (8 MiB).
    ///
    /// ## Why
    /// Curriculum files are hand-written text: a file this large is almost always a
    /// mistake (a generated dump, a binary saved with the wrong extension), and reading
    /// it would cost time and memory on every check.
    ///
    /// ## Example
    /// `competencies/all.yaml` is 60 MB.
    ///
    /// ## How to fix
    /// Split the framework into several files under `competencies/` (each file is one
    /// framework), or remove the file if it is not curriculum.
    FileTooLarge = "L001", "file-too-large", Error, "file is larger than the size limit";

    /// ## What it checks
    /// A file is not valid UTF-8 text, or starts with a UTF-16 or UTF-32 byte-order mark.
    ///
    /// ## Why
    /// YAML and Markdown files in a curriculum repo must be UTF-8 so that every tool,
    /// editor and diff reads them the same way.
    ///
    /// ## Example
    /// A lesson saved as Windows-1252 from an old word processor: `café` is stored as
    /// the single byte `0xE9`, which is not UTF-8.
    ///
    /// ## How to fix
    /// Re-save the file as UTF-8 in your editor (in VS Code: "Save with Encoding",
    /// then "UTF-8"). The diagnostic points at the first byte that is not UTF-8.
    InvalidEncoding = "L002", "invalid-encoding", Error, "file is not UTF-8 text";

    /// ## What it checks
    /// A text file contains a NUL byte (`0x00`).
    ///
    /// ## Why
    /// NUL never appears in real YAML or Markdown; it means the file is binary or was
    /// corrupted, and YAML forbids it.
    ///
    /// ## Example
    /// An image renamed to `lesson.md`, or a file truncated by a crashed editor.
    ///
    /// ## How to fix
    /// Restore the file from git (`git checkout -- FILE`) or remove the stray bytes.
    NulByte = "L003", "nul-byte", Error, "file contains a NUL byte";

    /// ## What it checks
    /// A symbolic link under `frameworks/`, `competencies/` or `lessons/` points outside
    /// the curriculum root.
    ///
    /// ## Why
    /// cib never reads outside the root: a build must depend only on what is in the
    /// repository, and a lesson must not be able to pull in files from elsewhere on the
    /// machine.
    ///
    /// ## Example
    /// `lessons/shared.md -> /home/me/notes/shared.md`
    ///
    /// ## How to fix
    /// Copy the file into the repository instead of linking to it, or point the link at
    /// a file inside the root.
    SymlinkOutsideRoot = "L004", "symlink-outside-root", Error, "symbolic link leads outside the curriculum root";

    /// ## What it checks
    /// A file could not be read: a broken symbolic link, a special file such as a pipe,
    /// or an I/O error.
    ///
    /// ## Why
    /// A file cib cannot read would silently drop part of the curriculum.
    ///
    /// ## Example
    /// `competencies/old.yaml -> competencies/removed.yaml` after `removed.yaml` was
    /// deleted.
    ///
    /// ## How to fix
    /// Remove the broken link or restore its target; replace special files with regular
    /// files.
    UnreadableFile = "L005", "unreadable-file", Error, "file could not be read";

    /// ## What it checks
    /// A file starts with a UTF-8 byte-order mark (the bytes `EF BB BF`).
    ///
    /// ## Why
    /// The mark is legal but invisible; some tools (shell scripts, older parsers, `diff`)
    /// treat it as text, and it breaks the `# yaml-language-server` first line. cib
    /// reads the file as if the mark were not there.
    ///
    /// ## Example
    /// A file saved by Notepad as "UTF-8 with BOM".
    ///
    /// ## How to fix
    /// Save the file as plain UTF-8 (in VS Code: "Save with Encoding", then "UTF-8").
    ByteOrderMark = "L006", "byte-order-mark", Warning, "file starts with a UTF-8 byte-order mark";

    /// ## What it checks
    /// A curriculum holds at most 10 000 files in `frameworks/`, `competencies/` and
    /// `lessons/` together, and at most 512 MiB of them. cib stops reading at the
    /// first file past either limit and reports it.
    ///
    /// ## Why
    /// cib holds the whole curriculum in memory while it checks and builds it. The
    /// limits are far above any real program (this repository has 77 files and
    /// under 1 MiB) and keep a mistake, such as a folder of scans copied into
    /// `lessons/`, from exhausting a school's machine.
    ///
    /// ## Example
    /// `lessons/` holds 12 000 exported `.md` files from a wiki, or gigabytes of them.
    ///
    /// ## How to fix
    /// Move files that are not curriculum out of the three folders; split a
    /// curriculum that really is this large into several repositories.
    TooManyFiles = "L007", "too-many-files", Error, "curriculum has more files or bytes than the limit";

    /// ## What it checks
    /// The file is not well-formed YAML.
    ///
    /// ## Why
    /// Nothing else can be checked until the YAML parses.
    ///
    /// ## Example
    /// ```yaml
    /// competencies:
    ///   - id: MTT-SAF-01
    ///    title: Shop safety   # indented one space less than `id`
    /// ```
    ///
    /// ## How to fix
    /// Fix the syntax at the position shown. Indent with spaces, never tabs; keep the
    /// keys of one mapping at the same indentation; quote text containing `: ` or `#`.
    YamlSyntax = "P001", "yaml-syntax", Error, "YAML syntax error";

    /// ## What it checks
    /// A mapping has the same key twice.
    ///
    /// ## Why
    /// Most YAML tools silently keep the last value, so one of the two is lost without
    /// anyone noticing. cib keeps the first and reports the second.
    ///
    /// ## Example
    /// ```yaml
    /// - id: CNC-MILL-04
    ///   hours: 6
    ///   hours: 8
    /// ```
    ///
    /// ## How to fix
    /// Delete one of the two entries, or rename the key that was meant.
    DuplicateKey = "P002", "duplicate-key", Error, "a mapping has the same key twice";

    /// ## What it checks
    /// Mappings and lists are nested more than 64 levels deep.
    ///
    /// ## Why
    /// No curriculum file needs that depth; unbounded nesting is a way to exhaust memory
    /// or the stack of tools that read the file.
    ///
    /// ## Example
    /// `[[[[[[ ... ]]]]]]` nested 100 000 times.
    ///
    /// ## How to fix
    /// Flatten the structure. Framework items nest by `items:`; even a deep framework
    /// needs only a handful of levels.
    NestingTooDeep = "P003", "nesting-too-deep", Error, "YAML nesting is deeper than the limit";

    /// ## What it checks
    /// A file has more than 1 000 000 YAML nodes (scalars, lists and mappings).
    ///
    /// ## Why
    /// It bounds the memory a single file can take; real framework files have a few
    /// thousand nodes.
    ///
    /// ## Example
    /// A list with millions of entries pasted by a script.
    ///
    /// ## How to fix
    /// Split the content into several files.
    TooManyNodes = "P004", "too-many-nodes", Error, "YAML document has more nodes than the limit";

    /// ## What it checks
    /// The file uses YAML anchors (`&name`), aliases (`*name`) or merge keys (`<<`).
    ///
    /// ## Why
    /// Aliases let a tiny file expand into gigabytes ("billion laughs"), and they hide
    /// content from reviewers reading a diff. Curriculum files spell everything out.
    ///
    /// ## Example
    /// ```yaml
    /// defaults: &d {hours: 2}
    /// competencies:
    ///   - <<: *d
    /// ```
    ///
    /// ## How to fix
    /// Write the repeated values out in full.
    YamlAlias = "P005", "yaml-alias", Error, "YAML anchors and aliases are not allowed";

    /// ## What it checks
    /// A value carries an explicit YAML tag such as `!!binary`, `!!str` or
    /// `!python/object`.
    ///
    /// ## Why
    /// Tags ask a loader to build arbitrary types, a classic route to code execution in
    /// other tools; curriculum data needs only text, numbers, lists and mappings.
    ///
    /// ## Example
    /// `hours: !!float 4`
    ///
    /// ## How to fix
    /// Remove the tag. To force text, quote the value: `version: "1.10"`.
    YamlTag = "P006", "yaml-tag", Error, "YAML tags are not allowed";

    /// ## What it checks
    /// A YAML file, or a lesson's front matter, holds no data: it is empty or only
    /// comments.
    ///
    /// ## Why
    /// An empty file is usually an unfinished or accidentally truncated one.
    ///
    /// ## Example
    /// A `frameworks/osha.yaml` containing only its `# yaml-language-server` line.
    ///
    /// ## How to fix
    /// Fill in the file, or delete it.
    EmptyDocument = "P007", "empty-document", Error, "file holds no data";

    /// ## What it checks
    /// A file holds more than one YAML document (separated by `---`).
    ///
    /// ## Why
    /// Each file is exactly one framework, one curriculum or one lesson's front matter;
    /// a second document would be ignored by other tools.
    ///
    /// ## Example
    /// ```yaml
    /// id: dese-vmach
    /// ---
    /// id: macwic
    /// ```
    ///
    /// ## How to fix
    /// Move each document to its own file.
    MultipleDocuments = "P008", "multiple-documents", Error, "file holds more than one YAML document";

    /// ## What it checks
    /// A mapping key is itself a list or a mapping (`? [a, b]: c`).
    ///
    /// ## Why
    /// Keys in curriculum files are names; complex keys have no meaning in JSON or in
    /// the schemas.
    ///
    /// ## Example
    /// `? [MTT-SAF-01, MTT-SAF-02] : prerequisite`
    ///
    /// ## How to fix
    /// Use a plain text key.
    ComplexKey = "P009", "complex-key", Error, "mapping key is not plain text";

    /// ## What it checks
    /// A Markdown file under `lessons/` does not start with YAML front matter.
    ///
    /// ## Why
    /// A lesson's id, title, duration and competencies live in its front matter; without
    /// it the lesson cannot be aligned, timed or bundled.
    ///
    /// ## Example
    /// A lesson that starts with `# Facing on the lathe` instead of `---`.
    ///
    /// ## How to fix
    /// Start the file with a line `---`, the front matter, and another line `---`:
    /// ```markdown
    /// ---
    /// id: mtt-lathe-facing
    /// title: Facing on the lathe
    /// duration: 90
    /// teaches: [MTT-LATHE-02]
    /// ---
    /// # Facing on the lathe
    /// ```
    MissingFrontMatter = "P010", "missing-front-matter", Error, "lesson has no front matter";

    /// ## What it checks
    /// A lesson's front matter opens with `---` but never closes.
    ///
    /// ## Why
    /// Without the closing line the whole lesson would be read as YAML.
    ///
    /// ## Example
    /// A lesson whose second `---` line was deleted.
    ///
    /// ## How to fix
    /// Add a line containing only `---` after the last front-matter key.
    UnterminatedFrontMatter = "P011", "unterminated-front-matter", Error, "lesson front matter is not closed";

    /// ## What it checks
    /// A file does not match its JSON Schema (in `schemas/`): a missing or unknown
    /// property, a value of the wrong type, a code that does not match its pattern, a
    /// value outside its allowed list. Every violation in a file is reported, each at
    /// the offending node.
    ///
    /// ## Why
    /// Every later stage (coverage, rendering, bundles) relies on the data having the
    /// documented shape. The same schemas drive completion and hover help in editors
    /// through the `# yaml-language-server: $schema=` first line.
    ///
    /// ## Example
    /// ```yaml
    /// alignments:
    ///   - target: dese-vmach:1.B.04a
    ///     relation: isPartof   # must be exactMatchOf, isPartOf, hasPart or isRelatedTo
    /// ```
    ///
    /// ## How to fix
    /// Follow the message and hint; the schema's description of the property is shown
    /// when it has one. Version numbers and codes are text: quote them (`"1.10"`), or
    /// YAML reads them as numbers.
    SchemaViolation = "S001", "schema-violation", Error, "file does not match its schema";

    /// ## What it checks
    /// A YAML file does not start with the `# yaml-language-server: $schema=...` line
    /// naming the schema for its kind, or names the wrong schema.
    ///
    /// ## Why
    /// That line makes editors with the YAML language server validate and complete the
    /// file while it is typed, before cib ever runs.
    ///
    /// ## Example
    /// `competencies/cnc-mill.yaml` starting directly with `id: cnc-mill`.
    ///
    /// ## How to fix
    /// Add the line shown in the hint as the first line of the file.
    SchemaModeline = "S002", "schema-modeline", Warning, "file does not name its schema on its first line";

    /// ## What it checks
    /// Two things that must be unique share an id: competencies (across all competency
    /// frameworks), lessons, frameworks, bundles, item codes within a framework, and
    /// question ids within a lesson.
    ///
    /// ## Why
    /// References by id must lead to exactly one place, or alignments and coverage
    /// become ambiguous.
    ///
    /// ## Example
    /// `MTT-SAF-01` defined in both `machine-tool-technology.yaml` and `osha-10.yaml`.
    ///
    /// ## How to fix
    /// Rename one of them and update the references to it.
    DuplicateId = "R001", "duplicate-id", Error, "id is defined more than once";

    /// ## What it checks
    /// A reference to a competency, lesson, assessment, framework, framework item or
    /// scale does not resolve: a competency's prerequisite, a framework item's
    /// association (`to`) within its framework, a bundle's lessons,
    /// assessments or frameworks, a coverage threshold's framework or item, an
    /// assessment's prerequisite lessons or rubric scale, a scoring note's criterion,
    /// the scale of `records`.
    ///
    /// ## Why
    /// A dangling reference is a broken promise: a prerequisite that does not exist
    /// cannot be taught first.
    ///
    /// ## Example
    /// `prerequisites: [MTT-SAF-1]` where the competency is `MTT-SAF-01`.
    ///
    /// ## How to fix
    /// Correct the id (the hint suggests the closest existing one) or add what it refers
    /// to.
    UnresolvedReference = "R002", "unresolved-reference", Error, "reference does not resolve";

    /// ## What it checks
    /// Competency prerequisites form a cycle.
    ///
    /// ## Why
    /// A cycle means no competency in it can ever be taught first; sequencing and
    /// pacing guides become impossible.
    ///
    /// ## Example
    /// `MTT-LATHE-02` requires `MTT-LATHE-03`, which requires `MTT-LATHE-02`.
    ///
    /// ## How to fix
    /// Remove the prerequisite that points backwards; the message lists the whole cycle.
    PrerequisiteCycle = "R003", "prerequisite-cycle", Error, "prerequisites form a cycle";

    /// ## What it checks
    /// A competency's alignment target `framework-id:code` names a framework that is not
    /// in `frameworks/`, or a code that framework does not have.
    ///
    /// ## Why
    /// Alignments are what auditors read: each must point at a real DESE standard,
    /// MACWIC objective or OSHA topic.
    ///
    /// ## Example
    /// `target: dese-vmach:1.B.4a` where the item is `1.B.04a`.
    ///
    /// ## How to fix
    /// Correct the framework id or code (the hint suggests the closest), or add the item
    /// to the external framework with its source and verification status.
    UnknownAlignmentTarget = "R004", "unknown-alignment-target", Error, "alignment target is not in frameworks/";

    /// ## What it checks
    /// A lesson teaches or assesses, or an assessment demonstrates, a competency id
    /// that no competency framework defines.
    ///
    /// ## Why
    /// Coverage counts lessons and assessments through their competencies; an unknown
    /// id makes them invisible to auditors.
    ///
    /// ## Example
    /// `teaches: [CNC-MILL-4]` where the competency is `CNC-MILL-04`.
    ///
    /// ## How to fix
    /// Correct the id, or add the competency to a framework under `competencies/`.
    UnknownLessonCompetency = "R005", "unknown-lesson-competency", Error, "a lesson or assessment names an unknown competency";

    /// ## What it checks
    /// A competency is taught by no lesson.
    ///
    /// ## Why
    /// Competencies without lessons are gaps that coverage reports will show to
    /// auditors.
    ///
    /// ## Example
    /// `CNC-LATHE-12` is defined but no lesson lists it under `teaches`.
    ///
    /// ## How to fix
    /// Add the competency to a lesson's `teaches`, write a lesson for it, or remove it.
    /// A competency taught later or elsewhere on purpose (next year, at a partner
    /// college) gets `deferred: {reason: …, until: …}`, which coverage reports show.
    UntaughtCompetency = "R006", "untaught-competency", Warning, "no lesson teaches this competency";
    /// ## What it checks
    /// A competency's `level`, or a level in a bundle's `levels`, is not on the
    /// curriculum's competency level scale: the names `competency_levels` in
    /// curriculum.yaml lists, lowest first, or DESE's four (`basic`, `essential`,
    /// `advanced`, `advanced-plus`) when it lists none.
    ///
    /// ## Why
    /// Bundles select lessons by level, the catalog lists a bundle's levels in the
    /// scale's order, and reports group by them: a level off the scale is a
    /// competency no level filter finds.
    ///
    /// ## Example
    /// ```yaml
    /// # curriculum.yaml
    /// competency_levels: [Level I, Level II, Level III]
    /// # competencies/welding.yaml
    ///   - id: WLD-GMAW-01
    ///     level: Level 1       # the scale writes Roman numerals
    /// ```
    ///
    /// ## How to fix
    /// Use a level of the scale as written, or add the level to `competency_levels`.
    UnknownLevel = "R007", "unknown-level", Error, "a level is not on the curriculum's scale";

    /// ## What it checks
    /// A competency's statement is empty or only white space.
    ///
    /// ## Why
    /// The statement is what a student must be able to do; without it the competency
    /// cannot be assessed or audited.
    ///
    /// ## Example
    /// `statement: ""`
    ///
    /// ## How to fix
    /// Write an assessable statement: an action verb, the conditions, and the standard
    /// (for example "Measure an outside diameter to ±0.001 in with a micrometer").
    EmptyStatement = "C001", "empty-statement", Warning, "competency statement is empty";

    /// ## What it checks
    /// A lesson's instructor `answer_key` and its `questions` do not match: a question
    /// has no answer, or an answer names no question.
    ///
    /// ## Why
    /// Answers live only in the instructor part of a lesson, so that student handouts
    /// can never contain them; they are tied to questions by id.
    ///
    /// ## Example
    /// ```yaml
    /// questions:
    ///   - id: q1
    ///     prompt: To what internal temperature must chicken be cooked?
    /// instructor:
    ///   answer_key:
    ///     q2: 165 °F (74 °C)
    /// ```
    ///
    /// ## How to fix
    /// Give every question exactly one answer under `instructor.answer_key`, keyed by
    /// the question's id.
    AnswerKeyMismatch = "C002", "answer-key-mismatch", Error, "questions and answer key do not match";
    /// ## What it checks
    /// A calculation a lesson declares under `calculations:` gives an answer that is
    /// further from the exact result than its stated `tolerance`. cib recomputes it
    /// with units: from a named formula (`kind:`) of the curriculum's `formulas.yaml`
    /// or a built-in one, or from the calculation's own `expression:`, `unit:` and
    /// inputs written with units. The built-in formulas:
    ///
    /// | kind | formula |
    /// | --- | --- |
    /// | `spindle-rpm` | 12 × SFM / (π × D), D in inches |
    /// | `spindle-rpm-metric` | 1000 × Vc / (π × D), Vc in m/min, D in mm |
    /// | `surface-speed` | RPM × π × D / 12 |
    /// | `feed-rate` | RPM × flutes × chip load (in/min) |
    /// | `feed-per-rev` | IPM / RPM |
    /// | `feed-from-ipr` | RPM × feed per revolution (in/min), a turning tool's feed |
    /// | `thread-feed` | RPM × lead (in/min), tapping and single-point threading |
    /// | `cutting-time` | length / IPM (minutes) |
    /// | `inch-to-mm` / `mm-to-inch` | × 25.4 / ÷ 25.4 |
    /// | `upper-limit` / `lower-limit` | nominal + plus / nominal − minus |
    /// | `taper-per-foot` | (D − d) × 12 / L |
    ///
    /// ## Why
    /// Students copy worked examples into their notebooks and onto the job: a wrong
    /// heat input on a welding procedure, a wrong oven temperature in a recipe or a
    /// wrong tolerance limit in a printed lesson is a safety and quality problem
    /// that no proofreader reliably catches.
    ///
    /// ## Example
    /// ```yaml
    /// # formulas.yaml
    /// formulas:
    ///   - name: heat-input
    ///     title: Arc heat input
    ///     inputs: {voltage: V, current: A, travel_speed: in/min}
    ///     expression: voltage * current / travel_speed
    ///     unit: kJ/in
    /// # a lesson's front matter
    /// calculations:
    ///   - id: root-pass
    ///     kind: heat-input
    ///     inputs: {voltage: 22, current: 130, travel_speed: 6}
    ///     answer: 2.86       # a slipped decimal: the exact result is 28.6 kJ/in
    ///     tolerance: 0.05
    ///   - id: argon-hours
    ///     expression: volume / flow
    ///     inputs: {volume: 330 ft^3, flow: 25 cfh}
    ///     unit: h
    ///     answer: 13.2
    ///     tolerance: 0.05
    /// ```
    ///
    /// ## How to fix
    /// Correct the answer (and the lesson text that shows it), or, when the lesson
    /// deliberately uses a shortcut or rounds, widen `tolerance` and say so in `note`.
    WrongCalculation = "C003", "wrong-calculation", Error, "a declared calculation gives the wrong answer";

    /// ## What it checks
    /// A fenced ```gcode block in a lesson is not a well-formed program for the
    /// lesson's declared `control` (`fanuc-mill` or `fanuc-lathe`): every word must be
    /// an address letter followed by a number, G and M words must be codes the control
    /// knows, comments must close, a feed (F) must be set before the first G01, G02 or
    /// G03, and a spindle speed (S) before M03 or M04. A lesson with G-code must declare
    /// its `control`.
    ///
    /// ## Why
    /// Students type these programs into real machines. A typo such as `G1O` (letter O
    /// for zero) or a cut with no feed stops the control at best and crashes a tool at
    /// worst; a code from another control's dialect teaches the wrong habit.
    ///
    /// ## Example
    /// ```gcode
    /// G90 G54 G00 X0 Y0
    /// S1200 M03
    /// G01 Z-0.1        (no F yet: the control has no feed to cut at)
    /// ```
    ///
    /// ## How to fix
    /// Fix the word the diagnostic points at; give the first cutting move a feed
    /// (`G01 Z-0.1 F5.0`); set `control:` in the front matter. Blocks meant as
    /// fragments rather than programs can use another info string, such as `text`.
    InvalidGcode = "C004", "invalid-gcode", Error, "a G-code block is not a valid program for its control";

    /// ## What it checks
    /// A competency framework that declares `delivers: <framework>` does not meet that
    /// framework's delivery requirements: the hours of its competencies, counted toward
    /// the items they align to (a competency aligned to several items of the delivered
    /// framework splits its hours evenly among them), must reach each required item's
    /// `hours`, each topic group's minimum hours, topic count and hours per topic, and
    /// the total.
    ///
    /// ## Why
    /// OSHA issues 10-hour cards only for classes that give every mandatory topic its
    /// minimum time and teach enough electives; a course plan that falls short costs
    /// students their card.
    ///
    /// ## Example
    /// `osha-10.yaml` gives Electrical (M4) 0.5 h; OSHA requires at least 1 h.
    ///
    /// ## How to fix
    /// Raise the hours of the competencies aligned to the item, or add a competency
    /// for it; the message names the item, the hours found and the hours required.
    DeliveryHours = "C005", "delivery-hours", Error, "a course does not meet its framework's hour requirements";
    /// ## What it checks
    /// The minutes of a lesson's instructor `procedure` add up to more than its
    /// `duration`.
    ///
    /// ## Why
    /// The procedure is the substitute teacher's plan: if its steps cannot fit the
    /// period, the check for understanding and clean-up are what get cut.
    ///
    /// ## Example
    /// `duration: 45` with procedure steps of 10, 20 and 25 minutes (55 in all).
    ///
    /// ## How to fix
    /// Shorten steps, move one to another lesson, or correct the duration.
    ProcedureOverrun = "C006", "procedure-overrun", Warning, "procedure is longer than the lesson";
    /// ## What it checks
    /// An image in a lesson has no alt text (`![](diagram.svg)`), or its file does not
    /// exist next to the lesson (or, for `/assets/…`, in the curriculum's shared
    /// `assets/` folder); a misspelt name gets the file it likely meant.
    ///
    /// ## Why
    /// Lesson PDFs are built to PDF/UA-1, the accessibility standard public schools
    /// must meet: a screen reader reads the alt text in place of the picture, and the
    /// PDF cannot be made without it. A missing file would fail the build instead of
    /// the check.
    ///
    /// ## Example
    /// `![](cnc-mill-axes.svg)` or `![](fillet-weld.svg)` — no description.
    ///
    /// ## How to fix
    /// Describe what the image shows for a reader who cannot see it:
    /// `![Top and front views of the vise-held part with the X, Y and Z axes and the
    /// X0 Y0 Z0 origin at its front-left top corner](cnc-mill-axes.svg)`, `![Cross-section
    /// of a fillet weld joining two plates at a right angle, with the legs, throat,
    /// face, toes and root labelled](fillet-weld.svg)`, and check the file name.
    ImageAltText = "C007", "image-alt-text", Error, "image without alt text or file";
    /// ## What it checks
    /// Every image in a lesson names a file inside the lesson's folder, written as a
    /// relative path with `/` between folders, or a file of the curriculum's shared
    /// `assets/` folder, written `/assets/…`: no `..`, no other absolute or Windows drive
    /// path, no `\`, no address such as `https://` or `file:`, and no symbolic link
    /// that leads outside the curriculum. Every link is a web address (`http:`,
    /// `https:`) or an e-mail address (`mailto:`, or `<name@example.org>`). This covers
    /// the lesson text and every Markdown field of its front matter.
    ///
    /// ## Why
    /// Lessons come from many authors, and the PDFs go to students. An image path
    /// that reaches outside the curriculum could print a file from the machine that
    /// builds it (`../../../etc/passwd`, `C:\Users\…`); an image address would make the
    /// build depend on the network; a `file:` or `javascript:` link in a PDF is a trap
    /// for whoever clicks it, and a relative link leads nowhere once the PDF is
    /// downloaded. typst itself is also kept inside the curriculum folder, so this
    /// check is the clear message, not the only guard.
    ///
    /// ## Example
    /// `![Lug nut tightening pattern](../../shared/lug-pattern.png)` or
    /// `[the spreadsheet](file:///S:/shop/feeds.xlsx)`.
    ///
    /// ## How to fix
    /// Copy the image into the lesson's folder (or a folder below it) and write its
    /// relative path: `![Vise with the part seated on parallels](vise.png)`. An image
    /// several lessons share goes in the curriculum's `assets/` folder:
    /// `![Star pattern for tightening five lug nuts](/assets/lug-pattern.png)`. Link to
    /// web pages by their `https://` address; mention other lessons by title.
    UnsafePath = "C008", "unsafe-path", Error, "image or link leaves the curriculum";
    /// ## What it checks
    /// Every image a lesson embeds is a file typst can print: its name ends in
    /// `.png`, `.jpg`/`.jpeg`, `.gif`, `.webp` or `.svg`; its first bytes say it is
    /// that format; it is at most 8 MiB; and a raster image is at most 10 000 pixels
    /// a side and 40 megapixels in all. Only the file's header is read.
    ///
    /// ## Why
    /// A renamed or damaged picture would only fail at `cib build`, after minutes of
    /// typesetting. A huge picture is decoded whole into memory (a 20 000 × 20 000
    /// PNG of a few kilobytes unpacks to 1.6 GB), which could stop the build on a
    /// school's machine; nothing printed on a letter page needs that many pixels.
    ///
    /// ## Example
    /// `![Vise](vise.png)` where `vise.png` is really a JPEG, a Word document, or a
    /// 12 000-pixel-wide scan.
    ///
    /// ## How to fix
    /// Re-export the image as PNG, JPEG or SVG with the matching name, at most
    /// about 2 500 pixels across (300 dpi across a letter page).
    ImageFile = "C009", "image-file", Error, "image file is not a picture cib can print";
    /// ## What it checks
    /// Every character of a lesson (title, text and front-matter fields), of a
    /// competency's title and statement, and of a framework item's title is in
    /// one of the fonts cib embeds: Libertinus Serif, New Computer Modern and
    /// DejaVu Sans Mono, which cover the Latin, Greek and Cyrillic alphabets,
    /// mathematical symbols and common signs such as `°`, `±`, `Ø` and `≤`.
    ///
    /// ## Why
    /// cib prints with its own fonts only, so a PDF looks the same on every
    /// machine. A tagged PDF (PDF/UA) may not contain text that no font can
    /// show, so typst would refuse the whole lesson and every bundle holding it.
    ///
    /// ## Example
    /// A lesson copied from a web page with an emoji (`⚠️ Wear safety glasses`) or
    /// a character of a script no embedded font covers.
    ///
    /// ## How to fix
    /// Replace the character with words or a character the fonts have
    /// (`Warning: wear safety glasses`); for a symbol, use an SVG image with alt text.
    UnprintableCharacter = "C010", "unprintable-character", Error, "text holds a character no embedded font has";
    /// ## What it checks
    /// A rubric's levels do not fit together: the rubric names no scale (give
    /// `scale:`, a scale of curriculum.yaml, or `levels:` of its own) or both; a
    /// criterion lacks a descriptor for a level of the scale, or has one for a level
    /// the scale does not have; the passing standard names a level the scale lacks,
    /// or asks for more points than the rubric can give, or counts points on a scale
    /// whose levels have none.
    ///
    /// ## Why
    /// A rubric is a promise to students of how they will be judged. An empty cell
    /// leaves a level undefined, so two instructors score the same work differently;
    /// a passing standard nobody can reach fails everyone.
    ///
    /// ## Example
    /// ```yaml
    /// rubric:
    ///   scale: four-level          # exceeds, meets, approaching, beginning
    ///   passing: {level: meets}
    ///   criteria:
    ///     - id: diameters
    ///       levels:
    ///         exceeds: Both diameters in the middle half of the tolerance.
    ///         meets: Both diameters within ±0.002 in.
    ///         # approaching and beginning are missing
    /// ```
    ///
    /// ## How to fix
    /// Write a descriptor for every level of the scale (what the work looks like at
    /// that level), use the level ids the scale defines, and set a passing standard
    /// the rubric can reach.
    RubricLevels = "C011", "rubric-levels", Error, "a rubric's levels, descriptors or passing standard do not fit its scale";
    /// ## What it checks
    /// A rubric criterion is tied to a competency the assessment does not list under
    /// `demonstrates`, or names a performance criterion (`criterion: N`) that the
    /// competency does not have.
    ///
    /// ## Why
    /// Coverage reports which competencies an assessment evidences from its
    /// `demonstrates` list, and the rubric is what backs that claim. A row evidencing
    /// something the assessment does not claim is lost to the reports; a criterion
    /// number past the competency's list points at nothing.
    ///
    /// ## Example
    /// `demonstrates: [MTT-LATHE-03]` and a criterion with `competency: MTT-LATHE-04`.
    ///
    /// ## How to fix
    /// Add the competency to `demonstrates`, tie the criterion to a claimed
    /// competency, or correct the criterion number (criteria count from 1).
    CriterionCompetency = "C012", "criterion-competency", Error, "a rubric criterion is tied to a competency the assessment does not claim";
    /// ## What it checks
    /// An assessment claims to demonstrate a competency, but no rubric criterion is
    /// tied to it.
    ///
    /// ## Why
    /// An auditor asks "where is the evidence?". A competency that is claimed but never
    /// scored has none: the rubric must judge every competency the assessment claims.
    ///
    /// ## Example
    /// `demonstrates: [MTT-LATHE-03, MTT-LATHE-04]`, and every criterion has
    /// `competency: MTT-LATHE-03`.
    ///
    /// ## How to fix
    /// Add a criterion for the competency, or remove it from `demonstrates`.
    UnevidencedCompetency = "C013", "unevidenced-competency", Error, "a claimed competency has no rubric criterion";
    /// ## What it checks
    /// A measured feature of a rubric (a row of the inspection sheet) has no usable
    /// limits: a tolerance cib cannot read, an upper deviation not above the lower one
    /// (`-0.002/+0.001`), `min` not below `max`, a nominal without a tolerance, a
    /// tolerance without a nominal, or both a tolerance and limits.
    ///
    /// ## Why
    /// The inspection sheet prints each feature's limits for the student to judge "in"
    /// or "out"; limits that are wrong on the sheet pass bad parts and fail good ones.
    ///
    /// ## Example
    /// ```yaml
    /// measured:
    ///   - feature: Ø0.875 step
    ///     nominal: "0.875"
    ///     tolerance: "-0.002/+0.001"    # upper and lower swapped
    /// ```
    ///
    /// ## How to fix
    /// Write `±0.002`, or the upper then the lower deviation (`+0.001/-0.002`), or the
    /// limits as `min:` and `max:` (one alone for a one-sided limit such as a surface
    /// finish).
    MeasuredLimits = "C014", "measured-limits", Error, "a measured feature's tolerance is malformed or its limits inverted";
    /// ## What it checks
    /// An assessment's times do not add up: `machine_time` is longer than `duration`;
    /// the minutes of its `schedule` steps do not add up to `duration`; or the minutes
    /// of the steps that name a `machine` do not add up to `machine_time`.
    ///
    /// ## Why
    /// Instructors plan a class of twenty through four lathes from these numbers. A
    /// machine time that does not match the steps books the machines wrongly.
    ///
    /// ## Example
    /// `duration: 180` with schedule steps of 15, 140 and 15 minutes (170).
    ///
    /// ## How to fix
    /// Correct the step minutes, the `duration` or the `machine_time` so they agree.
    AssessmentTime = "C015", "assessment-time", Error, "an assessment's duration, machine time and schedule do not add up";
    /// ## What it checks
    /// A competency marked `hands_on: true` is demonstrated by no performance
    /// assessment (an assessment with `performance` evidence whose rubric has a
    /// criterion tied to it).
    ///
    /// ## Why
    /// For a skill shown by doing it (turn a diameter to ±0.001 in, pass a guided
    /// bend test, take a blood pressure), a written question is not evidence, and an
    /// auditor will say so. This lists the hands-on competencies still waiting for a
    /// practical test.
    ///
    /// ## Example
    /// `MTT-GRIND-03` is `hands_on: true`, and no assessment under `assessments/`
    /// demonstrates it.
    ///
    /// ## How to fix
    /// Add the competency to a performance assessment's `demonstrates` with a rubric
    /// criterion for it, or write a new assessment (docs/assessments.md). If the
    /// competency is not in fact a hands-on skill, remove `hands_on`.
    UndemonstratedSkill = "C016", "undemonstrated-skill", Warning, "a hands-on competency is demonstrated by no performance assessment";
    /// ## What it checks
    /// A lesson's text has a heading named like a section the lesson layout
    /// prints from front matter: Objectives, Safety, Materials, Alignment,
    /// Procedure, Instructor notes, Lesson, Check your understanding or Answer
    /// key.
    ///
    /// ## Why
    /// The layout already prints that section (the questions, for instance, on
    /// the student's question sheet), so the handout would show it twice, once
    /// with nothing in it a student can use.
    ///
    /// ## Example
    /// ```markdown
    /// ## Check your understanding
    ///
    /// Answer the questions on the question sheet.
    /// ```
    ///
    /// ## How to fix
    /// Remove the section. Put what it says into the front matter the layout
    /// prints it from (`questions`, `objectives`, `materials`, `safety`, the
    /// `instructor` fields), or rename the heading if it is about something else.
    RepeatedSection = "C017", "repeated-section", Warning, "a lesson's text repeats a section its layout prints";
    /// ## What it checks
    /// What a student reads in a lesson (its text, objectives, materials, safety
    /// notes and questions) names class paperwork, such as a "recording sheet",
    /// a "task card" or a "worksheet", that the build does not make. The
    /// paperwork cib prints counts as made: the lesson's question sheet (when it
    /// has questions) and the task and score sheets of an assessment that
    /// demonstrates a competency the lesson teaches. So does a section of the
    /// lesson whose heading names it ("## Station recording sheet"). Real-world
    /// documents (a Safety Data Sheet, the machine's manual) are not reported.
    ///
    /// ## Why
    /// A student sent to a sheet nobody printed is stuck, and so is the teacher
    /// who has to make one up before class.
    ///
    /// ## Example
    /// "Record your three readings on the recording sheet." in a lesson with no
    /// section of that name.
    ///
    /// ## How to fix
    /// Point to what exists ("in the table under *Your readings*"), give the
    /// lesson a section headed with the name, or, if the instructor hands out
    /// their own sheet, say so in `instructor.materials` and reword the student
    /// text.
    MissingSheet = "C018", "missing-sheet", Warning, "students are sent to a sheet or card the build does not make";
    /// ## What it checks
    /// Every coverage exception in curriculum.yaml (`coverage.exceptions`)
    /// gives a reason, and none takes out an item its owner requires (an item
    /// marked `required: true`, such as an OSHA 10-hour mandatory topic) or one
    /// with a required item below it.
    ///
    /// ## Why
    /// An exception takes an item out of the gap count of a report an auditor
    /// signs. Without a reason it is an unexplained gap that no longer shows;
    /// on a required item it hides what no program may leave out.
    ///
    /// ## Example
    /// `{framework: osha-10-gi, item: M3, status: not-applicable}`: M3 is
    /// mandatory, and there is no `reason`.
    ///
    /// ## How to fix
    /// Write the reason an auditor can check (the rule or decision that allows
    /// it). For a required item, remove the exception and teach the item: the
    /// report then shows the gap until a lesson covers it.
    CoverageException = "C019", "coverage-exception", Error, "a coverage exception has no reason or hides a required item";
    /// ## What it checks
    /// A coverage exception is written on an item that a competency covers (it
    /// is the same as the item or a part of it, or of an item below it).
    ///
    /// ## Why
    /// Either the exception is out of date, or the alignment is wrong; either
    /// way the report says the item is left out on purpose while the
    /// curriculum teaches it.
    ///
    /// ## Example
    /// OSHA elective E4 marked `elective-not-selected` while a competency is
    /// aligned to `osha-10-gi:E4` with `exactMatchOf`.
    ///
    /// ## How to fix
    /// Remove the exception if the item is now taught, or correct the
    /// alignment.
    CoveredException = "C020", "covered-exception", Warning, "a coverage exception is on an item the curriculum covers";
    /// ## What it checks
    /// A coverage threshold with `min_hours: required` names a framework or item
    /// whose owner requires hours: the item's `hours`, or the framework's
    /// `hours` or `requirements.total_hours`.
    ///
    /// ## Why
    /// With nothing required there is nothing to compare the planned hours
    /// with, and a threshold that can never fail is no threshold.
    ///
    /// ## Example
    /// `{framework: nims-machining-1, min_hours: required}` when the NIMS file
    /// states no hours.
    ///
    /// ## How to fix
    /// Give the number of hours (`min_hours: 120`), or record the owner's hours
    /// in the framework file.
    HoursThreshold = "C021", "hours-threshold", Error, "a threshold asks for the required hours of something that requires none";
    /// ## What it checks
    /// With a shop profile in curriculum.yaml (`shop.students`, and
    /// `shop.machines`: how many of each machine or station), every lesson's
    /// `machine_time` fits its duration: one turn of `minutes` for each
    /// student (or each `group` sharing a machine) must fit on the shop's
    /// machines of that kind, which give `machines × sessions × ⌊period ÷
    /// minutes⌋` turns, a period being `duration ÷ sessions`: a turn does not
    /// run on into the next period. Also reported: a lesson naming a machine
    /// the profile does not list.
    ///
    /// ## Why
    /// A plan that gives every student forty minutes on one of two CNC mills
    /// in a ninety-minute period is a plan for two students. The instructor
    /// finds out in front of the class.
    ///
    /// ## Example
    /// `shop: {students: 18, machines: {cnc-mill: 2}}` and a 90-minute lesson
    /// with `machine_time: [{machine: cnc-mill, minutes: 20}]`: 8 turns fit, 18
    /// are needed, so it takes 3 periods: `duration: 270` with `sessions: 3`. Or a
    /// welding shop, `machines: {welding-booth: 6}`, and 40-minute turns: 12 fit in
    /// 90 minutes, so 18 students take `duration: 180` with `sessions: 2`.
    ///
    /// ## How to fix
    /// Plan the rotation in the lesson (what the others do meanwhile) and give
    /// it the periods it needs (`duration` in all and `sessions`), let students share a machine
    /// (`group: 2`), shorten each turn, or correct the shop profile.
    MachineCapacity = "C022", "machine-capacity", Warning, "a lesson's machine time does not fit the shop's machines";
    /// ## What it checks
    /// In a lesson that states `spindle_limit` (the highest spindle speed its
    /// setup allows, rev/min), every spindle speed its ```gcode blocks command:
    /// an `S` in rev/min (G97 on a lathe, any `S` on a mill) and a lathe's
    /// `G50 S` clamp must not exceed it, and a whole program (one that starts
    /// with its O number) must set a clamp within it before it runs constant
    /// surface speed (G96), whose `S` is a surface speed, not a spindle speed.
    ///
    /// ## Why
    /// A chuck, a long bar or a small machine sets the fastest safe speed. A
    /// program that asks for more throws work or jaws; a G96 cut facing to the
    /// center with no clamp runs up to the machine's maximum.
    ///
    /// ## Example
    /// `spindle_limit: 3000` and `G97 S3056 M03` for a drill, or `G96 S600 M03`
    /// with no `G50 S3000` before it.
    ///
    /// ## How to fix
    /// Lower the speed (and the feed with it, to keep the chip load), set the
    /// clamp before G96, or correct `spindle_limit` if the setup allows more.
    SpindleLimit = "C023", "spindle-limit", Error, "a program's spindle speed exceeds the lesson's setup limit";
    /// ## What it checks
    /// A declared calculation with `rounding: down` must state an answer no
    /// larger than the exact result; with `rounding: up`, no smaller.
    ///
    /// ## Why
    /// A converted tolerance rounded up is wider than the print; an inch
    /// upper limit rounded up passes a part the metric print rejects. The
    /// answer is still within C003's tolerance, so only its direction tells.
    ///
    /// ## Example
    /// `{kind: mm-to-inch, inputs: {millimetres: 0.05}, answer: 0.0020,
    /// tolerance: 0.0001, rounding: down}`: 0.05 mm is 0.001969 in, so rounded
    /// down to four places it is 0.0019. Or `{expression: volume / flow, inputs:
    /// {volume: 330 ft^3, flow: 35 cfh}, unit: h, answer: 9.5, tolerance: 0.1,
    /// rounding: down}`: the cylinder lasts 9.43 h, so rounded down it is 9.4.
    ///
    /// ## How to fix
    /// Correct the answer and the text that shows it, or the `rounding` if
    /// the lesson rounds the other way.
    RoundingDirection = "C024", "rounding-direction", Error, "an answer is rounded the other way than the lesson says";
    /// ## What it checks
    /// Text that `cib init` and `cib new` write for the author to replace: a
    /// whole value, list item or line that starts "Replace with" or "Replace
    /// this with". The same words inside a sentence are the author's own and
    /// are left alone, as are YAML comments.
    ///
    /// ## Why
    /// A placeholder checks clean as far as the schema is concerned, and then
    /// prints in a student's handout.
    ///
    /// ## Example
    /// ```yaml
    /// objectives:
    ///   - Replace with what a student can do by the end of the lesson.
    /// ```
    ///
    /// ## How to fix
    /// Write the real text. `cib check --deny warnings` fails until every one is
    /// gone: add it to the check step of the workflow `cib init` writes (a comment
    /// there marks the place) so that no placeholder reaches print.
    Placeholder = "C025", "placeholder", Warning, "template text left for the author to replace";
    /// ## What it checks
    /// A formula cib cannot evaluate, or whose units do not add up: a formula of
    /// `formulas.yaml` (checked on its own, every input at one of its unit), or a
    /// lesson's calculation — an unknown formula name, a missing or unknown input,
    /// an input whose unit is of the wrong kind, an answer unit of the wrong kind,
    /// an expression that names something that is not an input, a number, a unit
    /// or a function, or one that does not finish.
    ///
    /// ## Why
    /// A formula that cannot be evaluated checks nothing, and one whose units do
    /// not agree is wrong for every input: a student who copies it is wrong every
    /// time.
    ///
    /// ## Example
    /// ```yaml
    /// formulas:
    ///   - name: fillet-weight
    ///     inputs: {leg: in, length: in, density: lb/in^3}
    ///     expression: leg * length * density     # leg^2 / 2 is the area
    ///     unit: lb                               # in × in × lb/in^3 is lb/in
    /// ```
    ///
    /// ## How to fix
    /// Write the formula as physics, with units, and let cib convert: heat input
    /// is `voltage * current / travel_speed` in kJ/in, without the × 60 / 1000 of
    /// the hand formula. Units are SI and US customary as `in`, `ft`, `mm`, `lb`,
    /// `oz`, `kg`, `V`, `A`, `J`, `BTU`, `psi`, `kPa`, `°F`, `°C`, `min`, `h`,
    /// `gal`, `L`, `%`, `°` (angles), powers as `in^2`, plus `rpm`, `rev` and
    /// `cfh`/`scfh`.
    FormulaProblem = "C026", "formula-problem", Error, "a formula cannot be evaluated or its units do not add up";
    /// ## What it checks
    /// A bundle with `order: listed` puts a lesson before the lesson that teaches a
    /// competency it assesses, or one it requires (a prerequisite of what it
    /// teaches or assesses, however far down).
    ///
    /// ## Why
    /// Without `order: listed`, cib prints a bundle's lessons in teaching order:
    /// each after the lessons teaching what it needs, otherwise as listed. An
    /// author who fixes the order takes that on; a weld inspection lesson printed
    /// before the lesson where students make the welds it inspects confuses
    /// students and substitutes alike.
    ///
    /// ## Example
    /// ```yaml
    /// bundles:
    ///   - id: wld-fillet
    ///     order: listed
    ///     lessons: [visual-weld-inspection, fillet-welds-horizontal]
    /// ```
    ///
    /// ## How to fix
    /// Move the lesson after the one named, or drop `order: listed`.
    BundleOrder = "C027", "bundle-order", Warning, "a bundle lists a lesson before the lesson that teaches what it needs";
    /// ## What it checks
    /// That a lesson or an assessment is small enough to typeset within the
    /// build's bound of 1 GiB of memory and 30 seconds per document (SECURITY.md):
    /// at most 200 000 characters of text in all its texts (about 50 printed
    /// pages), 8 000 elements (paragraphs, list items, table cells, headings,
    /// emphasis, links, code spans, footnote marks), 300 footnotes, tables of at
    /// most 16 columns and 2 000 cells, and 30 megapixels of different raster
    /// images (three 10-megapixel phone photos). And that a bundle is small
    /// enough to join into one PDF: 25 000 elements in all its lessons and
    /// assessments, 32 MiB of different image files.
    ///
    /// ## Why
    /// typst holds a whole document in memory while it lays it out. Every lesson
    /// `cib check` accepts must build on a school laptop or a small CI runner;
    /// without limits, one pasted spreadsheet or a 6 MB text would take minutes
    /// and gigabytes. The largest real lesson is far inside them (24 000
    /// characters).
    ///
    /// ## Example
    /// A tap-drill chart pasted from a spreadsheet with 20 columns:
    /// ```markdown
    /// | size | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 |
    /// ```
    ///
    /// ## How to fix
    /// Split a long lesson into several (a bundle prints them as one unit);
    /// split wide or long tables, or give the full chart as a file students
    /// download; scale images down (2 500 pixels across fills a page) and save
    /// photos as JPEG. Split a large bundle by `levels`, or list its `lessons`.
    DocumentSize = "C028", "document-size", Error, "a lesson or assessment is too large to typeset within the build's bounds";
    /// ## What it checks
    /// `cib build` typesets every lesson and bundle with typst. This is reported when
    /// typst cannot produce a document, such as when an image file is damaged or is
    /// not the format its name says.
    ///
    /// ## Why
    /// A build either produces every document or changes nothing: the previous
    /// `build/` folder stays as it was, so instructors never download half a bundle.
    ///
    /// ## Example
    /// A lesson embeds `![Vise jaw](vise.png)`, but `vise.png` is a text file saved
    /// with the wrong name; typst says it cannot decode the image.
    ///
    /// ## How to fix
    /// Read typst's message after the lesson's name: re-export the image as PNG,
    /// JPEG or SVG, or fix the file it names. Run `cib build` again.
    RenderFailed = "B001", "render-failed", Error, "typst could not render a document";
    /// ## What it checks
    /// `cib import case` and `cib diff` read a CASE package into a framework. This
    /// is reported for a part of the package that a framework file cannot hold, and
    /// says what was done instead: a second item with an identifier already used,
    /// an `isChildOf` that starts or ends at no item of the package, a loop of
    /// parents, items nested deeper than 64 levels, an association that starts
    /// at no item of the framework; in a competency framework cib wrote, a second
    /// parent, and a prerequisite from no competency cib can name.
    /// The import's summary counts what was read, kept and not kept, by
    /// association type.
    ///
    /// ## Why
    /// A framework file is a tree of items with codes, each with its associations
    /// to other items and to nodes outside the framework (`associations:`); a CASE
    /// package is a graph that may hold more. The import keeps what fits and tells
    /// you what it left out, so nothing is dropped without a word.
    ///
    /// ## Example
    /// An `isChildOf` whose parent is in no package you have: the item is placed
    /// at the top of the framework, and the link is not kept.
    ///
    /// ## How to fix
    /// Usually nothing: check the imported file. If the package is wrong, ask its
    /// publisher for a corrected one, or edit the imported YAML.
    CaseImport = "X001", "case-import", Warning, "part of a CASE package could not be carried over";
    /// ## What it checks
    /// `cib import` of a competency framework whose competencies are aligned
    /// to external frameworks the curriculum does not have (no file under
    /// `frameworks/` with that id). Each missing framework is named once, at
    /// its first alignment.
    ///
    /// ## Why
    /// The import itself succeeds, but the next `cib check` reports every one
    /// of those alignments as unknown, and coverage cannot be computed for a
    /// framework that is not there.
    ///
    /// ## Example
    /// A program's competency package aligned to `dese-vmach` and
    /// `macwic-amtp`, imported into a new curriculum that has neither.
    ///
    /// ## How to fix
    /// Import the frameworks it aligns to as well (`cib import case` of their
    /// packages), or write their files under `frameworks/` with those ids.
    MissingFramework = "X003", "missing-framework", Warning, "imported competencies are aligned to frameworks the curriculum does not have";
    /// ## What it checks
    /// A CSV framework table (`cib import csv`, `cib diff`) has the layout
    /// docs/csv.md describes: a header row naming known columns, with `type`
    /// first; one `framework` row, then one row per item or competency.
    ///
    /// ## Why
    /// Spreadsheets move, rename and add columns freely; a column cib does not
    /// know is probably a typo of one it does, and its values would otherwise be
    /// lost without a word.
    ///
    /// ## Example
    /// ```csv
    /// type,id,title,statment
    /// ```
    /// `statment` is not a column of a competency table (`statement` is).
    ///
    /// ## How to fix
    /// Rename the column as shown, remove columns cib does not read, and keep the
    /// `framework` row first. `cib export csv` writes a table to start from.
    CsvTable = "X002", "csv-table", Error, "a CSV table does not have the documented layout";
    /// ## What it checks
    /// `cib import case` and `cib diff` of a CASE package in which a field is
    /// JSON `null`. CASE 1.1 gives no field a null value: a field is there
    /// with a value, or left out.
    ///
    /// ## Why
    /// Some CASE servers (1EdTech's OpenCASE among them) write every optional
    /// field, with `null` for the ones that have no value. The official schema
    /// refuses such a package, but what it means is plain, so cib reads each
    /// `null` as "not given" and says where it did so, once per field name.
    ///
    /// ## Example
    /// ```json
    /// "listEnumeration": null,
    /// ```
    ///
    /// ## How to fix
    /// Nothing is needed to import. A publisher can leave such fields out of
    /// the package; `cib export case` never writes one.
    CaseNull = "X004", "case-null", Warning, "a CASE package gives a field the value null";
    /// ## What it checks
    /// `cib import case` and `cib diff` of a CASE package with a time stamp
    /// (`lastChangeDateTime`, `statusStartDate` in date-time form) that has no
    /// time zone, such as `2017-05-25T18:05:33`.
    ///
    /// ## Why
    /// CASE 1.1 requires RFC 3339 date-times, which always name their offset
    /// from UTC. Early OpenSALT exports (2017) left it out. cib reads such a
    /// time as UTC and says where it did so: the hours may be off by the
    /// server's offset, the day rarely.
    ///
    /// ## Example
    /// ```json
    /// "lastChangeDateTime": "2017-05-25T18:05:33"
    /// ```
    ///
    /// ## How to fix
    /// Nothing is needed to import. A publisher's current export usually has
    /// the zone (`2017-05-25T18:05:33+00:00`).
    CaseTimeZone = "X005", "case-time-zone", Warning, "a CASE time stamp has no time zone";
    /// ## What it checks
    /// `cib import case` and `cib diff` of a CASE package with a number written
    /// as text where CASE wants a number (`"sequenceNumber": "1"`), or a number
    /// where it wants text (`"hierarchyCode": 1`).
    ///
    /// ## Why
    /// Some servers store every value as text. The meaning is plain when the
    /// text is exactly a number, so cib reads it as one and says where.
    ///
    /// ## Example
    /// ```json
    /// "sequenceNumber": "2"
    /// ```
    ///
    /// ## How to fix
    /// Nothing is needed to import. Text that is not a number where a number
    /// belongs is still refused (S001): ask the publisher for a corrected package.
    CaseValueType = "X006", "case-value-type", Warning, "a CASE value is text where a number belongs, or the reverse";
    /// ## What it checks
    /// `cib import case` and `cib diff` of a CASE package with fields that
    /// CASE 1.1 does not define for that object, such as `CFPackageURI` on the
    /// document and `CFDocumentURI` on items (CASE 1.0, as OpenSALT wrote it),
    /// or a misspelt `educationalLevel`.
    ///
    /// ## Why
    /// Packages written for CASE 1.0, or by servers with their own additions,
    /// carry fields the 1.1 schema refuses. They hold nothing cib keeps (links
    /// back to the package, or data under a name no reader knows), so cib
    /// leaves them out, once per field name with a count, rather than refusing
    /// the package.
    ///
    /// ## Example
    /// ```json
    /// "CFDocumentURI": "http://opensalt.example/uri/c5fb0a5c-..."
    /// ```
    ///
    /// ## How to fix
    /// Nothing is needed to import. If the field holds data you need (a
    /// misspelt `educationLevel`), ask the publisher to correct the package.
    CaseUnknownField = "X007", "case-unknown-field", Warning, "a CASE package has a field CASE 1.1 does not define";
    /// ## What it checks
    /// `cib import case` and `cib diff` of a CASE package whose text holds
    /// control characters (U+0000 to U+001F other than tab and line breaks,
    /// U+007F to U+009F).
    ///
    /// ## Why
    /// They are never meant: they come from text converted between encodings
    /// more than once (a U+0098 where an `≈` was). No font prints
    /// them, so a lesson or report that showed the text could not be built.
    /// cib removes them and says where.
    ///
    /// ## Example
    /// A statement of the Common Core mathematics package as opensalt.net
    /// serves it: `(1.15^(1/12))^(12t) ≈ 1.012^(12t)` with U+0098 in place of `≈`.
    ///
    /// ## How to fix
    /// Check the text against the publisher's document; correct the imported
    /// YAML if a character is missing.
    CaseControlCharacter = "X008", "case-control-character", Warning, "a CASE text holds control characters";
    /// ## What it checks
    /// `cib import case` of a package in which two items have the same
    /// `humanCodingScheme`.
    ///
    /// ## Why
    /// Alignments name an item as `<framework>:<code>`, so codes are unique in
    /// a framework file. Real packages repeat a code (a topic and the group of
    /// performance expectations under it). cib keeps both items: the later one
    /// gets the code followed by `~` and the start of its CASE identifier, and
    /// keeps the publisher's code in `case.code`, so an export gives the
    /// package's code back.
    ///
    /// ## Example
    /// Two items coded `3-5-ETS1`: the second becomes `3-5-ETS1~c6b2d7f4`.
    ///
    /// ## How to fix
    /// Nothing is needed. Align to the code the import gave (it is in the
    /// framework file) or rename it there; `case.code` keeps the publisher's.
    CaseRepeatedCode = "X009", "case-repeated-code", Warning, "two items of a CASE package have the same code";
}
