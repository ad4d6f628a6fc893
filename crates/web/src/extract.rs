//! Access as extractors: who is asking and what they may reach, checked before a handler runs.
//!
//! The route table (`routes.rs`) is the coarse gate, by role; these extractors are the fine one, by
//! programme and network. A handler that takes [`CurrentUser`], [`Coordination`],
//! [`CoordinatedProgramme`], [`CoordinatedIndicator`], [`CoordinatedNetwork`], [`NetworkAt`], [`ProjectAt`],
//! [`PersonInScope`], [`LabAt`], [`DocumentsIn`] or [`DocumentAt`] cannot forget the check, and
//! every handler answers the same status for the same refusal.

use crate::AppState;
use crate::context::{Identity, NetworkAccess, RequestContext};
use crate::error::AppError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use reti_domain::Role;
use reti_domain::documents::DocumentScope;
use reti_store::Actor;
use reti_store::custom_indicators::CustomIndicator;
use reti_store::documents::Document;
use reti_store::exchanges::ExchangeScope;
use reti_store::labs::Lab;
use reti_store::programmes::ProgrammeDetails;
use reti_store::registry::networks::Network;
use reti_store::registry::people::Person;
use reti_store::registry::projects::LocalProject;
use serde::Deserialize;
use std::marker::PhantomData;
use std::ops::Deref;

/// The logged-in person; 401 when nobody is (the route guard already redirects browsers to the
/// login page, so this is the second line).
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub identity: Identity,
    client_ip: String,
}

impl CurrentUser {
    /// The address the request came from (for rate limits).
    pub fn client_ip(&self) -> &str {
        &self.client_ip
    }

    /// Who the audit log records for changes made in this request.
    pub fn actor(&self) -> Actor {
        Actor::user(&self.identity.user.id, &self.identity.user.email, Some(self.client_ip.clone()))
    }
}

impl Deref for CurrentUser {
    type Target = Identity;

    fn deref(&self) -> &Identity {
        &self.identity
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let context = parts.extensions.get::<RequestContext>().ok_or(AppError::Unauthorized)?;
        let identity = context.identity.clone().ok_or(AppError::Unauthorized)?;
        Ok(CurrentUser { identity, client_ip: context.client_ip.clone() })
    }
}

/// Whoever is logged in, if anybody: for public routes that show more to some.
impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(<CurrentUser as FromRequestParts<S>>::from_request_parts(parts, state).await.ok())
    }
}

/// The regional coordination of some programme, or the administrator: who changes the shared
/// registry. 403 for anyone else.
#[derive(Debug, Clone)]
pub struct Coordination(pub CurrentUser);

impl Deref for Coordination {
    type Target = CurrentUser;

    fn deref(&self) -> &CurrentUser {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Coordination {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.is_coordinator() { Ok(Coordination(user)) } else { Err(AppError::Forbidden) }
    }
}

/// The least access a [`NetworkAt`] extractor demands.
pub trait Level: Send + Sync {
    const NEEDED: NetworkAccess;
}

/// A network's public profile: anyone logged in.
pub struct Public;
/// A network's private data: its members, facilitators and coordination.
pub struct Private;
/// Changing a network: its lead, facilitators and coordination.
pub struct Manage;

impl Level for Public {
    const NEEDED: NetworkAccess = NetworkAccess::Public;
}
impl Level for Private {
    const NEEDED: NetworkAccess = NetworkAccess::Private;
}
impl Level for Manage {
    const NEEDED: NetworkAccess = NetworkAccess::Manage;
}

/// The `{id}` of a route (other parameters, such as an action's id, are the handler's).
#[derive(Deserialize)]
struct RouteId {
    id: String,
}

/// The route's `{id}`; a path that does not parse is a page that does not exist.
pub(crate) async fn route_id(parts: &mut Parts, state: &AppState) -> Result<String, AppError> {
    let Path(RouteId { id }) =
        Path::<RouteId>::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
    Ok(id)
}

/// The network `id` with `user`'s access to it, when that access is at least `L`.
async fn network_at<L: Level>(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<(Network, NetworkAccess), AppError> {
    let network = state.db.network(id).await?.ok_or(AppError::NotFound)?;
    let access = user.network_access(&network.id, &network.programme_id);
    if access < L::NEEDED {
        return Err(AppError::Forbidden);
    }
    Ok((network, access))
}

/// The network named by the route's `{id}`, with the caller's access to it, when that access is at
/// least `L`: 404 for an unknown network, 403 below the level.
pub struct NetworkAt<L: Level> {
    pub network: Network,
    pub access: NetworkAccess,
    pub user: CurrentUser,
    level: PhantomData<L>,
}

impl<L: Level> FromRequestParts<AppState> for NetworkAt<L> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let (network, access) = network_at::<L>(state, &user, &route_id(parts, state).await?).await?;
        Ok(NetworkAt { network, access, user, level: PhantomData })
    }
}

/// The local project named by the route's `{id}`, reached through its network: the caller's access
/// to that network must be at least `L` ([`Private`] to read a project, [`Manage`] to change it).
/// 404 for an unknown project, 403 below the level.
pub struct ProjectAt<L: Level> {
    pub project: LocalProject,
    pub network: Network,
    pub access: NetworkAccess,
    pub user: CurrentUser,
    level: PhantomData<L>,
}

