//! Concurrency and async (guide §5): blocking calls inside coroutines (each message names the
//! async replacement), tasks whose failures vanish, event-loop misuse, swallowed
//! cancellation and unbounded fan-out.

pub mod async_context;

pub mod async_busy_wait;
pub mod await_in_finally_unshielded;
pub mod blocking_call_through_helper;
pub mod blocking_db_client;
pub mod blocking_file_io;
pub mod blocking_fs_call;
pub mod blocking_http_call;
pub mod blocking_input;
pub mod blocking_process_wait;
pub mod blocking_sleep;
pub mod blocking_socket_dns;
pub mod blocking_subprocess;
pub mod blocking_sync_primitive;
pub mod cancellation_swallowed;
pub mod create_task_on_non_coroutine;
pub mod dangling_task;
pub mod done_callback_unchecked_cancel;
pub mod executor_not_shutdown;
pub mod gather_exceptions_discarded;
pub mod get_event_loop_in_coroutine;
pub mod get_event_loop_without_loop;
pub mod mixed_async_backends;
pub mod nested_event_loop;
pub mod removed_anyio_api;
pub mod sequential_await_in_loop;
pub mod start_soon_result_used;
pub mod unawaited_coroutine;
pub mod unbounded_gather;
pub mod unjoined_thread;
pub mod yield_in_async_context_manager;

use archlint_analysis::calls::BlockingApis;

use crate::Check;

/// The blocking APIs of the rules ASY001–ASY010, by qualified name, for the call graph that
/// ASY030 reads (method targets on unresolved receivers are left out: across modules they
/// would match any `.read()`).
pub fn blocking_apis() -> BlockingApis {
    fn targets(check: &Check, out: &mut Vec<&'static str>) {
        match check {
            Check::Call { targets: list, .. } => out.extend(list.iter().copied()),
            Check::Several(checks) => checks.iter().for_each(|c| targets(c, out)),
            _ => {}
        }
    }
    let mut apis = BlockingApis::default();
    let blocking_rules = [
        &blocking_sleep::BLOCKING_SLEEP,
        &blocking_http_call::BLOCKING_HTTP_CALL,
        &blocking_subprocess::BLOCKING_SUBPROCESS,
        &blocking_process_wait::BLOCKING_PROCESS_WAIT,
        &blocking_file_io::BLOCKING_FILE_IO,
        &blocking_fs_call::BLOCKING_FS_CALL,
        &blocking_input::BLOCKING_INPUT,
        &blocking_socket_dns::BLOCKING_SOCKET_DNS,
        &blocking_db_client::BLOCKING_DB_CLIENT,
        &blocking_sync_primitive::BLOCKING_SYNC_PRIMITIVE,
    ];
    for rule in blocking_rules {
        let mut list = Vec::new();
        targets(&rule.check, &mut list);
        for api in list
            .into_iter()
            .filter(|t| !t.starts_with('.') && t.contains('.'))
        {
            apis.entry(api).or_insert(rule.code);
        }
    }
    // Builtins that block, named without a module.
    apis.insert("open", "ASY005");
    apis.insert("input", "ASY007");
    apis
}
