//! The demo's remote exchanges (issue 10): one or two threads per network, with replies, a quote,
//! a mention and a message hidden by the moderation, written through the same paths as the pages
//! (notifications and their mail jobs included). A network that already has threads is left as it
//! is, so a second run writes nothing.

use reti_domain::Email;
use reti_domain::exchanges::{ReplyInput, ThreadInput, quote};
use reti_store::exchanges::ExchangeScope;
use reti_store::{Actor, Db, PageRequest};

/// Thread topics: (title, opening message).
const TOPICS: [(&str, &str); 4] = [
    (
        "Calendario degli incontri del tavolo",
        "Propongo di fissare gli incontri del tavolo di rete **il primo martedì del mese**, alle 17:30, a rotazione nelle sedi dei partner.\n\nVi tornano? Se qualcuno ha vincoli, scrivetelo qui.",
    ),
    (
        "Materiali per lo sportello orientamento",
        "Condivido la bozza della scheda di accoglienza usata allo sportello. Mancano:\n\n- le informazioni sui corsi di italiano del CPIA\n- i contatti aggiornati del consultorio\n\nChi può completare?",
    ),
    (
        "Coinvolgere le associazioni di migranti",
        "Alla festa di quartiere abbiamo conosciuto due associazioni che vorrebbero partecipare al tavolo. Come le accogliamo? Proposta: un incontro di presentazione prima della prossima riunione.",
    ),
    (
        "Dati sugli accessi ai servizi",
        "Per il monitoraggio servirebbe raccogliere gli accessi allo sportello per mese e per provenienza. Ogni partner può usare lo stesso foglio? Ne discutiamo qui prima dell'incontro.",
    ),
];

const REPLIES: [&str; 3] = [
    "Per noi va bene; l'unico vincolo è giugno, quando le scuole chiudono.",
    "Posso occuparmene io entro venerdì. Carico qui il file aggiornato.",
    "D'accordo. Suggerisco di preparare una breve presentazione della rete da mandare prima.",
];

async fn user_id(db: &Db, email: &str) -> anyhow::Result<Option<(String, String)>> {
    Ok(db.user_by_email(&Email::parse(email)?).await?.map(|u| (u.id, u.name)))
}

/// Loads the threads of the networks `network_ids` (in the demo's order).
pub async fn load(db: &Db, actor: &Actor, network_ids: &[String]) -> anyhow::Result<()> {
    let Some(coordinator) = user_id(db, "coordinamento@reti.example").await? else { return Ok(()) };
    let lead = user_id(db, "referente@reti.example").await?;
    let member = user_id(db, "membro@reti.example").await?;
    for (index, network_id) in network_ids.iter().enumerate() {
        let scope = ExchangeScope::Network(network_id.clone());
        let Some(space) = db.exchange_space(&scope).await? else { continue };
        if db.exchange_unread(&scope, &coordinator.0).await?.0 > 0 {
            continue;
        }
        let facilitator = match db.network_facilitators(network_id).await?.first() {
            Some(id) => (id.clone(), db.user(id).await?.map(|u| u.name).unwrap_or_default()),
            None => coordinator.clone(),
        };
        // The first network has the demo's lead and member: they take part.
        let (opener, replier) = match (index, &lead, &member) {
            (0, Some(lead), Some(member)) => (lead.clone(), member.clone()),
            _ => (facilitator.clone(), coordinator.clone()),
        };
        let (title, body) = TOPICS[index % TOPICS.len()];
        let input = ThreadInput { title: title.into(), body: body.into() };
        let thread_id = db.exchange_create_thread(actor, &space, &opener.0, &input, None).await?;
        let thread = db
            .exchange_thread(&thread_id, &opener.0)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo thread {thread_id} not found"))?;
        let opening = db.exchange_messages(&thread_id, PageRequest::all()).await?.items.remove(0);
        let reply = ReplyInput {
            body: format!("{}{} @{}", quote(&opener.1, &opening.body), REPLIES[index % REPLIES.len()], facilitator.1),
            quote: Some(opening.id.clone()),
        };
        db.exchange_reply(actor, &space, &thread, &replier.0, &reply, None).await?;
        let mention =
            ReplyInput { body: format!("Grazie @{}: ne parliamo anche al prossimo incontro.", replier.1), quote: None };
        db.exchange_reply(actor, &space, &thread, &facilitator.0, &mention, None).await?;
        // An off-topic message, hidden by a moderator with the reason everyone sees.
        let (off_author, moderator) = if replier.0 == coordinator.0 {
            (facilitator.0.clone(), coordinator.0.clone())
        } else {
            (replier.0.clone(), facilitator.0.clone())
        };
        let off_topic =
            ReplyInput { body: "Vendo bicicletta usata, chi è interessato mi scriva in privato.".into(), quote: None };
        let off_id = db.exchange_reply(actor, &space, &thread, &off_author, &off_topic, None).await?;
        db.exchange_hide(
            actor,
            &thread,
            &off_id,
            &moderator,
            "Fuori tema: gli annunci personali non rientrano negli scambi della rete.",
        )
        .await?;
        if index % 2 == 0 {
            let (title, body) = TOPICS[(index + 1) % TOPICS.len()];
            let input = ThreadInput { title: title.into(), body: body.into() };
            let second = db.exchange_create_thread(actor, &space, &coordinator.0, &input, None).await?;
            let thread = db
                .exchange_thread(&second, &coordinator.0)
                .await?
                .ok_or_else(|| anyhow::anyhow!("demo thread {second} not found"))?;
            let answer = ReplyInput { body: REPLIES[(index + 1) % REPLIES.len()].into(), quote: None };
            db.exchange_reply(actor, &space, &thread, &facilitator.0, &answer, None).await?;
        }
    }
    Ok(())
}
