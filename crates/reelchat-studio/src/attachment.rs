//! Images attached to a message (image to video). A picked or dropped file
//! is checked by its magic bytes (PNG, JPEG, WebP only), refused above
//! [`MAX_INPUT_BYTES`], decoded with limits (a small file can still claim
//! a huge canvas), turned upright (EXIF orientation), downscaled to at most
//! [`MAX_SIDE`] px on its long side, and re-encoded — JPEG q90, or PNG when
//! it has transparency. Re-encoding also drops metadata such as the GPS
//! position a photo may carry.
//!
//! The result is staged in `media/staged/` until the message is sent, then
//! copied next to the conversation's other media. The data URI is built
//! from that file at each send, so a later request re-sends exactly the
//! same bytes (the server's history must match byte for byte).

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppErrorKind};
use crate::ids::random_hex;

/// The largest file accepted, before processing.
pub const MAX_INPUT_BYTES: u64 = 20 * 1024 * 1024;
/// The longest side after processing.
pub const MAX_SIDE: u32 = 2048;
/// The largest canvas a file may claim (width × height), e.g. 12000 × 8000.
const MAX_PIXELS: u64 = 100_000_000;
/// Staged images nobody sent are removed after this long.
const STAGED_TTL: Duration = Duration::from_secs(24 * 3600);
const JPEG_QUALITY: u8 = 90;
/// The folder under the media folder where attachments wait to be sent.
pub const STAGED_DIR: &str = "staged";

/// An image ready to send (staged) or sent with a message (stored on its turn).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImageAttachment {
    /// The file, relative to the media folder (`staged/a_….jpg` before
    /// sending, `<conversation>/<turn>-input.jpg` after).
    pub file: String,
    /// `image/jpeg` or `image/png`.
    pub mime: String,
    pub width: u32,
    pub height: u32,
    /// The file's size in bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    /// It was larger than [`MAX_SIDE`] and was scaled down.
    pub downscaled: bool,
}

fn invalid(message: impl Into<String>) -> AppError {
    AppError::new(AppErrorKind::InvalidInput, message)
}

fn io(path: &Path, e: std::io::Error) -> AppError {
    AppError::new(AppErrorKind::Io, format!("{}: {e}", path.display()))
}

/// The type of an image by its first bytes, whatever the file is named.
pub fn sniff(head: &[u8]) -> Option<ImageFormat> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        Some(ImageFormat::WebP)
    } else {
        None
    }
}

/// An encoded image and what it is.
#[derive(Debug, Clone)]
pub struct Processed {
    pub data: Vec<u8>,
    pub mime: &'static str,
    pub ext: &'static str,
    pub width: u32,
    pub height: u32,
    pub downscaled: bool,
}

/// Check, decode, orient, downscale and re-encode an image file's bytes.
pub fn process(bytes: &[u8]) -> Result<Processed, AppError> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(invalid(format!(
            "the image is larger than {} MB",
            MAX_INPUT_BYTES / 1024 / 1024
        )));
    }
    let format = sniff(bytes).ok_or_else(|| invalid("not a PNG, JPEG or WebP image"))?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| invalid(format!("the image cannot be read: {e}")))?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(invalid(format!("the image is too large ({w}×{h} pixels)")));
    }
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder)
        .map_err(|e| invalid(format!("the image cannot be read: {e}")))?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let downscaled = img.width().max(img.height()) > MAX_SIDE;
    if downscaled {
        img = img.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::CatmullRom);
    }
    let has_alpha = img.color().has_alpha() && img.to_rgba8().pixels().any(|p| p.0[3] < 255);
    let mut data = Vec::new();
    let (mime, ext) = if has_alpha {
        img.to_rgba8()
            .write_to(&mut Cursor::new(&mut data), ImageFormat::Png)
            .map_err(|e| invalid(format!("the image cannot be encoded: {e}")))?;
        ("image/png", "png")
    } else {
        let rgb = img.to_rgb8();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut data, JPEG_QUALITY);
        rgb.write_with_encoder(encoder)
            .map_err(|e| invalid(format!("the image cannot be encoded: {e}")))?;
        ("image/jpeg", "jpg")
    };
    Ok(Processed {
        data,
        mime,
        ext,
        width: img.width(),
        height: img.height(),
        downscaled,
    })
}

