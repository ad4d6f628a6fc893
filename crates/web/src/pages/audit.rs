//! The audit log, filterable by person, kind of record, action and date. A coordinator sees the
//! entries of the programmes they coordinate; the administrator sees all.

use super::render;
use crate::AppState;
use crate::error::AppResult;
use crate::extract::CurrentUser;
use crate::page::PageContext;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use reti_store::Timestamp;
use reti_store::audit::Filter;
use serde::Deserialize;
use time::macros::format_description;
use time::{Date, Duration, OffsetDateTime, Time};

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AuditQuery {
    actor: String,
    entity: String,
    action: String,
    since: String,
    until: String,
    page: Option<i64>,
}

pub struct EntryView {
    when: String,
    actor: String,
    action: String,
    entity: String,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: PageContext,
    entries: Vec<EntryView>,
    total: i64,
    /// More entries match than were counted (`total` is the limit of the count).
    more: bool,
    entities: Vec<String>,
    actions: Vec<String>,
    filter_actor: String,
    filter_entity: String,
    filter_action: String,
    filter_since: String,
    filter_until: String,
    previous_href: Option<String>,
    next_href: Option<String>,
}

fn parse_day(text: &str) -> Option<Date> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]")).ok()
}

/// Shown in Italy's time: the offset of Europe/Rome on that date (CET, or CEST between the last
/// Sundays of March and October at 01:00 UTC).
pub fn rome_time(at: OffsetDateTime) -> String {
    fn last_sunday(year: i32, month: time::Month) -> OffsetDateTime {
        let mut day = Date::from_calendar_date(year, month, month.length(year)).expect("valid date");
        while day.weekday() != time::Weekday::Sunday {
            day = day.previous_day().expect("valid date");
        }
        day.with_time(Time::from_hms(1, 0, 0).expect("valid time")).assume_utc()
    }
    let summer = at >= last_sunday(at.year(), time::Month::March) && at < last_sunday(at.year(), time::Month::October);
    let offset = if summer { Duration::hours(2) } else { Duration::hours(1) };
    let local = at + offset;
    local.format(format_description!("[day]/[month]/[year] [hour]:[minute]:[second]")).unwrap_or_default()
}

pub async fn list(
    State(state): State<AppState>,
    identity: CurrentUser,
    page: PageContext,
    Query(query): Query<AuditQuery>,
) -> AppResult<Response> {
    let filter = Filter {
        programmes: if identity.user.is_admin { None } else { Some(identity.coordinated_programmes()) },
        actor: Some(query.actor.clone()),
        entity: Some(query.entity.clone()),
        action: Some(query.action.clone()),
        since: parse_day(&query.since).map(|d| Timestamp(d.midnight().assume_utc())),
        until: parse_day(&query.until).map(|d| Timestamp(d.midnight().assume_utc() + Duration::days(1))),
    };
    let page_number = query.page.unwrap_or(1).max(1);
    let view = state.db.audit_view(&filter, PER_PAGE, (page_number - 1) * PER_PAGE).await?;
    let (result, entities, actions) = (view.page, view.entities, view.actions);
    let href = |number: i64| {
        let params = [
            ("actor", query.actor.as_str()),
            ("entity", query.entity.as_str()),
            ("action", query.action.as_str()),
            ("since", query.since.as_str()),
            ("until", query.until.as_str()),
        ];
        let mut encoded = serde_urlencoded::to_string(params).unwrap_or_default();
        encoded.push_str(&format!("&page={number}"));
        format!("/audit?{encoded}")
    };
    let entries: Vec<EntryView> = result
        .entries
        .into_iter()
        .map(|e| EntryView {
            when: rome_time(e.at.0),
            actor: e.actor_label,
            action: e.action,
            entity: e.entity,
            before: e.before_json.unwrap_or_default(),
            after: e.after_json.unwrap_or_default(),
        })
        .collect();
    let full = entries.len() as i64 == PER_PAGE;
    render(&AuditPage {
        page,
        entries,
        more: result.more,
        next_href: (full && (result.more || page_number * PER_PAGE < result.total)).then(|| href(page_number + 1)),
        total: result.total,
        entities,
        actions,
        previous_href: (page_number > 1).then(|| href(page_number - 1)),
        filter_actor: query.actor,
        filter_entity: query.entity,
        filter_action: query.action,
        filter_since: query.since,
        filter_until: query.until,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn rome_time_follows_daylight_saving() {
        assert_eq!(rome_time(datetime!(2026-01-15 10:00 UTC)), "15/01/2026 11:00:00");
        assert_eq!(rome_time(datetime!(2026-07-15 10:00 UTC)), "15/07/2026 12:00:00");
        // 2026-03-29 is the last Sunday of March: the clock jumps at 01:00 UTC.
        assert_eq!(rome_time(datetime!(2026-03-29 00:59 UTC)), "29/03/2026 01:59:00");
        assert_eq!(rome_time(datetime!(2026-03-29 01:00 UTC)), "29/03/2026 03:00:00");
    }
}
