// Runs the core's open path once in a short-lived Worker, so that V8 compiles it there instead of on the page's main thread.
import { instantiateCore } from './wasmInstance.js';

// Why: V8 compiles wasm functions lazily, on their first call, on the calling thread; a
// store's first open runs much of SQLite for the first time, which at 4x CPU throttle was
// a single main-thread task of about a second (bench/REPORT.md, "Responsiveness"). The
// compiled code belongs to the WebAssembly.Module, and a Module posted to a Worker shares
// it: functions the Worker ran are compiled for the page's instance too.

// Where the Worker has not answered by then (a starved device), the page stops waiting and
// warms up as it did before (core.js warmUpCore); the Worker is ended either way.
const GIVE_UP_MS = 10_000;

/**
 * Starts a Worker now, and once `wasmModule` (a promise of the compiled module) resolves,
 * instantiates it there (wasmInstance.js) and runs the open path in stages: the form, the
 * open of a new database and its counts (a first visit's open), then a submit where the
 * flavor takes leads, and a reopen of the now stored database (a reload's path). Returns
 * {opened, done}: `opened` resolves true once the first stage ran, so that a first visit need
 * not wait for the rest; `done` true once every stage did. Each resolves false where the
 * Worker cannot run (no Worker, a Content-Security-Policy without blob: workers),
 * `wasmModule` rejects, or a call there did not answer ok; neither rejects. Started before
 * the module is compiled, the Worker's own start (80-140 ms in a new browser profile)
 * overlaps the download instead of following it. The Worker's own copy of the module's
 * memory goes with it.
 */
export function warmUpOffThread(wasmModule) {
  const refused = { opened: Promise.resolve(false), done: Promise.resolve(false) };
  if (typeof Worker !== 'function' || typeof Blob !== 'function' || typeof URL?.createObjectURL !== 'function') {
    return refused;
  }
  const source = `(${workerMain})(${instantiateCore});\n`;
  let url;
  let worker;
  try {
    url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    worker = new Worker(url, { name: 'lead-outbox warm-up' });
  } catch {
    if (url) URL.revokeObjectURL(url);
    return refused;
  }
  let openedStage;
  const opened = new Promise((resolve) => { openedStage = resolve; });
  const done = new Promise((resolve) => {
    const end = (ok) => {
      clearTimeout(timer);
      worker.terminate();
      URL.revokeObjectURL(url);
      openedStage(ok); // no effect once the first stage answered
      resolve(ok);
    };
    let timer = null; // set once the module is sent: a slow download is not a starved Worker
    worker.onmessage = ({ data }) => {
      if (data?.stage === 'opened') openedStage(true);
      else end(data?.ok === true);
    };
    worker.onerror = (event) => {
      event.preventDefault?.(); // a refused or failed warm-up is not the page's error
      end(false);
    };
    worker.onmessageerror = () => end(false);
    wasmModule.then((compiled) => {
      timer = setTimeout(() => end(false), GIVE_UP_MS);
      worker.postMessage(compiled);
    }, () => end(false));
  });
  return { opened, done };
}

// The Worker's script, put into it as source text: it may refer to nothing outside itself.
// Calls the module's plain C exports (bindings/StoreBindings.cpp) directly; every flavor has
// lo_store_open/counts/close and lo_changedFiles, lo_store_setForm/validateLead/submitLeadWith only where it takes leads.
function workerMain(instantiateCore) {
  self.onmessage = async ({ data: wasmModule }) => {
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
      const ran = []; // the paths warmed, in the last message (tests check a flavor's are all there)
      const store = m._lo_store_new();
      // A store's open sets its form first (the built-in one: null): parsing it is one large function.
      if (typeof m._lo_store_setForm === 'function') {
        check(m._lo_store_setForm(store, ...text('null')));
        ran.push('form');
      }
      const open = () => check(m._lo_store_open(store, ...text(`${dir}/leads.db`), ...text('warm-up'), now, ...text('{}')));
      const countAndList = () => {
        check(m._lo_store_counts(store, now));
        m._lo_changedFiles(...text(dir));
      };
      // A first visit's open: a new database, its counts, the files of its first commit.
      open();
      countAndList();
      ran.push('open');
      self.postMessage({ stage: 'opened' });
      // A submit, as a page's store makes it: the check in the click's task, the insert of
      // its write-ahead record in a later round (web/src/store.js).
      if (typeof m._lo_store_submitLeadWith === 'function') {
        const lead = text(JSON.stringify({ name: 'Warm Up', email: 'warm-up@example.com', phone: '+1 555 0000000', message: 'A warm-up lead, never stored.' }));
        const id = text('00000000-0000-4000-8000-000000000000');
        check(m._lo_store_validateLead(store, ...lead, ...id, now));
        check(m._lo_store_submitLeadWith(store, ...text('null'), ...lead, ...id, now));
        countAndList();
        ran.push('submit');
      }
      m._lo_store_close(store);
      // A reload's open: the database as stored, with a lead in it.
      open();
      countAndList();
      m._lo_store_close(store);
      m._lo_store_delete(store);
      ran.push('reopen');
      self.postMessage({ ok: true, ran });
    } catch (err) {
      self.postMessage({ ok: false, error: String(err) });
    }
  };
}
