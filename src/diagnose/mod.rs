//! Diagnosing image-pull failures.
//!
//! [`classify`] is the pure core: from a container's waiting reason and the kubelet's
//! messages and events to a [`Cause`] with the registry and image it concerns.

pub mod classify;
pub mod collect;
pub mod facts;
pub mod fix;
pub mod predict;
pub mod report;

pub use classify::{
    Cause, Classification, UnknownCause, classify, image_reference_in, registry_host_in,
    registry_of,
};
pub use fix::{FixContext, NodeFile, fix_for, node_file_for};
pub use predict::Foreseen;
pub use report::{
    DiagnoseReport, Diagnosis, Explained, Prediction, UnreadableContext, Verification,
};
