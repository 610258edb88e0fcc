// The engines adapter for WebKit: WebKitGTK's WebKitWebDriver through selenium-webdriver, under a private Xvfb.
// The browser is webkit-browser.py (beside this file), which keeps website data in the profile folder.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { Builder } from 'selenium-webdriver';

export const name = 'webkit';

const BROWSER = fileURLToPath(new URL('./webkit-browser.py', import.meta.url));
let display = null; // {ready, alive()}: one Xvfb for the process, started on first use (startXvfb)

/** A browser on `profileDir` (its website data folder outlives it). */
export async function launch(profileDir) {
  try {
    return await launchOnce(profileDir);
  } catch (err) {
    // A session that could not start because the display went away starts once more on a new one.
    if (display?.alive()) throw err;
    return launchOnce(profileDir);
  }
}

async function launchOnce(profileDir) {
  const service = await startDriver();
  let driver;
  try {
    driver = await new Builder()
      .usingServer(service.url)
      .withCapabilities({
        browserName: 'lead-outbox-webkit', // must match the name webkit-browser.py gives in its ApplicationInfo
        'webkitgtk:browserOptions': { binary: BROWSER, args: [`--data-dir=${profileDir}`] },
      })
      .build();
  } catch (err) {
    service.stop();
    throw err;
  }
  await driver.manage().setTimeouts({ script: 60000, pageLoad: 60000 });
  let current = null;
  const use = async (handle) => {
    if (current !== handle) await driver.switchTo().window(handle);
    current = handle;
  };
  const free = [await driver.getWindowHandle()]; // tabs on about:blank, reused before opening more
  const wrap = (handle) => ({
    async eval(fn, arg) {
      await use(handle);
      // Async script: the function's promise (or value) comes back through the callback.
      const out = await driver.executeAsyncScript(`
        const done = arguments[arguments.length - 1];
        Promise.resolve().then(() => (0, eval)('(' + arguments[0] + ')')(arguments[1]))
          .then((value) => done({ value }), (e) => done({ error: String(e && e.stack || e) }));`, fn.toString(), arg);
      if (out && 'error' in out) throw new Error(out.error);
      return out?.value;
    },
    goto: async (url) => { await use(handle); await driver.get(url); },
    reload: async () => { await use(handle); await driver.navigate().refresh(); },
    close: async () => { await use(handle); await driver.get('about:blank'); free.push(handle); },
  });
  return {
    async newPage(url) {
      let handle = free.pop();
      if (handle) {
        await use(handle);
      } else {
        await driver.switchTo().newWindow('tab');
        handle = current = await driver.getWindowHandle();
      }
      await driver.get(url);
      return wrap(handle);
    },
    async close() {
      // A browser that died mid-command can leave quit() unanswered: the driver is stopped regardless.
      const quit = driver.quit().catch(() => {});
      await Promise.race([quit, new Promise((r) => setTimeout(r, 10000).unref())]);
      await service.stop();
    },
  };
}

// WebKitWebDriver on a free port, its browser on our Xvfb display.
async function startDriver() {
  const env = { ...process.env, DISPLAY: await startXvfb() };
  const port = await freePort();
  // Its own process group (detached), so that stopping it can take its browser along.
  const proc = spawn(process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'],
    { env, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  const exited = new Promise((r) => proc.once('exit', r));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) { // ready once it answers /status
    try {
      if ((await fetch(`${url}/status`)).ok) break;
    } catch { /* not listening yet */ }
    if (i > 100 || proc.exitCode !== null) throw new Error('WebKitWebDriver did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  // A driver wedged with its browser may not end on SIGTERM, and a child process Node still
  // waits on keeps the test file from exiting: after 5 s its whole group gets SIGKILL.
  const stop = () => {
    proc.kill();
    const hard = setTimeout(() => { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    return exited.finally(() => clearTimeout(hard));
  };
  return { url, stop };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

// Xvfb on a free display (it picks one and writes its number on -displayfd), shared by the
// process's sessions and killed when Node exits. -noreset: by default Xvfb resets when its last
// client leaves, and a browser connecting during that reset dies with "cannot open display",
// so every later session of a run failed. stdout stays open and drained (a closed pipe would
// kill Xvfb with SIGPIPE on its next write). Should Xvfb exit anyway, or its socket be gone,
// the next session starts a new one.
function startXvfb() {
  if (display && !display.alive()) display = null;
  if (!display) {
    let exited = false;
    const xvfb = spawn('Xvfb', ['-displayfd', '1', '-noreset', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
      { stdio: ['ignore', 'pipe', 'ignore'] });
    const kill = () => xvfb.kill();
    process.on('exit', kill);
    let number = null;
    const ready = new Promise((resolve, reject) => {
      let out = '';
      xvfb.on('error', reject);
      xvfb.stdout.on('data', (d) => {
        if (number !== null) return; // drained
        out += d;
        const line = out.match(/^(\d+)\n/);
        if (!line) return;
        number = line[1];
        xvfb.unref(); // never keeps Node alive once the display is up
        xvfb.stdout.unref?.();
        resolve(`:${number}`);
      });
      xvfb.once('exit', (code, signal) => {
        exited = true;
        process.off('exit', kill);
        reject(new Error(`Xvfb exited (${signal ?? code}) before it gave a display`));
      });
    });
    display = {
      ready,
      alive: () => !exited && (number === null || existsSync(`/tmp/.X11-unix/X${number}`)),
    };
  }
  return display.ready;
}
