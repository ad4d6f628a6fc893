//! The demo: LAB'IMPACT (FAMI 2014-2020, PROG-2463) with its four action lines, twelve local
//! networks in the provinces of Lombardy, their member organisations, the people who work in them,
//! one local project per network, a year of meetings per network (`demo_meetings`), and an account
//! for every role.
//!
//! Loading it twice duplicates nothing: every record is looked up by its natural key before it is
//! created (programme code, tax code, e-mail, network name, membership by organisation, role and
//! date, project title within its network, action title within its project), and records that
//! exist are left as they are, so a second run writes nothing at all.
//!
//! Everything is fixed data or derived from it deterministically (tax codes and phone numbers from
//! a hash of the organisation's key), so two runs on two machines give the same records. The tax
//! codes are valid (check digit) but carry office code `000`, which the Agenzia delle Entrate never
//! assigns, so none of them can be a real body's. Municipalities are real and resolved by ISTAT
//! code, so a wrong code fails the load instead of leaving a network without its territory.

use reti_domain::dates;
use reti_domain::registry::RESOURCE_VOCABULARY;
use reti_domain::taxcode::{TaxCode, check_digit_numeric};
use reti_domain::text::fold;
use reti_domain::{Email, Maturity, MembershipRole, NetworkStatus, OrganisationKind, Password, PersonName, Role};
use reti_store::PageRequest;
use reti_store::programmes::ProgrammeInput;
use reti_store::registry::import::Entity;
use reti_store::registry::networks::{MembershipInput, NetworkInput};
use reti_store::registry::organisations::{OrganisationFilter, OrganisationInput};
use reti_store::registry::people::PersonInput;
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

/// The people behind the accounts: (e-mail, organisation key, position). The administrator is not
/// a person of the programme.
const ACCOUNT_PEOPLE: [(&str, &str, &str); 4] = [
    ("coordinamento@reti.example", "anci", "Coordinamento regionale LAB'IMPACT"),
    ("accompagnatore@reti.example", "bicocca", "Ricercatore, accompagnatore delle reti territoriali"),
    ("referente@reti.example", "mi-cinisello", "Referente di rete – Ufficio Politiche sociali"),
    ("membro@reti.example", "mi-al-amal", "Presidente"),
];

// ---------------------------------------------------------------------------------------------
// The data
// ---------------------------------------------------------------------------------------------

/// An organisation. `resources` are codes of [`RESOURCE_VOCABULARY`] (stored as their Italian
/// labels) or, with a leading `+`, a free tag.
struct OrgSpec {
    key: &'static str,
    kind: OrganisationKind,
    name: &'static str,
    istat: &'static str,
    address: &'static str,
    email: &'static str,
    resources: &'static [&'static str],
}

const fn o(
    key: &'static str,
    kind: OrganisationKind,
    name: &'static str,
    istat: &'static str,
    address: &'static str,
    email: &'static str,
    resources: &'static [&'static str],
) -> OrgSpec {
    OrgSpec { key, kind, name, istat, address, email, resources }
}

/// A membership: organisation key, role, joined on, left on.
type MemberSpec = (&'static str, MembershipRole, &'static str, Option<&'static str>);

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

struct NetworkSpec {
    name: &'static str,
    /// The province (sigla) all its municipalities belong to.
    province: &'static str,
    description: &'static str,
    maturity: Maturity,
    status: NetworkStatus,
    lines: &'static [i64],
    /// ISTAT codes of the municipalities covered.
    municipalities: &'static [&'static str],
    /// In order: a membership that ends is ended before the next one is added, so a lead can hand
    /// over to another.
    members: &'static [MemberSpec],
    project: ProjectSpec,
}

/// A person: given name, surname, affiliations (organisation key, position). The e-mail is built
/// from the name and the domain of the first organisation.
type PersonSpec = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

use MembershipRole as R;
use OrganisationKind as K;

