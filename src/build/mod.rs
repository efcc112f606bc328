//! `cib build`: check → analyze → render → package → publish.
//!
//! The build is all or nothing. It stops at the check's errors; it renders every
//! document before it writes anything final; and the output folder is replaced
//! whole (see [`output`]), so a failed build leaves the previous one usable.
//! What did not change comes from a cache of earlier files: lesson and report
//! PDFs keyed by [`render::Document::fingerprint`], combined PDFs by their
//! front's fingerprint and their lessons' hashes, zips by
//! [`package::Packing::key`]. A bundle's combined PDF is assembled from its
//! lessons' PDFs ([`render::assemble`]), so a lesson is typeset once however
//! many bundles hold it.

mod cache;
mod output;
mod web;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::diag::{Code, Diagnostic, Span};
use crate::model::{Assessment, Audience, Bundle, Curriculum, Lesson};
use crate::package::{self, Bundled, SheetFile, Stamp};
use crate::publish::{self, BundleFiles, FileInfo};
use crate::render::{self, Renderer, Sheet};
use crate::{Checked, analyze};

use cache::Cache;
use output::Output;

/// How to build.
pub struct Options {
    /// The output folder; it is replaced whole by each build.
    pub out: PathBuf,
    /// Draw a progress bar on standard error.
    pub progress: bool,
    /// Who may read the output folder once it is published.
    pub site: Site,
    /// The Common Cartridge version of the LMS cartridges.
    pub cc: crate::exchange::cc::Version,
}

/// Who an output folder is for. A folder is published whole, so a student
/// site must not merely hide instructor material: it must not hold it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Site {
    /// Everything: lesson plans, answer keys, score sheets, records,
    /// coverage reports and LMS cartridges (which carry lesson plans).
    #[default]
    Instructors,
    /// Only what students may read: handouts and their web pages, task
    /// sheets, student bundles and the frameworks.
    Students,
}

impl Site {
    pub fn as_str(self) -> &'static str {
        match self {
            Site::Instructors => "instructors",
            Site::Students => "students",
        }
    }

    /// Whether documents for `audience` belong in the folder.
    fn holds(self, audience: Audience) -> bool {
        self == Site::Instructors || audience == Audience::Student
    }
}

/// What a finished build made.
pub struct Report {
    pub out: PathBuf,
    pub documents: Vec<DocumentReport>,
    /// Bundle zips: path in the output folder and size.
    pub zips: Vec<(String, usize)>,
    pub site: String,
    pub site_size: usize,
    /// Who the folder is for.
    pub audience: Site,
    /// Lesson web pages: how many, and their bytes with the images they show.
    pub web_pages: (usize, usize),
    /// LMS cartridges: path in the output folder and size.
    pub cartridges: Vec<(String, usize)>,
    pub elapsed: Duration,
}

/// One PDF of the build.
pub struct DocumentReport {
    /// Path in the output folder, such as `lessons/mtt-lathe-facing.student.pdf`.
    pub path: String,
    pub size: usize,
    pub pages: usize,
    /// Typeset in this build, rather than taken from the cache.
    pub rendered: bool,
    /// How long typesetting took (zero when reused); benchmarks compare a
    /// rebuild with the time of what it had to typeset.
    pub typeset: Duration,
    pub kind: DocumentKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    Lesson,
    Assessment,
    Records,
    Bundle,
    Report,
}

/// A build either finishes or stops with findings for the author.
pub enum Outcome {
    Built(Report),
    /// Boxed: the findings and their sources are much larger than a report.
    Failed(Box<Checked>),
}

/// One PDF to make.
struct Job<'c> {
    path: String,
    /// Prepares what typst typesets. Called when the job's turn comes, so
    /// only the documents being typeset are in memory, not all of them (a
    /// lesson at C028's limits is megabytes of data).
    document: Prepare<'c>,
    /// Where a rendering failure is reported.
    origin: Span,
    what: String,
    kind: DocumentKind,
}

/// Bytes of parts' PDFs that bundles joined at once may hold: at about 40
/// times that in memory, 12 MiB stays within the build's bound, and both of
/// this repository's largest bundles (6.8 and 4.8 MB) are joined together.
const JOIN_BUDGET: u64 = 12 * 1024 * 1024;
/// Bytes that zips packed at once may hold in memory.
const ZIP_BUDGET: u64 = 256 * 1024 * 1024;

type Prepare<'c> = Box<dyn Fn() -> render::Document + Send + Sync + 'c>;

