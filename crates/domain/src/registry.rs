//! The registry's vocabularies (SPEC §2): kinds of organisation, membership roles, network
//! maturity and status. Each has a stable code (stored, exported, used by the API), a Fluent label
//! key, and a lenient parser that accepts the code and the Italian and English names people type
//! in spreadsheets.

use crate::FieldError;
use crate::text::fold;
use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, field = $field:literal, error = $error:literal, label_prefix = $prefix:literal {
            $($variant:ident => $code:literal [$($alias:literal),* $(,)?]),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The Fluent id of the label.
            pub fn label_key(self) -> String {
                format!("{}-{}", $prefix, self.code().replace('_', "-"))
            }

            /// The code, or any of the usual Italian and English names, in any case and with or
            /// without accents.
            pub fn parse(input: &str) -> Result<$name, FieldError> {
                // Stored values are codes: every row read back from the database comes this way,
                // so it must not fold anything.
                $(
                    if input == $code {
                        return Ok($name::$variant);
                    }
                )+
                // Every name folded once, in the order of the list (the first match wins).
                static NAMES: std::sync::LazyLock<Vec<(String, $name)>> = std::sync::LazyLock::new(|| {
                    vec![$(
                        (fold($code), $name::$variant),
                        $((fold($alias), $name::$variant),)*
                    )+]
                });
                let wanted = fold(input);
                if wanted.is_empty() {
                    return Err(FieldError::new($field, "error-required"));
                }
                NAMES
                    .iter()
                    .find(|(name, _)| *name == wanted)
                    .map(|&(_, variant)| variant)
                    .ok_or_else(|| FieldError::new($field, $error))
            }
        }
    };
}

vocabulary! {
    /// The kinds of organisation of SPEC §2.
    OrganisationKind, field = "kind", error = "error-kind-invalid", label_prefix = "kind" {
        Municipality => "comune" ["municipality", "comuni", "unione di comuni", "unione dei comuni", "ente locale", "provincia"],
        School => "istituto_scolastico" ["istituto scolastico", "scuola", "school", "istituto comprensivo", "ic", "liceo", "istituto superiore"],
        AdultEducation => "cpia" ["centro provinciale per l'istruzione degli adulti", "adult education centre", "adult education"],
        HealthAgency => "asst_ats" ["asst", "ats", "asst/ats", "asl", "azienda sanitaria", "health agency", "servizio sanitario"],
        Prefecture => "prefettura" ["prefecture", "prefettura - utg", "utg"],
        PoliceHeadquarters => "questura" ["police headquarters", "police"],
        ThirdSector => "terzo_settore" ["terzo settore", "cooperativa", "cooperativa sociale", "associazione", "cooperativa/associazione del terzo settore", "fondazione", "ets", "odv", "aps", "third sector", "cooperative", "association", "ngo"],
        MigrantAssociation => "associazione_migranti" ["associazione di migranti", "associazione migranti", "migrant association", "diaspora"],
        ReligiousBody => "ente_religioso" ["ente religioso", "parrocchia", "caritas", "religious body", "religious organisation"],
        Business => "impresa" ["azienda", "business", "company", "enterprise", "impresa sociale"],
        University => "universita" ["università", "ateneo", "university", "centro di ricerca"],
        Other => "altro" ["other", "altri"],
    }
}

vocabulary! {
    /// A member organisation's role in a network.
    MembershipRole, field = "role", error = "error-membership-role-invalid", label_prefix = "membership-role" {
        Lead => "lead" ["capofila", "lead partner", "ente capofila"],
        Partner => "partner" ["partner di progetto", "project partner"],
        Supporter => "supporter" ["aderente", "sostenitore", "rete", "member", "supporting member"],
    }
}

vocabulary! {
    /// How experienced a network is (SPEC §2): the grouping of Activity 1 follows it.
    Maturity, field = "maturity", error = "error-maturity-invalid", label_prefix = "maturity" {
        FirstExperience => "first_experience" ["prima esperienza", "prima esperienza fami", "nuova", "first experience", "new"],
        PriorProjects => "prior_projects" ["progetti fami precedenti", "precedenti progetti fami", "con esperienza", "esperienza pregressa", "prior projects", "prior fami projects", "experienced"],
        Consolidated => "consolidated" ["consolidata", "rete consolidata", "consolidated network"],
    }
}

