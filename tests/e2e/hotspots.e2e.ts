// The hotspots view of the map page in a real browser: the third view switch (kept in the URL
// through a reload), the Gi* legend with its six classes, the explanation and counts in the panel,
// hot cells drawn (data-hot-count), loading error with retry, the empty state, the analyst's answer
// from published counts, English. Never a fixed sleep: we wait on the map container's data-mode /
// data-map-idle / data-hex-count attributes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page, Response } from 'playwright-core';
import { login } from './auth';
import { launchBrowser, screenshotPath, withPage } from './browser';

const MAP = '[data-testid="map"]';
const FIRST_LOAD_MS = 90_000; // includes MapLibre's worker start in software WebGL

async function waitForMode(page: Page, mode: 'reach' | 'hotspots', timeout = 60_000): Promise<number> {
	await page.waitForSelector(`${MAP}[data-mode="${mode}"][data-map-idle="true"]`, { timeout, state: 'attached' });
	return Number(await page.getAttribute(MAP, 'data-hex-count'));
}

const viewInUrl = (page: Page) => new URL(page.url()).searchParams.get('view');
const isSpots = (r: { url(): string }) => new URL(r.url()).pathname === '/api/hotspots';

async function showHotspots(page: Page, name = 'Hotspots'): Promise<{ count: number; answer: Response }> {
	const answered = page.waitForResponse((r) => isSpots(r) && r.status() === 200, { timeout: 60_000 });
	await page.getByRole('radio', { name, exact: true }).check();
	const answer = await answered;
	const count = await waitForMode(page, 'hotspots');
	return { count, answer };
}

const DUTCH_CLASSES = ['hotspot 99 %', 'hotspot 95 %', 'hotspot 90 %', 'coldspot 90 %', 'coldspot 95 %', 'coldspot 99 %'];