/// A file the build made, or took from the cache, in the stage. Its bytes
/// are read again only by what must (assembling a bundle, packing a zip).
struct Made {
    file: PathBuf,
    /// The images a lesson or assessment sheet shows, root-relative: the
    /// ones its web page shows too.
    images: Vec<String>,
    size: usize,
    /// Hex SHA-256 of the file, known from the cache entry's name.
    sha256: String,
    pages: usize,
    rendered: bool,
    typeset: Duration,
}

impl Made {
    fn pdf_file(&self) -> package::PdfFile<'_> {
        package::PdfFile {
            path: &self.file,
            size: self.size,
            sha256: &self.sha256,
        }
    }
}

/// Builds the curriculum at `root` into `options.out`.
///
/// `Err` when cib cannot run at all (unreadable root, output folder in use or
/// not ours, invalid `SOURCE_DATE_EPOCH`); author mistakes are an
/// [`Outcome::Failed`] carrying diagnostics.
pub fn build(root: &Path, options: &Options) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let mut checked = crate::check(root)?;
    if checked.has_errors() {
        return Ok(Outcome::Failed(Box::new(checked)));
    }
    let c = &checked.curriculum;
    let settings = c
        .settings
        .as_ref()
        .context("internal error: a curriculum without errors has settings")?;
    let stamp = zip_stamp(settings)?;
    let output = Output::open(&options.out)?;
    let Plan {
        bundles,
        coverage,
        report,
        jobs,
    } = plan(
        root,
        c,
        settings,
        &crate::load::provenance(root, &checked.sources),
        options.site,
    );
    let cache = Cache::open(&output.previous_cache(), output.cache_stage())?;

    let bar = if options.progress {
        ProgressBar::with_draw_target(
            Some((jobs.len() + bundles.len()) as u64),
            ProgressDrawTarget::stderr(),
        )
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{prefix:>10} [{bar:32}] {pos}/{len} {wide_msg}")
            .expect("constant template")
            .progress_chars("=> "),
    );
    bar.set_prefix("Rendering");
    let renderer = Renderer::default();
    let render = |job: &Job| {
        let made = make(root, &renderer, &cache, &output, job);
        bar.set_message(job.path.clone());
        bar.inc(1);
        made
    };
    let mut failures = Vec::new();
    let mut keep = |result: Result<Made, Box<Diagnostic>>| match result {
        Ok(m) => Some(m),
        Err(d) => {
            failures.push(*d);
            None
        }
    };
    let made: Vec<Option<Made>> = crate::parallel::map(&jobs, render)
        .into_iter()
        .map(&mut keep)
        .collect();
    let by_path: HashMap<&str, usize> = jobs
        .iter()
        .enumerate()
        .map(|(i, job)| (job.path.as_str(), i))
        .collect();
    let index_of = |path: &str| by_path[path];
    // A bundle is assembled from its lessons' PDFs, and only when all of them
    // were made, so a broken lesson is reported once, at the lesson. A
    // bundle's PDF is held whole in memory while it is joined, about 40 times
    // its parts' size on disk, so bundles are joined at once only while their
    // parts fit [`JOIN_BUDGET`] (SECURITY.md, "Limits").
    let parts_size = |contents: &Contents| -> u64 {
        contents
            .parts()
            .iter()
            .filter_map(|part| made[index_of(&part.path)].as_ref())
            .map(|m| m.size as u64)
            .sum()
    };
    let combined: Vec<Option<Made>> =
        crate::parallel::map_within(&bundles, parts_size, JOIN_BUDGET, |contents| {
            let parts = contents
                .parts()
                .into_iter()
                .map(|part| Some((made[index_of(&part.path)].as_ref()?, part)))
                .collect::<Option<Vec<(&Made, BundlePart)>>>()?;
            let result = combine(root, &renderer, &cache, &output, c, contents.bundle, &parts);
            bar.set_message(bundle_path(&package::stem(c, contents.bundle)));
            bar.inc(1);
            Some(result)
        })
        .into_iter()
        .map(|result| result.and_then(&mut keep))
        .collect();
    bar.finish_and_clear();
    if !failures.is_empty() {
        // The jobs borrow the curriculum the findings are returned with.
        drop(jobs);
        crate::diag::sort(&mut failures, &checked.sources);
        failures.dedup_by(|a, b| a.span == b.span && a.message == b.message);
        checked.diagnostics.extend(failures);
        crate::diag::sort(&mut checked.diagnostics, &checked.sources);
        return Ok(Outcome::Failed(Box::new(checked)));
    }
    let made: Vec<Made> = made.into_iter().flatten().collect();
    let combined: Vec<Made> = combined.into_iter().flatten().collect();

    let c = &checked.curriculum;
    let license = ["LICENSE", "LICENSE.md", "LICENSE.txt"]
        .iter()
        .find_map(|name| std::fs::read_to_string(root.join(name)).ok());
    // A zip is packed again only when one of its entries changed.
    let pairs: Vec<_> = bundles.iter().zip(&combined).collect();
    // A zip is packed in memory from its PDFs, the bundle's and its parts',
    // so about four times the bundle's size is held while it is made.
    let zip_size = |(_, combined): &(&Contents, &Made)| 4 * combined.size as u64;
    let packed: Vec<_> =
        crate::parallel::map_within(&pairs, zip_size, ZIP_BUDGET, |(contents, combined)| {
            let bundle = contents.bundle;
            let lesson_pdfs: Vec<package::PdfFile> = contents
                .lessons
                .iter()
                .map(|l| made[index_of(&publish::lesson_path(l, bundle.audience))].pdf_file())
                .collect();
            let sheets: Vec<SheetFile> = contents
                .sheets()
                .into_iter()
                .map(|(assessment, sheet)| SheetFile {
                    assessment,
                    sheet,
                    pdf: made[index_of(&assessment_path(assessment, sheet))].pdf_file(),
                })
                .collect();
            let sources: Vec<&str> = contents
                .lessons
                .iter()
                .map(|l| checked.sources.text(l.file))
                .collect();
            let packing = package::bundle_zip(&Bundled {
                curriculum: c,
                bundle,
                lessons: &contents.lessons,
                combined: combined.pdf_file(),
                lesson_pdfs: &lesson_pdfs,
                sheets: &sheets,
                delivery: contents.delivery.as_ref().map(|d| {
                    (
                        d.framework,
                        made[index_of(&delivery_path(bundle))].pdf_file(),
                    )
                }),
                sources: &sources,
                license: license.as_deref(),
            });
            let target = output
                .stage()
                .join(format!("bundles/{}.zip", package::stem(c, bundle)));
            let what = format!("the zip of bundle `{}`", bundle.id.value);
            pack(&cache, &packing, stamp, &target, &bundle.id.span, &what)
        });
    // What the framework exports are made from, and, with the templates, what
    // every web page and cartridge shares.
    let sources_key = exports_key(c, &checked.sources);
    let shared = web::shared_key(c, &checked.sources, &sources_key);
    // A student bundle's course for the LMS; not in a student site, as it
    // carries the lesson plans.
    let cx = web::Context {
        root,
        c,
        cache: &cache,
        output: &output,
        sources: &checked.sources,
        shared,
    };
    let cartridges = match options.site {
        Site::Instructors => web::cartridges(&cx, &bundles, &made, &index_of, options.cc, stamp)?,
        Site::Students => Vec::new(),
    };
    let mut zips = Vec::new();
    let mut zip_hashes = Vec::new();
    let mut catalog = Vec::new();
    let made_info = |path: &str| {
        let m = &made[index_of(path)];
        file_info(path, m.size, m.sha256.clone())
    };
    for ((contents, combined), packed) in bundles.iter().zip(&combined).zip(packed) {
        let zip = packed.map_err(|d| anyhow::anyhow!("{}", d.message))?;
        let bundle = contents.bundle;
        let stem = package::stem(c, bundle);
        let pdf = bundle_path(&stem);
        let zip_path = format!("bundles/{stem}.zip");
        catalog.push(BundleFiles {
            bundle,
            lessons: contents.lessons.clone(),
            zip: file_info(&zip_path, zip.size, zip.sha256.clone()),
            cartridge: cartridges
                .iter()
                .find(|(id, _)| *id == bundle.id.value.as_str())
                .map(|(_, info)| info.clone()),
            pdf: file_info(&pdf, combined.size, combined.sha256.clone()),
            pages: combined.pages,
            lesson_pdfs: contents
                .lessons
                .iter()
                .map(|l| made_info(&publish::lesson_path(l, bundle.audience)))
                .collect(),
            sheets: contents
                .sheets()
                .into_iter()
                .map(|(a, sheet)| (a, sheet, made_info(&assessment_path(a, sheet))))
                .collect(),
        });
        zips.push((zip_path.clone(), zip.size));
        zip_hashes.push((zip_path, zip.sha256));
    }
    let students = options.site == Site::Students;
    if !students {
        for (path, bytes) in publish::coverage::files(c, &report) {
            output::write(&output.stage().join(path), &bytes)?;
        }
    }
    let mut records = Vec::new();
    for f in c.competency_frameworks.iter().filter(|_| !students) {
        let csv = publish::records::csv(f);
        let path = records_csv_path(f);
        output::write(&output.stage().join(&path), csv.as_bytes())?;
        records.push(publish::RecordFiles {
            framework: f,
            pdf: made_info(&records_path(f)),
            csv: file_info(&path, csv.len(), package::sha256_hex(csv.as_bytes())),
        });
    }
    // Every framework as a CASE package and a CSV table, for other systems;
    // made again only when a framework file or the settings changed.
    let mut exported = Vec::new();
    let mut export = |path: String,
                      produce: &dyn Fn() -> Option<Vec<u8>>|
     -> anyhow::Result<FileInfo> {
        let key = {
            use sha2::{Digest, Sha256};
            let mut key = Sha256::new();
            key.update(sources_key);
            key.update(path.as_bytes());
            <[u8; 32]>::from(key.finalize())
        };
        let target = output.stage().join(&path);
        let (size, sha256) = match cache.reuse(&key, &target)? {
            Some(hit) => (hit.size, hit.sha256),
            None => {
                let bytes = produce().with_context(|| {
                    format!("internal error: `{path}` could not be exported; please report this")
                })?;
                (bytes.len(), cache.store(&key, 0, &bytes, &target)?)
            }
        };
        exported.push((path.clone(), sha256.clone()));
        Ok(file_info(&path, size, sha256))
    };
    let ids = crate::exchange::case::framework_ids(c);
    let mut frameworks = Vec::new();
    for &id in &ids {
        frameworks.push(publish::FrameworkFiles {
            id,
            case: export(format!("case/{id}.json"), &|| {
                crate::exchange::case_file(c, id, None)
            })?,
            csv: export(format!("csv/{id}.csv"), &|| {
                crate::exchange::csv::export(c, id).map(String::into_bytes)
            })?,
            moodle: if students {
                None
            } else {
                Some(export(format!("lms/outcomes/moodle/{id}.csv"), &|| {
                    crate::exchange::outcomes::moodle(c, id).map(String::into_bytes)
                })?)
            },
        });
    }
    let canvas_outcomes = if students {
        None
    } else {
        Some(export("lms/outcomes/canvas-outcomes.csv".into(), &|| {
            crate::exchange::outcomes::canvas(c, &ids).map(String::into_bytes)
        })?)
    };
    let site = publish::site(
        c,
        &catalog,
        &frameworks,
        canvas_outcomes.as_ref(),
        &records,
        &coverage,
        students,
    );
    let site_path = "site/index.html".to_owned();
    output::write(&output.stage().join(&site_path), site.as_bytes())?;
    let images: Vec<String> = {
        let mut all: Vec<String> = made
            .iter()
            .zip(&jobs)
            .filter(|(_, job)| matches!(job.kind, DocumentKind::Lesson | DocumentKind::Assessment))
            .flat_map(|(m, _)| m.images.iter().cloned())
            .collect();
        all.sort();
        all.dedup();
        all
    };
    let pages = web::pages(&cx, options.site, &images)?;
    // What the build knows of the files it made spares SHA256SUMS reading them.
    let mut known: HashMap<String, String> = jobs
        .iter()
        .zip(&made)
        .map(|(job, m)| (job.path.clone(), m.sha256.clone()))
        .collect();
    for (contents, m) in bundles.iter().zip(&combined) {
        known.insert(
            bundle_path(&package::stem(c, contents.bundle)),
            m.sha256.clone(),
        );
    }
    for r in &records {
        known.insert(records_csv_path(r.framework), r.csv.sha256.clone());
    }
    known.extend(zip_hashes);
    let web_pages = (pages.count, pages.bytes);
    known.extend(pages.hashes);
    for (_, info) in &cartridges {
        let path = info.href.trim_start_matches("../").to_owned();
        known.insert(path, info.sha256.clone());
    }
    known.extend(exported);
    output.commit(&known)?;

    let report_of = |path: &str, kind, m: &Made| DocumentReport {
        path: path.to_owned(),
        size: m.size,
        pages: m.pages,
        rendered: m.rendered,
        typeset: m.typeset,
        kind,
    };
    let documents = jobs
        .iter()
        .zip(&made)
        .map(|(job, m)| report_of(&job.path, job.kind, m))
        .chain(bundles.iter().zip(&combined).map(|(contents, m)| {
            report_of(
                &bundle_path(&package::stem(c, contents.bundle)),
                DocumentKind::Bundle,
                m,
            )
        }))
        .collect();
    Ok(Outcome::Built(Report {
        out: options.out.clone(),
        documents,
        zips,
        site: site_path,
        site_size: site.len(),
        audience: options.site,
        web_pages,
        cartridges: cartridges
            .into_iter()
            .map(|(_, info)| (info.href.trim_start_matches("../").to_owned(), info.size))
            .collect(),
        elapsed: started.elapsed(),
    }))
}

