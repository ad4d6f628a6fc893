//! Small groups of a programme's networks (SPEC §3), for its coordination: choose the size bounds,
//! see the proposal (each group's networks, shared action lines, maturity range and cost), move
//! networks by hand with the cost recomputed, save, and schedule each group's workshop as a
//! meeting. The draft travels in one hidden field (`draft`: groups separated by `;`, network ids
//! by `,`), so every step is a plain form post and works without JavaScript.

use super::{form_status, render_status, set_flash_redirect};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::CoordinatedProgramme;
use crate::page::{FormPage, PageContext};
use crate::pagination::Pager;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use reti_domain::groups::{self, Bounds, Candidate, Distances};
use reti_domain::{FieldError, FieldErrors};
use reti_store::PageRequest;
use reti_store::groups::{GroupingInput, GroupingLine, GroupingNetwork};
use reti_store::programmes::ProgrammeDetails;
use serde::Deserialize;
use tower_sessions::Session;

/// The longest draft accepted: every network id of the largest proposal, with separators.
const MAX_DRAFT: usize = groups::MAX_NETWORKS * 40;

/// A network inside a group as shown.
pub struct MemberView {
    pub id: String,
    pub name: String,
    pub lines: String,
    pub maturity: String,
}

/// A group as shown: its members, what they share, how alike they are.
pub struct GroupView {
    pub number: usize,
    /// The saved group's id (empty in a draft).
    pub id: String,
    pub members: Vec<MemberView>,
    pub shared_lines: String,
    pub maturity: String,
    pub cost: String,
    pub in_bounds: bool,
}

fn number(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}")
}

fn views(networks: &[GroupingNetwork], groups: &[Vec<usize>], ids: &[String], bounds: Bounds) -> (Vec<GroupView>, f64) {
    let candidates: Vec<Candidate> = networks.iter().map(GroupingNetwork::candidate).collect();
    let distances = Distances::new(&candidates);
    let views = groups
        .iter()
        .enumerate()
        .map(|(position, group)| {
            let summary = groups::summarise(&candidates, &distances, group);
            GroupView {
                number: position + 1,
                id: ids.get(position).cloned().unwrap_or_default(),
                members: group
                    .iter()
                    .map(|&i| MemberView {
                        id: networks[i].id.clone(),
                        name: networks[i].name.clone(),
                        lines: networks[i].lines.join("; "),
                        maturity: number(networks[i].maturity, 0),
                    })
                    .collect(),
                shared_lines: summary.shared_lines.join("; "),
                maturity: if group.is_empty() {
                    String::new()
                } else {
                    format!("{}–{}", number(summary.maturity_min, 0), number(summary.maturity_max, 0))
                },
                cost: number(summary.cost, 2),
                in_bounds: bounds.admits(group.len()),
            }
        })
        .collect();
    (views, distances.cost(groups))
}

fn encode(networks: &[GroupingNetwork], groups: &[Vec<usize>]) -> String {
    groups
        .iter()
        .map(|g| g.iter().map(|&i| networks[i].id.as_str()).collect::<Vec<_>>().join(","))
        .collect::<Vec<_>>()
        .join(";")
}

fn decode(draft: &str) -> Vec<Vec<String>> {
    draft
        .split(';')
        .map(|g| g.split(',').map(str::trim).filter(|id| !id.is_empty()).map(str::to_owned).collect::<Vec<_>>())
        .filter(|g| !g.is_empty())
        .collect()
}

