use reelchat_protocol::CancellationToken;
use reelchat_studio::error::AppError;
use reelchat_studio::network::NetworkClients;
use reelchat_studio::settings::{ConnectionTest, SettingsPatch, SettingsView};
use tauri::{AppHandle, State};

use crate::state::{lock, save_settings, AppState};

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> SettingsView {
    state.view()
}

#[tauri::command]
pub fn update_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    patch: SettingsPatch,
) -> Result<SettingsView, AppError> {
    // Saving the same CA path again re-reads the file (it may have been
    // renewed in place), so any network field rebuilds the clients.
    let network_touched =
        patch.proxy_url.is_some() || patch.no_proxy.is_some() || patch.ca_cert_path.is_some();
    let mut next = state.settings();
    next.apply(patch)?;
    // Build the new clients before saving: a setting that cannot work is
    // refused, and nothing changes.
    let clients = if network_touched {
        Some(NetworkClients::build(&next.network_options()?)?)
    } else {
        None
    };
    save_settings(&app, &next)?;
    *lock(&state.settings) = next;
    if let Some(clients) = clients {
        state.studio.use_network(clients);
    }
    Ok(state.view())
}

/// Save the key in the keychain (or the 0600 fallback file). It never
/// comes back to the webview: only a masked hint does.
#[tauri::command]
pub async fn set_api_key(
    app: AppHandle,
    state: State<'_, AppState>,
    key: String,
) -> Result<SettingsView, AppError> {
    state.secrets.set(&key)?;
    let mut next = state.settings();
    next.onboarded = true;
    next.demo = false;
    save_settings(&app, &next)?;
    *lock(&state.settings) = next;
    stop_relay(&state).await;
    Ok(state.view())
}

#[tauri::command]
pub fn clear_api_key(state: State<'_, AppState>) -> Result<SettingsView, AppError> {
    state.secrets.clear()?;
    Ok(state.view())
}

/// `GET /v1/models` with the given (or saved) key: what worked, or what is
/// wrong. Through the same proxy and trusted roots as every other request.
#[tauri::command]
pub async fn test_connection(
    state: State<'_, AppState>,
    base_url: String,
    api_key: Option<String>,
) -> Result<ConnectionTest, AppError> {
    let key = match api_key.filter(|k| !k.trim().is_empty()) {
        Some(k) => k,
        None => state.secrets.get()?.unwrap_or_default(),
    };
    Ok(
        match state
            .studio
            .client()
            .list_models(&base_url, &key, &CancellationToken::new())
            .await
        {
            Ok(models) => ConnectionTest {
                ok: true,
                models,
                error: None,
            },
            Err(e) => ConnectionTest {
                ok: false,
                models: Vec::new(),
                error: Some(e.into()),
            },
        },
    )
}

/// Start the mock relay inside the app and send requests to it.
#[tauri::command]
pub async fn start_demo(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<SettingsView, AppError> {
    {
        let mut demo = state.demo.lock().await;
        if demo.is_none() {
            let relay = reelchat_studio::demo::start_demo_relay()
                .await
                .map_err(|e| {
                    AppError::new(reelchat_studio::error::AppErrorKind::Io, e.to_string())
                })?;
            *demo = Some(relay);
        }
    }
    let mut next = state.settings();
    next.demo = true;
    next.onboarded = true;
    save_settings(&app, &next)?;
    *lock(&state.settings) = next;
    Ok(state.view())
}

#[tauri::command]
pub async fn stop_demo(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<SettingsView, AppError> {
    let mut next = state.settings();
    next.demo = false;
    save_settings(&app, &next)?;
    *lock(&state.settings) = next;
    stop_relay(&state).await;
    Ok(state.view())
}

async fn stop_relay(state: &AppState) {
    // Jobs on the demo relay keep running until it stops; stop it only when idle.
    if state.studio.running().is_empty() {
        if let Some(relay) = state.demo.lock().await.take() {
            relay.shutdown().await;
        }
    }
}
