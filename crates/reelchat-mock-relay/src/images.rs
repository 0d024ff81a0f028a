//! Array contents, as image-to-video relays take them:
//! `[{"type":"text","text":…},{"type":"image_url","image_url":{"url":"data:image/png;base64,…"}}]`.
//! The relay accepts them (and checks each image is a real PNG/JPEG/WebP data
//! URI), unless the prompt says `[reject-array]`: then it answers like a
//! plain-text relay does, with a 400 naming the content type.

use serde_json::Value;

use crate::errors::ApiError;

/// The prompt keyword that makes the relay refuse array contents.
pub const REJECT_ARRAY: &str = "[reject-array]";

/// The most image bytes (decoded) one data URI may carry.
pub const MAX_IMAGE_BYTES: usize = 20 * 1024 * 1024;

/// The text and images of an array content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The text parts, joined by newlines.
    pub text: String,
    /// The image data URIs, exactly as sent.
    pub images: Vec<String>,
}

/// The 400 a plain-text relay answers to an array content.
pub fn array_refused(index: usize) -> ApiError {
    ApiError::bad_request(format!(
        "messages[{index}].content must be a string: this model takes plain text, not an array of content parts"
    ))
}

/// Parses the parts of `messages[index].content`.
pub fn parse_parts(index: usize, items: &[Value]) -> Result<Parts, ApiError> {
    let mut texts = Vec::new();
    let mut images = Vec::new();
    for (j, item) in items.iter().enumerate() {
        let at = format!("messages[{index}].content[{j}]");
        match item.get("type").and_then(Value::as_str) {
            Some("text") => match item.get("text") {
                Some(Value::String(text)) => texts.push(text.clone()),
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "{at}.text is required and must be a string"
                    )))
                }
            },
            Some("image_url") => {
                let Some(url) = item.pointer("/image_url/url").and_then(Value::as_str) else {
                    return Err(ApiError::bad_request(format!(
                        "{at}.image_url.url is required and must be a string"
                    )));
                };
                check_data_uri(&at, url)?;
                images.push(url.to_string());
            }
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "{at}.type `{other}` is not one of text, image_url"
                )))
            }
            None => {
                return Err(ApiError::bad_request(format!(
                    "{at}.type is required and must be a string"
                )))
            }
        }
    }
    if texts.is_empty() {
        return Err(ApiError::bad_request(format!(
            "messages[{index}].content has no text part"
        )));
    }
    Ok(Parts {
        text: texts.join("\n"),
        images,
    })
}

/// A `data:image/{png,jpeg,webp};base64,` URI whose bytes start with that
/// type's magic bytes.
fn check_data_uri(at: &str, url: &str) -> Result<(), ApiError> {
    let bad = |why: &str| ApiError::bad_request(format!("{at}.image_url.url {why}"));
    let Some(rest) = url.strip_prefix("data:") else {
        return Err(bad("must be a data: URI (this relay does not fetch links)"));
    };
    let Some((mime, b64)) = rest.split_once(";base64,") else {
        return Err(bad("must be base64"));
    };
    if b64.len() / 4 * 3 > MAX_IMAGE_BYTES {
        return Err(bad("is larger than 20 MB"));
    }
    if !b64
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
    {
        return Err(bad("is not valid base64"));
    }
    let head = decode_prefix(b64).ok_or_else(|| bad("is not valid base64"))?;
    let matches = match mime {
        "image/png" => head.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => head.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/webp" => head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP"),
        _ => return Err(bad("must be image/png, image/jpeg or image/webp")),
    };
    if matches {
        Ok(())
    } else {
        Err(bad(&format!("does not hold a {mime} image")))
    }
}

/// The first 12 bytes of a base64 text (16 characters), enough for magic bytes.
fn decode_prefix(b64: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let chars = b64.as_bytes().get(..16)?;
    let mut out = Vec::with_capacity(12);
    for quad in chars.chunks(4) {
        let mut n = 0u32;
        for &c in quad {
            n = (n << 6) | value(c)?;
        }
        out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    fn parts(v: Value) -> Result<Parts, ApiError> {
        parse_parts(0, v.as_array().map_or(&[][..], Vec::as_slice))
    }

    #[test]
    fn text_and_image() {
        let p = parts(serde_json::json!([
            {"type":"text","text":"a cat"},
            {"type":"image_url","image_url":{"url":PNG}}
        ]))
        .unwrap();
        assert_eq!(p.text, "a cat");
        assert_eq!(p.images, [PNG]);
    }

    #[test]
    fn refuses_what_is_not_an_image_data_uri() {
        for url in [
            "https://example.com/cat.png",
            "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACw=",
            // JPEG label, PNG bytes.
            "data:image/jpeg;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB",
            "data:image/png;base64,!!!!",
            "data:image/png,plain",
        ] {
            let r = parts(serde_json::json!([
                {"type":"text","text":"a"},
                {"type":"image_url","image_url":{"url":url}}
            ]));
            assert!(r.is_err(), "{url}");
        }
        assert!(parts(serde_json::json!([{"type":"image_url","image_url":{"url":PNG}}])).is_err());
        assert!(parts(serde_json::json!([{"type":"audio","text":"a"}])).is_err());
    }
}