/// Writes `files` (paths relative to `out`) into an output folder without
/// rebuilding it, each file atomically and under the build lock; `cib coverage`
/// uses it for `reports/`.
pub fn write_files(out: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    output::update(out, files)
}

/// What the framework exports depend on: cib's version, the settings and every
/// framework file (an alignment's link carries the external item's title).
fn exports_key(c: &Curriculum, sources: &crate::diag::Sources) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut key = Sha256::new();
    key.update(env!("CARGO_PKG_VERSION").as_bytes());
    let files = c
        .settings
        .iter()
        .map(|s| s.file)
        .chain(c.frameworks.iter().map(|f| f.id.span.file))
        .chain(c.competency_frameworks.iter().map(|f| f.id.span.file));
    for file in files {
        for part in [sources.path(file), sources.text(file)] {
            key.update((part.len() as u64).to_le_bytes());
            key.update(part.as_bytes());
        }
    }
    key.finalize().into()
}

/// Replaces one file atomically (`cib import` writes framework files with it).
pub fn replace_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    output::replace(path, bytes)
}

fn assessment_path(a: &Assessment, sheet: Sheet) -> String {
    format!("assessments/{}.{}.pdf", a.id.value, sheet.as_str())
}

fn records_path(f: &crate::model::CompetencyFramework) -> String {
    format!("records/{}.pdf", f.id.value)
}

