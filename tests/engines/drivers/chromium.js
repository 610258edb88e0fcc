// The engines adapter for Chromium: Debian's chromium through playwright-core, on a persistent profile.
import { launch as launchContext } from '../../browser/chromium.js';

export const name = 'chromium';

/** A browser on `profileDir`; see tests/engines/engines.js for the interface. */
export async function launch(profileDir) {
  const context = await launchContext(profileDir);
  const free = [...context.pages()]; // tabs on about:blank, reused before opening more
  const wrap = (page) => ({
    eval: (fn, arg) => page.evaluate(fn, arg),
    goto: async (url) => { await page.goto(url); },
    reload: async () => { await page.reload(); },
    close: async () => { await page.goto('about:blank'); free.push(page); },
  });
  return {
    async newPage(url) {
      const page = free.pop() ?? (await context.newPage());
      await page.goto(url);
      return wrap(page);
    },
    close: () => context.close(),
  };
}
