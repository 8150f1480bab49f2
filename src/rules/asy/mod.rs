//! Concurrency and async (guide §5): blocking calls inside coroutines (each message names the
//! async replacement), tasks whose failures vanish, event-loop misuse, swallowed
//! cancellation and unbounded fan-out.
