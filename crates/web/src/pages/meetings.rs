//! Meetings of a network: its calendar (month grid and list), the meeting page with invitees,
//! registrations, the attendance register and its sign-off, minutes, attachments and follow-up
//! actions, the form to schedule or change a meeting, the `.ics` of a meeting and a facilitator's
//! agenda across their networks.
//!
//! Who: the network's members, facilitators and coordination see its meetings (private access);
//! its facilitators, lead and coordination manage them ([`can_manage`]).

use super::{form_status, render, render_status, set_flash_redirect};
use crate::AppState;
use crate::context::{Identity, NetworkAccess};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, NetworkAt, Private, Public};
use crate::page::{FormPage, PageContext};
use crate::pagination::Pager;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use reti_domain::meetings::{
    self, ActionDraft, ActionStatus, Attendance, MeetingContext, MeetingDraft, MeetingKind, MeetingMode, RawAction,
    RawAttendance, RawMeeting, input_local,
};
use reti_domain::{FieldError, FieldErrors, Role};
use reti_store::PageRequest;
use reti_store::meetings::{
    Attachment, AttendanceRow, Correction, InviteeKind, Meeting, MeetingAction, MeetingBrief, MeetingChanges,
    MeetingFilter, Reach, Registration,
};
use reti_store::registry::networks::Network;
use serde::Deserialize;
use tokio::io::AsyncWriteExt;
use tower_sessions::Session;

/// Whether `identity` schedules and changes the meetings of a network, records and signs their
/// registers: its coordination, its lead, its facilitators.
pub fn can_manage(identity: &Identity, network_id: &str, programme_id: &str) -> bool {
    identity.network_access(network_id, programme_id) == NetworkAccess::Manage
        || identity.networks.iter().any(|n| n.network_id == network_id && n.role == Role::Facilitator)
}

/// The networks whose meetings `identity` sees (`None`: all of them, for the administrator).
pub fn reach(identity: &Identity) -> Option<Reach> {
    (!identity.user.is_admin).then(|| Reach {
        networks: identity.networks.iter().map(|n| n.network_id.clone()).collect(),
        programmes: identity.coordinated_programmes(),
    })
}

/// The meeting of `id` when `identity` may see it (and manage it, when `manage` is asked).
pub async fn meeting_for(state: &AppState, identity: &Identity, id: &str, manage: bool) -> AppResult<(Meeting, bool)> {
    let meeting = state.db.meeting(id).await?.ok_or(AppError::NotFound)?;
    // A lab's session is also its lab's: its participants see it, its experts manage it.
    let lab = match &meeting.lab_id {
        Some(lab_id) if !can_manage(identity, &meeting.network_id, &meeting.programme_id) => {
            state.db.lab(lab_id).await?.and_then(|lab| crate::extract::LabAccess::of(identity, &lab))
        }
        _ => None,
    };
    if identity.network_access(&meeting.network_id, &meeting.programme_id) < NetworkAccess::Private && lab.is_none() {
        return Err(AppError::Forbidden);
    }
    let may_manage = can_manage(identity, &meeting.network_id, &meeting.programme_id)
        || lab.is_some_and(|access| access >= crate::extract::LabAccess::Content);
    if manage && !may_manage {
        return Err(AppError::Forbidden);
    }
    Ok((meeting, may_manage))
}

/// A meeting as the pages list it.
pub struct MeetingLine {
    pub id: String,
    pub title: String,
    pub network_name: String,
    pub when: String,
    pub time: String,
    pub kind: String,
    pub mode: String,
    pub cancelled: bool,
}

/// The labels every line of a list repeats, translated once per page rather than per line.
pub struct LineLabels {
    kinds: [String; 4],
    modes: [String; 4],
}

impl LineLabels {
    pub fn new(page: &PageContext) -> LineLabels {
        LineLabels {
            kinds: MeetingKind::ALL.map(|k| page.t(k.label_key())),
            modes: MeetingMode::ALL.map(|m| page.t(m.label_key())),
        }
    }

    fn kind(&self, kind: MeetingKind) -> &str {
        MeetingKind::ALL.iter().position(|k| *k == kind).map_or("", |i| &self.kinds[i])
    }

    fn mode(&self, mode: MeetingMode) -> &str {
        MeetingMode::ALL.iter().position(|m| *m == mode).map_or("", |i| &self.modes[i])
    }
}

