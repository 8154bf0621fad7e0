// The map page in a real browser: hexes drawn, filters narrow them, language switch, 404.
// Never a fixed sleep: we wait on the map container's data-map-idle / data-hex-* attributes
// (set by AtlasMap: "false" from the start of a data update until the map is idle after it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { login } from './auth';
import { launchBrowser, screenshotPath, withPage } from './browser';

const MAP = '[data-testid="map"]';
const FIRST_LOAD_MS = 90_000; // includes MapLibre's worker start in software WebGL

interface MapState {
	idle: boolean;
	count: number;
	sum: number;
	res: number;
}

async function mapState(page: Page): Promise<MapState> {
	return page.$eval(MAP, (el) => {
		const d = (el as HTMLElement).dataset;
		return { idle: d.mapIdle === 'true', count: Number(d.hexCount), sum: Number(d.hexSum), res: Number(d.res) };
	});
}

/** Waits until the map is idle after its latest data update. */
async function waitForIdle(page: Page, timeout = 60_000): Promise<MapState> {
	await page.waitForSelector(`${MAP}[data-map-idle="true"]`, { timeout, state: 'attached' });
	return mapState(page);
}

/** Waits until the map is idle AND its hex sum differs from `before`. */
async function waitForNewSum(page: Page, before: number, timeout = 60_000): Promise<MapState> {
	await page.waitForFunction(
		([sel, prev]) => {
			const el = document.querySelector(sel) as HTMLElement | null;
			return !!el && el.dataset.mapIdle === 'true' && Number(el.dataset.hexSum) !== prev;
		},
		[MAP, before] as const,
		{ timeout, polling: 100 }
	);
	return mapState(page);
}

/**
 * Does `action` and waits for the hex request it causes (the one whose query passes `match`)
 * to be answered and drawn. Earlier requests are aborted by the page, and the map only turns
 * idle for the latest one, so this settles on exactly the state after `action`.
 */
async function changeAndSettle(page: Page, action: () => Promise<void>, match: (q: URLSearchParams) => boolean) {
	const answered = page.waitForResponse(
		(r) => {
			const u = new URL(r.url());
			return u.pathname === '/api/hexes' && r.status() === 200 && match(u.searchParams);
		},
		{ timeout: 60_000 }
	);
	await action();
	await answered;
	return waitForIdle(page);
}

describe(`map page [${inject('dbKind')}]`, () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('draws hexes, and narrower filters draw fewer contacts', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator');
			expect(new URL(page.url()).pathname).toBe('/');
			const first = await waitForIdle(page, FIRST_LOAD_MS);
			expect(first.count).toBeGreaterThan(50);
			expect(first.sum).toBeGreaterThan(first.count); // contacts, not cells
			expect(await page.locator('html').getAttribute('lang')).toBe('nl');
			const period = page.getByRole('group', { name: 'Periode' });
			await expect.poll(() => period.getByRole('radio', { name: '12 maanden' }).isChecked()).toBe(true);
			await page.screenshot({ path: screenshotPath('map') });

			// 12 → 24 months: the demo data spans 24 months, so more contacts.
			await period.getByRole('radio', { name: '24 maanden' }).check();
			const long = await waitForNewSum(page, first.sum);
			expect(long.sum).toBeGreaterThan(first.sum);

			// Only one contact type: uncheck all ("Alles"), then check Crisisinterventie.
			const types = page.getByRole('group', { name: 'Soort contact' });
			const crisisId = await types.getByRole('checkbox', { name: 'Crisisinterventie' }).getAttribute('value');
			const crisisOnly = await changeAndSettle(
				page,
				async () => {
					await types.getByRole('checkbox', { name: 'Alles' }).uncheck();
					await types.getByRole('checkbox', { name: 'Crisisinterventie' }).check();
				},
				(q) => q.get('types') === crisisId
			);
			expect(crisisOnly.sum).toBeLessThan(long.sum);
			expect(crisisOnly.sum).toBeGreaterThan(0);
			for (const other of ['Eerste contact', 'Opvolgcontact', 'Kort contact']) {
				expect(await types.getByRole('checkbox', { name: other }).isChecked()).toBe(false);
			}

			// 24 months → 30 days, same contact type: the sum changes, and goes down.
			await period.getByRole('radio', { name: '30 dagen' }).check();
			const short = await waitForNewSum(page, crisisOnly.sum);
			expect(short.sum).toBeLessThan(crisisOnly.sum);
			await page.screenshot({ path: screenshotPath('map-filtered') });

			expect(errors).toEqual([]);
		});
	});

	it('switches to English and remembers the choice', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator');
			await waitForIdle(page, FIRST_LOAD_MS);
			await page.getByRole('checkbox', { name: 'Crisisinterventie' }).waitFor();

			await page.getByRole('button', { name: /^EN\b/ }).click();
			await page.waitForSelector('html[lang="en"]', { state: 'attached' });
			await page.getByRole('checkbox', { name: 'Crisis intervention' }).waitFor();
			await page.getByRole('radio', { name: '30 days' }).waitFor();
			expect(await page.getByText('Crisisinterventie').count()).toBe(0);
			expect(await page.getByRole('button', { name: /^EN\b/ }).getAttribute('aria-pressed')).toBe('true');

			await page.reload();
			await page.waitForSelector('html[lang="en"]', { state: 'attached' });
			await page.getByRole('checkbox', { name: 'Crisis intervention' }).waitFor();
			await waitForIdle(page, FIRST_LOAD_MS);
			expect(errors).toEqual([]);
		});
	});

	it('shows a Dutch 404 page for an unknown address', async () => {
		await withPage(browser, async (page) => {
			const res = await page.goto('/deze-pagina-bestaat-niet');
			expect(res?.status()).toBe(404);
			await page.getByRole('heading', { name: /niet gevonden/i }).waitFor();
			expect(await page.locator('html').getAttribute('lang')).toBe('nl');
			await page
				.getByRole('link', { name: /kaart|start|home/i })
				.first()
				.waitFor();
		});
	});
});
