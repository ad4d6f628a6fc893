//! The demo's edition of the e-book (decision 0041): the published demo practices, one chapter per
//! action line, built at once, so that `/bacheca/ebook` has a file to download in `serve --demo`.

use reti_domain::input::EditionInput;
use reti_domain::input::edition::DEFAULT_LICENCE;
use reti_store::editions::VersionStatus;
use reti_store::{Actor, Db};
use reti_web::editions::{ChapterBasis, build_version, chapters_by};

pub const TITLE: &str = "Buone pratiche delle reti territoriali";

const INTRODUCTION: &str = "Questa edizione raccoglie le esperienze delle reti territoriali per \
l'integrazione dei cittadini di paesi terzi pubblicate sulla bacheca delle esperienze del programma \
LAB'IMPACT. Ogni capitolo corrisponde a una linea d'azione del piano d'intervento: scuola in \
contesti multiculturali, accesso ai servizi, informazione qualificata, partecipazione attiva.\n\n\
Le pratiche seguono lo stesso schema — contesto, problema, obiettivi, destinatari, attività, \
risultati, trasferibilità — perché chi legge possa confrontarle e riprenderle nel proprio territorio.";
const ENGLISH_SUMMARY: &str = "This edition collects the experiences of the territorial networks for the \
integration of third-country nationals published on the LAB'IMPACT board of experiences, one chapter \
per action line of the programme. Every practice follows the same template, so that readers can \
compare them and take them up in their own territory.";

/// Creates and builds the edition once: a database that has an edition already is left alone.
pub async fn load(db: &Db, actor: &Actor) -> anyhow::Result<()> {
    if !db.editions().await?.is_empty() {
        return Ok(());
    }
    let input = EditionInput {
        title: TITLE.into(),
        subtitle: "Esperienze del programma LAB'IMPACT per linea d'azione".into(),
        year: time::OffsetDateTime::now_utc().year(),
        editors: vec!["Coordinamento regionale".into()],
        licence: DEFAULT_LICENCE.into(),
        introduction: INTRODUCTION.into(),
        english_summary: ENGLISH_SUMMARY.into(),
    };
    let id = db.create_edition(actor, &input).await?;
    let chapters = chapters_by(db, ChapterBasis::ActionLine).await?;
    db.add_edition_chapters(actor, &id, &chapters).await?;
    let version = db.request_edition_build(actor, &id, false).await?;
    build_version(db, &version).await?;
    let built = db.edition_version(&version.id).await?;
    anyhow::ensure!(
        built.as_ref().is_some_and(|v| v.status == VersionStatus::Done),
        "the demo edition did not build: {:?}",
        built.and_then(|v| v.error)
    );
    Ok(())
}
