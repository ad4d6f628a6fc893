//! The demo: LAB'IMPACT (FAMI 2014-2020, PROG-2463) with its four action lines, twelve local
//! networks in the provinces of Lombardy, their member organisations, the people who work in them,
//! one local project per network, a year of meetings per network (`demo_meetings`), and an account
//! for every role.
//!
//! The registry is data: `demo/*.csv` (organisations, people, networks, memberships, districts)
//! are loaded through the import, as `reti import` would load them, by the operator. What the
//! import cannot express is written here: the programme and its action lines (no import has
//! programmes), the projects and their actions (nor projects), and the accounts with their
//! password and roles (never imported: accounts are invited).
//!
//! Loading it twice duplicates nothing: the import matches records by their natural keys (tax
//! code, e-mail, network name, membership by organisation and start date) and leaves unchanged ones
//! alone, without audit entries; the rest is looked up by its key before it is created (programme
//! code, project title within its network, action title within its project, account e-mail).
//!
//! The tax codes in the files are valid (check digit) but carry office code `000`, which the
//! Agenzia delle Entrate never assigns, so none of them can be a real body's. Municipalities are
//! real and given by ISTAT code, so a wrong code fails the load instead of leaving a network
//! without its territory.

use reti_domain::columns::map_columns;
use reti_domain::dates;
use reti_domain::import::NETWORK_COLUMNS;
use reti_domain::table::read_table;
use reti_domain::{Email, Password, PersonName, Role};
use reti_store::programmes::ProgrammeInput;
use reti_store::registry::import::Entity;
use reti_store::registry::projects::{ActionInput, ProjectInput};
use reti_store::users::NewUser;
use reti_store::{Actor, Db};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

pub const DEMO_PASSWORD: &str = "demo-reti-2026";
pub const PROGRAMME_CODE: &str = "PROG-2463";
pub const PROGRAMME_NAME: &str = "LAB'IMPACT — FAMI 2014-2020";

/// (e-mail, name, role; `None` for the platform administrator)
pub const ACCOUNTS: [(&str, &str, Option<Role>); 5] = [
    ("admin@reti.example", "Amministrazione piattaforma", None),
    ("coordinamento@reti.example", "Chiara Colombo", Some(Role::Coordinator)),
    ("accompagnatore@reti.example", "Marco Ferrari", Some(Role::Facilitator)),
    ("referente@reti.example", "Giulia Rossi", Some(Role::NetworkLead)),
    ("membro@reti.example", "Ahmed Benali", Some(Role::NetworkMember)),
];

const PROGRAMME_FUND: &str = "FAMI 2014-2020";
const PROGRAMME_CUP: &str = "E89F18000510007";
const PROGRAMME_STARTS: &str = "2019-01-01";
const PROGRAMME_ENDS: &str = "2022-12-31";

/// The action lines as the programme document lists them.
const ACTION_LINES: [(i64, &str); 4] = [
    (
        1,
        "Qualificazione del sistema scolastico in contesti multiculturali, anche attraverso azioni di contrasto alla dispersione scolastica",
    ),
    (2, "Promozione dell'accesso ai servizi per l'integrazione"),
    (3, "Servizi di informazione qualificata, attraverso canali regionali e territoriali di comunicazione"),
    (
        4,
        "Promozione della partecipazione attiva dei migranti alla vita economica, sociale e culturale, anche attraverso la valorizzazione delle associazioni",
    ),
];

/// The network-level roles of the demo accounts: (e-mail, role, how many of the first networks).
const NETWORK_ACCOUNTS: [(&str, Role, usize); 3] = [
    ("referente@reti.example", Role::NetworkLead, 1),
    ("membro@reti.example", Role::NetworkMember, 1),
    ("accompagnatore@reti.example", Role::Facilitator, 3),
];

// ---------------------------------------------------------------------------------------------
// The data the import cannot express
// ---------------------------------------------------------------------------------------------

