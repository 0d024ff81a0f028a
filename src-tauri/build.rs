// The app's own commands are declared here (AppManifest) so each one gets a
// permission `allow-<command>`; capabilities/main.json grants them one by one.
const COMMANDS: &[&str] = include!("src/commands/names.in");

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri-build failed: {e:#}"));
}
