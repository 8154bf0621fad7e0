// Debian's Chromium driven by playwright-core (never `npx playwright install`: no downloads here).
// Shared by the browser tests (tests/e2e/browser.ts) and the browser bench; no vitest import, so
// scripts run through tsx can use it.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Without the background-networking flags Chromium floods this closed network with requests.
const ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** Launch a browser. Playwright gives every launch a new, empty --user-data-dir of its own. */
export function launchBrowser(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
}