/// A project action: title, planned outputs, target groups.
type ActionSpec = (&'static str, &'static str, &'static str);

struct ProjectSpec {
    title: &'static str,
    description: &'static str,
    budget_euros: i64,
    starts_on: &'static str,
    ends_on: &'static str,
    lines: &'static [i64],
    actions: &'static [ActionSpec],
}

/// The local project of each network (by the network's name in `demo/networks.csv`): the import
/// has no projects.
#[rustfmt::skip]
const PROJECTS: &[(&str, ProjectSpec)] = &[
    ("Rete Nord Milano per l'integrazione", ProjectSpec {
        title: "Nord Milano Intrecci",
        description: "Il progetto mette in rete scuole, sportelli comunali e associazioni del Nord Milano per accompagnare le famiglie straniere dall'arrivo alla piena partecipazione. Qualifica l'accoglienza scolastica, unifica l'accesso ai servizi e sostiene le associazioni di migranti come interlocutrici dei comuni.",
        budget_euros: 168_500,
        starts_on: "2019-04-01",
        ends_on: "2022-06-30",
        lines: &[1, 2, 4],
        actions: &[
            ("Scuole aperte al territorio", "Laboratori di italiano L2 in 6 scuole; 2 protocolli di accoglienza degli alunni neoarrivati", "Alunni NAI e famiglie; Docenti"),
            ("Sportello unico per l'integrazione", "Sportello aperto 3 giorni a settimana in 4 comuni; 1.200 accessi previsti", "Cittadini di paesi terzi; Operatori dei servizi"),
            ("Comunità protagoniste", "Tavolo delle associazioni di migranti; 4 eventi interculturali co-progettati", "Associazioni di migranti; Giovani di seconda generazione"),
        ],
    }),
    ("Rete Bassa Bergamasca per l'integrazione", ProjectSpec {
        title: "Gera d'Adda Accogliente",
        description: "Il progetto rafforza l'accoglienza scolastica degli alunni neoarrivati e l'accesso delle loro famiglie ai servizi dell'Ambito. Prevede un protocollo di accoglienza condiviso tra le scuole, uno sportello itinerante nei comuni e una formazione comune per docenti e operatori.",
        budget_euros: 96_000,
        starts_on: "2019-03-01",
        ends_on: "2021-12-31",
        lines: &[1, 2],
        actions: &[
            ("Protocollo di accoglienza degli alunni NAI", "Protocollo sottoscritto da 5 istituti; 120 ore di laboratori di italiano L2", "Alunni NAI e famiglie; Docenti"),
            ("Sportello itinerante per le famiglie", "Sportello a rotazione in 4 comuni; 400 colloqui di orientamento", "Famiglie di cittadini di paesi terzi"),
            ("Formazione congiunta degli operatori", "3 moduli formativi; 60 tra docenti e operatori coinvolti", "Operatori dei servizi; Docenti"),
        ],
    }),
    ("Rete Oglio Ovest Inclusiva", ProjectSpec {
        title: "Oglio Ovest: informare per includere",
        description: "Il progetto coordina gli sportelli informativi dei comuni dell'Ovest Bresciano e ne uniforma le procedure. Produce una guida multilingue ai servizi e porta la mediazione linguistico-culturale nei servizi sociosanitari.",
        budget_euros: 74_000,
        starts_on: "2019-05-01",
        ends_on: "2021-12-31",
        lines: &[2, 3],
        actions: &[
            ("Rete degli sportelli informativi", "5 sportelli coordinati; procedure comuni di presa in carico", "Cittadini di paesi terzi"),
            ("Guida multilingue ai servizi", "Guida in 8 lingue distribuita in 30 punti del territorio", "Cittadini di paesi terzi; Operatori dei servizi"),
            ("Mediazione nei servizi sociosanitari", "600 ore di mediazione linguistico-culturale", "Donne migranti; Famiglie"),
        ],
    }),
    ("Rete Como Lario Accoglie", ProjectSpec {
        title: "Como Città Plurale",
        description: "Il progetto crea un punto unico di accesso ai servizi condiviso da Comune, Prefettura e terzo settore. Porta l'informazione sui servizi nei quartieri e dà voce alle comunità straniere con una consulta cittadina.",
        budget_euros: 142_000,
        starts_on: "2019-03-01",
        ends_on: "2022-03-31",
        lines: &[2, 3, 4],
        actions: &[
            ("Punto unico di accesso ai servizi", "Sportello integrato Comune–Prefettura–Caritas; 1.500 accessi previsti", "Cittadini di paesi terzi; Richiedenti e titolari di protezione"),
            ("Informazione di prossimità", "Campagna informativa multilingue; 12 incontri nei quartieri e nelle biblioteche", "Comunità straniere; Operatori dei servizi"),
            ("Consulta delle comunità straniere", "Consulta costituita; 6 incontri pubblici con l'amministrazione", "Associazioni di migranti; Giovani di seconda generazione"),
        ],
    }),
    ("Rete Cremonese Intrecci", ProjectSpec {
        title: "Cremona: Scuola e Comunità",
        description: "Il progetto accompagna gli alunni stranieri nell'italiano per lo studio e coinvolge le loro madri in percorsi di lingua con custodia dei bambini. Le associazioni di migranti co-organizzano momenti di incontro nei quartieri.",
        budget_euros: 88_000,
        starts_on: "2019-04-01",
        ends_on: "2021-12-31",
        lines: &[1, 4],
        actions: &[
            ("Italiano per lo studio", "Laboratori L2 per 150 alunni; materiali didattici condivisi tra le scuole", "Alunni NAI e famiglie"),
            ("Mamme a scuola", "Corsi di italiano per 60 madri con servizio di custodia dei bambini", "Donne migranti"),
            ("Quartieri interculturali", "4 eventi co-organizzati con le associazioni di migranti", "Associazioni di migranti; Cittadinanza"),
        ],
    }),
    ("Rete Lecco e Valle San Martino", ProjectSpec {
        title: "Lecco Servizi in Rete",
        description: "Il progetto mappa i servizi per l'integrazione del territorio e li fa conoscere agli operatori. Sperimenta uno sportello di orientamento gestito insieme da Comune, cooperativa e CPIA.",
        budget_euros: 52_000,
        starts_on: "2019-06-01",
        ends_on: "2021-06-30",
        lines: &[2],
        actions: &[
            ("Mappatura dei servizi del territorio", "Mappa dei servizi aggiornata; 1 seminario di restituzione", "Operatori dei servizi"),
            ("Sportello di orientamento", "Sportello aperto 2 giorni a settimana; 300 colloqui", "Cittadini di paesi terzi"),
        ],
    }),
    ("Rete Lodigiana per l'integrazione", ProjectSpec {
        title: "Lodi Crescere Insieme",
        description: "Il progetto accompagna gli studenti stranieri nel passaggio alla scuola superiore e le famiglie nell'accesso ai consultori. Forma gli operatori dei servizi alla comunicazione interculturale.",
        budget_euros: 64_000,
        starts_on: "2019-04-01",
        ends_on: "2021-12-31",
        lines: &[1, 2],
        actions: &[
            ("Accoglienza scolastica e orientamento", "Percorsi di orientamento per 80 studenti nel passaggio alle superiori", "Alunni NAI e famiglie; Giovani di seconda generazione"),
            ("Accompagnamento ai servizi sanitari", "Mediazione nei consultori; 200 accompagnamenti", "Donne migranti; Famiglie"),
            ("Formazione degli operatori", "2 corsi sulla comunicazione interculturale", "Operatori dei servizi"),
        ],
    }),
    ("Rete Grande Mantova Interculturale", ProjectSpec {
        title: "Mantova Voci del Mondo",
        description: "Il progetto dà ai giovani con background migratorio una redazione radiofonica e porta italiano L2 e doposcuola in tre istituti. Accompagna le associazioni di migranti a diventare soggetti attivi della rete e informa i cittadini sui servizi in più lingue.",
        budget_euros: 124_000,
        starts_on: "2019-02-01",
        ends_on: "2022-06-30",
        lines: &[1, 3, 4],
        actions: &[
            ("Redazione interculturale", "Web radio con 40 puntate; 10 giovani redattori formati", "Giovani di seconda generazione"),
            ("Scuola aperta", "Laboratori L2 e doposcuola in 3 istituti", "Alunni NAI e famiglie"),
            ("Associazioni in rete", "Percorso di rafforzamento organizzativo per 8 associazioni", "Associazioni di migranti"),
            ("Informazione sui servizi", "Newsletter multilingue mensile; 20 incontri informativi", "Cittadini di paesi terzi"),
        ],
    }),
    ("Sistema Brianza Accoglie", ProjectSpec {
        title: "Brianza Accoglie: dalla prima accoglienza alla cittadinanza",
        description: "Il progetto costruisce percorsi individuali che accompagnano le persone dalla prima accoglienza ai servizi del territorio. Forma mediatori di comunità e apre tirocini con le imprese brianzole.",
        budget_euros: 155_000,
        starts_on: "2019-03-01",
        ends_on: "2022-06-30",
        lines: &[2, 4],
        actions: &[
            ("Accompagnamento ai servizi", "Équipe multiprofessionale; 500 percorsi individuali", "Richiedenti e titolari di protezione; Cittadini di paesi terzi"),
            ("Mediatori di comunità", "Formazione di 20 mediatori di comunità", "Associazioni di migranti; Giovani di seconda generazione"),
            ("Lavoro e partecipazione", "40 tirocini con imprese del territorio", "Cittadini di paesi terzi in cerca di lavoro"),
        ],
    }),
    ("Rete Lomellina Solidale", ProjectSpec {
        title: "Lomellina Includente",
        description: "Il progetto diffonde sportelli di orientamento in quattro comuni della Lomellina, collegati con i servizi sanitari. Sostiene le donne migranti con laboratori di italiano e sartoria sociale e fa dialogare le associazioni del territorio.",
        budget_euros: 78_000,
        starts_on: "2019-04-01",
        ends_on: "2021-12-31",
        lines: &[2, 4],
        actions: &[
            ("Sportelli diffusi", "Sportello in 4 comuni; protocolli con i servizi sanitari", "Cittadini di paesi terzi"),
            ("Donne protagoniste", "Laboratori di sartoria sociale e italiano per 50 donne", "Donne migranti"),
            ("Associazioni in dialogo", "Tavolo permanente delle associazioni; 3 eventi pubblici", "Associazioni di migranti"),
        ],
    }),
    ("Rete Sondrio e Media Valtellina", ProjectSpec {
        title: "Valtellina Accoglie",
        description: "Il progetto parte da un'analisi dei bisogni delle famiglie straniere della media Valtellina condotta con i servizi. Sulla base dei risultati sperimenta uno sportello informativo nel capoluogo.",
        budget_euros: 42_000,
        starts_on: "2020-09-01",
        ends_on: "2022-06-30",
        lines: &[2],
        actions: &[
            ("Analisi dei bisogni", "Ricerca sui bisogni delle famiglie straniere; report di restituzione", "Famiglie di cittadini di paesi terzi; Operatori dei servizi"),
            ("Sportello sperimentale", "Sportello informativo aperto 1 giorno a settimana", "Cittadini di paesi terzi"),
        ],
    }),
    ("Rete Varese Terre d'Incontro", ProjectSpec {
        title: "Varese: scuola e informazione per tutti",
        description: "Il progetto sostiene l'alfabetizzazione e la mediazione nelle scuole del Varesotto e coinvolge i genitori stranieri nella vita scolastica. Con il giornale interculturale porta l'informazione sui servizi in più lingue.",
        budget_euros: 98_000,
        starts_on: "2019-03-01",
        ends_on: "2021-12-31",
        lines: &[1, 3],
        actions: &[
            ("Alfabetizzazione e mediazione scolastica", "Laboratori L2 per 200 alunni; 300 ore di mediazione", "Alunni NAI e famiglie; Docenti"),
            ("Informare in più lingue", "Portale multilingue; 12 uscite del giornale interculturale", "Cittadini di paesi terzi; Comunità straniere"),
            ("Genitori a scuola", "Incontri sul sistema scolastico italiano per 100 genitori", "Famiglie di cittadini di paesi terzi"),
        ],
    }),
];

/// Unwraps a value parsed from the demo's own data, naming the text when it does not parse.
fn must<T>(value: Option<T>, text: &str) -> anyhow::Result<T> {
    value.ok_or_else(|| anyhow::anyhow!("demo data: {text:?} does not parse"))
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

/// The demo's registry, in the order it is imported: organisations before the people who work in
/// them and the networks they join.
const FILES: [(Entity, &[u8]); 4] = [
    (Entity::Organisations, include_bytes!("../demo/organisations.csv")),
    (Entity::People, include_bytes!("../demo/people.csv")),
    (Entity::Networks, include_bytes!("../demo/networks.csv")),
    (Entity::Memberships, include_bytes!("../demo/memberships.csv")),
];

/// Loads the demo; returns the accounts it created (none when they all existed).
pub async fn load(db: &Db) -> anyhow::Result<Vec<&'static str>> {
    let actor = Actor::cli();
    let programme = match db.programme_by_code(PROGRAMME_CODE).await? {
        Some(programme) => programme,
        None => db.create_programme(&actor, PROGRAMME_CODE, PROGRAMME_NAME).await?,
    };
    let lines = load_programme(db, &actor, &programme.id).await?;
    anyhow::ensure!(
        !db.territory().await?.municipalities().is_empty(),
        "the municipalities are not loaded: the demo needs ISTAT's list"
    );
    for (entity, bytes) in FILES {
        let result = db.import_file(&actor, entity, bytes, false).await?;
        anyhow::ensure!(result.accepted(), "demo {}: refused: {:?}", entity.code(), result.errors);
    }
    load_districts(db, &actor).await?;

    let line_ids = |numbers: &[i64]| -> anyhow::Result<Vec<String>> {
        numbers
            .iter()
            .map(|n| lines.get(n).cloned().ok_or_else(|| anyhow::anyhow!("demo data: no action line {n}")))
            .collect()
    };
    let mut networks = Vec::new();
    for name in network_names()? {
        let network = db
            .network_by_name(&programme.id, &name)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo data: network {name:?} was not imported"))?;
        let (_, project) = PROJECTS
            .iter()
            .find(|(network, _)| *network == name)
            .ok_or_else(|| anyhow::anyhow!("demo data: network {name:?} has no project"))?;
        load_project(db, &actor, &network.id, project, line_ids(project.lines)?).await?;
        networks.push(network.id);
    }

    let created = load_accounts(db, &actor, &programme.id, &networks).await?;
    crate::demo_meetings::load(db, &actor, &networks).await?;
    crate::demo_accompaniment::load(db, &actor, &networks).await?;
    crate::demo_reading::load(db, &actor, &programme.id, &networks).await?;
    crate::demo_map::load(db, &actor, &programme.id, &networks).await?;
    crate::demo_groups::load(db, &actor, &programme.id).await?;
    crate::demo_ties::load(db, &actor, &programme.id).await?;
    crate::demo_practices::load(db, &actor).await?;
    crate::demo_editions::load(db, &actor).await?;
    crate::demo_labs::load(db, &actor, &programme.id, &networks).await?;
    crate::demo_threads::load(db, &actor, &networks).await?;
    crate::demo_documents::load(db, &actor, &networks).await?;
    crate::demo_lab_space::load(db, &actor, &programme.id).await?;
    crate::demo_sustainability::load(db, &actor, &programme.id, &networks).await?;
    db.refresh_statistics().await?;
    Ok(created)
}

/// The demo's accounts (created when missing; password [`DEMO_PASSWORD`]) with their roles in
/// `programme_id`, the network-level ones on the first of `networks`. Returns the e-mails of the
/// accounts it created. `reti generate --scale` gives the same accounts, so that the page
/// benchmark logs in the same way at any size.
pub async fn load_accounts(
    db: &Db,
    actor: &Actor,
    programme_id: &str,
    networks: &[String],
) -> anyhow::Result<Vec<&'static str>> {
    let password = Password::parse(DEMO_PASSWORD, &[])?;
    let mut created = Vec::new();
    for (email, name, role) in ACCOUNTS {
        let email_address = Email::parse(email)?;
        let user = match db.user_by_email(&email_address).await? {
            Some(user) => user,
            None => {
                let new = NewUser {
                    email: email_address,
                    name: PersonName::parse(name)?,
                    password: Some(password.clone()),
                    is_admin: role.is_none(),
                };
                created.push(email);
                db.create_user(actor, new).await?
            }
        };
        if let Some(role) = role {
            db.assign_role(actor, &user.id, programme_id, role).await?;
        }
        if let Some((_, role, count)) = NETWORK_ACCOUNTS.iter().find(|(e, _, _)| *e == email) {
            let current = db.network_assignments(&user.id).await?;
            for network_id in networks.iter().take(*count) {
                if !current.iter().any(|a| a.network_id == *network_id && a.role == *role) {
                    db.assign_to_network(actor, &user.id, network_id, *role).await?;
                }
            }
        }
    }
    Ok(created)
}