fn records_csv_path(f: &crate::model::CompetencyFramework) -> String {
    format!("records/{}.csv", f.id.value)
}

/// A bundle and what it holds, in order.
struct Contents<'c> {
    bundle: &'c Bundle,
    lessons: Vec<&'c Lesson>,
    assessments: Vec<&'c Assessment>,
    /// The regulated course it delivers, whose records it holds last.
    delivery: Option<analyze::delivery::Delivery<'c>>,
}

/// One PDF a bundle's combined PDF joins after its front.
struct BundlePart<'c> {
    path: String,
    title: String,
    lesson: Option<&'c Lesson>,
}

impl<'c> Contents<'c> {
    /// The assessments' sheets the bundle holds: the task sheet of each, and
    /// for instructors its score sheet after it.
    fn sheets(&self) -> Vec<(&'c Assessment, Sheet)> {
        let sheets: &[Sheet] = match self.bundle.audience {
            Audience::Instructor => &[Sheet::Task, Sheet::Score],
            Audience::Student => &[Sheet::Task],
        };
        self.assessments
            .iter()
            .flat_map(|a| sheets.iter().map(move |s| (*a, *s)))
            .collect()
    }

    /// Every PDF after the front, in order: the lessons for the bundle's
    /// audience, the assessments' sheets, then the delivery records.
    fn parts(&self) -> Vec<BundlePart<'c>> {
        let lessons = self.lessons.iter().map(|l| BundlePart {
            path: publish::lesson_path(l, self.bundle.audience),
            title: l.title.clone(),
            lesson: Some(*l),
        });
        let sheets = self.sheets().into_iter().map(|(a, sheet)| BundlePart {
            path: assessment_path(a, sheet),
            title: sheet.title(a),
            lesson: None,
        });
        let records = self.delivery.as_ref().map(|d| BundlePart {
            path: delivery_path(self.bundle),
            title: format!("Delivery records: {}", d.framework.title),
            lesson: None,
        });
        lessons.chain(sheets).chain(records).collect()
    }
}

