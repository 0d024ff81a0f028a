//! The HTTP endpoints.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use serde_json::{json, Value};

use crate::errors::{error_json, ApiError};
use crate::history::source_sid;
use crate::hostile;
use crate::ids::{completion_id, is_task_id, random_u64, request_id, Rng};
use crate::media::{clip_after, clip_for_prompt, serve_bytes, CLIPS};
use crate::runner::stream_response;
use crate::scenario::Scenario;
use crate::sse::ChunkWriter;
use crate::stream::{build, ScriptInput};
use crate::validate::{authorized, parse_chat_request, MODELS};
use crate::{AppState, RecordedRequest};

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/v1/chat/completions", post(chat))
        .route("/v1/models", get(models))
        .route("/web/{task_id}", get(web_page))
        .route("/source/{task_id}", get(raw_data))
        .route("/media/{file}", get(media))
        .route("/__stamps", get(crate::stamps::list_stamps))
        .route(
            "/__hits",
            get(hostile::list_hits).delete(hostile::clear_hits),
        )
        .route("/exfil", get(hostile::exfil))
        .route("/exfil/{*rest}", get(hostile::exfil))
        .route("/private/{*rest}", get(hostile::private))
        .route("/hostile/page.mp4", get(hostile::html_video))
        .route("/hostile/huge.mp4", get(hostile::huge_video))
        .route("/hostile/landing/{file}", get(hostile::landing))
        .route("/hostile/source/{task_id}", get(hostile::landing_source))
        .route("/r/video/{file}", get(hostile::redirect_video))
        .route("/r/source/{task_id}", get(hostile::redirect_source))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            hostile::record,
        ))
        .with_state(state)
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn chat(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let authorization = header_str(&headers, header::AUTHORIZATION).map(str::to_string);
    let response = answer_chat(&state, authorization.as_deref(), &body);
    let body = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    state.record(RecordedRequest {
        authorization,
        body,
        status: response.status().as_u16(),
    });
    response
}

fn answer_chat(state: &Arc<AppState>, authorization: Option<&str>, body: &[u8]) -> Response {
    let mut rng = Rng::new(random_u64());
    if !authorized(authorization, state.config.api_key.as_deref()) {
        return ApiError::unauthorized(&request_id(&mut rng)).into_response();
    }
    let request = match parse_chat_request(body) {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    let source = match source_sid(&request, &state.replies) {
        Ok(source) => source,
        Err(error) => return error.into_response(),
    };
    let scenario = Scenario::from_prompt(request.prompt())
        .or(state.config.default_scenario)
        .unwrap_or(Scenario::Success);
    let refusal = match scenario {
        Scenario::PolicyHttp => Some(ApiError::sentinel_block()),
        Scenario::Unauthorized => Some(ApiError::unauthorized(&request_id(&mut rng))),
        Scenario::RateLimited => Some(ApiError::RateLimited {
            retry_after_secs: 7,
        }),
        Scenario::Html502 => Some(ApiError::Html502),
        Scenario::Html524 => Some(ApiError::Html524),
        _ => None,
    };
    if let Some(refusal) = refusal {
        return refusal.into_response();
    }
    let clip = match &source {
        Some(sid) => clip_after(
            state
                .media
                .clip_of(sid)
                .unwrap_or_else(|| clip_for_prompt(sid)),
        ),
        None => clip_for_prompt(request.prompt()),
    };
    let script = build(
        &ScriptInput {
            base_url: &state.base_url,
            scenario,
            model: &request.model,
            prompt: request.prompt(),
            source_sid: source.as_deref(),
            clip,
        },
        &mut rng,
    );
    let writer = ChunkWriter {
        id: completion_id(&mut rng),
        created: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        model: request.model.clone(),
    };
    stream_response(Arc::clone(state), script, writer)
}

async fn models(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let authorization = header_str(&headers, header::AUTHORIZATION);
    if !authorized(authorization, state.config.api_key.as_deref()) {
        let mut rng = Rng::new(random_u64());
        return ApiError::unauthorized(&request_id(&mut rng)).into_response();
    }
    let data: Vec<Value> = MODELS
        .iter()
        .map(|id| json!({"id": id, "object": "model", "owned_by": "mock"}))
        .collect();
    Json(json!({"object": "list", "data": data})).into_response()
}

fn task_not_found(task_id: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "application/json")],
        error_json(
            &format!("task {task_id} not found"),
            "invalid_request_error",
            "task_not_found",
        ),
    )
        .into_response()
}

async fn web_page(State(state): State<Arc<AppState>>, Path(task_id): Path<String>) -> Response {
    match state.tasks.get(&task_id).filter(|_| is_task_id(&task_id)) {
        Some(task) => Html(task.html()).into_response(),
        None => task_not_found(&task_id),
    }
}

async fn raw_data(State(state): State<Arc<AppState>>, Path(task_id): Path<String>) -> Response {
    match state.tasks.get(&task_id).filter(|_| is_task_id(&task_id)) {
        Some(task) => Json(task).into_response(),
        None => task_not_found(&task_id),
    }
}

async fn media(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (sid, is_video) = match (file.strip_suffix(".mp4"), file.strip_suffix(".jpg")) {
        (Some(sid), _) => (sid, true),
        (_, Some(sid)) => (sid, false),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let Some(clip) = state.media.clip_of(sid).and_then(|i| CLIPS.get(i)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let range = header_str(&headers, header::RANGE);
    if is_video {
        serve_bytes(clip.mp4, "video/mp4", range)
    } else {
        serve_bytes(clip.jpg, "image/jpeg", range)
    }
}