/// Fills in the programme's record (only where it is still empty, so later edits stay) and its
/// action lines; returns the action lines' ids by number.
async fn load_programme(db: &Db, actor: &Actor, programme_id: &str) -> anyhow::Result<HashMap<i64, String>> {
    let details = db
        .programme_details(programme_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("programme {PROGRAMME_CODE} vanished"))?;
    if details.fund.is_empty() && details.cup.is_empty() && details.starts_on.is_none() && details.ends_on.is_none() {
        let input = ProgrammeInput {
            name: details.name.clone(),
            fund: PROGRAMME_FUND.into(),
            cup: PROGRAMME_CUP.into(),
            starts_on: Some(must(dates::parse(PROGRAMME_STARTS), PROGRAMME_STARTS)?),
            ends_on: Some(must(dates::parse(PROGRAMME_ENDS), PROGRAMME_ENDS)?),
        };
        db.update_programme(actor, programme_id, &input).await?;
    }
    let mut lines: HashMap<i64, String> = details.action_lines.iter().map(|l| (l.number, l.id.clone())).collect();
    for (number, title) in ACTION_LINES {
        if let Entry::Vacant(entry) = lines.entry(number) {
            entry.insert(db.put_action_line(actor, programme_id, number, title).await?.id);
        }
    }
    Ok(lines)
}

