//! `reti ebook build`: a stored edition (`--edition ID`, decision 0041) or an ad-hoc edition of
//! every published practice, one chapter per action line (`--all-published`, decision 0039),
//! written as `<slug>.epub` and `<slug>.pdf` into `--output`; the paths are printed, one a line.
//! On a terminal a progress bar shows the steps.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use reti_domain::Locale;
use reti_publish::Edition;
use reti_store::Db;
use reti_web::editions::BuildError;
use reti_web::i18n::Translator;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum EbookCommand {
    /// Build an e-book (EPUB 3) and print the path of each file.
    Build(BuildArgs),
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["edition", "all_published"])))]
pub struct BuildArgs {
    /// A stored edition, by id: its chapters and practices as they are now.
    #[arg(long)]
    edition: Option<String>,
    /// Every published practice, one chapter per action line.
    #[arg(long)]
    all_published: bool,
    #[arg(long, required_unless_present = "edition", conflicts_with = "edition")]
    title: Option<String>,
    #[arg(long, conflicts_with = "edition")]
    subtitle: Option<String>,
    #[arg(long, default_value = "CC BY 4.0")]
    licence: String,
    /// Editors, by name; repeat the option for each.
    #[arg(long = "editor", conflicts_with = "edition")]
    editors: Vec<String>,
    /// The directory to write into (created if missing).
    #[arg(long)]
    output: PathBuf,
}

pub async fn run(db: &Db, command: EbookCommand) -> anyhow::Result<()> {
    let EbookCommand::Build(args) = command;
    let paths = match &args.edition {
        Some(id) => build_edition(db, id, &args.output).await?,
        None => build_all_published(db, &args).await?,
    };
    for path in paths {
        println!("{}", path.display());
    }
    Ok(())
}

/// A bar of `steps` steps on a terminal's standard error; nothing elsewhere (a pipe, a log).
fn progress_bar(steps: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(steps);
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// The stored edition `id`, every format of it; the paths written.
async fn build_edition(db: &Db, id: &str, output: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let bar = progress_bar(100);
    bar.set_message(crate::translator().t("editions-cli-reading-edition"));
    let edition =
        reti_web::editions::assemble(db, id).await.map_err(|error| match error.downcast_ref::<BuildError>() {
            Some(reason) => anyhow::anyhow!("{}", crate::translator().t(reason.code())),
            None => error,
        })?;
    bar.set_position(30);
    bar.set_message(crate::translator().t("editions-cli-writing"));
    let files = reti_web::editions::build_files(edition).await?;
    bar.set_position(90);
    let mut paths = Vec::with_capacity(files.len());
    for file in &files {
        paths.push(write(output, &file.file_name, &file.bytes)?);
    }
    bar.finish_and_clear();
    Ok(paths)
}

async fn build_all_published(db: &Db, args: &BuildArgs) -> anyhow::Result<Vec<PathBuf>> {
    let title = args.title.clone().context("--title is required with --all-published")?;
    let bar = progress_bar(3);
    bar.set_message(crate::translator().t("editions-cli-reading-practices"));
    let chapters = reti_web::editions::all_published_chapters(db).await?;
    let now = time::OffsetDateTime::now_utc();
    let count: usize = chapters.iter().map(|chapter| chapter.practices.len()).sum();
    if count == 0 {
        anyhow::bail!("{}", crate::translator().t(BuildError::Empty.code()));
    }
    let edition = Edition {
        identifier: uuid::Uuid::now_v7(),
        modified: now,
        title,
        subtitle: args.subtitle.clone(),
        year: now.year(),
        editors: args.editors.clone(),
        licence: args.licence.clone(),
        // The e-book is in Italian whatever the terminal's language.
        introduction_markdown: Translator::new(Locale::It).t_count("editions-cli-introduction", count as i64),
        english_summary_markdown: String::new(),
        cover: None,
        chapters,
        labels: reti_web::editions::labels(),
    };
    bar.inc(1);
    bar.set_message(crate::translator().t("editions-cli-writing"));
    let files = reti_web::editions::build_files(edition).await?;
    bar.inc(1);
    let paths = files.iter().map(|file| write(&args.output, &file.file_name, &file.bytes)).collect::<Result<_, _>>()?;
    bar.inc(1);
    bar.finish_and_clear();
    Ok(paths)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}
