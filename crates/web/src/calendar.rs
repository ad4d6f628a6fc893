//! iCalendar files of stored meetings: each meeting read as its event, written by
//! `reti_domain::calendar`.

use reti_domain::calendar::{self as ics, MeetingEvent};
use reti_store::meetings::Meeting;

pub use reti_domain::calendar::Parties;

pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// The UID of a meeting: the same in every file and e-mail, so that clients update one event.
fn uid(meeting: &Meeting) -> String {
    format!("{}@reti", meeting.id)
}

fn events<'a>(meetings: &'a [Meeting], page_url: impl Fn(&Meeting) -> String) -> Vec<MeetingEvent<'a>> {
    meetings
        .iter()
        .map(|meeting| MeetingEvent {
            uid: uid(meeting),
            sequence: meeting.sequence,
            title: &meeting.title,
            starts_at: meeting.starts_at,
            ends_at: meeting.ends_at,
            place: &meeting.place,
            link: &meeting.link,
            agenda: &meeting.agenda,
            cancelled: meeting.cancelled,
            updated_at: &meeting.updated_at,
            url: page_url(meeting),
        })
        .collect()
}

/// A calendar file with `meetings`; `page_url` gives each one's page.
pub fn calendar(meetings: &[Meeting], page_url: impl Fn(&Meeting) -> String) -> String {
    ics::calendar(&events(meetings, page_url))
}

/// The calendar file an e-mail carries: see [`ics::message`].
pub fn message(
    meetings: &[Meeting],
    page_url: impl Fn(&Meeting) -> String,
    withdrawn: bool,
    parties: &Parties<'_>,
) -> (&'static str, String) {
    ics::message(&events(meetings, page_url), withdrawn, parties)
}

/// A subscribed calendar: see [`ics::feed`].
pub fn feed(meetings: &[Meeting], page_url: impl Fn(&Meeting) -> String) -> String {
    ics::feed(&events(meetings, page_url))
}
