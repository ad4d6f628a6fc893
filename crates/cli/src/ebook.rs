//! `reti ebook build --all-published`: an ad-hoc edition of every published practice, one
//! chapter per action line, written as `<slug>.epub` (SPEC §6, decision 0039).

use anyhow::Context;
use reti_domain::practices::PracticeStatus;
use reti_publish::{Chapter, Edition, PracticeDoc};
use reti_store::practices::{Practice, PracticeFilter};
use reti_store::{Db, PageRequest};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum EbookCommand {
    /// Build an e-book (EPUB 3) and print the path of the file.
    Build(BuildArgs),
}

#[derive(clap::Args)]
pub struct BuildArgs {
    /// Every published practice, one chapter per action line.
    #[arg(long, required = true)]
    all_published: bool,
    #[arg(long)]
    title: String,
    #[arg(long)]
    subtitle: Option<String>,
    #[arg(long, default_value = "CC BY 4.0")]
    licence: String,
    /// Editors, by name; repeat the option for each.
    #[arg(long = "editor")]
    editors: Vec<String>,
    /// The directory to write into (created if missing).
    #[arg(long)]
    output: PathBuf,
}

pub async fn run(db: &Db, command: EbookCommand) -> anyhow::Result<()> {
    let EbookCommand::Build(args) = command;
    let path = build_all_published(db, &args).await?;
    println!("{}", path.display());
    Ok(())
}

async fn build_all_published(db: &Db, args: &BuildArgs) -> anyhow::Result<PathBuf> {
    let filter = PracticeFilter { status: Some(PracticeStatus::Published), ..Default::default() };
    let practices = db.practices(&filter, PageRequest::all()).await?.items;
    let territories = db.ebook_published_territories().await?;
    let lines = db.ebook_action_line_titles().await?;
    let now = time::OffsetDateTime::now_utc();
    let count = practices.len();
    let edition = Edition {
        identifier: uuid::Uuid::now_v7(),
        modified: now,
        title: args.title.clone(),
        subtitle: args.subtitle.clone(),
        year: now.year(),
        editors: args.editors.clone(),
        licence: args.licence.clone(),
        introduction_markdown: format!(
            "Questa edizione raccoglie le {count} buone pratiche pubblicate sulla bacheca delle esperienze, \
             ordinate per linea d'azione."
        ),
        chapters: chapters(practices, territories, &lines),
    };
    let bytes = reti_publish::write_epub(&edition).context("writing the EPUB")?;
    write(&args.output, &format!("{}.epub", reti_publish::slug(&args.title)), &bytes)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// One chapter per action line in the order of their numbers, practices without one last; in a
/// chapter, practices by title.
fn chapters(
    practices: Vec<Practice>,
    mut territories: HashMap<String, Vec<String>>,
    lines: &HashMap<(String, i64), String>,
) -> Vec<Chapter> {
    // `None` sorts first in a BTreeMap: the key puts lines first and "no line" last.
    let mut by_line: BTreeMap<(bool, i64), Chapter> = BTreeMap::new();
    for practice in practices {
        let key = (practice.action_line.is_none(), practice.action_line.unwrap_or(0));
        let chapter = by_line.entry(key).or_insert_with(|| Chapter {
            title: match practice.action_line {
                Some(n) => match lines.get(&(practice.programme_id.clone(), n)) {
                    Some(title) => format!("Linea d'azione {n}: {title}"),
                    None => format!("Linea d'azione {n}"),
                },
                None => "Altre pratiche".into(),
            },
            introduction_markdown: String::new(),
            practices: Vec::new(),
        });
        chapter.practices.push(PracticeDoc {
            territories: territories.remove(&practice.id).unwrap_or_default(),
            title: practice.title,
            network: practice.network_name,
            action_line: practice.action_line,
            theme: practice.theme,
            year: practice.year,
            texts: practice.texts,
        });
    }
    let mut chapters: Vec<Chapter> = by_line.into_values().collect();
    for chapter in &mut chapters {
        chapter.practices.sort_by_cached_key(|p| reti_domain::text::fold(&p.title));
    }
    chapters
}