impl<L: Level> FromRequestParts<AppState> for ProjectAt<L> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let project = state.db.project(&route_id(parts, state).await?).await?.ok_or(AppError::NotFound)?;
        let (network, access) = network_at::<L>(state, &user, &project.network_id).await?;
        Ok(ProjectAt { project, network, access, user, level: PhantomData })
    }
}

/// The person named by the route's `{id}`, when the coordination asking reaches them (decision
/// 0010): 403 for anyone but the coordination; 404 for an unknown person and for one out of the
/// caller's scope alike, so that their existence is not told either.
pub struct PersonInScope {
    pub person: Person,
    pub user: Coordination,
}

impl FromRequestParts<AppState> for PersonInScope {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = Coordination::from_request_parts(parts, state).await?;
        let id = route_id(parts, state).await?;
        let person = state.db.person(&id).await?.ok_or(AppError::NotFound)?;
        if !state.db.person_in_scope(&id, &user.scope()).await? {
            return Err(AppError::NotFound);
        }
        Ok(PersonInScope { person, user })
    }
}

/// The programme named by the route's `{id}`, when the caller coordinates it (the administrator
/// coordinates every programme): 404 for an unknown programme, 403 for anyone else.
pub struct CoordinatedProgramme {
    pub programme: ProgrammeDetails,
    pub user: CurrentUser,
}

impl FromRequestParts<AppState> for CoordinatedProgramme {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let programme = state.db.programme_details(&route_id(parts, state).await?).await?.ok_or(AppError::NotFound)?;
        if !user.coordinates(&programme.id) {
            return Err(AppError::Forbidden);
        }
        Ok(CoordinatedProgramme { programme, user })
    }
}

/// The `{code}` of a route.
#[derive(Deserialize)]
struct RouteCode {
    code: String,
}

/// The custom indicator (decision 0046) named by the route's `{code}` in the programme named by its
/// `{id}`, when the caller coordinates that programme: 404 for an unknown programme or indicator,
/// 403 for anyone but its coordination.
pub struct CoordinatedIndicator {
    pub indicator: CustomIndicator,
    pub programme: ProgrammeDetails,
    pub user: CurrentUser,
}

impl FromRequestParts<AppState> for CoordinatedIndicator {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let CoordinatedProgramme { programme, user } = CoordinatedProgramme::from_request_parts(parts, state).await?;
        let Path(RouteCode { code }) =
            Path::<RouteCode>::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        let indicator = state.db.custom_indicator(&programme.id, &code).await?.ok_or(AppError::NotFound)?;
        Ok(CoordinatedIndicator { indicator, programme, user })
    }
}

/// The network named by the route's `{id}`, when the caller coordinates its programme (the
/// administrator coordinates every programme): what archiving a network needs, beyond managing it
/// as its lead does. 404 for an unknown network, 403 for anyone else.
pub struct CoordinatedNetwork {
    pub network: Network,
    pub user: CurrentUser,
}

impl FromRequestParts<AppState> for CoordinatedNetwork {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let NetworkAt { network, user, .. } = NetworkAt::<Manage>::from_request_parts(parts, state).await?;
        if !user.coordinates(&network.programme_id) {
            return Err(AppError::Forbidden);
        }
        Ok(CoordinatedNetwork { network, user })
    }
}

/// How far a person reaches a lab: its programme's people see it, its experts manage its content
/// (description, people, materials, sessions), its programme's coordination manages everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LabAccess {
    See,
    Content,
    Coordinate,
}

impl LabAccess {
    /// `identity`'s access to `lab`; `None` for someone outside its programme.
    pub fn of(identity: &Identity, lab: &Lab) -> Option<LabAccess> {
        if identity.coordinates(&lab.programme_id) {
            Some(LabAccess::Coordinate)
        } else if lab.has_expert(&identity.user.id) {
            Some(LabAccess::Content)
        } else if in_programme(identity, &lab.programme_id) {
            Some(LabAccess::See)
        } else {
            None
        }
    }
}

/// Whether `identity` works in `programme_id`: a role in it, or a network of it.
pub fn in_programme(identity: &Identity, programme_id: &str) -> bool {
    identity.assignments.iter().any(|a| a.programme_id == programme_id)
        || identity.networks.iter().any(|n| n.programme_id == programme_id)
}

/// The least access a [`LabAt`] extractor demands.
pub trait LabLevel: Send + Sync {
    const NEEDED: LabAccess;
}

/// Reading a lab: anyone in its programme.
pub struct SeeLab;
/// Its content: experts and coordination.
pub struct LabContent;
/// Its settings and experts: the coordination.
pub struct CoordinateLab;

impl LabLevel for SeeLab {
    const NEEDED: LabAccess = LabAccess::See;
}
impl LabLevel for LabContent {
    const NEEDED: LabAccess = LabAccess::Content;
}
impl LabLevel for CoordinateLab {
    const NEEDED: LabAccess = LabAccess::Coordinate;
}

