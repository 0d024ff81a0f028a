#!/usr/bin/env python3
"""Reads a REELCHAT_PERF_LOG file (one JSON object a line: mark, wall_ms, t_ms, pid, detail).
`marks.py first LOG MARK` prints the wall_ms of the first MARK."""
import json
import sys


def read(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
    return out


if __name__ == "__main__":
    if sys.argv[1] == "first":
        for m in read(sys.argv[2]):
            if m.get("mark") == sys.argv[3]:
                print(f"{m['wall_ms']:.3f}")
                break
