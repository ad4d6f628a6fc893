//! Who reaches a network's sustainability plan (decision 0044), as an extractor shared by the
//! pages and the API, and what checking the plan's items needs from the store.
//!
//! The plan is the network's own, like its matrix: whoever sees the network's private data (its
//! members) reads it; its lead (referente), its facilitators and the coordination change it;
//! anyone else is refused.

use crate::AppState;
use crate::accompaniment::{facilitates, today};
use crate::context::NetworkAccess;
use crate::error::AppError;
use crate::extract::{CurrentUser, NetworkAt, Private};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use reti_domain::FieldErrors;
use reti_domain::Locale;
use reti_domain::input::sustainability::{
    CommitmentContext, CommitmentInput, CommitmentRaw, GrowthContext, GrowthInput, GrowthRaw, ReviewContext,
    ReviewInput, ReviewRaw, RiskInput, RiskRaw, SourceInput, SourceRaw,
};
use reti_store::reading::Round;
use reti_store::registry::networks::Network;
use reti_store::sustainability::{Plan, PlanItem};

/// The network of the route's `{id}` with its plan, when the caller may read it; `editable` says
/// whether they may also change it. 404 for an unknown network, 403 for anyone else.
pub struct PlanAt {
    pub network: Network,
    pub user: CurrentUser,
    pub editable: bool,
}

impl PlanAt {
    /// 403 unless the caller may change the plan.
    pub fn editor(self) -> Result<PlanAt, AppError> {
        if self.editable { Ok(self) } else { Err(AppError::Forbidden) }
    }
}

impl FromRequestParts<AppState> for PlanAt {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let NetworkAt { network, user, access, .. } = NetworkAt::<Private>::from_request_parts(parts, state).await?;
        let editable = access == NetworkAccess::Manage || facilitates(&user, &network.id);
        Ok(PlanAt { network, user, editable })
    }
}

/// The ids of the network's current member organisations: who may commit.
pub fn members(network: &Network) -> Vec<&str> {
    network.current_members().map(|m| m.organisation_id.as_str()).collect()
}

/// The network's computed growth spaces, as (organisation id, name), best first.
pub async fn growth_spaces(
    state: &AppState,
    network: &Network,
    locale: Locale,
) -> Result<Vec<(String, String)>, AppError> {
    let territory = state.db.map_territory(&network.id).await?;
    let spaces = state.db.map_growth_spaces(&network.id, &network.programme_id, &territory, locale).await?;
    Ok(spaces.into_iter().map(|s| (s.organisation_id, s.name)).collect())
}

/// Checks an item of the plan. `spaces` are the network's computed growth spaces.
pub fn parse_item(network: &Network, spaces: &[(String, String)], item: ItemRaw) -> Result<PlanItem, FieldErrors> {
    match item {
        ItemRaw::Source(raw) => SourceInput::parse(&raw).map(PlanItem::Source),
        ItemRaw::Commitment(raw) => {
            let members = members(network);
            CommitmentInput::parse(&raw, &CommitmentContext { members: &members }).map(PlanItem::Commitment)
        }
        ItemRaw::Risk(raw) => RiskInput::parse(&raw).map(PlanItem::Risk),
        ItemRaw::Growth(raw) => {
            let spaces: Vec<(&str, &str)> = spaces.iter().map(|(id, name)| (id.as_str(), name.as_str())).collect();
            GrowthInput::parse(&raw, &GrowthContext { spaces: &spaces }).map(PlanItem::Growth)
        }
    }
}

/// An item as typed, of one of the plan's lists.
pub enum ItemRaw {
    Source(SourceRaw),
    Commitment(CommitmentRaw),
    Risk(RiskRaw),
    Growth(GrowthRaw),
}

/// Checks a review against the programme's rounds and the plan's reviews.
pub fn parse_review(plan: &Plan, rounds: &[Round], raw: &ReviewRaw) -> Result<ReviewInput, FieldErrors> {
    let rounds: Vec<(&str, time::Date)> = rounds.iter().map(|r| (r.id.as_str(), r.opens_on)).collect();
    let reviewed: Vec<&str> = plan.reviews.iter().map(|r| r.round_id.as_str()).collect();
    ReviewInput::parse(raw, &ReviewContext { rounds: &rounds, reviewed: &reviewed, today: today() })
}