/// The demo's social-planning districts, one row per municipality (ISTAT code), covering every
/// municipality of the demo's networks. Their names echo Lombardy's ambiti territoriali but their
/// composition is illustrative: it follows the demo's networks, not the official lists.
pub const DISTRICTS_CSV: &[u8] = include_bytes!("../demo/districts.csv");

/// Loads the districts through the import, as `reti import districts` would: only on a database
/// without districts of its own (a municipality is in one district at a time, and real districts
/// win over illustrative ones), and only when the file would create one, so that a second run
/// writes nothing.
async fn load_districts(db: &Db, actor: &Actor) -> anyhow::Result<()> {
    let demo_codes: Vec<&str> =
        std::str::from_utf8(DISTRICTS_CSV)?.lines().skip(1).filter_map(|line| line.split(';').next()).collect();
    if db.district_choices().await?.iter().any(|d| !demo_codes.contains(&d.code.as_str())) {
        return Ok(());
    }
    let check = db.import_file(actor, Entity::Districts, DISTRICTS_CSV, true).await?;
    anyhow::ensure!(check.accepted(), "demo districts refused: {:?}", check.errors);
    if check.created > 0 {
        db.import_file(actor, Entity::Districts, DISTRICTS_CSV, false).await?;
    }
    Ok(())
}