fn delivery_path(bundle: &Bundle) -> String {
    format!("records/{}.delivery.pdf", bundle.id.value)
}

fn bundle_path(stem: &str) -> String {
    format!("bundles/{stem}.pdf")
}

/// What a build makes, worked out before anything is rendered.
struct Plan<'c> {
    bundles: Vec<Contents<'c>>,
    coverage: analyze::coverage::Coverage<'c>,
    /// The coverage report as `coverage.json` holds it.
    report: serde_json::Value,
    /// Every PDF typst makes from scratch: the report, two per lesson, two per
    /// assessment and the records of each competency framework. Bundles are
    /// assembled from these PDFs (see [`combine`]).
    jobs: Vec<Job<'c>>,
}

fn plan<'c>(
    root: &'c Path,
    c: &'c Curriculum,
    settings: &'c crate::model::Settings,
    provenance: &crate::load::Provenance,
    site: Site,
) -> Plan<'c> {
    let bundles: Vec<Contents> = settings
        .bundles
        .iter()
        .filter(|bundle| site.holds(bundle.audience))
        .map(|bundle| {
            let lessons = crate::model::bundle::lessons(c, bundle);
            Contents {
                bundle,
                delivery: analyze::delivery::delivery(c, bundle, &lessons),
                lessons,
                assessments: crate::model::bundle::assessments(c, bundle),
            }
        })
        .collect();
    let coverage = analyze::coverage::coverage(c);
    let thresholds = coverage.thresholds(c);
    let report = publish::coverage::report(c, &coverage, &thresholds, provenance, None);
    // The report first: it is the longest document, and started last it would
    // leave the other cores idle at the end.
    let report_document =
        render::coverage(c, &report, &publish::coverage::described_changes(&report));
    let mut jobs = Vec::new();
    if site == Site::Instructors {
        jobs.push(Job {
            path: "reports/coverage.pdf".into(),
            document: Box::new(move || report_document.clone()),
            origin: Span::whole(settings.file),
            what: "the coverage report".into(),
            kind: DocumentKind::Report,
        });
    }
    jobs.extend(lesson_jobs(root, c, site));
    let sheets: &[Sheet] = match site {
        Site::Instructors => &[Sheet::Task, Sheet::Score],
        Site::Students => &[Sheet::Task],
    };
    for a in &c.assessments {
        for &sheet in sheets {
            jobs.push(Job {
                path: assessment_path(a, sheet),
                document: Box::new(move || render::assessment(root, c, a, sheet)),
                origin: a.id.span.clone(),
                what: format!(
                    "the {} of assessment `{}`",
                    sheet.label().to_lowercase(),
                    a.id.value
                ),
                kind: DocumentKind::Assessment,
            });
        }
    }
    for contents in &bundles {
        if let Some(d) = &contents.delivery {
            jobs.push(Job {
                path: delivery_path(contents.bundle),
                document: {
                    let document = render::delivery(c, contents.bundle, d);
                    Box::new(move || document.clone())
                },
                origin: d.course.id.span.clone(),
                what: format!(
                    "the delivery records of bundle `{}`",
                    contents.bundle.id.value
                ),
                kind: DocumentKind::Records,
            });
        }
    }
    for f in c
        .competency_frameworks
        .iter()
        .filter(|_| site == Site::Instructors)
    {
        jobs.push(Job {
            path: records_path(f),
            document: Box::new(move || render::records(c, f)),
            origin: f.id.span.clone(),
            what: format!("the competency records of `{}`", f.id.value),
            kind: DocumentKind::Records,
        });
    }
    Plan {
        bundles,
        coverage,
        report,
        jobs,
    }
}

