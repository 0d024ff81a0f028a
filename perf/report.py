#!/usr/bin/env python3
"""Tables and JSON lines for scripts/perf.d/{20-startup,30-memory,40-latency}.

  report.py startup ROWS.jsonl          rows: {"case", "ready_ms", "history_ms"}
  report.py memory ROWS.jsonl           rows: {"case", "total_kb", ...} (+ "minute" for generations)
  report.py latency PERF_LOG STAMPS.json...
  report.py large ROWS.jsonl            rows: {"case": "large-open" | "large-scroll", ...}

Each prints a small table on stdout and, when PERF_OUT is set, appends one JSON object a line
to it ({"suite", "name", "value", "unit", ...})."""
import json
import os
import statistics
import sys


def rows(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def emit(obj):
    out = os.environ.get("PERF_OUT")
    if out:
        with open(out, "a") as f:
            f.write(json.dumps(obj) + "\n")


def pct(values, p):
    """Nearest-rank percentile."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def startup(path):
    data = rows(path)
    cases = []
    for r in data:
        if r["case"] not in cases:
            cases.append(r["case"])
    med = {}
    print(f"{'case':<28} {'runs':>4} {'first paint ms (median, min–max)':>34} {'history shown ms (median)':>27}")
    for c in cases:
        rs = [r for r in data if r["case"] == c]
        ready = [r["ready_ms"] for r in rs if r.get("ready_ms") is not None]
        hist = [r["history_ms"] for r in rs if r.get("history_ms") is not None]
        med[c] = statistics.median(ready) if ready else None
        h = f"{statistics.median(hist):.0f}" if hist else "–"
        print(f"{c:<28} {len(rs):>4} {med[c]:>18.0f} ({min(ready):.0f}–{max(ready):.0f}){'':>6} {h:>27}")
        emit({"suite": "startup", "name": f"{c}.first_paint", "value": med[c], "unit": "ms", "runs": len(rs),
              "min": min(ready), "max": max(ready)})
        if hist:
            emit({"suite": "startup", "name": f"{c}.history_shown", "value": statistics.median(hist), "unit": "ms",
                  "runs": len(rs), "min": min(hist), "max": max(hist)})
    base = med.get("minimal-window")
    if base:
        for c in cases:
            setup = [r["setup_ms"] for r in data if r["case"] == c and r.get("setup_ms") is not None]
            if setup:
                print(f"{c}: the app's own set-up before the window shows (data folder, media server, demo relay) median {statistics.median(setup):.0f} ms")
                emit({"suite": "startup", "name": f"{c}.backend_setup", "value": statistics.median(setup), "unit": "ms"})
        for c in cases:
            if c != "minimal-window" and med[c]:
                print(f"{c}: first paint {med[c] / base:.2f}× the minimal window's (target ≤ 1.3×, ≤ 1000 ms)")
                emit({"suite": "startup", "name": f"{c}.first_paint_vs_minimal", "value": round(med[c] / base, 3),
                      "unit": "x"})


def slope(points):
    """Least-squares slope of (x, y)."""
    n = len(points)
    if n < 2:
        return float("nan")
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    den = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else float("nan")


def by_name(row):
    out = {}
    for p in row.get("processes", []):
        out[p["name"]] = out.get(p["name"], 0) + p["pss_kb"]
    return ", ".join(f"{k} {v / 1024:.0f}" for k, v in sorted(out.items(), key=lambda kv: -kv[1]) if v >= 1024)


def memory(path):
    data = rows(path)
    mb = lambda kb: kb / 1024
    floor = next((r["total_kb"] for r in data if r["case"] == "minimal-window-idle"), None)
    print(f"{'case':<26} {'PSS MB':>8} {'vs minimal':>11}  processes (MB)")
    for r in data:
        if r["case"] == "generations":
            continue
        d = f"{mb(r['total_kb'] - floor):+.0f}" if floor else "–"
        print(f"{r['case']:<26} {mb(r['total_kb']):>8.0f} {d:>11}  {by_name(r)}")
        emit({"suite": "memory", "name": r["case"], "value": round(mb(r["total_kb"]), 1), "unit": "MB",
              "vs_minimal_mb": round(mb(r["total_kb"] - floor), 1) if floor else None})
    gen = [r for r in data if r["case"] == "generations"]
    if gen:
        # The first minute warms up (first video decoded, caches filled): fit the rest.
        warm = [r for r in gen if r["minute"] >= 1.0] or gen
        s = slope([(r["minute"], mb(r["total_kb"])) for r in warm])
        first, last = gen[0], gen[-1]
        print(f"generations: {last['generations']} in {last['minute']:.1f} min; PSS {mb(first['total_kb']):.0f} → "
              f"{mb(last['total_kb']):.0f} MB (max {max(mb(r['total_kb']) for r in gen):.0f}); "
              f"slope after the first minute {s:+.2f} MB/min over {len(warm)} samples")
        emit({"suite": "memory", "name": "generations.slope", "value": round(s, 3), "unit": "MB/min",
              "minutes": round(last["minute"], 2), "generations": last["generations"],
              "start_mb": round(mb(first["total_kb"]), 1), "end_mb": round(mb(last["total_kb"]), 1)})


def large(path):
    for r in rows(path):
        if r["case"] == "large-open":
            ms = r["open_ms"]
            med = statistics.median(ms)
            print(f"open a conversation of {r['messages']} messages ({r['versions']} versions): "
                  f"median {med:.0f} ms, min {min(ms):.0f}, max {max(ms):.0f} over {len(ms)} openings (target ≤ 300 ms)")
            print(f"  in the DOM once open: {r['rows']} turns, {r['videos']} <video> elements, {r['nodes']} elements in all")
            emit({"suite": "large", "name": "open_1000_messages", "value": med, "unit": "ms", "runs": len(ms),
                  "min": min(ms), "max": max(ms), "rows_in_dom": r["rows"], "videos_in_dom": r["videos"]})
        elif r["case"] == "large-scroll":
            gaps = r["frame_gaps_ms"]
            if not gaps:
                print("scroll: no frame measured")
                continue
            slow = sum(1 for g in gaps if g > 50)
            print(f"continuous scroll (40 px a frame, {len(gaps)} frames): frame interval p50 {pct(gaps, 50):.1f} ms, "
                  f"p95 {pct(gaps, 95):.1f} ms, max {max(gaps):.1f} ms; {slow} frames over 50 ms; "
                  f"afterwards {r['rows']} turns and {r['videos']} <video> in the DOM")
            emit({"suite": "large", "name": "scroll_frame_interval", "value": pct(gaps, 95), "unit": "ms p95",
                  "p50": pct(gaps, 50), "max": max(gaps), "frames": len(gaps), "frames_over_50ms": slow,
                  "rows_in_dom": r["rows"], "videos_in_dom": r["videos"]})


def latency(log_path, stamp_paths):
    marks = []
    # When the backend handed each value to the webview's channel (the app's own mark).
    handed = {}
    with open(log_path) as f:
        for line in f:
            try:
                m = json.loads(line)
            except json.JSONDecodeError:
                continue
            if m.get("mark") == "progress-sent" and m.get("detail"):
                d = m["detail"]
                handed.setdefault(d["task"], []).append((float(m["wall_ms"]), int(d["value"])))
            if m.get("mark") == "progress" and m.get("detail"):
                d = m["detail"]
                received = d.get("received_ms")
                marks.append((d["task"], int(d["value"]), float(m["wall_ms"]), float(d.get("commit_ms") or m["wall_ms"]),
                              float(received) if received is not None else None))
    print(f"{'speed':<10} {'deltas/s':>8} {'values':>6} {'painted':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'last value ms':>13} {'DOM p50/p95':>12} {'app p50/p95':>12} {'page p50/p95':>12}")
    for sp in stamp_paths:
        with open(sp) as f:
            run = json.load(f)
        lat, commit, app, page, sent, painted, tails, rates = [], [], [], [], 0, 0, [], []
        by_task = {}
        for s in run["stamps"]:
            by_task.setdefault(s["task_id"], []).append(s)
        for task, stamps in by_task.items():
            paints = sorted((t, v, c, r) for (k, v, t, c, r) in marks if k == task)
            painted += len({p[1] for p in paints})
            highest = -1
            for s in stamps:
                # A dip below an earlier value never shows (progress is a running max).
                if s["value"] <= highest:
                    continue
                highest = s["value"]
                sent += 1
                shown = [(t, c, r) for t, v, c, r in paints if v >= s["value"] and t >= s["sent_ms"] - 1]
                out = [t for t, v in handed.get(task, []) if v >= s["value"] and t >= s["sent_ms"] - 1]
                if out:
                    app.append(max(0.0, min(out) - s["sent_ms"]))
                if shown:
                    lat.append(max(0.0, shown[0][0] - s["sent_ms"]))
                    commit.append(max(0.0, shown[0][1] - s["sent_ms"]))
                    if shown[0][2] is not None:
                        page.append(max(0.0, shown[0][2] - s["sent_ms"]))
            if stamps and paints:
                tails.append(paints[-1][0] - stamps[-1]["sent_ms"])
            if len(stamps) > 1 and run["speed"] == "flood":
                span_s = (stamps[-1]["sent_ms"] - stamps[0]["sent_ms"]) / 1000
                # Each value is one delta plus FLOOD_FILL (9) one-dot deltas.
                rates.append((len(stamps) - 1) * 10 / span_s if span_s > 0 else float("nan"))
        rate = f"{statistics.median(rates):.0f}" if rates else f"~{1000 / run['tick_ms']:.0f}·"
        p50, p95, mx = pct(lat, 50), pct(lat, 95), max(lat) if lat else float("nan")
        tail = statistics.median(tails) if tails else float("nan")
        dom = f"{pct(commit, 50):.1f}/{pct(commit, 95):.1f}"
        handed_off = f"{pct(app, 50):.1f}/{pct(app, 95):.1f}" if app else "–"
        reached = f"{pct(page, 50):.1f}/{pct(page, 95):.1f}" if page else "–"
        print(f"{run['speed']:<10} {rate:>8} {sent:>6} {painted:>7} {p50:>7.1f} {p95:>7.1f} {mx:>7.1f} {tail:>13.1f} {dom:>12} {handed_off:>12} {reached:>12}")
        emit({"suite": "latency", "name": f"{run['speed']}.p50", "value": round(p50, 1), "unit": "ms"})
        emit({"suite": "latency", "name": f"{run['speed']}.p95", "value": round(p95, 1), "unit": "ms",
              "samples": len(lat), "values_sent": sent, "values_painted": painted})
        emit({"suite": "latency", "name": f"{run['speed']}.max", "value": round(mx, 1), "unit": "ms"})
        emit({"suite": "latency", "name": f"{run['speed']}.dom_p95", "value": round(pct(commit, 95), 1), "unit": "ms"})
        emit({"suite": "latency", "name": f"{run['speed']}.last_value", "value": round(tail, 1), "unit": "ms"})
    print("values: progress values sent (new maxima); painted: distinct values the card showed (coalesced per frame);")
    print("latency: relay send → the first task after the frame that drew that value (or a higher one);")
    print("last value: the same for the final value; DOM: relay send → React commit (before paint), a lower bound;")
    print("app: relay send → the app handed the value to the webview's channel (the backend's share);")
    print("page: relay send → the update carrying it reached the page's job store (backend + IPC).")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "startup":
        startup(sys.argv[2])
    elif cmd == "memory":
        memory(sys.argv[2])
    elif cmd == "latency":
        latency(sys.argv[2], sys.argv[3:])
    elif cmd == "large":
        large(sys.argv[2])
    else:
        sys.exit(f"unknown report {cmd}")
