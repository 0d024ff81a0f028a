//! ReelChat's app services, without Tauri: conversations on disk, generation
//! jobs that persist as they stream, downloads of results, the loopback media
//! server, the API key's storage and the demo relay. The Tauri shell only
//! forwards to these.

pub mod attachment;
pub mod demo;
pub mod download;
pub mod error;
pub mod export;
pub mod ids;
pub mod jobs;
pub mod library;
pub mod media_server;
pub mod model;
pub mod models;
pub mod network;
pub mod secrets;
pub mod settings;
pub mod store;
pub mod studio;
