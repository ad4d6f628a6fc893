//! iCalendar (RFC 5545) files of meetings, written with the `icalendar` crate: a stable UID per
//! meeting, DTSTART/DTEND in Europe/Rome with their VTIMEZONE, a SEQUENCE raised on every change,
//! and METHOD:CANCEL with STATUS:CANCELLED once a meeting is cancelled.
//!
//! What people typed (a title, a place, an agenda from a textarea, a name) is made fit for a
//! content line first: the crate escapes `\`, `;`, `,` and LF in text but passes carriage returns
//! and other control characters through, and quotes a parameter without refusing the double quote
//! a quoted parameter cannot hold. Either would let a typed value end its line and start another.

use crate::meetings::{ZONE, to_local};
use chrono::{DateTime, Utc};
use icalendar::{
    Attendee, Calendar, CalendarComponent, Component, Event, EventLike, EventStatus, PartStat, Property, Role,
};
use std::str::FromStr;

/// Europe/Rome as a VTIMEZONE: the EU rule in force since 1996 (last Sunday of March, 02:00 → 03:00;
/// last Sunday of October, 03:00 → 02:00). A test checks it against the IANA data of chrono-tz.
pub const VTIMEZONE_ROME: &str = "BEGIN:VTIMEZONE\r
TZID:Europe/Rome\r
BEGIN:DAYLIGHT\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
TZNAME:CEST\r
DTSTART:19700329T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
TZNAME:CET\r
DTSTART:19701025T030000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
END:VTIMEZONE\r
";

/// One meeting as a calendar event: what of a stored meeting a calendar file shows.
#[derive(Debug, Clone)]
pub struct MeetingEvent<'a> {
    /// The same in every file and e-mail, so that clients update one event.
    pub uid: String,
    pub sequence: i64,
    pub title: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: &'a str,
    pub link: &'a str,
    pub agenda: &'a str,
    pub cancelled: bool,
    /// RFC 3339; the event's DTSTAMP when it reads as such.
    pub updated_at: &'a str,
    /// The meeting's page.
    pub url: String,
}

/// Who an e-mailed calendar file is from and for (RFC 5546): the organizer is the programme's
/// sending address, the attendee the mail's recipient.
pub struct Parties<'a> {
    pub organizer_name: &'a str,
    pub organizer_email: &'a str,
    pub attendee_name: &'a str,
    pub attendee_email: &'a str,
}

