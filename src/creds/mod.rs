//! Where credentials come from. Secrets are held in zeroizing types from the moment they are read.

pub mod cloud;
pub mod docker_config;
pub mod keyring;
pub mod password;
pub mod sources;
pub mod wizard;
