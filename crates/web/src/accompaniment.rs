//! Who reaches a network's accompaniment diary and matrix (decision 0021), as extractors shared by
//! the pages and the API, and the Markdown of the diary's notes.
//!
//! The diary is the facilitators' working notes: the network's facilitators and the coordination
//! of its programme read and write it; the network's lead and members do not see it. The matrix is
//! the network's own: whoever sees its private data reads it; its lead, its facilitators and the
//! coordination change it.

use crate::AppState;
use crate::context::{Identity, NetworkAccess};
use crate::error::AppError;
use crate::extract::{CurrentUser, NetworkAt, Private, Public};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use reti_domain::Role;
use reti_store::registry::networks::Network;

/// Whether `identity` accompanies `network_id` as a facilitator.
pub fn facilitates(identity: &Identity, network_id: &str) -> bool {
    identity.networks.iter().any(|n| n.network_id == network_id && n.role == Role::Facilitator)
}

/// The network of the route's `{id}`, when the caller may read and write its diary: 404 for an
/// unknown network, 403 for anyone else.
pub struct DiaryAt {
    pub network: Network,
    pub user: CurrentUser,
}

impl DiaryAt {
    /// Whether the caller may change `author_user_id`'s entry: its author, or the coordination.
    pub fn may_edit(&self, author_user_id: &str) -> bool {
        self.user.identity.user.id == author_user_id || self.user.coordinates(&self.network.programme_id)
    }
}

impl FromRequestParts<AppState> for DiaryAt {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let NetworkAt { network, user, .. } = NetworkAt::<Public>::from_request_parts(parts, state).await?;
        if user.coordinates(&network.programme_id) || facilitates(&user, &network.id) {
            Ok(DiaryAt { network, user })
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The network of the route's `{id}` with its matrix, when the caller may read it (its private
/// data); `editable` says whether they may also change it.
pub struct MatrixAt {
    pub network: Network,
    pub user: CurrentUser,
    pub editable: bool,
}

impl MatrixAt {
    /// 403 unless the caller may change the matrix.
    pub fn editor(self) -> Result<MatrixAt, AppError> {
        if self.editable { Ok(self) } else { Err(AppError::Forbidden) }
    }
}

impl FromRequestParts<AppState> for MatrixAt {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let NetworkAt { network, user, access, .. } = NetworkAt::<Private>::from_request_parts(parts, state).await?;
        let editable = access == NetworkAccess::Manage || facilitates(&user, &network.id);
        Ok(MatrixAt { network, user, editable })
    }
}

/// Today, for checking that a diary entry is not in the future. Italy is one or two hours ahead of
/// UTC: two hours ahead means that an entry written just after midnight in Rome is accepted.
pub fn today() -> time::Date {
    (time::OffsetDateTime::now_utc() + time::Duration::hours(2)).date()
}
