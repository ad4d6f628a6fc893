//! Meetings of the networks (SPEC §4): kinds and modes, times entered and shown in Europe/Rome and
//! stored in UTC, recurring series, attendance and the hash of a signed register, follow-up
//! actions and attachment bounds. Everything a form or an API body sends is read here, by
//! `parse(raw, &ctx) -> Result<Self, FieldErrors>`, so that pages and API refuse the same things
//! with the same field names.
//!
//! Local times (decision 0019): a wall-clock time that does not exist because the clocks jump
//! forward (the last Sunday of March, 02:00–02:59) is refused naming its field; one that happens
//! twice because they go back (the last Sunday of October, 02:00–02:59) is read as the first of
//! the two, summer time, which is what someone writing "02:30" that night most likely means.

use crate::{FieldError, FieldErrors};
use chrono::{DateTime, Duration, LocalResult, Months, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The time zone meetings are entered and shown in.
pub const ZONE: Tz = chrono_tz::Europe::Rome;

/// The longest a meeting may last.
pub const MAX_DURATION_HOURS: i64 = 24;
/// The most meetings one series creates.
pub const MAX_OCCURRENCES: u32 = 52;
/// The most a title may hold, in characters.
pub const MAX_TITLE: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MeetingKind {
    /// Workshop di gruppo.
    Workshop,
    /// Incontro di accompagnamento.
    Accompaniment,
    /// Sessione di laboratorio.
    Lab,
    Webinar,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 4] =
        [MeetingKind::Workshop, MeetingKind::Accompaniment, MeetingKind::Lab, MeetingKind::Webinar];

    pub fn code(self) -> &'static str {
        match self {
            MeetingKind::Workshop => "workshop",
            MeetingKind::Accompaniment => "accompaniment",
            MeetingKind::Lab => "lab",
            MeetingKind::Webinar => "webinar",
        }
    }

    pub fn parse(code: &str) -> Result<MeetingKind, FieldError> {
        let code = code.trim();
        Self::ALL.into_iter().find(|k| k.code() == code).ok_or_else(|| FieldError::new("kind", "error-meeting-kind"))
    }

    /// The Fluent id of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            MeetingKind::Workshop => "meeting-kind-workshop",
            MeetingKind::Accompaniment => "meeting-kind-accompaniment",
            MeetingKind::Lab => "meeting-kind-lab",
            MeetingKind::Webinar => "meeting-kind-webinar",
        }
    }
}

/// How people take part; the codes are the API's (Italian, as the programme names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MeetingMode {
    InPerson,
    Videoconference,
    Webinar,
    Hybrid,
}

impl MeetingMode {
    pub const ALL: [MeetingMode; 4] =
        [MeetingMode::InPerson, MeetingMode::Videoconference, MeetingMode::Webinar, MeetingMode::Hybrid];

    pub fn code(self) -> &'static str {
        match self {
            MeetingMode::InPerson => "in_presenza",
            MeetingMode::Videoconference => "videoconferenza",
            MeetingMode::Webinar => "webinar",
            MeetingMode::Hybrid => "ibrido",
        }
    }

    pub fn parse(code: &str) -> Result<MeetingMode, FieldError> {
        let code = code.trim();
        Self::ALL.into_iter().find(|m| m.code() == code).ok_or_else(|| FieldError::new("mode", "error-meeting-mode"))
    }

    pub fn label_key(self) -> &'static str {
        match self {
            MeetingMode::InPerson => "meeting-mode-in-presenza",
            MeetingMode::Videoconference => "meeting-mode-videoconferenza",
            MeetingMode::Webinar => "meeting-mode-webinar",
            MeetingMode::Hybrid => "meeting-mode-ibrido",
        }
    }

    /// Whether people meet in a room, which needs a place.
    pub fn has_place(self) -> bool {
        matches!(self, MeetingMode::InPerson | MeetingMode::Hybrid)
    }

    /// Whether people join online, which needs a link.
    pub fn has_link(self) -> bool {
        !matches!(self, MeetingMode::InPerson)
    }
}

/// A wall-clock time in Europe/Rome as typed: `yyyy-mm-ddThh:mm` (what `<input
/// type="datetime-local">` sends), a space instead of the `T`, seconds optional; or an RFC 3339
/// instant with its offset (API clients that already know the instant).
pub fn parse_local(field: &str, input: &str) -> Result<DateTime<Utc>, FieldError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(FieldError::new(field, "error-required"));
    }
    if let Ok(instant) = DateTime::parse_from_rfc3339(input) {
        return Ok(instant.with_timezone(&Utc));
    }
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(input, format).ok())
        .ok_or_else(|| FieldError::new(field, "error-datetime-invalid"))?;
    resolve_local(field, naive)
}

