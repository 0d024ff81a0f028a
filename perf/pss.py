#!/usr/bin/env python3
"""Memory of a process tree: the sum of Pss over a pid and all its descendants, from
/proc/<pid>/smaps_rollup (kB). `pss.py PID` prints JSON {"total_kb":…, "processes":[…]};
`pss.py --pids PID` prints the pids of the tree, one per line."""
import json
import os
import sys


def table():
    procs = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        rest = stat[stat.rfind(")") + 2:].split()
        comm = stat[stat.find("(") + 1:stat.rfind(")")]
        if rest[0] == "Z":
            continue
        procs[int(entry)] = (int(rest[1]), comm)
    return procs


def tree(root):
    procs = table()
    children = {}
    for pid, (ppid, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in procs:
            out.append(pid)
            todo.extend(children.get(pid, []))
    return out, procs


def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    if sys.argv[1] == "--pids":
        pids, _ = tree(int(sys.argv[2]))
        print("\n".join(str(p) for p in pids))
        return
    pids, procs = tree(int(sys.argv[1]))
    rows = [{"pid": p, "name": procs[p][1], "pss_kb": pss_kb(p)} for p in pids]
    print(json.dumps({"total_kb": sum(r["pss_kb"] for r in rows), "processes": rows}))


if __name__ == "__main__":
    main()
