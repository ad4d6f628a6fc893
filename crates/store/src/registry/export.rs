//! The registry as tables for export. Column headers are the Italian names the import understands,
//! so that an exported file can be edited in Excel and imported back. An export holds what its
//! caller's [`Scope`] reaches, never more (decision 0010).

use super::import::Entity;
use super::networks::NetworkFilter;
use super::organisations::OrganisationFilter;
use super::people::PersonFilter;
use super::scope::Scope;
use crate::sql::PageRequest;
use crate::{Db, Result};

/// One column: its machine name (JSON key) and its header (CSV/XLSX).
#[derive(Debug, Clone, Copy)]
pub struct ExportColumn {
    pub field: &'static str,
    pub header: &'static str,
}

const fn column(field: &'static str, header: &'static str) -> ExportColumn {
    ExportColumn { field, header }
}

pub struct ExportTable {
    pub columns: &'static [ExportColumn],
    pub rows: Vec<Vec<String>>,
}

const ORGANISATIONS: &[ExportColumn] = &[
    column("name", "Denominazione"),
    column("kind", "Tipologia"),
    column("tax_code", "Codice fiscale"),
    column("municipality", "Comune"),
    column("province", "Provincia"),
    column("address", "Indirizzo"),
    column("email", "E-mail"),
    column("phone", "Telefono"),
    column("website", "Sito web"),
    column("resources", "Risorse e competenze"),
];

const PEOPLE: &[ExportColumn] = &[
    column("name", "Nome e cognome"),
    column("email", "E-mail"),
    column("phone", "Telefono"),
    column("organisation", "Ente"),
    column("position", "Ruolo"),
];

const NETWORKS: &[ExportColumn] = &[
    column("name", "Nome rete"),
    column("programme", "Programma"),
    column("lead", "Capofila"),
    column("municipalities", "Comuni"),
    column("action_lines", "Linee d'azione"),
    column("maturity", "Maturità"),
    column("status", "Stato"),
    column("description", "Descrizione"),
];

const MEMBERSHIPS: &[ExportColumn] = &[
    column("network", "Rete"),
    column("tax_code", "Codice fiscale"),
    column("role", "Ruolo"),
    column("joined_on", "Dal"),
    column("left_on", "Al"),
];

const DISTRICTS: &[ExportColumn] = &[
    column("code", "Codice ambito"),
    column("name", "Ambito"),
    column("municipality", "Comune"),
    column("province", "Provincia"),
];

fn date(date: Option<time::Date>) -> String {
    date.map(crate::sql::date_to_db).unwrap_or_default()
}

impl Db {
    /// Every active record of `entity` within `scope`, as rows of text in the order of its columns.
    pub async fn export_table(&self, entity: Entity, scope: &Scope) -> Result<ExportTable> {
        let scope = Some(scope.clone());
        let networks = NetworkFilter { scope: scope.clone(), ..NetworkFilter::default() };
        Ok(match entity {
            Entity::Organisations => {
                let page = self
                    .list_organisations(
                        &OrganisationFilter { scope, ..OrganisationFilter::default() },
                        PageRequest::all(),
                    )
                    .await?;
                let rows = page
                    .items
                    .into_iter()
                    .map(|o| {
                        let (municipality, province) =
                            o.municipality.map(|m| (m.name, m.province_code)).unwrap_or_default();
                        vec![
                            o.name,
                            o.kind.code().to_owned(),
                            o.tax_code,
                            municipality,
                            province,
                            o.address,
                            o.email.unwrap_or_default(),
                            o.phone,
                            o.website,
                            o.resources.join(", "),
                        ]
                    })
                    .collect();
                ExportTable { columns: ORGANISATIONS, rows }
            }
            Entity::People => {
                let page =
                    self.list_people(&PersonFilter { scope, ..PersonFilter::default() }, PageRequest::all()).await?;
                let mut rows = Vec::new();
                for person in page.items {
                    let current = person.affiliations.iter().find(|a| !a.ended);
                    let tax_code = match current {
                        Some(affiliation) => self
                            .organisation(&affiliation.organisation_id)
                            .await?
                            .map(|o| o.tax_code)
                            .unwrap_or_default(),
                        None => String::new(),
                    };
                    rows.push(vec![
                        person.name,
                        person.email.unwrap_or_default(),
                        person.phone,
                        tax_code,
                        current.map(|a| a.position.clone()).unwrap_or_default(),
                    ]);
                }
                ExportTable { columns: PEOPLE, rows }
            }
            Entity::Networks => {
                let page = self.list_networks(&networks, PageRequest::all()).await?;
                let rows = page
                    .items
                    .into_iter()
                    .map(|n| {
                        vec![
                            n.name.clone(),
                            n.programme_code.clone(),
                            n.lead().map(|l| l.tax_code.clone()).unwrap_or_default(),
                            n.municipalities.iter().map(|m| m.istat_code.clone()).collect::<Vec<_>>().join(", "),
                            n.action_lines.iter().map(|a| a.number.to_string()).collect::<Vec<_>>().join(", "),
                            n.maturity.map(|m| m.code().to_owned()).unwrap_or_default(),
                            n.status.code().to_owned(),
                            n.description.clone(),
                        ]
                    })
                    .collect();
                ExportTable { columns: NETWORKS, rows }
            }
            Entity::Memberships => {
                let page = self.list_networks(&networks, PageRequest::all()).await?;
                let rows = page
                    .items
                    .iter()
                    .flat_map(|n| {
                        n.memberships.iter().map(|m| {
                            vec![
                                n.name.clone(),
                                m.tax_code.clone(),
                                m.role.code().to_owned(),
                                date(m.joined_on),
                                date(m.left_on),
                            ]
                        })
                    })
                    .collect();
                ExportTable { columns: MEMBERSHIPS, rows }
            }
            Entity::Districts => {
                let rows = self
                    .list_districts("")
                    .await?
                    .into_iter()
                    .flat_map(|d| {
                        d.municipalities
                            .into_iter()
                            .map(move |m| vec![d.code.clone(), d.name.clone(), m.name, m.province_code])
                    })
                    .collect();
                ExportTable { columns: DISTRICTS, rows }
            }
        })
    }
}
