//! `cib build`: check → analyze → render → package → publish.
//!
//! The build is all or nothing. It stops at the check's errors; it renders every
//! document before it writes anything final; and the output folder is replaced
//! whole (see [`output`]), so a failed build leaves the previous one usable.
//! Documents whose inputs did not change come from a cache of earlier PDFs
//! keyed by [`render::Document::fingerprint`].

mod cache;
mod output;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::diag::{Code, Diagnostic, Span};
use crate::model::{Audience, Bundle, Curriculum, Lesson};
use crate::package::{self, Bundled, Stamp};
use crate::publish::{self, BundleFiles, FileInfo};
use crate::render::{self, Renderer};
use crate::{Checked, analyze};

use cache::Cache;
use output::Output;

/// How to build.
pub struct Options {
    /// The output folder; it is replaced whole by each build.
    pub out: PathBuf,
    /// Draw a progress bar on standard error.
    pub progress: bool,
}

/// What a finished build made.
pub struct Report {
    pub out: PathBuf,
    pub documents: Vec<DocumentReport>,
    /// Bundle zips: path in the output folder and size.
    pub zips: Vec<(String, usize)>,
    pub site: String,
    pub site_size: usize,
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
struct Job {
    path: String,
    document: render::Document,
    /// Where a rendering failure is reported.
    origin: Span,
    what: String,
    kind: DocumentKind,
}

struct Made {
    pdf: Vec<u8>,
    /// Hex SHA-256 of `pdf`, known from the cache entry's name.
    sha256: String,
    pages: usize,
    rendered: bool,
    typeset: Duration,
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
    } = plan(root, c, settings);
    let cache = Cache::open(
        &output.previous().join(".cache"),
        &output.stage().join(".cache"),
    )?;

