//! What the cross-network ties of a programme are computed from (decision 0031): its current
//! networks, every membership of theirs with its dates, and the ways its meetings reached other
//! networks (invited networks and organisations, organisations of the people present). Three
//! statements whatever the size; the graph itself is `reti_domain::ties`.

use crate::sql::{date_from_db, date_to_db};
use crate::{Db, Result, StoreError};
use chrono::{DateTime, Utc};
use reti_domain::meetings::date_in_rome;
use reti_domain::ties::{MembershipSpan, Participation, TieData, TieNetwork, Via};
use sqlx::Row;
use time::{Date, Duration};

impl Db {
    /// The programme's tie data, with the meetings held from `meetings_from` to `meetings_to`
    /// (days in Italy, both included).
    pub async fn ties_data(&self, programme_id: &str, meetings_from: Date, meetings_to: Date) -> Result<TieData> {
        let networks = sqlx::query("SELECT id, name FROM networks WHERE programme_id = $1 AND archived_at IS NULL")
            .bind(programme_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| Ok(TieNetwork { id: row.try_get("id")?, name: row.try_get("name")? }))
            .collect::<Result<Vec<_>>>()?;
        let memberships = sqlx::query(
            "SELECT m.network_id, m.organisation_id, o.name, m.joined_on, m.left_on FROM memberships m
             JOIN networks n ON n.id = m.network_id JOIN organisations o ON o.id = m.organisation_id
             WHERE n.programme_id = $1 AND n.archived_at IS NULL",
        )
        .bind(programme_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(MembershipSpan {
                network_id: row.try_get("network_id")?,
                organisation_id: row.try_get("organisation_id")?,
                organisation_name: row.try_get("name")?,
                joined_on: date_from_db(row.try_get("joined_on")?)?,
                left_on: date_from_db(row.try_get("left_on")?)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        // A day either side in UTC covers the days in Italy; the domain keeps the exact ones.
        let from = format!("{}T00:00:00Z", date_to_db(meetings_from - Duration::days(1)));
        let to = format!("{}T23:59:59Z", date_to_db(meetings_to + Duration::days(1)));
        let rows = sqlx::query(
            "SELECT mt.id, mt.title, mt.network_id, mt.starts_at, i.kind AS via, i.target_id
             FROM meetings mt JOIN networks n ON n.id = mt.network_id
             JOIN meeting_invitees i ON i.meeting_id = mt.id
             WHERE n.programme_id = $1 AND mt.cancelled_at IS NULL AND mt.starts_at >= $2 AND mt.starts_at <= $3
               AND i.kind IN ('network', 'organisation') AND NOT (i.kind = 'network' AND i.target_id = mt.network_id)
             UNION ALL
             SELECT DISTINCT mt.id, mt.title, mt.network_id, mt.starts_at, 'attendee' AS via, af.organisation_id AS target_id
             FROM meetings mt JOIN networks n ON n.id = mt.network_id
             JOIN meeting_attendance a ON a.meeting_id = mt.id AND a.present = 1
             JOIN affiliations af ON af.person_id = a.person_id AND (af.ended_at IS NULL OR af.ended_at > mt.starts_at)
             WHERE n.programme_id = $1 AND mt.cancelled_at IS NULL AND mt.starts_at >= $2 AND mt.starts_at <= $3",
        )
        .bind(programme_id)
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        let participations = rows
            .iter()
            .map(|row| {
                let starts_at: String = row.try_get("starts_at")?;
                let instant = DateTime::parse_from_rfc3339(&starts_at)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| StoreError::Corrupt(format!("instant {starts_at:?}")))?;
                let via: String = row.try_get("via")?;
                Ok(Participation {
                    meeting_id: row.try_get("id")?,
                    meeting_title: row.try_get("title")?,
                    meeting_network_id: row.try_get("network_id")?,
                    on: date_in_rome(instant),
                    via: match via.as_str() {
                        "network" => Via::Network,
                        "organisation" => Via::Organisation,
                        _ => Via::Attendee,
                    },
                    target_id: row.try_get("target_id")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TieData { networks, memberships, participations })
    }
}
