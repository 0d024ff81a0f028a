#!/usr/bin/env python3
"""Build the fixture streams in fixtures/streams/ from the spec and its variants.

Each reply's markdown is cut into tiny deltas (1-3 characters, like the real
server), wrapped in chat.completion.chunk events. Run it again after editing;
the output is deterministic. `expected` in fixtures/streams/expected.json holds
what `reelchat-cli parse` must say about each file (checked by the tests).
"""
import json, os, random

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "streams")
ID = "chatcmpl-89C77NMqv7oh6ajWBZful0xBNsJN1"
TASK = "task_01k7e5w9z5f2d91pekrqy59rwc"
TASK2 = "task_01k7e6aaaabbbbccccddddeeee"
SRC = "s_68ec8accd80c8191ae1fc957af78caaa"
SID = "s_68eca3f141808191b1fd30fea1b731bd"
B = "https://relay.example"

def chunk(delta, finish=None):
    return {"id": ID, "object": "chat.completion.chunk", "created": 1760338775, "model": "sora-2",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

def deltas(md, seed):
    rnd = random.Random(seed)
    out, i = [], 0
    while i < len(md):
        n = rnd.choice([1, 1, 2, 3])
        out.append(md[i:i + n]); i += n
        if rnd.random() < 0.05: out.append("")
    return out

def sse(md, seed=1, finish="stop", done=True, eol="\n", error_after=None, extra_events=()):
    events = [chunk({"role": "assistant", "content": ""})]
    for k, d in enumerate(deltas(md, seed)):
        events.append(chunk({"content": d}))
        if k % 17 == 5: events.append(chunk({}))
    events.extend(extra_events)
    if finish: events.append(chunk({}, finish))
    lines = [f"data: {json.dumps(e, ensure_ascii=False, separators=(',', ':'))}" for e in events]
    if done: lines.append("data: [DONE]")
    return (eol + eol).join(lines) + eol + eol

PLAN = '```json\n{\n  "prompt": "让牛的头上顶着光圈,马的脚下踩着祥云",\n  "orientation": "portrait",\n  "sid": "%s"\n}\n```\n\n' % SRC
LINKS = f">[数据预览]({B}/web/{TASK}) | [原始数据]({B}/source/{TASK})\n"
SUCCESS = (PLAN + f"> ID: `{TASK}`\n" + LINKS + "> 排队中.....\n> 生成中.\n\n>🏃 进度 36..44..41..61..69..81..\n\n"
           f"> 生成完成 ✅\n> sid: {SID}\n\n[预览图]({B}/files/preview.webp)\n[视频文件]({B}/files/video.mp4)")
VARIANT = ('```json\n{"prompt": "a cat, 竖屏 9:16", "orientation": "landscape", "duration": 15}\n```\n\n'
           f"> Task ID: `{TASK}`\n>[数据预览(示例)]({B}/web/{TASK}?a=1&b=(2)) | [原始数据(示例)]({B}/source/{TASK})\n"
           ">🕐 排队中... ⚡ 生成中...\n> 🏃 进度 5..12..[100](" + B + "/web/x)\n\n> ✅ 生成完成\n"
           f"> sid: `{SID}`\n\n![{B}/p/cover.webp]({B}/p/cover.webp)\n[在线播放▶️]({B}/v/{SID}.mp4) [点击下载]({B}/dl?id=9)")
FAILURE = (PLAN.replace("让牛的头上顶着光圈,马的脚下踩着祥云", "一只猫，生成失败的表情包，内容违规测试")
           + f"> ID: `{TASK}`\n" + LINKS + "> 排队中...\n> 生成中..\n>🏃 进度 12..30..\n> ❌ 生成失败: 上游服务繁忙，请稍后再试")
POLICY = PLAN + f"> ID: `{TASK}`\n" + LINKS + "> 排队中..\n> ❌ 生成失败\n> 失败原因：内容违规 (moderation_blocked)\n"
RESUBMIT = (PLAN + f"> ID: `{TASK}`\n" + LINKS + "> 排队中..\n> 生成失败: capacity\n\n"
            f"> ID: `{TASK2}`\n>[数据预览]({B}/web/{TASK2}) | [原始数据]({B}/source/{TASK2})\n> 排队中..\n> 生成中..\n>🏃 进度 50..99..\n"
            f"> 生成完成 ✅\n> sid: {SID}\n\n[预览图]({B}/files/2.webp)\n[视频文件]({B}/files/2.mp4)")
CUT = PLAN + f"> ID: `{TASK}`\n" + LINKS + "> 排队中.....\n> 生成中.\n\n>🏃 进度 36..4"
NO_VIDEO = PLAN + f"> ID: `{TASK}`\n" + LINKS + "> 排队中.....\n> 生成中.\n\n>🏃 进度 36..44..\n> 生成完成 ✅\n"

FIXTURES = {
    "success.sse": sse(SUCCESS),
    "success_crlf_bom.sse": "\ufeff" + sse(SUCCESS, seed=2, eol="\r\n"),
    "success_no_trailing_blank.sse": sse(SUCCESS, seed=3, done=False).rstrip("\n"),
    "variants.sse": sse(VARIANT, seed=4, finish="STOP"),
    "failure_text.sse": sse(FAILURE, seed=5),
    "policy_text.sse": sse(POLICY, seed=6),
    "resubmit.sse": sse(RESUBMIT, seed=7),
    "cut_stream.sse": sse(CUT, seed=8, finish=None, done=False),
    "finished_without_video.sse": sse(NO_VIDEO, seed=9),
    "error_frame.sse": sse(PLAN + f"> ID: `{TASK}`\n> 排队中..", seed=10, finish=None,
                           extra_events=[{"error": {"message": "upstream error", "type": "server_error"}}]),
    "whole_completion.json": json.dumps({"id": ID, "object": "chat.completion", "model": "sora-2",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": SUCCESS}, "finish_reason": "stop"}]}, ensure_ascii=False),
    "error_401.json": '{"error":{"message":"无效的令牌 (request id: 2025101312000001)","type":"new_api_error","code":""}}',
    "error_policy.json": '{"error":{"code":"sentinel_block","message":"Your request was blocked.","type":"invalid_request_error"}}',
    "gateway_502.html": "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
}

def main():
    os.makedirs(OUT, exist_ok=True)
    for name, body in FIXTURES.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(body.encode("utf-8"))
    # One with an invalid UTF-8 byte inside a delta's JSON string, mid-stream.
    raw = sse(SUCCESS, seed=11).encode("utf-8")
    # Inside a heartbeat dot's delta, so the damage is one visible U+FFFD.
    k = raw.index(b'"content":"."', raw.index("排".encode("utf-8"))) + len(b'"content":"')
    raw = raw[:k] + b"\xff" + raw[k:]
    with open(os.path.join(OUT, "success_invalid_utf8.sse"), "wb") as f:
        f.write(raw)

if __name__ == "__main__":
    main()