/// The lab named by the route's `{id}` with the caller's access, when it reaches `L`: 404 for an
/// unknown lab and for someone outside its programme alike (it does not exist for them), 403 for
/// someone of the programme below the level.
pub struct LabAt<L: LabLevel> {
    pub lab: Lab,
    pub access: LabAccess,
    pub user: CurrentUser,
    level: PhantomData<L>,
}

impl<L: LabLevel> FromRequestParts<AppState> for LabAt<L> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let lab = state.db.lab(&route_id(parts, state).await?).await?.ok_or(AppError::NotFound)?;
        let access = LabAccess::of(&user, &lab).ok_or(AppError::NotFound)?;
        if access < L::NEEDED {
            return Err(AppError::Forbidden);
        }
        Ok(LabAt { lab, access, user, level: PhantomData })
    }
}

/// Whether `identity` facilitates `lab`: a facilitator of its programme, or of a network one of
/// its participants comes from.
pub fn facilitates_lab(identity: &Identity, lab: &Lab) -> bool {
    identity.assignments.iter().any(|a| a.role.0 == Role::Facilitator && a.programme_id == lab.programme_id)
        || identity
            .networks
            .iter()
            .any(|n| n.role == Role::Facilitator && lab.participants.iter().any(|p| p.network_id == n.network_id))
}

/// Whether `identity` reads and writes a lab's threads and documents (decision 0040): its experts
/// with an account, its enrolled participants, its programme's coordination and its facilitators.
/// Everyone else — the rest of the programme included — is kept out.
pub fn reaches_lab_space(identity: &Identity, lab: &Lab) -> bool {
    identity.coordinates(&lab.programme_id)
        || lab.has_expert(&identity.user.id)
        || lab.participant(&identity.user.id).is_some()
        || facilitates_lab(identity, lab)
}

/// The kind of owner a route's `{id}` names, for threads and documents alike.
pub trait OwnerKind: Send + Sync {
    fn exchange_scope(id: String) -> ExchangeScope;
    fn document_scope(id: String) -> DocumentScope;
}

/// `/networks/{id}/threads`, `/networks/{id}/documents`.
pub struct InNetwork;
/// `/labs/{id}/threads`, `/labs/{id}/documents`.
pub struct InLab;

impl OwnerKind for InNetwork {
    fn exchange_scope(id: String) -> ExchangeScope {
        ExchangeScope::Network(id)
    }
    fn document_scope(id: String) -> DocumentScope {
        DocumentScope::Network(id)
    }
}

impl OwnerKind for InLab {
    fn exchange_scope(id: String) -> ExchangeScope {
        ExchangeScope::Lab(id)
    }
    fn document_scope(id: String) -> DocumentScope {
        DocumentScope::Lab(id)
    }
}

/// The name of the owner of `scope` when `user` reads and writes its documents: one rule for both
/// (decisions 0034, 0040). A network's documents are its members', facilitators' and
/// coordination's, as its private data is; a lab's are [`reaches_lab_space`]'s. None for an
/// unknown owner and one out of reach alike.
pub async fn documents_owner(
    state: &AppState,
    user: &CurrentUser,
    scope: &DocumentScope,
) -> Result<Option<String>, AppError> {
    Ok(match scope {
        DocumentScope::Network(id) => state
            .db
            .network(id)
            .await?
            .filter(|n| user.network_access(&n.id, &n.programme_id) >= NetworkAccess::Private)
            .map(|n| n.name),
        DocumentScope::Lab(id) => {
            state.db.lab(id).await?.filter(|lab| reaches_lab_space(user, lab)).map(|lab| lab.title)
        }
    })
}

/// The documents of the network or lab named by the route's `{id}`, when the caller reaches them:
/// 404 otherwise, for an unknown owner and one out of reach alike.
pub struct DocumentsIn<K: OwnerKind> {
    pub scope: DocumentScope,
    /// The owner's name and the path of its documents, for the pages' links.
    pub owner_name: String,
    pub path: String,
    pub user: CurrentUser,
    kind: PhantomData<K>,
}

impl<K: OwnerKind> FromRequestParts<AppState> for DocumentsIn<K> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let scope = K::document_scope(route_id(parts, state).await?);
        let owner_name = documents_owner(state, &user, &scope).await?.ok_or(AppError::NotFound)?;
        Ok(DocumentsIn { path: scope.documents_path(), scope, owner_name, user, kind: PhantomData })
    }
}

/// The document named by the route's `{id}`, when the caller reaches its owner's documents: 404
/// otherwise.
pub struct DocumentAt {
    pub document: Document,
    pub user: CurrentUser,
}

impl DocumentAt {
    /// The path of the owner's documents.
    pub fn owner_path(&self) -> String {
        self.document.scope.documents_path()
    }
}

impl FromRequestParts<AppState> for DocumentAt {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let document = state.db.document(&route_id(parts, state).await?).await?.ok_or(AppError::NotFound)?;
        if documents_owner(state, &user, &document.scope).await?.is_none() {
            return Err(AppError::NotFound);
        }
        Ok(DocumentAt { document, user })
    }
}
