//! `reti generate --scale eu [--seed N]` (issue 13, decision 0053): fills the configured database
//! the way a whole country's programmes would, to measure the pages and the jobs at that size.
//!
//! At `eu` scale: 50 programmes over every Italian region, 10,000 networks (a few with hundreds of
//! members, most with 5–20), 200,000 organisations, 400,000 people, 100,000 meetings with
//! 1,000,000 register lines, 50,000 practices, 30,000 reading-tool answers, an actor map for every
//! network. `region` is a twentieth of it, for quick runs; the tests use a thousandth.
//!
//! Everything is drawn from one seeded generator, one stream per phase, and the ids and dates are
//! derived from the seed too, so a seed always gives the same database, whenever it is run. The
//! dates lie between January 2024 and January 2027, "today" being 28 November 2026: a few meetings
//! are still to come, the rest have their register.
//!
//! The rows go in through [`reti_store::bulk`]: multi-row statements, one transaction per phase
//! with one audit entry naming the phase, the seed and the rows. Every reference is valid by
//! construction (members are organisations of the programme's region, attendees people of the
//! meeting's network, answers organisations of the answering network…); the database's foreign
//! keys and unique constraints check it as the rows go in. What the application derives from the
//! rows is then rebuilt by the store's own paths: the board's index of the published practices,
//! and PostgreSQL's planner statistics.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use reti_domain::actor_map::RelationKind;
use reti_domain::meetings::{MeetingKind, MeetingMode, room_link};
use reti_domain::practices::{PracticeInput, PracticeStatus};
use reti_domain::reading::{ItemKind, RoundKind, default_instrument, parse_answers};
use reti_domain::registry::RESOURCE_VOCABULARY;
use reti_domain::taxcode::check_digit_numeric;
use reti_domain::territory::{Municipality, parse_istat};
use reti_domain::text::fold;
use reti_domain::{Maturity, MembershipRole, NetworkStatus, OrganisationKind};
use reti_store::audit::Change;
use reti_store::bulk::{Rows, Value};
use reti_store::{Actor, Db, Writer};
use std::collections::{BTreeMap, HashSet};
use std::io::IsTerminal;
use std::time::Instant;
use time::{Date, Duration};

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub programmes: usize,
    pub networks: usize,
    pub organisations: usize,
    pub people: usize,
    pub meetings: usize,
    pub attendance: usize,
    pub practices: usize,
    pub answers: usize,
}

impl Sizes {
    pub const EU: Sizes = Sizes {
        programmes: 50,
        networks: 10_000,
        organisations: 200_000,
        people: 400_000,
        meetings: 100_000,
        attendance: 1_000_000,
        practices: 50_000,
        answers: 30_000,
    };

    /// The EU figures divided by `divisor`, each at least one.
    pub fn divided(divisor: usize) -> Sizes {
        let d = |n: usize| (n / divisor.max(1)).max(1);
        let eu = Sizes::EU;
        Sizes {
            programmes: d(eu.programmes),
            networks: d(eu.networks),
            organisations: d(eu.organisations),
            people: d(eu.people),
            meetings: d(eu.meetings),
            attendance: d(eu.attendance),
            practices: d(eu.practices),
            answers: d(eu.answers),
        }
    }
}

/// The first programme's code; the others follow (`PROG-3002`, …). Its presence tells that the
/// database holds generated data already.
const FIRST_PROGRAMME: usize = 3001;
/// The day the generated history ends: meetings before it have their register.
const TODAY: (i32, u8, u8) = (2026, 11, 28);
/// Rows per flush of a phase's buffers: the progress bar moves at this step.
const FLUSH: usize = 20_000;

/// Fills `db` with generated data of `sizes`, drawn from `seed`. Refuses a database that already
/// holds generated programmes. Prints one line per phase (rows and seconds) on standard output,
/// and draws a progress bar on standard error when it is a terminal.
pub async fn generate(db: &Db, sizes: Sizes, seed: u64) -> anyhow::Result<Summary> {
    db.sync_municipalities().await?;
    let code = programme_code(0);
    anyhow::ensure!(
        db.programme_by_code(&code).await?.is_none(),
        "the database already holds generated data (programme {code}): generate into an empty one"
    );
    let started = Instant::now();
    let world = World::plan(sizes, seed)?;
    let mut summary = Summary::default();
    let mut run = Run { db, world: &world, seed, summary: &mut summary };
    run.phase("programmes", "programmes", sizes.programmes, programmes).await?;
    run.phase("organisations", "organisations", sizes.organisations, organisations).await?;
    run.phase("people", "people", sizes.people, people).await?;
    run.phase("networks", "networks", sizes.networks, networks).await?;
    run.phase("meetings", "meetings", world.meetings.len(), meetings).await?;
    run.phase("attendance", "meeting_attendance", world.attendance_total(), attendance).await?;
    run.phase("practices", "practices", sizes.practices, practices).await?;
    run.phase("reading", "reading_answers", sizes.answers, reading).await?;
    run.phase("actor maps", "networks", sizes.networks, actor_maps).await?;
    let phase = Instant::now();
    let indexed = db.rebuild_board_index_if_stale().await?;
    db.refresh_statistics().await?;
    summary.lines.push(format!("board index and statistics: {indexed} practices in {:.1} s", seconds(phase)));
    println!("{}", summary.lines.last().map_or("", String::as_str));
    summary.lines.push(format!("total: {:.1} s", seconds(started)));
    println!("{}", summary.lines.last().map_or("", String::as_str));
    Ok(summary)
}

/// What each phase wrote, table by table, and the lines printed.
#[derive(Debug, Default)]
pub struct Summary {
    pub rows: BTreeMap<&'static str, usize>,
    pub lines: Vec<String>,
}

fn seconds(since: Instant) -> f64 {
    since.elapsed().as_secs_f64()
}

fn programme_code(p: usize) -> String {
    format!("PROG-{}", FIRST_PROGRAMME + p)
}

// ---------------------------------------------------------------------------------------------
// Randomness and ids
// ---------------------------------------------------------------------------------------------

/// SplitMix64: small, fast, and the same sequence on every platform and version, which a library
/// generator does not promise.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[self.below(list.len())]
    }

    /// `list` in a random order (Fisher–Yates).
    fn shuffle<T>(&mut self, list: &mut [T]) {
        for i in (1..list.len()).rev() {
            list.swap(i, self.below(i + 1));
        }
    }

    /// `count` distinct numbers of `0..n` (at most `n`), in the order drawn.
    fn distinct_between(&mut self, low: usize, high: usize, n: usize) -> Vec<usize> {
        let count = self.between(low, high);
        self.distinct(count, n)
    }

    /// `count` distinct numbers of `0..n`, in the order drawn.
    fn distinct(&mut self, count: usize, n: usize) -> Vec<usize> {
        let count = count.min(n);
        let mut seen = HashSet::with_capacity(count);
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            let k = self.below(n);
            if seen.insert(k) {
                out.push(k);
            }
        }
        out
    }
}

/// The kinds of record that get ids; each has its own range of the id's time part, so that ids of
/// one table are in the order of their rows (a B-tree grows at its end).
#[derive(Debug, Clone, Copy)]
enum Kind {
    Programme,
    ActionLine,
    Organisation,
    Person,
    Affiliation,
    Network,
    Membership,
    Meeting,
    Practice,
    Reading,
    Answer,
    Relation,
}

/// An id shaped like the application's (UUID v7): the time part from the kind and the index, the
/// random part from the seed. The same (seed, kind, index) always gives the same id.
fn id(seed: u64, kind: Kind, index: usize) -> String {
    // 2024-01-01T00:00:00Z, then ten million milliseconds per kind.
    const BASE_MS: u64 = 1_704_067_200_000;
    let ms = BASE_MS + kind as u64 * 10_000_000 + index as u64;
    let mut rng = Rng::new(seed, ((kind as u64) << 40) | index as u64);
    let (a, b) = (rng.next().to_le_bytes(), rng.next().to_le_bytes());
    let random = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], b[0], b[1]];
    uuid::Builder::from_unix_timestamp_millis(ms, &random).into_uuid().to_string()
}

fn day(year: i32, month: u8, day: u8) -> Date {
    let month = time::Month::try_from(month).expect("a month of the calendar");
    Date::from_calendar_date(year, month, day).expect("a day of the calendar")
}

