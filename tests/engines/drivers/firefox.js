// The engines adapter for Firefox: Debian's firefox-esr through puppeteer-core over WebDriver BiDi.
import puppeteer from 'puppeteer-core';

export const name = 'firefox';

/** A browser on `profileDir` (a Firefox profile folder that outlives it). */
export async function launch(profileDir) {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
    userDataDir: profileDir,
    extraPrefsFirefox: {
      // Service workers are off in a remote-controlled Firefox unless asked for.
      'dom.serviceWorkers.enabled': true,
      'dom.serviceWorkers.testing.enabled': true,
    },
  });
  const free = await browser.pages(); // tabs on about:blank, reused before opening more
  const wrap = (page) => ({
    eval: (fn, arg) => page.evaluate(fn, arg),
    goto: async (url) => { await page.goto(url); },
    reload: async () => { await page.reload(); },
    close: async () => { await page.goto('about:blank'); free.push(page); },
  });
  return {
    async newPage(url) {
      const page = free.pop() ?? (await browser.newPage());
      await page.goto(url);
      return wrap(page);
    },
    close: () => browser.close(),
  };
}
