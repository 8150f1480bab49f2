//! Memory, GIL and free-threading readiness (guide §2): code that is correct under the GIL
//! and races under free-threaded Python (3.13t/3.14t), locks used unsafely, finalizers and
//! weak references that misbehave, process-global tuning done from libraries.

pub mod locks;
pub mod shared;
pub mod thread_safety;

pub mod cached_method_leak;
pub mod check_then_act_shared_container;
pub mod finalizer_keeps_referent_alive;
pub mod fork_with_threads;
pub mod fragile_del_finalizer;
pub mod gc_tuning_in_library;
pub mod guarded_field_accessed_unlocked;
pub mod id_keyed_registry;
pub mod lock_acquire_without_finally;
pub mod lock_order_inversion;
pub mod mutable_class_default;
pub mod nonatomic_shared_rmw;
pub mod racy_lazy_initialization;
pub mod shared_container_iterated_while_changed;
pub mod shared_iterator_advanced_by_threads;
pub mod unpicklable_process_target;
pub mod useless_with_lock;
pub mod weak_container_check_then_get;
pub mod weakref_unsupported_target;