fn today() -> Date {
    day(TODAY.0, TODAY.1, TODAY.2)
}

/// A stored timestamp (UTC, microseconds), at `minute` of `date`.
fn at(date: Date, minute: u32) -> String {
    format!("{date}T{:02}:{:02}:00.000000Z", minute / 60, minute % 60)
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const FIRST_NAMES: &[&str] = &[
    "Giulia",
    "Marco",
    "Francesca",
    "Luca",
    "Chiara",
    "Alessandro",
    "Sara",
    "Andrea",
    "Valentina",
    "Matteo",
    "Elena",
    "Davide",
    "Martina",
    "Simone",
    "Federica",
    "Stefano",
    "Silvia",
    "Paolo",
    "Anna",
    "Giovanni",
    "Laura",
    "Roberto",
    "Maria",
    "Giuseppe",
    "Alessia",
    "Lorenzo",
    "Irene",
    "Nicola",
    "Elisa",
    "Antonio",
    "Ahmed",
    "Fatima",
    "Mohamed",
    "Aisha",
    "Olena",
    "Mihai",
    "Aminata",
    "Kofi",
    "Mei",
    "Rahul",
    "Ana",
    "Youssef",
    "Ioana",
    "Blessing",
    "Samir",
    "Nadia",
    "Omar",
    "Leila",
    "Ibrahima",
    "Jorge",
];

const SURNAMES: &[&str] = &[
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Mancini",
    "Costa",
    "Giordano",
    "Rizzo",
    "Lombardi",
    "Moretti",
    "Barbieri",
    "Fontana",
    "Santoro",
    "Mariani",
    "Rinaldi",
    "Caruso",
    "Ferrara",
    "Galli",
    "Martini",
    "Leone",
    "Longo",
    "Gentile",
    "Martinelli",
    "Vitale",
    "Lombardo",
    "Serra",
    "Coppola",
    "De Santis",
    "D'Angelo",
    "Marchetti",
    "Parisi",
    "Villa",
    "Conte",
    "Ferraro",
    "Ferri",
    "Fabbri",
    "Bianco",
    "Marini",
    "Grasso",
    "Valentini",
    "Messina",
    "Sala",
    "De Angelis",
    "Gatti",
    "Pellegrini",
    "Palumbo",
    "Sanna",
    "Farina",
    "Rizzi",
    "Monti",
    "Benali",
    "Diallo",
    "Popescu",
    "Kovalenko",
    "Chen",
    "Singh",
    "Mensah",
    "Haddad",
    "Ndiaye",
    "Gonzalez",
];

const POSITIONS: &[&str] = &[
    "Coordinatrice di progetto",
    "Assistente sociale",
    "Mediatore linguistico-culturale",
    "Educatrice",
    "Insegnante di italiano L2",
    "Referente territoriale",
    "Operatore di sportello",
    "Dirigente scolastico",
    "Responsabile dei servizi sociali",
    "Volontario",
    "Presidente",
    "Orientatrice al lavoro",
    "Psicologa",
    "Funzionario",
    "Progettista",
];

const ASSOCIATION_NAMES: &[&str] = &[
    "Il Girasole",
    "La Rete",
    "Arcobaleno",
    "Il Ponte",
    "Nuovi Orizzonti",
    "Insieme",
    "La Bussola",
    "Il Sentiero",
    "Terra Comune",
    "Mosaico",
    "L'Approdo",
    "Porte Aperte",
    "Il Melograno",
    "La Tenda",
    "Passaggi",
    "Casa Comune",
    "Il Seme",
    "Filo d'Erba",
    "Mani Tese",
    "La Strada",
    "Crocevia",
    "Babele",
    "Il Faro",
    "Radici e Ali",
];

const THIRD_SECTOR_FORMS: &[&str] =
    &["Cooperativa sociale", "Associazione", "Fondazione", "APS", "ODV", "Consorzio di cooperative"];

const COMMUNITIES: &[&str] = &[
    "senegalese",
    "marocchina",
    "albanese",
    "romena",
    "ucraina",
    "peruviana",
    "filippina",
    "bengalese",
    "nigeriana",
    "cinese",
    "egiziana",
    "pakistana",
    "ivoriana",
    "ecuadoriana",
    "tunisina",
];

const SCHOOL_NAMES: &[&str] = &[
    "Dante Alighieri",
    "Giuseppe Mazzini",
    "Maria Montessori",
    "Don Lorenzo Milani",
    "Gianni Rodari",
    "Leonardo da Vinci",
    "Alessandro Manzoni",
    "Rita Levi-Montalcini",
    "Italo Calvino",
    "Grazia Deledda",
];

const STREETS: &[&str] = &[
    "Via Roma",
    "Via Garibaldi",
    "Via Mazzini",
    "Corso Italia",
    "Via Verdi",
    "Via Cavour",
    "Via Matteotti",
    "Piazza della Repubblica",
    "Via XX Settembre",
    "Via Marconi",
    "Via Dante",
    "Via San Francesco",
];

const NETWORK_SUFFIXES: &[&str] = &[
    "per l'integrazione",
    "Accoglie",
    "Intrecci",
    "Solidale",
    "Inclusiva",
    "Interculturale",
    "in Comune",
    "Plurale",
    "Aperta",
    "dei Servizi",
];

const TOPICS: &[&str] = &[
    "accoglienza degli alunni neoarrivati",
    "sportello unico per l'integrazione",
    "italiano per il lavoro",
    "mappatura dei servizi",
    "mediazione nei servizi sanitari",
    "partecipazione delle associazioni",
    "orientamento al lavoro",
    "casa e abitare",
    "protocollo d'intesa",
    "piano di sostenibilità",
];

const LINE_TITLES: [&str; 4] = [
    "Qualificazione del sistema scolastico in contesti multiculturali",
    "Promozione dell'accesso ai servizi per l'integrazione",
    "Servizi di informazione qualificata",
    "Promozione della partecipazione attiva dei migranti",
];

/// Kinds of organisation with their share in a hundred: the third sector first, as in the
/// programmes' own registers.
const KIND_SHARES: [(OrganisationKind, usize); 12] = [
    (OrganisationKind::Municipality, 12),
    (OrganisationKind::School, 15),
    (OrganisationKind::AdultEducation, 2),
    (OrganisationKind::HealthAgency, 3),
    (OrganisationKind::Prefecture, 1),
    (OrganisationKind::PoliceHeadquarters, 1),
    (OrganisationKind::ThirdSector, 35),
    (OrganisationKind::MigrantAssociation, 8),
    (OrganisationKind::ReligiousBody, 6),
    (OrganisationKind::Business, 8),
    (OrganisationKind::University, 2),
    (OrganisationKind::Other, 7),
];

fn organisation_kind(rng: &mut Rng) -> OrganisationKind {
    let mut n = rng.below(100);
    for (kind, share) in KIND_SHARES {
        if n < share {
            return kind;
        }
        n -= share;
    }
    OrganisationKind::Other
}

fn organisation_name(rng: &mut Rng, kind: OrganisationKind, place: &Municipality) -> String {
    let town = &place.name;
    match kind {
        OrganisationKind::Municipality => format!("Comune di {town}"),
        OrganisationKind::School => format!("Istituto comprensivo \"{}\" di {town}", rng.pick(SCHOOL_NAMES)),
        OrganisationKind::AdultEducation => format!("CPIA di {town}"),
        OrganisationKind::HealthAgency => format!("ASST {}", place.province),
        OrganisationKind::Prefecture => format!("Prefettura di {}", place.province),
        OrganisationKind::PoliceHeadquarters => format!("Questura di {}", place.province),
        OrganisationKind::ThirdSector => {
            format!("{} {} di {town}", rng.pick(THIRD_SECTOR_FORMS), rng.pick(ASSOCIATION_NAMES))
        }
        OrganisationKind::MigrantAssociation => {
            format!("Associazione della comunità {} di {town}", rng.pick(COMMUNITIES))
        }
        OrganisationKind::ReligiousBody => format!("Caritas parrocchiale di {town}"),
        OrganisationKind::Business => format!("{} {} S.r.l.", rng.pick(SURNAMES), rng.pick(SURNAMES)),
        OrganisationKind::University => format!("Università degli studi di {}", place.province),
        OrganisationKind::Other => format!("Centro servizi per il volontariato di {}", place.province),
    }
}

/// An address part made of the ASCII letters and digits of `text`, lower case.
fn slug(text: &str) -> String {
    fold(text).chars().filter(char::is_ascii_alphanumeric).collect()
}

/// A valid, unique tax code of no real body: office code `000`, which the Agenzia delle Entrate
/// never assigns, after two leading digits that no demo organisation uses, so that the generated
/// registry can sit beside the demo's.
fn tax_code(index: usize) -> String {
    const PREFIXES: [&str; 4] = ["86", "89", "91", "93"];
    let first10 = format!("{}{:05}000", PREFIXES[index / 100_000], index % 100_000);
    format!("{first10}{}", check_digit_numeric(&first10))
}

// ---------------------------------------------------------------------------------------------
// The plan: who is where, drawn before anything is written
// ---------------------------------------------------------------------------------------------

struct Programme {
    region: String,
    /// The region's municipalities (indexes into `World::places`).
    places: Vec<usize>,
}

struct Member {
    organisation: usize,
    role: MembershipRole,
    joined: Date,
    left: Option<Date>,
}

struct Network {
    programme: usize,
    name: String,
    places: Vec<usize>,
    created: Date,
    members: Vec<Member>,
    /// Organisations on its actor map that are not members.
    context: Vec<usize>,
}

impl Network {
    fn current(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(|m| m.left.is_none())
    }
}

struct Meeting {
    network: usize,
    kind: MeetingKind,
    mode: MeetingMode,
    date: Date,
    minute: u32,
    minutes: u32,
    /// Register lines (0 for a meeting still to come).
    attendees: usize,
}

struct World {
    sizes: Sizes,
    seed: u64,
    places: Vec<Municipality>,
    programmes: Vec<Programme>,
    /// Each organisation's programme (its region) and municipality.
    organisations: Vec<(usize, usize)>,
    networks: Vec<Network>,
    meetings: Vec<Meeting>,
}

impl World {
    fn plan(sizes: Sizes, seed: u64) -> anyhow::Result<World> {
        let places = parse_istat(reti_store::registry::territory::ISTAT_LIST)
            .map_err(|e| anyhow::anyhow!("shipped ISTAT list: {e:?}"))?;
        let mut regions: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, place) in places.iter().enumerate() {
            regions.entry(place.region.clone()).or_default().push(index);
        }
        let regions: Vec<(String, Vec<usize>)> = regions.into_iter().collect();
        let programmes: Vec<Programme> = (0..sizes.programmes)
            .map(|p| {
                let (region, places) = &regions[p % regions.len()];
                Programme { region: region.clone(), places: places.clone() }
            })
            .collect();
        let mut rng = Rng::new(seed, 1);
        let organisations: Vec<(usize, usize)> = (0..sizes.organisations)
            .map(|o| {
                let p = o % sizes.programmes;
                (p, *rng.pick(&programmes[p].places))
            })
            .collect();
        let mut world =
            World { sizes, seed, places, programmes, organisations, networks: Vec::new(), meetings: Vec::new() };
        world.networks = world.plan_networks(&mut Rng::new(seed, 2));
        world.meetings = world.plan_meetings(&mut Rng::new(seed, 3));
        Ok(world)
    }

    /// How many organisations programme `p` draws its members from (every `programmes`-th).
    fn pool(&self, p: usize) -> usize {
        (self.sizes.organisations - p).div_ceil(self.sizes.programmes)
    }

    fn pool_member(&self, p: usize, k: usize) -> usize {
        p + k * self.sizes.programmes
    }

    fn plan_networks(&self, rng: &mut Rng) -> Vec<Network> {
        let mut names: HashSet<(usize, String)> = HashSet::new();
        let mut by_province: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (index, place) in self.places.iter().enumerate() {
            by_province.entry(place.province_code.as_str()).or_default().push(index);
        }
        (0..self.sizes.networks)
            .map(|n| {
                let p = n % self.sizes.programmes;
                let pool = self.pool(p);
                // A few large networks, many small: the first of each programme and one in a hundred
                // have hundreds of members, one in ten a few dozen, the rest 5–20.
                let class = rng.unit();
                let size = if n < self.sizes.programmes || class < 0.01 {
                    rng.between(100, 400)
                } else if class < 0.10 {
                    rng.between(21, 60)
                } else {
                    rng.between(5, 20)
                };
                let size = size.min(pool / 2).max(2.min(pool));
                let seat = *rng.pick(&self.programmes[p].places);
                let province = &by_province[self.places[seat].province_code.as_str()];
                let mut places = vec![seat];
                for _ in 0..rng.below(8) {
                    let place = *rng.pick(province);
                    if !places.contains(&place) {
                        places.push(place);
                    }
                }
                let base = format!("Rete {} {}", self.places[seat].name, rng.pick(NETWORK_SUFFIXES));
                let mut name = base.clone();
                let mut again = 1;
                while !names.insert((p, fold(&name))) {
                    again += 1;
                    name = format!("{base} {again}");
                }
                let created = day(2023, 9, 1) + Duration::days(rng.below(180) as i64);
                let context = rng.between(1, 3);
                let chosen = rng.distinct(size + context, pool);
                let (members, context) = chosen.split_at(size.min(chosen.len()));
                let partners = (size / 4).clamp(1, 8);
                let members = members
                    .iter()
                    .enumerate()
                    .map(|(i, &k)| {
                        let role = match i {
                            0 => MembershipRole::Lead,
                            i if i <= partners => MembershipRole::Partner,
                            _ => MembershipRole::Supporter,
                        };
                        let joined = created + Duration::days(rng.below(120) as i64);
                        let left = (i > 0 && rng.chance(0.04))
                            .then(|| (joined + Duration::days(rng.between(200, 600) as i64)).min(today()));
                        Member { organisation: self.pool_member(p, k), role, joined, left }
                    })
                    .collect();
                let context = context.iter().map(|&k| self.pool_member(p, k)).collect();
                Network { programme: p, name, places, created, members, context }
            })
            .collect()
    }

    /// Meetings shared out by the networks' sizes (less than proportionally: a network of 400 does
    /// not meet 40 times as often as one of 10), then their register lines: 5–30, 10 on average,
    /// never more than the network's people, adjusted to the exact total.
    fn plan_meetings(&self, rng: &mut Rng) -> Vec<Meeting> {
        let weights: Vec<f64> = self.networks.iter().map(|n| (n.current().count() as f64).powf(0.7)).collect();
        let total: f64 = weights.iter().sum();
        let shares: Vec<f64> = weights.iter().map(|w| w / total * self.sizes.meetings as f64).collect();
        let mut counts: Vec<usize> = shares.iter().map(|s| s.floor() as usize).collect();
        let mut order: Vec<usize> = (0..shares.len()).collect();
        order.sort_by(|&a, &b| (shares[b] - shares[b].floor()).total_cmp(&(shares[a] - shares[a].floor())));
        let missing = self.sizes.meetings - counts.iter().sum::<usize>();
        for &n in order.iter().cycle().take(missing) {
            counts[n] += 1;
        }
        let first = day(2024, 1, 8);
        let past_days = (today() - first).whole_days() as usize;
        let mut meetings = Vec::with_capacity(self.sizes.meetings);
        let people: Vec<usize> = (0..self.networks.len()).map(|n| self.network_people(n).len()).collect();
        for (n, &count) in counts.iter().enumerate() {
            for _ in 0..count {
                let kind = *rng.pick(&MeetingKind::ALL);
                let mode = match kind {
                    MeetingKind::Webinar => MeetingMode::Webinar,
                    _ => *rng.pick(&[
                        MeetingMode::InPerson,
                        MeetingMode::InPerson,
                        MeetingMode::InPerson,
                        MeetingMode::Videoconference,
                        MeetingMode::Hybrid,
                    ]),
                };
                let upcoming = rng.chance(0.03);
                let date = if upcoming {
                    today() + Duration::days(rng.between(1, 64) as i64)
                } else {
                    first + Duration::days(rng.below(past_days) as i64)
                };
                // A skewed draw in 5–30 averaging 10.
                let attendees = if upcoming { 0 } else { (5 + (25.0 * rng.unit().powi(4)) as usize).min(people[n]) };
                meetings.push(Meeting {
                    network: n,
                    kind,
                    mode,
                    date,
                    minute: 60 * rng.between(8, 16) as u32 + 30 * rng.below(2) as u32,
                    minutes: *rng.pick(&[60, 90, 90, 120]),
                    attendees,
                });
            }
        }
        // Meetings in the order of their day, as a registry fills.
        meetings.sort_by_key(|m| (m.date, m.minute, m.network));
        let mut lines: usize = meetings.iter().map(|m| m.attendees).sum();
        let caps: Vec<usize> = meetings.iter().map(|m| people[m.network].min(30)).collect();
        let past: Vec<usize> = (0..meetings.len()).filter(|&i| meetings[i].date < today()).collect();
        let room: usize = past.iter().map(|&i| caps[i] - meetings[i].attendees).sum();
        let floor: usize = past.iter().map(|&i| caps[i].min(5)).sum();
        let target = self.sizes.attendance.clamp(floor, lines + room);
        while lines < target {
            let i = *rng.pick(&past);
            if meetings[i].attendees < caps[i] {
                meetings[i].attendees += 1;
                lines += 1;
            }
        }
        while lines > target {
            let i = *rng.pick(&past);
            if meetings[i].attendees > 5.min(caps[i]) {
                meetings[i].attendees -= 1;
                lines -= 1;
            }
        }
        meetings
    }

    /// The people of network `n`: those of its current members, two or so per organisation.
    fn network_people(&self, n: usize) -> Vec<usize> {
        self.networks[n].current().flat_map(|m| self.people_of(m.organisation)).collect()
    }

    /// The people working for organisation `o`: every `organisations`-th person from `o`.
    fn people_of(&self, o: usize) -> impl Iterator<Item = usize> + use<> {
        (o..self.sizes.people).step_by(self.sizes.organisations)
    }

    fn attendance_total(&self) -> usize {
        self.meetings.iter().map(|m| m.attendees).sum()
    }

    fn id(&self, kind: Kind, index: usize) -> String {
        id(self.seed, kind, index)
    }
}

