//! Reading tools on the web (decision 0023): who reaches an instrument version, a round, an
//! organisation's answer, and the server-rendered SVG charts of the results.
//!
//! The charts are drawn here, as text, so that they need no JavaScript and no image file: a radar
//! of a network's dimension scores against the programme's median (`role="img"` with a `<title>`
//! and `<desc>`; the page always puts the same numbers in a table), and small box plots of the
//! programme's distribution (decorative, `aria-hidden`, beside the table's numbers).

use crate::AppState;
use crate::error::AppError;
use crate::extract::{CurrentUser, route_id};
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use reti_domain::reading::Spread;
use reti_store::reading::{Answerable, Round, Version};
use serde::Deserialize;
use std::fmt::Write;

/// The instrument version of the route's `{id}`, when the caller coordinates its programme: 404
/// for an unknown version, 403 for anyone else.
pub struct VersionAt {
    pub version: Version,
    pub user: CurrentUser,
}

impl FromRequestParts<AppState> for VersionAt {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let version = state.db.reading_version(&route_id(parts, state).await?).await?.ok_or(AppError::NotFound)?;
        if !user.coordinates(&version.programme_id) {
            return Err(AppError::Forbidden);
        }
        Ok(VersionAt { version, user })
    }
}

/// The round of the route's `{id}`, for the coordination of its programme.
pub struct CoordinatedRound {
    pub round: Round,
    pub user: CurrentUser,
}

impl FromRequestParts<AppState> for CoordinatedRound {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let round = state.db.reading_round(&route_id(parts, state).await?).await?.ok_or(AppError::NotFound)?;
        if !user.coordinates(&round.programme_id) {
            return Err(AppError::Forbidden);
        }
        Ok(CoordinatedRound { round, user })
    }
}

#[derive(Deserialize)]
struct AnswerPath {
    id: String,
    organisation_id: String,
}

/// The round `{id}` and the organisation `{organisation_id}` the caller answers for: someone who
/// works for that organisation (same e-mail as a person with a current affiliation), a member of
/// a network of the round's programme. 404 for an unknown round, 403 for anyone else — the
/// coordination included: an organisation answers for itself.
pub struct AnswerAt {
    pub round: Round,
    pub answerable: Answerable,
    pub user: CurrentUser,
}

impl FromRequestParts<AppState> for AnswerAt {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let Path(AnswerPath { id, organisation_id }) =
            Path::<AnswerPath>::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        let round = state.db.reading_round(&id).await?.ok_or(AppError::NotFound)?;
        let answerable = state
            .db
            .answerable(&user.identity.user.email, &round.programme_id)
            .await?
            .into_iter()
            .find(|a| a.round_id == round.id && a.organisation_id == organisation_id)
            .ok_or(AppError::Forbidden)?;
        Ok(AnswerAt { round, answerable, user })
    }
}

/// Text safe inside SVG markup.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One polygon of the radar.
pub struct Series<'a> {
    pub label: &'a str,
    /// 0..100 per axis; a missing value is drawn at the centre.
    pub values: &'a [Option<f64>],
    /// The CSS class of the shape (its colour and dash pattern in `reti.css`, or inline here).
    pub style: SeriesStyle,
}

#[derive(Clone, Copy)]
pub enum SeriesStyle {
    Solid,
    Dashed,
}

const RADAR_SIZE: f64 = 420.0;
const RADAR_RADIUS: f64 = 140.0;

/// A radar chart of `axes` (their labels numbered "1", "2"... on the chart; the page lists them)
/// with the given series; `title` and `description` are what assistive technology reads.
pub fn radar(id: &str, title: &str, description: &str, axes: usize, series: &[Series<'_>]) -> String {
    let centre = RADAR_SIZE / 2.0;
    let point = |axis: usize, value: f64| {
        let angle = std::f64::consts::TAU * axis as f64 / axes.max(1) as f64 - std::f64::consts::FRAC_PI_2;
        let r = RADAR_RADIUS * value.clamp(0.0, 100.0) / 100.0;
        (centre + r * angle.cos(), centre + r * angle.sin())
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="reti-radar img-fluid" viewBox="0 0 {size} {size}" width="{size}" height="{size}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        size = RADAR_SIZE,
        title = escape(title),
        desc = escape(description),
    );
    for ring in [25.0, 50.0, 75.0, 100.0] {
        let points: Vec<String> = (0..axes).map(|a| point(a, ring)).map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = write!(
            svg,
            r##"<polygon points="{}" fill="none" stroke="#8a8a8a" stroke-width="0.6"/>"##,
            points.join(" ")
        );
    }
    for axis in 0..axes {
        let (x, y) = point(axis, 100.0);
        let (lx, ly) = point(axis, 115.0);
        let _ = write!(
            svg,
            r##"<line x1="{centre}" y1="{centre}" x2="{x:.1}" y2="{y:.1}" stroke="#8a8a8a" stroke-width="0.6"/><text x="{lx:.1}" y="{ly:.1}" font-size="14" text-anchor="middle" dominant-baseline="middle" fill="#1a1a1a">{}</text>"##,
            axis + 1
        );
    }
    for series in series {
        let points: Vec<String> = (0..axes)
            .map(|a| point(a, series.values.get(a).copied().flatten().unwrap_or(0.0)))
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let style = match series.style {
            SeriesStyle::Solid => r##"fill="#0066cc" fill-opacity="0.25" stroke="#0059b3" stroke-width="2.5""##,
            SeriesStyle::Dashed => r##"fill="none" stroke="#995c00" stroke-width="2" stroke-dasharray="6 4""##,
        };
        let _ = write!(
            svg,
            r#"<polygon points="{}" {style}><title>{}</title></polygon>"#,
            points.join(" "),
            escape(series.label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A small horizontal box plot on 0..100 (whiskers at the extremes, box from the lower to the upper
/// quartile, a bar at the median, a dot at `mark` when given). Decorative: the table beside it
/// holds the numbers.
pub fn box_plot(spread: &Spread, mark: Option<f64>) -> String {
    let x = |value: f64| 5.0 + 190.0 * value.clamp(0.0, 100.0) / 100.0;
    let mut svg = String::from(
        r#"<svg viewBox="0 0 200 24" width="200" height="24" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">"#,
    );
    let _ = write!(
        svg,
        r##"<line x1="{:.1}" y1="12" x2="{:.1}" y2="12" stroke="#5c5c5c"/><rect x="{:.1}" y="5" width="{:.1}" height="14" fill="#cce0f5" stroke="#0059b3"/><line x1="{m:.1}" y1="5" x2="{m:.1}" y2="19" stroke="#1a1a1a" stroke-width="2"/>"##,
        x(spread.min),
        x(spread.max),
        x(spread.q1),
        (x(spread.q3) - x(spread.q1)).max(1.0),
        m = x(spread.median),
    );
    if let Some(mark) = mark {
        let _ = write!(svg, r##"<circle cx="{:.1}" cy="12" r="4" fill="#995c00"/>"##, x(mark));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_radar_is_an_image_with_a_title_and_escaped_text() {
        let values = [Some(50.0), None, Some(100.0)];
        let svg = radar(
            "r",
            "Rete <A>",
            "desc & more",
            3,
            &[Series { label: "Rete", values: &values, style: SeriesStyle::Solid }],
        );
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<title id=\"r-title\">Rete &lt;A&gt;</title>"));
        assert!(svg.contains("desc &amp; more"));
        assert_eq!(svg.matches("<polygon").count(), 5, "four rings and one series");
    }
}
