//! Whose registry data a caller reaches (decision 0010): the administrator and the command line
//! everything; anyone else the networks whose private data they see (those of the programmes they
//! coordinate and those they work on), the organisations in those networks, the people of those
//! organisations and the people they recorded themselves. Lists, exports and imports all read
//! their limits from one [`Scope`].

use super::networks::NetworkAssignment;
use crate::sql::Conditions;
use crate::users::{Assignment, User};
use crate::{Actor, Db, Result};
use reti_domain::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The platform administrator, and the operator at the command line.
    All,
    Limited {
        user_id: String,
        /// The programmes the user coordinates: their networks' private data, and imports into them.
        programme_ids: Vec<String>,
        /// The networks the user works on (member, lead, facilitator), whatever their programme.
        network_ids: Vec<String>,
    },
}

impl Scope {
    /// The scope of a logged-in user.
    pub fn of(user: &User, assignments: &[Assignment], networks: &[NetworkAssignment]) -> Scope {
        if user.is_admin {
            return Scope::All;
        }
        Scope::Limited {
            user_id: user.id.clone(),
            programme_ids: assignments
                .iter()
                .filter(|a| a.role.0 == Role::Coordinator)
                .map(|a| a.programme_id.clone())
                .collect(),
            network_ids: networks.iter().map(|n| n.network_id.clone()).collect(),
        }
    }

    /// Whether imports may write into `programme_id`: only a programme the caller coordinates.
    pub fn imports_into(&self, programme_id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Limited { programme_ids, .. } => programme_ids.iter().any(|p| p == programme_id),
        }
    }

    /// Whether the caller sees the private data (history, contacts) of the network.
    pub fn sees_network(&self, network_id: &str, programme_id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Limited { programme_ids, network_ids, .. } => {
                programme_ids.iter().any(|p| p == programme_id) || network_ids.iter().any(|n| n == network_id)
            }
        }
    }

    /// The programmes the caller coordinates (`None`: every programme).
    pub fn programme_ids(&self) -> Option<&[String]> {
        match self {
            Scope::All => None,
            Scope::Limited { programme_ids, .. } => Some(programme_ids),
        }
    }

    /// A condition on the network aliased `network` (with its `programme_id`): one of the scope's
    /// networks. `None` when the scope is everything.
    pub(crate) fn network_condition(&self, conditions: &mut Conditions, network: &str) -> Option<String> {
        let Scope::Limited { programme_ids, network_ids, .. } = self else { return None };
        let mut any = Vec::new();
        if !programme_ids.is_empty() {
            let list: Vec<String> = programme_ids.iter().map(|p| conditions.bind(p.clone())).collect();
            any.push(format!("{network}.programme_id IN ({})", list.join(", ")));
        }
        if !network_ids.is_empty() {
            let list: Vec<String> = network_ids.iter().map(|n| conditions.bind(n.clone())).collect();
            any.push(format!("{network}.id IN ({})", list.join(", ")));
        }
        // No constant `1 = 0 OR …` in front: SQLite would then not use the indexes of the rest.
        Some(if any.is_empty() { "1 = 0".to_owned() } else { format!("({})", any.join(" OR ")) })
    }

    /// A condition on the organisation aliased `organisation`: a member (now or in the past) of one
    /// of the scope's networks, or of no network at all (the shared registry nobody owns yet).
    pub(crate) fn organisation_condition(&self, conditions: &mut Conditions, organisation: &str) -> Option<String> {
        let networks = self.network_condition(conditions, "sn")?;
        Some(format!(
            "({organisation}.id IN (SELECT sm.organisation_id FROM memberships sm JOIN networks sn ON sn.id = sm.network_id WHERE {networks})
              OR {organisation}.id NOT IN (SELECT organisation_id FROM memberships))"
        ))
    }

    /// The people within a limited scope (`None`: everyone), as one `SELECT` of their ids: those
    /// working now for an organisation in one of the scope's networks, and those the caller
    /// recorded. Built from the scope's networks down, so that a list is read from the few people
    /// in scope, not by testing each person of the registry against the scope.
    pub(crate) fn people_set(&self, conditions: &mut Conditions) -> Option<String> {
        let Scope::Limited { user_id, .. } = self else { return None };
        let networks = self.network_condition(conditions, "sn")?;
        let user = conditions.bind(user_id.clone());
        Some(format!(
            "SELECT sa.person_id FROM networks sn JOIN memberships sm ON sm.network_id = sn.id
             JOIN affiliations sa ON sa.organisation_id = sm.organisation_id WHERE sa.ended_at IS NULL AND {networks}
             UNION SELECT cp.id FROM people cp WHERE cp.created_by_user_id = {user}"
        ))
    }
}

