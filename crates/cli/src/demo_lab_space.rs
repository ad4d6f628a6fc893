//! The demo's lab space (decision 0040): in the open demo lab, a thread opened by its expert with
//! replies from a participant and the coordination, and a shared document written in two
//! revisions by the expert and a participant. A lab that has threads already is left alone, so
//! loading twice adds nothing.

use reti_domain::Email;
use reti_domain::documents::{DocumentInput, DocumentScope};
use reti_domain::exchanges::{ReplyInput, ThreadInput, quote};
use reti_store::exchanges::ExchangeScope;
use reti_store::labs::LabFilter;
use reti_store::{Actor, Db, PageRequest};

/// The lab that gets them (one of `demo_labs`' labs, by title).
const LAB: &str = "Scuola e territorio contro la dispersione";
const EXPERT: &str = "accompagnatore@reti.example";
const PARTICIPANT: &str = "membro@reti.example";
const COORDINATOR: &str = "coordinamento@reti.example";

const THREAD_TITLE: &str = "Casi da portare alla prossima sessione";
const THREAD_BODY: &str = "In vista della sessione sul passaggio tra scuola media e superiore, ogni rete porti **un caso** \
    di studente a rischio di abbandono (anonimo): come è stato intercettato, chi se ne è fatto carico, che cosa ha funzionato.\n\n\
    Scrivete qui il titolo del caso, così organizziamo i gruppi.";
const REPLIES: [&str; 2] = [
    "La nostra rete porta il caso di un ragazzo arrivato a metà anno: il CPIA ha fatto da ponte con la scuola superiore.",
    "Bene: prepariamo i gruppi in base ai casi. Chi non ha ancora scritto lo faccia entro venerdì.",
];

const DOCUMENT_TITLE: &str = "Protocollo di segnalazione: bozza comune";
/// (author, revision note, body), oldest first.
const REVISIONS: [(&str, &str, &str); 2] = [
    (
        EXPERT,
        "Prima traccia",
        "# Protocollo di segnalazione\n\n## Chi segnala\n\n- Il docente coordinatore di classe.\n\n## A chi\n\n- Al referente della rete per la dispersione.\n",
    ),
    (
        PARTICIPANT,
        "Aggiunti i tempi e il CPIA",
        "# Protocollo di segnalazione\n\n## Chi segnala\n\n- Il docente coordinatore di classe.\n- L'operatore del CPIA, per chi frequenta i corsi serali.\n\n## A chi\n\n- Al referente della rete per la dispersione.\n\n## Entro quando\n\n- Entro dieci giorni dalla terza assenza non giustificata.\n",
    ),
];

async fn account(db: &Db, email: &str) -> anyhow::Result<Option<(String, String)>> {
    Ok(db.user_by_email(&Email::parse(email)?).await?.map(|u| (u.id, u.name)))
}

pub async fn load(db: &Db, actor: &Actor, programme_id: &str) -> anyhow::Result<()> {
    let filter = LabFilter { programme_ids: Some(vec![programme_id.to_owned()]), ..LabFilter::default() };
    let Some(lab) = db.labs(&filter, PageRequest::all()).await?.items.into_iter().find(|l| l.title == LAB) else {
        return Ok(());
    };
    let (Some(expert), Some(participant), Some(coordinator)) =
        (account(db, EXPERT).await?, account(db, PARTICIPANT).await?, account(db, COORDINATOR).await?)
    else {
        return Ok(());
    };
    let scope = ExchangeScope::Lab(lab.id.clone());
    let Some(space) = db.exchange_space(&scope).await? else { return Ok(()) };
    if db.exchange_unread(&scope, &expert.0).await?.0 > 0 {
        return Ok(());
    }
    let input = ThreadInput { title: THREAD_TITLE.into(), body: THREAD_BODY.into() };
    let thread_id = db.exchange_create_thread(actor, &space, &expert.0, &input, None).await?;
    let thread = db
        .exchange_thread(&thread_id, &expert.0)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo lab thread {thread_id} not found"))?;
    let opening = db.exchange_messages(&thread_id, PageRequest::all()).await?.items.remove(0);
    let answer =
        ReplyInput { body: format!("{}{}", quote(&expert.1, &opening.body), REPLIES[0]), quote: Some(opening.id) };
    db.exchange_reply(actor, &space, &thread, &participant.0, &answer, None).await?;
    let follow_up = ReplyInput { body: format!("@{} {}", expert.1, REPLIES[1]), quote: None };
    db.exchange_reply(actor, &space, &thread, &coordinator.0, &follow_up, None).await?;

    let documents = DocumentScope::Lab(lab.id.clone());
    if db.documents_of(&documents, PageRequest::new(None, Some(1))).await?.total > 0 {
        return Ok(());
    }
    let input = |(_, summary, body): (&str, &str, &str)| DocumentInput {
        title: DOCUMENT_TITLE.into(),
        body: body.into(),
        summary: summary.into(),
    };
    let document = db.document_create(actor, &documents, &expert.0, &input(REVISIONS[0])).await?;
    db.document_save(actor, &document, &document.current_revision_id, &participant.0, &input(REVISIONS[1])).await?;
    Ok(())
}
