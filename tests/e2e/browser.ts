// Browser test helpers over Debian's Chromium (tests/helpers/chromium.ts).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';

export { CHROMIUM, launchBrowser } from '../helpers/chromium';

/** A fresh context (no cookies, no storage) with the app's base URL, Dutch-speaking by default. */
export async function newContext(browser: Browser, locale = 'nl-BE'): Promise<BrowserContext> {
	const ctx = await browser.newContext({
		baseURL: inject('baseURL'),
		locale,
		timezoneId: 'Europe/Brussels',
		viewport: { width: 1280, height: 800 }
	});
	ctx.setDefaultTimeout(30_000);
	return ctx;
}

/** Uncaught errors in the page; a test asserts this stays empty. */
export function collectPageErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.stack || e.message));
	page.on('console', (m) => {
		if (m.type() === 'error') console.warn(`[browser console] ${m.text()}`);
	});
	return errors;
}

/** test-results/<name>.png; on the PostgreSQL run, <name>-postgres.png so both runs are kept. */
export function screenshotPath(name: string): string {
	const dir = resolve('test-results');
	mkdirSync(dir, { recursive: true });
	const suffix = inject('dbKind') === 'postgres' ? '-postgres' : '';
	return resolve(dir, `${name}${suffix}.png`);
}

/** Runs `fn` on a new page in a fresh context, and closes the context however `fn` ends. */
export async function withPage<T>(browser: Browser, fn: (page: Page, errors: string[]) => Promise<T>, locale?: string): Promise<T> {
	const ctx = await newContext(browser, locale);
	const page = await ctx.newPage();
	const errors = collectPageErrors(page);
	try {
		return await fn(page, errors);
	} finally {
		await ctx.close();
	}
}

/** Where the phone tests stand: Ghent's Korenmarkt (geolocation is granted there). */
export const PHONE_POSITION = { latitude: 51.0543, longitude: 3.7174 };

/** A phone-sized touch context (360×740), signed out, with geolocation at PHONE_POSITION. */
export async function phoneContext(browser: Browser): Promise<BrowserContext> {
	const ctx = await browser.newContext({
		baseURL: inject('baseURL'),
		locale: 'nl-BE',
		timezoneId: 'Europe/Brussels',
		viewport: { width: 360, height: 740 },
		deviceScaleFactor: 2,
		isMobile: true,
		hasTouch: true,
		permissions: ['geolocation'],
		geolocation: { ...PHONE_POSITION, accuracy: 15 }
	});
	ctx.setDefaultTimeout(30_000);
	return ctx;
}

/**
 * Opens a page and waits until it is hydrated (the root layout marks <html data-hydrated>), so
 * typing reaches the page's handlers and not just the server-rendered input. A busy server may
 * be slow to send the page's scripts, hence the generous wait.
 */
export async function gotoHydrated(page: Page, url: string): Promise<void> {
	await page.goto(url);
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached', timeout: 60_000 });
}
