//! The pool, counting the statements run through it, so that a test can tell how many statements a
//! page costs and fail when a list starts to run one query per row.

use futures_core::future::BoxFuture;
use futures_core::stream::BoxStream;
use sqlx::any::{AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::{Any, AnyPool, Describe, Either, Execute, Executor};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

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
        (&self.pool).fetch_many(query)
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        self.count();
        (&self.pool).fetch_optional(query)
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