/// The names of the demo's networks, in the order of their file.
fn network_names() -> anyhow::Result<Vec<String>> {
    let table = read_table(FILES[2].1)?;
    let map = map_columns(&table.headers, NETWORK_COLUMNS);
    Ok(table.rows.iter().map(|row| map.get(row, "name").to_owned()).collect())
}

async fn load_project(
    db: &Db,
    actor: &Actor,
    network_id: &str,
    spec: &ProjectSpec,
    action_line_ids: Vec<String>,
) -> anyhow::Result<()> {
    let existing = db.projects_of_network(network_id, true).await?.into_iter().find(|p| p.title == spec.title);
    let project = match existing {
        Some(project) => project,
        None => {
            let input = ProjectInput {
                title: spec.title.into(),
                description: spec.description.into(),
                budget_cents: Some(spec.budget_euros * 100),
                starts_on: Some(must(dates::parse(spec.starts_on), spec.starts_on)?),
                ends_on: Some(must(dates::parse(spec.ends_on), spec.ends_on)?),
                action_line_ids,
            };
            db.create_project(actor, network_id, &input).await?
        }
    };
    for (title, planned_outputs, target_groups) in spec.actions {
        if !project.actions.iter().any(|a| a.title == *title) {
            let input = ActionInput {
                title: (*title).into(),
                planned_outputs: (*planned_outputs).into(),
                target_groups: (*target_groups).into(),
            };
            db.add_project_action(actor, &project.id, &input).await?;
        }
    }
    Ok(())
}
#[cfg(test)]
mod tests {
    use super::*;
    use reti_domain::registry::RESOURCE_VOCABULARY;
    use reti_domain::taxcode::TaxCode;
    use reti_domain::{Maturity, MembershipRole, NetworkStatus, OrganisationKind};
    use reti_store::Engine;
    use reti_store::PageRequest;
    use reti_store::registry::networks::NetworkFilter;
    use reti_store::registry::organisations::OrganisationFilter;
    use reti_store::registry::people::PersonFilter;
    use reti_store::testing::TestDb;
    use std::collections::HashSet;

