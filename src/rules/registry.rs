//! Every rule, in code order; adding a rule adds one line here.

use super::Rule;
use super::{arch, asy, engine, meta, run, sec, ver};

pub static RULES: &[&Rule] = &[
    // The tool itself.
    &engine::internal_error::INTERNAL_ERROR,
    &engine::file_unreadable::FILE_UNREADABLE,
    &engine::file_not_utf8::FILE_NOT_UTF8,
    &engine::binary_file::BINARY_FILE,
    &engine::file_too_large::FILE_TOO_LARGE,
    &engine::file_not_regular::FILE_NOT_REGULAR,
    &engine::unused_suppression::UNUSED_SUPPRESSION,
    &engine::syntax_error::SYNTAX_ERROR,
    &engine::nesting_too_deep::NESTING_TOO_DEEP,
    // Interpreter and versions (guide §1), in code order.
    &ver::syntax_newer_than_target::SYNTAX_NEWER_THAN_TARGET,
    &ver::stdlib_api_newer_than_target::STDLIB_API_NEWER_THAN_TARGET,
    &ver::requires_python_missing::REQUIRES_PYTHON_MISSING,
    &ver::requires_python_upper_cap::REQUIRES_PYTHON_UPPER_CAP,
    &ver::tool_target_version_drift::TOOL_TARGET_VERSION_DRIFT,
    &ver::removed_stdlib_module::REMOVED_STDLIB_MODULE,
    &ver::deprecated_stdlib_module::DEPRECATED_STDLIB_MODULE,
    &ver::removed_stdlib_api::REMOVED_STDLIB_API,
    &ver::deprecated_stdlib_api::DEPRECATED_STDLIB_API,
    &ver::private_interpreter_module::PRIVATE_INTERPRETER_MODULE,
    &ver::private_runtime_api::PRIVATE_RUNTIME_API,
    &ver::cpython_only_api::CPYTHON_ONLY_API,
    &ver::unguarded_implementation_module::UNGUARDED_IMPLEMENTATION_MODULE,
    &ver::bytecode_layout_dependence::BYTECODE_LAYOUT_DEPENDENCE,
    &ver::sys_version_misuse::SYS_VERSION_MISUSE,
    &ver::outdated_version_block::OUTDATED_VERSION_BLOCK,
    &ver::locals_write_semantics::LOCALS_WRITE_SEMANTICS,
    &ver::pep585_typing_alias::PEP585_TYPING_ALIAS,
    //
    // Memory, GIL and free-threading (guide §2), in code order.
    &run::mutable_global_mutated::MUTABLE_GLOBAL_MUTATED,
    &run::nonatomic_shared_rmw::NONATOMIC_SHARED_RMW,
    &run::check_then_act_shared_mapping::CHECK_THEN_ACT_SHARED_MAPPING,
    &run::racy_lazy_initialization::RACY_LAZY_INITIALIZATION,
    &run::guarded_field_accessed_unlocked::GUARDED_FIELD_ACCESSED_UNLOCKED,
    &run::lock_acquire_without_finally::LOCK_ACQUIRE_WITHOUT_FINALLY,
    &run::useless_with_lock::USELESS_WITH_LOCK,
    &run::lock_order_inversion::LOCK_ORDER_INVERSION,
    &run::mutable_class_default::MUTABLE_CLASS_DEFAULT,
    &run::fragile_del_finalizer::FRAGILE_DEL_FINALIZER,
    &run::finalizer_keeps_referent_alive::FINALIZER_KEEPS_REFERENT_ALIVE,
    &run::weakref_unsupported_target::WEAKREF_UNSUPPORTED_TARGET,
    &run::weak_container_check_then_get::WEAK_CONTAINER_CHECK_THEN_GET,
    &run::id_keyed_registry::ID_KEYED_REGISTRY,
    &run::cached_method_leak::CACHED_METHOD_LEAK,
    &run::gc_tuning_in_library::GC_TUNING_IN_LIBRARY,
    &run::unpicklable_process_target::UNPICKLABLE_PROCESS_TARGET,
    &run::fork_with_threads::FORK_WITH_THREADS,
    //
    // Metaprogramming (guide §3), in code order.
    &meta::exec_generated_code::EXEC_GENERATED_CODE,
    &meta::compile_dynamic_source::COMPILE_DYNAMIC_SOURCE,
    &meta::exec_implicit_scope::EXEC_IMPLICIT_SCOPE,
    &meta::pseudo_sandbox::PSEUDO_SANDBOX,
    &meta::only_ast_result_executed::ONLY_AST_RESULT_EXECUTED,
    &meta::code_object_surgery::CODE_OBJECT_SURGERY,
    &meta::metaclass_replaceable::METACLASS_REPLACEABLE,
    &meta::singleton_reinitialized::SINGLETON_REINITIALIZED,
    &meta::metaclass_conflict::METACLASS_CONFLICT,
    &meta::injected_eq_without_hash::INJECTED_EQ_WITHOUT_HASH,
    &meta::import_time_monkeypatch::IMPORT_TIME_MONKEYPATCH,
    &meta::foreign_setattr::FOREIGN_SETATTR,
    &meta::builtins_patched::BUILTINS_PATCHED,
    &meta::sys_modules_write::SYS_MODULES_WRITE,
    &meta::post_creation_dunder_assignment::POST_CREATION_DUNDER_ASSIGNMENT,
    &meta::late_binding_closure::LATE_BINDING_CLOSURE,
    &meta::dynamic_import_name::DYNAMIC_IMPORT_NAME,
    &meta::dynamic_class_factory::DYNAMIC_CLASS_FACTORY,
    //
    // Concurrency and async (guide §5), in code order.
    &asy::blocking_sleep::BLOCKING_SLEEP,
    &asy::blocking_http_call::BLOCKING_HTTP_CALL,
    &asy::blocking_subprocess::BLOCKING_SUBPROCESS,
    &asy::blocking_process_wait::BLOCKING_PROCESS_WAIT,
    &asy::blocking_file_io::BLOCKING_FILE_IO,
    &asy::blocking_fs_call::BLOCKING_FS_CALL,
    &asy::blocking_input::BLOCKING_INPUT,
    &asy::blocking_socket_dns::BLOCKING_SOCKET_DNS,
    &asy::blocking_db_client::BLOCKING_DB_CLIENT,
    &asy::blocking_sync_primitive::BLOCKING_SYNC_PRIMITIVE,
    &asy::unawaited_coroutine::UNAWAITED_COROUTINE,
    &asy::dangling_task::DANGLING_TASK,
    &asy::create_task_on_non_coroutine::CREATE_TASK_ON_NON_COROUTINE,
    &asy::get_event_loop_in_coroutine::GET_EVENT_LOOP_IN_COROUTINE,
    &asy::get_event_loop_without_loop::GET_EVENT_LOOP_WITHOUT_LOOP,
    &asy::nested_event_loop::NESTED_EVENT_LOOP,
    &asy::async_busy_wait::ASYNC_BUSY_WAIT,
    &asy::unbounded_gather::UNBOUNDED_GATHER,
    &asy::gather_exceptions_discarded::GATHER_EXCEPTIONS_DISCARDED,
    &asy::done_callback_unchecked_cancel::DONE_CALLBACK_UNCHECKED_CANCEL,
    &asy::cancellation_swallowed::CANCELLATION_SWALLOWED,
    &asy::await_in_finally_unshielded::AWAIT_IN_FINALLY_UNSHIELDED,
    &asy::yield_in_async_context_manager::YIELD_IN_ASYNC_CONTEXT_MANAGER,
    &asy::mixed_async_backends::MIXED_ASYNC_BACKENDS,
    &asy::start_soon_result_used::START_SOON_RESULT_USED,
    &asy::removed_anyio_api::REMOVED_ANYIO_API,
    &asy::sequential_await_in_loop::SEQUENTIAL_AWAIT_IN_LOOP,
    &asy::unjoined_thread::UNJOINED_THREAD,
    &asy::executor_not_shutdown::EXECUTOR_NOT_SHUTDOWN,
    //
    // Security (guide §8), in code order.
    &sec::assert_used::ASSERT_USED,
    &sec::exec_used::EXEC_USED,
    &sec::permissive_file_mode::PERMISSIVE_FILE_MODE,
    &sec::bind_all_interfaces::BIND_ALL_INTERFACES,
    &sec::hardcoded_password_string::HARDCODED_PASSWORD_STRING,
    &sec::hardcoded_password_funcarg::HARDCODED_PASSWORD_FUNCARG,
    &sec::hardcoded_password_default::HARDCODED_PASSWORD_DEFAULT,
    &sec::hardcoded_temp_path::HARDCODED_TEMP_PATH,
    &sec::try_except_pass::TRY_EXCEPT_PASS,
    &sec::try_except_continue::TRY_EXCEPT_CONTINUE,
    &sec::request_without_timeout::REQUEST_WITHOUT_TIMEOUT,
    &sec::flask_debug_true::FLASK_DEBUG_TRUE,
    &sec::tarfile_unsafe_members::TARFILE_UNSAFE_MEMBERS,
    &sec::pickle_load::PICKLE_LOAD,
    &sec::marshal_load::MARSHAL_LOAD,
    &sec::insecure_hash_primitive::INSECURE_HASH_PRIMITIVE,
    &sec::insecure_cipher::INSECURE_CIPHER,
    &sec::insecure_cipher_mode::INSECURE_CIPHER_MODE,
    &sec::mktemp_used::MKTEMP_USED,
    &sec::eval_used::EVAL_USED,
    &sec::mark_safe_used::MARK_SAFE_USED,
    &sec::urlopen_scheme::URLOPEN_SCHEME,
    &sec::non_crypto_random::NON_CRYPTO_RANDOM,
    &sec::telnet_call::TELNET_CALL,
    &sec::unsafe_xml_parse_celementtree::UNSAFE_XML_PARSE_CELEMENTTREE,
    &sec::unsafe_xml_parse_elementtree::UNSAFE_XML_PARSE_ELEMENTTREE,
    &sec::unsafe_xml_parse_expatreader::UNSAFE_XML_PARSE_EXPATREADER,
    &sec::unsafe_xml_parse_expatbuilder::UNSAFE_XML_PARSE_EXPATBUILDER,
    &sec::unsafe_xml_parse_sax::UNSAFE_XML_PARSE_SAX,
    &sec::unsafe_xml_parse_minidom::UNSAFE_XML_PARSE_MINIDOM,
    &sec::unsafe_xml_parse_pulldom::UNSAFE_XML_PARSE_PULLDOM,
    &sec::ftp_call::FTP_CALL,
    &sec::unverified_ssl_context::UNVERIFIED_SSL_CONTEXT,
    &sec::weak_hashlib::WEAK_HASHLIB,
    &sec::telnetlib_import::TELNETLIB_IMPORT,
    &sec::ftplib_import::FTPLIB_IMPORT,
    &sec::pickle_import::PICKLE_IMPORT,
    &sec::subprocess_import::SUBPROCESS_IMPORT,
    &sec::unsafe_xml_import_elementtree::UNSAFE_XML_IMPORT_ELEMENTTREE,
    &sec::unsafe_xml_import_sax::UNSAFE_XML_IMPORT_SAX,
    &sec::unsafe_xml_import_expatbuilder::UNSAFE_XML_IMPORT_EXPATBUILDER,
    &sec::unsafe_xml_import_minidom::UNSAFE_XML_IMPORT_MINIDOM,
    &sec::unsafe_xml_import_pulldom::UNSAFE_XML_IMPORT_PULLDOM,
    &sec::xmlrpc_import::XMLRPC_IMPORT,
    &sec::httpoxy_cgi_import::HTTPOXY_CGI_IMPORT,
    &sec::pycrypto_import::PYCRYPTO_IMPORT,
    &sec::pyghmi_import::PYGHMI_IMPORT,
    &sec::request_no_cert_validation::REQUEST_NO_CERT_VALIDATION,
    &sec::ssl_bad_version::SSL_BAD_VERSION,
    &sec::ssl_bad_default::SSL_BAD_DEFAULT,
    &sec::ssl_no_version::SSL_NO_VERSION,
    &sec::weak_crypto_key::WEAK_CRYPTO_KEY,
    &sec::yaml_unsafe_load::YAML_UNSAFE_LOAD,
    &sec::ssh_no_host_key_check::SSH_NO_HOST_KEY_CHECK,
    &sec::snmp_insecure_version::SNMP_INSECURE_VERSION,
    &sec::snmp_weak_crypto::SNMP_WEAK_CRYPTO,
    &sec::paramiko_exec_command::PARAMIKO_EXEC_COMMAND,
    &sec::subprocess_shell_true::SUBPROCESS_SHELL_TRUE,
    &sec::subprocess_without_shell::SUBPROCESS_WITHOUT_SHELL,
    &sec::call_with_shell_true::CALL_WITH_SHELL_TRUE,
    &sec::start_process_with_shell::START_PROCESS_WITH_SHELL,
    &sec::start_process_no_shell::START_PROCESS_NO_SHELL,
    &sec::partial_executable_path::PARTIAL_EXECUTABLE_PATH,
    &sec::hardcoded_sql::HARDCODED_SQL,
    &sec::wildcard_injection::WILDCARD_INJECTION,
    &sec::django_extra::DJANGO_EXTRA,
    &sec::django_rawsql::DJANGO_RAWSQL,
    &sec::logging_config_listen::LOGGING_CONFIG_LISTEN,
    &sec::trojan_source::TROJAN_SOURCE,
    &sec::torch_load_unsafe::TORCH_LOAD_UNSAFE,
    &sec::huggingface_unpinned_download::HUGGINGFACE_UNPINNED_DOWNLOAD,
    &sec::jinja2_autoescape_false::JINJA2_AUTOESCAPE_FALSE,
    &sec::mako_template::MAKO_TEMPLATE,
    &sec::django_mark_safe_xss::DJANGO_MARK_SAFE_XSS,
    &sec::markup_xss::MARKUP_XSS,
    &sec::timing_unsafe_compare::TIMING_UNSAFE_COMPARE,
    &sec::insecure_random_secret::INSECURE_RANDOM_SECRET,
    &sec::naive_utc_timestamp::NAIVE_UTC_TIMESTAMP,
    &sec::runtime_package_install::RUNTIME_PACKAGE_INSTALL,
    &sec::ephemeral_signing_key::EPHEMERAL_SIGNING_KEY,
    &sec::truncated_digest::TRUNCATED_DIGEST,
    &sec::fast_hash_for_password::FAST_HASH_FOR_PASSWORD,
    &sec::weak_kdf_parameters::WEAK_KDF_PARAMETERS,
    &sec::jwt_verification_disabled::JWT_VERIFICATION_DISABLED,
    &sec::ml_unsafe_deserialization::ML_UNSAFE_DESERIALIZATION,
    &sec::archive_extract_unfiltered::ARCHIVE_EXTRACT_UNFILTERED,
    &sec::tls_verification_disabled::TLS_VERIFICATION_DISABLED,
    &sec::secret_in_log::SECRET_IN_LOG,
    &sec::secret_in_repr::SECRET_IN_REPR,
    &sec::hardcoded_secret_fallback::HARDCODED_SECRET_FALLBACK,
    &sec::non_literal_sql_execute::NON_LITERAL_SQL_EXECUTE,
    //
    // Architecture (cross-cutting), in code order.
    &arch::import_cycle::IMPORT_CYCLE,
    &arch::broken_contract::BROKEN_CONTRACT,
    &arch::far_from_main_sequence::FAR_FROM_MAIN_SEQUENCE,
];

/// The rule with this code (exact match).
pub fn by_code(code: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.code == code)
}

/// The rule with this code or name (codes case-insensitively).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

/// "; did you mean `X`?" for the closest code or name, or nothing.
pub fn suggestion(text: &str) -> String {
    let upper = text.to_ascii_uppercase();
    RULES
        .iter()
        .flat_map(|rule| {
            [
                (strsim::jaro_winkler(&upper, rule.code), rule.code),
                (strsim::jaro_winkler(text, rule.name), rule.name),
            ]
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score > 0.75)
        .map(|(_, candidate)| format!("; did you mean `{candidate}`?"))
        .unwrap_or_default()
}
