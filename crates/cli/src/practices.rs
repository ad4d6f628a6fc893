//! `reti import practices`, `reti export practices` and `reti generate practices` (decision 0029):
//! the catalogue of good practices in and out as JSON (the import's shape), CSV or XLSX, and a
//! synthetic catalogue at scale for the board's benchmark.

use anyhow::{Context, bail};
use reti_domain::practices::{MAX_IMPORT_BYTES, PracticeRecord, parse_import};
use reti_store::practices::{PracticeFilter, export_table, record_of};
use reti_store::{Actor, Db};
use reti_web::export::Format;
use reti_web::i18n::Translator;
use std::io::Write;
use std::path::Path;

/// Every problem of a refused file, one line each, in Italian.
fn report(tr: &Translator, errors: &reti_domain::FieldErrors) -> String {
    errors
        .0
        .iter()
        .map(|e| format!("{}: {}", e.field, reti_web::error::field_message(tr, &e.field, e.code, &e.args)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Imports the practices of `file`, all or none; `publish` puts them straight on the board.
pub async fn import(db: &Db, tr: &Translator, actor: &Actor, file: &Path, publish: bool) -> anyhow::Result<usize> {
    // The size first: a file past the bound is never read.
    let size = std::fs::metadata(file).with_context(|| format!("reading {}", file.display()))?.len();
    if size > MAX_IMPORT_BYTES {
        let max = (MAX_IMPORT_BYTES / (1024 * 1024)).to_string();
        bail!("{}: {}", file.display(), tr.t_args("error-practice-import-too-large", &[("max", max)]));
    }
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let imported = import_bytes(db, tr, actor, &bytes, publish).await.with_context(|| file.display().to_string())?;
    if publish {
        // A file can hold tens of thousands of practices: the board's index grows by ~56 rows each.
        db.refresh_board_statistics().await?;
    }
    Ok(imported)
}

/// Imports the practices of a file's content, all or none.
pub async fn import_bytes(
    db: &Db,
    tr: &Translator,
    actor: &Actor,
    bytes: &[u8],
    publish: bool,
) -> anyhow::Result<usize> {
    let records = parse_import(bytes).map_err(|errors| anyhow::anyhow!(report(tr, &errors)))?;
    let entries = match db.prepare_practice_import(&records, publish).await? {
        Ok(entries) => entries,
        Err(errors) => bail!(report(tr, &errors)),
    };
    Ok(db.import_practices(actor, &entries, publish).await?.len())
}

/// Writes every practice as JSON (the import's shape), CSV or XLSX.
pub async fn export(db: &Db, format: Format, out: &mut (impl Write + Send)) -> anyhow::Result<()> {
    let practices = db.practices_export(&PracticeFilter::default()).await?;
    match format {
        Format::Json => {
            let records: Vec<PracticeRecord> = practices.into_iter().map(|(p, codes)| record_of(&p, codes)).collect();
            serde_json::to_writer_pretty(&mut *out, &records)?;
            out.write_all(b"\n")?;
        }
        other => out.write_all(&reti_web::export::write(&export_table(practices), other)?)?,
    }
    Ok(())
}

/// Words the synthetic practices are made of: the seed's themes, so that queries find some.
const THEMES: [&str; 8] = [
    "Inclusione lavorativa",
    "Servizi per anziani",
    "Contrasto alla povertà",
    "Politiche giovanili",
    "Integrazione dei migranti",
    "Abitare sociale",
    "Conciliazione e famiglie",
    "Disabilità e autonomia",
];
const SUBJECTS: [&str; 12] = [
    "sportello",
    "rete",
    "laboratorio",
    "percorso",
    "tavolo",
    "comunità",
    "cooperativa",
    "scuola",
    "biblioteca",
    "centro",
    "servizio",
    "progetto",
];
const VERBS: [&str; 10] = [
    "accompagna",
    "integra",
    "coordina",
    "forma",
    "orienta",
    "sostiene",
    "collega",
    "ascolta",
    "accoglie",
    "valorizza",
];
const OBJECTS: [&str; 14] = [
    "giovani NEET",
    "famiglie fragili",
    "anziani soli",
    "persone con disabilità",
    "donne vittime di violenza",
    "minori stranieri",
    "lavoratori precari",
    "caregiver",
    "studenti",
    "detenuti",
    "senza dimora",
    "volontari",
    "imprese sociali",
    "cittadini",
];
const PLACES: [&str; 10] = [
    "città",
    "quartiere",
    "valle",
    "ambito territoriale",
    "comuni montani",
    "periferia",
    "centro storico",
    "distretto",
    "provincia",
    "borgo",
];

/// `rows` synthetic practices as an import file (JSON), deterministic for a given `rows`: varied
/// sentences from a small vocabulary, so that searches match many of them as real ones would. The
/// optional fields are left empty, so that 50,000 practices stay under the import's size bound.
pub fn generate(rows: usize, out: &mut impl Write) -> anyhow::Result<()> {
    let records: Vec<PracticeRecord> = (0..rows).map(synthetic).collect();
    serde_json::to_writer(&mut *out, &records)?;
    out.flush()?;
    Ok(())
}

fn pick(list: &[&'static str], i: usize, salt: usize) -> &'static str {
    list[(i.wrapping_mul(31).wrapping_add(salt * 17)) % list.len()]
}

fn sentence(i: usize, salt: usize) -> String {
    format!(
        "Il {} {} {} nella {} con attenzione alle {}.",
        pick(&SUBJECTS, i, salt),
        pick(&VERBS, i / 3, salt + 1),
        pick(&OBJECTS, i / 7, salt + 2),
        pick(&PLACES, i / 11, salt + 3),
        pick(&OBJECTS, i / 13, salt + 4),
    )
}

/// The `i`-th synthetic practice, complete enough to be published, without network or places.
pub fn synthetic(i: usize) -> PracticeRecord {
    PracticeRecord {
        title: format!(
            "{} {} per {} n. {i}",
            capitalised(pick(&SUBJECTS, i, 0)),
            pick(&VERBS, i, 5),
            pick(&OBJECTS, i, 9)
        ),
        network: None,
        municipalities: Vec::new(),
        action_line: Some(1 + (i % 4) as i64),
        theme: THEMES[i % THEMES.len()].to_owned(),
        year: Some(2018 + (i % 8) as i64),
        context: sentence(i, 1),
        problem: format!("{} {}", sentence(i, 2), sentence(i, 3)),
        objectives: sentence(i, 4),
        target_group: pick(&OBJECTS, i, 6).to_owned(),
        activities: format!("- {}\n- {}", sentence(i, 5), sentence(i, 6)),
        actors: sentence(i, 7),
        resources: format!("{} euro", 1000 + (i % 50) * 500),
        results: sentence(i, 8),
        innovation: String::new(),
        sustainability: String::new(),
        transferability: String::new(),
        lessons: String::new(),
        contacts: format!("rete{i}@prova.example"),
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_practices_are_valid_import_entries() {
        let mut out = Vec::new();
        super::generate(40, &mut out).unwrap();
        let records = reti_domain::practices::parse_import(&out).unwrap();
        assert_eq!(records.len(), 40);
        for record in &records {
            let input = reti_domain::practices::PracticeInput::parse(&record.to_raw()).unwrap();
            assert!(input.missing_for_submission().is_empty());
        }
    }
}
