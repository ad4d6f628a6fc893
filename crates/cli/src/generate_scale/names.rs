//! The words generated records are named with: Italian first names, surnames, organisations
//! of every kind, streets, topics.

use super::Rng;
use reti_domain::OrganisationKind;
use reti_domain::taxcode::check_digit_numeric;
use reti_domain::territory::Municipality;
use reti_domain::text::fold;

pub(super) const FIRST_NAMES: &[&str] = &[
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

pub(super) const SURNAMES: &[&str] = &[
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

pub(super) const POSITIONS: &[&str] = &[
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

pub(super) const ASSOCIATION_NAMES: &[&str] = &[
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

pub(super) const THIRD_SECTOR_FORMS: &[&str] =
    &["Cooperativa sociale", "Associazione", "Fondazione", "APS", "ODV", "Consorzio di cooperative"];

pub(super) const COMMUNITIES: &[&str] = &[
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

pub(super) const SCHOOL_NAMES: &[&str] = &[
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

pub(super) const STREETS: &[&str] = &[
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

pub(super) const NETWORK_SUFFIXES: &[&str] = &[
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

pub(super) const TOPICS: &[&str] = &[
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

pub(super) const LINE_TITLES: [&str; 4] = [
    "Qualificazione del sistema scolastico in contesti multiculturali",
    "Promozione dell'accesso ai servizi per l'integrazione",
    "Servizi di informazione qualificata",
    "Promozione della partecipazione attiva dei migranti",
];

/// Kinds of organisation with their share in a hundred: the third sector first, as in the
/// programmes' own registers.
pub(super) const KIND_SHARES: [(OrganisationKind, usize); 12] = [
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

pub(super) fn organisation_kind(rng: &mut Rng) -> OrganisationKind {
    let mut n = rng.below(100);
    for (kind, share) in KIND_SHARES {
        if n < share {
            return kind;
        }
        n -= share;
    }
    OrganisationKind::Other
}

pub(super) fn organisation_name(rng: &mut Rng, kind: OrganisationKind, place: &Municipality) -> String {
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
pub(super) fn slug(text: &str) -> String {
    fold(text).chars().filter(char::is_ascii_alphanumeric).collect()
}

/// A valid, unique tax code of no real body: office code `000`, which the Agenzia delle Entrate
/// never assigns, after two leading digits that no demo organisation uses, so that the generated
/// registry can sit beside the demo's.
pub(super) fn tax_code(index: usize) -> String {
    const PREFIXES: [&str; 4] = ["86", "89", "91", "93"];
    let first10 = format!("{}{:05}000", PREFIXES[index / 100_000], index % 100_000);
    format!("{first10}{}", check_digit_numeric(&first10))
}