/// A wall-clock time in Europe/Rome as an instant (see the module's note on the changes of time).
pub fn resolve_local(field: &str, naive: NaiveDateTime) -> Result<DateTime<Utc>, FieldError> {
    match ZONE.from_local_datetime(&naive) {
        LocalResult::Single(local) => Ok(local.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(FieldError::new(field, "error-time-nonexistent")),
    }
}

/// The instant as a wall-clock time in Europe/Rome.
pub fn to_local(instant: DateTime<Utc>) -> DateTime<Tz> {
    instant.with_timezone(&ZONE)
}

/// The calendar date in Italy at `instant`: what a deadline "by the 30th" means to the people
/// who answer, an hour or two ahead of UTC's date around midnight.
pub fn date_in_rome(instant: DateTime<Utc>) -> time::Date {
    use chrono::Datelike;
    let local = to_local(instant).date_naive();
    let month = time::Month::try_from(local.month() as u8).expect("chrono months are 1..=12");
    time::Date::from_calendar_date(local.year(), month, local.day() as u8).expect("chrono dates are valid")
}

/// Today's date in Italy.
pub fn today_in_rome() -> time::Date {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    date_in_rome(DateTime::from_timestamp(now, 0).expect("the clock is within chrono's range"))
}

/// `dd/mm/yyyy hh:mm` in Europe/Rome, as the pages show it.
pub fn format_local(instant: DateTime<Utc>) -> String {
    to_local(instant).format("%d/%m/%Y %H:%M").to_string()
}

/// `yyyy-mm-ddThh:mm` in Europe/Rome, the value a `datetime-local` input shows.
pub fn input_local(instant: DateTime<Utc>) -> String {
    to_local(instant).format("%Y-%m-%dT%H:%M").to_string()
}

/// The stored form of an instant: UTC RFC 3339 to the second, which sorts as text.
pub fn to_db(instant: DateTime<Utc>) -> String {
    instant.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A meeting's start and end.
pub type Span = (DateTime<Utc>, DateTime<Utc>);

/// How often a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Frequency {
    Weekly,
    /// Every two weeks.
    Fortnightly,
    /// The same day of the month (the month's last day when it is shorter).
    Monthly,
}

impl Frequency {
    pub fn parse(code: &str) -> Result<Option<Frequency>, FieldError> {
        match code.trim() {
            "" | "none" => Ok(None),
            "weekly" => Ok(Some(Frequency::Weekly)),
            "fortnightly" => Ok(Some(Frequency::Fortnightly)),
            "monthly" => Ok(Some(Frequency::Monthly)),
            _ => Err(FieldError::new("repeat", "error-meeting-repeat")),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Fortnightly => "fortnightly",
            Frequency::Monthly => "monthly",
        }
    }
}

/// A recurring series: how often, and until when (a count of meetings, or a last date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    pub frequency: Frequency,
    pub count: Option<u32>,
    pub until: Option<NaiveDate>,
}

