//! The one write path: [`Db::write`] runs a request's changes in one transaction together with
//! their audit entries, and commits only if all of them succeed.

use crate::audit::{self, Change};
use crate::{Actor, Db, Result, StoreError, Tx};

/// A write transaction and who makes it: the audit entries it records always name that actor.
pub struct Writer<'a> {
    pub(crate) tx: Tx,
    pub(crate) actor: &'a Actor,
}

impl Writer<'_> {
    /// Records `change` in the audit log, inside this transaction.
    pub async fn audit(&mut self, change: Change<'_>) -> Result<()> {
        audit::record(&mut self.tx, self.actor, change).await
    }

    pub fn actor(&self) -> &Actor {
        self.actor
    }
}

impl Db {
    /// Runs `work` in one write transaction on behalf of `actor`: it commits when `work`
    /// succeeds and rolls back (nothing written, no audit entry) when it fails.
    pub async fn write<T, E: From<StoreError>>(
        &self,
        actor: &Actor,
        work: impl AsyncFnOnce(&mut Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut writer = Writer { tx: self.begin().await?, actor };
        match work(&mut writer).await {
            Ok(value) => {
                writer.tx.commit().await.map_err(StoreError::from)?;
                Ok(value)
            }
            Err(error) => {
                writer.tx.rollback().await.map_err(StoreError::from)?;
                Err(error)
            }
        }
    }
}
