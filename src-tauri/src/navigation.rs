//! Keeps the webview on the app's own pages. Server text is rendered without raw HTML and
//! its links open in the system browser, but if anything ever tried to move the main
//! webview elsewhere (a stray `<a>`, `location = …`, a form), the navigation is refused:
//! a foreign page inside the app window would get the app's IPC bridge.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::Runtime;
use url::Url;

/// The plugin that cancels every navigation away from the app's own origin.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("navigation-guard")
        .on_navigation(|_webview, url| {
            let allowed = is_app_url(url, cfg!(dev));
            if !allowed {
                // Scheme and host only: the rest of a URL may carry chat text.
                eprintln!(
                    "reelchat: navigation refused ({}://{})",
                    url.scheme(),
                    url.host_str().unwrap_or("")
                );
            }
            allowed
        })
        .build()
}

/// The app's own pages: `tauri://localhost` (Linux, macOS), `http(s)://tauri.localhost`
/// (Windows), and in `tauri dev` the Vite server on localhost.
pub fn is_app_url(url: &Url, dev: bool) -> bool {
    match (url.scheme(), url.host_str()) {
        ("tauri", Some("localhost")) => true,
        ("http" | "https", Some("tauri.localhost")) => true,
        ("http", Some("localhost")) => dev && url.port() == Some(5173),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_app_url;
    use url::Url;

    fn allowed(s: &str, dev: bool) -> bool {
        is_app_url(&Url::parse(s).expect("test URL"), dev)
    }

    #[test]
    fn the_app_origin_is_allowed() {
        assert!(allowed("tauri://localhost/", false));
        assert!(allowed("tauri://localhost/index.html#x", false));
        assert!(allowed("http://tauri.localhost/", false));
        assert!(allowed("https://tauri.localhost/assets/a.js", false));
    }

    #[test]
    fn everything_else_is_refused() {
        for url in [
            "https://evil.example/",
            "http://127.0.0.1:8080/",
            "http://localhost:5173/",
            "javascript:alert(1)",
            "data:text/html,<script>1</script>",
            "file:///etc/passwd",
            "smb://evil/share",
            "tauri://evil/",
            "https://tauri.localhost.evil.example/",
        ] {
            assert!(!allowed(url, false), "{url} must be refused");
        }
    }

    #[test]
    fn the_vite_server_only_in_dev() {
        assert!(allowed("http://localhost:5173/", true));
        assert!(!allowed("http://localhost:5174/", true));
        assert!(!allowed("https://evil.example/", true));
    }
}
