//! Stage 3: turn the loaded documents into one typed, immutable [`Curriculum`].
//!
//! Each document is deserialized from the same JSON value the schema saw (`Raw*`
//! types, tolerant of unknown `x-` keys), then given typed ids and spans looked up in
//! the document's [`SpanIndex`](crate::load::SpanIndex). Ids that must be unique are
//! checked here, because the indexes built here depend on it.

mod assessment;
mod raw;

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic, Sources, Span};
use crate::load::{Document, Kind};
use crate::model::*;

/// The curriculum and the findings on the way.
pub struct Resolved {
    pub curriculum: Curriculum,
    pub diagnostics: Vec<Diagnostic>,
    /// Documents that could not be read into the model, with serde's reason. Each
    /// must also have a schema error; one without is a bug in cib (schema and model
    /// disagree), which the caller reports instead of passing silently.
    pub rejected: Vec<(crate::diag::FileId, String)>,
}

/// Builds the curriculum from documents; `failed` lists the kinds of which some file
/// could not be loaded or parsed.
pub fn resolve(documents: &[Document], sources: &Sources, failed: &[Kind]) -> Resolved {
    let mut resolved = each(documents, sources, failed);
    resolved
        .diagnostics
        .extend(unique_ids(&resolved.curriculum));
    resolved
}

/// The ids that must be unique across files (frameworks, competencies,
/// lessons and assessments, item codes…), each one defined again reported.
pub fn unique_ids(c: &Curriculum) -> Vec<Diagnostic> {
    Resolver::unique_ids(c)
}

/// Reads each document into the model on its own, leaving out what only the
/// whole curriculum can tell ([`unique_ids`]): an edited file is read again
/// without reading the others.
pub fn each(documents: &[Document], sources: &Sources, failed: &[Kind]) -> Resolved {
    let mut r = Resolver {
        diagnostics: Vec::new(),
        rejected: Vec::new(),
        complete: Completeness {
            frameworks: !failed.contains(&Kind::Framework),
            competencies: !failed.contains(&Kind::CompetencyFramework),
            lessons: !failed.contains(&Kind::Lesson),
            assessments: !failed.contains(&Kind::Assessment),
        },
    };
    let mut settings = None;
    let mut frameworks = Vec::new();
    let mut competency_frameworks = Vec::new();
    let mut lessons = Vec::new();
    let mut assessments = Vec::new();
    let mut formulas = Vec::new();
    for doc in documents {
        match doc.kind {
            Kind::Curriculum => settings = r.typed(doc).map(|raw| r.settings(doc, raw)),
            Kind::Framework => {
                if let Some(raw) = r.typed(doc) {
                    frameworks.push(r.framework(doc, raw));
                }
            }
            Kind::CompetencyFramework => {
                if let Some(raw) = r.typed(doc) {
                    competency_frameworks.push(r.competency_framework(doc, raw));
                }
            }
            Kind::Formulas => {
                if let Some(raw) = r.typed::<raw::Formulas>(doc) {
                    formulas = formula_library(doc, raw);
                }
            }
            // Packages are read by `exchange`, which imports them into frameworks.
            Kind::Case => {}
            Kind::Lesson => {
                if let Some(raw) = r.typed(doc) {
                    lessons.push(r.lesson(
                        doc,
                        raw,
                        sources.text(doc.file),
                        sources.path(doc.file),
                    ));
                }
            }
            Kind::Assessment => {
                if let Some(raw) = r.typed(doc) {
                    assessments.push(assessment::resolve(
                        doc,
                        raw,
                        sources.text(doc.file),
                        sources.path(doc.file),
                    ));
                }
            }
        }
    }
    let curriculum = Curriculum {
        settings,
        frameworks,
        competency_frameworks,
        lessons,
        assessments,
        formulas,
        complete: r.complete,
        by_id: std::sync::OnceLock::new(),
    };
    Resolved {
        curriculum,
        diagnostics: r.diagnostics,
        rejected: r.rejected,
    }
}