/// A calendar file with `meetings`.
pub fn calendar(meetings: &[MeetingEvent<'_>]) -> String {
    let cancel = meetings.len() == 1 && meetings[0].cancelled;
    let mut calendar = empty(if cancel { "CANCEL" } else { "PUBLISH" });
    for meeting in meetings {
        calendar.push(event(meeting));
    }
    written(calendar)
}

/// The calendar file an e-mail carries (RFC 6047), with its ORGANIZER and the recipient as
/// ATTENDEE: METHOD:REQUEST, which calendar clients offer to add or update, or METHOD:CANCEL
/// once the meeting is cancelled or no longer invites the recipient (`withdrawn`). Several
/// meetings (a new series) go as METHOD:PUBLISH, one event each under its own UID, so that a
/// later change or cancellation of one of them, sent alone, replaces it; RFC 5546 §3.2.1 has no
/// ATTENDEE in a PUBLISH. Returns the method too, for the attachment's content type.
pub fn message(meetings: &[MeetingEvent<'_>], withdrawn: bool, parties: &Parties<'_>) -> (&'static str, String) {
    let method = match meetings {
        [meeting] if withdrawn || meeting.cancelled => "CANCEL",
        [_] => "REQUEST",
        _ => "PUBLISH",
    };
    let mut calendar = empty(method);
    for meeting in meetings {
        let mut event = event(meeting);
        let mut organizer = Property::new("ORGANIZER", format!("mailto:{}", parties.organizer_email));
        if !parties.organizer_name.is_empty() {
            organizer.add_parameter("CN", &parameter(parties.organizer_name));
        }
        event.append_property(organizer);
        if method != "PUBLISH" {
            let attendee = Attendee::new(format!("mailto:{}", parties.attendee_email))
                .cn(parameter(parties.attendee_name))
                .role(Role::ReqParticipant)
                .partstat(PartStat::NeedsAction)
                .rsvp(false);
            event.attendee(attendee);
        }
        if method == "CANCEL" {
            event.status(EventStatus::Cancelled);
        }
        calendar.push(event);
    }
    (method, written(calendar))
}

/// A subscribed calendar: always PUBLISH; cancelled meetings stay in it as STATUS:CANCELLED, so
/// clients remove them.
pub fn feed(meetings: &[MeetingEvent<'_>]) -> String {
    let mut calendar = empty("PUBLISH");
    for meeting in meetings {
        calendar.push(event(meeting));
    }
    written(calendar)
}

/// The file, its lines folded again at 75 octets on character boundaries (RFC 5545 §3.1): the
/// crate's own folding leaves continuation lines of 76 octets in non-ASCII text (found by the
/// fuzz target `ics`). Typed text holds no CR any more (see [`text`]), so every CRLF followed by a
/// space is a fold.
fn written(mut calendar: Calendar) -> String {
    let file = calendar.done().to_string().replace("\r\n ", "");
    let mut out = String::with_capacity(file.len() + file.len() / 32);
    for line in file.split_terminator("\r\n") {
        let (mut rest, mut limit) = (line, 75);
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            // A continuation line starts with the space.
            limit = 74;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

fn empty(method: &str) -> Calendar {
    let mut calendar = Calendar::new();
    calendar.properties.retain(|p| p.key() != "PRODID");
    calendar.append_property(Property::new("PRODID", "-//Reti//Incontri//IT"));
    calendar.append_property(Property::new("METHOD", method));
    calendar.push(CalendarComponent::from_str(VTIMEZONE_ROME).expect("a valid VTIMEZONE"));
    calendar
}

fn event(meeting: &MeetingEvent<'_>) -> Event {
    let mut event = Event::new();
    event
        .uid(&meeting.uid)
        .sequence(u32::try_from(meeting.sequence).unwrap_or(0))
        .summary(&text(meeting.title))
        .starts((to_local(meeting.starts_at).naive_local(), ZONE))
        .ends((to_local(meeting.ends_at).naive_local(), ZONE))
        .url(&meeting.url)
        .status(if meeting.cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed });
    if let Ok(stamp) = DateTime::parse_from_rfc3339(meeting.updated_at) {
        event.timestamp(stamp.with_timezone(&Utc));
    }
    let location = match (meeting.place.is_empty(), meeting.link.is_empty()) {
        (false, true) => meeting.place.to_owned(),
        (true, false) => meeting.link.to_owned(),
        (false, false) => format!("{} — {}", meeting.place, meeting.link),
        (true, true) => String::new(),
    };
    if !location.is_empty() {
        event.location(&text(&location));
    }
    let mut description = meeting.agenda.to_owned();
    if !meeting.link.is_empty() {
        description = format!("{}\n\n{}", meeting.link, description).trim().to_owned();
    }
    if !description.is_empty() {
        event.description(&text(&description));
    }
    event.done()
}

/// `value` as TEXT the crate can escape (RFC 5545 §3.3.11): line ends (CRLF, as a browser sends a
/// textarea's, or a lone CR) become LF, which the crate writes as `\n`; other control characters
/// but the tab, which TEXT cannot hold, are dropped.
pub fn text(value: &str) -> String {
    value
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

/// `value` as a parameter value (RFC 5545 §3.1, QSAFE-CHAR): no control characters (a line end
/// becomes a space) and no double quote, which nothing can escape there.
pub fn parameter(value: &str) -> String {
    value.chars().filter(|&c| c != '"').map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Duration, NaiveDate, Offset, TimeZone, Weekday};

    fn last_sunday(year: i32, month: u32) -> NaiveDate {
        let mut day = NaiveDate::from_ymd_opt(year, month + 1, 1).unwrap() - Duration::days(1);
        while day.weekday() != Weekday::Sun {
            day -= Duration::days(1);
        }
        day
    }

    /// The VTIMEZONE's rule gives the same changes as the IANA database, year after year.
    #[test]
    fn the_vtimezone_agrees_with_the_tz_database() {
        for year in 2000..2040 {
            for (month, before, after) in [(3, 3600, 7200), (10, 7200, 3600)] {
                let day = last_sunday(year, month);
                // 01:00 UTC is the moment of both changes in the EU.
                let change = chrono::Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0).unwrap());
                let offset = |at: chrono::DateTime<chrono::Utc>| {
                    ZONE.offset_from_utc_datetime(&at.naive_utc()).fix().local_minus_utc()
                };
                assert_eq!(offset(change - Duration::seconds(1)), before, "{year}-{month}");
                assert_eq!(offset(change), after, "{year}-{month}");
            }
        }
    }

    fn meeting<'a>(title: &'a str, place: &'a str, agenda: &'a str) -> MeetingEvent<'a> {
        let starts_at = Utc.with_ymd_and_hms(2026, 3, 10, 16, 0, 0).unwrap();
        MeetingEvent {
            uid: "m1@reti".into(),
            sequence: 0,
            title,
            starts_at,
            ends_at: starts_at + Duration::hours(2),
            place,
            link: "",
            agenda,
            cancelled: false,
            updated_at: "2026-03-01T10:00:00Z",
            url: "https://reti.example/meetings/m1".into(),
        }
    }

    /// The content lines of a file, unfolded; fails unless every line ends in CRLF, holds no
    /// other CR or LF and is at most 75 octets.
    fn lines(ics: &str) -> Vec<String> {
        let body = ics.strip_suffix("\r\n").expect("ends with CRLF");
        let mut lines: Vec<String> = Vec::new();
        for physical in body.split("\r\n") {
            assert!(!physical.contains(['\r', '\n']), "a bare line end in {physical:?}");
            assert!(physical.len() <= 75, "{} octets: {physical:?}", physical.len());
            match physical.strip_prefix(' ') {
                Some(rest) => lines.last_mut().expect("a first line").push_str(rest),
                None => lines.push(physical.to_owned()),
            }
        }
        lines
    }

    /// A browser sends a textarea's line ends as CRLF; the crate escaped the LF and wrote the CR
    /// as it was, so every multi-line agenda gave a bare CR in DESCRIPTION, and a typed CR could
    /// end the line and start a property of its own (the invariant of the fuzz target `ics`).
    #[test]
    fn typed_line_ends_stay_inside_their_property() {
        let ics = calendar(&[meeting("Tavolo\rX-INJECTED:1", "Sala 1\r\nPiano 2", "Punto 1\r\nPunto 2\rPunto 3\u{7}")]);
        let lines = lines(&ics);
        assert!(lines.iter().all(|l| !l.starts_with("X-INJECTED")), "{ics}");
        assert!(lines.contains(&"SUMMARY:Tavolo\\nX-INJECTED:1".to_owned()), "{ics}");
        assert!(lines.contains(&"LOCATION:Sala 1\\nPiano 2".to_owned()), "{ics}");
        assert!(lines.contains(&"DESCRIPTION:Punto 1\\nPunto 2\\nPunto 3".to_owned()), "{ics}");
    }

    /// Found by the fuzz target `ics` on its seed `online-series.bin`: the crate folded "è così"
    /// into a continuation line of 76 octets.
    #[test]
    fn lines_of_accented_text_are_folded_within_75_octets() {
        let agenda = format!("Un incontro lungo {}", "con molte parole accentate è così ".repeat(6));
        let ics = feed(&[meeting("Webinar: \"Accoglienza a scuola\" — è così", "Città", &agenda)]);
        let lines = lines(&ics);
        let expected = format!("DESCRIPTION:{agenda}");
        assert!(lines.contains(&expected), "{ics}");
    }

    /// A name is a parameter value: a double quote or a line end in it would end the parameter or
    /// the line.
    #[test]
    fn a_name_cannot_break_its_parameter() {
        let parties = Parties {
            organizer_name: "Regione \"Lombardia\"",
            organizer_email: "noreply@reti.example",
            attendee_name: "Anna\r\nATTENDEE:mailto:evil@example.org",
            attendee_email: "anna@example.org",
        };
        let (method, ics) = message(&[meeting("Tavolo", "", "")], false, &parties);
        assert_eq!(method, "REQUEST");
        let lines = lines(&ics);
        assert!(lines.iter().all(|l| !l.starts_with("ATTENDEE:")), "{ics}");
        assert!(lines.iter().any(|l| l.starts_with("ORGANIZER;CN=Regione Lombardia:mailto:")), "{ics}");
        assert!(lines.iter().any(|l| l.contains("CN=\"Anna  ATTENDEE:mailto:evil@example.org\"")), "{ics}");
    }
}