    let bar = if options.progress {
        ProgressBar::with_draw_target(Some(jobs.len() as u64), ProgressDrawTarget::stderr())
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
    // Lessons first; a bundle is rendered only when all its lessons were, so a
    // broken lesson is reported once, at the lesson.
    let mut made: Vec<Option<Made>> = Vec::with_capacity(jobs.len());
    let mut failures = Vec::new();
    let (lesson_jobs, rest) = jobs.split_at(c.lessons.len() * 2);
    let (bundle_jobs, report_jobs) = rest.split_at(bundles.len());
    for result in crate::parallel::map(lesson_jobs, render) {
        match result {
            Ok(m) => made.push(Some(m)),
            Err(d) => {
                made.push(None);
                failures.push(*d);
            }
        }
    }
    let ready = |bundle: &Bundle, lessons: &[&Lesson]| {
        lessons.iter().all(|l| {
            let path = lesson_path(l, bundle.audience);
            let index = lesson_jobs.iter().position(|j| j.path == path);
            index.is_some_and(|i| made[i].is_some())
        })
    };
    let later: Vec<(&Job, bool)> = bundle_jobs
        .iter()
        .zip(&bundles)
        .map(|(job, (bundle, lessons))| (job, ready(bundle, lessons)))
        .chain(report_jobs.iter().map(|job| (job, true)))
        .collect();
    let bundle_results = crate::parallel::map(&later, |(job, ready)| ready.then(|| render(job)));
    for result in bundle_results {
        match result {
            Some(Ok(m)) => made.push(Some(m)),
            Some(Err(d)) => {
                made.push(None);
                failures.push(*d);
            }
            None => made.push(None),
        }
    }
    bar.finish_and_clear();
    if !failures.is_empty() {
        crate::diag::sort(&mut failures, &checked.sources);
        failures.dedup_by(|a, b| a.span == b.span && a.message == b.message);
        checked.diagnostics.extend(failures);
        crate::diag::sort(&mut checked.diagnostics, &checked.sources);
        return Ok(Outcome::Failed(Box::new(checked)));
    }
    let made: Vec<Made> = made.into_iter().flatten().collect();

    let c = &checked.curriculum;
    let license = ["LICENSE", "LICENSE.md", "LICENSE.txt"]
        .iter()
        .find_map(|name| std::fs::read_to_string(root.join(name)).ok());
    let index_of = |path: &str| {
        jobs.iter()
            .position(|j| j.path == path)
            .expect("every planned path has a job")
    };
    // Packing hashes and compresses every PDF again: one bundle per core.
    let packed = crate::parallel::map(&bundles, |(bundle, lessons)| {
        let stem = package::stem(c, bundle);
        let combined = &made[index_of(&bundle_path(&stem))];
        let lesson_pdfs: Vec<&[u8]> = lessons
            .iter()
            .map(|l| {
                made[index_of(&lesson_path(l, bundle.audience))]
                    .pdf
                    .as_slice()
            })
            .collect();
        package::bundle_zip(
            &Bundled {
                curriculum: c,
                bundle,
                lessons,
                combined: &combined.pdf,
                lesson_pdfs: &lesson_pdfs,
                license: license.as_deref(),
            },
            stamp,
        )
        .map(|zip| {
            let sha256 = package::sha256_hex(&zip);
            (zip, sha256)
        })
        .with_context(|| format!("cannot pack bundle `{}`", bundle.id.value))
    });
    let mut zips = Vec::new();
    let mut catalog = Vec::new();
    for ((bundle, lessons), packed) in bundles.iter().zip(packed) {
        let (zip, zip_sha256) = packed?;
        let stem = package::stem(c, bundle);
        let pdf = bundle_path(&stem);
        let combined = &made[index_of(&pdf)];
        let zip_path = format!("bundles/{stem}.zip");
        output::write(&output.stage().join(&zip_path), &zip)?;
        catalog.push(BundleFiles {
            bundle,
            lessons: lessons.clone(),
            zip: file_info(&zip_path, zip.len(), zip_sha256),
            pdf: file_info(&pdf, combined.pdf.len(), combined.sha256.clone()),
            pages: combined.pages,
            lesson_pdfs: lessons
                .iter()
                .map(|l| {
                    let path = lesson_path(l, bundle.audience);
                    let m = &made[index_of(&path)];
                    file_info(&path, m.pdf.len(), m.sha256.clone())
                })
                .collect(),
        });
        zips.push((zip_path, zip.len()));
    }
    for (path, bytes) in publish::coverage::files(c, &report) {
        output::write(&output.stage().join(path), &bytes)?;
    }
    let site = publish::site(c, &catalog, &coverage);
    let site_path = "site/index.html".to_owned();
    output::write(&output.stage().join(&site_path), site.as_bytes())?;
    output.commit()?;

    let documents = jobs
        .iter()
        .zip(&made)
        .map(|(job, m)| DocumentReport {
            path: job.path.clone(),
            size: m.pdf.len(),
            pages: m.pages,
            rendered: m.rendered,
            typeset: m.typeset,
            kind: job.kind,
        })
        .collect();
    Ok(Outcome::Built(Report {
        out: options.out.clone(),
        documents,
        zips,
        site: site_path,
        site_size: site.len(),
        elapsed: started.elapsed(),
    }))
}

/// Writes `files` (paths relative to `out`) into an output folder without
/// rebuilding it, each file atomically and under the build lock; `cib coverage`
/// uses it for `reports/`.
pub fn write_files(out: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    output::update(out, files)
}

fn lesson_path(lesson: &Lesson, audience: Audience) -> String {
    format!("lessons/{}.{}.pdf", lesson.id.value, audience.as_str())
}

fn bundle_path(stem: &str) -> String {
    format!("bundles/{stem}.pdf")
}

/// What a build makes, worked out before anything is rendered.
struct Plan<'c> {
    bundles: Vec<(&'c Bundle, Vec<&'c Lesson>)>,
    coverage: analyze::coverage::Coverage<'c>,
    /// The coverage report as `coverage.json` holds it.
    report: serde_json::Value,
    /// Every PDF: two per lesson, one per bundle (in that order), then the report.
    jobs: Vec<Job>,
}

fn plan<'c>(root: &Path, c: &'c Curriculum, settings: &'c crate::model::Settings) -> Plan<'c> {
    let bundles: Vec<(&Bundle, Vec<&Lesson>)> = settings
        .bundles
        .iter()
        .map(|b| (b, analyze::bundle_lessons(c, b)))
        .collect();
    let coverage = analyze::coverage::coverage(c);
    let thresholds = coverage.thresholds(c);
    let report = publish::coverage::report(c, &coverage, &thresholds, None);
    let mut jobs = document_jobs(root, c, &bundles);
    jobs.push(Job {
        path: "reports/coverage.pdf".into(),
        document: render::coverage(c, &report, &publish::coverage::described_changes(&report)),
        origin: Span::whole(settings.file),
        what: "the coverage report".into(),
        kind: DocumentKind::Report,
    });
    Plan {
        bundles,
        coverage,
        report,
        jobs,
    }
}

