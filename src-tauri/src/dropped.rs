//! The files the user dropped on the window. `attach_image` takes a path from the webview, so
//! it only accepts one that the window itself reported as dropped: the webview cannot make the
//! app open an arbitrary file of its choosing.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How many recent drops are remembered (a drop of many files attaches only the first).
const KEEP: usize = 16;

#[derive(Debug, Default)]
pub struct DroppedPaths(Mutex<Vec<PathBuf>>);

impl DroppedPaths {
    /// Called from the window's drop event, before the webview hears of it.
    pub fn remember(&self, paths: &[PathBuf]) {
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        list.extend(paths.iter().cloned());
        let excess = list.len().saturating_sub(KEEP);
        list.drain(..excess);
    }

    /// Whether the path was dropped; a path is used once.
    pub fn take(&self, path: &Path) -> bool {
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match list.iter().position(|p| p == path) {
            Some(i) => {
                list.remove(i);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DroppedPaths;
    use std::path::{Path, PathBuf};

    #[test]
    fn only_dropped_paths_are_accepted_once() {
        let d = DroppedPaths::default();
        assert!(!d.take(Path::new("/etc/passwd")));
        d.remember(&[
            PathBuf::from("/home/u/cat.png"),
            PathBuf::from("/home/u/dog.jpg"),
        ]);
        assert!(!d.take(Path::new("/etc/passwd")));
        assert!(d.take(Path::new("/home/u/dog.jpg")));
        assert!(!d.take(Path::new("/home/u/dog.jpg")));
        assert!(d.take(Path::new("/home/u/cat.png")));
    }

    #[test]
    fn keeps_only_recent_drops() {
        let d = DroppedPaths::default();
        let many: Vec<PathBuf> = (0..40)
            .map(|i| PathBuf::from(format!("/p/{i}.png")))
            .collect();
        d.remember(&many);
        assert!(!d.take(Path::new("/p/0.png")));
        assert!(d.take(Path::new("/p/39.png")));
    }
}
