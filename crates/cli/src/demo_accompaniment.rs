//! The demo's accompaniment (SPEC §4): a year of diary entries on every network, written by the
//! facilitators who accompany it, and an objectives–processes matrix per network.
//!
//! The entries fall on the past year counted back from today, so the demo always looks current;
//! everything else is derived deterministically from the network's name. A network that already
//! has diary entries, or matrix objectives, is left as it is, so a second run writes nothing.

use reti_domain::diary::{DiaryEntryInput, DiaryKind};
use reti_domain::matrix::{CellStatus, ObjectiveInput, Raci};
use reti_domain::{Email, PersonName, Role};
use reti_store::diary::DiaryFilter;
use reti_store::matrix::CellInput;
use reti_store::users::NewUser;
use reti_store::{Actor, Db, PageRequest};

/// The facilitators of the networks the demo's facilitator account does not accompany: (e-mail,
/// name). They have no password: they write the diary, nobody logs in as them.
const FACILITATORS: [(&str, &str); 2] = [
    ("elena.galli@accompagnamento.example", "Elena Galli"),
    ("paolo.marchetti@accompagnamento.example", "Paolo Marchetti"),
];

const NOTES: [&str; 6] = [
    "Incontro con il tavolo di rete: ripresa del progetto locale e delle azioni avviate. **Buona partecipazione** dei servizi comunali; assenti le scuole.",
    "Affiancamento alla referente nella preparazione dell'ordine del giorno e nella lettura dei dati sugli accessi allo sportello.",
    "Chiamata con la cooperativa capofila sulle difficoltà di raccordo con l'ASST: concordato un incontro a tre.",
    "Revisione della bozza di protocollo d'intesa tra i partner:\n\n- ruoli da chiarire\n- tempi di firma\n- impegni delle associazioni",
    "Visita al centro di aggregazione: confronto con gli operatori e con due associazioni di migranti del quartiere.",
    "Incontro di monitoraggio: le azioni con le famiglie procedono, il gruppo di lavoro sulla comunicazione si è fermato.",
];

const GROWTH: [&str; 4] = [
    "Le associazioni di migranti chiedono di entrare nel tavolo di coordinamento.",
    "La rete comincia a leggere insieme i dati dei servizi: si può costruire un monitoraggio condiviso.",
    "Il legame con le scuole è ancora affidato a una sola insegnante.",
    "Nuove realtà del volontariato si sono avvicinate dopo l'evento pubblico.",
];

const NEXT: [&str; 4] = [
    "Convocare il tavolo allargato entro fine mese.",
    "Preparare una scheda condivisa per la raccolta dei dati.",
    "Incontro con la dirigente scolastica per formalizzare la collaborazione.",
    "Definire chi cura la comunicazione della rete.",
];

const OBJECTIVES: [&str; 4] = [
    "Costruire un accesso unico e orientato ai servizi per l'integrazione",
    "Rafforzare il dialogo tra scuole, famiglie e servizi",
    "Coinvolgere le associazioni di migranti nella governance della rete",
    "Rendere sostenibili le azioni oltre il finanziamento",
];

