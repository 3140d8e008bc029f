// Chromium performance traces of the benchmark's phases (node bench/browserBench.mjs --trace): what the page's main
// thread did in its long tasks, so that a long frame can be explained (script, style, layout, paint, GC) and, for
// script, by which functions (sampled by V8's profiler; the page's own code is only readable in an unminified build).

const CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8',
  'v8.execute',
  'blink.user_timing',
  'disabled-by-default-v8.cpu_profiler',
];

/** Starts a trace of `page`; the returned function stops it and resolves to the trace's events. */
export async function startTrace(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: CATEGORIES } });
  return async () => {
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    const { stream } = await complete;
    let text = '';
    for (;;) {
      const chunk = await cdp.send('IO.read', { handle: stream });
      text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
      if (chunk.eof) break;
    }
    await cdp.send('IO.close', { handle: stream });
    await cdp.detach();
    const parsed = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : parsed.traceEvents;
  };
}

const KINDS = {
  script: ['FunctionCall', 'EvaluateScript', 'v8.compile', 'V8.Execute', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'RunMicrotasks', 'v8.run'],
  style: ['UpdateLayoutTree', 'RecalculateStyles', 'ParseAuthorStyleSheet'],
  layout: ['Layout'],
  paint: ['Paint', 'PrePaint', 'Layerize', 'UpdateLayer', 'CompositeLayers', 'PaintImage', 'RasterTask'],
  gc: ['MajorGC', 'MinorGC', 'V8.GCScavenger', 'V8.GCFinalizeMC', 'V8.GCIncrementalMarking', 'BlinkGC.AtomicPhase', 'V8.GC_MC_BACKGROUND_MARKING'],
  html: ['ParseHTML'],
};

function mainThread(events) {
  const renderers = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  // the busiest renderer main thread is the page's
  let best = null;
  let bestCount = -1;
  for (const r of renderers) {
    const n = events.reduce((c, e) => c + (e.pid === r.pid && e.tid === r.tid ? 1 : 0), 0);
    if (n > bestCount) [best, bestCount] = [r, n];
  }
  return best && { pid: best.pid, tid: best.tid };
}

/** The exclusive time of each event: its duration less that of the events nested in it (same thread). */
function selfTimes(events) {
  const sorted = [...events].sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const stack = [];
  const self = new Map();
  for (const e of sorted) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    self.set(e, e.dur);
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent, self.get(parent) - Math.min(e.dur, parent.ts + parent.dur - e.ts));
    stack.push(e);
  }
  return self;
}

/** Self time of sampled JS functions in [from, to] (µs, trace clock), from the V8 CPU profile chunks. */
function jsFunctions(events, thread, from, to) {
  const nodes = new Map();
  const totals = new Map();
  let time = null;
  const chunks = events.filter((e) => e.name === 'ProfileChunk' && e.pid === thread.pid).sort((a, b) => a.ts - b.ts);
  const profile = events.find((e) => e.name === 'Profile' && e.pid === thread.pid);
  if (profile?.args?.data?.startTime !== undefined) time = profile.args.data.startTime;
  for (const chunk of chunks) {
    const data = chunk.args?.data;
    for (const n of data?.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
    const samples = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      time = (time ?? chunk.ts) + (deltas[i] ?? 0);
      if (time < from || time > to) continue;
      const f = nodes.get(samples[i])?.callFrame;
      if (!f) continue;
      const name = `${f.functionName || '(anonymous)'} ${(f.url ?? '').split('/').pop()}:${f.lineNumber + 1}`;
      totals.set(name, (totals.get(name) ?? 0) + (deltas[i + 1] ?? 0));
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/**
 * The page's tasks longer than `overMs`, longest first, each with where its time went (ms, exclusive) by kind and by
 * event name, the JS functions with most sampled self time, and the forced layouts' JS stacks.
 */
export function longTasks(events, overMs = 30, top = 5) {
  const thread = mainThread(events);
  if (!thread) return [];
  const own = events.filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.ph === 'X' && typeof e.dur === 'number');
  const tasks = own.filter((e) => (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && e.dur > overMs * 1000);
  // nested RunTask events: keep the outermost; the task that starts the trace's profiler is the trace's, not the page's
  const profilerStart = own.filter((e) => e.name === 'CpuProfiler::StartProfiling');
  const outer = tasks.filter(
    (t) =>
      !tasks.some((o) => o !== t && o.ts <= t.ts && o.ts + o.dur >= t.ts + t.dur && o.dur > t.dur) &&
      !profilerStart.some((p) => p.ts >= t.ts && p.ts < t.ts + t.dur),
  );
  const self = selfTimes(own);
  const kindOf = new Map(Object.entries(KINDS).flatMap(([kind, names]) => names.map((n) => [n, kind])));
  return outer
    .sort((a, b) => b.dur - a.dur)
    .slice(0, top)
    .map((task) => {
      const inside = own.filter((e) => e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
      const byName = new Map();
      const byKind = new Map();
      const forced = [];
      const layouts = [];
      const styles = [];
      for (const e of inside) {
        const ms = self.get(e) / 1000;
        byName.set(e.name, (byName.get(e.name) ?? 0) + ms);
        const kind = kindOf.get(e.name) ?? (e.name.includes('GC') ? 'gc' : 'other');
        byKind.set(kind, (byKind.get(kind) ?? 0) + ms);
        if (e.name === 'Layout') layouts.push(`${(e.dur / 1000).toFixed(1)} ms ${e.args?.beginData?.dirtyObjects}/${e.args?.beginData?.totalObjects} objects${e.args?.beginData?.partialLayout ? ' partial' : ''}`);
        if (e.name === 'UpdateLayoutTree') styles.push(`${(e.dur / 1000).toFixed(1)} ms ${e.args?.elementCount ?? '?'} elements`);
        const stack = e.args?.beginData?.stackTrace;
        if ((e.name === 'Layout' || e.name === 'UpdateLayoutTree') && stack?.length) {
          forced.push(`${e.name} ${(e.dur / 1000).toFixed(1)} ms from ${stack.slice(0, 3).map((f) => `${f.functionName || '(anonymous)'}:${f.lineNumber + 1}`).join(' < ')}`);
        }
      }
      const round = (entries, n) => Object.fromEntries([...entries].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, Math.round(v * 10) / 10]));
      return {
        ms: Math.round(task.dur / 100) / 10,
        byKind: round(byKind, 8),
        byEvent: round(byName, 10),
        js: jsFunctions(events, thread, task.ts, task.ts + task.dur).slice(0, 12).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} ms`),
        forcedLayouts: forced.slice(0, 8),
        layouts: layouts.slice(0, 8),
        styleRecalcs: styles.slice(0, 8),
      };
    });
}
