"""Time to first token and total time of one prompt through Neutron's SSE endpoint, Ollama's /api/chat directly and
Open WebUI's /api/chat/completions, interleaved, with the same model and options (scripts/bench-peer).

usage: bench-peer-runs.py NEUTRON_URL OLLAMA_URL WEBUI_URL WEBUI_TOKEN MODEL RUNS OUT_JSON
"""
import http.client
import json
import sys
import time
import urllib.parse

neutron, ollama, webui, token, model, runs, out = sys.argv[1:8]
runs = int(runs)
PROMPT = "Write one short sentence about the sea."
OPTIONS = {"temperature": 0, "seed": 42, "num_predict": 16}


def connect(base):
    u = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=120)


def request(base, method, path, body=None, headers=None):
    c = connect(base)
    c.request(method, path, None if body is None else json.dumps(body),
              {"Content-Type": "application/json", **(headers or {})})
    r = c.getresponse()
    data = r.read()
    if r.status >= 300:
        raise SystemExit(f"{method} {base}{path} answered {r.status}: {data[:300]!r}")
    return json.loads(data) if data else None


def timed_stream(base, path, body, headers, first_token, done):
    """(ms to the first token, ms to the end, last parsed item) of a streamed answer."""
    c = connect(base)
    start = time.perf_counter()
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json", **headers})
    r = c.getresponse()
    if r.status != 200:
        raise SystemExit(f"POST {base}{path} answered {r.status}: {r.read()[:300]!r}")
    first = None
    last = None
    event = None
    while True:
        line = r.readline()
        if not line:
            break
        line = line.decode().rstrip("\r\n")
        if line.startswith("event:"):
            event = line[6:].strip()
            continue
        item = line[5:].strip() if line.startswith("data:") else line
        if not item:
            continue
        if item == "[DONE]":
            break
        try:
            parsed = json.loads(item)
        except ValueError:
            continue
        if first is None and first_token(event, parsed):
            first = time.perf_counter()
        last = parsed
        if done(event, parsed):
            break
    end = time.perf_counter()
    r.close()
    if first is None:
        raise SystemExit(f"no token came from {base}{path}; last item: {last}")
    return (first - start) * 1000, (end - start) * 1000, last


def neutron_run(options):
    session = request(neutron, "POST", "/api/v1/chat/sessions",
                      {"title": "bench", "model": model, "systemPrompt": "", "options": OPTIONS})
    meta = {}

    def first(event, data):
        if event == "meta":
            meta.update(data)
        if event == "error":
            raise SystemExit(f"Neutron's answer failed: {data}")
        return event == "token"

    ttft, total, _ = timed_stream(neutron, f"/api/v1/chat/sessions/{session['id']}/messages", {"content": PROMPT}, {},
                                  first, lambda e, d: e in ("done", "error"))
    request(neutron, "DELETE", f"/api/v1/chat/sessions/{session['id']}")
    options.update(meta.get("options", {}))
    return ttft, total


def ollama_run(options, reloads):
    body = {"model": model, "stream": True, "messages": [{"role": "user", "content": PROMPT}], "options": options}
    ttft, total, last = timed_stream(ollama, "/api/chat", body, {},
                                     lambda e, d: bool(d.get("message", {}).get("content")), lambda e, d: d.get("done"))
    if last.get("load_duration", 0) > 100_000_000:
        reloads.append(round(last["load_duration"] / 1e6))
    return ttft, total


def webui_run(options):
    params = dict(options)
    body = {"model": model, "stream": True, "messages": [{"role": "user", "content": PROMPT}], "params": params,
            "temperature": options.get("temperature"), "seed": options.get("seed"),
            "max_tokens": options.get("num_predict")}

    def first(event, data):
        choices = data.get("choices") or []
        return bool(choices and (choices[0].get("delta") or {}).get("content"))

    def done(event, data):
        choices = data.get("choices") or []
        return bool(choices and choices[0].get("finish_reason"))

    ttft, total, _ = timed_stream(webui, "/api/chat/completions", body, {"Authorization": f"Bearer {token}"},
                                  first, done)
    return ttft, total


options = {}
reloads = []
neutron_run(options)  # warm-up of all three, and Neutron's options (num_ctx included) for the other two
ollama_run(options, [])
webui_run(options)
results = {"neutron": [], "ollama": [], "webui": []}
for i in range(runs):
    for name in ("neutron", "ollama", "webui") if i % 2 == 0 else ("webui", "ollama", "neutron"):
        if name == "neutron":
            results[name].append(neutron_run(options))
        elif name == "ollama":
            results[name].append(ollama_run(options, reloads))
        else:
            results[name].append(webui_run(options))
json.dump({"prompt": PROMPT, "options": options, "runs": runs, "reloads": reloads, "results": results},
          open(out, "w"), indent=1)
