use std::path::Path;
use std::process::ExitCode;

use cib::scaffold::{self, Added, Addition};

use super::findings;

/// Add a lesson, a competency or a framework to the curriculum.
///
/// Each is written from a template with placeholders to replace.
///
/// Nothing is replaced: an id that is taken or does not match its schema's
/// pattern is refused (exit 2). What is written is checked with the rest of
/// the curriculum; if it adds an error (say, a character no font prints), the
/// file is put back as it was and the exit status is 1.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib new lesson shop-micrometer --title \"Micrometers\" --teaches SHOP-MEAS-02\n  cib new competency SHOP-MEAS-02 --framework shop-basics --title \"Use a micrometer\"\n  cib new framework cnc-mill --title \"CNC Milling\"\n  cib new framework state-mtt --external --title \"State MTT\" --publisher \"State DOE\""
)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    Lesson(LessonArgs),
    Competency(CompetencyArgs),
    Framework(FrameworkArgs),
}

/// A lesson: lessons/[FOLDER/]ID.md, teaching existing competencies.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib new lesson shop-micrometer --title \"Micrometers\" --teaches SHOP-MEAS-02\n  cib new lesson mill-offsets --title \"Work Offsets\" --teaches CNC-MILL-03,CNC-MILL-04 \\\n      --minutes 90 --folder cnc-mill"
)]
struct LessonArgs {
    /// The lesson's id, lower case with hyphens (also its file name).
    id: String,

    /// The lesson's title, as printed.
    #[arg(long)]
    title: String,

    /// The competencies it teaches, by id (comma-separated or repeated).
    #[arg(
        long,
        required = true,
        value_delimiter = ',',
        value_name = "COMPETENCY"
    )]
    teaches: Vec<String>,

    /// Its planned length in minutes.
    #[arg(long, default_value_t = 45)]
    minutes: u32,

    /// A folder under lessons/ to write it in.
    #[arg(long, value_name = "SUBDIR")]
    folder: Option<String>,
}

/// A competency, added at the end of a competency framework's list.
///
/// The framework's file keeps every byte it had, comments included.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib new competency CNC-MILL-02 --framework cnc-mill --title \"Face a block\"\n  cib new competency SHOP-MEAS-02 --framework shop-basics --title \"Use a micrometer\" \\\n      --level essential --hours 2 --statement \"Measure a diameter to 0.001 in.\""
)]
struct CompetencyArgs {
    /// The competency's id, upper case with hyphens, unique in the curriculum.
    id: String,

    /// The id of the competency framework (in competencies/) to add it to.
    #[arg(long, value_name = "FRAMEWORK")]
    framework: String,

    /// The competency's title.
    #[arg(long)]
    title: String,

    /// Its level, on the curriculum's scale (`competency_levels` in
    /// curriculum.yaml, or DESE's basic, essential, advanced, advanced-plus);
    /// the scale's lowest level if not given.
    #[arg(long)]
    level: Option<String>,

    /// Estimated hours to reach it.
    #[arg(long, default_value_t = 1.0)]
    hours: f64,

    /// What the student can do: an action verb, the conditions and the
    /// standard [default: a placeholder to replace].
    #[arg(long)]
    statement: Option<String>,
}

/// A framework: one of ours in competencies/ID.yaml, or with --external one
/// we align to in frameworks/ID.yaml, with one placeholder to replace.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib new framework cnc-mill --title \"CNC Milling\"   # competencies/cnc-mill.yaml, CNC-MILL-01\n  cib new framework state-mtt --external --title \"State MTT\" --publisher \"State DOE\""
)]
struct FrameworkArgs {
    /// The framework's id, lower case with hyphens (also its file name).
    id: String,

    /// The framework's title.
    #[arg(long)]
    title: String,

    /// Write an external framework (standards, exam objectives) in frameworks/.
    #[arg(long, requires = "publisher")]
    external: bool,

    /// Who owns the external framework.
    #[arg(long, requires = "external")]
    publisher: Option<String>,

    /// The id of the first competency [default: the framework id in upper
    /// case, then -01].
    #[arg(long, value_name = "ID", conflicts_with = "external")]
    competency: Option<String>,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let addition = match &args.what {
        What::Lesson(a) => Addition::Lesson {
            id: a.id.clone(),
            title: a.title.clone(),
            teaches: a.teaches.clone(),
            minutes: a.minutes,
            folder: a.folder.clone(),
        },
        What::Competency(a) => Addition::Competency {
            id: a.id.clone(),
            framework: a.framework.clone(),
            title: a.title.clone(),
            level: a.level.clone(),
            hours: a.hours,
            statement: a.statement.clone(),
        },
        What::Framework(a) => Addition::Framework {
            id: a.id.clone(),
            title: a.title.clone(),
            publisher: a.publisher.clone(),
            competency: a.competency.clone(),
        },
    };
    let added = scaffold::add(root, &addition)?;
    let Added {
        path,
        created,
        report,
        total,
        rolled_back,
    } = added;
    if !report.diagnostics.is_empty() {
        let added = findings::print_findings(
            cib::diag::render::Format::Human,
            findings::auto_color(),
            &report,
        )?;
        // The count is of what the addition brought, and says so; the rest of
        // the curriculum's findings are `cib check`'s to list.
        eprintln!(
            "the new {} adds {}; the curriculum has {} in all (`cib check` lists them)",
            noun(&args.what),
            counted(added),
            counted(total)
        );
    }
    if rolled_back {
        if report.has_errors() {
            eprintln!(
                "error: with the new {}, `cib check` finds the errors above, so `{path}` was put back as it was",
                noun(&args.what)
            );
        } else {
            eprintln!(
                "error: internal error: `cib check` does not find the new {} in `{path}`, so it was put back as it was; please report this",
                noun(&args.what)
            );
        }
        return Ok(ExitCode::from(1));
    }
    let verb = if created { "created" } else { "added to" };
    println!("{verb} {path}");
    match &args.what {
        What::Lesson(_) => {
            println!("next: replace the placeholders in {path}, then run `cib check`")
        }
        What::Competency(a) => println!(
            "next: replace its placeholders, and teach it in a lesson:\n  cib new lesson LESSON-ID --title \"...\" --teaches {}",
            a.id
        ),
        What::Framework(a) if a.external => println!(
            "next: replace the placeholder item with the owner's items, then align competencies to them (`target: {}:CODE`)",
            a.id
        ),
        What::Framework(a) => println!(
            "next: replace the placeholders, teach its competencies in lessons, and list it in a bundle in curriculum.yaml (`frameworks: [{}]`) to publish them",
            a.id
        ),
    }
    Ok(ExitCode::SUCCESS)
}

fn counted(tally: cib::diag::Tally) -> String {
    use cib::diag::render::plural;
    format!(
        "{} and {}",
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning")
    )
}

fn noun(what: &What) -> &'static str {
    match what {
        What::Lesson(_) => "lesson",
        What::Competency(_) => "competency",
        What::Framework(_) => "framework",
    }
}