/// Writes every document a build of `root` would typeset as a typst project
/// under `out` (one folder per PDF) and lists them in `out/projects.tsv`:
/// folder, main file, PDF path and, for a bundle's front, the folders of the
/// lessons whose PDFs follow it (comma-separated; empty for other rows).
/// Benchmarks hand these to the typst CLI to compare it with `cib build` on
/// the same sources. A front is made as though every lesson had no pages: its
/// page numbers and the numbering pages laid over the lessons come from the
/// lesson PDFs, which an export does not make. The CLI so lays out no
/// numbering pages, a small part of a front's work (BENCHMARKS.md).
///
/// Returns the number of projects, or the check's findings when the
/// curriculum has errors.
pub fn export_typst(root: &Path, out: &Path) -> anyhow::Result<Result<usize, Box<Checked>>> {
    crate::ensure_new_folder(out, "export")?;
    let checked = crate::check(root)?;
    if checked.has_errors() {
        return Ok(Err(Box::new(checked)));
    }
    let c = &checked.curriculum;
    let settings = c
        .settings
        .as_ref()
        .context("internal error: a curriculum without errors has settings")?;
    let provenance = crate::load::provenance(root, &checked.sources);
    let Plan { bundles, jobs, .. } = plan(root, c, settings, &provenance, Site::Instructors);
    let folder = |path: &str| path.trim_end_matches(".pdf").replace('/', "-");
    let fronts = bundles.iter().map(|contents| {
        let parts = contents.parts();
        let counted: Vec<render::Part> = parts
            .iter()
            .map(|p| render::Part {
                title: p.title.clone(),
                pages: 0,
                lesson: p.lesson,
            })
            .collect();
        let folders: Vec<String> = parts.iter().map(|p| folder(&p.path)).collect();
        let path = bundle_path(&package::stem(c, contents.bundle));
        (
            path,
            render::bundle(c, contents.bundle, &counted),
            folders.join(","),
        )
    });
    let documents = jobs
        .into_iter()
        .map(|job| (job.path, (job.document)(), String::new()))
        .chain(fronts);
    let mut list = String::new();
    let mut count = 0;
    for (path, document, parts) in documents {
        let name = folder(&path);
        let main = document.write_project(root, &out.join(&name))?;
        let main = main.strip_prefix(out).unwrap_or(&main);
        list.push_str(&format!("{name}\t{}\t{path}\t{parts}\n", main.display()));
        count += 1;
    }
    output::write(&out.join("projects.tsv"), list.as_bytes())?;
    Ok(Ok(count))
}

