//! Common Cartridge: a course for the school's LMS, one per student bundle.
//!
//! A cartridge is the bundle's course: one module per lesson in teaching
//! order, holding the lesson's web page, its handout PDF, a quiz of its
//! questions and one of its calculations ([`qti`]); the performance assessments' task
//! sheets follow in a last module. Instructor plans travel in the same
//! cartridge but apart: under `instructor/`, outside every module, marked as
//! lesson plans for instructors (`intendeduse="lessonplan"`, LOM role
//! Instructor), so a student never meets one in a module.
//!
//! CC 1.1 is the default, the one version Moodle, Canvas, Schoology (through
//! its converter) and Blackboard all import. CC 1.3 adds Curriculum Standards
//! Metadata: each lesson page lists the CASE identifiers of the standards it
//! teaches. Identifiers are XML `ID`s (`cib-` and the lesson id), and entries
//! are written in a fixed order with fixed times, so a cartridge has the same
//! bytes for the same curriculum.

mod qti;
pub(crate) mod xml;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use serde_json::Value;

use crate::model::{Assessment, Audience, Bundle, Curriculum, Lesson};
use crate::package::{self, Body, Packing, PdfFile};
use crate::publish::web;
use crate::render::{self, Sheet};

/// The Common Cartridge version a cartridge is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Version {
    /// 1.1: imported by every LMS cib documents; Moodle reads no later one.
    #[default]
    V1p1,
    /// 1.3: adds the standards each lesson teaches (Curriculum Standards Metadata).
    V1p3,
}

impl Version {
    /// As `--cc-version` takes it.
    pub fn parse(text: &str) -> Option<Version> {
        match text {
            "1.1" => Some(Version::V1p1),
            "1.3" => Some(Version::V1p3),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1p1 => "1.1",
            Version::V1p3 => "1.3",
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Version::V1p1 => "v1p1",
            Version::V1p3 => "v1p3",
        }
    }

    fn qti_schema(self) -> String {
        // The CC 1.3 QTI profile was never published apart: 1.3 cartridges
        // (Canvas's own) point at the 1.1 profile, as this does.
        "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd".to_owned()
    }
}

/// The PDFs a cartridge carries, as the build made them.
pub struct Files<'a> {
    /// A lesson's PDF for an audience.
    pub lesson: &'a dyn Fn(&Lesson, Audience) -> PdfFile<'a>,
    /// A sheet of an assessment.
    pub sheet: &'a dyn Fn(&Assessment, Sheet) -> PdfFile<'a>,
}

/// One cartridge: a student bundle's lessons and assessments.
pub struct Course<'a> {
    pub root: &'a Path,
    pub curriculum: &'a Curriculum,
    pub bundle: &'a Bundle,
    pub lessons: &'a [&'a Lesson],
    pub assessments: &'a [&'a Assessment],
}

/// A cartridge under construction: its files by path, and the manifest's
/// parts.
#[derive(Default)]
struct Writer<'a> {
    files: BTreeMap<String, Body<'a>>,
    modules: String,
    resources: String,
}

impl<'a> Writer<'a> {
    /// Adds the images `trees` show under `media/`, and returns them as the
    /// `<file>` elements of the resources that show them.
    fn media(&mut self, root: &Path, trees: &[&Value]) -> anyhow::Result<String> {
        let mut media: Vec<String> = Vec::new();
        for tree in trees {
            render::tree_images(tree, &mut media);
        }
        media.sort();
        media.dedup();
        let mut files = String::new();
        for src in &media {
            let path = root.join(src.trim_start_matches('/'));
            let bytes = std::fs::read(&path)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
            self.file(format!("media{src}"), bytes);
            files.push_str(&format!(
                "<file href=\"{}\"/>",
                xml::escape(&format!("media{src}"))
            ));
        }
        Ok(files)
    }

    fn file(&mut self, path: String, bytes: Vec<u8>) {
        self.files.insert(path, Body::Bytes(bytes));
    }

    fn pdf(&mut self, path: String, pdf: PdfFile<'a>) {
        self.files.insert(path, Body::Pdf(pdf));
    }

    fn resource(&mut self, xml: String) {
        self.resources.push_str(&xml);
    }
}

