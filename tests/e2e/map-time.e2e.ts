// The map over time and the trends page in a real browser. A coordinator plays the month slider
// (the month's name and the map's data-hex-sum follow the /api/hexes answer of each month) and
// compares two periods (the diverging legend, the totals and a cell's counts in the panel). The
// trends page draws its charts with tables for a coordinator (quarters and months) and an
// analyst (published quarters only). Screenshots at 1280 and 360 px. Never a fixed sleep.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page, Response } from 'playwright-core';
import { login, signIn } from './auth';
import { launchBrowser, phoneContext, screenshotPath, withPage } from './browser';

const MAP = '[data-testid="map"]';
const FIRST_LOAD_MS = 90_000;
/** expect.poll gives up after 1 s by default: a first, uncached answer on PGlite can take longer. */
const POLL = { timeout: 30_000 };

async function waitForMode(page: Page, mode: string, timeout = 90_000): Promise<void> {
	await page.waitForSelector(`${MAP}[data-mode="${mode}"][data-map-idle="true"]`, { timeout, state: 'attached' });
}

const isHexes = (r: Response) => new URL(r.url()).pathname === '/api/hexes' && r.status() === 200;

/** Every /api/hexes answer's contact total, by its period ("from..to"). */
function recordHexTotals(page: Page): Map<string, number> {
	const totals = new Map<string, number>();
	page.on('response', (r) => {
		if (!isHexes(r)) return;
		const q = new URL(r.url()).searchParams;
		void r
			.json()
			.then((b: { totals?: { contacts: number | null } }) => totals.set(`${q.get('from')}..${q.get('to')}`, b.totals?.contacts ?? -1))
			.catch(() => {});
	});
	return totals;
}

const monthName = (from: string) =>
	new Intl.DateTimeFormat('nl-BE', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(from + 'T12:00:00Z'));
const lastDay = (from: string) => {
	const d = new Date(from + 'T00:00:00Z');
	d.setUTCMonth(d.getUTCMonth() + 1, 0);
	return d.toISOString().slice(0, 10);
};
/** The first day of the month whose name the label shows, among the slider's months. */
function monthOfLabel(label: string, today: string): string {
	for (let back = 0; back < 24; back++) {
		const d = new Date(today.slice(0, 7) + '-01T00:00:00Z');
		d.setUTCMonth(d.getUTCMonth() - back);
		const from = d.toISOString().slice(0, 10);
		if (monthName(from) === label) return from;
	}
	throw new Error(`no month named ${label}`);
}