const KINDS: [DiaryKind; 5] = DiaryKind::ALL;
const HOURS: [i64; 6] = [150, 200, 300, 100, 250, 50];
const STATUSES: [CellStatus; 4] =
    [CellStatus::InProgress, CellStatus::Achieved, CellStatus::Planned, CellStatus::OnHold];

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// Loads the diary and the matrix of every network in `network_ids` (in the demo's order).
pub async fn load(db: &Db, actor: &Actor, network_ids: &[String]) -> anyhow::Result<()> {
    let mut extra = Vec::new();
    for (email, name) in FACILITATORS {
        let address = Email::parse(email)?;
        let user = match db.user_by_email(&address).await? {
            Some(user) => user,
            None => {
                let new = NewUser { email: address, name: PersonName::parse(name)?, password: None, is_admin: false };
                db.create_user(actor, new).await?
            }
        };
        extra.push(user);
    }
    let today = time::OffsetDateTime::now_utc().date();
    for (index, network_id) in network_ids.iter().enumerate() {
        let network =
            db.network(network_id).await?.ok_or_else(|| anyhow::anyhow!("demo network {network_id} vanished"))?;
        let facilitators = db.network_facilitators(network_id).await?;
        let author = match facilitators.first() {
            Some(id) => id.clone(),
            None => {
                let user = &extra[index % extra.len()];
                db.assign_role(actor, &user.id, &network.programme_id, Role::Facilitator).await?;
                db.assign_to_network(actor, &user.id, network_id, Role::Facilitator).await?;
                user.id.clone()
            }
        };
        let seed = fnv1a(&network.name);
        if db.diary_entries(&DiaryFilter::network(network_id), PageRequest::new(None, Some(1))).await?.total == 0 {
            // About every three weeks over the past year, the newest a few days ago.
            for step in 0..17u64 {
                let pick = usize::try_from((seed >> (step % 32)) % 97 + step).unwrap_or(0);
                let days = i64::try_from(step * 21 + (seed + step) % 5 + 2)?;
                let input = DiaryEntryInput {
                    entry_date: today - time::Duration::days(days),
                    hundredths: HOURS[pick % HOURS.len()],
                    kind: KINDS[pick % KINDS.len()],
                    notes: NOTES[pick % NOTES.len()].to_owned(),
                    growth_spaces: if step.is_multiple_of(3) {
                        GROWTH[pick % GROWTH.len()].to_owned()
                    } else {
                        String::new()
                    },
                    next_steps: NEXT[pick % NEXT.len()].to_owned(),
                };
                db.create_diary_entry(actor, network_id, &author, &input).await?;
            }
        }
        if db.matrix(network_id).await?.objectives.is_empty() {
            load_matrix(db, actor, &network, seed).await?;
        }
    }
    Ok(())
}

/// Three objectives on the network's action lines, and roles for its current members: the lead
/// organisation is accountable for coordination, the others share the work. On every third
/// network the last objective has nobody responsible, so the gaps view has something to show.
async fn load_matrix(
    db: &Db,
    actor: &Actor,
    network: &reti_store::registry::networks::Network,
    seed: u64,
) -> anyhow::Result<()> {
    let members: Vec<String> = network.current_members().map(|m| m.organisation_id.clone()).collect();
    if members.is_empty() {
        return Ok(());
    }
    let first = usize::try_from(seed % 4)?;
    for k in 0..3 {
        let line = network.action_lines.get(k % network.action_lines.len().max(1)).map(|l| l.id.clone());
        let input =
            ObjectiveInput { title: OBJECTIVES[(first + k) % OBJECTIVES.len()].to_owned(), action_line_id: line };
        db.add_objective(actor, &network.id, &input).await?;
    }
    let matrix = db.matrix(&network.id).await?;
    let leave_gap = seed.is_multiple_of(3);
    for (o, objective) in matrix.objectives.iter().enumerate() {
        for (p, process) in matrix.processes.iter().enumerate() {
            if (o + p + usize::try_from(seed % 5)?) % 3 == 2 {
                continue;
            }
            let mut assignments: Vec<(String, Raci)> = Vec::new();
            let mut put = |organisation: &String, role: Raci| {
                if !assignments.iter().any(|(id, _)| id == organisation) {
                    assignments.push((organisation.clone(), role));
                }
            };
            let gap = leave_gap && o + 1 == matrix.objectives.len();
            if p == 0 {
                put(&members[0], Raci::Accountable);
            }
            let doer = &members[(o + p + 1) % members.len()];
            put(doer, if gap { Raci::Consulted } else { Raci::Responsible });
            put(&members[(o + 2 * p + 2) % members.len()], Raci::Consulted);
            put(&members[(o + p) % members.len()], Raci::Informed);
            let status = STATUSES[(o * 7 + p * 3 + usize::try_from(seed % 4)?) % STATUSES.len()];
            db.set_cell(actor, &network.id, &objective.id, &process.id, &CellInput { status, assignments }).await?;
        }
    }
    Ok(())
}