// ---------------------------------------------------------------------------------------------
// Phases
// ---------------------------------------------------------------------------------------------

struct Run<'a> {
    db: &'a Db,
    world: &'a World,
    seed: u64,
    summary: &'a mut Summary,
}

/// What a phase writes with: the transaction, the plan, its bar, and the rows it wrote per table.
struct Phase<'w, 'x, 'a> {
    w: &'w mut Writer<'x>,
    world: &'a World,
    bar: ProgressBar,
    /// The table whose rows the bar counts.
    main: &'static str,
    rows: BTreeMap<&'static str, usize>,
}

impl Phase<'_, '_, '_> {
    /// Writes every buffer of `tables`, in their order (parents before the rows that reference
    /// them), once one of them holds a flush's worth, or at once with `now`. Rows of the phase's
    /// main table move the bar.
    async fn flush(&mut self, tables: &mut [&mut Rows], now: bool) -> anyhow::Result<()> {
        if !now && tables.iter().all(|rows| rows.len() < FLUSH) {
            return Ok(());
        }
        for rows in tables.iter_mut() {
            let table = rows.table();
            let written = self.w.insert_rows(rows).await?;
            *self.rows.entry(table).or_default() += written;
            if table == self.main {
                self.bar.inc(written as u64);
            }
        }
        Ok(())
    }
}