#[rustfmt::skip]
const ORGANISATIONS: &[OrgSpec] = &[
    // Regional bodies and organisations working with several networks.
    o("anci", K::Other, "ANCI Lombardia", "015146", "Via Rovello 2", "segreteria@anci-lombardia.example", &["coordinamento", "progettazione", "informazione"]),
    o("fondazione-intercultura", K::ThirdSector, "Fondazione Lombarda per l'Intercultura", "015146", "Via Sant'Antonio 5", "info@fondazione-intercultura.example", &["ricerca", "formazione-professionale", "+Osservatorio sulle migrazioni"]),
    o("bicocca", K::University, "Università degli Studi di Milano-Bicocca – Dipartimento di Scienze Umane per la Formazione", "015146", "Piazza dell'Ateneo Nuovo 1", "formazione@unimib.example", &["ricerca", "formazione-professionale"]),
    o("ats-insubria", K::HealthAgency, "ATS Insubria", "012133", "Via Ottorino Rossi 9", "urp@ats-insubria.example", &["salute", "informazione"]),
    o("ats-valpadana", K::HealthAgency, "ATS della Val Padana", "019036", "Via Dante 134", "urp@ats-valpadana.example", &["salute", "informazione"]),
    o("ats-brianza", K::HealthAgency, "ATS della Brianza", "108033", "Viale Elvezia 2", "urp@ats-brianza.example", &["salute", "informazione"]),
    // Milano: Nord Milano
    o("mi-cinisello", K::Municipality, "Comune di Cinisello Balsamo", "015077", "Piazza Confalonieri 5", "protocollo@comune.cinisello-balsamo.example", &["coordinamento", "sportello", "progettazione"]),
    o("mi-sesto", K::Municipality, "Comune di Sesto San Giovanni", "015209", "Piazza della Resistenza 20", "protocollo@comune.sestosg.example", &["sportello", "informazione", "minori"]),
    o("mi-cologno", K::Municipality, "Comune di Cologno Monzese", "015081", "Via della Repubblica 3", "protocollo@comune.cologno-monzese.example", &["minori", "spazi"]),
    o("mi-bresso", K::Municipality, "Comune di Bresso", "015032", "Via Roma 25", "protocollo@comune.bresso.example", &["spazi", "cultura"]),
    o("mi-ic-parco-nord", K::School, "Istituto Comprensivo Parco Nord", "015077", "Via Frova 12", "segreteria@ic-parconord.example", &["scuola", "italiano-l2"]),
    o("mi-ic-rondo", K::School, "Istituto Comprensivo Rondò", "015209", "Via Marzabotto 8", "segreteria@ic-rondo.example", &["scuola", "minori", "+Doposcuola"]),
    o("mi-cpia", K::AdultEducation, "CPIA Milano Nord", "015209", "Via Fratelli di Dio 4", "segreteria@cpia-milanonord.example", &["italiano-l2", "formazione-professionale"]),
    o("mi-asst", K::HealthAgency, "ASST Nord Milano", "015209", "Viale Matteotti 83", "urp@asst-nordmilano.example", &["salute", "supporto-psicologico"]),
    o("mi-prefettura", K::Prefecture, "Prefettura di Milano – Ufficio Territoriale del Governo", "015146", "Corso Monforte 31", "urp@prefettura-milano.example", &["consulenza-legale", "informazione"]),
    o("mi-questura", K::PoliceHeadquarters, "Questura di Milano – Ufficio Immigrazione", "015146", "Via Montebello 26", "immigrazione@questura-milano.example", &["consulenza-legale"]),
    o("mi-coop-ponte", K::ThirdSector, "Cooperativa Sociale Il Ponte", "015077", "Via Libertà 44", "info@coop-ilponte.example", &["mediazione", "accoglienza", "orientamento-lavoro"]),
    o("mi-al-amal", K::MigrantAssociation, "Associazione Culturale Al Amal", "015077", "Via Risorgimento 17", "info@alamal-nordmilano.example", &["mediazione", "partecipazione", "+Corsi di lingua araba"]),
    o("mi-donne-mondo", K::MigrantAssociation, "Associazione Donne del Mondo", "015209", "Via Fiume 9", "info@donnedelmondo.example", &["animazione-comunita", "partecipazione"]),
    o("mi-caritas", K::ReligiousBody, "Caritas Decanato di Sesto San Giovanni", "015209", "Via Dante 4", "caritas@decanato-sesto.example", &["volontariato", "accoglienza", "+Centro di ascolto"]),
    o("mi-logistica", K::Business, "Logistica Nord Milano Srl", "015081", "Via dell'Industria 22", "personale@logistica-nordmilano.example", &["orientamento-lavoro", "formazione-professionale"]),
    // Bergamo: Bassa Bergamasca
    o("bg-treviglio", K::Municipality, "Comune di Treviglio", "016219", "Piazza Luciano Manara 1", "protocollo@comune.treviglio.example", &["coordinamento", "sportello", "progettazione"]),
    o("bg-caravaggio", K::Municipality, "Comune di Caravaggio", "016053", "Piazza Garibaldi 9", "protocollo@comune.caravaggio.example", &["minori", "spazi"]),
    o("bg-brignano", K::Municipality, "Comune di Brignano Gera d'Adda", "016040", "Via Vittorio Emanuele II 14", "protocollo@comune.brignano.example", &["spazi"]),
    o("bg-fara", K::Municipality, "Comune di Fara Gera d'Adda", "016096", "Piazza Roma 1", "protocollo@comune.faragera.example", &["informazione", "spazi"]),
    o("bg-ic-treviglio", K::School, "Istituto Comprensivo Treviglio Est", "016219", "Via Abate Crippa 5", "segreteria@ic-trevigliest.example", &["scuola", "italiano-l2"]),
    o("bg-iis", K::School, "Istituto di Istruzione Superiore Gera d'Adda", "016053", "Viale Europa 30", "segreteria@iis-geradadda.example", &["scuola", "formazione-professionale"]),
    o("bg-cpia", K::AdultEducation, "CPIA 1 Bergamo – Sede di Treviglio", "016219", "Via Zanovello 3", "treviglio@cpia1bergamo.example", &["italiano-l2"]),
    o("bg-asst", K::HealthAgency, "ASST Bergamo Ovest", "016219", "Piazzale Ospedale 1", "urp@asst-bgovest.example", &["salute", "supporto-psicologico"]),
    o("bg-ats", K::HealthAgency, "ATS di Bergamo", "016024", "Via Gallicciolli 4", "urp@ats-bergamo.example", &["salute", "informazione"]),
    o("bg-prefettura", K::Prefecture, "Prefettura di Bergamo – Ufficio Territoriale del Governo", "016024", "Via Tasso 8", "urp@prefettura-bergamo.example", &["consulenza-legale"]),
    o("bg-questura", K::PoliceHeadquarters, "Questura di Bergamo", "016024", "Via Alessandro Noli 26", "immigrazione@questura-bergamo.example", &["consulenza-legale"]),
    o("bg-coop-aquilone", K::ThirdSector, "Cooperativa Sociale L'Aquilone", "016219", "Via Bergamo 41", "info@coop-aquilone.example", &["minori", "scuola", "animazione-comunita"]),
    o("bg-coop-lavoro", K::ThirdSector, "Cooperativa Sociale Gera Lavoro", "016053", "Via Treviglio 70", "info@geralavoro.example", &["orientamento-lavoro", "formazione-professionale", "+Inserimenti lavorativi"]),
    o("bg-ghana", K::MigrantAssociation, "Associazione Comunità Ghanese della Bassa Bergamasca", "016219", "Via Roggia Vignola 12", "info@ghanabassabg.example", &["mediazione", "partecipazione"]),
    o("bg-parrocchia", K::ReligiousBody, "Parrocchia San Martino – Caritas parrocchiale", "016219", "Vicolo Santa Maria 2", "caritas@sanmartino-treviglio.example", &["volontariato", "spazi", "accoglienza"]),
    o("bg-agri", K::Business, "Società Agricola Gera Verde", "016040", "Cascina Brigola 1", "info@geraverde.example", &["orientamento-lavoro"]),
    o("unibg", K::University, "Università degli Studi di Bergamo – Centro di ricerca sulle migrazioni", "016024", "Via Salvecchio 19", "migrazioni@unibg.example", &["ricerca"]),
    // Brescia: Oglio Ovest
    o("bs-coop-franciacorta", K::ThirdSector, "Cooperativa Sociale Franciacorta Solidale", "017052", "Via Cortezzano 14", "info@franciacorta-solidale.example", &["coordinamento", "mediazione", "accoglienza", "progettazione"]),
    o("bs-chiari", K::Municipality, "Comune di Chiari", "017052", "Piazza Martiri della Libertà 26", "protocollo@comune.chiari.example", &["sportello", "spazi"]),
    o("bs-rovato", K::Municipality, "Comune di Rovato", "017166", "Via Lamarmora 7", "protocollo@comune.rovato.example", &["sportello", "minori"]),
    o("bs-palazzolo", K::Municipality, "Comune di Palazzolo sull'Oglio", "017133", "Via XX Settembre 32", "protocollo@comune.palazzolo.example", &["informazione"]),
    o("bs-coccaglio", K::Municipality, "Comune di Coccaglio", "017056", "Piazza Municipio 1", "protocollo@comune.coccaglio.example", &["spazi"]),
    o("bs-ic-chiari", K::School, "Istituto Comprensivo di Chiari", "017052", "Via Cavalli 3", "segreteria@ic-chiari.example", &["scuola", "italiano-l2"]),
    o("bs-ic-rovato", K::School, "Istituto Comprensivo Don Milani", "017166", "Via Franciacorta 12", "segreteria@ic-donmilani-rovato.example", &["scuola", "minori"]),
    o("bs-cpia", K::AdultEducation, "CPIA 2 Brescia – Sede di Chiari", "017052", "Via Tagliata 4", "chiari@cpia2brescia.example", &["italiano-l2", "formazione-professionale"]),
    o("bs-asst", K::HealthAgency, "ASST Franciacorta", "017052", "Viale Mazzini 4", "urp@asst-franciacorta.example", &["salute"]),
    o("bs-prefettura", K::Prefecture, "Prefettura di Brescia – Ufficio Territoriale del Governo", "017029", "Piazza Paolo VI 16", "urp@prefettura-brescia.example", &["consulenza-legale", "informazione"]),
    o("bs-questura", K::PoliceHeadquarters, "Questura di Brescia", "017029", "Via Botticelli 2", "immigrazione@questura-brescia.example", &["consulenza-legale"]),
    o("bs-punjabi", K::MigrantAssociation, "Associazione Culturale Punjabi Franciacorta", "017166", "Via Bonomelli 3", "info@punjabi-franciacorta.example", &["mediazione", "cultura", "partecipazione"]),
    o("bs-burkina", K::MigrantAssociation, "Associazione Burkinabè dell'Ovest Bresciano", "017133", "Via Brescia 18", "info@burkina-ovestbresciano.example", &["partecipazione", "+Cooperazione con i paesi d'origine"]),
    o("bs-oratorio", K::ReligiousBody, "Oratorio San Bernardino – Parrocchia di Chiari", "017052", "Via Palazzolo 1", "oratorio@parrocchia-chiari.example", &["spazi", "volontariato", "cultura"]),
    o("bs-metalli", K::Business, "Metallurgica Oglio Spa", "017150", "Via dell'Industria 15", "risorseumane@metallurgica-oglio.example", &["orientamento-lavoro", "formazione-professionale"]),
    o("bs-patronato", K::Other, "Patronato Solidarietà Lavoro – Sportello di Rovato", "017166", "Via Sant'Orsola 8", "rovato@patronato-sl.example", &["consulenza-legale", "sportello"]),
    // Como: Como e primo bacino del Lario
    o("co-como", K::Municipality, "Comune di Como", "013075", "Via Vittorio Emanuele II 97", "protocollo@comune.como.example", &["coordinamento", "sportello", "informazione", "progettazione"]),
    o("co-cernobbio", K::Municipality, "Comune di Cernobbio", "013065", "Via Regina 23", "protocollo@comune.cernobbio.example", &["spazi"]),
    o("co-sanfermo", K::Municipality, "Comune di San Fermo della Battaglia", "013206", "Via Diaz 1", "protocollo@comune.sanfermo.example", &["minori"]),
    o("co-tavernerio", K::Municipality, "Comune di Tavernerio", "013222", "Via Roma 2", "protocollo@comune.tavernerio.example", &["spazi"]),
    o("co-ic-lago", K::School, "Istituto Comprensivo Como Lago", "013075", "Via Brambilla 3", "segreteria@ic-comolago.example", &["scuola", "italiano-l2"]),
    o("co-ic-borghi", K::School, "Istituto Comprensivo Como Borghi", "013075", "Via Magenta 26", "segreteria@ic-comoborghi.example", &["scuola", "minori"]),
    o("co-cpia", K::AdultEducation, "CPIA di Como", "013075", "Via Italia Libera 11", "segreteria@cpia-como.example", &["italiano-l2", "formazione-professionale"]),
    o("co-asst", K::HealthAgency, "ASST Lariana", "013206", "Via Napoleona 60", "urp@asst-lariana.example", &["salute", "supporto-psicologico"]),
    o("co-prefettura", K::Prefecture, "Prefettura di Como – Ufficio Territoriale del Governo", "013075", "Via Volta 44", "urp@prefettura-como.example", &["consulenza-legale", "informazione"]),
    o("co-questura", K::PoliceHeadquarters, "Questura di Como", "013075", "Viale Roosevelt 7", "immigrazione@questura-como.example", &["consulenza-legale"]),
    o("co-coop-lariana", K::ThirdSector, "Cooperativa Sociale Lariana Accoglienza", "013075", "Via Borgovico 171", "info@lariana-accoglienza.example", &["accoglienza", "mediazione", "consulenza-legale"]),
    o("co-odv", K::ThirdSector, "Associazione Como Senza Frontiere ODV", "013075", "Via Milano 120", "info@comosenzafrontiere.example", &["volontariato", "italiano-l2", "+Scuola di italiano serale"]),
    o("co-ucraina", K::MigrantAssociation, "Associazione Comunità Ucraina del Lario", "013065", "Via Regina 5", "info@ucraini-lario.example", &["mediazione", "cultura"]),
    o("co-nuovi-cittadini", K::MigrantAssociation, "Associazione Nuovi Cittadini Como", "013075", "Via Anzani 8", "info@nuovicittadini-como.example", &["partecipazione", "informazione"]),
    o("co-caritas", K::ReligiousBody, "Caritas Diocesana di Como", "013075", "Viale Cesare Battisti 8", "segreteria@caritas-como.example", &["accoglienza", "volontariato", "sportello"]),
    o("co-tessitura", K::Business, "Tessitura Lariana Srl", "013154", "Via Varesina 40", "personale@tessitura-lariana.example", &["orientamento-lavoro"]),
    o("co-biblioteche", K::Other, "Sistema Bibliotecario dell'Area Comasca", "013075", "Piazzetta Venosto Lucati 1", "info@biblioteche-comasche.example", &["informazione", "cultura", "spazi"]),
    // Cremona
    o("cr-cremona", K::Municipality, "Comune di Cremona", "019036", "Piazza del Comune 8", "protocollo@comune.cremona.example", &["coordinamento", "sportello", "progettazione"]),
    o("cr-castelverde", K::Municipality, "Comune di Castelverde", "019026", "Piazza Municipio 23", "protocollo@comune.castelverde.example", &["spazi"]),
    o("cr-gerre", K::Municipality, "Comune di Gerre de' Caprioli", "019048", "Piazza Municipio 1", "protocollo@comune.gerre.example", &["spazi"]),
    o("cr-ic-due", K::School, "Istituto Comprensivo Cremona Due", "019036", "Via Trento e Trieste 27", "segreteria@ic-cremonadue.example", &["scuola", "italiano-l2"]),
    o("cr-ic-cinque", K::School, "Istituto Comprensivo Cremona Cinque", "019036", "Via San Bernardo 2", "segreteria@ic-cremonacinque.example", &["scuola", "minori"]),
    o("cr-cpia", K::AdultEducation, "CPIA di Cremona", "019036", "Via Brescia 7", "segreteria@cpia-cremona.example", &["italiano-l2"]),
    o("cr-asst", K::HealthAgency, "ASST di Cremona", "019036", "Viale Concordia 1", "urp@asst-cremona.example", &["salute"]),
    o("cr-prefettura", K::Prefecture, "Prefettura di Cremona – Ufficio Territoriale del Governo", "019036", "Corso Vittorio Emanuele II 17", "urp@prefettura-cremona.example", &["consulenza-legale"]),
    o("cr-questura", K::PoliceHeadquarters, "Questura di Cremona", "019036", "Via Tribunali 6", "immigrazione@questura-cremona.example", &["consulenza-legale"]),
    o("cr-coop-torrazzo", K::ThirdSector, "Cooperativa Sociale Il Torrazzo", "019036", "Via Palestro 30", "info@coop-iltorrazzo.example", &["minori", "scuola", "animazione-comunita"]),
    o("cr-indiani", K::MigrantAssociation, "Associazione Comunità Indiana di Cremona", "019036", "Via Mantova 22", "info@indiani-cremona.example", &["cultura", "partecipazione", "mediazione"]),
    o("cr-donne", K::MigrantAssociation, "Associazione Donne Senza Confini", "019036", "Via Bissolati 40", "info@donnesenzaconfini.example", &["animazione-comunita", "italiano-l2"]),
    o("cr-caritas", K::ReligiousBody, "Caritas Cremonese", "019036", "Via Stenico 2", "segreteria@caritas-cremonese.example", &["accoglienza", "volontariato"]),
    o("cr-caseificio", K::Business, "Caseificio Padano Società Cooperativa Agricola", "019095", "Strada Provinciale 85", "info@caseificio-padano.example", &["orientamento-lavoro", "formazione-professionale"]),
    o("cr-cfp", K::Other, "Centro di Formazione Professionale Padano", "019036", "Via Gioconda 5", "orientamento@cfp-padano.example", &["formazione-professionale", "orientamento-lavoro"]),
    // Lecco
    o("lc-lecco", K::Municipality, "Comune di Lecco", "097042", "Piazza Diaz 1", "protocollo@comune.lecco.example", &["coordinamento", "sportello"]),
    o("lc-valmadrera", K::Municipality, "Comune di Valmadrera", "097083", "Via Roma 31", "protocollo@comune.valmadrera.example", &["spazi"]),
    o("lc-calolzio", K::Municipality, "Comune di Calolziocorte", "097013", "Piazza Vittorio Veneto 13", "protocollo@comune.calolziocorte.example", &["minori", "sportello"]),
    o("lc-ic", K::School, "Istituto Comprensivo Lecco Centro", "097042", "Via Ghislanzoni 21", "segreteria@ic-leccocentro.example", &["scuola", "italiano-l2"]),
    o("lc-cpia", K::AdultEducation, "CPIA di Lecco", "097042", "Via Marco d'Oggiono 15", "segreteria@cpia-lecco.example", &["italiano-l2", "formazione-professionale"]),
    o("lc-asst", K::HealthAgency, "ASST di Lecco", "097042", "Via dell'Eremo 9", "urp@asst-lecco.example", &["salute"]),
    o("lc-prefettura", K::Prefecture, "Prefettura di Lecco – Ufficio Territoriale del Governo", "097042", "Corso Promessi Sposi 132", "urp@prefettura-lecco.example", &["consulenza-legale"]),
    o("lc-questura", K::PoliceHeadquarters, "Questura di Lecco", "097042", "Via Amendola 6", "immigrazione@questura-lecco.example", &["consulenza-legale"]),
    o("lc-coop", K::ThirdSector, "Cooperativa Sociale Lario Insieme", "097042", "Via Mascari 12", "info@lario-insieme.example", &["mediazione", "sportello", "accoglienza"]),
    o("lc-odv", K::ThirdSector, "Associazione Valle San Martino Solidale ODV", "097013", "Via Galli 4", "info@vsm-solidale.example", &["volontariato", "italiano-l2"]),
    o("lc-senegal", K::MigrantAssociation, "Associazione Comunità Senegalese di Lecco", "097042", "Via Cantarelli 9", "info@senegalesi-lecco.example", &["mediazione", "partecipazione"]),
    o("lc-parrocchia", K::ReligiousBody, "Parrocchia San Nicolò – Centro di ascolto", "097042", "Piazza Cermenati 2", "ascolto@sannicolo-lecco.example", &["volontariato", "+Centro di ascolto"]),
    o("lc-meccanica", K::Business, "Meccanica Lariana Snc", "097036", "Via Provinciale 60", "info@meccanica-lariana.example", &["orientamento-lavoro"]),
    // Lodi
    o("lo-consorzio", K::Other, "Consorzio Lodigiano per i Servizi alla Persona", "098031", "Via Tiziano Zalli 5", "ufficiodipiano@consorzio-lodigiano.example", &["coordinamento", "progettazione", "minori"]),
    o("lo-lodi", K::Municipality, "Comune di Lodi", "098031", "Piazza Mercato 5", "protocollo@comune.lodi.example", &["sportello", "informazione"]),
    o("lo-lodivecchio", K::Municipality, "Comune di Lodi Vecchio", "098032", "Piazza Santa Maria 26", "protocollo@comune.lodivecchio.example", &["spazi"]),
    o("lo-tavazzano", K::Municipality, "Comune di Tavazzano con Villavesco", "098056", "Via Garibaldi 53", "protocollo@comune.tavazzano.example", &["spazi"]),
    o("lo-ic", K::School, "Istituto Comprensivo Lodi Terzo", "098031", "Via Salvemini 1", "segreteria@ic-loditerzo.example", &["scuola", "italiano-l2"]),
    o("lo-cpia", K::AdultEducation, "CPIA di Lodi", "098031", "Via Cavour 60", "segreteria@cpia-lodi.example", &["italiano-l2"]),
    o("lo-asst", K::HealthAgency, "ASST di Lodi", "098031", "Largo Donatori del Sangue 1", "urp@asst-lodi.example", &["salute"]),
    o("lo-prefettura", K::Prefecture, "Prefettura di Lodi – Ufficio Territoriale del Governo", "098031", "Corso Vittorio Emanuele II 1", "urp@prefettura-lodi.example", &["consulenza-legale"]),
    o("lo-questura", K::PoliceHeadquarters, "Questura di Lodi", "098031", "Viale Milano 26", "immigrazione@questura-lodi.example", &["consulenza-legale"]),
    o("lo-coop", K::ThirdSector, "Cooperativa Sociale Il Mosaico Lodigiano", "098031", "Via Defendente 30", "info@mosaico-lodigiano.example", &["mediazione", "minori", "scuola"]),
    o("lo-latinoamericana", K::MigrantAssociation, "Associazione Latinoamericana del Lodigiano", "098031", "Via Agostino Bassi 14", "info@latinoamericani-lodi.example", &["cultura", "partecipazione"]),
    o("lo-caritas", K::ReligiousBody, "Caritas Lodigiana", "098031", "Via Cavour 31", "segreteria@caritas-lodigiana.example", &["accoglienza", "volontariato", "sportello"]),
    o("lo-agroalimentare", K::Business, "Agroalimentare Adda Srl", "098040", "Via Emilia 12", "personale@agroadda.example", &["orientamento-lavoro", "formazione-professionale"]),
    // Mantova
    o("mn-mantova", K::Municipality, "Comune di Mantova", "020030", "Via Roma 39", "protocollo@comune.mantova.example", &["coordinamento", "sportello", "informazione", "progettazione"]),
    o("mn-porto", K::Municipality, "Comune di Porto Mantovano", "020045", "Strada Cisa 112", "protocollo@comune.portomantovano.example", &["spazi", "minori"]),
    o("mn-curtatone", K::Municipality, "Comune di Curtatone", "020021", "Piazza Corte Spagnola 1", "protocollo@comune.curtatone.example", &["spazi"]),
    o("mn-borgovirgilio", K::Municipality, "Comune di Borgo Virgilio", "020071", "Piazza Aldo Moro 1", "protocollo@comune.borgovirgilio.example", &["minori"]),
    o("mn-ic-uno", K::School, "Istituto Comprensivo Mantova 1", "020030", "Via della Conciliazione 4", "segreteria@ic-mantova1.example", &["scuola", "italiano-l2"]),
    o("mn-ic-tre", K::School, "Istituto Comprensivo Mantova 3", "020030", "Via Cremona 29", "segreteria@ic-mantova3.example", &["scuola", "minori"]),
    o("mn-cpia", K::AdultEducation, "CPIA di Mantova", "020030", "Via Tasso 5", "segreteria@cpia-mantova.example", &["italiano-l2", "formazione-professionale"]),
    o("mn-asst", K::HealthAgency, "ASST di Mantova", "020030", "Strada Lago Paiolo 10", "urp@asst-mantova.example", &["salute", "supporto-psicologico"]),
    o("mn-prefettura", K::Prefecture, "Prefettura di Mantova – Ufficio Territoriale del Governo", "020030", "Via Principe Amedeo 32", "urp@prefettura-mantova.example", &["consulenza-legale", "informazione"]),
    o("mn-questura", K::PoliceHeadquarters, "Questura di Mantova", "020030", "Piazza Sordello 46", "immigrazione@questura-mantova.example", &["consulenza-legale"]),
    o("mn-coop", K::ThirdSector, "Cooperativa Sociale Minciomondo", "020030", "Via Learco Guerra 13", "info@minciomondo.example", &["mediazione", "informazione", "accoglienza"]),
    o("mn-radio", K::Other, "Web Radio Intercultura Mantova", "020030", "Via Chiassi 20", "redazione@radio-intercultura-mn.example", &["informazione", "partecipazione", "+Produzione di podcast"]),
    o("mn-pakistani", K::MigrantAssociation, "Associazione Comunità Pakistana Mantovana", "020030", "Via Brennero 18", "info@pakistani-mantova.example", &["mediazione", "cultura"]),
    o("mn-giovani", K::MigrantAssociation, "Associazione Giovani Nuovi Italiani", "020045", "Via Monteverdi 3", "info@giovaninuoviitaliani.example", &["partecipazione", "animazione-comunita", "cultura"]),
    o("mn-parrocchia", K::ReligiousBody, "Parrocchia di San Barnaba", "020030", "Piazza Mantegna 2", "segreteria@sanbarnaba-mantova.example", &["volontariato", "spazi"]),
    o("mn-logistica", K::Business, "Mantova Servizi Logistici Srl", "020057", "Via Primo Maggio 5", "personale@msl-mantova.example", &["orientamento-lavoro"]),
    // Monza e Brianza
    o("mb-coop", K::ThirdSector, "Cooperativa Sociale Brianza Solidale", "108033", "Via Borgazzi 37", "info@brianza-solidale.example", &["coordinamento", "accoglienza", "mediazione", "progettazione"]),
    o("mb-monza", K::Municipality, "Comune di Monza", "108033", "Piazza Trento e Trieste 1", "protocollo@comune.monza.example", &["sportello", "informazione"]),
    o("mb-brugherio", K::Municipality, "Comune di Brugherio", "108012", "Piazza Cesare Battisti 1", "protocollo@comune.brugherio.example", &["minori", "spazi"]),
    o("mb-lissone", K::Municipality, "Comune di Lissone", "108028", "Via Gramsci 21", "protocollo@comune.lissone.example", &["sportello"]),
    o("mb-villasanta", K::Municipality, "Comune di Villasanta", "108049", "Piazza Martiri della Libertà 7", "protocollo@comune.villasanta.example", &["spazi"]),
    o("mb-ic", K::School, "Istituto Comprensivo Monza Centro", "108033", "Via Raiberti 4", "segreteria@ic-monzacentro.example", &["scuola", "italiano-l2"]),
    o("mb-cpia", K::AdultEducation, "CPIA Monza e Brianza", "108033", "Via Boccaccio 10", "segreteria@cpia-monzabrianza.example", &["italiano-l2", "formazione-professionale"]),
    o("mb-asst", K::HealthAgency, "ASST di Monza", "108033", "Via Pergolesi 33", "urp@asst-monza.example", &["salute"]),
    o("mb-prefettura", K::Prefecture, "Prefettura di Monza e della Brianza – Ufficio Territoriale del Governo", "108033", "Via Montevecchia 4", "urp@prefettura-monza.example", &["consulenza-legale"]),
    o("mb-questura", K::PoliceHeadquarters, "Questura di Monza e della Brianza", "108033", "Piazza Cambiaghi 4", "immigrazione@questura-monza.example", &["consulenza-legale"]),
    o("mb-peruviani", K::MigrantAssociation, "Associazione Comunità Peruviana di Monza", "108033", "Via Enrico da Monza 6", "info@peruviani-monza.example", &["cultura", "partecipazione"]),
    o("mb-mediatori", K::MigrantAssociation, "Associazione Mediatori Interculturali Brianza", "108012", "Via Italia 12", "info@mediatori-brianza.example", &["mediazione", "informazione"]),
    o("mb-caritas", K::ReligiousBody, "Caritas Decanato di Monza", "108033", "Via Volturno 37", "caritas@decanato-monza.example", &["accoglienza", "volontariato"]),
    o("mb-arredo", K::Business, "Brianza Arredo Srl", "108028", "Via Carducci 90", "personale@brianza-arredo.example", &["orientamento-lavoro", "formazione-professionale"]),
    o("mb-centro-lavoratori", K::Other, "Centro Lavoratori Stranieri Brianza", "108033", "Via Premuda 17", "sportello@cls-brianza.example", &["consulenza-legale", "sportello", "orientamento-lavoro"]),
    // Pavia: Lomellina
    o("pv-vigevano", K::Municipality, "Comune di Vigevano", "018177", "Corso Vittorio Emanuele II 25", "protocollo@comune.vigevano.example", &["coordinamento", "sportello", "progettazione"]),
    o("pv-mortara", K::Municipality, "Comune di Mortara", "018102", "Piazza Martiri della Libertà 21", "protocollo@comune.mortara.example", &["sportello", "minori"]),
    o("pv-gambolo", K::Municipality, "Comune di Gambolò", "018068", "Piazza Castello 1", "protocollo@comune.gambolo.example", &["spazi"]),
    o("pv-cassolnovo", K::Municipality, "Comune di Cassolnovo", "018035", "Piazza Vittorio Veneto 1", "protocollo@comune.cassolnovo.example", &["spazi"]),
    o("pv-ic-vigevano", K::School, "Istituto Comprensivo Vigevano Due", "018177", "Via Anna Botto 3", "segreteria@ic-vigevanodue.example", &["scuola", "italiano-l2"]),
    o("pv-ic-mortara", K::School, "Istituto Comprensivo di Mortara", "018102", "Via Sforza 22", "segreteria@ic-mortara.example", &["scuola", "minori"]),
    o("pv-cpia", K::AdultEducation, "CPIA di Pavia – Sede di Vigevano", "018177", "Via Madonna degli Angeli 6", "vigevano@cpia-pavia.example", &["italiano-l2"]),
    o("pv-asst", K::HealthAgency, "ASST di Pavia", "018110", "Viale Repubblica 34", "urp@asst-pavia.example", &["salute"]),
    o("pv-ats", K::HealthAgency, "ATS di Pavia", "018110", "Viale Indipendenza 3", "urp@ats-pavia.example", &["salute", "informazione"]),
    o("pv-prefettura", K::Prefecture, "Prefettura di Pavia – Ufficio Territoriale del Governo", "018110", "Piazza Guicciardi 1", "urp@prefettura-pavia.example", &["consulenza-legale"]),
    o("pv-questura", K::PoliceHeadquarters, "Questura di Pavia", "018110", "Piazza Italia 5", "immigrazione@questura-pavia.example", &["consulenza-legale"]),
    o("pv-coop", K::ThirdSector, "Cooperativa Sociale Lomellina Lavoro e Accoglienza", "018177", "Via Cairoli 19", "info@lomellina-lavoro.example", &["accoglienza", "orientamento-lavoro", "mediazione"]),
    o("pv-albanesi", K::MigrantAssociation, "Associazione Comunità Albanese della Lomellina", "018177", "Via Trento 40", "info@albanesi-lomellina.example", &["mediazione", "cultura"]),
    o("pv-donne", K::MigrantAssociation, "Associazione Donne Marocchine di Mortara", "018102", "Via Roma 66", "info@donnemarocchine-mortara.example", &["animazione-comunita", "partecipazione", "+Sartoria sociale"]),
    o("pv-caritas", K::ReligiousBody, "Caritas Diocesana di Vigevano", "018177", "Via Cairoli 37", "segreteria@caritas-vigevano.example", &["accoglienza", "volontariato", "sportello"]),
    o("pv-calzature", K::Business, "Calzaturificio Lomellino Srl", "018177", "Via Gravellona 120", "personale@calzaturificio-lomellino.example", &["orientamento-lavoro", "formazione-professionale"]),
    o("unipv", K::University, "Università degli Studi di Pavia – Dipartimento di Scienze Politiche e Sociali", "018110", "Corso Strada Nuova 65", "scienzepolitiche@unipv.example", &["ricerca", "formazione-professionale"]),
    // Sondrio: Media Valtellina
    o("so-sondrio", K::Municipality, "Comune di Sondrio", "014061", "Piazza Campello 1", "protocollo@comune.sondrio.example", &["coordinamento", "sportello"]),
    o("so-albosaggia", K::Municipality, "Comune di Albosaggia", "014002", "Via Coltra 20", "protocollo@comune.albosaggia.example", &["spazi"]),
    o("so-ponte", K::Municipality, "Comune di Ponte in Valtellina", "014052", "Piazza Luina 1", "protocollo@comune.pontevaltellina.example", &["spazi"]),
    o("so-ic", K::School, "Istituto Comprensivo Sondrio Centro", "014061", "Via Ligari 10", "segreteria@ic-sondriocentro.example", &["scuola", "italiano-l2"]),
    o("so-cpia", K::AdultEducation, "CPIA di Sondrio", "014061", "Via Tonale 22", "segreteria@cpia-sondrio.example", &["italiano-l2", "formazione-professionale"]),
    o("so-asst", K::HealthAgency, "ASST Valtellina e Alto Lario", "014061", "Via Stelvio 25", "urp@asst-val.example", &["salute"]),
    o("so-ats", K::HealthAgency, "ATS della Montagna", "014061", "Via Nazario Sauro 38", "urp@ats-montagna.example", &["salute", "informazione"]),
    o("so-prefettura", K::Prefecture, "Prefettura di Sondrio – Ufficio Territoriale del Governo", "014061", "Via XXV Aprile 20", "urp@prefettura-sondrio.example", &["consulenza-legale"]),
    o("so-questura", K::PoliceHeadquarters, "Questura di Sondrio", "014061", "Piazzale Bertacchi 1", "immigrazione@questura-sondrio.example", &["consulenza-legale"]),
    o("so-coop", K::ThirdSector, "Cooperativa Sociale Valtellina Accoglie", "014061", "Via Vanoni 78", "info@valtellina-accoglie.example", &["accoglienza", "mediazione", "orientamento-lavoro"]),
    o("so-africa", K::MigrantAssociation, "Associazione Amici dell'Africa Valtellina", "014061", "Via Trieste 12", "info@amiciafrica-valtellina.example", &["partecipazione", "cultura"]),
    o("so-caritas", K::ReligiousBody, "Caritas Parrocchiale dei Santi Gervasio e Protasio", "014061", "Piazza Quadrivio 2", "caritas@parrocchia-sondrio.example", &["volontariato", "accoglienza"]),
    o("so-frutticoltori", K::Business, "Frutticoltori Valtellinesi Società Agricola", "014044", "Via Nazionale 33", "info@frutticoltori-valtellinesi.example", &["orientamento-lavoro"]),
    // Varese
    o("va-varese", K::Municipality, "Comune di Varese", "012133", "Via Sacco 5", "protocollo@comune.varese.example", &["coordinamento", "sportello", "informazione"]),
    o("va-malnate", K::Municipality, "Comune di Malnate", "012096", "Piazza Vittorio Veneto 2", "protocollo@comune.malnate.example", &["spazi", "minori"]),
    o("va-induno", K::Municipality, "Comune di Induno Olona", "012083", "Via Porro 35", "protocollo@comune.induno-olona.example", &["spazi"]),
    o("va-arcisate", K::Municipality, "Comune di Arcisate", "012004", "Via Roma 2", "protocollo@comune.arcisate.example", &["spazi"]),
    o("va-ic-uno", K::School, "Istituto Comprensivo Varese 1", "012133", "Via Pergolesi 5", "segreteria@ic-varese1.example", &["scuola", "italiano-l2"]),
    o("va-ic-quattro", K::School, "Istituto Comprensivo Varese 4", "012133", "Via Morselli 19", "segreteria@ic-varese4.example", &["scuola", "minori"]),
    o("va-cpia", K::AdultEducation, "CPIA di Varese", "012133", "Via Brunico 27", "segreteria@cpia-varese.example", &["italiano-l2", "formazione-professionale"]),
    o("va-asst", K::HealthAgency, "ASST Sette Laghi", "012133", "Viale Borri 57", "urp@asst-settelaghi.example", &["salute", "supporto-psicologico"]),
    o("va-prefettura", K::Prefecture, "Prefettura di Varese – Ufficio Territoriale del Governo", "012133", "Piazza Libertà 1", "urp@prefettura-varese.example", &["consulenza-legale"]),
    o("va-questura", K::PoliceHeadquarters, "Questura di Varese", "012133", "Via Ugo Foscolo 2", "immigrazione@questura-varese.example", &["consulenza-legale"]),
    o("va-coop", K::ThirdSector, "Cooperativa Sociale Prealpi Insieme", "012133", "Via Como 21", "info@prealpi-insieme.example", &["mediazione", "scuola", "minori"]),
    o("va-giornale", K::Other, "Redazione di VareseMondo – giornale interculturale", "012133", "Via Dandolo 3", "redazione@varesemondo.example", &["informazione", "+Giornalismo interculturale"]),
    o("va-tunisini", K::MigrantAssociation, "Associazione Comunità Tunisina di Varese", "012133", "Via Dandolo 8", "info@tunisini-varese.example", &["mediazione", "partecipazione"]),
    o("va-parrocchia", K::ReligiousBody, "Parrocchia San Vittore – Oratorio interculturale", "012133", "Piazza San Vittore 1", "oratorio@sanvittore-varese.example", &["spazi", "volontariato", "cultura"]),
    o("va-meccanica", K::Business, "Meccanica di Precisione Olona Srl", "012083", "Via Jamoretti 40", "personale@mp-olona.example", &["orientamento-lavoro"]),
    o("uninsubria", K::University, "Università degli Studi dell'Insubria – Dipartimento di Scienze Umane", "012133", "Via Ravasi 2", "scienzeumane@uninsubria.example", &["ricerca", "formazione-professionale"]),
];