impl Db {
    /// The scope of whoever makes a change: a user's own, or everything for the command line.
    pub async fn scope_of(&self, actor: &Actor) -> Result<Scope> {
        let Some(user_id) = &actor.user_id else { return Ok(Scope::All) };
        let Some(user) = self.user(user_id).await? else {
            return Ok(Scope::Limited { user_id: user_id.clone(), programme_ids: Vec::new(), network_ids: Vec::new() });
        };
        let assignments = self.assignments(user_id).await?;
        let networks = self.network_assignments(user_id).await?;
        Ok(Scope::of(&user, &assignments, &networks))
    }

    /// Whether the person `id` is within `scope`.
    pub async fn person_in_scope(&self, id: &str, scope: &Scope) -> Result<bool> {
        let mut conditions = Conditions::default();
        let person = conditions.bind(id);
        conditions.push(format!("p.id = {person}"));
        if let Some(people) = scope.people_set(&mut conditions) {
            conditions.push(format!("p.id IN ({people})"));
        }
        let sql = format!("SELECT COUNT(*) FROM people p{}", conditions.where_clause());
        let count: i64 = conditions.query_scalar(&sql).fetch_one(self.pool()).await?;
        Ok(count > 0)
    }
}

/// The programme an audit entry about organisations (or their people) is filed under, so that
/// the coordination of that programme finds it in its audit log (decision 0010). An organisation
/// belongs to the programmes of the networks it is or was a member of, current memberships first;
/// of those, the entry takes the first the actor coordinates, else the first one; an organisation
/// in no network takes the actor's first coordinated programme; the command line's, none.
pub(crate) async fn audit_programme(
    connection: &mut sqlx::AnyConnection,
    actor: &Actor,
    organisation_ids: &[String],
) -> Result<Option<String>> {
    let mut belongs: Vec<String> = Vec::new();
    for chunk in organisation_ids.chunks(500) {
        let sql = format!(
            "SELECT n.programme_id FROM memberships m JOIN networks n ON n.id = m.network_id
             WHERE m.organisation_id IN ({}) ORDER BY CASE WHEN m.left_on IS NULL THEN 0 ELSE 1 END, m.created_at, n.programme_id",
            crate::sql::placeholders(1, chunk.len())
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for id in chunk {
            query = query.bind(id);
        }
        belongs.extend(query.fetch_all(&mut *connection).await?);
    }
    let coordinated: Vec<String> = match &actor.user_id {
        Some(user_id) => {
            sqlx::query_scalar(
                "SELECT programme_id FROM role_assignments WHERE user_id = $1 AND role = $2 ORDER BY programme_id",
            )
            .bind(user_id)
            .bind(Role::Coordinator.code())
            .fetch_all(&mut *connection)
            .await?
        }
        None => Vec::new(),
    };
    Ok(belongs.iter().find(|p| coordinated.contains(p)).or(belongs.first()).or(coordinated.first()).cloned())
}

/// The programme of an audit entry about a person: that of the organisations they work for now.
pub(crate) async fn person_audit_programme(
    connection: &mut sqlx::AnyConnection,
    actor: &Actor,
    person_id: &str,
) -> Result<Option<String>> {
    let organisations: Vec<String> =
        sqlx::query_scalar("SELECT organisation_id FROM affiliations WHERE person_id = $1 AND ended_at IS NULL")
            .bind(person_id)
            .fetch_all(&mut *connection)
            .await?;
    audit_programme(connection, actor, &organisations).await
}

/// The checks an import makes on every row, apart from its own reading of the file: a row that
/// writes outside the importer's programmes is refused, naming its line and field.
pub(crate) mod import_checks {
    use super::Scope;
    use reti_domain::import::RowError;

    fn refusal(line: usize, field: &str, code: &'static str, value: &str) -> RowError {
        RowError::new(line, field, code, value)
    }

    /// A row putting a network into `programme_id` (shown as `code`).
    pub fn programme(scope: &Scope, line: usize, programme_id: &str, code: &str) -> Option<RowError> {
        (!scope.imports_into(programme_id)).then(|| refusal(line, "programme", "error-programme-out-of-scope", code))
    }

    /// A row naming a network: of the networks with that name, those the importer may write into
    /// when there are any (so that a name also used in another programme is not ambiguous), else
    /// all of them, to be refused by [`network`].
    pub fn own_networks_first<'a, T>(
        scope: &Scope,
        matching: Vec<&'a T>,
        programme_of: impl Fn(&T) -> &str,
    ) -> Vec<&'a T> {
        let own: Vec<&T> = matching.iter().copied().filter(|n| scope.imports_into(programme_of(n))).collect();
        if own.is_empty() { matching } else { own }
    }

    /// A row writing into a network of `programme_id` (its membership), named `name` in the file.
    pub fn network(scope: &Scope, line: usize, programme_id: &str, name: &str) -> Option<RowError> {
        (!scope.imports_into(programme_id)).then(|| refusal(line, "network", "error-network-out-of-scope", name))
    }

    /// A row updating a person, found by `email`, whom the importer does not reach.
    pub fn person(in_scope: bool, line: usize, email: &str) -> Option<RowError> {
        (!in_scope).then(|| refusal(line, "email", "error-person-out-of-scope", email))
    }
}
