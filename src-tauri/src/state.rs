//! What the app holds while it runs, and how settings are loaded and saved
//! (tauri-plugin-store; the API key is never in it, and history is never in
//! it either: its save is not atomic).

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::Duration;

use reelchat_mock_relay::RelayHandle;
use reelchat_studio::error::{AppError, AppErrorKind};
use reelchat_studio::media_server::MediaServer;
use reelchat_studio::secrets::{key_hint, SecretStore};
use reelchat_studio::settings::{Settings, SettingsView};
use reelchat_studio::studio::{Connection, Studio};
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;

const SETTINGS_FILE: &str = "settings.json";
const SETTINGS_KEY: &str = "settings";

pub struct AppState {
    pub studio: Studio,
    pub media: MediaServer,
    pub secrets: SecretStore,
    pub settings: Mutex<Settings>,
    pub demo: tokio::sync::Mutex<Option<RelayHandle>>,
    /// Said once to the user at start-up (e.g. a corrupt file moved aside).
    pub notices: Vec<String>,
    /// The user confirmed closing while jobs run.
    pub quitting: AtomicBool,
    /// Files dropped on the window: the only paths `attach_image` accepts.
    pub dropped: crate::dropped::DroppedPaths,
}

pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl AppState {
    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    pub fn view(&self) -> SettingsView {
        let key = self.secrets.get().ok().flatten();
        self.settings()
            .view(key.as_deref().map(key_hint), self.secrets.storage())
    }

    /// Where the next request goes: the demo relay, or the user's API.
    pub async fn connection(&self) -> Result<Connection, AppError> {
        let s = self.settings();
        let idle_timeout = Duration::from_secs(u64::from(s.idle_timeout_secs));
        if s.demo {
            if let Some(relay) = self.demo.lock().await.as_ref() {
                return Ok(Connection {
                    base_url: relay.base_url(),
                    api_key: reelchat_studio::demo::DEMO_KEY.into(),
                    idle_timeout,
                    allow_loopback_media: true,
                });
            }
        }
        let key = self
            .secrets
            .get()?
            .ok_or_else(|| AppError::new(AppErrorKind::NoKey, "no API key is set"))?;
        // End-to-end tests point the app at a mock relay on loopback outside
        // the app (it must outlive a kill -9 of the app); only they set this.
        let allow_loopback_media =
            std::env::var("REELCHAT_TEST_ALLOW_LOOPBACK_MEDIA").is_ok_and(|v| v == "1");
        Ok(Connection {
            base_url: s.base_url,
            api_key: key,
            idle_timeout,
            allow_loopback_media,
        })
    }
}

pub fn load_settings<R: Runtime>(app: &AppHandle<R>) -> Settings {
    app.store(SETTINGS_FILE)
        .ok()
        .and_then(|store| store.get(SETTINGS_KEY))
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

pub fn save_settings<R: Runtime>(app: &AppHandle<R>, settings: &Settings) -> Result<(), AppError> {
    let store = app
        .store(SETTINGS_FILE)
        .map_err(|e| AppError::new(AppErrorKind::Io, e.to_string()))?;
    let value = serde_json::to_value(settings)
        .map_err(|e| AppError::new(AppErrorKind::Io, e.to_string()))?;
    store.set(SETTINGS_KEY, value);
    store.save().map_err(|e| {
        let msg = e.to_string();
        let kind = if msg.contains("No space left") {
            AppErrorKind::DiskFull
        } else {
            AppErrorKind::Io
        };
        AppError::new(kind, msg)
    })
}