impl MeetingLine {
    /// Takes the meeting's strings rather than copying them; the times in Europe/Rome are
    /// written with plain integer formatting (a chrono format string is parsed on every call).
    pub fn new(labels: &LineLabels, meeting: MeetingBrief) -> MeetingLine {
        use std::fmt::Write;
        let (start, end) = (meetings::to_local(meeting.starts_at), meetings::to_local(meeting.ends_at));
        let mut when = String::with_capacity(26);
        let _ = write!(
            when,
            "{:02}/{:02}/{} {:02}:{:02} – {:02}:{:02}",
            start.day(),
            start.month(),
            start.year(),
            start.hour(),
            start.minute(),
            end.hour(),
            end.minute()
        );
        MeetingLine {
            time: format!("{:02}:{:02}", start.hour(), start.minute()),
            when,
            id: meeting.id,
            title: meeting.title,
            network_name: meeting.network_name,
            kind: labels.kind(meeting.kind).to_owned(),
            mode: labels.mode(meeting.mode).to_owned(),
            cancelled: meeting.cancelled,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Calendar

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CalendarQuery {
    view: String,
    /// `yyyy-mm`.
    month: String,
    page: Option<u32>,
}

pub struct Day {
    pub number: u32,
    pub in_month: bool,
    pub today: bool,
    pub meetings: Vec<DayEvent>,
}

/// A meeting in a cell of the month grid: what the cell shows and nothing more (no date range,
/// kind or mode to format for each of a month's meetings).
pub struct DayEvent {
    pub id: String,
    pub title: String,
    pub time: String,
    pub cancelled: bool,
}

#[derive(Template)]
#[template(path = "meetings/calendar.html")]
struct CalendarPage {
    page: PageContext,
    network: Network,
    manage: bool,
    list_view: bool,
    month_label: String,
    month: String,
    previous_month: String,
    next_month: String,
    weekdays: Vec<String>,
    weeks: Vec<Vec<Day>>,
    lines: Vec<MeetingLine>,
    pager: Pager,
}

fn parse_month(text: &str, today: NaiveDate) -> NaiveDate {
    NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .unwrap_or_else(|_| today.with_day(1).expect("day 1 exists"))
}

fn local_midnight(date: NaiveDate) -> DateTime<Utc> {
    // Midnight exists in Europe/Rome on every day (the clocks change at 02:00 and 03:00).
    meetings::resolve_local("date", date.and_hms_opt(0, 0, 0).expect("midnight")).expect("midnight exists")
}

pub async fn calendar(
    State(state): State<AppState>,
    page: PageContext,
    NetworkAt { network, user, .. }: NetworkAt<Private>,
    Query(query): Query<CalendarQuery>,
) -> AppResult<Response> {
    let today = meetings::to_local(Utc::now()).date_naive();
    let first = parse_month(&query.month, today);
    let next_first = first + chrono::Months::new(1);
    let manage = can_manage(&user, &network.id, &network.programme_id);
    let month = first.format("%Y-%m").to_string();
    let month_label = format!("{} {}", page.t(&format!("month-{}", first.month())), first.year());
    let list_view = query.view == "list";
    let path = format!("/networks/{}/meetings", network.id);
    let mut weeks = Vec::new();
    let mut lines = Vec::new();
    let mut pager = Pager::new(&path, &[], PageRequest::new(None, None), 0);
    if list_view {
        let request = PageRequest::new(query.page, Some(50));
        let filter = MeetingFilter {
            network: Some(network.id.clone()),
            from: Some(local_midnight(first)),
            include_cancelled: true,
            ..MeetingFilter::default()
        };
        let found = state.db.meeting_briefs(&filter, request).await?;
        pager = Pager::new(&path, &[("view", "list".into()), ("month", month.clone())], request, found.total);
        let labels = LineLabels::new(&page);
        lines = found.items.into_iter().map(|m| MeetingLine::new(&labels, m)).collect();
    } else {
        let start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
        let days_after = (7 - next_first.weekday().num_days_from_monday()) % 7;
        let end = next_first + Duration::days(i64::from(days_after));
        let filter = MeetingFilter {
            network: Some(network.id.clone()),
            from: Some(local_midnight(start)),
            to: Some(local_midnight(end)),
            include_cancelled: true,
            ..MeetingFilter::default()
        };
        let found = state.db.meeting_briefs(&filter, PageRequest::all()).await?;
        // Each meeting's day once, in start order: the grid then takes them day by day. One
        // conversion to Europe/Rome per meeting gives both its day and its time.
        let mut by_day: std::collections::BTreeMap<NaiveDate, Vec<DayEvent>> = std::collections::BTreeMap::new();
        for meeting in found.items {
            let start = meetings::to_local(meeting.starts_at);
            by_day.entry(start.date_naive()).or_default().push(DayEvent {
                time: format!("{:02}:{:02}", start.hour(), start.minute()),
                id: meeting.id,
                title: meeting.title,
                cancelled: meeting.cancelled,
            });
        }
        let mut day = start;
        while day < end {
            let mut week = Vec::new();
            for _ in 0..7 {
                let meetings_of_day = by_day.remove(&day).unwrap_or_default();
                week.push(Day {
                    number: day.day(),
                    in_month: day.month() == first.month(),
                    today: day == today,
                    meetings: meetings_of_day,
                });
                day += Duration::days(1);
            }
            weeks.push(week);
        }
    }
    let weekdays = (1..=7).map(|d| page.t(&format!("weekday-{d}"))).collect();
    render(&CalendarPage {
        network,
        manage,
        list_view,
        month_label,
        month,
        previous_month: (first - chrono::Months::new(1)).format("%Y-%m").to_string(),
        next_month: next_first.format("%Y-%m").to_string(),
        weekdays,
        weeks,
        lines,
        pager,
        page,
    })
}

// ---------------------------------------------------------------------------------------------
// Agenda and "my meetings"

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AgendaQuery {
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "meetings/agenda.html")]
struct AgendaPage {
    page: PageContext,
    lines: Vec<MeetingLine>,
    pager: Pager,
    feeds: Vec<reti_store::meetings::CalendarFeed>,
    /// The networks whose meetings the person sees, for network feeds.
    networks: Vec<Choice>,
}

/// The coming meetings of every network the person works on or coordinates.
pub async fn agenda(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    user: CurrentUser,
    Query(query): Query<AgendaQuery>,
) -> AppResult<Response> {
    let request = PageRequest::new(query.page, Some(50));
    let filter = MeetingFilter {
        reach: reach(&user),
        from: Some(local_midnight(meetings::to_local(Utc::now()).date_naive())),
        ..MeetingFilter::default()
    };
    let found = state.db.meeting_briefs(&filter, request).await?;
    let pager = Pager::new("/agenda", &[], request, found.total);
    let labels = LineLabels::new(&page);
    let lines = found.items.into_iter().map(|m| MeetingLine::new(&labels, m)).collect();
    let feeds = state.db.calendar_feeds(&user.identity.user.id).await?;
    // Every network whose meetings the person sees: a coordination's, all of its programmes'.
    let networks = state
        .db
        .network_choices(&user.scope())
        .await?
        .into_iter()
        .map(|(value, label)| Choice { value, label })
        .collect();
    render(&AgendaPage { page, lines, pager, feeds, networks })
}

/// The next meetings that concern the logged-in person, for the home page.
pub async fn my_meetings(state: &AppState, page: &PageContext, identity: &Identity) -> AppResult<Vec<MeetingLine>> {
    let filter = MeetingFilter {
        from: Some(Utc::now()),
        concerning_user: Some((identity.user.id.clone(), identity.user.email.clone())),
        ..MeetingFilter::default()
    };
    let found = state.db.meeting_briefs(&filter, PageRequest::new(Some(1), Some(5))).await?;
    let labels = LineLabels::new(page);
    Ok(found.items.into_iter().map(|m| MeetingLine::new(&labels, m)).collect())
}

// ---------------------------------------------------------------------------------------------
// New and edit

/// The meeting form as posted; invitees repeat.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct MeetingForm {
    pub title: String,
    pub kind: String,
    pub mode: String,
    pub place: String,
    pub link: String,
    pub starts_at: String,
    pub ends_at: String,
    pub agenda: String,
    pub registration_open: Option<String>,
    pub capacity: String,
    pub repeat: String,
    pub repeat_count: String,
    pub repeat_until: String,
    pub invite_network: Option<String>,
    /// Other networks of the programme (the networks of a small group, for its workshop).
    pub invite_networks: Vec<String>,
    pub invite_organisations: Vec<String>,
    pub invite_people: Vec<String>,
    /// Small groups of a saved grouping of the programme.
    pub invite_groups: Vec<String>,
    /// The lab this meeting is a session of (set by the lab's "add a session").
    pub lab_id: String,
}

impl MeetingForm {
    fn parse(body: &str) -> MeetingForm {
        serde_html_form::from_str(body).unwrap_or_default()
    }