/// The cartridge of `course`, ready to pack as an `.imscc` zip: its pages,
/// quizzes and manifest written, its PDFs still files, so that a build packs
/// it again only when something in it changed.
pub fn cartridge<'a>(
    course: &Course<'_>,
    files: &Files<'a>,
    version: Version,
) -> anyhow::Result<Packing<'a>> {
    let c = course.curriculum;
    let settings = c.settings.as_ref();
    let lang = settings.map(|s| s.language.as_str()).unwrap_or("en");
    let footer = settings
        .map(|s| format!("{} · version {} · {}", s.publisher, s.version, s.license))
        .unwrap_or_default();
    let mut w = Writer::default();
    for (n, lesson) in course.lessons.iter().enumerate() {
        let id = xml::id_part(lesson.id.value.as_str());
        let ident = format!("cib-{id}");
        let student = render::lesson_tree(course.root, c, lesson, Audience::Student);
        let plan = render::lesson_tree(course.root, c, lesson, Audience::Instructor);
        let media_files = w.media(course.root, &[&student, &plan])?;

        // The student's page and handout.
        let pdf_name = format!("{}.student.pdf", lesson.id.value);
        let page = web::lesson_page(
            &student,
            lang,
            &footer,
            &web::Links {
                pdf: pdf_name.clone(),
                other: None,
                catalog: None,
                media: &|src| format!("../media{src}"),
            },
        );
        w.file(format!("lessons/{id}.html"), page.into_bytes());
        w.pdf(
            format!("lessons/{pdf_name}"),
            (files.lesson)(lesson, Audience::Student),
        );
        let standards = match version {
            Version::V1p1 => String::new(),
            Version::V1p3 => standards_metadata(c, lesson),
        };
        w.resource(format!(
            "<resource identifier=\"{ident}-page\" type=\"webcontent\" href=\"lessons/{id}.html\">\
             {standards}<file href=\"lessons/{id}.html\"/>{media_files}\
             <dependency identifierref=\"{ident}-pdf\"/></resource>\n"
        ));
        w.resource(format!(
            "<resource identifier=\"{ident}-pdf\" type=\"webcontent\" href=\"lessons/{pdf}\">\
             <file href=\"lessons/{pdf}\"/></resource>\n",
            pdf = xml::escape(&pdf_name),
        ));

        // The quizzes, when the lesson asks anything: its questions, then
        // its calculations, whose givens can answer a question.
        let html = |nodes: &Value| web::blocks(nodes, &|src| format!("../../media{src}"));
        let quizzes = [
            (
                "questions",
                "Questions",
                qti::questions(lesson, &plan, &format!("{ident}-questions"), &html, version),
            ),
            (
                "calculations",
                "Calculations",
                qti::calculations(c, lesson, &format!("{ident}-calculations"), version),
            ),
        ];
        let mut quiz_items = String::new();
        for (kind, title, quiz) in quizzes {
            let Some(quiz) = quiz else { continue };
            let path = format!("quizzes/{id}-{kind}/assessment_qti.xml");
            w.file(path.clone(), quiz.into_bytes());
            w.resource(format!(
                "<resource identifier=\"{ident}-{kind}\" type=\"imsqti_xmlv1p2/imscc_xml{}/assessment\">\
                 <file href=\"{path}\"/></resource>\n",
                version.tag()
            ));
            quiz_items.push_str(&format!(
                "<item identifier=\"{ident}-{kind}-item\" identifierref=\"{ident}-{kind}\"><title>{}</title></item>",
                xml::escape(&format!("{title}: {}", lesson.title))
            ));
        }

        // The instructor's plan: outside the modules, for instructors only.
        let plan_pdf = format!("{}.instructor.pdf", lesson.id.value);
        let plan_page = web::lesson_page(
            &plan,
            lang,
            &footer,
            &web::Links {
                pdf: plan_pdf.clone(),
                other: Some(("Student page", format!("../lessons/{id}.html"))),
                catalog: None,
                media: &|src| format!("../media{src}"),
            },
        );
        w.file(format!("instructor/{id}.html"), plan_page.into_bytes());
        w.pdf(
            format!("instructor/{plan_pdf}"),
            (files.lesson)(lesson, Audience::Instructor),
        );
        w.resource(format!(
            "<resource identifier=\"{ident}-plan\" type=\"webcontent\" href=\"instructor/{id}.html\" intendeduse=\"lessonplan\">\
             {}<file href=\"instructor/{id}.html\"/><file href=\"instructor/{}\"/>{media_files}</resource>\n",
            instructor_only(version),
            xml::escape(&plan_pdf),
        ));

        let title = xml::escape(&format!("{}. {}", n + 1, lesson.title));
        let mut module = format!(
            "<item identifier=\"{ident}-module\"><title>{title}</title>\
             <item identifier=\"{ident}-page-item\" identifierref=\"{ident}-page\"><title>{}</title></item>\
             <item identifier=\"{ident}-pdf-item\" identifierref=\"{ident}-pdf\"><title>{}</title></item>",
            xml::escape(&lesson.title),
            xml::escape(&format!("{} (handout PDF)", lesson.title)),
        );
        module.push_str(&quiz_items);
        module.push_str("</item>\n");
        w.modules.push_str(&module);
    }
    if !course.assessments.is_empty() {
        let mut module = String::from(
            "<item identifier=\"cib-assessments-module\"><title>Performance assessments</title>",
        );
        for a in course.assessments {
            let id = xml::id_part(a.id.value.as_str());
            let task = render::assessment_tree(course.root, c, a, Sheet::Task);
            let score = render::assessment_tree(course.root, c, a, Sheet::Score);
            let media_files = w.media(course.root, &[&task, &score])?;
            let task_pdf = format!("{}.task-sheet.pdf", a.id.value);
            let page = web::assessment_page(
                &task,
                lang,
                &footer,
                &web::Links {
                    pdf: task_pdf.clone(),
                    other: None,
                    catalog: None,
                    media: &|src| format!("../media{src}"),
                },
            );
            w.file(format!("assessments/{id}.html"), page.into_bytes());
            w.pdf(
                format!("assessments/{task_pdf}"),
                (files.sheet)(a, Sheet::Task),
            );
            w.resource(format!(
                "<resource identifier=\"cib-{id}-task\" type=\"webcontent\" href=\"assessments/{id}.html\">\
                 <file href=\"assessments/{id}.html\"/>{media_files}<dependency identifierref=\"cib-{id}-task-pdf\"/></resource>\n\
                 <resource identifier=\"cib-{id}-task-pdf\" type=\"webcontent\" href=\"assessments/{n}\"><file href=\"assessments/{n}\"/></resource>\n",
                n = xml::escape(&task_pdf)
            ));
            // The score sheet: beside the lesson plans, for instructors only.
            let score_pdf = format!("{}.score-sheet.pdf", a.id.value);
            let page = web::assessment_page(
                &score,
                lang,
                &footer,
                &web::Links {
                    pdf: score_pdf.clone(),
                    other: Some(("Task sheet", format!("../assessments/{id}.html"))),
                    catalog: None,
                    media: &|src| format!("../media{src}"),
                },
            );
            w.file(
                format!("instructor/{id}.score-sheet.html"),
                page.into_bytes(),
            );
            w.pdf(
                format!("instructor/{score_pdf}"),
                (files.sheet)(a, Sheet::Score),
            );
            w.resource(format!(
                "<resource identifier=\"cib-{id}-score\" type=\"webcontent\" href=\"instructor/{id}.score-sheet.html\">\
                 {}<file href=\"instructor/{id}.score-sheet.html\"/><file href=\"instructor/{}\"/>{media_files}</resource>\n",
                instructor_only(version),
                xml::escape(&score_pdf),
            ));
            module.push_str(&format!(
                "<item identifier=\"cib-{id}-task-item\" identifierref=\"cib-{id}-task\"><title>{}</title></item>\
                 <item identifier=\"cib-{id}-task-pdf-item\" identifierref=\"cib-{id}-task-pdf\"><title>{}</title></item>",
                xml::escape(&format!("{} (task sheet)", a.title)),
                xml::escape(&format!("{} (task sheet PDF)", a.title)),
            ));
        }
        module.push_str("</item>\n");
        w.modules.push_str(&module);
    }
    let manifest = manifest(course, &w, version);
    w.file("imsmanifest.xml".into(), manifest.into_bytes());
    Ok(Packing::flat(
        format!("{} CC {}", path(c, course.bundle), version.as_str()),
        w.files.into_iter().collect(),
    ))
}

