/**
 * Launches Debian's Chromium through playwright-core for the render, UI and VS Code tiers.
 * Outside CI a missing Chromium is a skip with a reason; under CI=true it is a failure.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.TRAIL_LENS_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Why Chromium cannot run here, or undefined when it can. */
export function chromiumUnavailable(): string | undefined {
  if (!existsSync(CHROMIUM_PATH)) {
    return `Chromium not found at ${CHROMIUM_PATH} (install Debian's chromium: apt-get install -y chromium)`;
  }
  return undefined;
}

export async function launchBrowser(): Promise<Browser> {
  const why = chromiumUnavailable();
  if (why) throw new Error(why);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // playwright gives every launch a fresh temporary profile of its own
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/** For node:test `skip` options: a reason to skip outside CI, or false. Under CI=true never skips. */
export function skipWithoutChromium(): string | false {
  const why = chromiumUnavailable();
  if (!why) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true: ${why}`);
  return why;
}

/** The window size every harness page gets, so screenshots are comparable between runs. */
export const VIEWPORT = { width: 1440, height: 900 };

/** A browser and one fresh page; closing the browser closes the page. */
export async function openBrowserPage(): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  return { browser, page };
}
