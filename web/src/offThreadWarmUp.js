// Fetches, compiles and runs the core's open path once in a short-lived Worker, so that none of it happens on the page's main thread.
import { instantiateCore } from './wasmInstance.js';

// Why: V8 compiles wasm functions lazily, on their first call, on the calling thread; a
// store's first open runs much of SQLite for the first time, which at 4x CPU throttle was
// a single main-thread task of about a second (bench/REPORT.md, "Responsiveness"). The
// compiled code belongs to the WebAssembly.Module, and a Module posted between a page and
// its Worker is shared: functions the Worker ran are compiled for the page's instance too.
// The Worker also fetches the wasm: a page's fetch() costs its main thread a task reading
// the body (about 80 ms for the visitor core at 4x), and the call itself a share of the
// task that evaluates the page's scripts (bench/REPORT.md, "Load without long tasks").

// A Worker that has not started by then (a starved device), or has not run the open path
// this long after it had the module, is given up: the page goes on as if there were none
// (core.js compiles on the main thread, warmUpCore). Not counted: the download, which
// takes what the network takes wherever it runs.
const GIVE_UP_MS = 10_000;

/**
 * Starts a Worker (made from a `blob:` URL) that gets the core's compiled module and runs
 * its open path in stages: the form, the open of a new database and its counts (a first
 * visit's open), then a submit where the flavor takes leads, and a reopen of the now
 * stored database (a reload's path).
 *
 * `url` (absolute): the Worker fetches and compiles the wasm there itself, and `module`
 * resolves with that WebAssembly.Module, posted to the page. `module` resolves null when
 * it could not (no `url`, no Worker, a failed fetch or compile, a browser that cannot post
 * a Module): the page then compiles its own (core.js) and, where the Worker still runs,
 * hands it over with give(module), which it ignores otherwise (give(null): the page has
 * none either, and the Worker ends).
 *
 * Returns {module, give, opened, done}: `opened` resolves true once the first stage ran,
 * so that a first visit need not wait for the rest; `done` true once every stage did.
 * Each resolves false where the Worker cannot run (no Worker, a Content-Security-Policy
 * without blob: workers) or a call there did not answer ok; none rejects. The Worker's
 * own copy of the module's memory goes with it.
 * @param {string | null} url
 */
export function warmUpOffThread(url) {
  const refused = { module: Promise.resolve(null), give() {}, opened: Promise.resolve(false), done: Promise.resolve(false) };
  if (typeof Worker !== 'function' || typeof Blob !== 'function' || typeof URL?.createObjectURL !== 'function') {
    return refused;
  }
  const source = `(${workerMain})(${instantiateCore});\n`;
  let blobUrl;
  let worker;
  try {
    blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    worker = new Worker(blobUrl, { name: 'lead-outbox warm-up' });
  } catch {
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    return refused;
  }
  let moduleFound;
  const module = new Promise((resolve) => { moduleFound = resolve; });
  if (!url) moduleFound(null); // the page compiles it and gives it to the Worker
  let openedStage;
  const opened = new Promise((resolve) => { openedStage = resolve; });
  let ended = false;
  let timer;
  const wait = () => {
    clearTimeout(timer);
    timer = setTimeout(() => end(false), GIVE_UP_MS);
  };
  let end;
  const done = new Promise((resolve) => {
    end = (ok) => {
      ended = true;
      clearTimeout(timer);
      worker.terminate();
      URL.revokeObjectURL(blobUrl);
      moduleFound(null); // each of these: no effect once it resolved
      openedStage(ok);
      resolve(ok);
    };
  });
  wait(); // for the Worker to start
  worker.onmessage = ({ data }) => {
    if (data?.started) {
      clearTimeout(timer); // no limit on the download, the Worker's or the page's
    } else if ('module' in (data ?? {})) {
      if (data.module instanceof WebAssembly.Module) wait(); // from here, the open path's stages
      moduleFound(data.module instanceof WebAssembly.Module ? data.module : null);
    } else if (data?.stage === 'opened') {
      openedStage(true);
    } else {
      end(data?.ok === true);
    }
  };
  worker.onerror = (event) => {
    event.preventDefault?.(); // a refused or failed warm-up is not the page's error
    end(false);
  };
  // A Module this browser could not post: the page's own would not share the Worker's code.
  worker.onmessageerror = () => end(false);
  worker.postMessage({ url });
  const give = (wasmModule) => {
    if (ended) return;
    if (!wasmModule) return end(false); // the page has none either
    wait();
    worker.postMessage({ module: wasmModule });
  };
  return { module, give, opened, done };
}

