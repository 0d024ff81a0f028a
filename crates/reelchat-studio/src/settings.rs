//! The user's settings, their validation, and the views the webview gets.
//! (Stored by the shell in tauri-plugin-store; the API key is never here.)

use serde::{Deserialize, Serialize};

use reelchat_protocol::transport::NetworkOptions;

use crate::error::AppError;
use crate::network;
use crate::secrets::KeyStorage;

pub const DEFAULT_BASE_URL: &str = "https://new.22codex.xyz";
pub const DEFAULT_MODEL: &str = "sora-2";
pub const DEFAULT_IDLE_TIMEOUT_SECS: u32 = 600;
pub const MIN_IDLE_TIMEOUT_SECS: u32 = 30;
pub const MAX_IDLE_TIMEOUT_SECS: u32 = 6 * 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Language {
    #[default]
    #[serde(rename = "system")]
    System,
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// What is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub base_url: String,
    pub default_model: String,
    pub language: Language,
    pub theme: Theme,
    pub download_dir: Option<String>,
    pub idle_timeout_secs: u32,
    /// Demo mode: requests go to the built-in relay.
    pub demo: bool,
    /// The first-run welcome was completed (a key saved or the demo chosen).
    pub onboarded: bool,
    /// The proxy for API requests and downloads (see `network`); None: the
    /// `*_PROXY` environment variables, if any.
    pub proxy_url: Option<String>,
    /// Hosts that bypass the proxy, comma-separated.
    pub no_proxy: String,
    /// A PEM file of certificate authorities trusted in addition to the
    /// built-in ones.
    pub ca_cert_path: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            base_url: DEFAULT_BASE_URL.into(),
            default_model: DEFAULT_MODEL.into(),
            language: Language::System,
            theme: Theme::System,
            download_dir: None,
            idle_timeout_secs: DEFAULT_IDLE_TIMEOUT_SECS,
            demo: false,
            onboarded: false,
            proxy_url: None,
            no_proxy: String::new(),
            ca_cert_path: None,
        }
    }
}

/// A change to the settings from the webview; absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SettingsPatch {
    #[cfg_attr(feature = "ts", ts(optional))]
    pub base_url: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub default_model: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub language: Option<Language>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub theme: Option<Theme>,
    /// `Some("")` clears the download folder.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub download_dir: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub idle_timeout_secs: Option<u32>,
    /// `Some("")` removes the proxy.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub proxy_url: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub no_proxy: Option<String>,
    /// Read and checked when saved; `Some("")` removes it.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub ca_cert_path: Option<String>,
}

impl Settings {
    /// Apply a patch, refusing values that cannot work.
    pub fn apply(&mut self, patch: SettingsPatch) -> Result<(), AppError> {
        let mut next = self.clone();
        if let Some(u) = patch.base_url {
            // A local check: `invalid_input`, not the server's `bad_request`.
            let parsed = reelchat_protocol::base_url::BaseUrl::parse(&u)
                .map_err(|e| AppError::invalid(e.message))?;
            next.base_url = parsed.as_str().to_string();
        }
        if let Some(m) = patch.default_model {
            let m = m.trim();
            if m.is_empty()
                || m.len() > 100
                || m.chars().any(|c| c.is_control() || c.is_whitespace())
            {
                return Err(AppError::invalid("the model name is not valid"));
            }
            next.default_model = m.to_string();
        }
        if let Some(l) = patch.language {
            next.language = l;
        }
        if let Some(t) = patch.theme {
            next.theme = t;
        }
        if let Some(d) = patch.download_dir {
            let d = d.trim();
            if d.is_empty() {
                next.download_dir = None;
            } else if !std::path::Path::new(d).is_absolute() {
                return Err(AppError::invalid(
                    "the download folder must be an absolute path",
                ));
            } else {
                next.download_dir = Some(d.to_string());
            }
        }
        if let Some(s) = patch.idle_timeout_secs {
            if !(MIN_IDLE_TIMEOUT_SECS..=MAX_IDLE_TIMEOUT_SECS).contains(&s) {
                return Err(AppError::invalid(format!("the idle timeout must be between {MIN_IDLE_TIMEOUT_SECS} and {MAX_IDLE_TIMEOUT_SECS} seconds")));
            }
            next.idle_timeout_secs = s;
        }
        if let Some(p) = patch.proxy_url {
            next.proxy_url = network::normalize_proxy_url(&p)?;
        }
        if let Some(n) = patch.no_proxy {
            next.no_proxy = network::normalize_no_proxy(&n)?;
        }
        if let Some(c) = patch.ca_cert_path {
            next.ca_cert_path = network::normalize_ca_path(&c)?;
            if let Some(path) = &next.ca_cert_path {
                network::load_ca_file(path)?;
            }
        }
        *self = next;
        Ok(())
    }