#[rustfmt::skip]
const NETWORKS: &[NetworkSpec] = &[
    NetworkSpec {
        name: "Rete Nord Milano per l'integrazione",
        province: "MI",
        description: "Rete dei comuni del Nord Milano che dal 2016 coordina sportelli, scuole e associazioni sui temi dell'immigrazione. Lavora a un sistema integrato di accesso ai servizi e alla partecipazione delle comunità straniere.",
        maturity: Maturity::Consolidated,
        status: NetworkStatus::Active,
        lines: &[1, 2, 4],
        municipalities: &["015077", "015209", "015081", "015032", "015098", "015146"],
        members: &[
            ("mi-cinisello", R::Lead, "2019-02-01", None),
            ("mi-sesto", R::Partner, "2019-02-01", None),
            ("mi-ic-parco-nord", R::Partner, "2019-02-01", None),
            ("mi-coop-ponte", R::Partner, "2019-02-01", None),
            ("mi-cpia", R::Partner, "2019-02-01", None),
            ("mi-cologno", R::Partner, "2019-03-15", None),
            ("mi-prefettura", R::Supporter, "2019-04-01", None),
            ("mi-bresso", R::Supporter, "2019-05-01", None),
            ("mi-caritas", R::Supporter, "2019-05-01", None),
            ("mi-asst", R::Supporter, "2019-06-01", None),
            ("mi-ic-rondo", R::Supporter, "2019-09-01", None),
            ("mi-al-amal", R::Supporter, "2019-10-01", None),
            ("fondazione-intercultura", R::Supporter, "2019-11-01", None),
            ("mi-donne-mondo", R::Supporter, "2020-01-20", None),
            ("bicocca", R::Supporter, "2020-02-01", None),
            ("mi-logistica", R::Supporter, "2020-03-01", Some("2021-06-30")),
        ],
        project: ProjectSpec {
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
        },
    },
    NetworkSpec {
        name: "Rete Bassa Bergamasca per l'integrazione",
        province: "BG",
        description: "La rete dell'Ambito di Treviglio riunisce comuni, scuole e terzo settore della Gera d'Adda. Nata da un precedente progetto FAMI, punta a rendere stabile l'accoglienza degli alunni e delle famiglie neoarrivate.",
        maturity: Maturity::PriorProjects,
        status: NetworkStatus::Active,
        lines: &[1, 2],
        municipalities: &["016219", "016053", "016040", "016011", "016063", "016172", "016049", "016096"],
        members: &[
            ("bg-treviglio", R::Lead, "2019-01-15", None),
            ("bg-caravaggio", R::Partner, "2019-01-15", None),
            ("bg-ic-treviglio", R::Partner, "2019-01-15", None),
            ("bg-coop-aquilone", R::Partner, "2019-01-15", None),
            ("bg-cpia", R::Partner, "2019-03-01", None),
            ("bg-brignano", R::Supporter, "2019-04-01", None),
            ("bg-fara", R::Supporter, "2019-04-01", None),
            ("bg-parrocchia", R::Supporter, "2019-04-01", None),
            ("bg-asst", R::Supporter, "2019-05-01", None),
            ("bg-prefettura", R::Supporter, "2019-06-01", None),
            ("bg-iis", R::Supporter, "2019-09-15", None),
            ("bg-ghana", R::Supporter, "2019-10-01", None),
            ("unibg", R::Supporter, "2020-01-10", None),
            ("bg-coop-lavoro", R::Supporter, "2020-02-01", None),
        ],
        project: ProjectSpec {
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
        },
    },
    NetworkSpec {
        name: "Rete Oglio Ovest Inclusiva",
        province: "BS",
        description: "Rete dei comuni dell'Ovest Bresciano guidata da una cooperativa sociale con esperienza nella mediazione. Lavora sull'informazione ai cittadini stranieri e sul coordinamento degli sportelli.",
        maturity: Maturity::PriorProjects,
        status: NetworkStatus::Active,
        lines: &[2, 3],
        municipalities: &["017052", "017166", "017133", "017056", "017041", "017045", "017059", "017150"],
        members: &[
            ("bs-coop-franciacorta", R::Lead, "2019-02-15", None),
            ("bs-chiari", R::Partner, "2019-02-15", None),
            ("bs-rovato", R::Partner, "2019-02-15", None),
            ("bs-ic-chiari", R::Partner, "2019-02-15", None),
            ("bs-cpia", R::Partner, "2019-02-15", None),
            ("bs-palazzolo", R::Partner, "2019-05-01", None),
            ("bs-coccaglio", R::Supporter, "2019-06-01", None),
            ("bs-asst", R::Supporter, "2019-06-01", None),
            ("bs-prefettura", R::Supporter, "2019-07-01", None),
            ("bs-ic-rovato", R::Supporter, "2019-09-01", None),
            ("bs-punjabi", R::Supporter, "2019-10-15", None),
            ("bs-burkina", R::Supporter, "2019-10-15", Some("2020-12-31")),
            ("bs-oratorio", R::Supporter, "2020-01-10", None),
            ("bs-patronato", R::Supporter, "2020-02-01", None),
        ],
        project: ProjectSpec {
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
        },
    },
    NetworkSpec {
        name: "Rete Como Lario Accoglie",
        province: "CO",
        description: "Rete consolidata del capoluogo e dei comuni del primo bacino del Lario, con una lunga collaborazione tra Comune, Prefettura e Caritas. Cura l'accesso ai servizi, l'informazione e la rappresentanza delle comunità straniere.",
        maturity: Maturity::Consolidated,
        status: NetworkStatus::Active,
        lines: &[2, 3, 4],
        municipalities: &["013075", "013065", "013032", "013206", "013222", "013129", "013154"],
        members: &[
            ("co-como", R::Lead, "2019-01-20", None),
            ("co-coop-lariana", R::Partner, "2019-01-20", None),
            ("co-ic-lago", R::Partner, "2019-01-20", None),
            ("co-cpia", R::Partner, "2019-01-20", None),
            ("co-caritas", R::Partner, "2019-01-20", None),
            ("co-odv", R::Partner, "2019-03-01", None),
            ("co-prefettura", R::Supporter, "2019-03-01", None),
            ("co-cernobbio", R::Supporter, "2019-04-15", None),
            ("co-sanfermo", R::Supporter, "2019-04-15", None),
            ("co-asst", R::Supporter, "2019-05-01", None),
            ("ats-insubria", R::Supporter, "2019-06-01", None),
            ("co-tavernerio", R::Supporter, "2019-09-01", None),
            ("co-ic-borghi", R::Supporter, "2019-09-01", None),
            ("co-ucraina", R::Supporter, "2019-10-01", None),
            ("co-nuovi-cittadini", R::Supporter, "2019-11-15", None),
            ("co-biblioteche", R::Supporter, "2020-01-15", None),
        ],
        project: ProjectSpec {
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
        },
    },
    NetworkSpec {
        name: "Rete Cremonese Intrecci",
        province: "CR",
        description: "Rete del capoluogo e dei comuni della prima cintura cremonese, cresciuta attorno alle scuole. Ha già realizzato un progetto FAMI sull'italiano per lo studio e oggi coinvolge le associazioni di donne migranti.",
        maturity: Maturity::PriorProjects,
        status: NetworkStatus::Active,
        lines: &[1, 4],
        municipalities: &["019036", "019026", "019048", "019068", "019100", "019095", "019006"],
        members: &[
            ("cr-cremona", R::Lead, "2019-02-01", None),
            ("cr-ic-due", R::Partner, "2019-02-01", None),
            ("cr-cpia", R::Partner, "2019-02-01", None),
            ("cr-coop-torrazzo", R::Partner, "2019-02-01", None),
            ("cr-donne", R::Partner, "2019-02-01", None),
            ("cr-caritas", R::Supporter, "2019-03-01", None),
            ("cr-prefettura", R::Supporter, "2019-04-01", None),
            ("cr-castelverde", R::Supporter, "2019-05-15", None),
            ("cr-gerre", R::Supporter, "2019-05-15", None),
            ("cr-asst", R::Supporter, "2019-06-01", None),
            ("ats-valpadana", R::Supporter, "2019-06-01", None),
            ("cr-ic-cinque", R::Supporter, "2019-09-10", None),
            ("cr-indiani", R::Supporter, "2019-10-01", None),
            ("cr-caseificio", R::Supporter, "2019-11-01", Some("2021-03-31")),
            ("cr-cfp", R::Supporter, "2020-02-15", None),
        ],
        project: ProjectSpec {
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
        },
    },
    NetworkSpec {
        name: "Rete Lecco e Valle San Martino",
        province: "LC",
        description: "Rete alla prima esperienza FAMI, costituita dal Comune di Lecco con i comuni del lago e della Valle San Martino. Si concentra sulla conoscenza reciproca dei servizi e su un primo sportello di orientamento.",
        maturity: Maturity::FirstExperience,
        status: NetworkStatus::Active,
        lines: &[2],
        municipalities: &["097042", "097083", "097045", "097013", "097086", "097036", "097068"],
        members: &[
            ("lc-lecco", R::Lead, "2019-03-01", None),
            ("lc-coop", R::Partner, "2019-03-01", None),
            ("lc-cpia", R::Partner, "2019-03-01", None),
            ("lc-valmadrera", R::Supporter, "2019-05-01", None),
            ("lc-calolzio", R::Supporter, "2019-05-01", None),
            ("lc-prefettura", R::Supporter, "2019-06-01", None),
            ("lc-asst", R::Supporter, "2019-07-01", None),
            ("ats-brianza", R::Supporter, "2019-07-01", None),
            ("lc-ic", R::Partner, "2019-09-01", None),
            ("lc-odv", R::Supporter, "2019-10-01", None),
            ("lc-senegal", R::Supporter, "2020-01-15", None),
            ("lc-parrocchia", R::Supporter, "2020-03-01", None),
        ],
        project: ProjectSpec {
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
        },
    },
    NetworkSpec {
        name: "Rete Lodigiana per l'integrazione",
        province: "LO",
        description: "Rete alla prima esperienza FAMI, avviata dal Comune di Lodi e passata nel 2020 al consorzio dei servizi alla persona dell'Ambito. Lavora sull'orientamento scolastico e sull'accesso ai servizi sanitari.",
        maturity: Maturity::FirstExperience,
        status: NetworkStatus::Active,
        lines: &[1, 2],
        municipalities: &["098031", "098032", "098040", "098056", "098048", "098024", "098003"],
        members: &[
            ("lo-lodi", R::Lead, "2019-03-01", Some("2020-06-30")),
            ("lo-consorzio", R::Partner, "2019-03-01", Some("2020-06-30")),
            ("lo-consorzio", R::Lead, "2020-07-01", None),
            ("lo-lodi", R::Partner, "2020-07-01", None),
            ("lo-ic", R::Partner, "2019-03-01", None),
            ("lo-coop", R::Partner, "2019-03-01", None),
            ("lo-caritas", R::Supporter, "2019-03-15", None),
            ("lo-prefettura", R::Supporter, "2019-04-01", None),
            ("lo-lodivecchio", R::Supporter, "2019-05-01", None),
            ("lo-tavazzano", R::Supporter, "2019-05-01", None),
            ("lo-asst", R::Supporter, "2019-06-15", None),
            ("lo-cpia", R::Partner, "2019-09-01", None),
            ("lo-latinoamericana", R::Supporter, "2019-11-01", None),
            ("fondazione-intercultura", R::Supporter, "2020-01-10", None),
        ],
        project: ProjectSpec {
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
        },
    },
    NetworkSpec {
        name: "Rete Grande Mantova Interculturale",
        province: "MN",
        description: "Rete consolidata del capoluogo e dei comuni della Grande Mantova, con una web radio interculturale tra i partner. Unisce scuola, informazione e partecipazione dei giovani con background migratorio.",
        maturity: Maturity::Consolidated,
        status: NetworkStatus::Active,
        lines: &[1, 3, 4],
        municipalities: &["020030", "020045", "020021", "020071", "020057", "020003", "020052"],
        members: &[
            ("mn-mantova", R::Lead, "2019-01-10", None),
            ("mn-porto", R::Partner, "2019-01-10", None),
            ("mn-ic-uno", R::Partner, "2019-01-10", None),
            ("mn-cpia", R::Partner, "2019-01-10", None),
            ("mn-coop", R::Partner, "2019-01-10", None),
            ("mn-radio", R::Partner, "2019-01-10", None),
            ("mn-prefettura", R::Supporter, "2019-02-15", None),
            ("mn-curtatone", R::Supporter, "2019-03-01", None),
            ("mn-borgovirgilio", R::Supporter, "2019-03-01", None),
            ("mn-asst", R::Supporter, "2019-04-01", None),
            ("ats-valpadana", R::Supporter, "2019-06-01", None),
            ("mn-pakistani", R::Supporter, "2019-06-01", None),
            ("mn-ic-tre", R::Supporter, "2019-09-01", None),
            ("mn-giovani", R::Supporter, "2019-10-01", None),
            ("mn-parrocchia", R::Supporter, "2020-01-15", None),
            ("mn-logistica", R::Supporter, "2020-04-01", None),
        ],
        project: ProjectSpec {
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
        },
    },
    NetworkSpec {
        name: "Sistema Brianza Accoglie",
        province: "MB",
        description: "Sistema di accoglienza e integrazione della Brianza monzese guidato da una cooperativa sociale, con una lunga storia di coprogettazione con i comuni. Accompagna le persone dalla prima accoglienza al lavoro e alla cittadinanza attiva.",
        maturity: Maturity::Consolidated,
        status: NetworkStatus::Active,
        lines: &[2, 4],
        municipalities: &["108033", "108012", "108049", "108046", "108028", "108034", "108021"],
        members: &[
            ("mb-coop", R::Lead, "2019-02-01", None),
            ("mb-monza", R::Partner, "2019-02-01", None),
            ("mb-brugherio", R::Partner, "2019-02-01", None),
            ("mb-ic", R::Partner, "2019-02-01", None),
            ("mb-cpia", R::Partner, "2019-02-01", None),
            ("mb-mediatori", R::Partner, "2019-02-01", None),
            ("mb-prefettura", R::Supporter, "2019-03-01", None),
            ("mb-caritas", R::Supporter, "2019-03-01", None),
            ("mb-lissone", R::Supporter, "2019-04-01", None),
            ("mb-villasanta", R::Supporter, "2019-04-01", None),
            ("mb-asst", R::Supporter, "2019-05-15", None),
            ("ats-brianza", R::Supporter, "2019-05-15", None),
            ("mb-peruviani", R::Supporter, "2019-10-01", None),
            ("bicocca", R::Supporter, "2019-12-01", None),
            ("fondazione-intercultura", R::Supporter, "2020-01-15", None),
            ("mb-arredo", R::Supporter, "2020-02-01", Some("2021-12-31")),
            ("mb-centro-lavoratori", R::Supporter, "2020-05-01", None),
        ],
        project: ProjectSpec {
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
        },
    },
    NetworkSpec {
        name: "Rete Lomellina Solidale",
        province: "PV",
        description: "Rete dei comuni della Lomellina con capofila Vigevano, già attiva in un precedente progetto FAMI sugli sportelli. Valorizza le associazioni di donne migranti e il dialogo tra le comunità.",
        maturity: Maturity::PriorProjects,
        status: NetworkStatus::Active,
        lines: &[2, 4],
        municipalities: &["018177", "018102", "018068", "018035", "018050", "018075", "018109"],
        members: &[
            ("pv-vigevano", R::Lead, "2019-02-20", None),
            ("pv-mortara", R::Partner, "2019-02-20", None),
            ("pv-coop", R::Partner, "2019-02-20", None),
            ("pv-ic-vigevano", R::Partner, "2019-02-20", None),
            ("pv-donne", R::Partner, "2019-02-20", None),
            ("pv-caritas", R::Supporter, "2019-03-01", None),
            ("pv-cpia", R::Partner, "2019-04-01", None),
            ("pv-prefettura", R::Supporter, "2019-04-15", None),
            ("pv-gambolo", R::Supporter, "2019-05-01", None),
            ("pv-cassolnovo", R::Supporter, "2019-05-01", None),
            ("pv-asst", R::Supporter, "2019-06-01", None),
            ("pv-ic-mortara", R::Supporter, "2019-09-01", Some("2021-08-31")),
            ("pv-albanesi", R::Supporter, "2019-10-01", None),
            ("unipv", R::Supporter, "2020-01-20", None),
            ("pv-calzature", R::Supporter, "2020-03-01", None),
        ],
        project: ProjectSpec {
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
        },
    },
    NetworkSpec {
        name: "Rete Sondrio e Media Valtellina",
        province: "SO",
        description: "Rete in costituzione attorno al Comune di Sondrio, alla prima esperienza FAMI. Sta raccogliendo i bisogni delle famiglie straniere della media valle per progettare un primo servizio condiviso.",
        maturity: Maturity::FirstExperience,
        status: NetworkStatus::Forming,
        lines: &[2],
        municipalities: &["014061", "014002", "014007", "014015", "014044", "014051", "014052", "014070", "014011"],
        members: &[
            ("so-sondrio", R::Lead, "2020-03-01", None),
            ("so-coop", R::Partner, "2020-03-01", None),
            ("so-cpia", R::Partner, "2020-03-01", None),
            ("so-prefettura", R::Supporter, "2020-04-01", None),
            ("so-albosaggia", R::Supporter, "2020-05-15", None),
            ("so-ponte", R::Supporter, "2020-05-15", None),
            ("so-asst", R::Supporter, "2020-06-01", None),
            ("so-caritas", R::Supporter, "2020-06-01", None),
            ("so-ic", R::Partner, "2020-09-01", None),
            ("so-africa", R::Supporter, "2020-10-01", None),
        ],
        project: ProjectSpec {
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
        },
    },
    NetworkSpec {
        name: "Rete Varese Terre d'Incontro",
        province: "VA",
        description: "Rete del capoluogo e dei comuni della Valceresio e del Lago di Varese, con un giornale interculturale tra i partner. Lavora sulla scuola e sull'informazione in più lingue.",
        maturity: Maturity::PriorProjects,
        status: NetworkStatus::Active,
        lines: &[1, 3],
        municipalities: &["012133", "012096", "012083", "012004", "012073", "012025", "012006", "012038"],
        members: &[
            ("va-varese", R::Lead, "2019-01-15", None),
            ("va-ic-uno", R::Partner, "2019-01-15", None),
            ("va-ic-quattro", R::Partner, "2019-01-15", None),
            ("va-cpia", R::Partner, "2019-01-15", None),
            ("va-coop", R::Partner, "2019-01-15", None),
            ("va-giornale", R::Partner, "2019-01-15", None),
            ("va-malnate", R::Supporter, "2019-03-01", None),
            ("va-induno", R::Supporter, "2019-03-01", None),
            ("va-prefettura", R::Supporter, "2019-04-01", None),
            ("va-asst", R::Supporter, "2019-05-01", None),
            ("ats-insubria", R::Supporter, "2019-06-01", None),
            ("va-arcisate", R::Supporter, "2019-09-01", None),
            ("va-tunisini", R::Supporter, "2019-10-15", None),
            ("va-parrocchia", R::Supporter, "2020-01-10", None),
            ("uninsubria", R::Supporter, "2020-02-01", None),
        ],
        project: ProjectSpec {
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
        },
    },
];

