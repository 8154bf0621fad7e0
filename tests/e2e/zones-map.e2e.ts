// Zones picked on a map (issue 13, point 2): on /zones the coordinator picks a zone's hexagons by
// clicking, dragging and from the keyboard at 1280 px, by taps and a finger drag at 360 px; the count, the area and the
// districts follow; the zone is saved with exactly the picked cells (read back from the worker's
// own API) and removed again, so the demo worker's zones stay as seeded for the other suites. The
// server refuses forged cells (wrong resolution, outside the area) with a named field. Last, the
// orientation lines: the quick log and a round's route name the district and the nearest service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cellToParent, latLngToCell } from 'h3-js';
import { demoAccount, signIn } from './auth';
import { collectPageErrors, launchBrowser, newContext, phoneContext, screenshotPath } from './browser';

const WORKER = demoAccount('worker').name;

const count = (page: Page) => page.getByTestId('zone-pick-count').textContent().then(Number);
const mapCount = (page: Page) => page.getByTestId('zone-pick-map').getAttribute('data-picked-count').then(Number);
const idle = (page: Page) => page.waitForSelector('[data-testid="zone-pick-map"][data-map-idle="true"]', { timeout: 60_000, state: 'attached' });

/** The area in km² as the summary shows it ("0,32 km²"). */
const area = (page: Page) =>
	page
		.getByTestId('zone-pick-area')
		.textContent()
		.then((t) => Number(t!.replace(/[^\d,]/g, '').replace(',', '.')));

async function openPicker(page: Page, label: string) {
	await page.goto('/zones');
	await page.locator('#zone-worker').selectOption({ label: WORKER });
	await page.locator('#zone-label').fill(label);
	await page.getByLabel('Zelf gekozen zeshoeken').check();
	await page.getByTestId('zone-pick-map').waitFor();
	await idle(page);
	expect(await page.locator('textarea').count()).toBe(0);
	// zoom in from the keyboard (+ on the map) until a hexagon is tens of pixels wide
	const canvas = page.locator('[data-testid="zone-pick-map"] canvas');
	await canvas.focus();
	for (let i = 0; i < 3; i++) await page.keyboard.press('+');
	await page.waitForFunction(() => Number(document.querySelector('[data-testid="zone-pick-map"]')?.getAttribute('data-grid-count')) > 0);
	await idle(page);
	return (await canvas.boundingBox())!;
}

async function save(page: Page, label: string) {
	await page.getByRole('button', { name: 'Zone toewijzen' }).click();
	await page.getByText(`Zone ‘${label}’ toegewezen.`).waitFor();
	const row = page.getByTestId('zones-table').locator('tr', { hasText: label });
	await row.waitFor();
	return row;
}

async function removeZone(page: Page, label: string) {
	page.once('dialog', (d) => void d.accept());
	await page
		.getByTestId('zones-table')
		.locator('tr', { hasText: label })
		.getByRole('button', { name: /Verwijderen/ })
		.click();
	await page.getByText('Zone verwijderd.').waitFor();
	expect(await page.getByTestId('zones-table').locator('tr', { hasText: label }).count()).toBe(0);
}