describe(`the map over time and the trends [${inject('dbKind')}]`, () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('lets a coordinator play the months: the month name and the map’s sum follow each month', async () => {
		await withPage(browser, async (page, errors) => {
			const totals = recordHexTotals(page);
			await login(page, 'coordinator');
			await waitForMode(page, 'reach', FIRST_LOAD_MS);
			const today = await page.evaluate(() => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date()));

			await page.getByRole('radio', { name: 'Per maand', exact: true }).check();
			await waitForMode(page, 'months');
			expect(new URL(page.url()).searchParams.get('view')).toBe('months');
			const label = page.getByTestId('month-label');
			// it opens on the current month, drawn on the scale of all 24
			expect(await label.textContent()).toBe(monthName(today.slice(0, 7) + '-01'));
			await page.getByTestId('legend-fixed').waitFor();
			const sumOf = async () => Number(await page.getAttribute(MAP, 'data-hex-sum'));
			const expected = (text: string) => {
				const from = monthOfLabel(text, today);
				return totals.get(`${from}..${lastDay(from)}`);
			};
			await expect.poll(() => totals.size, POLL).toBeGreaterThanOrEqual(24);
			expect(await sumOf()).toBe(expected((await label.textContent())!));

			// the first month, from the keyboard
			const range = page.getByTestId('month-range');
			await range.focus();
			await page.keyboard.press('Home');
			const oldest = new Date(today.slice(0, 7) + '-01T00:00:00Z');
			oldest.setUTCMonth(oldest.getUTCMonth() - 23);
			const first = monthName(oldest.toISOString().slice(0, 10));
			await expect.poll(() => label.textContent(), POLL).toBe(first);
			await waitForMode(page, 'months');
			expect(await sumOf()).toBe(expected(first));
			await page.screenshot({ path: screenshotPath('map-months-1280') });

			// play: the months go by, each with its own sum; pause stops them
			const play = page.getByTestId('month-play');
			await play.click();
			expect(await play.getAttribute('aria-pressed')).toBe('true');
			const seen = new Map<string, number>();
			await expect
				.poll(
					async () => {
						const text = (await label.textContent())!;
						const sum = await sumOf();
						if ((await page.getAttribute(MAP, 'data-map-idle')) === 'true' && expected(text) === sum) seen.set(text, sum);
						return seen.size;
					},
					{ timeout: 30_000, interval: 200 }
				)
				.toBeGreaterThanOrEqual(3);
			await play.click();
			expect(await play.getAttribute('aria-pressed')).toBe('false');
			expect(seen.has(first)).toBe(true);
			// the sums are the months' own: they differ between months
			expect(new Set(seen.values()).size).toBeGreaterThan(1);
			const stopped = await label.textContent();
			await waitForMode(page, 'months');
			expect(await label.textContent()).toBe(stopped);
			expect(errors).toEqual([]);
		});
	}, 240_000);

	it('lets a coordinator compare two periods: the diverging legend, the totals, a cell’s counts', async () => {
		await withPage(browser, async (page, errors) => {
			const totals = recordHexTotals(page);
			await login(page, 'coordinator', '/?view=change');
			await waitForMode(page, 'change', FIRST_LOAD_MS);
			const panel = page.getByTestId('compare-panel');
			const a = { from: await panel.getByTestId('compare-a-from').inputValue(), to: await panel.getByTestId('compare-a-to').inputValue() };
			const b = { from: await panel.getByTestId('compare-b-from').inputValue(), to: await panel.getByTestId('compare-b-to').inputValue() };
			expect(a.to < b.from).toBe(true);

			// the diverging legend: "no change" in the middle, falls below and rises above it
			const legend = page.getByTestId('legend-change');
			const rows = await legend.locator('li').allTextContents();
			expect(rows.length).toBeGreaterThanOrEqual(3);
			expect(rows.map((t) => t.trim())).toContain('geen verschil');
			expect(rows[0]!.trim()).toMatch(/^−\d/);
			expect(rows[rows.length - 1]!.trim()).toMatch(/^\+\d/);

			// the totals of both periods are those of /api/hexes for each
			await expect.poll(() => totals.has(`${a.from}..${a.to}`) && totals.has(`${b.from}..${b.to}`), POLL).toBe(true);
			const ta = totals.get(`${a.from}..${a.to}`)!;
			const tb = totals.get(`${b.from}..${b.to}`)!;
			expect(await page.getAttribute(MAP, 'data-change-totals')).toBe(`${ta}:${tb}`);
			const shown = (await panel.getByTestId('compare-totals').locator('dd').allTextContents()).map((t) => t.trim());
			const nf = new Intl.NumberFormat('nl-BE');
			const signed = (n: number) => (n > 0 ? `+${nf.format(n)}` : n < 0 ? `−${nf.format(-n)}` : '0');
			expect(shown).toEqual([nf.format(ta), nf.format(tb), signed(tb - ta)]);

			// a cell with a large change, picked from the list: its counts in both periods and the difference
			const top = panel.getByRole('list').getByRole('button').first();
			const topText = (await top.textContent())!;
			await top.click();
			const cell = panel.getByTestId('compare-cell');
			await cell.waitFor();
			const [ca, cb, cc] = await Promise.all(['data-a', 'data-b', 'data-change'].map(async (n) => Number(await cell.getAttribute(n))));
			expect(cc).toBe(cb! - ca!);
			expect(cc).not.toBe(0);
			expect((await cell.locator('dd').allTextContents()).map((t) => t.trim())).toEqual([nf.format(ca!), nf.format(cb!), signed(cc!)]);
			expect(topText).toContain(signed(cc!));
			expect(await page.getAttribute(MAP, 'data-selected')).not.toBe('');
			await waitForMode(page, 'change');
			await page.screenshot({ path: screenshotPath('map-compare-1280') });

			// another period A: asked again, new totals
			const year = Number(a.from.slice(0, 4)) - 1;
			const older = { from: `${year}${a.from.slice(4)}`, to: `${year}${a.to.slice(4)}` };
			await panel.getByTestId('compare-a-from').fill(older.from);
			await panel.getByTestId('compare-a-to').fill(older.to);
			const asked = page.waitForResponse((r) => isHexes(r) && new URL(r.url()).searchParams.get('from') === older.from);
			await panel.getByTestId('compare-apply').click();
			await asked;
			await waitForMode(page, 'change');
			await expect.poll(() => totals.has(`${older.from}..${older.to}`), POLL).toBe(true);
			expect(await page.getAttribute(MAP, 'data-change-totals')).toBe(`${totals.get(`${older.from}..${older.to}`)}:${tb}`);

			// a period that ends before it starts is refused in the form, nothing is asked
			await panel.getByTestId('compare-b-from').fill(b.to);
			await panel.getByTestId('compare-b-to').fill(b.from);
			await panel.getByTestId('compare-apply').click();
			await panel.getByRole('alert').getByText('Periode B: kies een begin vóór het einde, niet na vandaag.').waitFor();
			expect(errors).toEqual([]);
		});
	}, 240_000);

	it('offers the views over time to coordinators only', async () => {
		await withPage(browser, async (page) => {
			await login(page, 'analyst', '/?view=months');
			await waitForMode(page, 'reach', FIRST_LOAD_MS);
			const views = page.getByTestId('view-switch');
			expect(await views.getByRole('radio').count()).toBe(3);
			expect(await page.getByTestId('month-slider').count()).toBe(0);
		});
	}, 120_000);

	it('fits the slider and the compare panel on a phone', async () => {
		const ctx = await phoneContext(browser);
		try {
			await signIn(ctx, 'coordinator');
			const page = await ctx.newPage();
			await page.goto('/?view=months');
			await waitForMode(page, 'months', FIRST_LOAD_MS);
			await page.getByTestId('month-label').waitFor();
			const width = await page.evaluate(() => document.documentElement.scrollWidth);
			expect(width).toBeLessThanOrEqual(360);
			await page.screenshot({ path: screenshotPath('map-months-360') });
			await page.goto('/?view=change');
			await waitForMode(page, 'change', FIRST_LOAD_MS);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
			await page.screenshot({ path: screenshotPath('map-compare-360'), fullPage: true });
		} finally {
			await ctx.close();
		}
	}, 240_000);

	it('shows a coordinator the trends by type and group, per quarter and per month, with tables', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator', '/reports/trends');
			const typeTable = page.getByTestId('trend-table-type');
			await typeTable.waitFor({ state: 'attached' });
			expect(await typeTable.locator('tbody tr').count()).toBe(8);
			await page.getByTestId('trend-chart-type').locator('canvas').first().waitFor();
			await page.getByTestId('trend-chart-group').locator('canvas').first().waitFor();
			// the table behind its toggle
			const toggle = page.getByTestId('trend-chart-type').getByRole('button', { name: 'Toon de cijfers als tabel' });
			await toggle.click();
			expect(await typeTable.isVisible()).toBe(true);
			const header = (await typeTable.locator('thead th').allTextContents()).map((t) => t.trim());
			expect(header[0]).toBe('Periode');
			expect(header[header.length - 1]).toBe('Alle contacten');
			expect(header).toContain('Eerste contact');
			// the chart is a slider for the keyboard: its value text reads a period's figures
			const chart = page.getByTestId('trend-chart-type').getByRole('slider');
			await chart.focus();
			await page.keyboard.press('End');
			expect(await chart.getAttribute('aria-valuetext')).toMatch(/^K\d \d{4} \*: Eerste contact \d+/);
			await page.screenshot({ path: screenshotPath('trends-1280'), fullPage: true });

			// the organisation's own district layer is chosen without naming it in the address
			expect(await page.getByTestId('trend-layer').inputValue()).toBe('district');
			expect(new URL(page.url()).searchParams.has('layer')).toBe(false);
			// one area: the summary names it and the figures are the area's
			const orgTotal = await typeTable.locator('tbody tr').last().locator('td').last().textContent();
			const area = page.getByTestId('trend-area');
			const options = await area.locator('option').allTextContents();
			expect(options[0]).toBe('Hele organisatie');
			expect(options.length).toBeGreaterThan(5);
			const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/reports/trend' && new URL(r.url()).searchParams.has('area'));
			await area.selectOption({ label: 'Binnenstad' });
			await answered;
			await expect.poll(() => page.getByTestId('trend-summary').textContent(), POLL).toContain('Binnenstad');
			expect(new URL(page.url()).searchParams.get('area')).not.toBeNull();
			expect(Number(await typeTable.locator('tbody tr').last().locator('td').last().textContent())).toBeLessThanOrEqual(Number(orgTotal));

			// months
			await page.getByTestId('trend-grain-month').check();
			await expect.poll(() => typeTable.locator('tbody tr').count(), POLL).toBe(24);
			expect(errors).toEqual([]);
		});
	}, 120_000);

	it('shows an analyst ended quarters only, published, and fits a phone', async () => {
		const ctx = await phoneContext(browser);
		try {
			await signIn(ctx, 'analyst');
			const page = await ctx.newPage();
			const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/reports/trend' && r.status() === 200);
			await page.goto('/reports/trends');
			const body = (await (await answer).json()) as { k: number; periods: { partial: boolean }[]; totals: (number | null)[] };
			expect(body.periods.some((p) => p.partial)).toBe(false);
			await page.getByTestId('trends-privacy').waitFor();
			expect(await page.getByTestId('trend-grain-month').count()).toBe(0);
			const cells = (await page.getByTestId('trend-table-group').locator('tbody td').allTextContents()).map((t) => t.trim());
			expect(cells.length).toBeGreaterThan(0);
			for (const c of cells) expect(c === `< ${body.k}` || (Number(c) % 5 === 0 && (Number(c) === 0 || Number(c) >= body.k)), c).toBe(true);
			await page.getByTestId('trend-chart-type').locator('canvas').first().waitFor();
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
			await page.screenshot({ path: screenshotPath('trends-360'), fullPage: true });
		} finally {
			await ctx.close();
		}
	}, 120_000);
});