impl Recurrence {
    /// The meetings of the series, first included, each at the same wall-clock time in
    /// Europe/Rome (so a 10:00 meeting stays at 10:00 across the change of time) and of the same
    /// length. An occurrence that falls in the spring-forward gap is refused, naming `starts_at`.
    pub fn occurrences(&self, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Result<Vec<Span>, FieldError> {
        let first = to_local(starts_at).naive_local();
        let length = ends_at - starts_at;
        let limit = self.count.unwrap_or(MAX_OCCURRENCES).min(MAX_OCCURRENCES);
        let mut out = Vec::new();
        for index in 0..limit {
            let Some(naive) = self.nth(first, index) else { break };
            if self.until.is_some_and(|until| naive.date() > until) {
                break;
            }
            let start = resolve_local("starts_at", naive)?;
            out.push((start, start + length));
        }
        Ok(out)
    }

    fn nth(&self, first: NaiveDateTime, index: u32) -> Option<NaiveDateTime> {
        match self.frequency {
            Frequency::Weekly => first.checked_add_signed(Duration::weeks(i64::from(index))),
            Frequency::Fortnightly => first.checked_add_signed(Duration::weeks(2 * i64::from(index))),
            Frequency::Monthly => first.checked_add_months(Months::new(index)),
        }
    }
}

/// What a meeting form or API body sends, as text.
#[derive(Debug, Clone, Default)]
pub struct RawMeeting {
    pub title: String,
    pub kind: String,
    pub mode: String,
    pub place: String,
    pub link: String,
    pub starts_at: String,
    pub ends_at: String,
    pub agenda: String,
    pub registration_open: bool,
    pub capacity: String,
    pub repeat: String,
    pub repeat_count: String,
    pub repeat_until: String,
}

/// What reading a meeting depends on besides its fields.
#[derive(Debug, Clone, Copy, Default)]
pub struct MeetingContext {
    /// A video room is made automatically (a Jitsi base URL is configured), so online meetings
    /// need no pasted link.
    pub room_links: bool,
    /// Editing one meeting of a series: no new series.
    pub editing: bool,
}

/// A meeting as checked, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingDraft {
    pub title: String,
    pub kind: MeetingKind,
    pub mode: MeetingMode,
    pub place: String,
    pub link: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub agenda: String,
    pub registration_open: bool,
    pub capacity: Option<i64>,
    pub recurrence: Option<Recurrence>,
}

impl MeetingDraft {
    /// Every problem of `raw` at once, each naming its field.
    pub fn parse(raw: &RawMeeting, ctx: &MeetingContext) -> Result<MeetingDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = raw.title.trim();
        if title.is_empty() {
            errors.push("title", "error-required");
        } else if title.chars().count() > MAX_TITLE {
            errors.add(FieldError::new("title", "error-too-long").with_arg("max", MAX_TITLE));
        }
        let kind = errors.check(MeetingKind::parse(&raw.kind));
        let mode = errors.check(MeetingMode::parse(&raw.mode));
        let place = raw.place.trim();
        let link = raw.link.trim();
        if let Some(mode) = mode {
            if mode.has_place() && place.is_empty() {
                errors.push("place", "error-required");
            }
            if mode.has_link() && link.is_empty() && !ctx.room_links {
                errors.push("link", "error-required");
            }
        }
        if !link.is_empty() && !is_web_link(link) {
            errors.push("link", "error-url-invalid");
        }
        let starts_at = errors.check(parse_local("starts_at", &raw.starts_at));
        let ends_at = errors.check(parse_local("ends_at", &raw.ends_at));
        if let (Some(start), Some(end)) = (starts_at, ends_at) {
            if end <= start {
                errors.push("ends_at", "error-meeting-end-before-start");
            } else if end - start > Duration::hours(MAX_DURATION_HOURS) {
                errors.push("ends_at", "error-meeting-too-long");
            }
        }
        let capacity = match raw.capacity.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(n) if (1..=100_000).contains(&n) => Some(n),
                _ => {
                    errors.push("capacity", "error-capacity-invalid");
                    None
                }
            },
        };
        let recurrence = if ctx.editing { None } else { recurrence(raw, starts_at, &mut errors) };
        if !errors.is_empty() {
            return Err(errors);
        }
        let (Some(kind), Some(mode), Some(starts_at), Some(ends_at)) = (kind, mode, starts_at, ends_at) else {
            unreachable!("every missing value recorded an error")
        };
        let draft = MeetingDraft {
            title: title.to_owned(),
            kind,
            mode,
            place: if mode.has_place() { place.to_owned() } else { String::new() },
            link: if mode.has_link() { link.to_owned() } else { String::new() },
            starts_at,
            ends_at,
            agenda: raw.agenda.trim().to_owned(),
            registration_open: raw.registration_open,
            capacity,
            recurrence,
        };
        if let Some(rule) = draft.recurrence {
            rule.occurrences(starts_at, ends_at)?;
        }
        Ok(draft)
    }

    /// The meetings to create: one, or each of its series.
    pub fn occurrences(&self) -> Vec<Span> {
        match self.recurrence {
            Some(rule) => rule.occurrences(self.starts_at, self.ends_at).unwrap_or_default(),
            None => vec![(self.starts_at, self.ends_at)],
        }
    }
}

