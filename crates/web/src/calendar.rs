//! iCalendar (RFC 5545) files of meetings, written with the `icalendar` crate: a stable UID per
//! meeting, DTSTART/DTEND in Europe/Rome with their VTIMEZONE, a SEQUENCE raised on every change,
//! and METHOD:CANCEL with STATUS:CANCELLED once a meeting is cancelled.

use icalendar::{
    Attendee, Calendar, CalendarComponent, Component, Event, EventLike, EventStatus, PartStat, Property, Role,
};
use reti_domain::meetings::{ZONE, to_local};
use reti_store::meetings::Meeting;
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

pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// The UID of a meeting: the same in every file and e-mail, so that clients update one event.
pub fn uid(meeting: &Meeting) -> String {
    format!("{}@reti", meeting.id)
}

/// A calendar file with `meetings`; `page_url` gives each one's page.
pub fn calendar(meetings: &[Meeting], page_url: impl Fn(&Meeting) -> String) -> String {
    let mut calendar = Calendar::new();
    calendar.properties.retain(|p| p.key() != "PRODID");
    calendar.append_property(Property::new("PRODID", "-//Reti//Incontri//IT"));
    let cancel = meetings.len() == 1 && meetings[0].cancelled;
    calendar.append_property(Property::new("METHOD", if cancel { "CANCEL" } else { "PUBLISH" }));
    calendar.push(CalendarComponent::from_str(VTIMEZONE_ROME).expect("a valid VTIMEZONE"));
    for meeting in meetings {
        calendar.push(event(meeting, &page_url(meeting)));
    }
    calendar.done().to_string()
}

/// Who an e-mailed calendar file is from and for (RFC 5546): the organizer is the programme's
/// sending address, the attendee the mail's recipient.
pub struct Parties<'a> {
    pub organizer_name: &'a str,
    pub organizer_email: &'a str,
    pub attendee_name: &'a str,
    pub attendee_email: &'a str,
}

/// The calendar file an e-mail carries (RFC 6047), with its ORGANIZER and the recipient as
/// ATTENDEE: METHOD:REQUEST, which calendar clients offer to add or update, or METHOD:CANCEL
/// once the meeting is cancelled or no longer invites the recipient (`withdrawn`). Several
/// meetings (a new series) go as METHOD:PUBLISH, one event each under its own UID, so that a
/// later change or cancellation of one of them, sent alone, replaces it; RFC 5546 §3.2.1 has no
/// ATTENDEE in a PUBLISH. Returns the method too, for the attachment's content type.
pub fn message(
    meetings: &[Meeting],
    page_url: impl Fn(&Meeting) -> String,
    withdrawn: bool,
    parties: &Parties<'_>,
) -> (&'static str, String) {
    let method = match meetings {
        [meeting] if withdrawn || meeting.cancelled => "CANCEL",
        [_] => "REQUEST",
        _ => "PUBLISH",
    };
    let mut calendar = Calendar::new();
    calendar.properties.retain(|p| p.key() != "PRODID");
    calendar.append_property(Property::new("PRODID", "-//Reti//Incontri//IT"));
    calendar.append_property(Property::new("METHOD", method));
    calendar.push(CalendarComponent::from_str(VTIMEZONE_ROME).expect("a valid VTIMEZONE"));
    for meeting in meetings {
        let mut event = event(meeting, &page_url(meeting));
        let mut organizer = Property::new("ORGANIZER", format!("mailto:{}", parties.organizer_email));
        if !parties.organizer_name.is_empty() {
            organizer.add_parameter("CN", parties.organizer_name);
        }
        event.append_property(organizer);
        if method != "PUBLISH" {
            let attendee = Attendee::new(format!("mailto:{}", parties.attendee_email))
                .cn(parties.attendee_name.to_owned())
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
    (method, calendar.done().to_string())
}

/// A subscribed calendar: always PUBLISH; cancelled meetings stay in it as STATUS:CANCELLED, so
/// clients remove them.
pub fn feed(meetings: &[Meeting], page_url: impl Fn(&Meeting) -> String) -> String {
    let mut calendar = Calendar::new();
    calendar.properties.retain(|p| p.key() != "PRODID");
    calendar.append_property(Property::new("PRODID", "-//Reti//Incontri//IT"));
    calendar.append_property(Property::new("METHOD", "PUBLISH"));
    calendar.push(CalendarComponent::from_str(VTIMEZONE_ROME).expect("a valid VTIMEZONE"));
    for meeting in meetings {
        calendar.push(event(meeting, &page_url(meeting)));
    }
    calendar.done().to_string()
}

fn event(meeting: &Meeting, page_url: &str) -> Event {
    let mut event = Event::new();
    event
        .uid(&uid(meeting))
        .sequence(u32::try_from(meeting.sequence).unwrap_or(0))
        .summary(&meeting.title)
        .starts((to_local(meeting.starts_at).naive_local(), ZONE))
        .ends((to_local(meeting.ends_at).naive_local(), ZONE))
        .url(page_url)
        .status(if meeting.cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed });
    if let Ok(stamp) = chrono::DateTime::parse_from_rfc3339(&meeting.updated_at) {
        event.timestamp(stamp.with_timezone(&chrono::Utc));
    }
    let location = match (meeting.place.is_empty(), meeting.link.is_empty()) {
        (false, true) => meeting.place.clone(),
        (true, false) => meeting.link.clone(),
        (false, false) => format!("{} — {}", meeting.place, meeting.link),
        (true, true) => String::new(),
    };
    if !location.is_empty() {
        event.location(&location);
    }
    let mut description = meeting.agenda.clone();
    if !meeting.link.is_empty() {
        description = format!("{}\n\n{}", meeting.link, description).trim().to_owned();
    }
    if !description.is_empty() {
        event.description(&description);
    }
    event.done()
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
}