describe(`hot spots on the map [${inject('dbKind')}]`, () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('lets a coordinator switch to the hot spots: legend, explanation, counts and hot cells drawn', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator');
			await waitForMode(page, 'reach', FIRST_LOAD_MS);
			const views = page.getByRole('group', { name: 'Kaartweergave' });
			// reach, underserved, hot spots, and a coordinator's two views over time (map-time.e2e.ts)
			expect(await views.getByRole('radio').count()).toBe(5);

			// A failed request: the error in Dutch with a retry button, which then loads the spots.
			await page.route('**/api/hotspots?*', (route) => route.fulfill({ status: 500, body: 'boom' }));
			await views.getByRole('radio', { name: 'Hotspots', exact: true }).check();
			const panel = page.getByTestId('hotspot-panel');
			await panel.getByRole('alert').getByText('Hotspots laden mislukt.').waitFor();
			await page.unroute('**/api/hotspots?*');
			const answered = page.waitForResponse((r) => isSpots(r) && r.status() === 200, { timeout: 60_000 });
			await panel.getByRole('button', { name: 'Opnieuw proberen' }).click();
			const answer = await answered;
			const q = new URL(answer.url()).searchParams;
			expect(q.get('bbox')).toBeNull();
			const body = (await answer.json()) as { cells: string[]; classes: number[]; counts: { hot: number; cold: number }; published: unknown };
			expect(body.published).toBeNull();
			const count = await waitForMode(page, 'hotspots');
			expect(viewInUrl(page)).toBe('hotspots');
			expect(await page.getAttribute(MAP, 'data-res')).toBe(q.get('res'));
			expect(count).toBe(body.cells.length);
			const hot = Number(await page.getAttribute(MAP, 'data-hot-count'));
			expect(hot).toBe(body.counts.hot);
			expect(hot).toBeGreaterThan(0);
			expect(Number(await page.getAttribute(MAP, 'data-cold-count'))).toBe(body.counts.cold);

			// The legend: its title and the six classes in words.
			const legend = page.getByTestId('legend');
			expect((await legend.locator('h2').textContent())?.trim()).toBe('Hotspots van contacten (Getis-Ord Gi*)');
			expect((await legend.locator('li').allTextContents()).map((t) => t.trim())).toEqual(DUTCH_CLASSES);
			// The panel: one sentence explaining it, and the counts of hot and cold cells.
			await panel.getByText('Zeshoeken waar samen met hun buren opvallend veel (of weinig) contacten zijn, vergeleken met de hele stad.').waitFor();
			const counts = panel.getByTestId('hotspot-counts');
			expect(await counts.getAttribute('data-hot')).toBe(String(body.counts.hot));
			expect(await counts.textContent()).toMatch(new RegExp(`${body.counts.hot} zeshoeken? hotspot`));
			expect(await panel.getAttribute('aria-busy')).toBe('false');
			await page.screenshot({ path: screenshotPath('hotspots') });

			// A reload keeps the view (it is in the URL); the plain menu link is reach again.
			await page.reload();
			await waitForMode(page, 'hotspots', FIRST_LOAD_MS);
			expect(await page.getByRole('radio', { name: 'Hotspots', exact: true }).isChecked()).toBe(true);
			expect(Number(await page.getAttribute(MAP, 'data-hot-count'))).toBeGreaterThan(0);
			await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Kaart', exact: true }).click();
			await waitForMode(page, 'reach');
			expect(viewInUrl(page)).toBeNull();

			// On a phone (360 px): the switch, the map and the panel still fit.
			await page.setViewportSize({ width: 360, height: 800 });
			await page.goto('/?view=hotspots');
			await waitForMode(page, 'hotspots', FIRST_LOAD_MS);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
			await page.screenshot({ path: screenshotPath('hotspots-360') });
			expect(errors).toEqual([]);
		});
	});

	it('says so when nothing is a hot or cold spot', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator');
			await waitForMode(page, 'reach', FIRST_LOAD_MS);
			await page.route('**/api/hotspots?*', (route) => {
				const q = new URL(route.request().url()).searchParams;
				return route.fulfill({
					json: {
						res: Number(q.get('res')),
						from: q.get('from'),
						to: q.get('to'),
						published: null,
						cells: [],
						classes: [],
						counts: { hot: 0, cold: 0 }
					}
				});
			});
			const { count } = await showHotspots(page);
			expect(count).toBe(0);
			expect(await page.getByTestId('hotspot-empty').textContent()).toBe('Geen hotspots of coldspots in deze periode.');
			expect(errors).toEqual([]);
		});
	});

	it('shows an analyst hot spots computed from published counts, and English on request', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'analyst');
			await waitForMode(page, 'reach', FIRST_LOAD_MS);
			const { answer } = await showHotspots(page);
			const q = new URL(answer.url()).searchParams;
			expect(Number(q.get('res'))).toBeLessThanOrEqual(8);
			expect(q.get('teams')).toBeNull();
			const body = (await answer.json()) as Record<string, unknown> & { published: unknown; counts: { hot: number } };
			expect(body.published).toEqual({ k: 5 });
			expect(Object.keys(body).sort()).toEqual(['cells', 'classes', 'counts', 'from', 'published', 'res', 'to']);
			expect(Number(await page.getAttribute(MAP, 'data-hot-count'))).toBe(body.counts.hot);
			expect(body.counts.hot).toBeGreaterThan(0);
			const panel = page.getByTestId('hotspot-panel');
			await panel.getByText('Berekend uit gepubliceerde cijfers', { exact: false }).waitFor();
			await page.getByTestId('legend').getByRole('heading', { name: 'Hotspots van contacten (Getis-Ord Gi*)' }).waitFor();
			await page.screenshot({ path: screenshotPath('hotspots-analyst') });

			// English: the switch, legend and panel follow the language at once, without a new request.
			let asked = 0;
			page.on('request', (r) => {
				if (isSpots(r)) asked++;
			});
			await page.getByRole('button', { name: /^EN\b/ }).click();
			await page.waitForSelector('html[lang="en"]', { state: 'attached' });
			expect(await page.getByRole('radio', { name: 'Hot spots', exact: true }).isChecked()).toBe(true);
			const legend = page.getByTestId('legend');
			await legend.getByRole('heading', { name: 'Hot spots of contacts (Getis-Ord Gi*)' }).waitFor();
			expect((await legend.locator('li').allTextContents()).map((t) => t.trim())).toEqual([
				'hot spot 99 %',
				'hot spot 95 %',
				'hot spot 90 %',
				'cold spot 90 %',
				'cold spot 95 %',
				'cold spot 99 %'
			]);
			await panel.getByText('compared with the whole city', { exact: false }).waitFor();
			expect(asked).toBe(0);
			await page.screenshot({ path: screenshotPath('hotspots-analyst-en') });
			expect(errors).toEqual([]);
		});
	});
});