fn recurrence(raw: &RawMeeting, starts_at: Option<DateTime<Utc>>, errors: &mut FieldErrors) -> Option<Recurrence> {
    let frequency = errors.check(Frequency::parse(&raw.repeat)).flatten()?;
    let count = match raw.repeat_count.trim() {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(n) if (2..=MAX_OCCURRENCES).contains(&n) => Some(n),
            _ => {
                errors.push("repeat_count", "error-repeat-count");
                return None;
            }
        },
    };
    let until = match crate::dates::parse_optional("repeat_until", &raw.repeat_until) {
        Ok(date) => date.and_then(|d| NaiveDate::from_ymd_opt(d.year(), u8::from(d.month()).into(), d.day().into())),
        Err(error) => {
            errors.0.push(error);
            return None;
        }
    };
    if count.is_none() && until.is_none() {
        errors.push("repeat_count", "error-repeat-end");
        return None;
    }
    if let (Some(until), Some(start)) = (until, starts_at)
        && until < to_local(start).date_naive()
    {
        errors.push("repeat_until", "error-repeat-until-order");
        return None;
    }
    Some(Recurrence { frequency, count, until })
}

fn is_web_link(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && text.len() > "https://".len()
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A video room for a meeting: the configured base and a name that cannot be guessed from the
/// meeting's title (rooms on a public Jitsi are open to whoever knows the name).
pub fn room_link(base: &str, meeting_id: &str) -> String {
    format!("{}/Reti-{}", base.trim_end_matches('/'), meeting_id.replace('-', ""))
}

/// One line of the attendance register as typed.
#[derive(Debug, Clone, Default)]
pub struct RawAttendance {
    pub person_id: String,
    pub present: bool,
    pub minutes: String,
    pub role: String,
}

/// One line of the attendance register, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attendance {
    pub person_id: String,
    pub present: bool,
    pub minutes: i64,
    pub role: String,
}

impl Attendance {
    /// `field` names the line in the errors (e.g. `minutes-<person id>`). Minutes are at most
    /// the meeting's length; someone absent attended none. A present person whose minutes are
    /// left blank attended the whole meeting.
    pub fn parse(raw: &RawAttendance, length_minutes: i64, field: &str) -> Result<Attendance, FieldError> {
        if raw.person_id.trim().is_empty() {
            return Err(FieldError::new("person_id", "error-required"));
        }
        let minutes = match raw.minutes.trim() {
            "" if raw.present => length_minutes,
            "" => 0,
            text => match text.parse::<i64>() {
                Ok(n) if (0..=length_minutes).contains(&n) => n,
                _ => return Err(FieldError::new(field, "error-minutes-invalid")),
            },
        };
        Ok(Attendance {
            person_id: raw.person_id.trim().to_owned(),
            present: raw.present,
            minutes: if raw.present { minutes } else { 0 },
            role: raw.role.trim().chars().take(100).collect(),
        })
    }
}

/// A line of the register as the hash covers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterLine {
    pub person_id: String,
    pub present: bool,
    pub minutes: i64,
    pub role: String,
    pub walk_in: bool,
}

/// SHA-256, in hex, of the register's canonical serialisation: a JSON object with the meeting's
/// id, start and end (stored UTC form) and its lines sorted by person id, each
/// `[person_id, present, minutes, role, walk_in]`, serialised without spaces. Anyone holding an
/// export of the register can recompute it.
pub fn register_hash(meeting_id: &str, starts_at: &str, ends_at: &str, lines: &[RegisterLine]) -> String {
    let mut lines: Vec<&RegisterLine> = lines.iter().collect();
    lines.sort_by(|a, b| a.person_id.cmp(&b.person_id));
    let rows: Vec<serde_json::Value> =
        lines.iter().map(|l| serde_json::json!([l.person_id, l.present, l.minutes, l.role, l.walk_in])).collect();
    let canonical =
        serde_json::json!({"meeting": meeting_id, "starts_at": starts_at, "ends_at": ends_at, "lines": rows});
    let digest = Sha256::digest(canonical.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A decision or a follow-up action of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ActionKind {
    Decision,
    Action,
}

impl ActionKind {
    pub fn code(self) -> &'static str {
        match self {
            ActionKind::Decision => "decision",
            ActionKind::Action => "action",
        }
    }

    pub fn parse(code: &str) -> Result<ActionKind, FieldError> {
        match code.trim() {
            "decision" => Ok(ActionKind::Decision),
            "action" => Ok(ActionKind::Action),
            _ => Err(FieldError::new("action_kind", "error-action-kind")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 3] = [ActionStatus::Open, ActionStatus::InProgress, ActionStatus::Done];

    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
        }
    }

    pub fn parse(code: &str) -> Result<ActionStatus, FieldError> {
        let code = code.trim();
        Self::ALL.into_iter().find(|s| s.code() == code).ok_or_else(|| FieldError::new("status", "error-action-status"))
    }

    pub fn label_key(self) -> &'static str {
        match self {
            ActionStatus::Open => "action-status-open",
            ActionStatus::InProgress => "action-status-in-progress",
            ActionStatus::Done => "action-status-done",
        }
    }
}