// The Worker's script, put into it as source text: it may refer to nothing outside itself.
// Calls the module's plain C exports (bindings/StoreBindings.cpp) directly; every flavor has
// lo_store_open/counts/close and lo_changedFiles, lo_store_setForm/submitLead only where it takes leads.
// Messages: the page's first is {url}; with a url the Worker fetches and compiles it and
// answers {module} (null if it could not), else, or then, it waits for the page's
// {module}. Then {stage: 'opened'} after the first stage, and {ok} at the end.
function workerMain(instantiateCore) {
  let given;
  const fromPage = new Promise((resolve) => { given = resolve; });
  self.onmessage = async ({ data }) => {
    if ('module' in data) {
      given(data.module);
      return;
    }
    self.postMessage({ started: true });
    let wasmModule = null;
    if (data.url) {
      try {
        const response = await fetch(data.url, { credentials: 'same-origin' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        wasmModule = await WebAssembly.compile(await response.arrayBuffer());
      } catch {
        wasmModule = null; // the page fetches it again, and reports what fails there
      }
      self.postMessage({ module: wasmModule });
    }
    wasmModule ??= await fromPage;
    try {
      const m = await instantiateCore(wasmModule);
      const encoder = new TextEncoder();
      const decoder = new TextDecoder();
      // Each call answers {ok, …} as JSON: one that did not succeed did not run the path.
      const check = (ptr) => {
        const answer = JSON.parse(decoder.decode(m.HEAPU8.subarray(ptr, ptr + m._lo_result_length())));
        if (answer.ok !== true) throw new Error(`warm-up: ${answer.message}`);
      };
      const text = (s) => {
        const bytes = encoder.encode(s);
        const ptr = m._malloc(bytes.length + 1);
        m.HEAPU8.set(bytes, ptr);
        return [ptr, bytes.length]; // never freed: the whole instance ends with the Worker
      };
      const now = Date.now();
      const dir = '/.warm-up';
      const store = m._lo_store_new();
      // A store's open sets its form first (the built-in one: null): parsing it is one large function.
      if (typeof m._lo_store_setForm === 'function') check(m._lo_store_setForm(store, ...text('null')));
      const open = () => check(m._lo_store_open(store, ...text(`${dir}/leads.db`), ...text('warm-up'), now, ...text('{}')));
      const countAndList = () => {
        check(m._lo_store_counts(store, now));
        m._lo_changedFiles(...text(dir));
      };
      // A first visit's open: a new database, its counts, the files of its first commit.
      open();
      countAndList();
      self.postMessage({ stage: 'opened' });
      if (typeof m._lo_store_submitLead === 'function') {
        const lead = { name: 'Warm Up', email: 'warm-up@example.com', phone: '+1 555 0000000', message: 'A warm-up lead, never stored.' };
        check(m._lo_store_submitLead(store, ...text(JSON.stringify(lead)), ...text('00000000-0000-4000-8000-000000000000'), now));
        countAndList();
      }
      m._lo_store_close(store);
      // A reload's open: the database as stored, with a lead in it.
      open();
      countAndList();
      m._lo_store_close(store);
      m._lo_store_delete(store);
      self.postMessage({ ok: true });
    } catch (err) {
      self.postMessage({ ok: false, error: String(err) });
    }
  };
}
