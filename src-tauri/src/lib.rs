//! ReelChat desktop app: the Tauri shell. It opens the data folder, starts
//! the loopback media server, and hosts thin commands (see `commands`) that
//! forward to reelchat-studio.

mod commands;
mod dropped;
mod locale;
mod navigation;
mod observer;
pub mod renderer;
mod state;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use reelchat_studio::media_server::MediaServer;
use reelchat_studio::secrets::SecretStore;
use reelchat_studio::studio::Studio;
use tauri::{Emitter, Manager, WindowEvent};

use crate::state::{load_settings, AppState};

/// Builds and runs the app. Blocks until the app exits.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    commands::perf::started();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(navigation::guard())
        .setup(|app| {
            commands::perf::mark_now("setup-start");
            let state = tauri::async_runtime::block_on(open_state(app.handle()))?;
            app.manage(state);
            commands::perf::mark_now("setup");
            Ok(())
        })
        .on_window_event(|window, event| {
            if let WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                if let Some(state) = window.try_state::<AppState>() {
                    state.dropped.remember(paths);
                }
            }
            // Closing while videos generate asks first (the webview shows the question).
            if let WindowEvent::CloseRequested { api, .. } = event {
                if let Some(state) = window.try_state::<AppState>() {
                    if !state.studio.running().is_empty() && !state.quitting.load(Ordering::SeqCst)
                    {
                        api.prevent_close();
                        let _ = window.emit("close-requested", ());
                    }
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::quit_app,
            commands::app::startup_notices,
            commands::settings::get_settings,
            commands::settings::update_settings,
            commands::settings::set_api_key,
            commands::settings::clear_api_key,
            commands::settings::test_connection,
            commands::settings::start_demo,
            commands::settings::stop_demo,
            commands::conversations::list_conversations,
            commands::conversations::get_conversation,
            commands::conversations::create_conversation,
            commands::conversations::rename_conversation,
            commands::conversations::delete_conversation,
            commands::conversations::set_head,
            commands::generation::send_message,
            commands::generation::stop_generation,
            commands::generation::check_status,
            commands::generation::running_jobs,
            commands::models::list_models,
            commands::attachments::pick_image,
            commands::attachments::attach_image,
            commands::media::media_base_url,
            commands::media::open_external,
            commands::media::save_video_as,
            commands::media::open_media_folder,
            commands::export::export_conversation,
            commands::export::reveal_export,
            commands::perf::perf_mark,
            commands::library::list_library,
            commands::library::delete_library_item,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("reelchat: error while running the app: {e}");
        std::process::exit(1);
    }
}

async fn open_state(app: &tauri::AppHandle) -> Result<AppState, Box<dyn std::error::Error>> {
    let data_dir = app.path().app_data_dir()?;
    let config_dir = app.path().app_config_dir()?;
    std::fs::create_dir_all(&config_dir)?;
    let (studio, store_notices) = Studio::open(&data_dir).map_err(|e| {
        format!(
            "cannot open the data folder {}: {}",
            data_dir.display(),
            e.message
        )
    })?;
    let media = MediaServer::start(studio.media_dir().to_path_buf()).await?;
    let secrets = SecretStore::new(config_dir.join("api-key"));
    let mut settings = load_settings(app);
    // `scripts/run` asks for demo mode when no key is set, so a first
    // launch can be tried at once.
    if std::env::var("REELCHAT_AUTO_DEMO").is_ok_and(|v| v == "1")
        && !settings.demo
        && secrets.get().ok().flatten().is_none()
    {
        settings.demo = true;
        settings.onboarded = true;
    }
    // The user's proxy and trusted roots, before anything is sent.
    let _ = studio.set_network(&settings.network_options_at_startup());
    let demo = if settings.demo {
        reelchat_studio::demo::start_demo_relay().await.ok()
    } else {
        None
    };
    let notices = store_notices.into_iter().map(|n| n.message).collect();
    Ok(AppState {
        studio,
        media,
        secrets,
        settings: Mutex::new(settings),
        demo: tokio::sync::Mutex::new(demo),
        notices,
        quitting: AtomicBool::new(false),
        dropped: Default::default(),
    })
}
