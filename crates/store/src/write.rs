//! The one write path: [`Db::write`] runs a request's changes in one transaction together with
//! their audit entries, and commits only if all of them succeed.
//!
//! The system's own bookkeeping, which is nobody's change (claiming jobs, queueing a job on its
//! own, loading the shipped reference data), goes through [`Db::system_write`] instead: the same
//! transaction, without an audit entry. Nothing else opens a transaction, except the import, which
//! rolls back on purpose (decision 0013).

use crate::audit::{self, Change};
use crate::jobs::{self, NewJob};
use crate::{Actor, Db, Result, StoreError, Tx};

/// A write transaction and who makes it: the audit entries it records always name that actor.
pub struct Writer<'a> {
    pub(crate) tx: Tx,
    pub(crate) actor: &'a Actor,
    pub(crate) engine: crate::Engine,
}

/// The transaction of [`Db::system_write`]. (A struct rather than the bare transaction: the
/// compiler then proves the futures that call it `Send`.)
pub(crate) struct Bookkeeping {
    pub(crate) tx: Tx,
}

impl Writer<'_> {
    /// Records `change` in the audit log, inside this transaction.
    pub async fn audit(&mut self, change: Change<'_>) -> Result<()> {
        audit::record(&mut self.tx, self.actor, change).await
    }

    /// Queues `job` inside this transaction: it runs only if the change commits (the mail that
    /// announces a change goes with it or not at all).
    pub async fn enqueue(&mut self, job: &NewJob) -> Result<String> {
        jobs::enqueue_in(&mut self.tx, job).await
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
        let mut writer = Writer { tx: self.begin().await?, actor, engine: self.engine };
        let outcome = work(&mut writer).await;
        finish(writer.tx, outcome).await
    }

    /// Runs the system's own bookkeeping in one write transaction, without an audit entry: it
    /// commits when `work` succeeds and rolls back when it fails. Never for a person's change.
    pub(crate) async fn system_write<T>(&self, work: impl AsyncFnOnce(&mut Bookkeeping) -> Result<T>) -> Result<T> {
        let mut bookkeeping = Bookkeeping { tx: self.begin().await? };
        let outcome = work(&mut bookkeeping).await;
        finish(bookkeeping.tx, outcome).await
    }
}

async fn finish<T, E: From<StoreError>>(tx: Tx, outcome: Result<T, E>) -> Result<T, E> {
    match outcome {
        Ok(value) => {
            tx.commit().await.map_err(StoreError::from)?;
            Ok(value)
        }
        Err(error) => {
            tx.rollback().await.map_err(StoreError::from)?;
            Err(error)
        }
    }
}
