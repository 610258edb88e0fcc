// The engines adapter for Chromium: Debian's chromium through playwright-core, on a persistent profile.
import { launch as launchContext } from '../../browser/chromium.js';

export const name = 'chromium';

/** A browser on `profileDir`; see tests/engines/engines.js for the interface. */
export async function launch(profileDir) {
  const context = await launchContext(profileDir);
  const wrap = (page) => ({
    eval: (fn, arg) => page.evaluate(fn, arg),
    goto: async (url) => { await page.goto(url); },
    reload: async () => { await page.reload(); },
  });
  return {
    async newPage(url) {
      const page = context.pages().find((p) => p.url() === 'about:blank') ?? (await context.newPage());
      await page.goto(url);
      return wrap(page);
    },
    close: () => context.close(),
  };
}