impl Run<'_> {
    /// Runs one phase in one transaction with its audit entry, behind a bar of `steps`.
    async fn phase(
        &mut self,
        name: &'static str,
        main: &'static str,
        steps: usize,
        work: impl AsyncFnOnce(&mut Phase<'_, '_, '_>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let started = Instant::now();
        let bar = progress_bar(name, steps);
        let (world, seed) = (self.world, self.seed);
        let rows = self
            .db
            .write(&Actor::cli(), async |w| {
                let mut phase = Phase { w, world, bar: bar.clone(), main, rows: BTreeMap::new() };
                work(&mut phase).await?;
                let rows = std::mem::take(&mut phase.rows);
                let after = serde_json::json!({"phase": name, "seed": seed, "sizes": format!("{:?}", world.sizes), "rows": rows});
                let change = Change {
                    action: "generate",
                    entity: "database",
                    entity_id: None,
                    programme_id: None,
                    before: None,
                    after: Some(after),
                };
                phase.w.audit(change).await?;
                Ok::<_, anyhow::Error>(rows)
            })
            .await
            .with_context(|| format!("generating {name}"))?;
        bar.finish_and_clear();
        let counts: Vec<String> = rows.iter().map(|(table, n)| format!("{table} {n}")).collect();
        let line = format!("{name}: {} in {:.1} s", counts.join(", "), seconds(started));
        println!("{line}");
        self.summary.lines.push(line);
        for (table, n) in rows {
            *self.summary.rows.entry(table).or_default() += n;
        }
        Ok(())
    }
}

/// A bar on a terminal's standard error; nothing elsewhere (a pipe, a log, a test).
fn progress_bar(name: &str, steps: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(steps as u64);
    if let Ok(style) = ProgressStyle::with_template("{prefix:>14} [{bar:30}] {pos}/{len} {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(name.to_owned());
    bar
}

fn created(date: Date) -> Value {
    Value::Text(at(date, 9 * 60))
}

async fn programmes(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut programmes =
        Rows::new("programmes", &["id", "code", "name", "created_at", "fund", "cup", "starts_on", "ends_on"]);
    let mut lines = Rows::new("action_lines", &["id", "programme_id", "number", "title"]);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (p, programme) in world.programmes.iter().enumerate() {
        let n = counts.entry(&programme.region).or_default();
        *n += 1;
        let id = world.id(Kind::Programme, p);
        programmes.push([
            id.clone().into(),
            programme_code(p).into(),
            format!("FAMI 2021-2027 — {} {}", programme.region, n).into(),
            created(day(2023, 6, 1)),
            "FAMI 2021-2027".into(),
            format!("E{:02}F23{:07}", p % 100, 1_000_000 + p).into(),
            "2023-09-01".into(),
            "2027-06-30".into(),
        ]);
        for (l, title) in LINE_TITLES.iter().enumerate() {
            lines.push([
                world.id(Kind::ActionLine, p * 4 + l).into(),
                id.as_str().into(),
                Value::Int(l as i64 + 1),
                (*title).into(),
            ]);
        }
    }
    phase.flush(&mut [&mut programmes, &mut lines], true).await
}

async fn organisations(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 10);
    let mut organisations = Rows::new(
        "organisations",
        &[
            "id",
            "name",
            "name_folded",
            "kind",
            "tax_code",
            "municipality_code",
            "address",
            "email",
            "phone",
            "website",
            "created_at",
            "updated_at",
        ],
    );
    let mut tags = Rows::new("organisation_tags", &["organisation_id", "tag", "tag_folded"]);
    for (o, &(_, place)) in world.organisations.iter().enumerate() {
        let place = &world.places[place];
        let kind = organisation_kind(&mut rng);
        let name = organisation_name(&mut rng, kind, place);
        let folded = fold(&name);
        let id = world.id(Kind::Organisation, o);
        let since = created(day(2023, 9, 1) + Duration::days(rng.below(400) as i64));
        let website = if rng.chance(0.6) { format!("https://www.ente{o}.example") } else { String::new() };
        organisations.push([
            id.clone().into(),
            Value::Text(name),
            Value::Text(folded),
            kind.code().into(),
            tax_code(o).into(),
            place.istat_code.as_str().into(),
            format!("{} {}", rng.pick(STREETS), rng.between(1, 120)).into(),
            format!("segreteria@ente{o}.example").into(),
            format!("0{} {:07}", rng.between(10, 99), rng.below(10_000_000)).into(),
            website.into(),
            since.clone(),
            since,
        ]);
        for k in rng.distinct_between(1, 3, RESOURCE_VOCABULARY.len()) {
            let tag = RESOURCE_VOCABULARY[k].1;
            tags.push([id.as_str().into(), tag.into(), fold(tag).into()]);
        }
        phase.flush(&mut [&mut organisations, &mut tags], false).await?;
    }
    phase.flush(&mut [&mut organisations, &mut tags], true).await
}