/// Every lesson PDF of the build: two per lesson. Preparing a document walks
/// its Markdown, a no-op rebuild's largest cost after the check; it happens
/// in the jobs, which run on every core.
fn lesson_jobs<'c>(root: &'c Path, c: &'c Curriculum, site: Site) -> Vec<Job<'c>> {
    let lessons = c
        .lessons
        .iter()
        .flat_map(|l| [(l, Audience::Instructor), (l, Audience::Student)]);
    lessons
        .filter(|(_, audience)| site.holds(*audience))
        .map(|(lesson, audience)| Job {
            path: publish::lesson_path(lesson, audience),
            document: Box::new(move || render::lesson(root, c, lesson, audience)),
            origin: lesson.id.span.clone(),
            what: format!("lesson `{}`", lesson.id.value),
            kind: DocumentKind::Lesson,
        })
        .collect()
}

/// Takes a document from the cache or typesets it, and writes it into the stage.
fn make(
    root: &Path,
    renderer: &Renderer,
    cache: &Cache,
    output: &Output,
    job: &Job,
) -> Result<Made, Box<Diagnostic>> {
    let document = (job.document)();
    let key = document.fingerprint(root);
    let target = output.stage().join(&job.path);
    let made = cached(cache, &key, &target, &job.origin, &job.what, || {
        typeset(root, renderer, &document, &job.origin, &job.what)
    })?;
    Ok(Made {
        images: document.images().to_vec(),
        ..made
    })
}