/// The bounds as typed in the form; errors name `min_size` or `max_size`.
pub fn bounds_of(min: &str, max: &str) -> Result<Bounds, FieldErrors> {
    let parse =
        |raw: &str, field: &str| {
            raw.trim().parse::<usize>().ok().filter(|&v| (1..=groups::MAX_NETWORKS).contains(&v)).ok_or_else(|| {
                FieldError::new(field, "error-groups-size-invalid").with_arg("limit", groups::MAX_NETWORKS)
            })
        };
    let mut errors = FieldErrors::default();
    let (min, max) = (parse(min, "min_size"), parse(max, "max_size"));
    match (min, max) {
        (Ok(min), Ok(max)) => Bounds::new(min, max).map_err(|e| FieldErrors(vec![e.field_error()])),
        (min, max) => {
            for error in [min.err(), max.err()].into_iter().flatten() {
                errors.add(error);
            }
            Err(errors)
        }
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct BoundsForm {
    pub min_size: String,
    pub max_size: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub page: Option<u32>,
}

#[derive(Template)]
#[template(path = "groups/index.html")]
struct IndexPage {
    page: PageContext,
    programme: ProgrammeDetails,
    networks: usize,
    form: BoundsForm,
    errors: FieldErrors,
    saved: Vec<GroupingLine>,
    pager: Pager,
}

async fn index_page(
    state: &AppState,
    page: PageContext,
    programme: ProgrammeDetails,
    form: BoundsForm,
    errors: FieldErrors,
    page_number: Option<u32>,
) -> AppResult<Response> {
    let networks = state.db.network_maturities(&programme.id).await?.len();
    let request = PageRequest::new(page_number, Some(20));
    let saved = state.db.groupings(&programme.id, request).await?;
    let pager = Pager::new(&format!("/programmes/{}/groupings", programme.id), &[], request, saved.total);
    let template = IndexPage { page, programme, networks, form, errors, saved: saved.items, pager };
    render_status(form_status(&template.errors), &template)
}

pub async fn index(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    CoordinatedProgramme { programme, .. }: CoordinatedProgramme,
    Query(query): Query<ListQuery>,
) -> AppResult<Response> {
    let form = BoundsForm { min_size: "3".into(), max_size: "5".into() };
    index_page(&state, page, programme, form, FieldErrors::default(), query.page).await
}

#[derive(Template)]
#[template(path = "groups/grouping.html")]
struct GroupingPage {
    page: PageContext,
    programme: ProgrammeDetails,
    /// `Some` for a draft (the encoded groups), `None` for a saved grouping.
    draft: Option<String>,
    title: String,
    bounds: BoundsForm,
    name: String,
    groups: Vec<GroupView>,
    cost: String,
    errors: FieldErrors,
    /// When a saved grouping was saved (empty in a draft).
    created_at: String,
}

impl GroupingPage {
    /// The groups a network of group `current` can move to (the last is a new group).
    fn targets(&self, current: &usize) -> Vec<(usize, bool)> {
        (1..=self.groups.len() + 1).map(|n| (n, n == *current)).collect()
    }
}

fn draft_page(
    page: PageContext,
    programme: ProgrammeDetails,
    networks: &[GroupingNetwork],
    groups: &[Vec<usize>],
    bounds: Bounds,
    name: String,
    errors: FieldErrors,
) -> AppResult<Response> {
    let (groups_view, cost) = views(networks, groups, &[], bounds);
    let template = GroupingPage {
        title: page.t("groups-draft-title"),
        page,
        programme,
        draft: Some(encode(networks, groups)),
        bounds: BoundsForm { min_size: bounds.min.to_string(), max_size: bounds.max.to_string() },
        name,
        groups: groups_view,
        cost: number(cost, 2),
        errors,
        created_at: String::new(),
    };
    render_status(form_status(&template.errors), &template)
}

pub async fn propose(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    CoordinatedProgramme { programme, .. }: CoordinatedProgramme,
    axum::Form(form): axum::Form<BoundsForm>,
) -> AppResult<Response> {
    let bounds = match bounds_of(&form.min_size, &form.max_size) {
        Ok(bounds) => bounds,
        Err(errors) => return index_page(&state, page, programme, form, errors, None).await,
    };
    let (networks, proposal) = match proposal_for(&state, &programme.id, bounds).await? {
        Ok(found) => found,
        Err(errors) => return index_page(&state, page, programme, form, errors, None).await,
    };
    let name = page.t("groups-default-name");
    draft_page(page, programme, &networks, &proposal.groups, bounds, name, FieldErrors::default())
}

/// The programme's networks and the optimiser's proposal for them (run off the async threads:
/// it is seconds of arithmetic at the largest sizes), or why there is none.
pub async fn proposal_for(
    state: &AppState,
    programme_id: &str,
    bounds: Bounds,
) -> AppResult<Result<(Vec<GroupingNetwork>, groups::Proposal), FieldErrors>> {
    let networks = state.db.grouping_networks(programme_id).await?;
    let candidates: Vec<Candidate> = networks.iter().map(GroupingNetwork::candidate).collect();
    match tokio::task::spawn_blocking(move || groups::propose(&candidates, bounds)).await {
        Ok(Ok(proposal)) => Ok(Ok((networks, proposal))),
        Ok(Err(error)) => Ok(Err(FieldErrors(vec![error.field_error()]))),
        Err(error) => Err(AppError::Internal(anyhow::anyhow!("the grouping search stopped: {error}"))),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DraftForm {
    pub draft: String,
    pub min_size: String,
    pub max_size: String,
    pub name: String,
    pub network: String,
    pub target: String,
}

/// The draft's networks and groups, checked against the programme's current networks.
async fn read_draft(
    state: &AppState,
    programme_id: &str,
    form: &DraftForm,
) -> AppResult<Result<(Vec<GroupingNetwork>, Vec<Vec<String>>, Bounds), FieldErrors>> {
    let bounds = match bounds_of(&form.min_size, &form.max_size) {
        Ok(bounds) => bounds,
        Err(errors) => return Ok(Err(errors)),
    };
    if form.draft.len() > MAX_DRAFT {
        return Ok(Err(FieldErrors(vec![FieldError::new("groups", "error-too-long")])));
    }
    let networks = state.db.grouping_networks(programme_id).await?;
    Ok(Ok((networks, decode(&form.draft), bounds)))
}

pub async fn move_network(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    CoordinatedProgramme { programme, .. }: CoordinatedProgramme,
    axum::Form(form): axum::Form<DraftForm>,
) -> AppResult<Response> {
    let (networks, mut arranged, bounds) = match read_draft(&state, &programme.id, &form).await? {
        Ok(read) => read,
        Err(errors) => return index_page(&state, page, programme, BoundsForm::default(), errors, None).await,
    };
    let target = form.target.trim().parse::<usize>().ok().filter(|&t| (1..=arranged.len() + 1).contains(&t));
    let mut errors = FieldErrors::default();
    match target {
        Some(target) => {
            for group in &mut arranged {
                group.retain(|id| *id != form.network);
            }
            if target > arranged.len() {
                arranged.push(Vec::new());
            }
            arranged[target - 1].push(form.network.clone());
            arranged.retain(|g| !g.is_empty());
        }
        None => errors.add(FieldError::new("target", "error-groups-target")),
    }
    let ids: Vec<&str> = networks.iter().map(|n| n.id.as_str()).collect();
    match groups::assign(&ids, &arranged, None) {
        Ok(groups) => draft_page(page, programme, &networks, &groups, bounds, form.name, errors),
        Err(error) => index_page(&state, page, programme, BoundsForm::default(), FieldErrors(vec![error]), None).await,
    }
}

pub async fn save(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    CoordinatedProgramme { programme, user }: CoordinatedProgramme,
    axum::Form(form): axum::Form<DraftForm>,
) -> AppResult<Response> {
    let (networks, arranged, bounds) = match read_draft(&state, &programme.id, &form).await? {
        Ok(read) => read,
        Err(errors) => return index_page(&state, page, programme, BoundsForm::default(), errors, None).await,
    };
    let input = GroupingInput { name: form.name.clone(), bounds, groups: arranged.clone() };
    match state.db.save_grouping(&user.actor(), &programme.id, &input).await {
        Ok(id) => {
            let to = format!("/programmes/{}/groupings/{id}", programme.id);
            set_flash_redirect(&session, page.t("flash-saved"), &to).await
        }
        Err(reti_store::StoreError::Invalid(errors)) => {
            let ids: Vec<&str> = networks.iter().map(|n| n.id.as_str()).collect();
            match groups::assign(&ids, &arranged, None) {
                Ok(groups) => draft_page(page, programme, &networks, &groups, bounds, form.name, errors),
                Err(error) => {
                    index_page(&state, page, programme, BoundsForm::default(), FieldErrors(vec![error]), None).await
                }
            }
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct GroupingPath {
    pub id: String,
    pub grouping_id: String,
}

pub async fn show(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    CoordinatedProgramme { programme, .. }: CoordinatedProgramme,
    Path(path): Path<GroupingPath>,
) -> AppResult<Response> {
    let grouping = state.db.grouping(&programme.id, &path.grouping_id).await?.ok_or(AppError::NotFound)?;
    let networks = state.db.grouping_networks(&programme.id).await?;
    // Networks archived since the grouping was saved are left out of the view.
    let index: std::collections::HashMap<&str, usize> =
        networks.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    let groups: Vec<Vec<usize>> = grouping
        .groups
        .iter()
        .map(|g| g.network_ids.iter().filter_map(|id| index.get(id.as_str()).copied()).collect())
        .collect();
    let ids: Vec<String> = grouping.groups.iter().map(|g| g.id.clone()).collect();
    let bounds = Bounds::new(grouping.min_size.max(1) as usize, grouping.max_size.max(1) as usize)
        .unwrap_or(Bounds { min: 1, max: usize::MAX });
    let (groups_view, _) = views(&networks, &groups, &ids, bounds);
    let template = GroupingPage {
        title: grouping.name.clone(),
        page,
        programme,
        draft: None,
        bounds: BoundsForm { min_size: grouping.min_size.to_string(), max_size: grouping.max_size.to_string() },
        name: grouping.name,
        groups: groups_view,
        cost: number(grouping.cost, 2),
        errors: FieldErrors::default(),
        created_at: grouping.created_at,
    };
    render_status(form_status(&template.errors), &template)
}
