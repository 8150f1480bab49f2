use super::async_context::report_blocking;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags synchronous database and service clients created inside `async def`: `sqlite3`,
    /// `psycopg2`, sync `psycopg`, `pymysql`, `MySQLdb`, `mysql.connector`, `oracledb`,
    /// `pymongo`, `redis`, `boto3` and `sqlalchemy.create_engine`. Their every query then
    /// blocks the loop.
    ///
    /// ## Why it matters
    /// Guide §5 (concurrency and async): a coroutine that blocks stops the whole event loop:
    /// every other task, timer and connection waits until the call returns, so one slow call
    /// adds its latency to every request in flight.
    ///
    /// ## Example
    /// ```python
    /// import sqlite3
    ///
    /// async def count_users(path):
    ///     with sqlite3.connect(path) as db:
    ///         return db.execute("SELECT count(*) FROM users").fetchone()[0]
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import aiosqlite
    ///
    /// async def count_users(path):
    ///     async with aiosqlite.connect(path) as db:
    ///         async with db.execute("SELECT count(*) FROM users") as cursor:
    ///             return (await cursor.fetchone())[0]
    /// ```
    pub static BLOCKING_DB_CLIENT = Rule {
        code: "ASY009",
        name: "blocking-db-client",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "sqlite3.connect",
    "psycopg2.connect",
    "psycopg.connect",
    "pymysql.connect",
    "MySQLdb.connect",
    "mysql.connector.connect",
    "oracledb.connect",
    "cx_Oracle.connect",
    "pymongo.MongoClient",
    "redis.Redis",
    "redis.StrictRedis",
    "redis.from_url",
    "boto3.client",
    "boto3.resource",
    "sqlalchemy.create_engine",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    report_blocking(
        call,
        cx,
        [
            "use the async driver (`aiosqlite`, `asyncpg` or `psycopg.AsyncConnection`, `aiomysql`, `motor`, `redis.asyncio`, SQLAlchemy `create_async_engine`, `aioboto3`)",
            "use an async driver, or `trio.to_thread.run_sync`",
            "use an async driver, or `anyio.to_thread.run_sync`",
        ],
    );
}