async fn people(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 11);
    let mut people = Rows::new("people", &["id", "name", "name_folded", "email", "phone", "created_at", "updated_at"]);
    let mut affiliations =
        Rows::new("affiliations", &["id", "person_id", "organisation_id", "position", "created_at", "ended_at"]);
    let organisations = world.sizes.organisations;
    let mut affiliation = 0;
    for q in 0..world.sizes.people {
        let (first, last) = (*rng.pick(FIRST_NAMES), *rng.pick(SURNAMES));
        let name = format!("{first} {last}");
        let folded = fold(&name);
        let id = world.id(Kind::Person, q);
        let since = created(day(2023, 9, 1) + Duration::days(rng.below(500) as i64));
        people.push([
            id.clone().into(),
            Value::Text(name),
            Value::Text(folded),
            format!("{}.{}.{q}@persone.example", slug(first), slug(last)).into(),
            format!("+39 3{:02} {:07}", rng.below(100), rng.below(10_000_000)).into(),
            since.clone(),
            since.clone(),
        ]);
        // Where they work now (see `World::people_of`), and for one in twenty where they worked.
        let o = q % organisations;
        affiliations.push([
            world.id(Kind::Affiliation, affiliation).into(),
            id.as_str().into(),
            world.id(Kind::Organisation, o).into(),
            (*rng.pick(POSITIONS)).into(),
            since.clone(),
            Value::NullText,
        ]);
        affiliation += 1;
        if rng.chance(0.05) {
            let (p, _) = world.organisations[o];
            let before = world.pool_member(p, rng.below(world.pool(p)));
            if before != o {
                affiliations.push([
                    world.id(Kind::Affiliation, affiliation).into(),
                    id.as_str().into(),
                    world.id(Kind::Organisation, before).into(),
                    (*rng.pick(POSITIONS)).into(),
                    created(day(2022, 3, 1)),
                    since,
                ]);
                affiliation += 1;
            }
        }
        phase.flush(&mut [&mut people, &mut affiliations], false).await?;
    }
    phase.flush(&mut [&mut people, &mut affiliations], true).await
}

const MATURITIES: [Option<Maturity>; 4] =
    [None, Some(Maturity::FirstExperience), Some(Maturity::PriorProjects), Some(Maturity::Consolidated)];

async fn networks(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 12);
    let mut networks = Rows::new(
        "networks",
        &["id", "programme_id", "name", "name_folded", "description", "maturity", "status", "created_at", "updated_at"],
    );
    let mut places = Rows::new("network_municipalities", &["network_id", "istat_code"]);
    let mut lines = Rows::new("network_action_lines", &["network_id", "action_line_id"]);
    let mut memberships = Rows::new(
        "memberships",
        &["id", "network_id", "organisation_id", "role", "joined_on", "left_on", "created_at"],
    );
    let mut membership = 0;
    for (n, network) in world.networks.iter().enumerate() {
        let id = world.id(Kind::Network, n);
        let status = match rng.unit() {
            x if x < 0.80 => NetworkStatus::Active,
            x if x < 0.92 => NetworkStatus::Forming,
            _ => NetworkStatus::Closed,
        };
        let topic = rng.pick(TOPICS);
        networks.push([
            id.clone().into(),
            world.id(Kind::Programme, network.programme).into(),
            network.name.as_str().into(),
            fold(&network.name).into(),
            format!("La rete mette insieme servizi pubblici e terzo settore del territorio; lavora su {topic}.").into(),
            rng.pick(&MATURITIES).map(|m| m.code().to_owned()).into(),
            status.code().into(),
            created(network.created),
            created(network.created),
        ]);
        for &place in &network.places {
            places.push([id.as_str().into(), world.places[place].istat_code.as_str().into()]);
        }
        for l in rng.distinct_between(1, 3, LINE_TITLES.len()) {
            lines.push([id.as_str().into(), world.id(Kind::ActionLine, network.programme * 4 + l).into()]);
        }
        for member in &network.members {
            memberships.push([
                world.id(Kind::Membership, membership).into(),
                id.as_str().into(),
                world.id(Kind::Organisation, member.organisation).into(),
                member.role.code().into(),
                member.joined.to_string().into(),
                member.left.map(|d| d.to_string()).into(),
                created(member.joined),
            ]);
            membership += 1;
        }
        phase.flush(&mut [&mut networks, &mut places, &mut lines, &mut memberships], false).await?;
    }
    phase.flush(&mut [&mut networks, &mut places, &mut lines, &mut memberships], true).await
}

async fn meetings(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 13);
    let mut meetings = Rows::new(
        "meetings",
        &[
            "id",
            "network_id",
            "title",
            "kind",
            "mode",
            "place",
            "link",
            "starts_at",
            "ends_at",
            "agenda",
            "registration_open",
            "created_at",
            "updated_at",
        ],
    );
    let mut invitees = Rows::new("meeting_invitees", &["meeting_id", "kind", "target_id"]);
    let mut held: Vec<usize> = vec![0; world.networks.len()];
    for (m, meeting) in world.meetings.iter().enumerate() {
        let id = world.id(Kind::Meeting, m);
        let network = &world.networks[meeting.network];
        let network_id = world.id(Kind::Network, meeting.network);
        held[meeting.network] += 1;
        let topic = rng.pick(TOPICS);
        let title = match meeting.kind {
            MeetingKind::Accompaniment => format!("Incontro di accompagnamento n. {}", held[meeting.network]),
            MeetingKind::Workshop => format!("Workshop: {topic}"),
            MeetingKind::Lab => format!("Laboratorio: {topic}"),
            MeetingKind::Webinar => format!("Webinar: {topic}"),
        };
        let town = &world.places[network.places[0]].name;
        let place = if meeting.mode.has_place() { format!("Sala civica, {town}") } else { String::new() };
        let link = if meeting.mode.has_link() { room_link("https://meet.jit.si", &id) } else { String::new() };
        let end = meeting.minute + meeting.minutes;
        let planned = meeting.date - Duration::days(rng.between(7, 30) as i64);
        meetings.push([
            id.clone().into(),
            network_id.as_str().into(),
            Value::Text(title),
            meeting.kind.code().into(),
            meeting.mode.code().into(),
            Value::Text(place),
            Value::Text(link),
            at(meeting.date, meeting.minute).into(),
            at(meeting.date, end).into(),
            format!("1. Aggiornamenti dalla rete\n2. {topic}\n3. Prossimi passi").into(),
            Value::Int(1),
            created(planned),
            created(planned),
        ]);
        invitees.push([id.into(), "network".into(), network_id.into()]);
        phase.flush(&mut [&mut meetings, &mut invitees], false).await?;
    }
    phase.flush(&mut [&mut meetings, &mut invitees], true).await
}

async fn attendance(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 14);
    let mut lines = Rows::new(
        "meeting_attendance",
        &["meeting_id", "person_id", "present", "minutes_attended", "role", "updated_at"],
    );
    let mut people: Vec<Option<Vec<usize>>> = (0..world.networks.len()).map(|_| None).collect();
    for (m, meeting) in world.meetings.iter().enumerate() {
        if meeting.attendees == 0 {
            continue;
        }
        let id = world.id(Kind::Meeting, m);
        let network_people = people[meeting.network].get_or_insert_with(|| world.network_people(meeting.network));
        let written = at(meeting.date + Duration::days(1), 10 * 60);
        for k in rng.distinct(meeting.attendees, network_people.len()) {
            let present = rng.chance(0.88);
            let minutes = match (present, rng.chance(0.1)) {
                (false, _) => 0,
                (true, true) => meeting.minutes / 2,
                (true, false) => meeting.minutes,
            };
            lines.push([
                id.as_str().into(),
                world.id(Kind::Person, network_people[k]).into(),
                Value::Int(i64::from(present)),
                Value::Int(i64::from(minutes)),
                if k == 0 { "referente" } else { "" }.into(),
                written.as_str().into(),
            ]);
        }
        phase.flush(&mut [&mut lines], false).await?;
    }
    phase.flush(&mut [&mut lines], true).await
}

