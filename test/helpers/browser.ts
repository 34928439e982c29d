import { chromium, type Browser, type Page } from 'playwright-core';
import { cleanUp } from './cleanup.js';
import { systemTool } from './processes.js';

/**
 * Chromium from the system (Debian's `chromium` package: `.ci/run` installs it), driven by
 * playwright-core. CHROMIUM_PATH names another binary. Browser tests run only where one exists.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? systemTool('chromium', ['/usr/bin/chromium', '/usr/bin/chromium-browser']);

export interface BrowserPage {
  page: Page;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
}

/** One headless Chromium for a test file (call it where the file's databases are made), closed when the file ends. */
export async function launchBrowser(): Promise<{ open(): Promise<BrowserPage> }> {
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath!, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  cleanUp(() => browser.close());
  return {
    async open() {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      page.on('pageerror', (error) => errors.push(String(error)));
      return { page, errors };
    },
  };
}
