// Prevents an additional console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    reelchat_app_lib::renderer::choose();
    reelchat_app_lib::run();
}
