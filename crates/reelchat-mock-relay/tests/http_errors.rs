//! Strict validation and the HTTP-error scenarios, over real loopback HTTP.

mod common;

use common::{body, post, prompt, relay, KEY};
use reelchat_mock_relay::{start, RelayConfig};
use serde_json::{json, Value};

#[allow(clippy::expect_used)]
async fn error_body(response: reqwest::Response) -> Value {
    response.json().await.expect("a JSON error body")
}

#[tokio::test]
async fn missing_or_wrong_key_is_401() {
    let relay = start(RelayConfig {
        api_key: Some("sk-right".into()),
        ..RelayConfig::default()
    })
    .await
    .unwrap();

    let response = post(&relay, None, &prompt("a cat")).await;
    assert_eq!(response.status(), 401);
    let error = error_body(response).await;
    assert!(error["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("无效的令牌 (request id: "));
    assert_eq!(error["error"]["type"], "new_api_error");

    let response = post(&relay, Some("Bearer sk-wrong"), &prompt("a cat")).await;
    assert_eq!(response.status(), 401);

    // The bare key (no "Bearer ") is accepted too.
    let response = post(&relay, Some("sk-right"), &prompt("a cat")).await;
    assert_eq!(response.status(), 200);
    drop(response);

    let statuses: Vec<u16> = relay.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [401, 401, 200]);
    assert_eq!(relay.requests()[0].authorization, None);
    assert_eq!(
        relay.requests()[1].authorization.as_deref(),
        Some("Bearer sk-wrong")
    );
    assert_eq!(relay.requests()[2].body["messages"][0]["content"], "a cat");
    relay.shutdown().await;
}

#[tokio::test]
async fn malformed_requests_are_400_and_unknown_models_404() {
    let relay = relay().await;
    // `[reject-array]`: answered like a relay that takes plain text only.
    let content_array = body(json!([{"role": "user", "content": [
        {"type": "text", "text": "a cat [reject-array]"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"}}
    ]}]));
    let response = post(&relay, Some(KEY), &content_array).await;
    assert_eq!(response.status(), 400);
    let message = error_body(response).await["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("must be a string"), "{message}");
    // An image part that is not an image.
    let not_an_image = body(json!([{"role": "user", "content": [
        {"type": "text", "text": "a cat"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    ]}]));
    assert_eq!(post(&relay, Some(KEY), &not_an_image).await.status(), 400);

    let not_streamed =
        json!({"model": "sora-2", "messages": [{"role": "user", "content": "a"}], "stream": false});
    assert_eq!(post(&relay, Some(KEY), &not_streamed).await.status(), 400);
    let no_stream = json!({"model": "sora-2", "messages": [{"role": "user", "content": "a"}]});
    assert_eq!(post(&relay, Some(KEY), &no_stream).await.status(), 400);
    let no_messages = json!({"model": "sora-2", "messages": [], "stream": true});
    assert_eq!(post(&relay, Some(KEY), &no_messages).await.status(), 400);

    let raw = common::client()
        .post(format!("{}/v1/chat/completions", relay.base_url()))
        .header("Authorization", KEY)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    assert!(error_body(raw).await["error"]["message"]
        .as_str()
        .unwrap()
        .contains("invalid JSON"));

    let unknown =
        json!({"model": "sora-9", "messages": [{"role": "user", "content": "a"}], "stream": true});
    let response = post(&relay, Some(KEY), &unknown).await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        error_body(response).await["error"]["code"],
        "model_not_found"
    );

    assert_eq!(relay.chat_request_count(), 7);
    assert_eq!(relay.requests()[5].body, Value::String("{not json".into()));
    relay.shutdown().await;
}

#[tokio::test]
async fn rate_limit_is_429_with_retry_after_and_an_empty_body() {
    let relay = relay().await;
    let response = post(&relay, Some(KEY), &prompt("a cat [429]")).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "7");
    assert!(response.bytes().await.unwrap().is_empty());
    relay.shutdown().await;
}

#[tokio::test]
async fn proxy_pages_policy_and_keyword_401() {
    let relay = relay().await;

    let response = post(&relay, Some(KEY), &prompt("a cat [502]")).await;
    assert_eq!(response.status(), 502);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("<title>502 Bad Gateway</title>"));

    let response = post(&relay, Some(KEY), &prompt("a cat [524]")).await;
    assert_eq!(response.status().as_u16(), 524);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("524: A timeout occurred"));

    let response = post(&relay, Some(KEY), &prompt("a cat [policy-http]")).await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        error_body(response).await["error"]["code"],
        "sentinel_block"
    );

    let response = post(&relay, Some(KEY), &prompt("a cat [401]")).await;
    assert_eq!(response.status(), 401);

    relay.shutdown().await;
}

#[tokio::test]
async fn models_are_listed_with_auth() {
    let relay = relay().await;
    let url = format!("{}/v1/models", relay.base_url());
    let unauthorized = common::client().get(&url).send().await.unwrap();
    assert_eq!(unauthorized.status(), 401);
    let models: Value = common::client()
        .get(&url)
        .header("Authorization", KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(models["object"], "list");
    let ids: Vec<&str> = models["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"sora-2") && ids.contains(&"sora-2-pro"));
    // Models do not count as chat requests.
    assert_eq!(relay.chat_request_count(), 0);
    relay.shutdown().await;
}

#[tokio::test]
async fn unknown_tasks_and_media_are_404() {
    let relay = relay().await;
    let base = relay.base_url();
    for path in [
        "/source/task_01k7e5w9z5f2d91pekrqy59rwc",
        "/web/task_01k7e5w9z5f2d91pekrqy59rwc",
        "/media/s_68eca3f141808191b1fd30fea1b731bd.mp4",
    ] {
        let response = common::get(&format!("{base}{path}")).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    relay.shutdown().await;
}