/// Read, process and stage the image at `path` under `media_dir/staged`.
pub fn stage(media_dir: &Path, path: &Path) -> Result<ImageAttachment, AppError> {
    let meta = std::fs::metadata(path).map_err(|e| io(path, e))?;
    if !meta.is_file() {
        return Err(invalid("not a file"));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(invalid(format!(
            "the image is larger than {} MB",
            MAX_INPUT_BYTES / 1024 / 1024
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| io(path, e))?;
    let p = process(&bytes)?;
    let dir = media_dir.join(STAGED_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    remove_old_staged(&dir);
    let name = format!("a_{}.{}", random_hex(12), p.ext);
    let dest = dir.join(&name);
    std::fs::write(&dest, &p.data).map_err(|e| io(&dest, e))?;
    Ok(ImageAttachment {
        file: format!("{STAGED_DIR}/{name}"),
        mime: p.mime.to_string(),
        width: p.width,
        height: p.height,
        bytes: p.data.len() as u64,
        downscaled: p.downscaled,
    })
}

/// Staged files left by messages never sent.
fn remove_old_staged(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STAGED_TTL);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The staged file named by `file` (`staged/a_<hex>.jpg|png`), refusing
/// anything else the webview might pass.
pub fn staged_path(media_dir: &Path, file: &str) -> Result<PathBuf, AppError> {
    let name = file
        .strip_prefix(STAGED_DIR)
        .and_then(|s| s.strip_prefix('/'))
        .ok_or_else(|| invalid("not a staged image"))?;
    let (stem, ext) = name
        .rsplit_once('.')
        .ok_or_else(|| invalid("not a staged image"))?;
    let ok = stem.strip_prefix("a_").is_some_and(|h| {
        !h.is_empty() && h.len() <= 64 && h.bytes().all(|b| b.is_ascii_hexdigit())
    }) && (ext == "jpg" || ext == "png");
    if !ok {
        return Err(invalid("not a staged image"));
    }
    Ok(media_dir.join(STAGED_DIR).join(name))
}

/// A path relative to the media folder, with no `..`, root or prefix.
fn media_path(media_dir: &Path, file: &str) -> Result<PathBuf, AppError> {
    let rel = Path::new(file);
    if file.is_empty()
        || rel
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(invalid("bad image path"));
    }
    Ok(media_dir.join(rel))
}

/// Copy an image (staged, or an earlier turn's for a retry) next to the
/// conversation's media as `<conversation>/<turn>-input.<ext>`.
pub fn keep_for_turn(
    media_dir: &Path,
    source: &ImageAttachment,
    conversation_id: &str,
    turn_id: &str,
) -> Result<ImageAttachment, AppError> {
    let src = media_path(media_dir, &source.file)?;
    let ext = if source.file.ends_with(".png") {
        "png"
    } else {
        "jpg"
    };
    let dir = media_dir.join(conversation_id);
    std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    let name = format!("{turn_id}-input.{ext}");
    let dest = dir.join(&name);
    std::fs::copy(&src, &dest).map_err(|e| io(&src, e))?;
    Ok(ImageAttachment {
        file: format!("{conversation_id}/{name}"),
        ..source.clone()
    })
}

/// Describe a staged file again from disk (the webview passes only its name).
pub fn describe_staged(media_dir: &Path, file: &str) -> Result<ImageAttachment, AppError> {
    let path = staged_path(media_dir, file)?;
    let bytes =
        std::fs::read(&path).map_err(|_| invalid("the attached image is gone; attach it again"))?;
    let format = sniff(&bytes).ok_or_else(|| invalid("not a staged image"))?;
    let (width, height) = ImageReader::with_format(Cursor::new(&bytes), format)
        .into_dimensions()
        .map_err(|e| invalid(format!("the image cannot be read: {e}")))?;
    Ok(ImageAttachment {
        file: file.to_string(),
        mime: if format == ImageFormat::Png {
            "image/png"
        } else {
            "image/jpeg"
        }
        .to_string(),
        width,
        height,
        bytes: bytes.len() as u64,
        downscaled: false,
    })
}

/// The `data:` URI of a stored attachment, built from its file's bytes.
pub fn data_uri(media_dir: &Path, image: &ImageAttachment) -> Result<String, AppError> {
    let path = media_path(media_dir, &image.file)?;
    let bytes = std::fs::read(&path).map_err(|e| {
        AppError::new(
            AppErrorKind::Io,
            format!(
                "the image sent with this message is missing ({}): {e}",
                path.display()
            ),
        )
    })?;
    let mime = match sniff(&bytes) {
        Some(ImageFormat::Png) => "image/png",
        Some(ImageFormat::Jpeg) => "image/jpeg",
        _ => return Err(invalid("the stored image is not a PNG or JPEG")),
    };
    Ok(format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    ))
}

/// The protocol's thread of `c`, with the data URI of each image the
/// history to `parent` re-sends (built from the stored files: the same bytes
/// every time). A missing file is an error: the history cannot be re-sent
/// as it was.
pub fn thread_for_send(
    media_dir: &Path,
    c: &crate::model::Conversation,
    parent: Option<&str>,
) -> Result<reelchat_protocol::Thread, AppError> {
    let mut thread = c.thread();
    for id in thread.chain_ids(parent) {
        let Some(image) = c.turn(&id).and_then(|t| t.image.as_ref()) else {
            continue;
        };
        let uri = data_uri(media_dir, image)?;
        if let Some(t) = thread.turns.iter_mut().find(|t| t.id == id) {
            t.image = Some(uri);
        }
    }
    Ok(thread)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb, Rgba};

    fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), format).unwrap();
        out
    }

    fn photo(w: u32, h: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(ImageBuffer::from_fn(w, h, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        }))
    }

    #[test]
    fn a_huge_photo_is_scaled_to_2048_and_becomes_jpeg() {
        let p = process(&encode(photo(4000, 1000), ImageFormat::Png)).unwrap();
        assert_eq!((p.width, p.height), (2048, 512));
        assert!(p.downscaled);
        assert_eq!(p.mime, "image/jpeg");
        assert_eq!(sniff(&p.data), Some(ImageFormat::Jpeg));
    }

    #[test]
    fn a_small_image_keeps_its_size_and_transparency_keeps_png() {
        let p = process(&encode(photo(300, 200), ImageFormat::Jpeg)).unwrap();
        assert_eq!((p.width, p.height, p.downscaled), (300, 200, false));
        let clear = DynamicImage::ImageRgba8(ImageBuffer::from_fn(64, 64, |x, _| {
            Rgba([10, 20, 30, if x < 32 { 0 } else { 255 }])
        }));
        let p = process(&encode(clear, ImageFormat::Png)).unwrap();
        assert_eq!(p.mime, "image/png");
        let webp = encode(photo(50, 40), ImageFormat::WebP);
        assert_eq!(sniff(&webp), Some(ImageFormat::WebP));
        let p = process(&webp).unwrap();
        assert_eq!((p.width, p.height, p.mime), (50, 40, "image/jpeg"));
    }

    #[test]
    fn refuses_other_types_broken_files_and_bombs() {
        let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!";
        assert_eq!(process(gif).unwrap_err().kind, AppErrorKind::InvalidInput);
        // A PNG signature with garbage after it.
        let mut broken = b"\x89PNG\r\n\x1a\n".to_vec();
        broken.extend_from_slice(&[7; 64]);
        assert_eq!(
            process(&broken).unwrap_err().kind,
            AppErrorKind::InvalidInput
        );
        // A real PNG header claiming 60000 × 60000 pixels.
        let mut bomb = encode(photo(1, 1), ImageFormat::Png);
        bomb[16..20].copy_from_slice(&60_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&60_000u32.to_be_bytes());
        assert!(process(&bomb).is_err());
        // Too many bytes, whatever they are.
        let big = vec![0u8; MAX_INPUT_BYTES as usize + 1];
        assert!(process(&big).is_err());
    }

    #[test]
    fn staged_then_kept_then_the_same_data_uri_every_time() {
        let dir = tempfile::tempdir().unwrap();
        let media = dir.path().join("media");
        let src = dir.path().join("cat.webp"); // the name does not matter, the bytes do
        std::fs::write(&src, encode(photo(3000, 3000), ImageFormat::Png)).unwrap();
        let staged = stage(&media, &src).unwrap();
        assert!(staged.file.starts_with("staged/a_") && staged.file.ends_with(".jpg"));
        assert_eq!((staged.width, staged.height), (2048, 2048));
        assert_eq!(describe_staged(&media, &staged.file).unwrap().width, 2048);
        let kept = keep_for_turn(&media, &staged, "c_1", "t_1").unwrap();
        assert_eq!(kept.file, "c_1/t_1-input.jpg");
        let a = data_uri(&media, &kept).unwrap();
        let b = data_uri(&media, &kept).unwrap();
        assert!(a.starts_with("data:image/jpeg;base64,/9j/"));
        assert_eq!(a, b);
        for bad in [
            "../x.jpg",
            "staged/../../etc/passwd",
            "staged/a_zz.jpg",
            "staged/a_12.gif",
            "staged/b_12.jpg",
        ] {
            assert!(staged_path(&media, bad).is_err(), "{bad}");
        }
        let outside = ImageAttachment {
            file: "../cat.webp".into(),
            ..kept
        };
        assert!(data_uri(&media, &outside).is_err());
        assert!(stage(&media, dir.path()).is_err(), "a folder");
    }
}