    /// What the demo leaves in the database, counted.
    #[derive(Debug, PartialEq, Eq)]
    struct Counts {
        networks: usize,
        organisations: i64,
        people: i64,
        memberships: usize,
        projects: usize,
        actions: usize,
        users: i64,
        audit_entries: i64,
    }

    async fn counts(db: &Db, programme_id: &str) -> Counts {
        let filter = NetworkFilter {
            programme_ids: Some(vec![programme_id.to_owned()]),
            include_archived: true,
            ..NetworkFilter::default()
        };
        let networks = db.list_networks(&filter, PageRequest::all()).await.unwrap().items;
        let mut projects = 0;
        let mut actions = 0;
        for network in &networks {
            for project in db.projects_of_network(&network.id, true).await.unwrap() {
                projects += 1;
                actions += project.actions.len();
            }
        }
        let organisations = OrganisationFilter { include_archived: true, ..OrganisationFilter::default() };
        let people = PersonFilter { include_archived: true, ..PersonFilter::default() };
        Counts {
            networks: networks.len(),
            organisations: db.list_organisations(&organisations, PageRequest::new(None, Some(1))).await.unwrap().total,
            people: db.list_people(&people, PageRequest::new(None, Some(1))).await.unwrap().total,
            memberships: networks.iter().map(|n| n.memberships.len()).sum(),
            projects,
            actions,
            users: db.user_count().await.unwrap(),
            audit_entries: sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(db.pool()).await.unwrap(),
        }
    }

