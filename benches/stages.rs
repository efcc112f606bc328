//! In-process timings of the pipeline's stages on generated curricula, to tell
//! which stage a change made slower. Whole-command timings against other tools
//! are in `scripts/bench.sh` (see BENCHMARKS.md).

use std::path::Path;

use cib::generate::{self, Spec};
use cib::model::Audience;
use cib::render::{self, Renderer};
use criterion::{Criterion, criterion_group, criterion_main};

fn curriculum(dir: &Path, lessons: usize, competencies: usize, frameworks: usize) {
    generate::write(
        dir,
        &Spec {
            lessons,
            competencies,
            frameworks,
            seed: 1,
        },
    )
    .expect("the generator writes into a fresh temporary folder");
}

fn stages(c: &mut Criterion) {
    let large = tempfile::tempdir().expect("a temporary folder");
    curriculum(large.path(), 1000, 10_000, 10);
    let mut group = c.benchmark_group("1000 lessons, 10000 competencies");
    group.sample_size(10);
    group.bench_function("load", |b| {
        b.iter(|| cib::load::load(large.path()).expect("loads"))
    });
    group.bench_function("check (load, schema, resolve, rules)", |b| {
        b.iter(|| cib::check(large.path()).expect("checks"))
    });
    group.finish();

    let small = tempfile::tempdir().expect("a temporary folder");
    curriculum(small.path(), 4, 40, 1);
    let checked = cib::check(small.path()).expect("checks");
    let lesson = &checked.curriculum.lessons[0];
    let renderer = Renderer::default();
    let mut group = c.benchmark_group("one generated lesson");
    group.sample_size(20);
    for audience in [Audience::Instructor, Audience::Student] {
        group.bench_function(format!("prepare ({})", audience.as_str()), |b| {
            b.iter(|| render::lesson(small.path(), &checked.curriculum, lesson, audience))
        });
        let document = render::lesson(small.path(), &checked.curriculum, lesson, audience);
        group.bench_function(format!("typeset to PDF ({})", audience.as_str()), |b| {
            b.iter(|| {
                let pdf = renderer.pdf(small.path(), &document).expect("renders");
                // Forget typst's memoized work, or every run after the first is a cache hit.
                typst::comemo::evict(0);
                pdf
            })
        });
    }
    group.finish();

    // A bundle's combined PDF: its front and 50 lesson PDFs, joined.
    let bundle = tempfile::tempdir().expect("a temporary folder");
    curriculum(bundle.path(), 50, 500, 1);
    let checked = cib::check(bundle.path()).expect("checks");
    let cur = &checked.curriculum;
    let rendered: Vec<_> = cur
        .lessons
        .iter()
        .map(|l| {
            let document = render::lesson(bundle.path(), cur, l, Audience::Student);
            let pdf = renderer.pdf(bundle.path(), &document).expect("renders");
            typst::comemo::evict(0);
            (l, pdf)
        })
        .collect();
    let settings = cur.settings.as_ref().expect("settings");
    let counted: Vec<_> = rendered
        .iter()
        .map(|(l, r)| render::Part {
            title: l.title.clone(),
            pages: r.pages,
            lesson: Some(*l),
        })
        .collect();
    let front = render::bundle(cur, &settings.bundles[0], &counted);
    let front = renderer.pdf(bundle.path(), &front).expect("renders");
    let parts: Vec<&[u8]> = rendered.iter().map(|(_, r)| r.pdf.as_slice()).collect();
    let mut group = c.benchmark_group("a bundle of 50 lessons");
    group.sample_size(20);
    group.bench_function("assemble the combined PDF", |b| {
        b.iter(|| {
            render::assemble(&front.pdf, &parts, settings.bundles[0].duplex).expect("assembles")
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