/// A decision or action as typed.
#[derive(Debug, Clone, Default)]
pub struct RawAction {
    pub kind: String,
    pub description: String,
    pub owner: String,
    pub due_on: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionDraft {
    pub kind: ActionKind,
    pub description: String,
    pub owner: String,
    pub due_on: Option<time::Date>,
    pub status: ActionStatus,
}

impl ActionDraft {
    pub fn parse(raw: &RawAction) -> Result<ActionDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = errors.check(ActionKind::parse(&raw.kind));
        let description = raw.description.trim();
        if description.is_empty() {
            errors.push("description", "error-required");
        }
        let due_on = errors.check(crate::dates::parse_optional("due_on", &raw.due_on)).flatten();
        let status = if raw.status.trim().is_empty() {
            Some(ActionStatus::Open)
        } else {
            errors.check(ActionStatus::parse(&raw.status))
        };
        if kind == Some(ActionKind::Action) && raw.owner.trim().is_empty() {
            errors.push("owner", "error-required");
        }
        match (kind, status, errors.is_empty()) {
            (Some(kind), Some(status), true) => Ok(ActionDraft {
                kind,
                description: description.to_owned(),
                owner: raw.owner.trim().to_owned(),
                due_on,
                status,
            }),
            _ => Err(errors),
        }
    }
}

/// The largest attachment, in bytes.
pub const MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;

/// The types of attachment accepted, by extension, with their content type and how their first
/// bytes begin (a file whose content does not match its name is refused).
const ATTACHMENT_TYPES: &[(&str, &str, Magic)] = &[
    ("pdf", "application/pdf", Magic::Prefix(b"%PDF-")),
    ("png", "image/png", Magic::Prefix(b"\x89PNG\r\n\x1a\n")),
    ("jpg", "image/jpeg", Magic::Prefix(b"\xff\xd8\xff")),
    ("jpeg", "image/jpeg", Magic::Prefix(b"\xff\xd8\xff")),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Magic::Prefix(b"PK\x03\x04")),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Magic::Prefix(b"PK\x03\x04")),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", Magic::Prefix(b"PK\x03\x04")),
    ("odt", "application/vnd.oasis.opendocument.text", Magic::Prefix(b"PK\x03\x04")),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet", Magic::Prefix(b"PK\x03\x04")),
    ("txt", "text/plain; charset=utf-8", Magic::Utf8),
    ("csv", "text/csv; charset=utf-8", Magic::Utf8),
    ("md", "text/markdown; charset=utf-8", Magic::Utf8),
];

#[derive(Debug, Clone, Copy)]
enum Magic {
    Prefix(&'static [u8]),
    Utf8,
}

/// The content type of an attachment named `file_name` whose content begins with `head` (its
/// first kilobyte or more) and has `size` bytes; an error naming `file` otherwise.
pub fn attachment_type(file_name: &str, head: &[u8], size: u64) -> Result<&'static str, FieldError> {
    if size == 0 {
        return Err(FieldError::new("file", "error-file-empty"));
    }
    if size > MAX_ATTACHMENT_BYTES {
        return Err(FieldError::new("file", "error-attachment-too-large"));
    }
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let (_, content_type, magic) = ATTACHMENT_TYPES
        .iter()
        .find(|(e, _, _)| *e == extension)
        .ok_or_else(|| FieldError::new("file", "error-attachment-type"))?;
    let matches = match magic {
        Magic::Prefix(prefix) => head.starts_with(prefix),
        // A multi-byte character may be cut at the end of the head.
        Magic::Utf8 => utf8_up_to_cut(head),
    };
    if matches { Ok(content_type) } else { Err(FieldError::new("file", "error-attachment-type")) }
}

fn utf8_up_to_cut(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(error) => error.error_len().is_none() && head.len() - error.valid_up_to() < 4,
    }
}