/// Where `cib build` and `cib export cc` put a bundle's cartridge.
pub fn path(c: &Curriculum, bundle: &Bundle) -> String {
    format!("lms/{}.imscc", package::stem(c, bundle))
}

/// A number with `places` decimals, as a lesson states its answer.
fn number(value: f64, places: usize) -> String {
    format!("{value:.places$}")
}

fn instructor_only(version: Version) -> String {
    format!(
        "<metadata><lom:lom><lom:educational><lom:intendedEndUserRole>\
         <lom:source>IMSGLC_CC_Roles{}</lom:source><lom:value>Instructor</lom:value>\
         </lom:intendedEndUserRole></lom:educational></lom:lom></metadata>",
        version.tag()
    )
}

/// The standards a lesson teaches, as CC 1.3 Curriculum Standards Metadata:
/// per framework, each aligned item's CASE identifier labelled with its code;
/// then the competencies it teaches, under our own framework's identifier.
fn standards_metadata(c: &Curriculum, lesson: &Lesson) -> String {
    use crate::exchange::case;
    let mut by_framework: BTreeMap<&crate::model::FrameworkId, Vec<(String, String)>> =
        BTreeMap::new();
    for k in crate::analyze::taught(c, lesson) {
        for a in &k.alignments {
            let target = &a.target.value;
            by_framework.entry(&target.framework).or_default().push((
                target.code.clone(),
                case::external_item_identifier(c, target),
            ));
        }
        by_framework.entry(&k.framework).or_default().push((
            k.id.value.as_str().to_owned(),
            case::competency_identifier(&k.framework, k),
        ));
    }
    if by_framework.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<metadata><csm:curriculumStandardsMetadataSet resourceLabel=\"{}\">",
        xml::escape(&lesson.title)
    );
    for (framework, mut items) in by_framework {
        items.sort();
        items.dedup();
        out.push_str(&format!(
            "<csm:curriculumStandardsMetadata providerId=\"{}\"><csm:setOfGUIDs>",
            xml::escape(&format!(
                "urn:uuid:{}",
                case::framework_identifier(c, framework)
            ))
        ));
        for (code, guid) in items {
            out.push_str(&format!(
                "<csm:labelledGUID><csm:label>{}</csm:label><csm:GUID>{}</csm:GUID></csm:labelledGUID>",
                xml::escape(&format!("{framework}:{code}")),
                xml::escape(&guid)
            ));
        }
        out.push_str("</csm:setOfGUIDs></csm:curriculumStandardsMetadata>");
    }
    out.push_str("</csm:curriculumStandardsMetadataSet></metadata>");
    out
}