vocabulary! {
    /// Where a network stands in the programme.
    NetworkStatus, field = "status", error = "error-network-status-invalid", label_prefix = "network-status" {
        Forming => "forming" ["in costituzione", "in formazione", "costituenda"],
        Active => "active" ["attiva", "attivo", "in corso"],
        Closed => "closed" ["chiusa", "conclusa", "terminata", "ended"],
    }
}

/// The curated vocabulary of resources and competences an organisation can bring to a network:
/// (code, Italian label, English label). Free tags are allowed beside these.
pub const RESOURCE_VOCABULARY: &[(&str, &str, &str)] = &[
    ("mediazione", "Mediazione linguistico-culturale", "Linguistic and cultural mediation"),
    ("italiano-l2", "Insegnamento dell'italiano L2", "Teaching Italian as a second language"),
    ("orientamento-lavoro", "Orientamento al lavoro", "Job guidance"),
    ("formazione-professionale", "Formazione professionale", "Vocational training"),
    ("accoglienza", "Accoglienza e ospitalità", "Reception and housing"),
    ("consulenza-legale", "Consulenza legale e documenti", "Legal advice and documents"),
    ("salute", "Accesso ai servizi sanitari", "Access to health services"),
    ("supporto-psicologico", "Supporto psicologico", "Psychological support"),
    ("scuola", "Supporto scolastico e contrasto alla dispersione", "School support and drop-out prevention"),
    ("minori", "Servizi per minori e famiglie", "Services for children and families"),
    ("informazione", "Informazione e comunicazione", "Information and communication"),
    ("sportello", "Sportello di orientamento ai servizi", "Service orientation desk"),
    ("spazi", "Spazi per attività", "Premises for activities"),
    ("volontariato", "Volontariato", "Volunteering"),
    ("animazione-comunita", "Animazione di comunità", "Community development"),
    ("partecipazione", "Partecipazione e cittadinanza attiva", "Participation and active citizenship"),
    ("cultura", "Attività culturali e sportive", "Cultural and sports activities"),
    ("progettazione", "Progettazione e fundraising", "Project design and fundraising"),
    ("ricerca", "Ricerca e valutazione", "Research and evaluation"),
    ("coordinamento", "Coordinamento di rete", "Network coordination"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_labels_are_keys() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse(kind.code()).unwrap(), *kind);
            assert!(kind.label_key().starts_with("kind-"));
        }
        for role in MembershipRole::ALL {
            assert_eq!(MembershipRole::parse(role.code()).unwrap(), *role);
        }
        // Codes are matched before any name: no name of an earlier entry may shadow a code.
        for maturity in Maturity::ALL {
            assert_eq!(Maturity::parse(maturity.code()).unwrap(), *maturity);
            assert_eq!(Maturity::parse(&maturity.code().to_uppercase()).unwrap(), *maturity);
        }
        for status in NetworkStatus::ALL {
            assert_eq!(NetworkStatus::parse(status.code()).unwrap(), *status);
            assert_eq!(NetworkStatus::parse(&format!(" {} ", status.code().to_uppercase())).unwrap(), *status);
        }
        assert_eq!(Maturity::Consolidated.label_key(), "maturity-consolidated");
        assert_eq!(NetworkStatus::Active.label_key(), "network-status-active");
    }

    #[test]
    fn spreadsheet_names_are_understood() {
        assert_eq!(OrganisationKind::parse("Università").unwrap(), OrganisationKind::University);
        assert_eq!(OrganisationKind::parse("  COOPERATIVA SOCIALE ").unwrap(), OrganisationKind::ThirdSector);
        assert_eq!(OrganisationKind::parse("ASST").unwrap(), OrganisationKind::HealthAgency);
        assert_eq!(MembershipRole::parse("Capofila").unwrap(), MembershipRole::Lead);
        assert_eq!(MembershipRole::parse("aderente").unwrap(), MembershipRole::Supporter);
        assert_eq!(Maturity::parse("Prima esperienza FAMI").unwrap(), Maturity::FirstExperience);
        assert_eq!(OrganisationKind::parse("banca").unwrap_err().code, "error-kind-invalid");
        assert_eq!(OrganisationKind::parse(" ").unwrap_err().code, "error-required");
    }
}