/// Writes every document a build of `root` would typeset as a typst project
/// under `out` (one folder per PDF) and lists them in `out/projects.tsv`:
/// folder, main file and PDF path, one per line. Benchmarks hand these to the
/// typst CLI to compare it with `cib build` on the same sources.
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
    let jobs = plan(root, c, settings).jobs;
    let mut list = String::new();
    for job in &jobs {
        let name = job.path.trim_end_matches(".pdf").replace('/', "-");
        let dir = out.join(&name);
        let main = job.document.write_project(root, &dir)?;
        let main = main.strip_prefix(out).unwrap_or(&main);
        list.push_str(&format!("{name}\t{}\t{}\n", main.display(), job.path));
    }
    output::write(&out.join("projects.tsv"), list.as_bytes())?;
    Ok(Ok(jobs.len()))
}

/// Every lesson and bundle PDF of the build: two per lesson, one per bundle.
fn document_jobs(root: &Path, c: &Curriculum, bundles: &[(&Bundle, Vec<&Lesson>)]) -> Vec<Job> {
    // Preparing a document walks its Markdown: a no-op rebuild's largest
    // cost after the check, so it is spread over the cores.
    let lessons: Vec<(&Lesson, Audience)> = c
        .lessons
        .iter()
        .flat_map(|l| [(l, Audience::Instructor), (l, Audience::Student)])
        .collect();
    let mut jobs = crate::parallel::map(&lessons, |&(lesson, audience)| Job {
        path: lesson_path(lesson, audience),
        document: render::lesson(root, c, lesson, audience),
        origin: lesson.id.span.clone(),
        what: format!("lesson `{}`", lesson.id.value),
        kind: DocumentKind::Lesson,
    });
    jobs.extend(crate::parallel::map(bundles, |(bundle, lessons)| Job {
        path: bundle_path(&package::stem(c, bundle)),
        document: render::bundle(root, c, bundle, lessons),
        origin: bundle.id.span.clone(),
        what: format!("the combined PDF of bundle `{}`", bundle.id.value),
        kind: DocumentKind::Bundle,
    }));
    jobs
}

/// Takes a document from the cache or typesets it, and writes it into the stage.
fn make(
    root: &Path,
    renderer: &Renderer,
    cache: &Cache,
    output: &Output,
    job: &Job,
) -> Result<Made, Box<Diagnostic>> {
    let key = job.document.fingerprint(root);
    let target = output.stage().join(&job.path);
    let io_error = |e: anyhow::Error| {
        Box::new(Diagnostic::new(
            Code::RenderFailed,
            job.origin.clone(),
            format!("cannot write {}: {e:#}", job.what),
        ))
    };
    if let Some(hit) = cache.reuse(&key, &target).map_err(io_error)? {
        return Ok(Made {
            pdf: hit.pdf,
            sha256: hit.sha256,
            pages: hit.pages,
            rendered: false,
            typeset: Duration::ZERO,
        });
    }
    let started = Instant::now();
    let rendered = renderer.pdf(root, &job.document);
    let typeset = started.elapsed();
    typst::comemo::evict(2);
    let rendered = rendered.map_err(|e| {
        let mut d = Diagnostic::new(
            Code::RenderFailed,
            job.origin.clone(),
            format!("typst could not render {}: {e}", job.what),
        );
        if !job.document.images().is_empty() {
            d = d.with_hint(format!(
                "it embeds {}; check that each is a valid PNG, JPEG or SVG file",
                job.document
                    .images()
                    .iter()
                    .map(|i| i.trim_start_matches('/'))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Box::new(d)
    })?;
    let sha256 = cache
        .store(&key, rendered.pages, &rendered.pdf, &target)
        .map_err(io_error)?;
    Ok(Made {
        pdf: rendered.pdf,
        sha256,
        pages: rendered.pages,
        rendered: true,
        typeset,
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
