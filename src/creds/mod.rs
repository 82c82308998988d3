//! Where credentials come from. Secrets are held in zeroizing types from the moment they are read.

pub mod password;
pub mod sources;