/// The people who work in the networks: referenti, operatori, mediatori, docenti. Never the people
/// the programme serves.
#[rustfmt::skip]
const PEOPLE: &[PersonSpec] = &[
    ("Paola", "Galli", &[("mi-sesto", "Assistente sociale – Servizio stranieri")]),
    ("Sara", "Moretti", &[("mi-ic-parco-nord", "Docente referente per l'intercultura")]),
    ("Samira", "Ouali", &[("mi-coop-ponte", "Mediatrice linguistico-culturale"), ("mi-donne-mondo", "Socia fondatrice")]),
    ("Davide", "Brambilla", &[("mi-cpia", "Docente di italiano L2")]),
    ("Luca", "Ghilardi", &[("bg-treviglio", "Referente di rete – Ufficio di Piano")]),
    ("Elena", "Rota", &[("bg-ic-treviglio", "Dirigente scolastica")]),
    ("Kwame", "Mensah", &[("bg-ghana", "Presidente")]),
    ("Silvia", "Pesenti", &[("bg-coop-aquilone", "Coordinatrice educativa")]),
    ("Matteo", "Cortinovis", &[("bg-cpia", "Docente di italiano L2")]),
    ("Francesca", "Belotti", &[("bs-coop-franciacorta", "Coordinatrice di progetto – referente di rete")]),
    ("Giorgio", "Lancini", &[("bs-chiari", "Responsabile Servizi sociali")]),
    ("Harpreet", "Kaur", &[("bs-punjabi", "Mediatrice linguistico-culturale")]),
    ("Anna", "Bonetti", &[("bs-ic-chiari", "Docente referente per gli alunni neoarrivati")]),
    ("Roberto", "Gatti", &[("bs-cpia", "Coordinatore della sede")]),
    ("Laura", "Bianchi", &[("co-como", "Referente di rete – Settore Politiche sociali")]),
    ("Oksana", "Kovalenko", &[("co-ucraina", "Presidente"), ("co-coop-lariana", "Mediatrice linguistico-culturale")]),
    ("Stefano", "Frigerio", &[("co-coop-lariana", "Responsabile accoglienza")]),
    ("Marta", "Butti", &[("co-ic-lago", "Docente funzione strumentale intercultura")]),
    ("Andrea", "Molteni", &[("co-caritas", "Direttore")]),
    ("Valentina", "Ghisolfi", &[("cr-cremona", "Referente di rete – Settore Welfare")]),
    ("Gurpreet", "Singh", &[("cr-indiani", "Presidente")]),
    ("Federica", "Bodini", &[("cr-coop-torrazzo", "Educatrice")]),
    ("Nadia", "Zaki", &[("cr-donne", "Coordinatrice")]),
    ("Paolo", "Ruggeri", &[("cr-cpia", "Dirigente scolastico")]),
    ("Alessandro", "Invernizzi", &[("lc-lecco", "Referente di rete – Servizi sociali")]),
    ("Moussa", "Ndiaye", &[("lc-senegal", "Presidente")]),
    ("Cristina", "Valsecchi", &[("lc-coop", "Operatrice sportello stranieri")]),
    ("Giovanna", "Airoldi", &[("lc-cpia", "Docente di italiano L2")]),
    ("Fabio", "Panzeri", &[("lc-odv", "Volontario coordinatore")]),
    ("Daniela", "Bassi", &[("lo-consorzio", "Referente di rete – Ufficio di Piano")]),
    ("Carlos", "Mendoza", &[("lo-latinoamericana", "Presidente")]),
    ("Michela", "Cerri", &[("lo-lodi", "Assistente sociale")]),
    ("Simone", "Grossi", &[("lo-coop", "Educatore")]),
    ("Irene", "Dossena", &[("lo-ic", "Docente referente per l'intercultura")]),
    ("Roberta", "Ghizzi", &[("mn-mantova", "Referente di rete – Settore Welfare")]),
    ("Ali", "Raza", &[("mn-pakistani", "Presidente")]),
    ("Giulio", "Benatti", &[("mn-radio", "Caporedattore")]),
    ("Martina", "Zanardi", &[("mn-coop", "Coordinatrice sportello")]),
    ("Yasmine", "Haddad", &[("mn-giovani", "Animatrice di comunità")]),
    ("Elisa", "Mariani", &[("mb-coop", "Responsabile di progetto – referente di rete")]),
    ("Rosa", "Quispe", &[("mb-peruviani", "Presidente")]),
    ("Lorenzo", "Sala", &[("mb-monza", "Funzionario Servizi sociali")]),
    ("Amina", "Diallo", &[("mb-mediatori", "Mediatrice linguistico-culturale")]),
    ("Beatrice", "Villa", &[("mb-ic", "Docente referente per l'intercultura")]),
    ("Andrea", "Bergamaschi", &[("pv-vigevano", "Referente di rete – Servizi sociali")]),
    ("Fatima Zahra", "El Amrani", &[("pv-donne", "Presidente")]),
    ("Ermal", "Hoxha", &[("pv-albanesi", "Mediatore linguistico-culturale")]),
    ("Claudia", "Rognoni", &[("pv-coop", "Coordinatrice")]),
    ("Giuseppe", "Sacchi", &[("unipv", "Docente di sociologia delle migrazioni")]),
    ("Nicola", "Bertolini", &[("so-sondrio", "Referente di rete – Servizi sociali")]),
    ("Serena", "Pedrotti", &[("so-coop", "Coordinatrice accoglienza")]),
    ("Ibrahima", "Sow", &[("so-africa", "Presidente")]),
    ("Luisa", "Tognini", &[("so-cpia", "Docente di italiano L2")]),
    ("Tiziana", "Songini", &[("so-ic", "Dirigente scolastica")]),
    ("Federico", "Macchi", &[("va-varese", "Referente di rete – Area Servizi sociali")]),
    ("Sonia", "Brusa", &[("va-coop", "Coordinatrice educativa")]),
    ("Karim", "Ben Salah", &[("va-tunisini", "Presidente")]),
    ("Monica", "Zanzi", &[("va-giornale", "Giornalista")]),
    ("Piero", "Bossi", &[("uninsubria", "Ricercatore di pedagogia interculturale")]),
];

