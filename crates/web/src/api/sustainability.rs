//! A network's sustainability plan over the API (decision 0044), with the rules of its page:
//! whoever sees the network's private data reads it; its lead, its facilitators and the
//! coordination change it. `PUT` replaces the plan's summary and lists whole, in one transaction;
//! reviews are added one by one.

use super::ApiErrorBody;
use super::json::ApiJson;
use crate::AppState;
use crate::accompaniment::today;
use crate::error::{AppError, AppResult};
use crate::sustainability::{PlanAt, growth_spaces, members, parse_review};
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use reti_domain::FieldErrors;
use reti_domain::input::sustainability::{
    CommitmentContext, CommitmentRaw, GrowthContext, GrowthRaw, PlanInput, PlanRaw, ReviewRaw, RiskRaw, SourceRaw,
    SummaryRaw,
};
use reti_store::sustainability::{Plan, Review};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct SourceDto {
    /// `municipal`, `regional`, `foundation`, `european`, `self_funding` or `other`.
    pub kind: String,
    /// Euro cents; `null` when not known yet.
    pub amount_cents: Option<i64>,
    /// `hypothesis`, `requested`, `obtained` or `denied`.
    pub status: String,
    pub note: String,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CommitmentDto {
    /// A current member organisation of the network.
    pub organisation_id: String,
    /// Read only.
    pub organisation_name: String,
    pub commitment: String,
    /// `YYYY-MM-DD`; `null` for no end.
    pub until: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct RiskDto {
    pub description: String,
    /// `low`, `medium` or `high`.
    pub likelihood: String,
    /// `low`, `medium` or `high`.
    pub impact: String,
    pub mitigation: String,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct GrowthDto {
    /// One of the network's computed growth spaces (`/map/growth-spaces`); `null` for a free text.
    pub organisation_id: Option<String>,
    /// The free text; blank for the organisation's name.
    pub label: String,
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewDto {
    pub id: String,
    pub round_id: String,
    /// `baseline`, `midterm` or `final`.
    pub round_kind: String,
    /// `YYYY-MM-DD`.
    pub reviewed_on: String,
    pub reviewer_user_id: Option<String>,
    pub reviewer_name: String,
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlanDto {
    pub network_id: String,
    /// `missing`, `draft` or `funded` (at least one source obtained).
    pub status: String,
    pub funded: bool,
    /// Markdown.
    pub summary: String,
    pub updated_at: Option<String>,
    pub sources: Vec<SourceDto>,
    pub commitments: Vec<CommitmentDto>,
    pub risks: Vec<RiskDto>,
    pub growth: Vec<GrowthDto>,
    /// The earliest round first.
    pub reviews: Vec<ReviewDto>,
    /// The latest round that has opened, when the plan has no review at it.
    pub review_due_round_id: Option<String>,
}

fn review_dto(review: &Review) -> ReviewDto {
    ReviewDto {
        id: review.id.clone(),
        round_id: review.round_id.clone(),
        round_kind: review.round_kind.code().to_owned(),
        reviewed_on: review.reviewed_on.to_string(),
        reviewer_user_id: review.reviewer_user_id.clone(),
        reviewer_name: review.reviewer_name.clone(),
        note: review.note.clone(),
    }
}

async fn plan_dto(state: &AppState, programme_id: &str, plan: Plan) -> AppResult<PlanDto> {
    let rounds = state.db.reading_rounds(programme_id).await?;
    Ok(PlanDto {
        network_id: plan.network_id.clone(),
        status: plan.status().code().to_owned(),
        funded: plan.funded(),
        review_due_round_id: plan.review_due(&rounds, today()).map(|r| r.id.clone()),
        reviews: plan.reviews.iter().map(review_dto).collect(),
        sources: plan
            .sources
            .iter()
            .map(|s| SourceDto {
                kind: s.kind.code().to_owned(),
                amount_cents: s.amount_cents,
                status: s.status.code().to_owned(),
                note: s.note.clone(),
            })
            .collect(),
        commitments: plan
            .commitments
            .iter()
            .map(|c| CommitmentDto {
                organisation_id: c.organisation_id.clone(),
                organisation_name: c.organisation_name.clone(),
                commitment: c.commitment.clone(),
                until: c.until.map(|d| d.to_string()),
            })
            .collect(),
        risks: plan
            .risks
            .iter()
            .map(|r| RiskDto {
                description: r.description.clone(),
                likelihood: r.likelihood.code().to_owned(),
                impact: r.impact.code().to_owned(),
                mitigation: r.mitigation.clone(),
            })
            .collect(),
        growth: plan
            .growth
            .iter()
            .map(|g| GrowthDto {
                organisation_id: g.organisation_id.clone(),
                label: g.label.clone(),
                note: g.note.clone(),
            })
            .collect(),
        summary: plan.summary,
        updated_at: plan.updated_at,
    })
}

/// A network's sustainability plan, with its review status.
#[utoipa::path(get, path = "/api/v1/networks/{id}/sustainability", tag = "sustainability",
    responses((status = 200, body = PlanDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get_plan(State(state): State<AppState>, at: PlanAt) -> AppResult<Json<PlanDto>> {
    let plan = state.db.sustainability_plan(&at.network.id).await?;
    Ok(Json(plan_dto(&state, &at.network.programme_id, plan).await?))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct PlanBody {
    /// Markdown; raw HTML is shown as text.
    pub summary: String,
    pub sources: Vec<SourceDto>,
    pub commitments: Vec<CommitmentDto>,
    pub risks: Vec<RiskDto>,
    pub growth: Vec<GrowthDto>,
}

/// The plan's fields as the API names them: the domain calls the fields new to the plan
/// `sustain_…` (see `reti_domain::input::sustainability`).
const API_NAMES: [(&str, &str); 9] = [
    ("sustain_summary", "summary"),
    ("sustain_amount", "amount_cents"),
    ("sustain_commitment", "commitment"),
    ("sustain_until", "until"),
    ("sustain_likelihood", "likelihood"),
    ("sustain_impact", "impact"),
    ("sustain_mitigation", "mitigation"),
    ("sustain_growth_label", "label"),
    ("sustain_reviewed_on", "reviewed_on"),
];

/// `errors` with each field named as the API body names it (`sources[0].amount_cents`).
fn api_names(mut errors: FieldErrors) -> FieldErrors {
    for error in &mut errors.0 {
        let (path, name) = error.field.rsplit_once('.').unwrap_or(("", error.field.as_str()));
        if let Some((_, api)) = API_NAMES.iter().find(|(domain, _)| *domain == name) {
            error.field = if path.is_empty() { (*api).to_owned() } else { format!("{path}.{api}") };
        }
    }
    errors
}

/// Cents as the amount the plan's parser reads ("1234.56"); a negative amount stays negative,
/// to be refused.
fn cents_text(cents: i64) -> String {
    format!("{}{}.{:02}", if cents < 0 { "-" } else { "" }, cents.unsigned_abs() / 100, cents.unsigned_abs() % 100)
}

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

/// Replaces the plan's summary, sources, commitments, risks and growth spaces whole (its reviews
/// stay); every problem is reported at once, each naming its item (`risks[2].likelihood`).
#[utoipa::path(put, path = "/api/v1/networks/{id}/sustainability", tag = "sustainability", request_body = PlanBody,
    responses((status = 200, body = PlanDto), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn put_plan(
    State(state): State<AppState>,
    Extension(context): Extension<crate::context::RequestContext>,
    at: PlanAt,
    ApiJson(body): ApiJson<PlanBody>,
) -> AppResult<Json<PlanDto>> {
    let at = at.editor()?;
    let raw = PlanRaw {
        summary: SummaryRaw { sustain_summary: text(&body.summary) },
        sources: body
            .sources
            .iter()
            .map(|s| SourceRaw {
                kind: text(&s.kind),
                sustain_amount: s.amount_cents.map(cents_text),
                status: text(&s.status),
                note: text(&s.note),
            })
            .collect(),
        commitments: body
            .commitments
            .iter()
            .map(|c| CommitmentRaw {
                organisation_id: text(&c.organisation_id),
                sustain_commitment: text(&c.commitment),
                sustain_until: c.until.clone(),
            })
            .collect(),
        risks: body
            .risks
            .iter()
            .map(|r| RiskRaw {
                description: text(&r.description),
                sustain_likelihood: text(&r.likelihood),
                sustain_impact: text(&r.impact),
                sustain_mitigation: text(&r.mitigation),
            })
            .collect(),
        growth: body
            .growth
            .iter()
            .map(|g| GrowthRaw {
                organisation_id: g.organisation_id.clone(),
                sustain_growth_label: text(&g.label),
                note: text(&g.note),
            })
            .collect(),
    };
    let members = members(&at.network);
    let spaces = if raw.growth.iter().any(|g| g.organisation_id.as_deref().is_some_and(|id| !id.trim().is_empty())) {
        growth_spaces(&state, &at.network, context.locale).await?
    } else {
        Vec::new()
    };
    let space_refs: Vec<(&str, &str)> = spaces.iter().map(|(id, name)| (id.as_str(), name.as_str())).collect();
    let input =
        PlanInput::parse(&raw, &CommitmentContext { members: &members }, &GrowthContext { spaces: &space_refs })
            .map_err(|errors| AppError::Invalid(api_names(errors)))?;
    let plan = state.db.replace_plan(&at.user.actor(), &at.network.id, &input).await?;
    Ok(Json(plan_dto(&state, &at.network.programme_id, plan).await?))
}

/// The plan's reviews, the earliest round first.
#[utoipa::path(get, path = "/api/v1/networks/{id}/sustainability/reviews", tag = "sustainability",
    responses((status = 200, body = [ReviewDto]), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn list_reviews(State(state): State<AppState>, at: PlanAt) -> AppResult<Json<Vec<ReviewDto>>> {
    let plan = state.db.sustainability_plan(&at.network.id).await?;
    Ok(Json(plan.reviews.iter().map(review_dto).collect()))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ReviewBody {
    /// A round of the programme that has opened, not reviewed yet.
    pub round_id: String,
    /// `YYYY-MM-DD`, not in the future.
    pub reviewed_on: String,
    pub note: String,
}

/// Records a review of the plan at a reading-tool round, by the caller.
#[utoipa::path(post, path = "/api/v1/networks/{id}/sustainability/reviews", tag = "sustainability", request_body = ReviewBody,
    responses((status = 201, body = ReviewDto), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_review(
    State(state): State<AppState>,
    at: PlanAt,
    ApiJson(body): ApiJson<ReviewBody>,
) -> AppResult<(StatusCode, Json<ReviewDto>)> {
    let at = at.editor()?;
    let plan = state.db.sustainability_plan(&at.network.id).await?;
    let rounds = state.db.reading_rounds(&at.network.programme_id).await?;
    let raw = ReviewRaw {
        round_id: text(&body.round_id),
        sustain_reviewed_on: text(&body.reviewed_on),
        note: text(&body.note),
    };
    let input = parse_review(&plan, &rounds, &raw).map_err(|errors| AppError::Invalid(api_names(errors)))?;
    let id = state.db.add_plan_review(&at.user.actor(), &at.network.id, &at.user.identity.user.id, &input).await?;
    let plan = state.db.sustainability_plan(&at.network.id).await?;
    let review = plan.reviews.iter().find(|r| r.id == id).ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(review_dto(review))))
}