    async fn loads_twice(engine: Engine) {
        let Some(test) = TestDb::new(engine).await else { return };
        let db = &test.db;
        db.sync_municipalities().await.unwrap();

        let started = std::time::Instant::now();
        let created = load(db).await.unwrap();
        eprintln!("demo loaded on {engine:?} in {:?}", started.elapsed());
        assert_eq!(created, ACCOUNTS.map(|(email, _, _)| email).to_vec());

        // The programme, with its record and its four action lines.
        let programme = db.programme_by_code(PROGRAMME_CODE).await.unwrap().unwrap();
        let details = db.programme_details(&programme.id).await.unwrap().unwrap();
        assert_eq!(details.name, PROGRAMME_NAME);
        assert_eq!((details.fund.as_str(), details.cup.as_str()), (PROGRAMME_FUND, PROGRAMME_CUP));
        assert_eq!(details.starts_on, dates::parse(PROGRAMME_STARTS));
        assert_eq!(details.ends_on, dates::parse(PROGRAMME_ENDS));
        let titles: Vec<(i64, &str)> = details.action_lines.iter().map(|l| (l.number, l.title.as_str())).collect();
        assert_eq!(titles, ACTION_LINES.to_vec());
        let (programme_start, programme_end) = (details.starts_on.unwrap(), details.ends_on.unwrap());

        // Organisations: many, of every kind, with valid tax codes and a place.
        let filter = OrganisationFilter { include_archived: true, ..OrganisationFilter::default() };
        let organisations = db.list_organisations(&filter, PageRequest::all()).await.unwrap().items;
        assert!(organisations.len() >= 150, "{} organisations", organisations.len());
        let kinds: HashSet<OrganisationKind> = organisations.iter().map(|o| o.kind).collect();
        for kind in OrganisationKind::ALL {
            assert!(kinds.contains(kind), "no organisation of kind {kind:?}");
        }
        for organisation in &organisations {
            let code = TaxCode::parse(&organisation.tax_code).unwrap_or_else(|e| panic!("{organisation:?}: {e:?}"));
            assert!(!code.is_personal());
            assert!(organisation.municipality.is_some(), "{} has no municipality", organisation.name);
            assert!(organisation.email.as_deref().is_some_and(|e| e.ends_with(".example")));
            assert!(!organisation.phone.is_empty() && !organisation.address.is_empty());
            assert!(
                (1..=5).contains(&organisation.resources.len()),
                "{}: {:?}",
                organisation.name,
                organisation.resources
            );
        }
        let vocabulary: HashSet<&str> = RESOURCE_VOCABULARY.iter().map(|(_, italian, _)| *italian).collect();
        assert!(organisations.iter().flat_map(|o| &o.resources).any(|r| !vocabulary.contains(r.as_str())), "free tags");

        // Networks: about twelve, each with one current lead, partners, supporters and a project.
        let filter = NetworkFilter { programme_ids: Some(vec![programme.id.clone()]), ..NetworkFilter::default() };
        let networks = db.list_networks(&filter, PageRequest::all()).await.unwrap().items;
        assert!((10..=14).contains(&networks.len()), "{} networks", networks.len());
        assert!(networks.iter().any(|n| n.status == NetworkStatus::Forming));
        assert!(networks.iter().filter(|n| n.status == NetworkStatus::Active).count() > networks.len() / 2);
        let maturities: HashSet<_> = networks.iter().filter_map(|n| n.maturity).collect();
        assert_eq!(maturities.len(), Maturity::ALL.len(), "a mix of maturities");
        let provinces: HashSet<&str> =
            networks.iter().flat_map(|n| &n.municipalities).map(|m| m.province_code.as_str()).collect();
        assert!(provinces.len() >= 10, "{provinces:?}");
        let mut ended = 0;
        for network in &networks {
            let current = |role| network.current_members().filter(|m| m.role == role).count();
            assert_eq!(current(MembershipRole::Lead), 1, "{}: one current lead", network.name);
            assert!((3..=6).contains(&current(MembershipRole::Partner)), "{}: partners", network.name);
            assert!(current(MembershipRole::Supporter) >= 3, "{}: supporters", network.name);
            ended += network.memberships.iter().filter(|m| !m.is_current()).count();
            for membership in &network.memberships {
                let joined = membership.joined_on.unwrap();
                assert!((2019..=2020).contains(&joined.year()), "{}: joined {joined}", network.name);
                assert!(membership.left_on.is_none_or(|left| left > joined));
            }
            assert!((3..=10).contains(&network.municipalities.len()), "{}: municipalities", network.name);
            let network_provinces: HashSet<_> = network.municipalities.iter().map(|m| &m.province_code).collect();
            assert_eq!(network_provinces.len(), 1, "{}: one province", network.name);
            assert!((1..=3).contains(&network.action_lines.len()), "{}: action lines", network.name);
            assert!(!network.description.is_empty());

            let projects = db.projects_of_network(&network.id, false).await.unwrap();
            assert_eq!(projects.len(), 1, "{}: one local project", network.name);
            let project = &projects[0];
            assert!((2..=4).contains(&project.actions.len()), "{}: actions", project.title);
            assert!(project.actions.iter().all(|a| !a.planned_outputs.is_empty() && !a.target_groups.is_empty()));
            assert!((4_000_000..=18_000_000).contains(&project.budget_cents.unwrap()), "{}: budget", project.title);
            let (start, end) = (project.starts_on.unwrap(), project.ends_on.unwrap());
            assert!(programme_start <= start && start < end && end <= programme_end, "{}: period", project.title);
            assert!(!project.action_lines.is_empty());
            assert!(project.action_lines.iter().all(|l| network.action_lines.contains(l)), "{}", project.title);
        }
        assert!(ended >= 3, "{ended} memberships ended");
        let shared = organisations
            .iter()
            .filter(|o| networks.iter().filter(|n| n.current_members().any(|m| m.organisation_id == o.id)).count() > 1)
            .count();
        assert!(shared >= 2, "organisations in several networks");

        // People: about sixty, with e-mails of the example domain, each working somewhere.
        let people = db.list_people(&PersonFilter::default(), PageRequest::all()).await.unwrap().items;
        assert!((55..=70).contains(&people.len()), "{} people", people.len());
        for person in &people {
            assert!(person.email.as_deref().is_some_and(|e| e.ends_with(".example")), "{}", person.name);
            assert!(person.affiliations.iter().any(|a| !a.ended && !a.position.is_empty()), "{}", person.name);
        }

        // Accounts: their programme roles, their networks, and the people behind them.
        let first_three: Vec<String> = network_names().unwrap()[..3]
            .iter()
            .map(|name| networks.iter().find(|n| n.name == *name).unwrap().id.clone())
            .collect();
        for (email, name, role) in ACCOUNTS {
            let user = db.user_by_email(&Email::parse(email).unwrap()).await.unwrap().unwrap();
            assert_eq!(user.name, name);
            assert_eq!(user.is_admin, role.is_none());
            let assignments = db.assignments(&user.id).await.unwrap();
            assert_eq!(role.is_some(), assignments.iter().any(|a| a.programme_id == programme.id));
            let mut on_networks: Vec<(String, Role)> =
                db.network_assignments(&user.id).await.unwrap().into_iter().map(|a| (a.network_id, a.role)).collect();
            on_networks.sort();
            let mut expected: Vec<(String, Role)> = match NETWORK_ACCOUNTS.iter().find(|(e, _, _)| *e == email) {
                Some((_, role, count)) => first_three[..*count].iter().map(|id| (id.clone(), *role)).collect(),
                None => Vec::new(),
            };
            expected.sort();
            assert_eq!(on_networks, expected, "{email}");
        }
        let first = networks.iter().find(|n| n.id == first_three[0]).unwrap();
        for email in ["referente@reti.example", "membro@reti.example", "accompagnatore@reti.example"] {
            let person = db.person_by_email(email).await.unwrap().unwrap();
            assert!(
                person
                    .affiliations
                    .iter()
                    .any(|a| first.current_members().any(|m| m.organisation_id == a.organisation_id)),
                "{email} works for a member of the first network"
            );
        }
        assert!(db.person_by_email("admin@reti.example").await.unwrap().is_none());

        // Districts: every municipality of every network falls in one.
        let districts = db.list_districts("").await.unwrap();
        assert_eq!(districts.len(), 13);
        let in_a_district: HashSet<&str> =
            districts.iter().flat_map(|d| d.municipalities.iter().map(|m| m.istat_code.as_str())).collect();
        for network in &networks {
            for municipality in &network.municipalities {
                assert!(
                    in_a_district.contains(municipality.istat_code.as_str()),
                    "{}: {}",
                    network.name,
                    municipality.name
                );
            }
        }

        // Loading again creates nothing and writes nothing.
        let before = counts(db, &programme.id).await;
        assert_eq!(before.networks, networks.len());
        assert!(load(db).await.unwrap().is_empty());
        assert_eq!(counts(db, &programme.id).await, before);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn demo_loads_twice_on_sqlite() {
        loads_twice(Engine::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn demo_loads_twice_on_postgres() {
        loads_twice(Engine::Postgres).await;
    }

    #[test]
    fn every_network_has_its_project() {
        let projects: Vec<&str> = PROJECTS.iter().map(|(network, _)| *network).collect();
        assert_eq!(network_names().unwrap(), projects);
    }
}
