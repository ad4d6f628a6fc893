//! The calendar writer (`reti_domain::calendar`) on whatever people type in a meeting (title,
//! place, link, agenda) and in a name: the file is CRLF lines of at most 75 octets (RFC 5545
//! §3.1), no typed text starts a line of its own, and each text property unescapes to what was
//! typed (line ends made LF, other control characters dropped).
//!
//! Input: a byte of flags (bit 0 cancelled, bit 1 withdrawn, bits 2–3 one to four meetings),
//! then the fields separated by NUL: title, place, link, agenda, organizer name, attendee name.

#![no_main]

use chrono::{Duration, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use reti_domain::calendar::{MeetingEvent, Parties, calendar, feed, message, text};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Ok(rest) = std::str::from_utf8(rest) else { return };
    let mut fields = rest.split('\0');
    let mut next = || fields.next().unwrap_or("");
    let (title, place, link, agenda, organizer, attendee) = (next(), next(), next(), next(), next(), next());
    let count = usize::from((flags >> 2) & 3) + 1;
    let starts_at = Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap();
    let meetings: Vec<MeetingEvent<'_>> = (0..count)
        .map(|i| MeetingEvent {
            uid: format!("0199a1b2-c3d4-7e5f-8a9b-{i:012}@reti"),
            sequence: i64::from(flags),
            title,
            starts_at: starts_at + Duration::days(7 * i as i64),
            ends_at: starts_at + Duration::days(7 * i as i64) + Duration::hours(2),
            place,
            link,
            agenda,
            cancelled: flags & 1 == 1,
            updated_at: "2026-10-01T08:00:00Z",
            url: format!("https://reti.example/meetings/{i}"),
        })
        .collect();
    let parties = Parties {
        organizer_name: organizer,
        organizer_email: "noreply@reti.example",
        attendee_name: attendee,
        attendee_email: "anna.rossi@example.org",
    };
    let location = match (place.is_empty(), link.is_empty()) {
        (false, true) => place.to_owned(),
        (true, false) => link.to_owned(),
        (false, false) => format!("{place} — {link}"),
        (true, true) => String::new(),
    };
    let description = if link.is_empty() { agenda.to_owned() } else { format!("{link}\n\n{agenda}").trim().to_owned() };
    let (_, mail) = message(&meetings, flags & 2 == 2, &parties);
    for file in [calendar(&meetings), feed(&meetings), mail] {
        let lines = content_lines(&file);
        assert_eq!(lines.iter().filter(|l| l.starts_with("BEGIN:VEVENT")).count(), count, "{file}");
        let values = |key: &str| -> Vec<String> {
            lines.iter().filter_map(|l| l.strip_prefix(key)).map(|v| unescape(v, &file)).collect()
        };
        for summary in values("SUMMARY:") {
            assert_eq!(summary, text(title), "{file}");
        }
        for found in values("LOCATION:") {
            assert_eq!(found, text(&location), "{file}");
        }
        for found in values("DESCRIPTION:") {
            assert_eq!(found, text(&description), "{file}");
        }
        for line in &lines {
            let key = line.split([':', ';']).next().unwrap_or("");
            assert!(
                !key.is_empty() && key.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'),
                "a property name: {line:?} in {file}"
            );
            if let Some(parameters) = line.strip_prefix("ORGANIZER;").or_else(|| line.strip_prefix("ATTENDEE;")) {
                check_parameters(parameters, &file);
            }
        }
    }
});

/// The content lines, unfolded; every physical line ends in CRLF, has no other CR or LF and is
/// at most 75 octets.
fn content_lines(file: &str) -> Vec<String> {
    let body = file.strip_suffix("\r\n").unwrap_or_else(|| panic!("ends in CRLF: {file:?}"));
    let mut lines: Vec<String> = Vec::new();
    for physical in body.split("\r\n") {
        assert!(!physical.contains(['\r', '\n']), "a bare line end in {physical:?}");
        assert!(physical.len() <= 75, "{} octets: {physical:?}", physical.len());
        match physical.strip_prefix(' ') {
            Some(rest) => lines.last_mut().expect("a folded first line").push_str(rest),
            None => lines.push(physical.to_owned()),
        }
    }
    lines
}

/// A TEXT value read back (RFC 5545 §3.3.11): `\\`, `\;`, `\,`, `\n` are the only escapes, and
/// `;` and `,` never appear unescaped.
fn unescape(value: &str, file: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\') => out.push('\\'),
                Some(';') => out.push(';'),
                Some(',') => out.push(','),
                Some('n') | Some('N') => out.push('\n'),
                other => panic!("bad escape \\{other:?} in {value:?}: {file}"),
            },
            ';' | ',' => panic!("unescaped {c:?} in {value:?}: {file}"),
            c if c.is_control() && c != '\t' => panic!("control {c:?} in {value:?}: {file}"),
            c => out.push(c),
        }
    }
    out
}

/// Parameters up to the value: each `NAME=value` with a value quoted when it holds `:`, `;` or
/// `,`, and no double quote inside a quoted one.
fn check_parameters(parameters: &str, file: &str) {
    let mut rest = parameters;
    loop {
        let (name, after) = rest.split_once('=').unwrap_or_else(|| panic!("a parameter in {parameters:?}: {file}"));
        assert!(name.bytes().all(|b| b.is_ascii_uppercase() || b == b'-'), "{name:?} in {parameters:?}");
        let after_value = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or_else(|| panic!("an unclosed quote in {parameters:?}: {file}"));
            &quoted[end + 1..]
        } else {
            let end = after.find([';', ':']).unwrap_or_else(|| panic!("no value after {parameters:?}: {file}"));
            assert!(!after[..end].contains([',', '"']), "{parameters:?}: {file}");
            &after[end..]
        };
        match after_value.chars().next() {
            Some(';') => rest = &after_value[1..],
            Some(':') => return,
            other => panic!("{other:?} after a parameter in {parameters:?}: {file}"),
        }
    }
}