/// Telephone area codes by province.
const AREA_CODES: &[(&str, &str)] = &[
    ("MI", "02"),
    ("BG", "035"),
    ("BS", "030"),
    ("CO", "031"),
    ("CR", "0372"),
    ("LC", "0341"),
    ("LO", "0371"),
    ("MN", "0376"),
    ("MB", "039"),
    ("PV", "0382"),
    ("SO", "0342"),
    ("VA", "0332"),
];

// ---------------------------------------------------------------------------------------------
// Derived values
// ---------------------------------------------------------------------------------------------

/// FNV-1a: a fixed, portable hash (std's `DefaultHasher` may change between Rust releases).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// A valid 11-digit tax code for the organisation `key`: seven digits from its hash, office code
/// 000 (never assigned), and the check digit.
fn tax_code(key: &str) -> String {
    let first10 = format!("{:07}000", fnv1a(key) % 10_000_000);
    format!("{first10}{}", check_digit_numeric(&first10))
}

/// A landline number in the province's area, ten digits in all.
fn phone(key: &str, province_code: &str) -> String {
    let area = AREA_CODES.iter().find(|(p, _)| *p == province_code).map_or("02", |(_, a)| a);
    let width = 10 - area.len();
    // Italian subscriber numbers do not start with 0.
    let lowest = 10u64.pow(width as u32 - 1);
    let number = lowest + fnv1a(&format!("phone:{key}")) % (9 * lowest);
    format!("{area} {number}")
}