/// The formula library; formulas without a name or expression are schema findings.
fn formula_library(doc: &Document, raw: raw::Formulas) -> Vec<Formula> {
    raw.formulas
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let base = format!("/formulas/{i}");
            Formula {
                name: spanned(doc, &format!("{base}/name"), f.name),
                title: f.title,
                inputs: f
                    .inputs
                    .into_iter()
                    .filter_map(|(name, unit)| {
                        let unit = unit.as_str()?.to_owned();
                        let at = spanned(doc, &format!("{base}/inputs/{name}"), (name, unit));
                        Some(at)
                    })
                    .collect(),
                expression: spanned(doc, &format!("{base}/expression"), f.expression),
                unit: spanned(doc, &format!("{base}/unit"), f.unit),
            }
        })
        .collect()
}

struct Resolver {
    diagnostics: Vec<Diagnostic>,
    rejected: Vec<(crate::diag::FileId, String)>,
    complete: Completeness,
}

/// The folder holding a file, as a path cib can open.
fn folder(path: &str) -> String {
    std::path::Path::new(path)
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The curriculum root of a file found at `doc.relative`, as a path cib can open.
fn root(doc: &Document, path: &str) -> String {
    path.strip_suffix(doc.relative.as_str())
        .map(|r| r.trim_end_matches('/'))
        .filter(|r| !r.is_empty())
        .unwrap_or(".")
        .to_owned()
}

fn scale_levels(levels: Vec<raw::ScaleLevel>) -> Vec<ScaleLevel> {
    levels
        .into_iter()
        .map(|l| ScaleLevel {
            id: l.id,
            label: l.label,
            points: l.points.0,
            description: l.description,
        })
        .collect()
}

/// The span of a mapping key's entry (its key when known), for maps keyed by
/// ids such as an answer key.
fn keyed(doc: &Document, pointer: &str, key: &str) -> Span {
    let pointer = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
    Span::new(
        doc.file,
        doc.spans
            .key_span(&pointer)
            .unwrap_or_else(|| doc.spans.span(&pointer)),
    )
}

fn at(doc: &Document, pointer: &str) -> Span {
    Span::new(doc.file, doc.spans.span(pointer))
}

fn spanned<T>(doc: &Document, pointer: &str, value: T) -> Spanned<T> {
    Spanned {
        value,
        span: at(doc, pointer),
    }
}

fn case_identity(raw: raw::CaseIdentity) -> CaseIdentity {
    CaseIdentity {
        identifier: raw.identifier,
        uri: raw.uri,
        code: raw.code,
        child_of: raw.child_of,
    }
}

/// An item's association; `None` when it names neither end (the schema said so).
fn association(doc: &Document, pointer: &str, raw: raw::Association) -> Option<Association> {
    let to = match (raw.to, raw.node) {
        (Some(code), _) => AssociationEnd::Item(spanned(doc, &format!("{pointer}/to"), code)),
        (None, Some(n)) => AssociationEnd::Node {
            identifier: n.identifier,
            uri: n.uri,
            title: n.title,
        },
        (None, None) => return None,
    };
    Some(Association {
        kind: raw.kind,
        to,
        identifier: raw.identifier,
        note: raw.note,
    })
}

impl Resolver {
    /// Deserializes a document; one that does not fit (already reported by the schema
    /// check) leaves its kind incomplete.
    fn typed<T: serde::de::DeserializeOwned>(&mut self, doc: &Document) -> Option<T> {
        match T::deserialize(&doc.value) {
            Ok(raw) => Some(raw),
            Err(error) => {
                self.rejected.push((doc.file, error.to_string()));
                match doc.kind {
                    Kind::Framework => self.complete.frameworks = false,
                    Kind::CompetencyFramework => self.complete.competencies = false,
                    Kind::Lesson => self.complete.lessons = false,
                    Kind::Assessment => self.complete.assessments = false,
                    Kind::Curriculum | Kind::Formulas | Kind::Case => {}
                }
                None
            }
        }
    }

    fn settings(&mut self, doc: &Document, raw: raw::Curriculum) -> Settings {
        let bundles = raw
            .bundles
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                let base = format!("/bundles/{i}");
                Bundle {
                    id: spanned(doc, &format!("{base}/id"), BundleId::new(b.id)),
                    title: b.title,
                    audience: b.audience.0.unwrap_or(Audience::Student),
                    duplex: b.duplex.0.unwrap_or(true),
                    description: b.description,
                    group: b.group,
                    lessons: b
                        .lessons
                        .into_iter()
                        .enumerate()
                        .map(|(j, l)| {
                            spanned(doc, &format!("{base}/lessons/{j}"), LessonId::new(l))
                        })
                        .collect(),
                    frameworks: b
                        .frameworks
                        .into_iter()
                        .enumerate()
                        .map(|(j, f)| {
                            spanned(doc, &format!("{base}/frameworks/{j}"), FrameworkId::new(f))
                        })
                        .collect(),
                    aligned_to: b
                        .aligned_to
                        .into_iter()
                        .enumerate()
                        .filter_map(|(j, target)| {
                            let item = ItemRef::parse(&target)?;
                            Some(spanned(doc, &format!("{base}/aligned_to/{j}"), item))
                        })
                        .collect(),
                    levels: b
                        .levels
                        .into_iter()
                        .enumerate()
                        .filter_map(|(j, l)| {
                            Some(spanned(doc, &format!("{base}/levels/{j}"), l.0?))
                        })
                        .collect(),
                    order: b.order.0.unwrap_or_default(),
                    assessments: b
                        .assessments
                        .into_iter()
                        .enumerate()
                        .map(|(j, a)| {
                            spanned(
                                doc,
                                &format!("{base}/assessments/{j}"),
                                AssessmentId::new(a),
                            )
                        })
                        .collect(),
                }
            })
            .collect();
        let coverage = raw.coverage.unwrap_or_default();
        let thresholds = coverage
            .thresholds
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                let base = format!("/coverage/thresholds/{i}");
                Threshold {
                    framework: spanned(
                        doc,
                        &format!("{base}/framework"),
                        FrameworkId::new(t.framework),
                    ),
                    item: t
                        .item
                        .map(|item| spanned(doc, &format!("{base}/item"), item)),
                    coverage: t.status.0.map(|s| (s, t.min_percent.0.unwrap_or(0.0))),
                    min_hours: t.min_hours.0.and_then(|h| {
                        let value = match h {
                            raw::MinHours::Hours(h) => MinHours::Hours(h),
                            raw::MinHours::Word(w) if w == "required" => MinHours::Required,
                            raw::MinHours::Word(_) => return None,
                        };
                        Some(spanned(doc, &format!("{base}/min_hours"), value))
                    }),
                }
            })
            .collect();
        let exceptions = coverage
            .exceptions
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                let base = format!("/coverage/exceptions/{i}");
                Exception {
                    framework: spanned(
                        doc,
                        &format!("{base}/framework"),
                        FrameworkId::new(e.framework),
                    ),
                    item: spanned(doc, &format!("{base}/item"), e.item),
                    status: e.status.0.unwrap_or(ExceptionStatus::NotApplicable),
                    reason: e.reason,
                    approved_by: e.approved_by,
                    approved_on: e.approved_on,
                }
            })
            .collect();
        Settings {
            file: doc.file,
            title: raw.title,
            publisher: raw.publisher,
            version: raw.version,
            date: raw.date,
            license: raw.license,
            language: raw.language.unwrap_or_else(|| "en".to_owned()),
            description: raw.description,
            school: raw.school,
            cip: raw.cip,
            bundles,
            thresholds,
            exceptions,
            scales: raw
                .scales
                .into_iter()
                .enumerate()
                .map(|(i, scale)| Scale {
                    id: spanned(doc, &format!("/scales/{i}/id"), scale.id),
                    title: scale.title,
                    levels: scale_levels(scale.levels),
                })
                .collect(),
            competency_levels: {
                let declared: Vec<String> = raw
                    .competency_levels
                    .into_iter()
                    .filter_map(|l| l.0)
                    .collect();
                if declared.is_empty() {
                    DESE_LEVELS.map(str::to_owned).to_vec()
                } else {
                    declared
                }
            },
            shop: raw.shop.map(|shop| Shop {
                students: shop.students.0.unwrap_or(0),
                machines: shop
                    .machines
                    .into_iter()
                    .filter_map(|(id, n)| Some((id, u32::try_from(n.as_u64()?).ok()?)))
                    .collect(),
            }),
            records_scale: raw
                .records
                .and_then(|r| r.scale)
                .map(|id| spanned(doc, "/records/scale", id)),
        }
    }

    fn framework(&mut self, doc: &Document, raw: raw::Framework) -> Framework {
        let mut items = Vec::new();
        // Pre-order walk without recursion: (pointer, parent index, depth, item).
        let mut pending: Vec<(String, Option<usize>, usize, raw::Item)> = raw
            .items
            .into_iter()
            .enumerate()
            .rev()
            .map(|(i, item)| (format!("/items/{i}"), None, 0, item))
            .collect();
        while let Some((pointer, parent, depth, item)) = pending.pop() {
            let index = items.len();
            for (i, child) in item.items.into_iter().enumerate().rev() {
                pending.push((
                    format!("{pointer}/items/{i}"),
                    Some(index),
                    depth + 1,
                    child,
                ));
            }
            items.push(Item {
                code: spanned(doc, &format!("{pointer}/code"), item.code),
                title: item.title,
                description: item.description,
                kind: item.kind,
                hours: item.hours,
                skill_level: item.skill_level,
                required: item.required,
                status: item.status.0.unwrap_or(Status::Provisional),
                source: item.source,
                verify_against: item.verify_against,
                our_code: item.our_code.0.unwrap_or(false),
                parent,
                depth,
                case: item.case.map(case_identity),
                associations: item
                    .associations
                    .into_iter()
                    .enumerate()
                    .filter_map(|(j, a)| {
                        association(doc, &format!("{pointer}/associations/{j}"), a)
                    })
                    .collect(),
            });
        }
        Framework {
            id: spanned(doc, "/id", FrameworkId::new(raw.id)),
            title: raw.title,
            publisher: raw.publisher,
            version: raw.version,
            url: raw.url,
            source: raw.source,
            description: raw.description,
            hours: raw.hours,
            requirements: raw.requirements.map(|r| Requirements {
                total_hours: r.total_hours.0,
                max_hours_per_day: r.max_hours_per_day.0,
                groups: r
                    .groups
                    .into_iter()
                    .map(|g| RequirementGroup {
                        kind: g.kind,
                        min_hours: g.min_hours.0,
                        min_topics: g.min_topics.0,
                        min_topic_hours: g.min_topic_hours.0,
                    })
                    .collect(),
                records: r.records.map(|d| DeliveryRecords {
                    who_may_teach: d.who_may_teach,
                    keep_years: d.keep_years.0,
                    max_students: d.max_students.0,
                    completion_days: d.completion_days.0,
                    completion: d.completion,
                    also_keep: d.also_keep,
                }),
            }),
            case: raw.case.map(case_identity),
            items,
        }
    }

    fn competency_framework(
        &mut self,
        doc: &Document,
        raw: raw::CompetencyFramework,
    ) -> CompetencyFramework {
        let framework = FrameworkId::new(raw.id.clone());
        let competencies = raw
            .competencies
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let base = format!("/competencies/{i}");
                Competency {
                    id: spanned(doc, &format!("{base}/id"), CompetencyId::new(c.id)),
                    framework: framework.clone(),
                    title: c.title,
                    statement: spanned(doc, &format!("{base}/statement"), c.statement),
                    area: c.area,
                    level: spanned(doc, &format!("{base}/level"), c.level.0.unwrap_or_default()),
                    hours: c.hours.0.unwrap_or(0.0),
                    criteria: c.criteria,
                    hands_on: c.hands_on.0.unwrap_or(false),
                    deferred: c.deferred.map(|d| Deferred {
                        reason: d.reason,
                        until: d.until,
                    }),
                    prerequisites: c
                        .prerequisites
                        .into_iter()
                        .enumerate()
                        .map(|(j, p)| {
                            spanned(
                                doc,
                                &format!("{base}/prerequisites/{j}"),
                                CompetencyId::new(p),
                            )
                        })
                        .collect(),
                    alignments: c
                        .alignments
                        .into_iter()
                        .enumerate()
                        .filter_map(|(j, a)| {
                            let target = ItemRef::parse(&a.target)?;
                            Some(Alignment {
                                target: spanned(
                                    doc,
                                    &format!("{base}/alignments/{j}/target"),
                                    target,
                                ),
                                relation: a.relation.0?,
                                note: a.note,
                            })
                        })
                        .collect(),
                    case: c.case.map(case_identity),
                    associations: c
                        .associations
                        .into_iter()
                        .enumerate()
                        .filter_map(|(j, a)| {
                            association(doc, &format!("{base}/associations/{j}"), a)
                        })
                        .collect(),
                }
            })
            .collect();
        CompetencyFramework {
            id: spanned(doc, "/id", framework),
            title: raw.title,
            version: raw.version,
            license: raw.license,
            description: raw.description,
            delivers: raw
                .delivers
                .map(|d| spanned(doc, "/delivers", FrameworkId::new(d))),
            case: raw.case.map(case_identity),
            competencies,
        }
    }

    fn lesson(&mut self, doc: &Document, raw: raw::Lesson, text: &str, path: &str) -> Lesson {
        let ids = |key: &str, list: Vec<String>| -> Vec<Spanned<CompetencyId>> {
            list.into_iter()
                .enumerate()
                .map(|(j, id)| spanned(doc, &format!("/{key}/{j}"), CompetencyId::new(id)))
                .collect()
        };
        let instructor = raw.instructor.unwrap_or_default();
        // Where each front-matter text is, for findings inside one (C010).
        let mut pointers: Vec<String> = Vec::new();
        for (list, len) in [
            ("objectives", raw.objectives.len()),
            ("materials", raw.materials.len()),
            ("safety", raw.safety.len()),
            ("instructor/materials", instructor.materials.len()),
            ("instructor/safety", instructor.safety.len()),
        ] {
            pointers.extend((0..len).map(|i| format!("/{list}/{i}")));
        }
        pointers.extend((0..raw.questions.len()).map(|i| format!("/questions/{i}/prompt")));
        pointers.extend(
            (0..instructor.procedure.len()).map(|i| format!("/instructor/procedure/{i}/step")),
        );
        pointers.extend(
            instructor
                .answer_key
                .keys()
                .map(|q| format!("/instructor/answer_key/{q}")),
        );
        pointers.push("/instructor/notes".to_owned());
        let text_spans = pointers
            .into_iter()
            .map(|pointer| {
                let span = at(doc, &pointer);
                (pointer, span)
            })
            .collect();
        let answer_key = instructor
            .answer_key
            .into_iter()
            .map(|(question, answer)| {
                let span = keyed(doc, "/instructor/answer_key", &question);
                (
                    Spanned {
                        value: question,
                        span,
                    },
                    answer,
                )
            })
            .collect();
        let body = doc.body.clone().unwrap_or_default();
        Lesson {
            id: spanned(doc, "/id", LessonId::new(raw.id)),
            file: doc.file,
            title: raw.title,
            duration_minutes: raw.duration.0.unwrap_or(0),
            duration: spanned(doc, "/duration", ()),
            sessions: raw.sessions.0.unwrap_or(1).max(1),
            machine_time: raw
                .machine_time
                .into_iter()
                .enumerate()
                .filter_map(|(i, m)| {
                    Some(MachineTime {
                        machine: spanned(doc, &format!("/machine_time/{i}/machine"), m.machine),
                        minutes: m.minutes.0?,
                        group: m.group.0.unwrap_or(1).max(1),
                    })
                })
                .collect(),
            teaches: ids("teaches", raw.teaches),
            assesses: ids("assesses", raw.assesses),
            objectives: raw.objectives,
            materials: raw.materials,
            safety: raw.safety,
            questions: raw
                .questions
                .into_iter()
                .enumerate()
                .map(|(i, q)| Question {
                    id: spanned(doc, &format!("/questions/{i}/id"), q.id),
                    prompt: q.prompt,
                    space: q.space.0,
                    lines: q.lines.0,
                })
                .collect(),
            calculations: raw
                .calculations
                .into_iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let base = format!("/calculations/{i}");
                    let answer = spanned(doc, &format!("{base}/answer"), c.answer.0?);
                    let written = answer.span.range.clone().and_then(|r| text.get(r));
                    let formula = match (c.kind, c.expression) {
                        (Some(kind), None) => {
                            FormulaRef::Named(spanned(doc, &format!("{base}/kind"), kind))
                        }
                        (None, Some(expression)) => FormulaRef::Inline(spanned(
                            doc,
                            &format!("{base}/expression"),
                            expression,
                        )),
                        // Neither or both: a schema finding already.
                        _ => return None,
                    };
                    Some(Calculation {
                        id: spanned(doc, &format!("{base}/id"), c.id),
                        formula,
                        inputs: c
                            .inputs
                            .into_iter()
                            .filter_map(|(name, value)| {
                                let given = match value.0? {
                                    raw::Given::Number(n) => Given::Number(n),
                                    raw::Given::Quantity(q) => Given::Quantity(q),
                                };
                                let at = spanned(doc, &format!("{base}/inputs/{name}"), given);
                                Some((name, at))
                            })
                            .collect(),
                        unit: c
                            .unit
                            .map(|unit| spanned(doc, &format!("{base}/unit"), unit)),
                        answer_places: written
                            .and_then(|w| w.trim().split_once('.'))
                            .map_or(0, |(_, places)| {
                                places.chars().take_while(char::is_ascii_digit).count()
                            }),
                        answer,
                        tolerance: c.tolerance.0?,
                        rounding: c.rounding.0,
                        question: c.question,
                    })
                })
                .collect(),
            control: raw.control.0,
            spindle_limit: raw
                .spindle_limit
                .0
                .map(|limit| spanned(doc, "/spindle_limit", limit)),
            instructor: Instructor {
                notes: instructor.notes,
                materials: instructor.materials,
                safety: instructor.safety,
                procedure: instructor
                    .procedure
                    .into_iter()
                    .map(|s| Step {
                        minutes: s.minutes.0.unwrap_or(0),
                        text: s.step,
                    })
                    .collect(),
                answer_key,
            },
            folder: folder(path),
            root: root(doc, path),
            body: text.get(body.clone()).unwrap_or_default().to_owned(),
            body_offset: body.start,
            text_spans,
        }
    }

    fn unique_ids(c: &Curriculum) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let frameworks = c
            .frameworks
            .iter()
            .map(|f| (&f.id, "framework"))
            .chain(c.competency_frameworks.iter().map(|f| (&f.id, "framework")));
        Self::unique(
            &mut out,
            frameworks.map(|(id, what)| (id.value.as_str().to_owned(), &id.span, what)),
        );
        Self::unique(
            &mut out,
            c.competencies()
                .map(|k| (k.id.value.as_str().to_owned(), &k.id.span, "competency")),
        );
        // Lessons and assessments share one set of ids: both name files of
        // the build and entries of a bundle.
        Self::unique(
            &mut out,
            c.lessons
                .iter()
                .map(|l| (l.id.value.as_str().to_owned(), &l.id.span, "lesson"))
                .chain(
                    c.assessments
                        .iter()
                        .map(|a| (a.id.value.as_str().to_owned(), &a.id.span, "assessment")),
                ),
        );
        for a in &c.assessments {
            Self::unique(
                &mut out,
                a.rubric
                    .criteria
                    .iter()
                    .map(|k| (k.id.value.clone(), &k.id.span, "criterion id")),
            );
        }
        if let Some(settings) = &c.settings {
            Self::unique(
                &mut out,
                settings
                    .scales
                    .iter()
                    .map(|s| (s.id.value.clone(), &s.id.span, "scale")),
            );
        }
        let bundles = c.settings.iter().flat_map(|s| &s.bundles);
        Self::unique(
            &mut out,
            bundles.map(|b| (b.id.value.as_str().to_owned(), &b.id.span, "bundle")),
        );
        for f in &c.frameworks {
            Self::unique(
                &mut out,
                f.items
                    .iter()
                    .map(|i| (i.code.value.clone(), &i.code.span, "item code")),
            );
        }
        for l in &c.lessons {
            Self::unique(
                &mut out,
                l.calculations
                    .iter()
                    .map(|k| (k.id.value.clone(), &k.id.span, "calculation id")),
            );
            Self::unique(
                &mut out,
                l.questions
                    .iter()
                    .map(|q| (q.id.value.clone(), &q.id.span, "question id")),
            );
        }
        out
    }

    fn unique<'a>(
        out: &mut Vec<Diagnostic>,
        ids: impl Iterator<Item = (String, &'a Span, &'static str)>,
    ) {
        let mut seen: BTreeMap<String, &Span> = BTreeMap::new();
        for (id, span, what) in ids {
            if let Some(first) = seen.get(&id) {
                out.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        span.clone(),
                        format!("{what} `{id}` is defined more than once"),
                    )
                    .with_label("defined again here")
                    .with_related((*first).clone(), "first defined here")
                    .with_hint("rename one of them and update references to it"),
                );
            } else {
                seen.insert(id, span);
            }
        }
    }
}