/// The practices' columns: the record, the 13 texts of [`reti_domain::practices::TEXT_FIELDS`] in
/// their order, and the terms the board searches.
const PRACTICE_COLUMNS: [&str; 27] = [
    "id",
    "programme_id",
    "network_id",
    "title",
    "theme",
    "action_line",
    "year",
    "context",
    "problem",
    "objectives",
    "target_group",
    "activities",
    "actors",
    "resources",
    "results",
    "innovation",
    "sustainability",
    "transferability",
    "lessons",
    "contacts",
    "status",
    "search_title",
    "search_body",
    "created_at",
    "updated_at",
    "published_at",
    "author_user_id",
];

async fn practices(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 15);
    let mut practices = Rows::new("practices", &PRACTICE_COLUMNS);
    let mut places = Rows::new("practice_municipalities", &["practice_id", "istat_code", "position"]);
    for k in 0..world.sizes.practices {
        let n = rng.below(world.networks.len());
        let network = &world.networks[n];
        let mut raw = crate::practices::synthetic(k).to_raw();
        raw.network_id = world.id(Kind::Network, n);
        raw.year = (2024 + rng.below(3)).to_string();
        let input = PracticeInput::parse(&raw).map_err(|errors| anyhow::anyhow!("practice {k}: {errors:?}"))?;
        let status = match rng.unit() {
            x if x < 0.60 => PracticeStatus::Published,
            x if x < 0.75 => PracticeStatus::Draft,
            x if x < 0.85 => PracticeStatus::Submitted,
            x if x < 0.93 => PracticeStatus::InReview,
            _ => PracticeStatus::Returned,
        };
        let (search_title, search_body) = reti_store::practices::terms(&input);
        let written = network.created + Duration::days(rng.between(200, 900) as i64);
        let written = created(written.min(today()));
        let id = world.id(Kind::Practice, k);
        let [
            context,
            problem,
            objectives,
            target_group,
            activities,
            actors,
            resources,
            results,
            innovation,
            sustainability,
            transferability,
            lessons,
            contacts,
        ] = input.texts.fields().map(|(_, text)| Value::from(text));
        practices.push([
            id.clone().into(),
            world.id(Kind::Programme, network.programme).into(),
            input.network_id.clone().into(),
            input.title.as_str().into(),
            input.theme.as_str().into(),
            input.action_line.into(),
            input.year.map(i64::from).into(),
            context,
            problem,
            objectives,
            target_group,
            activities,
            actors,
            resources,
            results,
            innovation,
            sustainability,
            transferability,
            lessons,
            contacts,
            status.code().into(),
            Value::Text(search_title),
            Value::Text(search_body),
            written.clone(),
            written.clone(),
            match status {
                PracticeStatus::Published => written,
                _ => Value::NullText,
            },
            Value::NullText,
        ]);
        for (position, p) in rng.distinct_between(1, 2, network.places.len()).into_iter().enumerate() {
            let code = &world.places[network.places[p]].istat_code;
            places.push([id.as_str().into(), code.as_str().into(), Value::Int(position as i64)]);
        }
        phase.flush(&mut [&mut practices, &mut places], false).await?;
    }
    phase.flush(&mut [&mut practices, &mut places], true).await
}

/// Per programme: the default instrument, published; three rounds a year apart (the last still
/// open "today"); and its share of the answers, half at the baseline, less later, each by a member
/// organisation of a network of the programme, once per round.
async fn reading(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 16);
    let instrument = default_instrument();
    let content = serde_json::to_string(&instrument)?;
    let mut instruments = Rows::new("reading_instruments", &["id", "programme_id", "name", "created_at"]);
    let mut versions = Rows::new(
        "reading_versions",
        &["id", "instrument_id", "number", "content_json", "published_at", "created_at", "updated_at"],
    );
    let mut rounds = Rows::new(
        "reading_rounds",
        &["id", "programme_id", "version_id", "kind", "opens_on", "closes_on", "created_at"],
    );
    let mut answers = Rows::new(
        "reading_answers",
        &["id", "round_id", "network_id", "organisation_id", "values_json", "submitted_at", "created_at", "updated_at"],
    );
    let mut members: Vec<Vec<(usize, usize)>> = vec![Vec::new(); world.programmes.len()];
    for (n, network) in world.networks.iter().enumerate() {
        members[network.programme].extend(network.current().map(|m| (n, m.organisation)));
    }
    let programmes = world.programmes.len();
    let mut answer = 0;
    for (p, candidates) in members.iter().enumerate() {
        let programme_id = world.id(Kind::Programme, p);
        let (instrument_id, version_id) = (world.id(Kind::Reading, p * 8), world.id(Kind::Reading, p * 8 + 1));
        let published = created(day(2024, 9, 1));
        instruments.push([
            instrument_id.as_str().into(),
            programme_id.as_str().into(),
            instrument.name.it.as_str().into(),
            published.clone(),
        ]);
        versions.push([
            version_id.as_str().into(),
            instrument_id.into(),
            Value::Int(1),
            content.as_str().into(),
            published.clone(),
            published.clone(),
            published,
        ]);
        let share = world.sizes.answers / programmes + usize::from(p < world.sizes.answers % programmes);
        let per_round = [share / 2, share * 3 / 10, share - share / 2 - share * 3 / 10];
        for (r, kind) in RoundKind::ALL.into_iter().enumerate() {
            let round_id = world.id(Kind::Reading, p * 8 + 2 + r);
            let opens = day(2024 + r as i32, 10, 1);
            let closes = opens + Duration::days(60);
            rounds.push([
                round_id.as_str().into(),
                programme_id.as_str().into(),
                version_id.as_str().into(),
                kind.code().into(),
                opens.to_string().into(),
                closes.to_string().into(),
                created(opens - Duration::days(20)),
            ]);
            let mut answered = HashSet::new();
            let mut order = candidates.clone();
            rng.shuffle(&mut order);
            for (n, o) in order {
                if answered.len() == per_round[r] {
                    break;
                }
                if !answered.insert(o) {
                    continue;
                }
                let values = answer_values(&mut rng, &instrument)?;
                let day = opens + Duration::days(rng.between(1, 50) as i64);
                let submitted = (day < today() && rng.chance(0.9)).then(|| at(day, 11 * 60));
                answers.push([
                    world.id(Kind::Answer, answer).into(),
                    round_id.as_str().into(),
                    world.id(Kind::Network, n).into(),
                    world.id(Kind::Organisation, o).into(),
                    Value::Text(values),
                    submitted.into(),
                    created(day),
                    created(day),
                ]);
                answer += 1;
            }
        }
        phase.flush(&mut [&mut instruments, &mut versions, &mut rounds, &mut answers], false).await?;
    }
    phase.flush(&mut [&mut instruments, &mut versions, &mut rounds, &mut answers], true).await
}

/// A complete answer to `instrument`, through the answering page's own parser.
fn answer_values(rng: &mut Rng, instrument: &reti_domain::reading::Instrument) -> anyhow::Result<String> {
    let level = rng.unit();
    let mut pairs = Vec::new();
    for item in instrument.dimensions.iter().flat_map(|d| &d.items) {
        let point = (1.0 + 4.0 * (0.7 * level + 0.3 * rng.unit())).round();
        let value = match item.kind {
            ItemKind::Likert => point.to_string(),
            ItemKind::Single => rng.below(item.choices.len()).to_string(),
            ItemKind::Multiple => {
                for choice in rng.distinct_between(1, 2, item.choices.len()) {
                    pairs.push((item.key.clone(), choice.to_string()));
                }
                continue;
            }
            ItemKind::Number => (item.min + (item.max - item.min) * level / 2.0).round().to_string(),
            ItemKind::Text => continue,
        };
        pairs.push((item.key.clone(), value));
    }
    let values = parse_answers(instrument, &pairs, true).map_err(|e| anyhow::anyhow!("generated answer: {e:?}"))?;
    Ok(serde_json::to_string(&values)?)
}