/// A mobile number for a person.
fn mobile(email: &str) -> String {
    let hash = fnv1a(&format!("mobile:{email}"));
    format!("+39 3{:02} {:07}", 20 + hash % 80, (hash / 100) % 10_000_000)
}

/// `nome.cognome@dominio`, folded to plain ASCII letters.
fn person_email(given: &str, surname: &str, organisation_email: &str) -> String {
    let ascii = |text: &str| fold(text).chars().filter(char::is_ascii_alphanumeric).collect::<String>();
    let first = given.split_whitespace().next().unwrap_or(given);
    let domain = organisation_email.rsplit_once('@').map_or(organisation_email, |(_, d)| d);
    format!("{}.{}@{domain}", ascii(first), ascii(surname))
}

fn resource_tags(codes: &[&str]) -> anyhow::Result<Vec<String>> {
    codes
        .iter()
        .map(|code| match code.strip_prefix('+') {
            Some(free) => Ok(free.to_owned()),
            None => RESOURCE_VOCABULARY
                .iter()
                .find(|(c, _, _)| c == code)
                .map(|(_, italian, _)| (*italian).to_owned())
                .ok_or_else(|| anyhow::anyhow!("demo data: {code:?} is not in the resource vocabulary")),
        })
        .collect()
}

/// Unwraps a value parsed from the demo's own data, naming the text when it does not parse.
fn must<T>(value: Option<T>, text: &str) -> anyhow::Result<T> {
    value.ok_or_else(|| anyhow::anyhow!("demo data: {text:?} does not parse"))
}