/// Takes a bundle's combined PDF from the cache or assembles it: its front
/// (cover and contents) typeset, then the PDFs of `parts` (its lessons, then
/// its assessments' sheets).
fn combine(
    root: &Path,
    renderer: &Renderer,
    cache: &Cache,
    output: &Output,
    c: &Curriculum,
    bundle: &Bundle,
    parts: &[(&Made, BundlePart)],
) -> Result<Made, Box<Diagnostic>> {
    use sha2::{Digest, Sha256};
    let counted: Vec<render::Part> = parts
        .iter()
        .map(|(m, part)| render::Part {
            title: part.title.clone(),
            pages: m.pages,
            lesson: part.lesson,
        })
        .collect();
    let front = render::bundle(c, bundle, &counted);
    // The front's fingerprint covers cib's version and the lessons' page
    // counts; the parts' hashes cover everything else the result holds.
    let front_key = front.fingerprint(root);
    let mut key = Sha256::new();
    key.update(front_key);
    for (part, _) in parts {
        key.update(part.sha256.as_bytes());
    }
    let key: [u8; 32] = key.finalize().into();
    let path = bundle_path(&package::stem(c, bundle));
    let what = format!("the combined PDF of bundle `{}`", bundle.id.value);
    let origin = &bundle.id.span;
    cache.carry(&front_key).map_err(|e| {
        Box::new(Diagnostic::new(
            Code::RenderFailed,
            origin.clone(),
            format!(
                "cannot keep the cover of bundle `{}`: {e:#}",
                bundle.id.value
            ),
        ))
    })?;
    cached(
        cache,
        &key,
        &output.stage().join(&path),
        origin,
        &what,
        || {
            let cannot = |e: String| {
                Box::new(Diagnostic::new(
                    Code::RenderFailed,
                    origin.clone(),
                    format!("cannot make {what}: {e}"),
                ))
            };
            // An edited lesson that kept its page count leaves the front as
            // it was: it comes from the cache too.
            let front = match cache.fetch(&front_key) {
                Some(pdf) => pdf,
                None => {
                    let what = format!("the cover of bundle `{}`", bundle.id.value);
                    let front = typeset(root, renderer, &front, origin, &what)?;
                    cache
                        .keep(&front_key, front.pages, &front.pdf)
                        .map_err(|e| cannot(format!("{e:#}")))?;
                    front.pdf
                }
            };
            let pdfs = parts
                .iter()
                .map(|(m, _)| {
                    std::fs::read(&m.file)
                        .map_err(|e| cannot(format!("cannot read `{}`: {e}", m.file.display())))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let pdfs: Vec<&[u8]> = pdfs.iter().map(Vec::as_slice).collect();
            render::assemble(&front, &pdfs, bundle.duplex).map_err(|e| {
                Box::new(Diagnostic::new(
                    Code::RenderFailed,
                    origin.clone(),
                    format!("cannot make {what}: {e}"),
                ))
            })
        },
    )
}

/// The PDF for `key` from the cache, or else the one `produce` makes, stored
/// in the cache; either way written to `target`.
/// Takes a zip from the cache, or packs it: again only when one of its
/// entries changed.
fn pack(
    cache: &Cache,
    packing: &package::Packing<'_>,
    stamp: Stamp,
    target: &Path,
    origin: &Span,
    what: &str,
) -> Result<Made, Box<Diagnostic>> {
    cached(cache, &packing.key(stamp), target, origin, what, || {
        let zip = packing.zip(stamp).map_err(|e| {
            Box::new(Diagnostic::new(
                Code::RenderFailed,
                origin.clone(),
                format!("cannot pack {what}: {e}"),
            ))
        })?;
        Ok(render::Rendered { pdf: zip, pages: 0 })
    })
}

fn cached(
    cache: &Cache,
    key: &[u8; 32],
    target: &Path,
    origin: &Span,
    what: &str,
    produce: impl FnOnce() -> Result<render::Rendered, Box<Diagnostic>>,
) -> Result<Made, Box<Diagnostic>> {
    let io_error = |e: anyhow::Error| {
        Box::new(Diagnostic::new(
            Code::RenderFailed,
            origin.clone(),
            format!("cannot write {what}: {e:#}"),
        ))
    };
    if let Some(hit) = cache.reuse(key, target).map_err(io_error)? {
        return Ok(Made {
            file: target.to_path_buf(),
            images: Vec::new(),
            size: hit.size,
            sha256: hit.sha256,
            pages: hit.pages,
            rendered: false,
            typeset: Duration::ZERO,
        });
    }
    let started = Instant::now();
    let rendered = produce()?;
    let typeset = started.elapsed();
    let sha256 = cache
        .store(key, rendered.pages, &rendered.pdf, target)
        .map_err(io_error)?;
    Ok(Made {
        file: target.to_path_buf(),
        images: Vec::new(),
        size: rendered.pdf.len(),
        sha256,
        pages: rendered.pages,
        rendered: true,
        typeset,
    })
}

/// Runs typst on `document`; a failure becomes a finding at `origin`.
fn typeset(
    root: &Path,
    renderer: &Renderer,
    document: &render::Document,
    origin: &Span,
    what: &str,
) -> Result<render::Rendered, Box<Diagnostic>> {
    let rendered = renderer.pdf(root, document);
    // Emptied after each document: documents share little, and a long one
    // (a records PDF of 500 competencies) left in the cache slowed and grew
    // the documents after it (200-lesson build: 10.3 s and 645 MB with
    // `evict(2)`, 8.2 s and 455 MB with this).
    typst::comemo::evict(0);
    rendered.map_err(|e| {
        let mut d = Diagnostic::new(
            Code::RenderFailed,
            origin.clone(),
            format!("typst could not render {what}: {e}"),
        );
        if !document.images().is_empty() {
            d = d.with_hint(format!(
                "it embeds {}; check that each is a valid PNG, JPEG or SVG file",
                document
                    .images()
                    .iter()
                    .map(|i| i.trim_start_matches('/'))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Box::new(d)
    })
}

fn file_info(path: &str, size: usize, sha256: String) -> FileInfo {
    FileInfo {
        href: format!("../{path}"),
        size,
        sha256,
    }
}

/// The time stamped on zip entries: `SOURCE_DATE_EPOCH` when set (the
/// reproducible-builds convention), else the curriculum's date.
fn zip_stamp(settings: &crate::model::Settings) -> anyhow::Result<Stamp> {
    if let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") {
        let text = value.to_string_lossy();
        let seconds: i64 = text.trim().parse().with_context(|| {
            format!("SOURCE_DATE_EPOCH is `{text}`; it must be a whole number of seconds since 1970-01-01")
        })?;
        return Stamp::from_epoch(seconds).map_err(|e| anyhow::anyhow!("SOURCE_DATE_EPOCH: {e}"));
    }
    let date = render::Date::parse(&settings.date).with_context(|| {
        format!(
            "the curriculum's `date` ({}) is not a calendar date; write it as YYYY-MM-DD",
            settings.date
        )
    })?;
    Stamp::from_date(date.year, date.month, date.day)
        .map_err(|e| anyhow::anyhow!("the curriculum's `date`: {e}"))
}