    fn raw(&self) -> RawMeeting {
        RawMeeting {
            title: self.title.clone(),
            kind: self.kind.clone(),
            mode: self.mode.clone(),
            place: self.place.clone(),
            link: self.link.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            agenda: self.agenda.clone(),
            registration_open: self.registration_open.is_some(),
            capacity: self.capacity.clone(),
            repeat: self.repeat.clone(),
            repeat_count: self.repeat_count.clone(),
            repeat_until: self.repeat_until.clone(),
        }
    }

    fn invitees(&self, network_id: &str) -> Vec<(InviteeKind, String)> {
        let mut out = Vec::new();
        if self.invite_network.is_some() {
            out.push((InviteeKind::Network, network_id.to_owned()));
        }
        out.extend(
            self.invite_networks.iter().filter(|id| *id != network_id).map(|id| (InviteeKind::Network, id.clone())),
        );
        out.extend(self.invite_organisations.iter().map(|id| (InviteeKind::Organisation, id.clone())));
        out.extend(self.invite_people.iter().map(|id| (InviteeKind::Person, id.clone())));
        out.extend(self.invite_groups.iter().map(|id| (InviteeKind::Group, id.clone())));
        out
    }

    fn from_meeting(meeting: &Meeting, invitees: &[reti_store::meetings::Invitee]) -> MeetingForm {
        let of = |kind| invitees.iter().filter(|i| i.kind == kind).map(|i| i.target_id.clone()).collect::<Vec<_>>();
        MeetingForm {
            title: meeting.title.clone(),
            kind: meeting.kind.code().to_owned(),
            mode: meeting.mode.code().to_owned(),
            place: meeting.place.clone(),
            link: meeting.link.clone(),
            starts_at: input_local(meeting.starts_at),
            ends_at: input_local(meeting.ends_at),
            agenda: meeting.agenda.clone(),
            registration_open: meeting.registration_open.then(|| "1".to_owned()),
            capacity: meeting.capacity.map(|c| c.to_string()).unwrap_or_default(),
            invite_network: of(InviteeKind::Network).contains(&meeting.network_id).then(|| "1".to_owned()),
            invite_networks: of(InviteeKind::Network).into_iter().filter(|id| *id != meeting.network_id).collect(),
            invite_organisations: of(InviteeKind::Organisation),
            invite_people: of(InviteeKind::Person),
            invite_groups: of(InviteeKind::Group),
            ..MeetingForm::default()
        }
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "meetings/form.html")]
struct FormTemplate {
    page: PageContext,
    title: String,
    action: String,
    network: Network,
    editing: bool,
    form: MeetingForm,
    errors: FieldErrors,
    kinds: Vec<Choice>,
    modes: Vec<Choice>,
    organisations: Vec<Choice>,
    people: Vec<Choice>,
    /// The other networks invited (those of a small group).
    other_networks: Vec<Choice>,
    /// The small groups of the programme's saved groupings.
    groups: Vec<Choice>,
    room_links: bool,
}

async fn form_page(
    state: &AppState,
    page: PageContext,
    network: Network,
    meeting_id: Option<&str>,
    form: MeetingForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let kinds =
        MeetingKind::ALL.iter().map(|k| Choice { value: k.code().into(), label: page.t(k.label_key()) }).collect();
    let modes =
        MeetingMode::ALL.iter().map(|m| Choice { value: m.code().into(), label: page.t(m.label_key()) }).collect();
    let organisations = network
        .current_members()
        .map(|m| Choice { value: m.organisation_id.clone(), label: m.organisation_name.clone() })
        .collect();
    let people = state
        .db
        .network_people(&network.id)
        .await?
        .into_iter()
        .map(|p| Choice { value: p.id, label: format!("{} ({})", p.name, p.organisation_name) })
        .collect();
    let other_networks = state
        .db
        .networks_named(
            &network.programme_id,
            &form.invite_networks[..form.invite_networks.len().min(reti_domain::groups::MAX_NETWORKS)],
        )
        .await?
        .into_iter()
        .filter(|(id, _)| *id != network.id)
        .map(|(value, label)| Choice { value, label })
        .collect();
    let groups = state
        .db
        .meeting_group_choices(&network.programme_id, &form.invite_groups)
        .await?
        .into_iter()
        .map(|g| Choice {
            label: format!("{}: {}", group_label(&page, g.number, &g.grouping_name), g.network_names.join(", ")),
            value: g.id,
        })
        .collect();
    let (title_key, action) = match meeting_id {
        Some(id) => ("meeting-edit", format!("/meetings/{id}")),
        None => ("meeting-new", format!("/networks/{}/meetings", network.id)),
    };
    render_status(
        form_status(&errors),
        &FormTemplate {
            title: page.t(title_key),
            page,
            action,
            network,
            editing: meeting_id.is_some(),
            form,
            errors,
            kinds,
            modes,
            organisations,
            people,
            other_networks,
            groups,
            room_links: state.config.jitsi_url.is_some(),
        },
    )
}

fn context(state: &AppState, editing: bool) -> MeetingContext {
    MeetingContext { room_links: state.config.jitsi_url.is_some(), editing }
}

/// "Gruppo 2 (raggruppamento X)".
fn group_label(page: &PageContext, number: i64, grouping: &str) -> String {
    page.t_args("invitee-group-label", &[("number", number.to_string()), ("grouping", grouping.to_owned())])
}

/// `?group=ID`: the workshop of a saved small group, inviting the group.
#[derive(Deserialize, Default)]
pub struct NewMeetingQuery {
    pub group: Option<String>,
    /// `?lab=ID`: a session of that lab, inviting its participants' networks.
    pub lab: Option<String>,
}

/// The lab a session is scheduled for: of the host network's programme (else it does not exist
/// here), and managed by the caller (its experts and coordination).
async fn lab_for_session(
    state: &AppState,
    user: &Identity,
    network: &Network,
    lab_id: &str,
) -> AppResult<reti_store::labs::Lab> {
    let lab =
        state.db.lab(lab_id).await?.filter(|l| l.programme_id == network.programme_id).ok_or(AppError::NotFound)?;
    if !super::labs::manages_lab(user, &lab) {
        return Err(AppError::Forbidden);
    }
    Ok(lab)
}

pub async fn new_form(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    NetworkAt { network, user, .. }: NetworkAt<Public>,
    Query(query): Query<NewMeetingQuery>,
) -> AppResult<Response> {
    let lab = match &query.lab {
        Some(id) => Some(lab_for_session(&state, &user, &network, id).await?),
        None => None,
    };
    if lab.is_none() && !can_manage(&user, &network.id, &network.programme_id) {
        return Err(AppError::Forbidden);
    }
    let mut form = MeetingForm {
        kind: MeetingKind::Accompaniment.code().into(),
        mode: MeetingMode::InPerson.code().into(),
        registration_open: Some("1".into()),
        invite_network: Some("1".into()),
        ..MeetingForm::default()
    };
    if let Some(group) = &query.group {
        match state.db.grouping_group(group).await? {
            // The group reaches the host network too.
            Some((programme_id, _)) if programme_id == network.programme_id => {
                form.kind = MeetingKind::Workshop.code().into();
                form.invite_network = None;
                form.invite_groups = vec![group.clone()];
            }
            _ => return Err(AppError::NotFound),
        }
    }
    if let Some(lab) = lab {
        let networks = lab.participant_networks();
        form.kind = MeetingKind::Lab.code().into();
        form.title = lab.title.clone();
        form.invite_network = networks.iter().any(|(id, _)| *id == network.id).then(|| "1".into());
        form.invite_networks = networks.into_iter().map(|(id, _)| id).filter(|id| *id != network.id).collect();
        form.lab_id = lab.id;
    }
    form_page(&state, page, network, None, form, FieldErrors::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    FormPage(page): FormPage,
    NetworkAt { network, user, .. }: NetworkAt<Public>,
    body: String,
) -> AppResult<Response> {
    let form = MeetingForm::parse(&body);
    let lab = match form.lab_id.as_str() {
        "" => None,
        id => Some(lab_for_session(&state, &user, &network, id).await?),
    };
    if lab.is_none() && !can_manage(&user, &network.id, &network.programme_id) {
        return Err(AppError::Forbidden);
    }
    let draft = match MeetingDraft::parse(&form.raw(), &context(&state, false)) {
        Ok(draft) => draft,
        Err(errors) => return form_page(&state, page, network, None, form, errors).await,
    };
    if let Err(errors) = check_other_networks(&state, &network, &form).await? {
        return form_page(&state, page, network, None, form, errors).await;
    }
    let invitees = form.invitees(&network.id);
    let changes = MeetingChanges { draft: &draft, invitees: &invitees, room_base: state.config.jitsi_url.as_deref() };
    let created = match &lab {
        Some(lab) => state.db.create_lab_sessions(&user.actor(), &lab.id, &network.id, &changes).await,
        None => state.db.create_meetings(&user.actor(), &network.id, &changes).await,
    };
    match created {
        Ok(ids) => {
            let message = page.t_count("flash-meetings-created", &(ids.len() as i64));
            set_flash_redirect(&session, message, &format!("/meetings/{}", ids[0])).await
        }
        Err(reti_store::StoreError::Invalid(errors)) => form_page(&state, page, network, None, form, errors).await,
        Err(error) => Err(error.into()),
    }
}

/// Other networks may be invited only from the meeting's own programme.
async fn check_other_networks(
    state: &AppState,
    network: &Network,
    form: &MeetingForm,
) -> AppResult<Result<(), FieldErrors>> {
    if form.invite_networks.is_empty() {
        return Ok(Ok(()));
    }
    let mut wanted = form.invite_networks.clone();
    wanted.sort();
    wanted.dedup();
    if wanted.len() > reti_domain::groups::MAX_NETWORKS {
        return Ok(Err(FieldErrors::from(FieldError::new("invitees", "error-invitee-invalid"))));
    }
    let known = state.db.networks_named(&network.programme_id, &wanted).await?;
    if known.len() == wanted.len() {
        Ok(Ok(()))
    } else {
        Ok(Err(FieldErrors::from(FieldError::new("invitees", "error-invitee-invalid"))))
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    FormPage(page): FormPage,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (meeting, _) = meeting_for(&state, &user, &id, true).await?;
    let network = state.db.network(&meeting.network_id).await?.ok_or(AppError::NotFound)?;
    let invitees = state.db.invitees(&id).await?;
    let form = MeetingForm::from_meeting(&meeting, &invitees);
    form_page(&state, page, network, Some(&id), form, FieldErrors::default()).await
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Path(id): Path<String>,
    body: String,
) -> AppResult<Response> {
    let (meeting, _) = meeting_for(&state, &user, &id, true).await?;
    let network = state.db.network(&meeting.network_id).await?.ok_or(AppError::NotFound)?;
    let form = MeetingForm::parse(&body);
    let draft = match MeetingDraft::parse(&form.raw(), &context(&state, true)) {
        Ok(draft) => draft,
        Err(errors) => return form_page(&state, page, network, Some(&id), form, errors).await,
    };
    if let Err(errors) = check_other_networks(&state, &network, &form).await? {
        return form_page(&state, page, network, Some(&id), form, errors).await;
    }
    let invitees = form.invitees(&network.id);
    let changes = MeetingChanges { draft: &draft, invitees: &invitees, room_base: state.config.jitsi_url.as_deref() };
    match state.db.update_meeting(&user.actor(), &id, &changes).await {
        Ok(_) => set_flash_redirect(&session, page.t("flash-saved"), &format!("/meetings/{id}")).await,
        Err(reti_store::StoreError::Invalid(errors)) => form_page(&state, page, network, Some(&id), form, errors).await,
        Err(error) => Err(error.into()),
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    page: PageContext,
    Path(id): Path<String>,
) -> AppResult<Response> {
    meeting_for(&state, &user, &id, true).await?;
    state.db.cancel_meeting(&user.actor(), &id).await?;
    set_flash_redirect(&session, page.t("flash-meeting-cancelled"), &format!("/meetings/{id}")).await
}

// ---------------------------------------------------------------------------------------------
// The meeting page

pub struct RegisterLineView {
    pub index: usize,
    pub person_id: String,
    pub name: String,
    pub organisation: String,
    pub present: bool,
    pub minutes: String,
    pub role: String,
    pub walk_in: bool,
}

#[derive(Template)]
#[template(path = "meetings/show.html")]
struct ShowPage {
    page: PageContext,
    meeting: Meeting,
    line: MeetingLine,
    manage: bool,
    invitees: Vec<String>,
    registrations: Vec<Registration>,
    register: Vec<RegisterLineView>,
    walk_in_choices: Vec<Choice>,
    people: Vec<Choice>,
    /// The logged-in person's own registry entry, and whether they are registered or waiting.
    own_person: Option<(String, bool)>,
    hash_matches: bool,
    corrections: Vec<Correction>,
    minutes_html: String,
    attachments: Vec<Attachment>,
    actions: Vec<MeetingAction>,
    statuses: Vec<Choice>,
    errors: FieldErrors,
    attachment_limit: String,
}

impl ShowPage {
    fn status_label(&self, action: &MeetingAction) -> String {
        self.page.t(action.status.label_key())
    }

    fn action_kind_label(&self, action: &MeetingAction) -> String {
        self.page.t(&format!("action-kind-{}", action.kind.code()))
    }

    fn minutes_invalid(&self, line: &RegisterLineView) -> bool {
        self.errors.for_field(&format!("minutes[{}]", line.index)).is_some()
    }

    fn registration_label(&self, registration: &Registration) -> String {
        self.page.t(&format!("registration-{}", registration.status.code()))
    }

    fn size(&self, attachment: &Attachment) -> String {
        format!("{:.1} KB", attachment.size_bytes as f64 / 1024.0)
    }

    fn due(&self, action: &MeetingAction) -> String {
        action.due_on.map(reti_domain::dates::format).unwrap_or_default()
    }
}

async fn show_page(
    state: &AppState,
    page: PageContext,
    identity: &Identity,
    meeting: Meeting,
    manage: bool,
    errors: FieldErrors,
) -> AppResult<Response> {
    let id = meeting.id.clone();
    let invitees = state
        .db
        .invitees(&id)
        .await?
        .into_iter()
        .map(|i| match i.group_number {
            Some(number) => group_label(&page, number, &i.label),
            None => format!("{} ({})", i.label, page.t(&format!("invitee-{}", i.kind.code()))),
        })
        .collect();
    let registrations = state.db.registrations(&id).await?;
    let attendance = state.db.attendance(&id).await?;
    let candidates = state.db.register_candidates(&id).await?;
    let register = register_view(&meeting, &attendance, &candidates);
    let network_people = state.db.network_people(&meeting.network_id).await?;
    let walk_in_choices = network_people
        .iter()
        .filter(|p| !register.iter().any(|r| r.person_id == p.id))
        .map(|p| Choice { value: p.id.clone(), label: format!("{} ({})", p.name, p.organisation_name) })
        .collect();
    let people = network_people
        .iter()
        .map(|p| Choice { value: p.id.clone(), label: format!("{} ({})", p.name, p.organisation_name) })
        .collect();
    let own_person = match state.db.person_by_email(&identity.user.email).await? {
        Some(person) => {
            let active = registrations
                .iter()
                .any(|r| r.person_id == person.id && r.status != reti_store::meetings::RegistrationStatus::Cancelled);
            Some((person.id, active))
        }
        None => None,
    };
    let hash_matches = match &meeting.register_hash {
        Some(hash) => &state.db.current_register_hash(&meeting).await? == hash,
        None => true,
    };
    let corrections = state.db.register_corrections(&id).await?;
    let minutes_html = reti_domain::markdown::render(&meeting.minutes);
    let attachments = state.db.attachments(&id).await?;
    let actions = state.db.meeting_actions(&id).await?;
    let statuses =
        ActionStatus::ALL.iter().map(|s| Choice { value: s.code().into(), label: page.t(s.label_key()) }).collect();
    let status = form_status(&errors);
    render_status(
        status,
        &ShowPage {
            line: MeetingLine::new(&LineLabels::new(&page), MeetingBrief::from(&meeting)),
            page,
            meeting,
            manage,
            invitees,
            registrations,
            register,
            walk_in_choices,
            people,
            own_person,
            hash_matches,
            corrections,
            minutes_html,
            attachments,
            actions,
            statuses,
            errors,
            attachment_limit: format!("{} MB", meetings::MAX_ATTACHMENT_BYTES / (1024 * 1024)),
        },
    )
}

fn register_view(
    meeting: &Meeting,
    attendance: &[AttendanceRow],
    candidates: &[(String, String, String)],
) -> Vec<RegisterLineView> {
    let mut lines: Vec<RegisterLineView> = Vec::new();
    for (person_id, name, organisation) in candidates {
        let row = attendance.iter().find(|a| &a.person_id == person_id);
        lines.push(RegisterLineView {
            index: lines.len(),
            person_id: person_id.clone(),
            name: name.clone(),
            organisation: organisation.clone(),
            present: row.is_some_and(|r| r.present),
            minutes: row.map(|r| r.minutes.to_string()).unwrap_or_default(),
            role: row.map(|r| r.role.clone()).unwrap_or_default(),
            walk_in: row.is_some_and(|r| r.walk_in),
        });
    }
    if lines.is_empty() && meeting.is_signed() {
        lines.extend(attendance.iter().enumerate().map(|(index, row)| RegisterLineView {
            index,
            person_id: row.person_id.clone(),
            name: row.person_name.clone(),
            organisation: row.organisation.clone(),
            present: row.present,
            minutes: row.minutes.to_string(),
            role: row.role.clone(),
            walk_in: row.walk_in,
        }));
    }
    lines
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    FormPage(page): FormPage,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (meeting, manage) = meeting_for(&state, &user, &id, false).await?;
    show_page(&state, page, &user, meeting, manage, FieldErrors::default()).await
}

/// Shows the meeting page again with `error`, or passes other errors on.
async fn refused(
    state: &AppState,
    page: PageContext,
    identity: &Identity,
    id: &str,
    error: reti_store::StoreError,
) -> AppResult<Response> {
    match error {
        reti_store::StoreError::Invalid(errors) => {
            let (meeting, manage) = meeting_for(state, identity, id, false).await?;
            show_page(state, page, identity, meeting, manage, errors).await
        }
        other => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Registrations

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PersonForm {
    person_id: String,
}

/// Someone who manages the meeting registers anyone; anyone else only themselves (the person
/// with their e-mail).
async fn check_person(state: &AppState, identity: &Identity, manage: bool, person_id: &str) -> AppResult<()> {
    if manage {
        return Ok(());
    }
    match state.db.person_by_email(&identity.user.email).await? {
        Some(person) if person.id == person_id => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

pub async fn register(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<PersonForm>,
) -> AppResult<Response> {
    let (_, manage) = meeting_for(&state, &user, &id, false).await?;
    if form.person_id.trim().is_empty() {
        let errors = FieldErrors::from(FieldError::new("person_id", "error-required"));
        return refused(&state, page, &user, &id, errors.into()).await;
    }
    check_person(&state, &user, manage, &form.person_id).await?;
    match state.db.register(&user.actor(), &id, &form.person_id).await {
        Ok(status) => {
            let key = format!("flash-registration-{}", status.code());
            set_flash_redirect(&session, page.t(&key), &format!("/meetings/{id}")).await
        }
        Err(error) => refused(&state, page, &user, &id, error).await,
    }
}

pub async fn unregister(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    page: PageContext,
    Path((id, person_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let (_, manage) = meeting_for(&state, &user, &id, false).await?;
    check_person(&state, &user, manage, &person_id).await?;
    let promoted = state.db.cancel_registration(&user.actor(), &id, &person_id).await?;
    let key = if promoted.is_some() { "flash-registration-cancelled-promoted" } else { "flash-registration-cancelled" };
    set_flash_redirect(&session, page.t(key), &format!("/meetings/{id}")).await
}

// ---------------------------------------------------------------------------------------------
// Attendance register

/// Reads the register form: `person[n]`, `present[n]`, `minutes[n]`, `role[n]` for each line,
/// and `walk_in_person`, `walk_in_minutes`, `walk_in_role` for someone who came uninvited.
fn attendance_lines(body: &str, length: i64) -> (Vec<Attendance>, Option<String>, FieldErrors) {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(body).unwrap_or_default();
    let value = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let mut errors = FieldErrors::default();
    let mut lines = Vec::new();
    for (key, person_id) in &pairs {
        let Some(index) = key.strip_prefix("person[").and_then(|k| k.strip_suffix(']')) else { continue };
        let raw = RawAttendance {
            person_id: person_id.clone(),
            present: !value(&format!("present[{index}]")).is_empty(),
            minutes: value(&format!("minutes[{index}]")),
            role: value(&format!("role[{index}]")),
        };
        if let Some(line) = errors.check(Attendance::parse(&raw, length, &format!("minutes[{index}]"))) {
            lines.push(line);
        }
    }
    let walk_in = value("walk_in_person");
    if !walk_in.trim().is_empty() {
        let raw = RawAttendance {
            person_id: walk_in,
            present: true,
            minutes: value("walk_in_minutes"),
            role: value("walk_in_role"),
        };
        if let Some(line) = errors.check(Attendance::parse(&raw, length, "walk_in_minutes")) {
            lines.push(line);
        }
    }
    let reason = Some(value("reason")).filter(|r| !r.trim().is_empty());
    (lines, reason, errors)
}

pub async fn record_attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Path(id): Path<String>,
    body: String,
) -> AppResult<Response> {
    let (meeting, _) = meeting_for(&state, &user, &id, true).await?;
    let (lines, reason, errors) = attendance_lines(&body, meeting.length_minutes());
    if !errors.is_empty() {
        return refused(&state, page, &user, &id, errors.into()).await;
    }
    match state.db.record_attendance(&user.actor(), &id, &lines, reason.as_deref()).await {
        Ok(()) => {
            set_flash_redirect(&session, page.t("flash-register-saved"), &format!("/meetings/{id}#register")).await
        }
        Err(error) => refused(&state, page, &user, &id, error).await,
    }
}

pub async fn sign(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Path(id): Path<String>,
) -> AppResult<Response> {
    meeting_for(&state, &user, &id, true).await?;
    match state.db.sign_register(&user.actor(), &id).await {
        Ok(_) => {
            set_flash_redirect(&session, page.t("flash-register-signed"), &format!("/meetings/{id}#register")).await
        }
        Err(error) => refused(&state, page, &user, &id, error).await,
    }
}

#[derive(Template)]
#[template(path = "meetings/register.html")]
struct RegisterPrint {
    page: PageContext,
    meeting: Meeting,
    line: MeetingLine,
    rows: Vec<AttendanceRow>,
    hash_matches: bool,
    corrections: Vec<Correction>,
    total_minutes: i64,
    present: usize,
}

/// The register laid out for printing (and signing on paper, where funders ask for it).
pub async fn register_print(
    State(state): State<AppState>,
    user: CurrentUser,
    page: PageContext,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (meeting, _) = meeting_for(&state, &user, &id, false).await?;
    let rows = state.db.attendance(&id).await?;
    let hash_matches = match &meeting.register_hash {
        Some(hash) => &state.db.current_register_hash(&meeting).await? == hash,
        None => true,
    };
    let corrections = state.db.register_corrections(&id).await?;
    let total_minutes = rows.iter().map(|r| r.minutes).sum();
    let present = rows.iter().filter(|r| r.present).count();
    render(&RegisterPrint {
        line: MeetingLine::new(&LineLabels::new(&page), MeetingBrief::from(&meeting)),
        page,
        meeting,
        rows,
        hash_matches,
        corrections,
        total_minutes,
        present,
    })
}

// ---------------------------------------------------------------------------------------------
// Minutes, attachments, actions

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MinutesForm {
    minutes: String,
}

pub async fn save_minutes(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    page: PageContext,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<MinutesForm>,
) -> AppResult<Response> {
    meeting_for(&state, &user, &id, true).await?;
    state.db.set_minutes(&user.actor(), &id, &form.minutes).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &format!("/meetings/{id}#minutes")).await
}

/// The request body an attachment upload may have: the file and a little room for the form.
pub const ATTACHMENT_BODY_LIMIT: usize = meetings::MAX_ATTACHMENT_BYTES as usize + 64 * 1024;

pub(crate) fn attachments_dir(state: &AppState, meeting_id: &str) -> std::path::PathBuf {
    state.config.data_dir.join("attachments").join(meeting_id)
}

/// Streams the file field to a temporary file next to its final place, stopping past the limit.
pub(crate) async fn receive_attachment(
    state: &AppState,
    meeting_id: &str,
    multipart: &mut Multipart,
) -> AppResult<Result<(String, tempfile::NamedTempFile, u64, Vec<u8>), FieldError>> {
    let too_large = || FieldError::new("file", "error-attachment-too-large");
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(Err(FieldError::new("file", "error-required"))),
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => return Ok(Err(too_large())),
            Err(_) => return Ok(Err(FieldError::new("file", "error-required"))),
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = meetings::clean_file_name(field.file_name().unwrap_or(""));
        let dir = attachments_dir(state, meeting_id);
        tokio::fs::create_dir_all(&dir).await.map_err(|e| AppError::Internal(e.into()))?;
        let temp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| AppError::Internal(e.into()))?;
        let mut file = tokio::fs::File::from_std(temp.reopen().map_err(|e| AppError::Internal(e.into()))?);
        let mut size = 0u64;
        let mut head = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    size += chunk.len() as u64;
                    if size > meetings::MAX_ATTACHMENT_BYTES {
                        return Ok(Err(too_large()));
                    }
                    if head.len() < 1024 {
                        head.extend_from_slice(&chunk[..chunk.len().min(1024 - head.len())]);
                    }
                    file.write_all(&chunk).await.map_err(|e| AppError::Internal(e.into()))?;
                }
                Ok(None) => break,
                Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => return Ok(Err(too_large())),
                Err(_) => return Ok(Err(FieldError::new("file", "error-required"))),
            }
        }
        file.flush().await.map_err(|e| AppError::Internal(e.into()))?;
        return Ok(Ok((name, temp, size, head)));
    }
}

pub async fn upload_attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    meeting_for(&state, &user, &id, true).await?;
    let (name, temp, size, head) = match receive_attachment(&state, &id, &mut multipart).await? {
        Ok(received) => received,
        Err(error) => return refused(&state, page, &user, &id, FieldErrors::from(error).into()).await,
    };
    let content_type = match meetings::attachment_type(&name, &head, size) {
        Ok(content_type) => content_type,
        Err(error) => return refused(&state, page, &user, &id, FieldErrors::from(error).into()).await,
    };
    let dir = attachments_dir(&state, &id);
    let size = i64::try_from(size).map_err(|e| AppError::Internal(e.into()))?;
    let placed = dir.clone();
    let store = async move |attachment_id: &str| temp.persist(dir.join(attachment_id)).map(|_| ()).map_err(|e| e.error);
    let discard = async move |attachment_id: &str| {
        if let Err(error) = tokio::fs::remove_file(placed.join(attachment_id)).await {
            tracing::warn!(%error, "could not remove the file of an attachment not recorded");
        }
    };
    state.db.add_attachment(&user.actor(), &id, &name, content_type, size, store, discard).await?;
    set_flash_redirect(&session, page.t("flash-attachment-added"), &format!("/meetings/{id}#attachments")).await
}

pub async fn download_attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, attachment_id)): Path<(String, String)>,
) -> AppResult<Response> {
    meeting_for(&state, &user, &id, false).await?;
    let attachment =
        state.db.attachments(&id).await?.into_iter().find(|a| a.id == attachment_id).ok_or(AppError::NotFound)?;
    let bytes = tokio::fs::read(attachments_dir(&state, &id).join(&attachment.id))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let disposition =
        format!("attachment; filename=\"{}\"", attachment.file_name.replace(|c: char| !c.is_ascii(), "_"));
    Ok((
        [
            (header::CONTENT_TYPE, attachment.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActionForm {
    action_kind: String,
    description: String,
    owner: String,
    due_on: String,
}

pub async fn add_action(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<ActionForm>,
) -> AppResult<Response> {
    meeting_for(&state, &user, &id, true).await?;
    let raw = RawAction {
        kind: form.action_kind,
        description: form.description,
        owner: form.owner,
        due_on: form.due_on,
        status: String::new(),
    };
    let draft = match ActionDraft::parse(&raw) {
        Ok(draft) => draft,
        Err(errors) => return refused(&state, page, &user, &id, errors.into()).await,
    };
    state.db.add_meeting_action(&user.actor(), &id, &draft).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &format!("/meetings/{id}#actions")).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}

pub async fn action_status(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    FormPage(page): FormPage,
    Path((id, action_id)): Path<(String, String)>,
    axum::Form(form): axum::Form<StatusForm>,
) -> AppResult<Response> {
    meeting_for(&state, &user, &id, true).await?;
    let status = match ActionStatus::parse(&form.status) {
        Ok(status) => status,
        Err(error) => return refused(&state, page, &user, &id, FieldErrors::from(error).into()).await,
    };
    state.db.set_meeting_action_status(&user.actor(), &id, &action_id, status).await?;
    set_flash_redirect(&session, page.t("flash-saved"), &format!("/meetings/{id}#actions")).await
}

// ---------------------------------------------------------------------------------------------
// Calendar file

pub fn page_url(state: &AppState, meeting_id: &str) -> String {
    format!("{}/meetings/{meeting_id}", state.config.public_url)
}

pub fn ics_url(state: &AppState, meeting_id: &str) -> String {
    format!("{}/meetings/{meeting_id}/calendar.ics", state.config.public_url)
}

pub async fn ics(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let (meeting, _) = meeting_for(&state, &user, &id, false).await?;
    let body = crate::calendar::calendar(std::slice::from_ref(&meeting), |m| page_url(&state, &m.id));
    Ok((
        [
            (header::CONTENT_TYPE, crate::calendar::CONTENT_TYPE.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"incontro-{id}.ics\"")),
        ],
        body,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// Calendar feeds

/// How far back and ahead a feed reaches.
const FEED_PAST_DAYS: i64 = 90;
const FEED_AHEAD_DAYS: i64 = 400;

pub fn feed_url(state: &AppState, token: &str) -> String {
    format!("{}/calendar/{token}", state.config.public_url)
}

/// A subscribed calendar: the owner's meetings, or a network's while the owner still sees it.
/// The secret in the URL is the only credential (calendar clients cannot log in); an unknown,
/// revoked or orphaned feed is a 404.
pub async fn feed(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Response> {
    let feed = state.db.calendar_feed_by_token(&token).await?.ok_or(AppError::NotFound)?;
    let user = state.db.user(&feed.user_id).await?.filter(|u| !u.disabled).ok_or(AppError::NotFound)?;
    let (assignments, networks) = state.db.roles(&user.id).await?;
    let owner = Identity { user, assignments, networks };
    let now = Utc::now();
    let mut filter = MeetingFilter {
        from: Some(now - Duration::days(FEED_PAST_DAYS)),
        to: Some(now + Duration::days(FEED_AHEAD_DAYS)),
        include_cancelled: true,
        ..MeetingFilter::default()
    };
    match &feed.network_id {
        Some(network_id) => {
            let network = state.db.network(network_id).await?.ok_or(AppError::NotFound)?;
            if owner.network_access(&network.id, &network.programme_id) < NetworkAccess::Private {
                return Err(AppError::NotFound);
            }
            filter.network = Some(network.id);
        }
        None => filter.concerning_user = Some((owner.user.id.clone(), owner.user.email.clone())),
    }
    let found = state.db.meetings(&filter, PageRequest::all()).await?;
    let body = crate::calendar::feed(&found.items, |m| page_url(&state, &m.id));
    Ok(([(header::CONTENT_TYPE, crate::calendar::CONTENT_TYPE), (header::CACHE_CONTROL, "private, max-age=300")], body)
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FeedForm {
    network_id: String,
}

pub async fn create_feed(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    page: PageContext,
    axum::Form(form): axum::Form<FeedForm>,
) -> AppResult<Response> {
    let network_id = Some(form.network_id.trim()).filter(|id| !id.is_empty());
    if let Some(id) = network_id {
        let network = state.db.network(id).await?.ok_or(AppError::NotFound)?;
        if user.network_access(&network.id, &network.programme_id) < NetworkAccess::Private {
            return Err(AppError::Forbidden);
        }
    }
    let (_, token) = state.db.create_calendar_feed(&user.actor(), &user.identity.user.id, network_id).await?;
    let message = page.t_args("flash-feed-created", &[("link", feed_url(&state, &token))]);
    set_flash_redirect(&session, message, "/agenda#feeds").await
}

pub async fn revoke_feed(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    page: PageContext,
    Path(id): Path<String>,
) -> AppResult<Response> {
    state.db.revoke_calendar_feed(&user.actor(), &user.identity.user.id, &id).await?;
    set_flash_redirect(&session, page.t("flash-feed-revoked"), "/agenda#feeds").await
}
