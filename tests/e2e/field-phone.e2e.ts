// Field work on a phone (issue 13): the audit log's pages, filters and export; users, zones and
// audit as cards at 360 px; the demo banner folded for the session; and the notice when the
// basemap cannot load. That last one runs its own app server, with BASEMAP_STYLE_URL pointing
// at a closed local port, so the style request is refused as it would be offline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { resolve } from 'node:path';
import { login } from './auth';
import { collectPageErrors, launchBrowser, screenshotPath, withPage } from './browser';
import { freePort, startAppServer, type AppServer } from './server';

const PHONE = { width: 360, height: 740 };

/** True when the page is no wider than the window (nothing to scroll sideways). */
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** A table's header row is there for screen readers only: clipped to a pixel. */
const headerClipped = (page: Page, table: string) =>
	page
		.locator(`[data-testid="${table}"] thead`)
		.boundingBox()
		.then((b) => b !== null && b.height <= 1 && b.width <= 1);

describe(`audit log, tables and banner on a phone [${inject('dbKind')}]`, () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('pages, filters and exports the audit log, and the export is audited', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator', '/audit');
			await page.getByTestId('audit-table').waitFor();
			const rows = page.locator('[data-testid="audit-table"] tbody tr');
			expect(await rows.count()).toBeGreaterThan(0);
			expect(await rows.count()).toBeLessThanOrEqual(50);
			await expect.poll(() => page.getByTestId('audit-range').textContent()).toMatch(/^\s*1–\d+ van \d+\s*$/);
			await page.screenshot({ path: screenshotPath('audit-1280'), fullPage: true });

			// filter on sign-ins: every row is one, and the filter is in the URL
			await page.getByLabel('Wat').selectOption('login');
			await Promise.all([page.waitForURL((u) => u.searchParams.get('action') === 'login'), page.getByRole('button', { name: 'Toon' }).click()]);
			await page.getByTestId('audit-table').waitFor();
			const actions = await page
				.locator('[data-testid="audit-table"] td[data-action]')
				.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-action')));
			expect(actions.length).toBeGreaterThan(0);
			expect(new Set(actions)).toEqual(new Set(['login']));

			// the export keeps the filter and the page's language; it is itself in the log
			const href = await page.getByTestId('audit-export').getAttribute('href');
			expect(href).toMatch(/^\/audit\/export\?action=login&lang=nl$/);
			const res = await page.request.get(href!);
			expect(res.status()).toBe(200);
			expect(res.headers()['content-disposition']).toMatch(/attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"/);
			const lines = (await res.text())
				.replace(/^\ufeff/, '')
				.trimEnd()
				.split('\r\n');
			expect(lines[0]).toBe('tijdstip;gebruiker_id;gebruiker;actie_code;actie;details');
			expect(lines.slice(1).every((l) => l.split(';')[3] === 'login')).toBe(true);
			await page.goto('/audit?action=audit.export');
			await page.getByTestId('audit-table').waitFor();
			const detail = await page.locator('[data-testid="audit-table"] tbody tr').first().textContent();
			expect(detail).toContain('Audit geëxporteerd');
			// (the dt's colon is CSS, so the text reads "rijen 12")
			expect(detail).toMatch(new RegExp(`rijen\\s*${lines.length - 1}(?!\\d)`));
			expect(errors).toEqual([]);
		});
	});

	it('shows users, zones and the audit log as cards at 360 px, and folds the demo banner for the session', async () => {
		const ctx = await browser.newContext({ baseURL: inject('baseURL'), locale: 'nl-BE', timezoneId: 'Europe/Brussels', viewport: PHONE });
		ctx.setDefaultTimeout(30_000);
		try {
			const page = await ctx.newPage();
			const errors = collectPageErrors(page);
			await login(page, 'coordinator', '/audit');
			await page.getByTestId('audit-table').waitFor();
			expect(await fitsWidth(page)).toBe(true);
			// a card: the column's name before each value, no header row in sight
			expect(await headerClipped(page, 'audit-table')).toBe(true);
			const when = page.locator('[data-testid="audit-table"] tbody td[data-label]').first();
			expect(await when.evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Wanneer: "');
			await page.screenshot({ path: screenshotPath('audit-360'), fullPage: true });

			for (const name of ['users', 'zones']) {
				await page.goto(`/${name}`);
				await page.getByTestId(`${name}-table`).waitFor();
				expect(await fitsWidth(page), name).toBe(true);
				expect(await headerClipped(page, `${name}-table`)).toBe(true);
				await page.screenshot({ path: screenshotPath(`${name}-360`), fullPage: true });
			}

			// the demo banner: folded from the keyboard to one short line, and it stays folded
			const banner = page.getByTestId('demo-banner');
			const fold = page.getByTestId('demo-banner-fold');
			const open = (await banner.boundingBox())!.height;
			expect(await fold.getAttribute('aria-expanded')).toBe('true');
			await fold.focus();
			await page.keyboard.press('Enter');
			await expect.poll(() => fold.getAttribute('aria-expanded')).toBe('false');
			const folded = (await banner.boundingBox())!.height;
			expect(folded).toBeLessThan(open);
			expect(folded).toBeLessThanOrEqual(36);
			expect(await page.locator('#demo-banner-text').isVisible()).toBe(false);
			await page.screenshot({ path: screenshotPath('demo-banner-folded-360') });
			await page.goto('/audit');
			await page.getByTestId('audit-table').waitFor();
			expect(await page.getByTestId('demo-banner-fold').getAttribute('aria-expanded')).toBe('false');
			// a new session (a new tab's sessionStorage starts empty) shows it open again
			const other = await ctx.newPage();
			await other.goto('/audit');
			await other.getByTestId('audit-table').waitFor();
			expect(await other.getByTestId('demo-banner-fold').getAttribute('aria-expanded')).toBe('true');
			expect(errors).toEqual([]);
		} finally {
			await ctx.close();
		}
	});
});

