//! Meetings over JSON: the list with its filters, one meeting (create, read, change, cancel),
//! registrations and the attendance register. Same rules as the pages: a network's members,
//! facilitators and coordination read its meetings; facilitators, lead and coordination change
//! them. Times are given in Europe/Rome (`2026-05-12T10:00`) or as RFC 3339 instants, and come
//! back as UTC instants with their Europe/Rome wall-clock time beside.

use super::json::ApiJson;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::extract::CurrentUser;
use crate::pages::meetings::{can_manage, ics_url, meeting_for, page_url, reach};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use reti_domain::meetings::{
    self, Attendance, MeetingContext, MeetingDraft, RawAttendance, RawMeeting, to_db, to_local,
};
use reti_domain::{FieldError, FieldErrors};
use reti_store::PageRequest;
use reti_store::meetings::{InviteeKind, Meeting, MeetingChanges, MeetingFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct MeetingDto {
    pub id: String,
    pub network_id: String,
    pub network_name: String,
    /// Shared by the meetings of one recurring series.
    pub series_id: Option<String>,
    pub title: String,
    /// `workshop`, `accompaniment`, `lab` or `webinar`.
    pub kind: String,
    /// `in_presenza`, `videoconferenza`, `webinar` or `ibrido`.
    pub mode: String,
    pub place: String,
    pub link: String,
    /// UTC, RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    /// The same instants in Europe/Rome, with their offset.
    pub starts_local: String,
    pub ends_local: String,
    pub agenda: String,
    pub registration_open: bool,
    pub capacity: Option<i64>,
    pub registered: i64,
    pub waiting: i64,
    pub cancelled: bool,
    pub register_signed_at: Option<String>,
    pub register_hash: Option<String>,
    pub minutes: String,
    /// The meeting's calendar file (`text/calendar`).
    pub ics_url: String,
    pub url: String,
    /// Who is invited; given for one meeting (read, created, changed), not in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitees: Option<Vec<InviteeDto>>,
}

#[derive(Serialize, ToSchema)]
pub struct InviteeDto {
    /// `person`, `organisation`, `network` or `group`.
    pub kind: String,
    pub id: String,
    /// The person's, organisation's or network's name; a group's grouping.
    pub label: String,
    /// A group's number in its grouping.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_number: Option<i64>,
}

/// The meeting with its invitees.
async fn full_dto(state: &AppState, meeting: Meeting) -> AppResult<MeetingDto> {
    let invitees = state.db.invitees(&meeting.id).await?;
    let mut dto = meeting_dto(state, meeting);
    dto.invitees = Some(
        invitees
            .into_iter()
            .map(|i| InviteeDto {
                kind: i.kind.code().to_owned(),
                id: i.target_id,
                label: i.label,
                group_number: i.group_number,
            })
            .collect(),
    );
    Ok(dto)
}

fn meeting_dto(state: &AppState, meeting: Meeting) -> MeetingDto {
    MeetingDto {
        invitees: None,
        ics_url: ics_url(state, &meeting.id),
        url: page_url(state, &meeting.id),
        starts_at: to_db(meeting.starts_at),
        ends_at: to_db(meeting.ends_at),
        starts_local: to_local(meeting.starts_at).to_rfc3339(),
        ends_local: to_local(meeting.ends_at).to_rfc3339(),
        id: meeting.id,
        network_id: meeting.network_id,
        network_name: meeting.network_name,
        series_id: meeting.series_id,
        title: meeting.title,
        kind: meeting.kind.code().to_owned(),
        mode: meeting.mode.code().to_owned(),
        place: meeting.place,
        link: meeting.link,
        agenda: meeting.agenda,
        registration_open: meeting.registration_open,
        capacity: meeting.capacity,
        registered: meeting.registered,
        waiting: meeting.waiting,
        cancelled: meeting.cancelled,
        register_signed_at: meeting.signed_at,
        register_hash: meeting.register_hash,
        minutes: meeting.minutes,
    }
}

#[derive(Serialize, ToSchema)]
pub struct MeetingPage {
    pub items: Vec<MeetingDto>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct MeetingQuery {
    /// A network id.
    pub network: Option<String>,
    /// Meetings ending after this day (`yyyy-mm-dd`, Europe/Rome) or instant (RFC 3339).
    pub from: Option<String>,
    /// Meetings starting before this day (exclusive) or instant.
    pub to: Option<String>,
    pub include_cancelled: Option<bool>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A day in Europe/Rome (its midnight) or an instant; an error naming `field` otherwise.
pub fn parse_bound(field: &str, text: &str) -> Result<DateTime<Utc>, FieldError> {
    if let Ok(day) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        return meetings::resolve_local(field, day.and_hms_opt(0, 0, 0).expect("midnight"));
    }
    meetings::parse_local(field, text).map_err(|_| FieldError::new(field, "error-datetime-invalid"))
}

#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings", params(MeetingQuery),
    responses((status = 200, body = MeetingPage), (status = 403, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn list_meetings(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<MeetingQuery>,
) -> AppResult<Json<MeetingPage>> {
    let mut errors = FieldErrors::default();
    let from = query.from.as_deref().filter(|t| !t.is_empty()).and_then(|t| errors.check(parse_bound("from", t)));
    let to = query.to.as_deref().filter(|t| !t.is_empty()).and_then(|t| errors.check(parse_bound("to", t)));
    errors.into_result().map_err(AppError::Invalid)?;
    if let Some(network_id) = &query.network {
        let network = state.db.network(network_id).await?.ok_or(AppError::NotFound)?;
        if user.network_access(&network.id, &network.programme_id) < crate::context::NetworkAccess::Private {
            return Err(AppError::Forbidden);
        }
    }
    let filter = MeetingFilter {
        network: query.network.clone(),
        reach: reach(&user),
        from,
        to,
        include_cancelled: query.include_cancelled.unwrap_or(false),
        ..MeetingFilter::default()
    };
    let request = PageRequest::new(query.page, query.per_page);
    let page = state.db.meetings(&filter, request).await?;
    Ok(Json(MeetingPage {
        items: page.items.into_iter().map(|m| meeting_dto(&state, m)).collect(),
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct InviteeBody {
    /// `person`, `organisation`, `network` (of the meeting's programme) or `group` (a small group
    /// of a saved grouping of the programme: its networks' people).
    pub kind: String,
    pub id: String,
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MeetingBody {
    /// Only when creating.
    pub network_id: String,
    pub title: String,
    pub kind: String,
    pub mode: String,
    pub place: String,
    /// Left empty for a videoconference when a Jitsi server is configured: a room is made.
    pub link: String,
    /// Europe/Rome wall-clock time (`2026-05-12T10:00`) or an RFC 3339 instant.
    pub starts_at: String,
    pub ends_at: String,
    pub agenda: String,
    pub registration_open: bool,
    pub capacity: Option<i64>,
    /// `weekly`, `fortnightly` or `monthly`, with `repeat_count` or `repeat_until` (only when creating).
    pub repeat: String,
    pub repeat_count: Option<u32>,
    pub repeat_until: Option<String>,
    pub invitees: Vec<InviteeBody>,
    /// The whole network of the meeting, as the form's checkbox (or a `network` invitee).
    pub invite_network: bool,
    /// Other networks of the programme, as the form sends them.
    pub invite_networks: Vec<String>,
    /// Small groups of saved groupings of the programme, as the form sends them.
    pub invite_groups: Vec<String>,
}

impl Default for MeetingBody {
    fn default() -> Self {
        MeetingBody {
            network_id: String::new(),
            title: String::new(),
            kind: String::new(),
            mode: String::new(),
            place: String::new(),
            link: String::new(),
            starts_at: String::new(),
            ends_at: String::new(),
            agenda: String::new(),
            registration_open: true,
            capacity: None,
            repeat: String::new(),
            repeat_count: None,
            repeat_until: None,
            invitees: Vec::new(),
            invite_network: false,
            invite_networks: Vec::new(),
            invite_groups: Vec::new(),
        }
    }
}

impl MeetingBody {
    fn draft(
        &self,
        state: &AppState,
        network_id: &str,
        editing: bool,
    ) -> Result<(MeetingDraft, Vec<(InviteeKind, String)>), FieldErrors> {
        let raw = RawMeeting {
            title: self.title.clone(),
            kind: self.kind.clone(),
            mode: self.mode.clone(),
            place: self.place.clone(),
            link: self.link.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            agenda: self.agenda.clone(),
            registration_open: self.registration_open,
            capacity: self.capacity.map(|c| c.to_string()).unwrap_or_default(),
            repeat: self.repeat.clone(),
            repeat_count: self.repeat_count.map(|c| c.to_string()).unwrap_or_default(),
            repeat_until: self.repeat_until.clone().unwrap_or_default(),
        };
        let context = MeetingContext { room_links: state.config.jitsi_url.is_some(), editing };
        let mut errors = match MeetingDraft::parse(&raw, &context) {
            Ok(draft) => {
                let invitees = self.invitees(network_id)?;
                return Ok((draft, invitees));
            }
            Err(errors) => errors,
        };
        if let Err(more) = self.invitees(network_id) {
            errors.0.extend(more.0);
        }
        Err(errors)
    }

    /// The invitees listed, then those of the form's fields; the store checks that each exists
    /// and that networks and groups are of the meeting's programme.
    fn invitees(&self, network_id: &str) -> Result<Vec<(InviteeKind, String)>, FieldErrors> {
        let mut invitees = self
            .invitees
            .iter()
            .enumerate()
            .map(|(index, invitee)| {
                InviteeKind::parse(&invitee.kind)
                    .map(|kind| (kind, invitee.id.clone()))
                    .ok_or_else(|| FieldError::new(format!("invitees[{index}].kind"), "error-invitee-invalid").into())
            })
            .collect::<Result<Vec<_>, FieldErrors>>()?;
        if self.invite_network {
            invitees.push((InviteeKind::Network, network_id.to_owned()));
        }
        invitees.extend(self.invite_networks.iter().map(|id| (InviteeKind::Network, id.clone())));
        invitees.extend(self.invite_groups.iter().map(|id| (InviteeKind::Group, id.clone())));
        Ok(invitees)
    }
}

#[utoipa::path(post, path = "/api/v1/meetings", tag = "meetings", request_body = MeetingBody,
    responses((status = 201, description = "The meeting, or every meeting of its series", body = Vec<MeetingDto>), (status = 403, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn create_meeting(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<MeetingBody>,
) -> AppResult<(StatusCode, Json<Vec<MeetingDto>>)> {
    let network = match state.db.network(&body.network_id).await? {
        Some(network) => network,
        None => return Err(AppError::Invalid(FieldError::new("network_id", "error-network-unknown").into())),
    };
    if !can_manage(&user, &network.id, &network.programme_id) {
        return Err(AppError::Forbidden);
    }
    let (draft, invitees) = body.draft(&state, &network.id, false).map_err(AppError::Invalid)?;
    let changes = MeetingChanges { draft: &draft, invitees: &invitees, room_base: state.config.jitsi_url.as_deref() };
    let ids = state.db.create_meetings(&user.actor(), &network.id, &changes).await?;
    let mut created = Vec::new();
    for id in ids {
        let meeting = state.db.meeting(&id).await?.ok_or(AppError::NotFound)?;
        created.push(full_dto(&state, meeting).await?);
    }
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings",
    responses((status = 200, body = MeetingDto), (status = 403, body = super::ApiErrorBody), (status = 404, body = super::ApiErrorBody)))]
pub async fn get_meeting(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<MeetingDto>> {
    let (meeting, _) = meeting_for(&state, &user, &id, false).await?;
    Ok(Json(full_dto(&state, meeting).await?))
}

#[utoipa::path(put, path = "/api/v1/meetings/{id}", tag = "meetings", request_body = MeetingBody,
    responses((status = 200, body = MeetingDto), (status = 403, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn update_meeting(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MeetingBody>,
) -> AppResult<Json<MeetingDto>> {
    let (existing, _) = meeting_for(&state, &user, &id, true).await?;
    let (draft, invitees) = body.draft(&state, &existing.network_id, true).map_err(AppError::Invalid)?;
    let changes = MeetingChanges { draft: &draft, invitees: &invitees, room_base: state.config.jitsi_url.as_deref() };
    let meeting = state.db.update_meeting(&user.actor(), &id, &changes).await?;
    Ok(Json(full_dto(&state, meeting).await?))
}

/// Cancels the meeting: it stays, marked cancelled, so that calendars receive the cancellation.
#[utoipa::path(delete, path = "/api/v1/meetings/{id}", tag = "meetings",
    responses((status = 204), (status = 403, body = super::ApiErrorBody), (status = 404, body = super::ApiErrorBody)))]
pub async fn cancel_meeting(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    meeting_for(&state, &user, &id, true).await?;
    state.db.cancel_meeting(&user.actor(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationDto {
    pub person_id: String,
    pub person_name: String,
    /// `registered`, `waiting` or `cancelled`.
    pub status: String,
    pub queued_at: String,
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}/registrations", tag = "meetings",
    responses((status = 200, body = Vec<RegistrationDto>), (status = 403, body = super::ApiErrorBody)))]
pub async fn list_registrations(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<RegistrationDto>>> {
    meeting_for(&state, &user, &id, false).await?;
    let registrations = state.db.registrations(&id).await?;
    Ok(Json(
        registrations
            .into_iter()
            .map(|r| RegistrationDto {
                person_id: r.person_id,
                person_name: r.person_name,
                status: r.status.code().to_owned(),
                queued_at: r.queued_at,
            })
            .collect(),
    ))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct RegistrationBody {
    pub person_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationResult {
    /// `registered`, or `waiting` when the meeting is full.
    pub status: String,
}

/// Registers a person (managers anyone, others themselves): a place, or the waiting list.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/registrations", tag = "meetings", request_body = RegistrationBody,
    responses((status = 201, body = RegistrationResult), (status = 403, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn create_registration(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RegistrationBody>,
) -> AppResult<(StatusCode, Json<RegistrationResult>)> {
    let (_, manage) = meeting_for(&state, &user, &id, false).await?;
    if body.person_id.trim().is_empty() {
        return Err(AppError::Invalid(FieldError::new("person_id", "error-required").into()));
    }
    own_or_manage(&state, &user, manage, &body.person_id).await?;
    let status = state.db.register(&user.actor(), &id, &body.person_id).await?;
    Ok((StatusCode::CREATED, Json(RegistrationResult { status: status.code().to_owned() })))
}

async fn own_or_manage(state: &AppState, user: &CurrentUser, manage: bool, person_id: &str) -> AppResult<()> {
    if manage {
        return Ok(());
    }
    match state.db.person_by_email(&user.identity.user.email).await? {
        Some(person) if person.id == person_id => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

#[derive(Serialize, ToSchema)]
pub struct CancelResult {
    /// The person who got the freed place, if someone was waiting.
    pub promoted_person_id: Option<String>,
}

#[utoipa::path(delete, path = "/api/v1/meetings/{id}/registrations/{person_id}", tag = "meetings",
    responses((status = 200, body = CancelResult), (status = 403, body = super::ApiErrorBody), (status = 404, body = super::ApiErrorBody)))]
pub async fn delete_registration(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, person_id)): Path<(String, String)>,
) -> AppResult<Json<CancelResult>> {
    let (_, manage) = meeting_for(&state, &user, &id, false).await?;
    own_or_manage(&state, &user, manage, &person_id).await?;
    let promoted = state.db.cancel_registration(&user.actor(), &id, &person_id).await?;
    Ok(Json(CancelResult { promoted_person_id: promoted }))
}

#[derive(Serialize, ToSchema)]
pub struct AttendanceLineDto {
    pub person_id: String,
    pub person_name: String,
    pub organisation: String,
    pub present: bool,
    pub minutes: i64,
    pub role: String,
    /// Came without being invited.
    pub walk_in: bool,
}

#[derive(Serialize, ToSchema)]
pub struct RegisterDto {
    pub lines: Vec<AttendanceLineDto>,
    pub signed_at: Option<String>,
    pub signed_by: Option<String>,
    /// SHA-256 of the register as signed (or as corrected since).
    pub hash: Option<String>,
    /// Whether the register still matches its hash.
    pub intact: bool,
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}/attendance", tag = "meetings",
    responses((status = 200, body = RegisterDto), (status = 403, body = super::ApiErrorBody)))]
pub async fn get_attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<RegisterDto>> {
    let (meeting, _) = meeting_for(&state, &user, &id, false).await?;
    register_dto(&state, meeting).await.map(Json)
}

async fn register_dto(state: &AppState, meeting: Meeting) -> AppResult<RegisterDto> {
    let rows = state.db.attendance(&meeting.id).await?;
    let intact = match &meeting.register_hash {
        Some(hash) => &state.db.current_register_hash(&meeting).await? == hash,
        None => true,
    };
    Ok(RegisterDto {
        lines: rows
            .into_iter()
            .map(|r| AttendanceLineDto {
                person_id: r.person_id,
                person_name: r.person_name,
                organisation: r.organisation,
                present: r.present,
                minutes: r.minutes,
                role: r.role,
                walk_in: r.walk_in,
            })
            .collect(),
        signed_at: meeting.signed_at,
        signed_by: meeting.signed_by,
        hash: meeting.register_hash,
        intact,
    })
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct AttendanceLineBody {
    pub person_id: String,
    pub present: bool,
    /// Minutes attended; the whole meeting when absent from the body and present.
    pub minutes: Option<i64>,
    pub role: String,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct AttendanceBody {
    pub lines: Vec<AttendanceLineBody>,
    /// Required once the register is signed.
    pub reason: Option<String>,
}

/// Records lines of the register (people not invited are flagged as walk-ins); all or nothing.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/attendance", tag = "meetings", request_body = AttendanceBody,
    responses((status = 200, body = RegisterDto), (status = 403, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn put_attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AttendanceBody>,
) -> AppResult<Json<RegisterDto>> {
    let (meeting, _) = meeting_for(&state, &user, &id, true).await?;
    let mut errors = FieldErrors::default();
    let lines: Vec<Attendance> = body
        .lines
        .iter()
        .enumerate()
        .filter_map(|(index, line)| {
            let raw = RawAttendance {
                person_id: line.person_id.clone(),
                present: line.present,
                minutes: line.minutes.map(|m| m.to_string()).unwrap_or_default(),
                role: line.role.clone(),
            };
            errors.check(Attendance::parse(&raw, meeting.length_minutes(), &format!("lines[{index}].minutes")))
        })
        .collect();
    errors.into_result().map_err(AppError::Invalid)?;
    state.db.record_attendance(&user.actor(), &id, &lines, body.reason.as_deref()).await?;
    let meeting = state.db.meeting(&id).await?.ok_or(AppError::NotFound)?;
    register_dto(&state, meeting).await.map(Json)
}

/// The facilitator signs the register off: it is locked and its hash recorded.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/attendance/sign", tag = "meetings",
    responses((status = 200, body = RegisterDto), (status = 409, body = super::ApiErrorBody), (status = 422, body = super::ApiErrorBody)))]
pub async fn sign_attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Json<RegisterDto>> {
    meeting_for(&state, &user, &id, true).await?;
    state.db.sign_register(&user.actor(), &id).await?;
    let meeting = state.db.meeting(&id).await?.ok_or(AppError::NotFound)?;
    register_dto(&state, meeting).await.map(Json)
}