fn manifest(course: &Course<'_>, w: &Writer, version: Version) -> String {
    let c = course.curriculum;
    let settings = c.settings.as_ref();
    let tag = version.tag();
    let title = xml::escape(&course.bundle.title);
    let description = settings
        .and_then(|s| s.description.as_deref())
        .map(|d| {
            format!(
                "<lomimscc:description><lomimscc:string>{}</lomimscc:string></lomimscc:description>",
                xml::escape(d.trim())
            )
        })
        .unwrap_or_default();
    let rights = settings
        .map(|s| {
            format!(
                "<lomimscc:rights><lomimscc:copyrightAndOtherRestrictions><lomimscc:value>yes</lomimscc:value></lomimscc:copyrightAndOtherRestrictions>\
                 <lomimscc:description><lomimscc:string>{}</lomimscc:string></lomimscc:description></lomimscc:rights>",
                xml::escape(&format!("{}, version {}, {}", s.publisher, s.version, s.license))
            )
        })
        .unwrap_or_default();
    let csm = match version {
        Version::V1p1 => String::new(),
        Version::V1p3 => {
            " xmlns:csm=\"http://www.imsglobal.org/xsd/imsccv1p3/imscsmd_v1p0\"".into()
        }
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <manifest identifier=\"cib-{}\" xmlns=\"http://www.imsglobal.org/xsd/imscc{tag}/imscp_v1p1\" \
         xmlns:lom=\"http://ltsc.ieee.org/xsd/imscc{tag}/LOM/resource\" \
         xmlns:lomimscc=\"http://ltsc.ieee.org/xsd/imscc{tag}/LOM/manifest\"{csm}>\n\
         <metadata><schema>IMS Common Cartridge</schema><schemaversion>{}.0</schemaversion>\
         <lomimscc:lom><lomimscc:general><lomimscc:title><lomimscc:string>{title}</lomimscc:string></lomimscc:title>{description}</lomimscc:general>{rights}</lomimscc:lom></metadata>\n\
         <organizations><organization identifier=\"cib-organization\" structure=\"rooted-hierarchy\"><item identifier=\"cib-root\">\n\
         {}</item></organization></organizations>\n\
         <resources>\n{}</resources>\n\
         </manifest>\n",
        xml::id_part(course.bundle.id.value.as_str()),
        version.as_str(),
        w.modules,
        w.resources,
    )
}