describe.skipIf(inject('dbKind') === 'external')(`basemap that cannot load [${inject('dbKind')}]`, () => {
	let browser: Browser;
	let server: AppServer;
	let ctx: BrowserContext;

	beforeAll(async () => {
		// a port that was free a moment ago and that nobody listens on: the style is refused
		const closed = await freePort();
		[server, browser] = await Promise.all([
			startAppServer({
				adminDatabaseUrl: process.env.E2E_DATABASE_URL || undefined,
				logFile: resolve('test-results', 'e2e-server-basemap.log'),
				env: { BASEMAP_STYLE_URL: `http://127.0.0.1:${closed}/style.json` }
			}),
			launchBrowser()
		]);
		ctx = await browser.newContext({ baseURL: server.baseURL, locale: 'nl-BE', timezoneId: 'Europe/Brussels', viewport: PHONE });
		ctx.setDefaultTimeout(30_000);
	}, 240_000);
	afterAll(async () => {
		await ctx?.close();
		await browser?.close();
		await server?.stop();
	});

	it('says so in a small notice at 360 px, on the plain background, in the UI language', async () => {
		const page = await ctx.newPage();
		const errors = collectPageErrors(page);
		await login(page, 'coordinator');
		const map = page.getByTestId('map');
		const notice = map.locator('xpath=..').getByTestId('basemap-notice');
		await notice.getByText('De achtergrondkaart kon niet laden').waitFor({ timeout: 60_000 });
		expect(await notice.getAttribute('role')).toBe('status');
		expect(await notice.getAttribute('data-failure')).toBe('style');
		expect(await map.getAttribute('data-basemap')).toBe('plain');
		// the map still draws its hexes on the plain background
		await page.waitForSelector('[data-testid="map"][data-map-idle="true"]', { timeout: 90_000, state: 'attached' });
		expect(Number(await map.getAttribute('data-hex-count'))).toBeGreaterThan(0);
		await page.screenshot({ path: screenshotPath('basemap-notice-360') });

		// the other maps on OrgMap: my zones, the quick log's location map, the reports' map
		await page.goto('/my-zones');
		await page.getByTestId('zone-map').waitFor();
		await page.getByTestId('basemap-notice').getByText('De achtergrondkaart kon niet laden').waitFor({ timeout: 60_000 });
		await page.goto('/log');
		await page.getByTestId('pick-map').waitFor();
		await page.getByTestId('basemap-notice').getByText('De achtergrondkaart kon niet laden').waitFor({ timeout: 60_000 });
		await page.screenshot({ path: screenshotPath('basemap-notice-quicklog-360'), fullPage: true });
		// and the reports' map of areas
		await page.goto('/reports');
		await page.getByTestId('choropleth-map').waitFor();
		await page.getByTestId('basemap-notice').getByText('De achtergrondkaart kon niet laden').waitFor({ timeout: 60_000 });

		// in English when the UI is
		await page.getByRole('button', { name: /^EN\b/ }).click();
		await page.getByTestId('basemap-notice').getByText('The basemap could not load').waitFor();
		expect(errors).toEqual([]);
	});
});