describe(`zones picked on a map [${inject('dbKind')}]`, () => {
	let browser: Browser;
	let workerCtx: BrowserContext;

	/** The demo worker's zone of this name, read from the worker's own API. */
	const zoneCells = async (label: string) => {
		const res = await workerCtx.request.get('/api/my-zones');
		expect(res.status()).toBe(200);
		const body = (await res.json()) as { zones: { label: string; cells: string[] | null }[] };
		return body.zones.find((z) => z.label === label)?.cells ?? null;
	};

	beforeAll(async () => {
		browser = await launchBrowser();
		workerCtx = await newContext(browser);
		await signIn(workerCtx, 'worker');
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('at 1280 px: clicks, a drag, an erasing drag and the keyboard pick cells; the zone is saved with them', async () => {
		const ctx = await newContext(browser);
		try {
			await signIn(ctx, 'coordinator');
			const page = await ctx.newPage();
			const errors = collectPageErrors(page);
			const label = 'Kaartzone breed';
			const box = await openPicker(page, label);
			const cx = box.x + box.width / 2;
			const cy = box.y + box.height / 2;

			// a click picks, a second click on the same cell takes it away, a third picks it again
			await page.mouse.click(cx, cy);
			await expect.poll(() => count(page)).toBe(1);
			const one = await area(page);
			expect(one).toBeGreaterThan(0.05);
			expect(one).toBeLessThan(0.2);
			expect(await page.getByTestId('zone-pick-districts').textContent()).not.toBe('–');
			await page.mouse.click(cx, cy);
			await expect.poll(() => count(page)).toBe(0);
			expect(await page.getByTestId('zone-pick-districts').textContent()).toBe('–');
			await page.mouse.click(cx, cy);
			await expect.poll(() => count(page)).toBe(1);

			// a drag from a free cell paints every cell it crosses
			await page.mouse.move(cx, cy + 120);
			await page.mouse.down();
			await page.mouse.move(cx + 300, cy + 120, { steps: 30 });
			await page.mouse.up();
			const painted = await count(page);
			expect(painted).toBeGreaterThanOrEqual(5);
			expect(await area(page)).toBeCloseTo(one * painted, 1);

			// a drag that starts on a picked cell erases
			await page.mouse.move(cx + 300, cy + 120);
			await page.mouse.down();
			await page.mouse.move(cx + 150, cy + 120, { steps: 15 });
			await page.mouse.up();
			const erased = await count(page);
			expect(erased).toBeLessThan(painted);
			expect(erased).toBeGreaterThanOrEqual(2);

			// the keyboard: the focus cell moves with the arrows, Space toggles it
			const canvas = page.locator('[data-testid="zone-pick-map"] canvas');
			await canvas.focus();
			await page.keyboard.press('ArrowUp');
			await page.keyboard.press('ArrowUp');
			const focus = await page.getByTestId('zone-pick-map').getAttribute('data-focus-cell');
			expect(focus).toMatch(/^[0-9a-f]{15}$/);
			await page.keyboard.press('Space');
			await expect.poll(() => count(page)).toBe(erased + 1);
			expect(await mapCount(page)).toBe(erased + 1);
			await idle(page);
			await page.screenshot({ path: screenshotPath('zones-map-1280'), fullPage: true });

			const picked = (await page.getByTestId('zone-pick-map').getAttribute('data-picked-cells'))!.split(' ');
			expect(picked).toContain(focus);
			const districts = (await page.getByTestId('zone-pick-districts').textContent())!.split(', ');
			const row = await save(page, label);
			// listed with its cells' count and districts (the server's outlines; the same names)
			const rowText = (await row.textContent())!;
			expect(rowText).toContain(`${picked.length} zeshoeken: `);
			expect(districts.some((d) => rowText.includes(d))).toBe(true);
			// the picker is empty again for the next zone
			await expect.poll(() => count(page)).toBe(0);
			expect(new Set(await zoneCells(label))).toEqual(new Set(picked));
			await removeZone(page, label);
			expect(errors).toEqual([]);
		} finally {
			await ctx.close();
		}
	});

	it('at 360 px on a touch screen: picks by taps and a finger drag, and saves', async () => {
		const ctx = await phoneContext(browser);
		try {
			await signIn(ctx, 'coordinator');
			const page = await ctx.newPage();
			const errors = collectPageErrors(page);
			const cdp = await ctx.newCDPSession(page);
			/** One finger pressed at `from`, moved to `to` in steps, lifted. */
			const fingerDrag = async (from: [number, number], to: [number, number], steps: number) => {
				await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from[0], y: from[1] }] });
				for (let i = 1; i <= steps; i++) {
					const x = from[0] + ((to[0] - from[0]) * i) / steps;
					const y = from[1] + ((to[1] - from[1]) * i) / steps;
					await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
				}
				await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
			};
			const label = 'Kaartzone smal';
			const box = await openPicker(page, label);
			expect(box.width).toBeLessThanOrEqual(360);
			expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
			const cx = box.x + box.width / 2;
			const cy = box.y + box.height / 2;
			// a tap picks one cell (the tap's compatibility mouse events do not toggle it back)
			await page.touchscreen.tap(cx, cy);
			await expect.poll(() => count(page)).toBe(1);
			await page.touchscreen.tap(cx + 90, cy);
			await expect.poll(() => count(page)).toBe(2);
			// a finger drag paints, and the page does not scroll under it
			const scrollY = await page.evaluate(() => window.scrollY);
			await fingerDrag([cx - 120, cy + 80], [cx + 120, cy + 60], 24);
			await expect.poll(() => count(page)).toBeGreaterThanOrEqual(5);
			expect(await page.evaluate(() => window.scrollY)).toBe(scrollY);
			expect(await area(page)).toBeGreaterThan(0.4);
			// "move" mode: a drag pans the map and picks nothing
			const before = await count(page);
			await page.getByLabel('Verschuift de kaart').check();
			await fingerDrag([cx, cy - 60], [cx + 60, cy - 20], 8);
			expect(await count(page)).toBe(before);
			await page.getByLabel('Kiest zeshoeken').check();
			await idle(page);
			await page.getByTestId('zone-pick-summary').scrollIntoViewIfNeeded();
			await page.screenshot({ path: screenshotPath('zones-map-360'), fullPage: true });
			const picked = (await page.getByTestId('zone-pick-map').getAttribute('data-picked-cells'))!.split(' ');
			expect(picked.length).toBe(before);
			await save(page, label);
			expect(new Set(await zoneCells(label))).toEqual(new Set(picked));
			await removeZone(page, label);
			expect(errors).toEqual([]);
		} finally {
			await ctx.close();
		}
	});

	it('the server refuses cells at another resolution or outside the area, naming the field', async () => {
		const ctx = await newContext(browser);
		try {
			await signIn(ctx, 'coordinator');
			const page = await ctx.newPage();
			await page.goto('/zones');
			const workerId = await page.locator('#zone-worker option', { hasText: WORKER }).getAttribute('value');
			const post = (cells: string) =>
				ctx.request.post('/zones?/create', {
					form: { userId: workerId!, label: 'Vervalst', kind: 'cells', cells, validFrom: '2026-01-01', validTo: '2026-02-01' },
					headers: { origin: inject('baseURL'), accept: 'application/json', 'x-sveltekit-action': 'true' }
				});
			const korenmarkt = latLngToCell(51.0543, 3.7174, 9);
			const refusals: Array<[string, string]> = [
				[cellToParent(korenmarkt, 8), 'pickedCellInvalid'],
				[latLngToCell(50.8467, 4.3525, 9), 'cellsOutside'],
				['', 'cellsNotPicked']
			];
			for (const [cells, code] of refusals) {
				const res = await post(cells);
				const outer = (await res.json()) as { type: string; status: number; data: string };
				expect(outer.type, cells).toBe('failure');
				expect(outer.status, cells).toBe(400);
				// the action's answer, devalue-encoded: a flat array whose first entry points into it
				const flat = JSON.parse(outer.data) as unknown[];
				const root = flat[0] as Record<string, number>;
				expect({ field: flat[root.field!], code: flat[root.code!] }, cells).toEqual({ field: 'cells', code });
			}
			expect(await zoneCells('Vervalst')).toBeNull();
		} finally {
			await ctx.close();
		}
	});

	it('orientation: the quick log and the route page name the district and the nearest service', async () => {
		const page = await workerCtx.newPage();
		const errors = collectPageErrors(page);
		await page.setViewportSize({ width: 360, height: 740 });
		await page.goto('/log');
		const map = page.getByTestId('pick-map');
		await page.waitForSelector('[data-testid="pick-map"][data-map-ready="true"]', { state: 'attached' });
		const box = (await map.boundingBox())!;
		await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
		await page.getByTestId('location-picked').waitFor();
		const orientation = page.getByTestId('location-orientation');
		await orientation.getByTestId('orientation-district').waitFor();
		expect(await orientation.getByTestId('orientation-district').textContent()).toMatch(/^Wijk: \S/);
		expect(await orientation.getByTestId('orientation-service').textContent()).toMatch(/^Dichtstbijzijnde voorziening: .+ \(\d[\d,]* k?m\)$/);
		await page.getByTestId('location-picked').scrollIntoViewIfNeeded();
		await page.screenshot({ path: screenshotPath('orientation-quicklog-360') });

		// the route of today's round: every stop with its district and nearest service
		await page.goto('/today');
		await page.getByTestId('today-round').first().getByTestId('open-route').click();
		await page.getByTestId('route-stops').waitFor();
		const stops = page.getByTestId('route-stops').locator('li');
		const n = await stops.count();
		expect(n).toBeGreaterThan(0);
		await expect.poll(() => page.getByTestId('stop-orientation').count()).toBe(n);
		// the districts arrive after the stops (fetched once the page is up): wait for them
		await expect
			.poll(() => page.getByTestId('stop-orientation').first().textContent(), { timeout: 20_000 })
			.toMatch(/Wijk: \S.*Dichtstbijzijnde voorziening: .+ \(\d[\d,]* k?m\)/s);
		await page.getByTestId('route-stops').scrollIntoViewIfNeeded();
		await page.screenshot({ path: screenshotPath('orientation-route-360') });
		expect(errors).toEqual([]);
		await page.close();
	});
});
