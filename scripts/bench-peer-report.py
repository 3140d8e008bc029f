"""Turns the runs of scripts/bench-peer into bench/out/peer.json and BENCH lines."""
import json
import os
import statistics
import sys

runs_file, out_file, version = sys.argv[1:4]
neutron_start, webui_start, neutron_idle, webui_idle, neutron_after, webui_after = map(int, sys.argv[4:10])
runs = json.load(open(runs_file))
peer = f"Open WebUI {version}"


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def figure(name, index, p):
    return pct([r[index] for r in runs["results"][name]], p)


def row(metric, unit, neutron, baseline, baseline_name):
    return {"metric": metric, "unit": unit, "neutron": round(neutron, 1), "baseline": round(baseline, 1),
            "baselineName": baseline_name, "ratio": round(neutron / baseline, 2), "goal": None, "met": None}


rows = []
for index, what in ((0, "time to first token"), (1, "total time")):
    for p in (50, 95):
        n, o, w = (figure(name, index, p) for name in ("neutron", "ollama", "webui"))
        rows.append(row(f"{what} p{p}", "ms", n, o, "Ollama /api/chat directly"))
        rows.append(row(f"{what} p{p}, beside {peer}", "ms", n, w, peer))
rows.append(row(f"start to healthy, beside {peer}", "ms", neutron_start, webui_start, peer))
rows.append(row(f"RSS idle after start, beside {peer}", "MB", neutron_idle, webui_idle, peer))
rows.append(row(f"RSS after the runs, beside {peer}", "MB", neutron_after, webui_after, peer))

notes = [
    f"{runs['runs']} runs each of Neutron's SSE endpoint, Ollama's /api/chat and {peer}'s /api/chat/completions "
    f"(streaming), interleaved (order reversed every other round), after one warm-up each; prompt "
    f"{json.dumps(runs['prompt'])}, model smollm2:135m, options {json.dumps(runs['options'])} (Neutron's, as its "
    "meta event reported them, sent to the other two).",
]
for index, what in ((0, "time to first token"), (1, "total time")):
    w, o = figure("webui", index, 50), figure("ollama", index, 50)
    notes.append(f"{peer} {what} p50 {w:.1f} ms = {w / o:.2f}x Ollama directly ({o:.1f} ms)")
notes.append("Load average at the end of the runs: %.1f (1 min) on %d cores; the Ollama is shared, so other "
             "users' requests and model switches fall into some runs." % (os.getloadavg()[0], os.cpu_count()))
notes.append(f"{peer}: installed from PyPI into a cached venv, run with WEBUI_AUTH=False and offline settings; "
             "RSS counts the process and its children.")
if runs["reloads"]:
    notes.append(f"Ollama reloaded the model during {len(runs['reloads'])} direct runs (load ms: {runs['reloads']})")
json.dump({"part": "peer", "title": f"Beside a peer: {peer}, against the same Ollama", "rows": rows, "notes": notes},
          open(out_file, "w"), indent=2)
for r in rows:
    print(f"BENCH peer {r['metric']}: Neutron {r['neutron']} {r['unit']}, {r['baselineName']} {r['baseline']} "
          f"{r['unit']}, ratio {r['ratio']}")
for n in notes[1:]:
    print(f"BENCH peer note: {n}")
