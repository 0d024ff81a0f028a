//! The server's plan: the ```json block at the top of a reply.

use crate::reply::Plan;

/// Read a plan from the text of a ```json block. Strict JSON first; a
/// relay that writes unescaped quotes or trailing commas still gets its
/// fields read one by one.
pub fn parse_plan(block: &str) -> Option<Plan> {
    if let Ok(serde_json::Value::Object(o)) =
        serde_json::from_str::<serde_json::Value>(block.trim())
    {
        let text = |k: &str| {
            o.get(k)
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .filter(|s| !s.is_empty())
        };
        let duration = o
            .get("duration")
            .or_else(|| o.get("seconds"))
            .and_then(duration_of);
        let plan = Plan {
            prompt: text("prompt"),
            orientation: text("orientation"),
            duration,
            source_sid: text("sid").filter(|s| is_sid(s)),
        };
        return Some(plan);
    }
    let plan = Plan {
        prompt: loose_field(block, "prompt"),
        orientation: loose_field(block, "orientation"),
        duration: loose_field(block, "duration")
            .and_then(|d| duration_of(&serde_json::Value::String(d))),
        source_sid: loose_field(block, "sid").filter(|s| is_sid(s)),
    };
    (plan != Plan::default()).then_some(plan)
}

fn duration_of(v: &serde_json::Value) -> Option<u32> {
    match v {
        serde_json::Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().map(|f| f.round() as u64))
            .and_then(|n| u32::try_from(n).ok()),
        serde_json::Value::String(s) => {
            let digits: String = s
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            digits.parse().ok()
        }
        _ => None,
    }
}

/// `"key": "value"` or `"key": 10` on one line, without a JSON parser.
fn loose_field(block: &str, key: &str) -> Option<String> {
    let pat = format!("\"{key}\"");
    let at = block.find(&pat)? + pat.len();
    let rest = block[at..].trim_start().strip_prefix(':')?.trim_start();
    let line = rest
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches(',')
        .trim();
    let value = line
        .strip_prefix('"')
        .map(|s| s.strip_suffix('"').unwrap_or(s))
        .unwrap_or(line);
    (!value.is_empty()).then(|| value.to_string())
}

/// `s_` followed by hex digits.
pub fn is_sid(s: &str) -> bool {
    s.strip_prefix("s_")
        .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_strict_and_loose_plans() {
        let p = parse_plan("{\n  \"prompt\": \"让牛的头上顶着光圈\",\n  \"orientation\": \"portrait\",\n  \"sid\": \"s_68ec8accd80c8191ae1fc957af78caaa\"\n}\n").unwrap();
        assert_eq!(p.prompt.as_deref(), Some("让牛的头上顶着光圈"));
        assert_eq!(
            p.source_sid.as_deref(),
            Some("s_68ec8accd80c8191ae1fc957af78caaa")
        );
        assert_eq!(
            parse_plan("{\"prompt\":\"a\",\"duration\":15}")
                .unwrap()
                .duration,
            Some(15)
        );
        assert_eq!(
            parse_plan("{\"prompt\":\"a\",\"duration\":\"10s\"}")
                .unwrap()
                .duration,
            Some(10)
        );
        let loose =
            parse_plan("{\n \"prompt\": \"say \"hi\"\",\n \"orientation\": \"landscape\",\n}")
                .unwrap();
        assert_eq!(loose.orientation.as_deref(), Some("landscape"));
        assert!(parse_plan("not json").is_none());
    }
}