fn organisation_spec(key: &str) -> anyhow::Result<&'static OrgSpec> {
    ORGANISATIONS.iter().find(|o| o.key == key).ok_or_else(|| anyhow::anyhow!("demo data: no organisation {key:?}"))
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

/// Loads the demo; returns the accounts it created (none when they all existed).
pub async fn load(db: &Db) -> anyhow::Result<Vec<&'static str>> {
    let actor = Actor::cli();
    let programme = match db.programme_by_code(PROGRAMME_CODE).await? {
        Some(programme) => programme,
        None => db.create_programme(&actor, PROGRAMME_CODE, PROGRAMME_NAME).await?,
    };
    let lines = load_programme(db, &actor, &programme.id).await?;
    let provinces = municipality_provinces(db).await?;
    let organisations = load_organisations(db, &actor, &provinces).await?;
    load_people(db, &actor, &organisations).await?;
    let networks = load_networks(db, &actor, &programme.id, &lines, &organisations, &provinces).await?;
    load_districts(db, &actor).await?;
    crate::demo_meetings::load(db, &actor, &networks).await?;

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
                db.create_user(&actor, new).await?
            }
        };
        if let Some(role) = role {
            db.assign_role(&actor, &user.id, &programme.id, role).await?;
        }
        if let Some((_, role, count)) = NETWORK_ACCOUNTS.iter().find(|(e, _, _)| *e == email) {
            let current = db.network_assignments(&user.id).await?;
            for network_id in networks.iter().take(*count) {
                if !current.iter().any(|a| a.network_id == *network_id && a.role == *role) {
                    db.assign_to_network(&actor, &user.id, network_id, *role).await?;
                }
            }
        }
    }
    crate::demo_accompaniment::load(db, &actor, &networks).await?;
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

