//! Reading tools over the API (decision 0023), with the pages' rules: the coordination of a
//! programme reads and edits its instruments and opens rounds; a person answers only for the
//! organisations they work for; whoever sees a network's private data reads its results.

use super::ApiErrorBody;
use super::json::ApiJson;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::{CoordinatedProgramme, NetworkAt, Private};
use crate::reading::{AnswerAt, VersionAt};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use reti_domain::reading::{Instrument, RoundContext, RoundInput, RoundRaw, pairs_of_json, parse_answers};
use reti_domain::{FieldError, FieldErrors};
use reti_store::reading::{Answer, Round, Version};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct VersionDto {
    pub id: String,
    pub instrument_id: String,
    pub number: i64,
    pub published: bool,
    /// The instrument: `name`, `dimensions` (each with `key`, `name`, `guide`, `weight`, `items`)
    /// and `bands`; texts are `{"it": …, "en": …}`.
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

fn version_dto(version: Version) -> AppResult<VersionDto> {
    Ok(VersionDto {
        content: serde_json::to_value(&version.content).map_err(|e| AppError::Internal(e.into()))?,
        id: version.id,
        instrument_id: version.instrument_id,
        number: version.number,
        published: version.published,
    })
}

#[derive(Serialize, ToSchema)]
pub struct RoundDto {
    pub id: String,
    /// `baseline`, `midterm` or `final`.
    pub kind: String,
    pub version_id: String,
    /// `YYYY-MM-DD`.
    pub opens_on: String,
    pub closes_on: String,
}

fn round_dto(round: Round) -> RoundDto {
    RoundDto {
        id: round.id,
        kind: round.kind.code().to_owned(),
        version_id: round.version_id,
        opens_on: round.opens_on.to_string(),
        closes_on: round.closes_on.to_string(),
    }
}

/// Every version of the programme's instruments.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/reading/versions", tag = "reading",
    responses((status = 200, body = [VersionDto]), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn list_versions(
    State(state): State<AppState>,
    CoordinatedProgramme { programme, .. }: CoordinatedProgramme,
) -> AppResult<Json<Vec<VersionDto>>> {
    let versions = state.db.reading_versions(&programme.id).await?;
    Ok(Json(versions.into_iter().map(version_dto).collect::<AppResult<_>>()?))
}

#[utoipa::path(get, path = "/api/v1/reading/versions/{id}", tag = "reading",
    responses((status = 200, body = VersionDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get_version(at: VersionAt) -> AppResult<Json<VersionDto>> {
    Ok(Json(version_dto(at.version)?))
}

/// Replaces a draft's content; a published version is refused (422 on `version`).
#[utoipa::path(put, path = "/api/v1/reading/versions/{id}", tag = "reading", request_body(content = Object),
    responses((status = 200, body = VersionDto), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn put_version(
    State(state): State<AppState>,
    at: VersionAt,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> AppResult<Json<VersionDto>> {
    if at.version.published {
        return Err(AppError::Invalid(FieldError::new("version", "error-reading-version-published").into()));
    }
    let content: Instrument = serde_json::from_value(body)
        .map_err(|_| AppError::Invalid(FieldError::new("content", "error-reading-content-invalid").into()))?;
    state.db.save_version(&at.user.actor(), &at.version, &content).await?;
    let saved = state.db.reading_version(&at.version.id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(version_dto(saved)?))
}

#[utoipa::path(get, path = "/api/v1/programmes/{id}/reading/rounds", tag = "reading",
    responses((status = 200, body = [RoundDto]), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn list_rounds(
    State(state): State<AppState>,
    CoordinatedProgramme { programme, .. }: CoordinatedProgramme,
) -> AppResult<Json<Vec<RoundDto>>> {
    Ok(Json(state.db.reading_rounds(&programme.id).await?.into_iter().map(round_dto).collect()))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct RoundBody {
    /// `baseline`, `midterm` or `final`.
    pub kind: String,
    /// A published version of the programme's instrument.
    pub version_id: String,
    /// `YYYY-MM-DD`.
    pub opens_on: String,
    pub closes_on: String,
}

/// Opens a round and queues the invitation of every member organisation's people.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/reading/rounds", tag = "reading", request_body = RoundBody,
    responses((status = 201, body = RoundDto), (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_round(
    State(state): State<AppState>,
    CoordinatedProgramme { programme, user }: CoordinatedProgramme,
    ApiJson(body): ApiJson<RoundBody>,
) -> AppResult<(StatusCode, Json<RoundDto>)> {
    let published: Vec<String> =
        state.db.reading_versions(&programme.id).await?.into_iter().filter(|v| v.published).map(|v| v.id).collect();
    let raw =
        RoundRaw { kind: body.kind, version_id: body.version_id, opens_on: body.opens_on, closes_on: body.closes_on };
    let input =
        RoundInput::parse(&raw, &RoundContext { published_version_ids: &published }).map_err(AppError::Invalid)?;
    let invitees = state.db.round_invitees(&programme.id).await?;
    let mails: Vec<_> =
        invitees.iter().map(|i| crate::pages::reading::invitation(&state.config, &input, i).job()).collect();
    let id = state.db.create_round(&user.actor(), &programme.id, &input, &mails).await?;
    let round = state.db.reading_round(&id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(round_dto(round))))
}

#[derive(Serialize, ToSchema)]
pub struct AnswerDto {
    pub round_id: String,
    pub network_id: String,
    pub organisation_id: String,
    /// By item key: a number (scale point or number), a list of chosen options (by position), or text.
    #[schema(value_type = Object)]
    pub values: serde_json::Value,
    pub submitted: bool,
}

fn answer_dto(answer: Option<Answer>, at: &AnswerAt) -> AppResult<AnswerDto> {
    let (values, submitted) = match answer {
        Some(answer) => (answer.values, answer.submitted_at.is_some()),
        None => (Default::default(), false),
    };
    Ok(AnswerDto {
        round_id: at.round.id.clone(),
        network_id: at.answerable.network_id.clone(),
        organisation_id: at.answerable.organisation_id.clone(),
        values: serde_json::to_value(values).map_err(|e| AppError::Internal(e.into()))?,
        submitted,
    })
}

/// The organisation's answer to the round, as saved so far (empty when not started).
#[utoipa::path(get, path = "/api/v1/reading/rounds/{id}/answers/{organisation_id}", tag = "reading",
    responses((status = 200, body = AnswerDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get_answer(State(state): State<AppState>, at: AnswerAt) -> AppResult<Json<AnswerDto>> {
    let answer = state.db.reading_answer(&at.round.id, &at.answerable.organisation_id).await?;
    Ok(Json(answer_dto(answer, &at)?))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct AnswerBody {
    /// By item key, e.g. `{"d1i1": 4, "d2i3": [0, 2], "d3i5": "testo"}`.
    #[schema(value_type = Object)]
    pub values: BTreeMap<String, serde_json::Value>,
    /// Submit (every scored item answered, then closed) rather than save a draft.
    pub submit: bool,
}

/// Saves a draft or submits the organisation's answer. An answer outside an item's scale names the
/// item (422); a second answer after submitting is refused (422 on `organisation_id`).
#[utoipa::path(put, path = "/api/v1/reading/rounds/{id}/answers/{organisation_id}", tag = "reading", request_body = AnswerBody,
    responses((status = 200, body = AnswerDto), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn put_answer(
    State(state): State<AppState>,
    at: AnswerAt,
    ApiJson(body): ApiJson<AnswerBody>,
) -> AppResult<Json<AnswerDto>> {
    let version = state.db.reading_version(&at.round.version_id).await?.ok_or(AppError::NotFound)?;
    let known: Vec<&String> = body.values.keys().filter(|key| version.content.item(key).is_none()).collect();
    if let Some(unknown) = known.first() {
        return Err(AppError::Invalid(FieldErrors::from(FieldError::new(
            (*unknown).clone(),
            "error-reading-item-unknown",
        ))));
    }
    let values =
        parse_answers(&version.content, &pairs_of_json(&body.values), body.submit).map_err(AppError::Invalid)?;
    state
        .db
        .save_answer(
            &at.user.actor(),
            &at.round,
            &at.answerable.network_id,
            &at.answerable.organisation_id,
            &values,
            body.submit,
            reti_domain::meetings::today_in_rome(),
        )
        .await?;
    let answer = state.db.reading_answer(&at.round.id, &at.answerable.organisation_id).await?;
    Ok(Json(answer_dto(answer, &at)?))
}

#[derive(Serialize, ToSchema)]
pub struct DimensionResultDto {
    pub key: String,
    pub name: String,
    /// 0..100; null when nobody answered it.
    pub score: Option<f64>,
    /// The standard deviation of the organisations' scores (two organisations or more).
    pub deviation: Option<f64>,
    /// The median of the programme's networks.
    pub programme_median: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct RoundResultDto {
    pub round_id: String,
    pub kind: String,
    pub index: Option<f64>,
    /// The maturity band's Italian label.
    pub band: Option<String>,
    pub organisations: usize,
    pub dimensions: Vec<DimensionResultDto>,
}

/// The network's results, round by round (oldest first), for the rounds it answered.
#[utoipa::path(get, path = "/api/v1/networks/{id}/reading/results", tag = "reading",
    responses((status = 200, body = [RoundResultDto]), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn network_results(
    State(state): State<AppState>,
    at: NetworkAt<Private>,
) -> AppResult<Json<Vec<RoundResultDto>>> {
    let all = state.db.reading_results(&at.network.programme_id).await?;
    let results = all
        .iter()
        .filter_map(|round| {
            let network = round.network(&at.network.id)?;
            let (medians, _) = round.medians();
            Some(RoundResultDto {
                round_id: round.round.id.clone(),
                kind: round.round.kind.code().to_owned(),
                index: network.profile.index,
                band: network.profile.band.and_then(|b| round.instrument.bands.get(b)).map(|b| b.label.it.clone()),
                organisations: network.profile.organisations,
                dimensions: round
                    .instrument
                    .dimensions
                    .iter()
                    .enumerate()
                    .map(|(d, dimension)| DimensionResultDto {
                        key: dimension.key.clone(),
                        name: dimension.name.it.clone(),
                        score: network.profile.dimensions[d].score,
                        deviation: network.profile.dimensions[d].deviation,
                        programme_median: medians[d],
                    })
                    .collect(),
            })
        })
        .collect();
    Ok(Json(results))
}
