//! Packaging and distribution (guide §7): rules about built wheels and sdists, run by
//! `archlint package` through the `Distribution` hook.

pub mod archive_bomb;
pub mod corrupt_archive;
pub mod distribution_metadata_mismatch;
pub mod invalid_distribution_metadata;
pub mod long_description_does_not_render;
pub mod sdist_incomplete;
pub mod stray_files_in_distribution;
pub mod unsafe_archive_member;
pub mod wheel_record_mismatch;
