"""Turns the JMH results of scripts/bench-storage into bench/out/storage.json and BENCH lines."""
import json
import os
import statistics
import sys

jsonl_file, jdbc_file, before_file, out_file = sys.argv[1:5]


def load(path):
    results = {}
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 1)[1]
        bench = r["benchmark"].rsplit(".", 2)[1]
        metric = r["primaryMetric"]
        if r["mode"] == "sample":
            p = metric["scorePercentiles"]
            results[name] = {"p50": p["50.0"], "p99": p["99.0"]}
        else:
            raw = [v for fork in metric["rawData"] for v in fork]
            results[("start" if name == "start" else "startFloor")] = {"median": statistics.median(raw), "all": raw}
    return results


def row(store, metric, value, base, base_name, goal=None, limit=None):
    ratio = round(value / base, 2) if base else None
    return {"metric": f"{store}: {metric}", "unit": "ms", "neutron": round(value, 3),
            "baseline": None if base is None else round(base, 3), "baselineName": base_name, "ratio": ratio,
            "goal": goal, "met": None if limit is None else value < limit}


def rows(store, r, floors):
    append_floor, list_floor, open_floor = floors
    return [
        row(store, "durable append p50", r["append"]["p50"], r["appendFloor"]["p50"], append_floor),
        row(store, "durable append p99", r["append"]["p99"], r["appendFloor"]["p99"], append_floor, "< 10 ms", 10),
    ] + ([
        row(store, "rename a chat among 10,000 p50", r["rename"]["p50"], r["appendFloor"]["p50"], append_floor),
        row(store, "rename a chat among 10,000 p99", r["rename"]["p99"], r["appendFloor"]["p99"], append_floor),
    ] if "rename" in r else []) + [
        row(store, "list 10,000 sessions p50", r["list"]["p50"], r.get("listFloor", {}).get("p50"), list_floor,
            "< 5 ms", 5),
    ] + ([
        row(store, "list 10,000 sessions after another process renamed one p50", r["listAfterAChange"]["p50"],
            r["listFloor"]["p50"], list_floor, "< 5 ms", 5),
    ] if "listAfterAChange" in r else []) + ([
        row(store, "list 10,000 sessions after every one changed p50", r["listAfterEveryChatChanged"]["p50"],
            r["listFloor"]["p50"], list_floor),
    ] if "listAfterEveryChatChanged" in r else []) + [
        row(store, "open a 1,000-message chat p50", r["open1k"]["p50"], r["open1kFloor"]["p50"], open_floor,
            "< 10 ms", 10),
        row(store, "open a 10,000-message chat p50", r["open10k"]["p50"], r["open10kFloor"]["p50"], open_floor),
    ] + ([
        row(store, "open a 1,000-message chat the first time since the start p50", r["open1kFirst"]["p50"],
            r["open1kFloor"]["p50"], open_floor),
        row(store, "open a 10,000-message chat the first time since the start p50", r["open10kFirst"]["p50"],
            r["open10kFloor"]["p50"], open_floor),
    ] if "open1kFirst" in r else []) + [
        row(store, "start with 10,000 sessions (median of 5)", r["start"]["median"], r["startFloor"]["median"],
            floors_start[store], "< 1500 ms", 1500),
    ]


floors_start = {"JSONL": "read every file's bytes", "PostgreSQL": "connect + SELECT 1"}
jsonl = load(jsonl_file)
jdbc = load(jdbc_file)
all_rows = rows("JSONL", jsonl, ("write+fsync of the same line", None, "read of the same file")) + rows(
    "PostgreSQL", jdbc, ("one committed INSERT of the same record", "the same rows via plain JDBC",
                         "the same rows via plain JDBC"))
for r in all_rows:
    if r["baselineName"] is None:
        r["baselineName"] = "none (in memory)"

before = json.load(open(before_file))
load_note = "Load average at the end of the runs: %.1f (1 min) on %d cores." % (os.getloadavg()[0], os.cpu_count())
notes = [
    "Data: 10,000 sessions of 4 messages, plus chats of 1,000 and 10,000 messages (about 900 bytes a message); "
    "JMH 1.37, one fork, sample mode (start: five single shots in one JVM, the first cold).",
    before["note"],
    load_note,
]
for metric, was in before["figures"].items():
    now = next((r["neutron"] for r in all_rows if r["metric"] == metric), None)
    notes.append(f"{metric}: before {was} ms, now {now} ms")

fragment = {"part": "storage", "title": "Storage: JSONL and PostgreSQL stores over 10,000 sessions",
            "rows": all_rows, "notes": notes}
json.dump(fragment, open(out_file, "w"), indent=2)
for r in all_rows:
    ratio = "" if r["ratio"] is None else f"; x{r['ratio']} of {r['baselineName']} ({r['baseline']} ms)"
    goal = "" if r["goal"] is None else f"; goal {r['goal']}: {'met' if r['met'] else 'MISSED'}"
    print(f"BENCH storage {r['metric']}: {r['neutron']} ms{ratio}{goal}")
for n in notes[1:]:
    print(f"BENCH storage note: {n}")
