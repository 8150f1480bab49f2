//! The lock types several rules recognise (the runtime and async chapters).

/// Locks and semaphores that block the thread: `threading` and `multiprocessing`.
pub const THREAD_LOCKS: &[&str] = &[
    "threading.Lock",
    "threading.RLock",
    "threading.Semaphore",
    "threading.BoundedSemaphore",
    "threading.Condition",
    "multiprocessing.Lock",
    "multiprocessing.RLock",
    "multiprocessing.Semaphore",
    "multiprocessing.BoundedSemaphore",
];

/// Locks and semaphores of `asyncio`.
pub const ASYNC_LOCKS: &[&str] = &[
    "asyncio.Lock",
    "asyncio.Semaphore",
    "asyncio.BoundedSemaphore",
    "asyncio.Condition",
];