/// A file name safe to show and to send back in `Content-Disposition`: its last path part,
/// without control characters or quotes, at most 200 characters.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '\\' | '/')).take(200).collect();
    if cleaned.trim().is_empty() { "file".to_owned() } else { cleaned.trim().to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn raw() -> RawMeeting {
        RawMeeting {
            title: "Incontro di accompagnamento".into(),
            kind: "accompaniment".into(),
            mode: "in_presenza".into(),
            place: "Sala consiliare, Como".into(),
            starts_at: "2026-05-12T10:00".into(),
            ends_at: "2026-05-12T12:00".into(),
            ..RawMeeting::default()
        }
    }

    #[test]
    fn local_times_are_stored_in_utc_across_the_changes_of_time() {
        // Winter: UTC+1; summer: UTC+2.
        assert_eq!(to_db(parse_local("s", "2026-01-15T10:00").unwrap()), "2026-01-15T09:00:00Z");
        assert_eq!(to_db(parse_local("s", "2026-07-15T10:00").unwrap()), "2026-07-15T08:00:00Z");
        assert_eq!(format_local(parse_local("s", "2026-07-15 10:00").unwrap()), "15/07/2026 10:00");
        assert_eq!(to_db(parse_local("s", "2026-07-15T10:00:00+02:00").unwrap()), "2026-07-15T08:00:00Z");
    }

    #[test]
    fn a_time_in_the_spring_gap_is_refused_naming_the_field() {
        // 29 March 2026: 02:00 becomes 03:00.
        assert_eq!(
            parse_local("starts_at", "2026-03-29T02:30"),
            Err(FieldError::new("starts_at", "error-time-nonexistent"))
        );
        assert!(parse_local("starts_at", "2026-03-29T03:00").is_ok());
    }

    #[test]
    fn an_autumn_time_that_happens_twice_is_the_first_one() {
        // 25 October 2026: 03:00 becomes 02:00; 02:30 happens at 00:30 and at 01:30 UTC.
        assert_eq!(to_db(parse_local("s", "2026-10-25T02:30").unwrap()), "2026-10-25T00:30:00Z");
    }

    #[test]
    fn an_end_before_the_start_is_refused() {
        let mut raw = raw();
        raw.ends_at = "2026-05-12T09:00".into();
        let errors = MeetingDraft::parse(&raw, &MeetingContext::default()).unwrap_err();
        assert_eq!(errors.for_field("ends_at"), Some("error-meeting-end-before-start"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let raw = RawMeeting { mode: "videoconferenza".into(), capacity: "zero".into(), ..RawMeeting::default() };
        let errors = MeetingDraft::parse(&raw, &MeetingContext::default()).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "kind", "link", "starts_at", "ends_at", "capacity"]);
        let errors = MeetingDraft::parse(&raw, &MeetingContext { room_links: true, editing: false }).unwrap_err();
        assert_eq!(errors.for_field("link"), None, "a room is made for it");
    }

    #[test]
    fn a_weekly_series_keeps_its_wall_clock_time_across_the_change() {
        let mut raw = raw();
        raw.starts_at = "2026-03-17T10:00".into();
        raw.ends_at = "2026-03-17T11:30".into();
        raw.repeat = "weekly".into();
        raw.repeat_count = "3".into();
        let draft = MeetingDraft::parse(&raw, &MeetingContext::default()).unwrap();
        let times: Vec<String> =
            draft.occurrences().iter().map(|(s, e)| format!("{} {}", to_db(*s), to_db(*e))).collect();
        assert_eq!(
            times,
            [
                "2026-03-17T09:00:00Z 2026-03-17T10:30:00Z",
                "2026-03-24T09:00:00Z 2026-03-24T10:30:00Z",
                "2026-03-31T08:00:00Z 2026-03-31T09:30:00Z",
            ]
        );
    }

    #[test]
    fn a_monthly_series_ends_on_its_date_and_clamps_short_months() {
        let mut raw = raw();
        raw.starts_at = "2026-01-31T18:00".into();
        raw.ends_at = "2026-01-31T19:00".into();
        raw.repeat = "monthly".into();
        raw.repeat_until = "30/04/2026".into();
        let draft = MeetingDraft::parse(&raw, &MeetingContext::default()).unwrap();
        let days: Vec<String> = draft.occurrences().iter().map(|(s, _)| format_local(*s)).collect();
        assert_eq!(days, ["31/01/2026 18:00", "28/02/2026 18:00", "31/03/2026 18:00", "30/04/2026 18:00"]);
    }

    #[test]
    fn a_series_needs_an_end() {
        let mut raw = raw();
        raw.repeat = "weekly".into();
        let errors = MeetingDraft::parse(&raw, &MeetingContext::default()).unwrap_err();
        assert_eq!(errors.for_field("repeat_count"), Some("error-repeat-end"));
    }

    #[test]
    fn attendance_minutes_are_bounded_by_the_meeting() {
        let line = |present, minutes: &str| RawAttendance {
            person_id: "p".into(),
            present,
            minutes: minutes.into(),
            role: String::new(),
        };
        assert_eq!(Attendance::parse(&line(true, ""), 120, "m").unwrap().minutes, 120);
        assert_eq!(Attendance::parse(&line(false, "60"), 120, "m").unwrap().minutes, 0);
        assert_eq!(
            Attendance::parse(&line(true, "121"), 120, "minutes[0]"),
            Err(FieldError::new("minutes[0]", "error-minutes-invalid"))
        );
        assert_eq!(
            Attendance::parse(&line(true, "-1"), 120, "minutes[0]"),
            Err(FieldError::new("minutes[0]", "error-minutes-invalid"))
        );
    }

    #[test]
    fn the_register_hash_ignores_order_and_sees_every_change() {
        let line = |id: &str, minutes| RegisterLine {
            person_id: id.into(),
            present: true,
            minutes,
            role: "partecipante".into(),
            walk_in: false,
        };
        let a = register_hash("m", "s", "e", &[line("a", 60), line("b", 30)]);
        assert_eq!(a, register_hash("m", "s", "e", &[line("b", 30), line("a", 60)]));
        assert_ne!(a, register_hash("m", "s", "e", &[line("a", 60), line("b", 31)]));
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn attachments_are_checked_by_name_content_and_size() {
        assert_eq!(attachment_type("verbale.pdf", b"%PDF-1.7 ...", 100), Ok("application/pdf"));
        assert_eq!(attachment_type("note.TXT", "caffè".as_bytes(), 6), Ok("text/plain; charset=utf-8"));
        let refused = |name: &str, head: &[u8], size| attachment_type(name, head, size).unwrap_err().code;
        assert_eq!(refused("virus.exe", b"MZ", 2), "error-attachment-type");
        assert_eq!(refused("finto.pdf", b"MZ\x90\x00", 4), "error-attachment-type");
        assert_eq!(refused("grande.pdf", b"%PDF-", MAX_ATTACHMENT_BYTES + 1), "error-attachment-too-large");
        assert_eq!(clean_file_name("../../etc/\"passwd\"\n"), "passwd");
    }

    #[test]
    fn an_action_needs_an_owner_and_a_readable_date() {
        let raw = RawAction {
            kind: "action".into(),
            description: "Inviare il verbale".into(),
            due_on: "31/02/2026".into(),
            ..RawAction::default()
        };
        let errors = ActionDraft::parse(&raw).unwrap_err();
        assert_eq!(errors.for_field("owner"), Some("error-required"));
        assert_eq!(errors.for_field("due_on"), Some("error-date-invalid"));
    }

    proptest! {
        /// Every wall-clock time of the year is either refused (the spring gap only) or read back
        /// as itself.
        #[test]
        fn local_times_round_trip(day in 0i64..365, minute in 0i64..1440) {
            let naive = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap()
                + Duration::days(day) + Duration::minutes(minute);
            match resolve_local("s", naive) {
                Ok(instant) => prop_assert_eq!(to_local(instant).naive_local(), naive),
                Err(_) => prop_assert!(naive.date() == NaiveDate::from_ymd_opt(2026, 3, 29).unwrap() && naive.format("%H").to_string() == "02"),
            }
        }
    }

    #[test]
    fn the_date_in_rome_turns_before_utc_does() {
        let late_summer_evening = Utc.with_ymd_and_hms(2027, 6, 30, 22, 30, 0).unwrap();
        assert_eq!(date_in_rome(late_summer_evening), time::macros::date!(2027 - 07 - 01));
        let winter_evening = Utc.with_ymd_and_hms(2027, 1, 31, 22, 30, 0).unwrap();
        assert_eq!(date_in_rome(winter_evening), time::macros::date!(2027 - 01 - 31));
    }
}