/// Every network's map: its context actors, the lead's ties with the partners, every supporter
/// tied to someone already on the map, a few more ties among members, and the context actors tied
/// to a member. Nodes are the network's organisations (members and context actors) only.
async fn actor_maps(phase: &mut Phase<'_, '_, '_>) -> anyhow::Result<()> {
    let world = phase.world;
    let mut rng = Rng::new(world.seed, 17);
    let mut actors = Rows::new("map_actors", &["network_id", "organisation_id", "created_at"]);
    let mut relations = Rows::new(
        "map_relations",
        &[
            "id",
            "network_id",
            "organisation_a",
            "organisation_b",
            "kind",
            "strength",
            "since",
            "note",
            "created_at",
            "updated_at",
        ],
    );
    let mut relation = 0;
    for (n, network) in world.networks.iter().enumerate() {
        let network_id = world.id(Kind::Network, n);
        let members: Vec<&Member> = network.current().collect();
        let mut ties: Vec<(usize, usize, RelationKind, i64)> = Vec::new();
        for (i, member) in members.iter().enumerate().skip(1) {
            let tie = match member.role {
                MembershipRole::Partner if i % 3 == 1 => (0, i, RelationKind::FormalAgreement, 3),
                MembershipRole::Partner => (0, i, RelationKind::Collaboration, 2),
                _ => (rng.below(i), i, RelationKind::InformationExchange, 1),
            };
            ties.push(tie);
        }
        for _ in 0..members.len() / 3 {
            let (a, b) = (rng.below(members.len()), rng.below(members.len()));
            ties.push((a, b, *rng.pick(&RelationKind::ALL), rng.between(1, 3) as i64));
        }
        let mut organisations: Vec<usize> = members.iter().map(|m| m.organisation).collect();
        for &context in &network.context {
            actors.push([
                network_id.as_str().into(),
                world.id(Kind::Organisation, context).into(),
                created(network.created),
            ]);
            organisations.push(context);
            ties.push((rng.below(members.len()), organisations.len() - 1, RelationKind::InformationExchange, 1));
        }
        let mut seen = HashSet::new();
        for (a, b, kind, strength) in ties {
            let (a, b) =
                (world.id(Kind::Organisation, organisations[a]), world.id(Kind::Organisation, organisations[b]));
            let (a, b) = match a.cmp(&b) {
                std::cmp::Ordering::Less => (a, b),
                std::cmp::Ordering::Greater => (b, a),
                std::cmp::Ordering::Equal => continue,
            };
            if !seen.insert((a.clone(), b.clone(), kind)) {
                continue;
            }
            let since = network.created + Duration::days(rng.below(500) as i64);
            relations.push([
                world.id(Kind::Relation, relation).into(),
                network_id.as_str().into(),
                a.into(),
                b.into(),
                kind.code().into(),
                Value::Int(strength),
                since.min(today()).to_string().into(),
                "".into(),
                created(network.created),
                created(network.created),
            ]);
            relation += 1;
        }
        phase.bar.inc(1);
        phase.flush(&mut [&mut relations, &mut actors], false).await?;
    }
    phase.flush(&mut [&mut relations, &mut actors], true).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use reti_domain::TaxCode;
    use reti_store::Engine;
    use reti_store::PageRequest;
    use reti_store::testing::TestDb;

    /// A thousandth of EU scale: 10 networks, 200 organisations, 1,000 register lines.
    const SMALL: usize = 1000;

    async fn count(db: &Db, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Rows that break a rule the foreign keys cannot express; each query must find none.
    const BROKEN: &[(&str, &str)] = &[
        (
            "register line of someone who is not a current person of the meeting's network",
            "SELECT COUNT(*) FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id
             WHERE NOT EXISTS (SELECT 1 FROM memberships ms
                 JOIN affiliations af ON af.organisation_id = ms.organisation_id AND af.ended_at IS NULL
                 WHERE ms.network_id = m.network_id AND ms.left_on IS NULL AND af.person_id = a.person_id)",
        ),
        (
            "register of a meeting still to come",
            "SELECT COUNT(*) FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id
             WHERE m.starts_at > '2026-11-28'",
        ),
        (
            "network without exactly one current lead",
            "SELECT COUNT(*) FROM networks n WHERE (SELECT COUNT(*) FROM memberships ms
                 WHERE ms.network_id = n.id AND ms.role = 'lead' AND ms.left_on IS NULL) <> 1",
        ),
        (
            "member organisation of another region than its programme's networks",
            "SELECT COUNT(*) FROM memberships ms
             JOIN organisations o ON o.id = ms.organisation_id
             JOIN municipalities mo ON mo.istat_code = o.municipality_code
             JOIN network_municipalities nm ON nm.network_id = ms.network_id
             JOIN municipalities mn ON mn.istat_code = nm.istat_code
             WHERE mo.region <> mn.region",
        ),
        (
            "network's municipalities in several provinces",
            "SELECT COUNT(*) FROM (SELECT nm.network_id FROM network_municipalities nm
                 JOIN municipalities m ON m.istat_code = nm.istat_code
                 GROUP BY nm.network_id HAVING COUNT(DISTINCT m.province_code) > 1) x",
        ),
        (
            "action line of another programme",
            "SELECT COUNT(*) FROM network_action_lines nal JOIN networks n ON n.id = nal.network_id
             JOIN action_lines l ON l.id = nal.action_line_id WHERE l.programme_id <> n.programme_id",
        ),
        (
            "practice of another programme than its network's",
            "SELECT COUNT(*) FROM practices p JOIN networks n ON n.id = p.network_id WHERE p.programme_id <> n.programme_id",
        ),
        (
            "practice place outside its network's municipalities",
            "SELECT COUNT(*) FROM practice_municipalities pm JOIN practices p ON p.id = pm.practice_id
             WHERE NOT EXISTS (SELECT 1 FROM network_municipalities nm
                 WHERE nm.network_id = p.network_id AND nm.istat_code = pm.istat_code)",
        ),
        (
            "answer by an organisation that is not a current member of the network",
            "SELECT COUNT(*) FROM reading_answers a WHERE NOT EXISTS (SELECT 1 FROM memberships ms
                 WHERE ms.network_id = a.network_id AND ms.organisation_id = a.organisation_id AND ms.left_on IS NULL)",
        ),
        (
            "answer to a round of another programme than the network's",
            "SELECT COUNT(*) FROM reading_answers a JOIN reading_rounds r ON r.id = a.round_id
             JOIN networks n ON n.id = a.network_id WHERE r.programme_id <> n.programme_id",
        ),
        (
            "map relation with an organisation that is neither member nor context actor",
            "SELECT COUNT(*) FROM map_relations r WHERE r.organisation_a NOT IN (SELECT organisation_id FROM memberships
                 WHERE network_id = r.network_id AND left_on IS NULL UNION SELECT organisation_id FROM map_actors
                 WHERE network_id = r.network_id)
             OR r.organisation_b NOT IN (SELECT organisation_id FROM memberships
                 WHERE network_id = r.network_id AND left_on IS NULL UNION SELECT organisation_id FROM map_actors
                 WHERE network_id = r.network_id)",
        ),
        (
            "context actor who is a member",
            "SELECT COUNT(*) FROM map_actors ma JOIN memberships ms
             ON ms.network_id = ma.network_id AND ms.organisation_id = ma.organisation_id",
        ),
        (
            "network without relations on its map",
            "SELECT COUNT(*) FROM networks n WHERE NOT EXISTS (SELECT 1 FROM map_relations r WHERE r.network_id = n.id)",
        ),
        (
            "meeting not inviting its network",
            "SELECT COUNT(*) FROM meetings m WHERE NOT EXISTS (SELECT 1 FROM meeting_invitees i
                 WHERE i.meeting_id = m.id AND i.kind = 'network' AND i.target_id = m.network_id)",
        ),
        (
            "published practices the board's index does not count",
            "SELECT COUNT(*) FROM practice_term_counts WHERE term = ''
                 AND practices <> (SELECT COUNT(*) FROM practices WHERE status = 'published')",
        ),
    ];

    async fn generates_valid_data(engine: Engine) {
        let Some(test) = TestDb::new(engine).await else { return };
        let db = &test.db;
        let sizes = Sizes::divided(SMALL);
        let summary = generate(db, sizes, 7).await.unwrap();

        // The counts asked for, and the rows the summary reports are in the tables.
        let expected = [
            ("programmes", sizes.programmes),
            ("networks", sizes.networks),
            ("organisations", sizes.organisations),
            ("people", sizes.people),
            ("meetings", sizes.meetings),
            ("meeting_attendance", sizes.attendance),
            ("practices", sizes.practices),
            ("reading_answers", sizes.answers),
        ];
        for (table, n) in expected {
            assert_eq!(summary.rows[table], n, "{table}");
        }
        for (table, n) in &summary.rows {
            assert_eq!(count(db, &format!("SELECT COUNT(*) FROM {table}")).await, *n as i64, "{table}");
        }
        assert!(summary.rows["map_relations"] >= sizes.networks);
        assert!(
            summary.lines.iter().any(|l| l.starts_with("attendance: meeting_attendance 1000 in")),
            "{:?}",
            summary.lines
        );

        // Every reference valid: the foreign keys, and the rules they cannot express.
        if engine == Engine::Sqlite {
            let broken: Vec<(String, i64, String, i64)> =
                sqlx::query_as("PRAGMA foreign_key_check").fetch_all(db.pool()).await.unwrap();
            assert!(broken.is_empty(), "{broken:?}");
        }
        for (rule, sql) in BROKEN {
            assert_eq!(count(db, sql).await, 0, "{rule}");
        }
        let codes: Vec<String> =
            sqlx::query_scalar("SELECT tax_code FROM organisations").fetch_all(db.pool()).await.unwrap();
        assert!(codes.iter().all(|c| TaxCode::parse(c).is_ok_and(|code| !code.is_personal())));
        let published = count(db, "SELECT COUNT(*) FROM practices WHERE status = 'published'").await;
        assert!(published > 0);

        // A network's pages read what they read at any scale.
        let network_id: String =
            sqlx::query_scalar("SELECT id FROM networks ORDER BY id LIMIT 1").fetch_one(db.pool()).await.unwrap();
        let network = db.network(&network_id).await.unwrap().unwrap();
        assert!(network.lead().is_some());
        assert!(network.current_members().count() >= 2);
        assert!(!network.municipalities.is_empty() && !network.action_lines.is_empty());
        assert!(!db.network_people(&network_id).await.unwrap().is_empty());
        let map = db.actor_map(&network_id).await.unwrap();
        assert!(!map.relations.is_empty());
        for relation in &map.relations {
            assert!(
                map.organisation(&relation.organisation_a).is_some()
                    && map.organisation(&relation.organisation_b).is_some()
            );
        }
        let filter = reti_store::meetings::MeetingFilter { network: Some(network_id.clone()), ..Default::default() };
        let meetings = db.meetings(&filter, PageRequest::all()).await.unwrap();
        assert!(meetings.total > 0);
        let past = meetings.items.iter().find(|m| m.starts_at < chrono::Utc::now()).unwrap();
        assert!(!db.attendance(&past.id).await.unwrap().is_empty());
        let rounds = db.reading_rounds(&network.programme_id).await.unwrap();
        assert_eq!(rounds.len(), 3);
        let progress = db.round_progress(&rounds[0]).await.unwrap();
        assert!(progress.iter().map(|p| p.submitted).sum::<i64>() > 0);
        let board = db.board(&Default::default(), PageRequest::new(None, Some(20))).await.unwrap();
        assert_eq!(board.total, published);
        let by_network =
            count(db, "SELECT CAST(SUM(practices) AS BIGINT) FROM practice_facets WHERE kind = 'network'").await;
        assert_eq!(by_network, published, "every published practice counted under its network");

        // Generated data is there already: a second run refuses and writes nothing.
        let audit = count(db, "SELECT COUNT(*) FROM audit_log").await;
        assert!(generate(db, sizes, 7).await.is_err());
        assert_eq!(count(db, "SELECT COUNT(*) FROM audit_log").await, audit);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn small_scale_is_valid_on_sqlite() {
        generates_valid_data(Engine::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn small_scale_is_valid_on_postgres() {
        generates_valid_data(Engine::Postgres).await;
    }

    /// What a generated database holds, as text: every generated table, in id order.
    async fn dump(db: &Db) -> String {
        let queries = [
            "SELECT id || code || name FROM programmes ORDER BY id",
            "SELECT id || name || tax_code || COALESCE(municipality_code, '') FROM organisations ORDER BY id",
            "SELECT id || name || COALESCE(email, '') FROM people ORDER BY id",
            "SELECT id || name || status FROM networks ORDER BY id",
            "SELECT id || network_id || organisation_id || role FROM memberships ORDER BY id",
            "SELECT id || network_id || starts_at || title FROM meetings ORDER BY id",
            "SELECT meeting_id || person_id || present || minutes_attended FROM meeting_attendance ORDER BY meeting_id, person_id",
            "SELECT id || network_id || status || search_body FROM practices ORDER BY id",
            "SELECT id || organisation_id || values_json FROM reading_answers ORDER BY id",
            "SELECT id || organisation_a || organisation_b || kind FROM map_relations ORDER BY id",
        ];
        let mut out = String::new();
        for sql in queries {
            let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(db.pool()).await.unwrap();
            out.push_str(&rows.join("\n"));
        }
        out
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_seed_gives_the_same_database() {
        let sizes = Sizes::divided(SMALL);
        let mut dumps = Vec::new();
        for seed in [3, 3, 4] {
            let test = TestDb::new(Engine::Sqlite).await.unwrap();
            generate(&test.db, sizes, seed).await.unwrap();
            dumps.push(dump(&test.db).await);
        }
        assert!(dumps[0].len() > 10_000);
        assert!(dumps[0] == dumps[1], "the same seed twice");
        assert!(dumps[0] != dumps[2], "another seed");
    }

    #[test]
    fn network_sizes_are_heavy_tailed_and_every_region_has_programmes() {
        let world = World::plan(Sizes::EU, 1).unwrap();
        let mut sizes: Vec<usize> = world.networks.iter().map(|n| n.members.len()).collect();
        sizes.sort_unstable();
        let median = sizes[sizes.len() / 2];
        assert!((5..=20).contains(&median), "median {median}");
        assert!(sizes.iter().filter(|&&s| s >= 100).count() >= 50, "a few large networks");
        assert!(*sizes.last().unwrap() >= 300);
        let regions: HashSet<&str> = world.programmes.iter().map(|p| p.region.as_str()).collect();
        let all: HashSet<&str> = world.places.iter().map(|m| m.region.as_str()).collect();
        assert_eq!(regions, all);
        assert_eq!(world.meetings.len(), Sizes::EU.meetings);
        assert_eq!(world.attendance_total(), Sizes::EU.attendance);
        let per_meeting: Vec<usize> = world.meetings.iter().map(|m| m.attendees).filter(|&a| a > 0).collect();
        assert!(per_meeting.iter().all(|&a| a <= 30));
        assert!(per_meeting.iter().filter(|&&a| a >= 5).count() * 100 >= per_meeting.len() * 95);
        let (first, last) = (world.meetings.first().unwrap().date, world.meetings.last().unwrap().date);
        assert!((last - first).whole_days() > 2 * 365, "{first} – {last}");
    }

    #[test]
    fn practice_columns_hold_the_texts_in_their_order() {
        assert_eq!(PRACTICE_COLUMNS[7..20], reti_domain::practices::TEXT_FIELDS);
    }

    #[test]
    fn tax_codes_are_valid_unique_and_apart_from_the_demo() {
        let codes: HashSet<String> = (0..Sizes::EU.organisations).map(tax_code).collect();
        assert_eq!(codes.len(), Sizes::EU.organisations);
        assert!(codes.iter().all(|c| TaxCode::parse(c).is_ok()));
        let demo = std::str::from_utf8(include_bytes!("../demo/organisations.csv")).unwrap();
        let mut demo_codes = demo.lines().skip(1).filter_map(|line| line.split(';').nth(2));
        assert!(demo_codes.all(|code| !codes.contains(code)));
    }

    #[test]
    fn ids_are_uuids_in_the_order_of_their_rows() {
        let ids: Vec<String> = (0..1000).map(|i| id(5, Kind::Meeting, i)).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert!(ids.iter().all(|i| uuid::Uuid::parse_str(i).is_ok_and(|u| u.get_version_num() == 7)));
        assert_eq!(id(5, Kind::Meeting, 3), ids[3]);
        assert_ne!(id(6, Kind::Meeting, 3), ids[3]);
    }
}
