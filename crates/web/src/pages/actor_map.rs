//! The actor map of a network (SPEC §4, §5; decision 0030): the drawing with the same data as
//! tables beside it, the change between snapshots, the growth spaces, and the forms of relations,
//! context actors and snapshots; an ego view per organisation; CSV/XLSX export of the relations
//! and GEXF/GraphML of the graph. Everything works without JavaScript.

use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::actor_map::{DrawingText, MapAt, draw, ego, export_graph, kind_colour, snapshot_data};
use crate::error::{AppError, AppResult};
use crate::export::{self, Format};
use crate::page::{FormPage, PageContext};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use reti_domain::actor_map::{
    GrowthSpace, Need, RelationContext, RelationInput, RelationKind, RelationRaw, SnapshotData, compare,
};
use reti_domain::{FieldError, FieldErrors, Locale};
use reti_store::StoreError;
use reti_store::actor_map::{ActorMap, Relation};
use reti_store::registry::export::{ExportColumn, ExportTable};
use reti_store::registry::networks::Network;
use serde::Deserialize;
use tower_sessions::Session;

/// A number as the reader writes it: three decimals, a comma in Italian.
pub fn number(locale: Locale, value: f64) -> String {
    let text = format!("{value:.3}");
    if locale == Locale::It { text.replace('.', ",") } else { text }
}

fn optional(locale: Locale, value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| number(locale, v))
}

/// One organisation of the table.
pub struct NodeRow {
    pub id: String,
    pub name: String,
    pub member: bool,
    pub resources: String,
    pub degree: usize,
    pub betweenness: String,
    pub closeness: String,
    pub eigenvector: String,
    pub constraint: String,
    pub community: usize,
}

fn node_rows(map: &ActorMap, data: &SnapshotData, locale: Locale) -> Vec<NodeRow> {
    data.nodes
        .iter()
        .map(|node| NodeRow {
            id: node.organisation_id.clone(),
            name: node.name.clone(),
            member: node.member,
            resources: map.organisation(&node.organisation_id).map(|o| o.resources.join(", ")).unwrap_or_default(),
            degree: node.degree,
            betweenness: number(locale, node.betweenness),
            closeness: number(locale, node.closeness),
            eigenvector: optional(locale, node.eigenvector),
            constraint: optional(locale, node.constraint),
            community: node.community + 1,
        })
        .collect()
}

/// One relation of the table.
pub struct RelationRow {
    pub id: String,
    pub id_a: String,
    pub name_a: String,
    pub id_b: String,
    pub name_b: String,
    pub kind_key: String,
    pub strength: u8,
    pub since: String,
    pub note: String,
}

fn relation_row(relation: &Relation) -> RelationRow {
    RelationRow {
        id: relation.id.clone(),
        id_a: relation.organisation_a.clone(),
        name_a: relation.name_a.clone(),
        id_b: relation.organisation_b.clone(),
        name_b: relation.name_b.clone(),
        kind_key: relation.kind.label_key(),
        strength: relation.strength,
        since: relation.since.map(reti_domain::dates::format).unwrap_or_default(),
        note: relation.note.clone(),
    }
}

/// The legend: (label key, colour) of each kind.
fn legend() -> Vec<(String, &'static str)> {
    RelationKind::ALL.iter().map(|k| (k.label_key(), kind_colour(*k))).collect()
}

/// The kinds for a select: (code, label key).
fn kinds() -> Vec<(&'static str, String)> {
    RelationKind::ALL.iter().map(|k| (k.code(), k.label_key())).collect()
}

pub struct SnapshotRow {
    pub id: String,
    pub round: String,
    pub taken_at: String,
    pub density: String,
    pub components: i64,
    pub relations: i64,
}

/// The change between the two latest snapshots, in words and numbers.
pub struct ChangeView {
    pub from: String,
    pub to: String,
    pub density_before: String,
    pub density_after: String,
    pub new_relations: Vec<String>,
    pub ended_relations: Vec<String>,
    /// (name, degree before → after, betweenness before → after), the largest changes first.
    pub nodes: Vec<(String, String, String)>,
}