/// ISTAT code → province (sigla) of every municipality known to the database.
async fn municipality_provinces(db: &Db) -> anyhow::Result<HashMap<String, String>> {
    let provinces: HashMap<String, String> = db
        .territory()
        .await?
        .municipalities()
        .iter()
        .map(|m| (m.istat_code.clone(), m.province_code.clone()))
        .collect();
    anyhow::ensure!(!provinces.is_empty(), "the municipalities are not loaded: the demo needs ISTAT's list");
    Ok(provinces)
}

fn province_of<'a>(provinces: &'a HashMap<String, String>, istat: &str) -> anyhow::Result<&'a str> {
    provinces
        .get(istat)
        .map(String::as_str)
        .ok_or_else(|| anyhow::anyhow!("demo data: ISTAT code {istat} is not a known municipality"))
}

/// Creates the organisations that are missing (by tax code); returns their ids by key.
async fn load_organisations(
    db: &Db,
    actor: &Actor,
    provinces: &HashMap<String, String>,
) -> anyhow::Result<HashMap<&'static str, String>> {
    let filter = OrganisationFilter { include_archived: true, ..OrganisationFilter::default() };
    let mut by_tax_code: HashMap<String, String> = db
        .list_organisations(&filter, PageRequest::all())
        .await?
        .items
        .into_iter()
        .map(|o| (o.tax_code, o.id))
        .collect();
    let mut ids = HashMap::new();
    for spec in ORGANISATIONS {
        let province = province_of(provinces, spec.istat)?;
        let code = tax_code(spec.key);
        let id = match by_tax_code.get(&code) {
            Some(id) => id.clone(),
            None => {
                let input = OrganisationInput {
                    name: spec.name.into(),
                    kind: spec.kind,
                    tax_code: TaxCode::parse(&code)?,
                    municipality_code: Some(spec.istat.into()),
                    address: spec.address.into(),
                    email: Some(Email::parse(spec.email)?),
                    phone: phone(spec.key, province),
                    website: format!("https://www.{}", spec.email.rsplit_once('@').map_or("", |(_, d)| d)),
                    resources: resource_tags(spec.resources)?,
                };
                let organisation = db.create_organisation(actor, &input).await?;
                by_tax_code.insert(code, organisation.id.clone());
                organisation.id
            }
        };
        anyhow::ensure!(ids.insert(spec.key, id).is_none(), "demo data: organisation {:?} repeated", spec.key);
    }
    Ok(ids)
}

/// Creates the people that are missing (by e-mail) and their affiliations: those of [`PEOPLE`],
/// then those behind the accounts.
async fn load_people(db: &Db, actor: &Actor, organisations: &HashMap<&'static str, String>) -> anyhow::Result<()> {
    /// A person to record: name, e-mail, affiliations (organisation key, position).
    type Row = (String, String, Vec<(&'static str, &'static str)>);
    let mut people: Vec<Row> = Vec::new();
    for (given, surname, affiliations) in PEOPLE {
        let (first, _) =
            affiliations.first().ok_or_else(|| anyhow::anyhow!("demo data: {given} {surname} works nowhere"))?;
        let email = person_email(given, surname, organisation_spec(first)?.email);
        people.push((format!("{given} {surname}"), email, affiliations.to_vec()));
    }
    for (email, organisation, position) in ACCOUNT_PEOPLE {
        let name = ACCOUNTS
            .iter()
            .find(|(e, _, _)| *e == email)
            .map(|(_, name, _)| *name)
            .ok_or_else(|| anyhow::anyhow!("demo data: {email} is not an account"))?;
        people.push((name.to_owned(), email.to_owned(), vec![(organisation, position)]));
    }
    for (name, email, affiliations) in people {
        let person = match db.person_by_email(&email).await? {
            Some(person) => person,
            None => {
                let input = PersonInput {
                    name: PersonName::parse(&name)?,
                    email: Some(Email::parse(&email)?),
                    phone: mobile(&email),
                };
                db.create_person(actor, &input).await?
            }
        };
        for (key, position) in affiliations {
            let organisation_id =
                organisations.get(key).ok_or_else(|| anyhow::anyhow!("demo data: no organisation {key:?}"))?;
            if !person.affiliations.iter().any(|a| a.organisation_id == *organisation_id && !a.ended) {
                db.add_affiliation(actor, &person.id, organisation_id, position).await?;
            }
        }
    }
    Ok(())
}

/// Creates the networks that are missing (by name), then their missing memberships and project;
/// returns the networks' ids in the order of [`NETWORKS`].
async fn load_networks(
    db: &Db,
    actor: &Actor,
    programme_id: &str,
    lines: &HashMap<i64, String>,
    organisations: &HashMap<&'static str, String>,
    provinces: &HashMap<String, String>,
) -> anyhow::Result<Vec<String>> {
    let line_ids = |numbers: &[i64]| -> anyhow::Result<Vec<String>> {
        numbers
            .iter()
            .map(|n| lines.get(n).cloned().ok_or_else(|| anyhow::anyhow!("demo data: no action line {n}")))
            .collect()
    };
    let mut ids = Vec::new();
    for spec in NETWORKS {
        for istat in spec.municipalities {
            let province = province_of(provinces, istat)?;
            anyhow::ensure!(
                province == spec.province,
                "demo data: municipality {istat} of {:?} is in {province}, not {}",
                spec.name,
                spec.province
            );
        }
        let network = match db.network_by_name(programme_id, spec.name).await? {
            Some(network) => network,
            None => {
                let input = NetworkInput {
                    programme_id: programme_id.to_owned(),
                    name: spec.name.into(),
                    description: spec.description.into(),
                    maturity: Some(spec.maturity),
                    status: spec.status,
                    municipality_codes: spec.municipalities.iter().map(|c| (*c).to_owned()).collect(),
                    action_line_ids: line_ids(spec.lines)?,
                };
                db.create_network(actor, &input).await?
            }
        };
        for (key, role, joined, left) in spec.members {
            let organisation_id =
                organisations.get(key).ok_or_else(|| anyhow::anyhow!("demo data: no organisation {key:?}"))?;
            let joined_on = Some(must(dates::parse(joined), joined)?);
            let exists = network
                .memberships
                .iter()
                .any(|m| m.organisation_id == *organisation_id && m.role == *role && m.joined_on == joined_on);
            if exists {
                continue;
            }
            let input = MembershipInput { organisation_id: organisation_id.clone(), role: *role, joined_on };
            let membership_id = db.add_membership(actor, &network.id, &input).await?;
            if let Some(left) = left {
                db.end_membership(actor, &network.id, &membership_id, must(dates::parse(left), left)?).await?;
            }
        }
        load_project(db, actor, &network.id, &spec.project, line_ids(spec.project.lines)?).await?;
        ids.push(network.id);
    }
    Ok(ids)
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
    use reti_store::Engine;
    use reti_store::registry::networks::NetworkFilter;
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
            audit_entries: db.audit_entries(&reti_store::audit::Filter::default(), 1, 0).await.unwrap().total,
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
        let first_three: Vec<String> = NETWORKS[..3]
            .iter()
            .map(|spec| networks.iter().find(|n| n.name == spec.name).unwrap().id.clone())
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
    fn data_is_consistent() {
        let codes: HashSet<String> = ORGANISATIONS.iter().map(|o| tax_code(o.key)).collect();
        assert_eq!(codes.len(), ORGANISATIONS.len(), "tax codes are unique");
        assert!(codes.iter().all(|c| TaxCode::parse(c).is_ok()));
        let keys: HashSet<&str> = ORGANISATIONS.iter().map(|o| o.key).collect();
        assert_eq!(keys.len(), ORGANISATIONS.len(), "keys are unique");
        for spec in ORGANISATIONS {
            assert!(Email::parse(spec.email).is_ok(), "{}", spec.email);
            assert!(resource_tags(spec.resources).is_ok(), "{}", spec.key);
            assert!((1..=4).contains(&spec.resources.iter().filter(|r| !r.starts_with('+')).count()), "{}", spec.key);
        }
        let mut emails = HashSet::new();
        for (given, surname, affiliations) in PEOPLE {
            for (key, _) in *affiliations {
                assert!(keys.contains(key), "{given} {surname}: {key}");
            }
            let email = person_email(given, surname, organisation_spec(affiliations[0].0).unwrap().email);
            assert!(Email::parse(&email).is_ok(), "{email}");
            assert!(emails.insert(email.clone()), "{email} repeated");
        }
        let names: HashSet<&str> = NETWORKS.iter().map(|n| n.name).collect();
        assert_eq!(names.len(), NETWORKS.len());
        for network in NETWORKS {
            for (key, _, joined, left) in network.members {
                assert!(keys.contains(key), "{}: {key}", network.name);
                assert!(dates::parse(joined).is_some() && left.is_none_or(|l| dates::parse(l).is_some()));
            }
        }
        assert_eq!(person_email("Fatima Zahra", "El Amrani", "info@x.example"), "fatima.elamrani@x.example");
        assert_eq!(tax_code("anci"), tax_code("anci"));
        assert_eq!(phone("mi-cinisello", "MI").len(), "02 12345678".len());
    }
}
