//! How WebKitGTK paints. Since 2.46 it paints with Skia on the GPU by default; without a GPU
//! (no DRM render node: a VM, a remote desktop, Xvfb) "the GPU" is Mesa's software rasterizer,
//! and Skia's GPU path through it is far slower than Skia's own CPU path. Measured here
//! (docs/perf.md, scrolling a 1000-message conversation): frames of 0.3–0.5 s whenever a reply
//! card first appears; with CPU painting on both cores 0.1–0.2 s, and with cheap shadows too
//! ~0.06 s. So without a render node ReelChat asks WebKit for CPU painting on one thread per core
//! (WebKit's default is half the cores); a user's own setting of either variable always wins.

use std::path::Path;

/// The WebKitGTK variable that selects Skia's CPU painting.
pub const CPU_RENDERING_VAR: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";
/// The WebKitGTK variable for the number of CPU painting threads.
pub const CPU_THREADS_VAR: &str = "WEBKIT_SKIA_CPU_PAINTING_THREADS";
/// More painting threads than this buys little for one window.
const MAX_PAINTING_THREADS: usize = 4;

/// Painting threads for `cores` cores.
pub fn painting_threads(cores: usize) -> usize {
    cores.clamp(1, MAX_PAINTING_THREADS)
}

/// True when CPU painting should be asked for: the variable is not set by the user and no
/// entry of the DRM folder is a render node.
pub fn wants_cpu_painting(user_value: Option<&str>, dri_entries: &[String]) -> bool {
    user_value.is_none() && !dri_entries.iter().any(|name| name.starts_with("renderD"))
}

/// Names in `/dev/dri` (none when it does not exist).
fn dri_entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Chooses the painting path. Call first thing in `main`, before any thread starts (it sets an
/// environment variable that the WebKit processes inherit).
pub fn choose() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let user = std::env::var(CPU_RENDERING_VAR).ok();
    if wants_cpu_painting(user.as_deref(), &dri_entries(Path::new("/dev/dri"))) {
        std::env::set_var(CPU_RENDERING_VAR, "1");
        if std::env::var_os(CPU_THREADS_VAR).is_none() {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            std::env::set_var(CPU_THREADS_VAR, painting_threads(cores).to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn cpu_painting_without_a_render_node() {
        assert!(wants_cpu_painting(None, &[]));
        // A display-only card (no render node) is no GPU for Skia either.
        assert!(wants_cpu_painting(None, &names(&["card0", "by-path"])));
    }

    #[test]
    fn gpu_painting_kept_when_there_is_a_render_node() {
        assert!(!wants_cpu_painting(None, &names(&["card0", "renderD128"])));
    }

    #[test]
    fn one_painting_thread_per_core_up_to_four() {
        assert_eq!(painting_threads(0), 1);
        assert_eq!(painting_threads(2), 2);
        assert_eq!(painting_threads(16), 4);
    }

    #[test]
    fn the_users_own_setting_wins() {
        assert!(!wants_cpu_painting(Some("0"), &[]));
        assert!(!wants_cpu_painting(Some("1"), &names(&["renderD128"])));
    }
}
