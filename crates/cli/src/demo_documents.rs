//! The demo's shared documents (decision 0034): the first networks each have a work plan written
//! over several revisions by different people, with a comment on one of them.

use reti_domain::Email;
use reti_domain::documents::{CommentInput, DocumentInput, DocumentScope};
use reti_store::{Actor, Db, PageRequest};

/// (author's e-mail, revision note, body) of each revision, oldest first.
const REVISIONS: [(&str, &str, &str); 4] = [
    (
        "referente@reti.example",
        "Prima stesura",
        "# Piano di lavoro condiviso\n\n## Obiettivi\n\n- Aprire uno sportello di orientamento per le famiglie arrivate da poco.\n- Coinvolgere le scuole del territorio.\n\n## Calendario\n\n- Gennaio: incontro di avvio con i partner.\n- Marzo: primo ciclo di laboratori.\n",
    ),
    (
        "membro@reti.example",
        "Aggiunte le attività di mediazione",
        "# Piano di lavoro condiviso\n\n## Obiettivi\n\n- Aprire uno sportello di orientamento per le famiglie arrivate da poco.\n- Coinvolgere le scuole del territorio.\n- Offrire mediazione linguistica nei colloqui con i servizi.\n\n## Calendario\n\n- Gennaio: incontro di avvio con i partner.\n- Marzo: primo ciclo di laboratori.\n",
    ),
    (
        "accompagnatore@reti.example",
        "Calendario aggiornato dopo l'incontro di rete",
        "# Piano di lavoro condiviso\n\n## Obiettivi\n\n- Aprire uno sportello di orientamento per le famiglie arrivate da poco.\n- Coinvolgere le scuole del territorio.\n- Offrire mediazione linguistica nei colloqui con i servizi.\n\n## Calendario\n\n- Gennaio: incontro di avvio con i partner.\n- Febbraio: formazione dei mediatori.\n- Aprile: primo ciclo di laboratori, in due sedi.\n",
    ),
    (
        "coordinamento@reti.example",
        "Indicatori di risultato",
        "# Piano di lavoro condiviso\n\n## Obiettivi\n\n- Aprire uno sportello di orientamento per le famiglie arrivate da poco.\n- Coinvolgere le scuole del territorio.\n- Offrire mediazione linguistica nei colloqui con i servizi.\n\n## Calendario\n\n- Gennaio: incontro di avvio con i partner.\n- Febbraio: formazione dei mediatori.\n- Aprile: primo ciclo di laboratori, in due sedi.\n\n## Indicatori\n\n| Indicatore | Obiettivo |\n|---|---|\n| Famiglie accolte allo sportello | 60 |\n| Scuole coinvolte | 4 |\n",
    ),
];

/// How many of the demo's networks get a document.
const NETWORKS: usize = 3;

/// Loads the documents once per network: a network that has documents already is left alone.
pub async fn load(db: &Db, actor: &Actor, network_ids: &[String]) -> anyhow::Result<()> {
    let mut authors = Vec::new();
    for (email, _, _) in REVISIONS {
        let user = db
            .user_by_email(&Email::parse(email)?)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo account {email} is missing"))?;
        authors.push(user.id);
    }
    for network_id in network_ids.iter().take(NETWORKS) {
        let scope = DocumentScope::Network(network_id.clone());
        if db.documents_of(&scope, PageRequest::new(None, Some(1))).await?.total > 0 {
            continue;
        }
        let input = |(_, summary, body): (&str, &str, &str)| DocumentInput {
            title: "Piano di lavoro condiviso".into(),
            body: body.into(),
            summary: summary.into(),
        };
        let document = db.document_create(actor, &scope, &authors[0], &input(REVISIONS[0])).await?;
        let mut base = document.current_revision_id.clone();
        let mut second = String::new();
        for (index, revision) in REVISIONS.iter().enumerate().skip(1) {
            let saved = db.document_save(actor, &document, &base, &authors[index], &input(*revision)).await?;
            if index == 1 {
                second = saved.id.clone();
            }
            base = saved.id;
        }
        let comment = CommentInput {
            revision_id: second,
            quote: "Offrire mediazione linguistica nei colloqui con i servizi.".into(),
            body: "Possiamo chiedere al consultorio di ospitare i colloqui il giovedì?".into(),
        };
        db.document_comment(actor, &document, &authors[2], &comment).await?;
    }
    Ok(())
}
