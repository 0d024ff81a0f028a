//! Every non-stream answer the relay gives to a chat request: JSON errors, an empty 429,
//! proxy HTML pages.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An answer to a chat request that is not an SSE stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// `{"error":{"message","type","code"}}` with this status.
    Json {
        status: StatusCode,
        message: String,
        kind: &'static str,
        code: &'static str,
    },
    /// 429 with `Retry-After` and an empty body.
    RateLimited { retry_after_secs: u32 },
    /// nginx's 502 page.
    Html502,
    /// Cloudflare's 524 page.
    Html524,
}

impl ApiError {
    /// 400 `invalid_request_error`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::Json {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            kind: "invalid_request_error",
            code: "",
        }
    }

    /// 401 as new-api answers a missing or wrong key.
    pub fn unauthorized(request_id: &str) -> Self {
        ApiError::Json {
            status: StatusCode::UNAUTHORIZED,
            message: format!("无效的令牌 (request id: {request_id})"),
            kind: "new_api_error",
            code: "",
        }
    }

    /// 404 `model_not_found`.
    pub fn model_not_found(model: &str) -> Self {
        ApiError::Json {
            status: StatusCode::NOT_FOUND,
            message: format!(
                "The model `{model}` does not exist or you do not have access to it (available: sora-2, sora-2-pro, sora-2-hd)"
            ),
            kind: "invalid_request_error",
            code: "model_not_found",
        }
    }

    /// 400 `sentinel_block`: the prompt was refused before generation.
    pub fn sentinel_block() -> Self {
        ApiError::Json {
            status: StatusCode::BAD_REQUEST,
            message: "This request has been blocked by our content filters (sentinel_block). Please revise the prompt.".into(),
            kind: "invalid_request_error",
            code: "sentinel_block",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Json { status, .. } => *status,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Html502 => StatusCode::BAD_GATEWAY,
            ApiError::Html524 => StatusCode::from_u16(524).unwrap_or(StatusCode::GATEWAY_TIMEOUT),
        }
    }
}

#[derive(Serialize)]
struct ErrorEnvelope<'a> {
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    message: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    code: &'a str,
}

/// `{"error":{"message","type","code"}}` as compact JSON.
pub fn error_json(message: &str, kind: &str, code: &str) -> String {
    let envelope = ErrorEnvelope {
        error: ErrorBody {
            message,
            kind,
            code,
        },
    };
    serde_json::to_string(&envelope).unwrap_or_default()
}

const NGINX_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const CLOUDFLARE_524: &str = r#"<!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<!--[if gt IE 8]><!--> <html class="no-js" lang="en-US"> <!--<![endif]-->
<head>
<title>127.0.0.1 | 524: A timeout occurred</title>
<meta charset="UTF-8" />
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta name="robots" content="noindex, nofollow" />
</head>
<body>
<div id="cf-wrapper">
  <div id="cf-error-details" class="p-0">
    <header class="mx-auto pt-10 lg:pt-6 lg:px-8 w-240 lg:w-full mb-8">
      <h1 class="inline-block sm:block sm:mb-2 font-light text-60 lg:text-4xl text-black-dark leading-tight mr-2">
        <span class="inline-block">A timeout occurred</span>
        <span class="code-label">Error code 524</span>
      </h1>
    </header>
    <div class="w-240 lg:w-full mx-auto mb-8 lg:px-8">
      <p>The origin web server timed out responding to this request.</p>
    </div>
    <div class="cf-error-footer">
      <p>Cloudflare Ray ID: <strong class="font-semibold">8d2f3c4b5a6e7f80</strong> &bull; Performance &amp; security by Cloudflare</p>
    </div>
  </div>
</div>
</body>
</html>
"#;

fn html(status: StatusCode, body: &'static str, server: &'static str) -> Response {
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=UTF-8")],
        body,
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::SERVER, HeaderValue::from_static(server));
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match self {
            ApiError::Json {
                message,
                kind,
                code,
                ..
            } => (
                status,
                [(header::CONTENT_TYPE, "application/json")],
                error_json(&message, kind, code),
            )
                .into_response(),
            ApiError::RateLimited { retry_after_secs } => {
                let mut response = status.into_response();
                if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                response
            }
            ApiError::Html502 => html(status, NGINX_502, "nginx"),
            ApiError::Html524 => html(status, CLOUDFLARE_524, "cloudflare"),
        }
    }
}