    pub fn view(&self, key_hint: Option<String>, key_storage: KeyStorage) -> SettingsView {
        SettingsView {
            base_url: self.base_url.clone(),
            has_key: key_hint.is_some(),
            key_hint,
            key_storage,
            default_model: self.default_model.clone(),
            language: self.language,
            theme: self.theme,
            download_dir: self.download_dir.clone(),
            idle_timeout_secs: self.idle_timeout_secs,
            demo: self.demo,
            onboarded: self.onboarded,
            proxy_url: self.proxy_url.clone(),
            no_proxy: self.no_proxy.clone(),
            ca_cert_path: self.ca_cert_path.clone(),
            ca_cert_problem: self
                .ca_cert_path
                .as_deref()
                .and_then(|p| network::load_ca_file(p).err())
                .map(|e| e.message),
        }
    }

    /// The proxy and roots for the clients (reads the CA file).
    pub fn network_options(&self) -> Result<NetworkOptions, AppError> {
        network::options_for(
            self.proxy_url.as_deref(),
            &self.no_proxy,
            self.ca_cert_path.as_deref(),
        )
    }

    /// At start-up: the proxy even when the CA file can no longer be read
    /// (the settings dialog says so; see [`SettingsView::ca_cert_problem`]).
    /// A request to a server signed by that CA then fails as `certificate`.
    pub fn network_options_at_startup(&self) -> NetworkOptions {
        self.network_options().unwrap_or_else(|_| {
            network::options_for(self.proxy_url.as_deref(), &self.no_proxy, None)
                .unwrap_or_default()
        })
    }
}

/// The settings as the webview sees them: the key only as a masked hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SettingsView {
    pub base_url: String,
    pub has_key: bool,
    pub key_hint: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "\"keychain\" | \"file\" | \"none\""))]
    pub key_storage: KeyStorage,
    pub default_model: String,
    pub language: Language,
    pub theme: Theme,
    pub download_dir: Option<String>,
    pub idle_timeout_secs: u32,
    pub demo: bool,
    pub onboarded: bool,
    pub proxy_url: Option<String>,
    pub no_proxy: String,
    pub ca_cert_path: Option<String>,
    /// Why the saved CA file is not in use (moved, deleted, replaced by
    /// something else since it was saved).
    pub ca_cert_problem: Option<String>,
}

/// The result of "test connection".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ConnectionTest {
    pub ok: bool,
    pub models: Vec<String>,
    pub error: Option<AppError>,
}

/// The result of "check status".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CheckStatusResult {
    pub turn: crate::model::TurnRecord,
    pub remote_status: reelchat_protocol::task_status::RemoteStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_are_validated() {
        let mut s = Settings::default();
        s.apply(SettingsPatch {
            base_url: Some(" https://host/api/v1/ ".into()),
            idle_timeout_secs: Some(900),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            (s.base_url.as_str(), s.idle_timeout_secs),
            ("https://host/api", 900)
        );
        for bad in [
            SettingsPatch {
                base_url: Some("ftp://x".into()),
                ..Default::default()
            },
            SettingsPatch {
                base_url: Some("https://a b".into()),
                ..Default::default()
            },
            SettingsPatch {
                idle_timeout_secs: Some(1),
                ..Default::default()
            },
            SettingsPatch {
                default_model: Some("sora 2".into()),
                ..Default::default()
            },
            SettingsPatch {
                download_dir: Some("relative/dir".into()),
                ..Default::default()
            },
            SettingsPatch {
                proxy_url: Some("ftp://proxy:21".into()),
                ..Default::default()
            },
            SettingsPatch {
                no_proxy: Some("http://x.com".into()),
                ..Default::default()
            },
            SettingsPatch {
                ca_cert_path: Some("/no/such/ca.pem".into()),
                ..Default::default()
            },
        ] {
            let before = s.clone();
            assert!(s.apply(bad).is_err());
            assert_eq!(s, before, "a refused patch changes nothing");
        }
    }

    #[test]
    fn network_settings_round_trip_and_clear() {
        let mut s = Settings::default();
        s.apply(SettingsPatch {
            proxy_url: Some(" socks5h://127.0.0.1:1080 ".into()),
            no_proxy: Some("Intranet.corp, 10.0.0.0/8".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(s.proxy_url.as_deref(), Some("socks5h://127.0.0.1:1080"));
        assert_eq!(s.no_proxy, "intranet.corp, 10.0.0.0/8");
        let opts = s.network_options().unwrap();
        assert_eq!(
            opts.proxy.map(|p| (p.url, p.no_proxy)),
            Some((
                "socks5h://127.0.0.1:1080".to_string(),
                "intranet.corp, 10.0.0.0/8".to_string()
            ))
        );
        // Settings saved before these fields existed still load.
        let old: Settings = serde_json::from_str(r#"{"base_url":"https://h"}"#).unwrap();
        assert_eq!((old.proxy_url, old.ca_cert_path), (None, None));
        s.apply(SettingsPatch {
            proxy_url: Some(String::new()),
            ..Default::default()
        })
        .unwrap();
        assert!(s.proxy_url.is_none());
        assert!(s.network_options().unwrap().proxy.is_none());
    }
}