pub struct GrowthView {
    pub id: String,
    pub name: String,
    pub score: String,
    pub reasons: Vec<String>,
}

/// A growth space's reasons in words: "offre «X»: il processo «Y» non ha un Responsabile".
pub fn reasons(tr: &crate::i18n::Translator, space: &GrowthSpace) -> Vec<String> {
    space
        .reasons
        .iter()
        .map(|reason| {
            let resource = ("resource", reason.resource.clone());
            match &reason.need {
                Need::Objective { title } => tr.t_args("map-reason-objective", &[resource, ("title", title.clone())]),
                Need::Process { name } => tr.t_args("map-reason-process", &[resource, ("process", name.clone())]),
                Need::Dimension { name, score } => tr.t_args(
                    "map-reason-dimension",
                    &[resource, ("dimension", name.clone()), ("value", number(tr.locale, *score))],
                ),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "map/show.html")]
struct ShowPage {
    page: PageContext,
    network: Network,
    editable: bool,
    svg: String,
    legend: Vec<(String, &'static str)>,
    density: String,
    components: usize,
    modularity: String,
    nodes: Vec<NodeRow>,
    relations: Vec<RelationRow>,
    /// (id, name) of the organisations a relation may name: the map's, then the territory's.
    choices: Vec<(String, String)>,
    /// (id, name) of the territory's organisations not on the map.
    territory: Vec<(String, String)>,
    /// (id, name) of the context actors, which may be taken off the map.
    actors: Vec<(String, String)>,
    kinds: Vec<(&'static str, String)>,
    snapshots: Vec<SnapshotRow>,
    change: Option<ChangeView>,
    /// (id, label) of the programme's rounds.
    rounds: Vec<(String, String)>,
    growth: Vec<GrowthView>,
    raw: RelationRaw,
    errors: FieldErrors,
    failed_form: String,
}

impl ShowPage {
    fn error_of(&self, form: &str, field: &str) -> String {
        if self.failed_form == form { self.page.field_error(&self.errors, field) } else { String::new() }
    }
}

fn round_label(page: &PageContext, kind: reti_domain::reading::RoundKind, opens_on: time::Date) -> String {
    format!("{} ({})", page.t(&kind.label_key()), page.date(&opens_on))
}

fn relation_words(page: &PageContext, data: &SnapshotData, r: &reti_domain::actor_map::SnapshotRelation) -> String {
    let name =
        |id: &str| data.nodes.iter().find(|n| n.organisation_id == id).map(|n| n.name.clone()).unwrap_or_default();
    format!("{} — {} ({})", name(&r.organisation_a), name(&r.organisation_b), page.t(&r.kind.label_key()))
}

async fn show_page(
    state: &AppState,
    page: PageContext,
    at: MapAt,
    raw: RelationRaw,
    errors: FieldErrors,
    failed_form: &str,
) -> AppResult<Response> {
    let network = at.network;
    let map = state.db.actor_map(&network.id).await?;
    let data = snapshot_data(&map);
    let locale = page.locale;
    let title = page.t_args("map-svg-title", &[("network", network.name.clone())]);
    let description = page.t_args(
        "map-svg-desc",
        &[("count", data.nodes.len().to_string()), ("relations", data.relations.len().to_string())],
    );
    let svg = draw(&data, &DrawingText { title: &title, description: &description }, "actor-map");
    let territory = state.db.map_territory(&network.id).await?;
    let growth = state.db.map_growth_spaces(&network.id, &network.programme_id, &territory, locale).await?;
    let summaries = state.db.map_snapshots(&network.id).await?;
    let change = match summaries.as_slice() {
        [.., before, after] => {
            let old = state.db.map_snapshot(&network.id, &before.id).await?;
            let new = state.db.map_snapshot(&network.id, &after.id).await?;
            old.zip(new).map(|(old, new)| {
                let change = compare(&old.data, &new.data);
                let arrow = |a: Option<String>, b: Option<String>| {
                    format!("{} → {}", a.unwrap_or_else(|| "—".into()), b.unwrap_or_else(|| "—".into()))
                };
                ChangeView {
                    from: round_label(&page, before.round_kind, before.round_opens_on),
                    to: round_label(&page, after.round_kind, after.round_opens_on),
                    density_before: number(locale, change.density_before),
                    density_after: number(locale, change.density_after),
                    new_relations: change.new_relations.iter().map(|r| relation_words(&page, &new.data, r)).collect(),
                    ended_relations: change
                        .ended_relations
                        .iter()
                        .map(|r| relation_words(&page, &old.data, r))
                        .collect(),
                    nodes: change
                        .nodes
                        .iter()
                        .take(10)
                        .map(|n| {
                            (
                                n.name.clone(),
                                arrow(n.degree_before.map(|d| d.to_string()), n.degree_after.map(|d| d.to_string())),
                                arrow(
                                    n.betweenness_before.map(|v| number(locale, v)),
                                    n.betweenness_after.map(|v| number(locale, v)),
                                ),
                            )
                        })
                        .collect(),
                }
            })
        }
        _ => None,
    };
    let rounds = state
        .db
        .reading_rounds(&network.programme_id)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), round_label(&page, r.kind, r.opens_on)))
        .collect();
    let mut choices: Vec<(String, String)> = map.organisations.iter().map(|o| (o.id.clone(), o.name.clone())).collect();
    let off_map: Vec<(String, String)> = territory
        .iter()
        .filter(|c| map.organisation(&c.organisation_id).is_none())
        .map(|c| (c.organisation_id.clone(), c.name.clone()))
        .collect();
    choices.extend(off_map.iter().cloned());
    let template = ShowPage {
        editable: at.editable,
        svg,
        legend: legend(),
        density: number(locale, data.density),
        components: data.components,
        modularity: optional(locale, data.modularity),
        nodes: node_rows(&map, &data, locale),
        relations: map.relations.iter().map(relation_row).collect(),
        choices,
        territory: off_map,
        actors: map
            .organisations
            .iter()
            .filter(|o| o.context_actor && !o.member)
            .map(|o| (o.id.clone(), o.name.clone()))
            .collect(),
        kinds: kinds(),
        snapshots: summaries
            .iter()
            .map(|s| SnapshotRow {
                id: s.id.clone(),
                round: round_label(&page, s.round_kind, s.round_opens_on),
                taken_at: s.taken_at.chars().take(10).collect(),
                density: number(locale, s.density),
                components: s.components,
                relations: s.relations,
            })
            .collect(),
        change,
        rounds,
        growth: growth
            .iter()
            .map(|g| GrowthView {
                id: g.organisation_id.clone(),
                name: g.name.clone(),
                score: number(locale, g.score),
                reasons: reasons(&page.translator(), g),
            })
            .collect(),
        raw,
        errors,
        failed_form: failed_form.to_owned(),
        network,
        page,
    };
    render_status(form_status(&template.errors), &template)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    /// An organisation: the page shows its ego view instead.
    pub ego: String,
}

pub async fn show(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    at: MapAt,
    Query(query): Query<ShowQuery>,
) -> AppResult<Response> {
    if !query.ego.trim().is_empty() {
        let to = format!("/networks/{}/map/organisations/{}", at.network.id, urlencoding(&query.ego));
        return Ok(Redirect::to(&to).into_response());
    }
    let raw = RelationRaw { strength: "2".into(), ..RelationRaw::default() };
    show_page(&state, page, at, raw, FieldErrors::default(), "").await
}

/// Percent-encodes an id for a path segment (ids are UUIDs; anything else must not break the URL).
fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[derive(Deserialize)]
pub struct OrganisationPath {
    pub id: String,
    pub organisation_id: String,
}

#[derive(Deserialize)]
pub struct RelationPath {
    pub id: String,
    pub relation_id: String,
}

#[derive(Template)]
#[template(path = "map/ego.html")]
struct EgoPage {
    page: PageContext,
    network: Network,
    name: String,
    svg: String,
    legend: Vec<(String, &'static str)>,
    node: NodeRow,
    relations: Vec<RelationRow>,
}

pub async fn ego_view(
    State(state): State<AppState>,
    page: PageContext,
    at: MapAt,
    Path(path): Path<OrganisationPath>,
) -> AppResult<Response> {
    let map = state.db.actor_map(&at.network.id).await?;
    let organisation = map.organisation(&path.organisation_id).ok_or(AppError::NotFound)?;
    let data = snapshot_data(&map);
    let around = ego(&data, &organisation.id);
    let title = page.t_args("map-ego-svg-title", &[("organisation", organisation.name.clone())]);
    let description = page.t_args("map-ego-svg-desc", &[("count", (around.nodes.len() - 1).to_string())]);
    let svg = draw(&around, &DrawingText { title: &title, description: &description }, "ego-map");
    let node =
        node_rows(&map, &data, page.locale).into_iter().find(|n| n.id == organisation.id).ok_or(AppError::NotFound)?;
    let template = EgoPage {
        name: organisation.name.clone(),
        svg,
        legend: legend(),
        node,
        relations: map
            .relations
            .iter()
            .filter(|r| r.organisation_a == organisation.id || r.organisation_b == organisation.id)
            .map(relation_row)
            .collect(),
        network: at.network,
        page,
    };
    render(&template)
}

fn back(network_id: &str) -> String {
    format!("/networks/{network_id}/map")
}

/// A relation of the form, checked against the organisations that exist.
pub async fn relation_input(state: &AppState, raw: &RelationRaw) -> AppResult<Result<RelationInput, FieldErrors>> {
    let ids = state.db.map_existing_organisations(&[raw.organisation_a.trim(), raw.organisation_b.trim()]).await?;
    Ok(RelationInput::parse(raw, &RelationContext { organisation_ids: &ids }))
}

/// A store refusal a form shows as field errors (a repeated relation, an unknown organisation).
fn form_errors(error: StoreError) -> Result<FieldErrors, AppError> {
    match error {
        StoreError::Conflict { field } => Ok(FieldError::new(field, "error-map-relation-exists").into()),
        StoreError::Invalid(errors) => Ok(errors),
        other => Err(other.into()),
    }
}

pub async fn add_relation(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: MapAt,
    axum::Form(raw): axum::Form<RelationRaw>,
) -> AppResult<Response> {
    let at = at.editor()?;
    let input = match relation_input(&state, &raw).await? {
        Ok(input) => input,
        Err(errors) => return show_page(&state, page, at, raw, errors, "relation-new").await,
    };
    match state.db.map_add_relation(&at.user.actor(), &at.network.id, &input).await {
        Ok(_) => set_flash_redirect(&session, page.t("flash-saved"), &back(&at.network.id)).await,
        Err(error) => show_page(&state, page, at, raw, form_errors(error)?, "relation-new").await,
    }
}

#[derive(Template)]
#[template(path = "map/relation.html")]
struct RelationPage {
    page: PageContext,
    network: Network,
    relation_id: String,
    choices: Vec<(String, String)>,
    kinds: Vec<(&'static str, String)>,
    raw: RelationRaw,
    errors: FieldErrors,
}

async fn relation_page(
    state: &AppState,
    page: PageContext,
    at: MapAt,
    relation_id: &str,
    raw: Option<RelationRaw>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let map = state.db.actor_map(&at.network.id).await?;
    let relation = map.relation(relation_id).ok_or(AppError::NotFound)?;
    let raw = raw.unwrap_or_else(|| RelationRaw {
        organisation_a: relation.organisation_a.clone(),
        organisation_b: relation.organisation_b.clone(),
        kind: relation.kind.code().to_owned(),
        strength: relation.strength.to_string(),
        since: relation.since.map(|d| d.to_string()).unwrap_or_default(),
        note: relation.note.clone(),
    });
    let template = RelationPage {
        relation_id: relation.id.clone(),
        choices: map.organisations.iter().map(|o| (o.id.clone(), o.name.clone())).collect(),
        kinds: kinds(),
        raw,
        errors,
        network: at.network,
        page,
    };
    render_status(form_status(&template.errors), &template)
}

pub async fn edit_relation(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    at: MapAt,
    Path(path): Path<RelationPath>,
) -> AppResult<Response> {
    let at = at.editor()?;
    relation_page(&state, page, at, &path.relation_id, None, FieldErrors::default()).await
}

pub async fn update_relation(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: MapAt,
    Path(path): Path<RelationPath>,
    axum::Form(raw): axum::Form<RelationRaw>,
) -> AppResult<Response> {
    let at = at.editor()?;
    let input = match relation_input(&state, &raw).await? {
        Ok(input) => input,
        Err(errors) => return relation_page(&state, page, at, &path.relation_id, Some(raw), errors).await,
    };
    match state.db.map_update_relation(&at.user.actor(), &at.network.id, &path.relation_id, &input).await {
        Ok(()) => set_flash_redirect(&session, page.t("flash-saved"), &back(&at.network.id)).await,
        Err(error) => {
            let errors = form_errors(error)?;
            relation_page(&state, page, at, &path.relation_id, Some(raw), errors).await
        }
    }
}

pub async fn delete_relation(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    at: MapAt,
    Path(path): Path<RelationPath>,
) -> AppResult<Response> {
    let at = at.editor()?;
    state.db.map_delete_relation(&at.user.actor(), &at.network.id, &path.relation_id).await?;
    set_flash_redirect(&session, page.t("flash-map-relation-deleted"), &back(&at.network.id)).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActorForm {
    pub organisation_id: String,
}

pub async fn add_actor(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: MapAt,
    axum::Form(form): axum::Form<ActorForm>,
) -> AppResult<Response> {
    let at = at.editor()?;
    let id = form.organisation_id.trim();
    let result = if id.is_empty() {
        Err(StoreError::Invalid(FieldError::new("organisation_id", "error-required").into()))
    } else {
        state.db.map_add_actor(&at.user.actor(), &at.network.id, id).await
    };
    match result {
        Ok(()) => set_flash_redirect(&session, page.t("flash-saved"), &back(&at.network.id)).await,
        Err(StoreError::Conflict { field }) => {
            let errors = FieldError::new(field, "error-map-already-on-map").into();
            show_page(&state, page, at, RelationRaw::default(), errors, "actor-new").await
        }
        Err(StoreError::Invalid(errors)) => {
            show_page(&state, page, at, RelationRaw::default(), errors, "actor-new").await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn remove_actor(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    at: MapAt,
    Path(path): Path<OrganisationPath>,
) -> AppResult<Response> {
    let at = at.editor()?;
    state.db.map_remove_actor(&at.user.actor(), &at.network.id, &path.organisation_id).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &back(&at.network.id)).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SnapshotForm {
    pub round_id: String,
}

/// Takes the snapshot of a round: the map as it is now, with its metrics.
pub async fn take_snapshot(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: MapAt,
    axum::Form(form): axum::Form<SnapshotForm>,
) -> AppResult<Response> {
    let at = at.editor()?;
    let data = snapshot_data(&state.db.actor_map(&at.network.id).await?);
    match state.db.map_save_snapshot(&at.user.actor(), &at.network.id, form.round_id.trim(), &data).await {
        Ok(_) => set_flash_redirect(&session, page.t("flash-map-snapshot-taken"), &back(&at.network.id)).await,
        Err(StoreError::Invalid(errors)) => {
            show_page(&state, page, at, RelationRaw::default(), errors, "snapshot").await
        }
        Err(other) => Err(other.into()),
    }
}

/// The relations as exported and imported: the pair by tax code (names for the reader), the kind
/// by code, headers in Italian like every export.
pub const RELATION_COLUMNS: &[ExportColumn] = &[
    ExportColumn { field: "tax_code_a", header: "Codice fiscale ente A" },
    ExportColumn { field: "name_a", header: "Ente A" },
    ExportColumn { field: "tax_code_b", header: "Codice fiscale ente B" },
    ExportColumn { field: "name_b", header: "Ente B" },
    ExportColumn { field: "kind", header: "Tipo" },
    ExportColumn { field: "strength", header: "Intensità" },
    ExportColumn { field: "since", header: "Dal" },
    ExportColumn { field: "note", header: "Note" },
];

pub fn export_table(map: &ActorMap, tax_codes: &std::collections::BTreeMap<String, String>) -> ExportTable {
    let code = |id: &str| tax_codes.get(id).cloned().unwrap_or_default();
    let rows = map
        .relations
        .iter()
        .map(|r| {
            vec![
                code(&r.organisation_a),
                r.name_a.clone(),
                code(&r.organisation_b),
                r.name_b.clone(),
                r.kind.code().to_owned(),
                r.strength.to_string(),
                r.since.map(|d| d.to_string()).unwrap_or_default(),
                r.note.clone(),
            ]
        })
        .collect();
    ExportTable { columns: RELATION_COLUMNS, rows }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExportQuery {
    pub format: String,
}

pub async fn export(State(state): State<AppState>, at: MapAt, Query(query): Query<ExportQuery>) -> AppResult<Response> {
    let format = match Format::parse(&query.format) {
        Some(format @ (Format::Csv | Format::Xlsx)) => format,
        _ => return Err(AppError::Invalid(FieldError::new("format", "error-export-format").into())),
    };
    let map = state.db.actor_map(&at.network.id).await?;
    let tax_codes = state.db.map_tax_codes(&at.network.id).await?;
    let bytes = export::write(&export_table(&map, &tax_codes), format).map_err(AppError::Internal)?;
    let filename = format!("relazioni-{}.{}", at.network.id, format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response())
}

/// The map as a graph file for Gephi, yEd or networkx, to whoever sees the map.
async fn graph_file(
    state: &AppState,
    page: &PageContext,
    at: MapAt,
    extension: &str,
    content_type: &str,
    write: fn(&reti_graph::export::ExportGraph) -> String,
) -> AppResult<Response> {
    let map = state.db.actor_map(&at.network.id).await?;
    let title = format!("{} — {}", page.t("map-title"), at.network.name);
    let body = write(&export_graph(&map, &title));
    let filename = format!("mappa-{}.{extension}", at.network.id);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        body,
    )
        .into_response())
}

/// The map as GEXF 1.3 (Gephi).
pub async fn gexf(State(state): State<AppState>, page: PageContext, at: MapAt) -> AppResult<Response> {
    graph_file(&state, &page, at, "gexf", "application/gexf+xml", reti_graph::export::gexf).await
}

/// The map as GraphML.
pub async fn graphml(State(state): State<AppState>, page: PageContext, at: MapAt) -> AppResult<Response> {
    graph_file(&state, &page, at, "graphml", "application/graphml+xml", reti_graph::export::graphml).await
}

/// Why a relations file cannot be imported.
pub enum RelationsProblem {
    /// The file is not a readable table (empty, too large, not CSV or XLSX).
    Table(reti_domain::TableError),
    /// Rows (or columns, on line 1) with problems.
    Rows(Vec<reti_domain::RowError>),
}

/// Reads a relations file whole, with the registry import's rules (bounded reader, every bad row
/// named by line and field): the relations, ready for [`reti_store::Db::map_import_relations`].
pub async fn read_relations(
    state_db: &reti_store::Db,
    bytes: &[u8],
) -> reti_store::Result<Result<Vec<RelationInput>, RelationsProblem>> {
    use reti_domain::actor_map::{RELATION_COLUMNS, parse_relations, relation_tax_codes};
    let table = match reti_domain::table::read_table(bytes) {
        Ok(table) => table,
        Err(error) => return Ok(Err(RelationsProblem::Table(error))),
    };
    let map = reti_domain::columns::map_table(&table, RELATION_COLUMNS);
    let ids = state_db.map_organisations_by_tax_code(&relation_tax_codes(&table, &map)).await?;
    Ok(parse_relations(&table, &map, &ids).map_err(|mut errors| {
        errors.truncate(reti_store::registry::import::MAX_ERRORS);
        RelationsProblem::Rows(errors)
    }))
}

#[derive(Template)]
#[template(path = "map/import.html")]
struct ImportPage {
    page: PageContext,
    network: Network,
    problem: String,
    errors: Vec<super::imports::ErrorView>,
    /// Relations ready to import, with the pending file's id.
    ready: Option<(usize, String)>,
}

fn import_page(page: PageContext, network: Network) -> ImportPage {
    ImportPage { page, network, problem: String::new(), errors: Vec::new(), ready: None }
}

pub async fn import_form(FormPage(page): FormPage, at: MapAt) -> AppResult<Response> {
    let at = at.editor()?;
    render(&import_page(page, at.network))
}

/// Reads the upload, checks it whole without writing, and shows every problem or the count ready.
pub async fn import_preview(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    at: MapAt,
    mut multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    use axum::http::StatusCode;
    let at = at.editor()?;
    let mut upload = None;
    let mut too_large = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("").to_owned();
                match field.bytes().await {
                    Ok(bytes) => upload = Some((name, bytes)),
                    Err(error) => too_large = error.status() == StatusCode::PAYLOAD_TOO_LARGE,
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(error) => {
                too_large = error.status() == StatusCode::PAYLOAD_TOO_LARGE;
                break;
            }
        }
    }
    let mut view = import_page(page, at.network);
    let (filename, bytes) = match upload {
        Some(upload) if !too_large => upload,
        _ if too_large => {
            let limit = format!("{} MB", super::imports::UPLOAD_LIMIT / (1024 * 1024));
            view.problem = view.page.t_args("import-upload-too-large", &[("limit", limit)]);
            return render_status(StatusCode::PAYLOAD_TOO_LARGE, &view);
        }
        _ => {
            view.problem = view.page.t("import-no-file");
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &view);
        }
    };
    match read_relations(&state.db, &bytes).await? {
        Ok(relations) => {
            let id = state.db.map_save_pending(&at.user.identity.user.id, &view.network.id, &filename, &bytes).await?;
            view.ready = Some((relations.len(), id));
            render(&view)
        }
        Err(RelationsProblem::Table(error)) => {
            view.problem = crate::error::table_message(&view.page.translator(), &error);
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &view)
        }
        Err(RelationsProblem::Rows(errors)) => {
            let tr = view.page.translator();
            view.errors = errors
                .iter()
                .map(|e| super::imports::ErrorView {
                    line: e.line,
                    field: tr.t(&format!("field-{}", e.field.replace('_', "-"))),
                    message: crate::error::field_message(&tr, &e.field, e.code, &e.args),
                    value: e.value.clone(),
                })
                .collect();
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &view)
        }
    }
}

#[derive(Deserialize)]
pub struct ImportPath {
    pub id: String,
    pub import_id: String,
}

/// Imports a previewed file, all or nothing; a file that no longer reads cleanly (the registry
/// changed since the preview) is shown again with its problems.
pub async fn import_confirm(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    at: MapAt,
    Path(path): Path<ImportPath>,
) -> AppResult<Response> {
    let at = at.editor()?;
    let (filename, bytes) = state
        .db
        .map_pending(&path.import_id, &at.user.identity.user.id, &at.network.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let relations = match read_relations(&state.db, &bytes).await? {
        Ok(relations) => relations,
        Err(_) => {
            let mut view = import_page(page, at.network);
            view.problem = view.page.t("map-import-changed");
            return render_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &view);
        }
    };
    let outcome = state.db.map_import_relations(&at.user.actor(), &at.network.id, &relations, &filename).await?;
    state.db.map_forget_pending(&path.import_id).await?;
    let message = page.t_args(
        "flash-imported",
        &[("created", outcome.created.to_string()), ("updated", outcome.updated.to_string())],
    );
    set_flash_redirect(&session, message, &back(&at.network.id)).await
}
