//! The pool, counting the statements run through it, so that a test can tell how many statements a
//! page costs and fail when a list starts to run one query per row.

use futures_core::future::BoxFuture;
use futures_core::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use sqlx::any::{AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Describe, Either, Execute, Executor};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::Mutex;

/// The connection a unit of work (a web request) runs its statements on, taken from the pool at
/// its first statement and given back when the work ends (decision 0027). `owner` tells which pool
/// it belongs to, so that another pool used in the same task never gets it.
struct Held {
    owner: Arc<AtomicU64>,
    connection: Mutex<Option<PoolConnection<Any>>>,
}

tokio::task_local! {
    static HELD: Arc<Held>;
}

/// An [`AnyPool`] (it dereferences to one) whose statements are counted. Statements run inside a
/// transaction or on a connection taken with `acquire` are not counted one by one: opening the
/// transaction ([`crate::Db::begin`]) counts as one.
#[derive(Debug, Clone)]
pub struct CountedPool {
    pool: AnyPool,
    statements: Arc<AtomicU64>,
}

impl CountedPool {
    pub(crate) fn new(pool: AnyPool) -> CountedPool {
        CountedPool { pool, statements: Arc::default() }
    }

    /// How many statements have run through this pool (and its clones) since it was opened.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    pub(crate) fn count(&self) {
        self.statements.fetch_add(1, Ordering::Relaxed);
    }

    /// Runs `work` with one connection of this pool for all the statements it runs through the
    /// pool, instead of one taken and given back per statement: sqlx tests every connection given
    /// back (a round trip to the connection's thread on SQLite, to the server on PostgreSQL), and
    /// with several statements a page that doubled the cost of each. The connection is taken at
    /// the first statement, so work that runs none takes none.
    pub async fn with_one_connection<F: Future>(&self, work: F) -> F::Output {
        let held = Arc::new(Held { owner: self.statements.clone(), connection: Mutex::new(None) });
        HELD.scope(held, work).await
    }

    /// The connection held for this task's work, when it belongs to this pool.
    fn held(&self) -> Option<Arc<Held>> {
        HELD.try_with(|held| Arc::ptr_eq(&held.owner, &self.statements).then(|| held.clone())).ok().flatten()
    }

    /// Gives the held connection back before this task takes another one (a transaction, a
    /// connection of its own): a task never holds two, so tasks waiting for a second connection
    /// can never take the whole pool between them and wait on each other.
    pub(crate) async fn release_held(&self) {
        if let Some(held) = self.held() {
            held.connection.lock().await.take();
        }
    }

    /// A connection of its own, after giving back the one held for the task (see
    /// [`CountedPool::release_held`]).
    pub async fn acquire(&self) -> Result<PoolConnection<Any>, sqlx::Error> {
        self.release_held().await;
        self.pool.acquire().await
    }
}

/// The held connection, taken from `pool` when there is none yet.
async fn connection<'h>(
    pool: &AnyPool,
    held: &'h mut Option<PoolConnection<Any>>,
) -> Result<&'h mut PoolConnection<Any>, sqlx::Error> {
    if held.is_none() {
        *held = Some(pool.acquire().await?);
    }
    Ok(held.as_mut().expect("just taken"))
}

impl std::ops::Deref for CountedPool {
    type Target = AnyPool;

    fn deref(&self) -> &AnyPool {
        &self.pool
    }
}

impl<'p> Executor<'p> for &'_ CountedPool {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(self, query: E) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        self.count();
        let Some(held) = self.held() else { return (&self.pool).fetch_many(query) };
        let pool = self.pool.clone();
        // The rows are read to the end while the connection is locked, then handed on: a stream
        // borrowing the locked connection could not outlive this call.
        let rows = async move {
            let mut guard = held.connection.lock().await;
            let connection = match connection(&pool, &mut guard).await {
                Ok(connection) => connection,
                Err(error) => return futures_util::stream::iter(vec![Err(error)]),
            };
            let mut rows = Vec::new();
            let mut stream = connection.fetch_many(query);
            loop {
                match stream.try_next().await {
                    Ok(Some(row)) => rows.push(Ok(row)),
                    Ok(None) => break,
                    Err(error) => {
                        rows.push(Err(error));
                        break;
                    }
                }
            }
            futures_util::stream::iter(rows)
        };
        Box::pin(futures_util::stream::once(rows).flatten())
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        self.count();
        let Some(held) = self.held() else { return (&self.pool).fetch_optional(query) };
        let pool = self.pool.clone();
        Box::pin(async move {
            let mut guard = held.connection.lock().await;
            connection(&pool, &mut guard).await?.fetch_optional(query).await
        })
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<AnyStatement<'q>, sqlx::Error>>
    where
        'p: 'e,
    {
        (&self.pool).prepare_with(sql, parameters)
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, Result<Describe<Any>, sqlx::Error>>
    where
        'p: 'e,
    {
        (&self.pool).describe(sql)
    }
}
