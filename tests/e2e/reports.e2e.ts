// The coverage report in a real browser, as a policy maker (analyst) uses it: open /reports,
// change the quarter, sort (aria-sort, kept in the URL through a reload), search, download the
// CSV (no count from 1 to k−1 in it), and the print layout. Screenshots at 1280 and 360 px and of
// the print media. We wait on the page's data-loading attribute and the API's answers, never on
// a fixed sleep.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { login } from './auth';
import { launchBrowser, screenshotPath, withPage } from './browser';

const K = 5;
const TABLE = '[data-testid="report-table"]';

const isReport = (url: string) => new URL(url).pathname === '/api/reports/coverage';

async function ready(page: Page) {
	await page.waitForSelector(`[data-testid="reports"][data-loading="false"] ${TABLE}`, { timeout: 60_000 });
}

/** The contacts column as numbers (null for "< k"). */
async function contactsColumn(page: Page): Promise<(number | null)[]> {
	const texts = await page.locator(`${TABLE} tbody td[data-figure="contacts"] .value`).allTextContents();
	return texts.map((t) => (t.startsWith('<') ? null : Number(t.replace(/\./g, '').replace(',', '.'))));
}

describe(`coverage report [${inject('dbKind')}]`, () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('lets an analyst pick a quarter, sort, search, download the CSV and print', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'analyst', '/reports');
			await ready(page);
			await page.screenshot({ path: screenshotPath('reports-1280'), fullPage: true });
			expect(await page.locator(`${TABLE} tbody tr`).count()).toBeGreaterThan(5);
			expect(await page.getByTestId('report-total').isVisible()).toBe(true);
			expect(await page.getByTestId('report-gap').locator('li').count()).toBeGreaterThan(0);
			await page
				.getByText(/% t\.o\.v\. vorig kwartaal|nieuw t\.o\.v\. vorig kwartaal|gelijk aan vorig kwartaal/)
				.first()
				.waitFor();

			// the summary sets each total beside the previous quarter and the same quarter a year earlier
			const summary = page.getByTestId('report-summary');
			expect(await summary.locator('.card .change').first().innerText()).toMatch(/vorig kwartaal|^niet te vergelijken$/);
			expect(await summary.getByTestId('summary-other-change').first().innerText()).toMatch(/hetzelfde kwartaal vorig jaar|^niet te vergelijken$/);

			// another ended quarter: the API is asked for it and the address keeps it
			const select = page.getByTestId('report-quarter');
			const options = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
			expect(options.length).toBe(8);
			const asked = page.waitForResponse((r) => isReport(r.url()) && r.status() === 200);
			await select.selectOption(options[1]!);
			const answer = await asked;
			expect(new URL(answer.url()).searchParams.get('from')).toBe(options[1]);
			await ready(page);
			expect(new URL(page.url()).searchParams.get('from')).toBe(options[1]);

			// sort by contacts, twice: descending, with aria-sort; sorting asks the server nothing
			let asks = 0;
			page.on('request', (r) => void (isReport(r.url()) && asks++));
			const th = page.locator(`${TABLE} thead th`).filter({ has: page.getByTestId('sort-contacts') });
			await page.getByTestId('sort-contacts').click();
			await page.waitForSelector(`${TABLE} thead th[aria-sort="ascending"]`);
			await page.getByTestId('sort-contacts').focus();
			await page.keyboard.press('Enter');
			await page.waitForFunction(() => new URL(location.href).searchParams.get('dir') === 'descending');
			expect(await th.getAttribute('aria-sort')).toBe('descending');
			const values = await contactsColumn(page);
			const known = values.filter((v): v is number => v !== null);
			expect(known).toEqual([...known].sort((a, b) => b - a));
			for (const v of known) expect(v === 0 || (v >= K && v % 5 === 0), String(v)).toBe(true);
			expect(asks).toBe(0);

			// referrals by target category: a column beside the figures, for each area and the total,
			// its counts published like the others (no value from 1 to k−1)
			expect(await page.getByTestId('report-targets-head').isVisible()).toBe(true);
			const byTarget = page.locator(`${TABLE} td[data-figure="byTarget"]`);
			expect(await byTarget.count()).toBe((await page.locator(`${TABLE} tbody tr`).count()) + 1);
			const targetValues = await page.locator(`${TABLE} td[data-figure="byTarget"] .targets .value`).allTextContents();
			expect(targetValues.length).toBeGreaterThan(0);
			for (const v of targetValues) {
				if (v === `< ${K}`) continue;
				const n = Number(v.replace(/\./g, ''));
				expect(n >= K && n % 5 === 0, `category ${v}`).toBe(true);
			}

			// a reload reopens the same report: quarter and sort
			await page.reload();
			await ready(page);
			expect(await select.inputValue()).toBe(options[1]);
			expect(await th.getAttribute('aria-sort')).toBe('descending');

			// the search box keeps the areas whose name holds the text
			await page.getByTestId('report-search').fill('binnen');
			await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'binnen');
			const names = await page.locator(`${TABLE} tbody th.name`).allTextContents();
			expect(names.length).toBeGreaterThan(0);
			for (const n of names) expect(n.toLowerCase()).toContain('binnen');
			await page.getByTestId('report-search').fill('');

			// the referrals column sorts by one target category: most referrals to it first, areas
			// whose figure for it is "< k" last; kept in the URL; asks the server nothing
			asks = 0;
			const targetSelect = page.getByTestId('sort-target');
			const targetOptions = await targetSelect
				.locator('option')
				.evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent!.trim() })));
			const chosen = targetOptions.find((o) => o.value !== '' && o.value !== 'unknown') ?? targetOptions[1]!;
			await targetSelect.selectOption(chosen.value);
			await page.waitForFunction((v) => new URL(location.href).searchParams.get('sort') === `target:${v}`, chosen.value);
			expect(await page.getByTestId('report-targets-head').getAttribute('aria-sort')).toBe('descending');
			const chosenValues = await page.locator(`${TABLE} tbody td[data-figure="byTarget"]`).evaluateAll(
				(cells, label) =>
					cells.map((cell) => {
						if (!cell.querySelector('.targets')) return cell.querySelector('.value') ? null : 0;
						const item = [...cell.querySelectorAll('li')].find((li) => li.querySelector('.target')!.textContent!.trim() === label);
						const text = item?.querySelector('.value')!.textContent!.trim();
						return text === undefined ? 0 : text.startsWith('<') ? null : Number(text.replace(/\./g, ''));
					}),
				chosen.label
			);
			const firstNull = chosenValues.indexOf(null);
			const counted = (firstNull < 0 ? chosenValues : chosenValues.slice(0, firstNull)) as number[];
			expect(chosenValues.slice(counted.length).every((v) => v === null)).toBe(true);
			expect(counted).toEqual([...counted].sort((a, b) => b - a));
			expect(counted.some((v) => v > 0)).toBe(true);
			await targetSelect.selectOption('');
			await page.waitForFunction(() => !new URL(location.href).searchParams.has('sort'));
			expect(asks).toBe(0);

			// the CSV: its head, and no count from 1 to k−1 anywhere in the count columns
			const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
			const saved = screenshotPath('reports-download').replace(/\.png$/, '.csv');
			await download.saveAs(saved);
			const lines = readFileSync(saved, 'utf8')
				.replace(/^\ufeff/, '')
				.trim()
				.split('\r\n');
			expect(lines[0]).toBe('Dekkingsrapport');
			expect(lines[1]).toBe(`Periode;${options[1]};${new URL(answer.url()).searchParams.get('to')}`);
			expect(lines[4]).toContain(`k = ${K}`);
			const header = lines[7]!.split(';');
			const countCols = header.flatMap((h, i) =>
				/^(contacten|personen|toeleidingen|toeleidingen naar .+|open signalen)( vorig| jaar eerder)?$/.test(h) && !h.includes('verschil') ? [i] : []
			);
			// four counts and the referral categories, three periods each
			const categories = header.filter((h) => /^toeleidingen naar .+$/.test(h) && !/ (vorig|jaar eerder)$/.test(h) && !h.includes('verschil'));
			expect(categories.length).toBeGreaterThan(0);
			expect(countCols.length).toBe(3 * (4 + categories.length));
			const rows = lines.slice(8).map((l) => l.split(';'));
			expect(rows.length).toBeGreaterThan(5);
			for (const r of rows) {
				for (const i of countCols) {
					const v = r[i]!;
					if (v === '' || v === `< ${K}`) continue;
					const n = Number(v);
					expect(n === 0 || (n >= K && n % 5 === 0), `${header[i]}: ${v}`).toBe(true);
				}
			}

			// print: page 1 summary and ranking, the table after a page break; no header or controls
			await page.emulateMedia({ media: 'print' });
			expect(await page.locator('header.top').isVisible()).toBe(false);
			expect(await page.getByTestId('report-quarter').isVisible()).toBe(false);
			expect(await page.getByTestId('report-summary').isVisible()).toBe(true);
			expect(await page.getByTestId('report-targets-head').isVisible()).toBe(true);
			await page.screenshot({ path: screenshotPath('reports-print'), fullPage: true });
			// the table prints on landscape A4 (297 mm less 2 × 10 mm margin, at 96 px per inch): it
			// ends inside the page, each change as arrow and percentage, the caption says against what
			const a4 = Math.floor((277 / 25.4) * 96);
			await page.setViewportSize({ width: a4, height: 1100 });
			const tableRight = await page.locator(TABLE).evaluate((t) => t.getBoundingClientRect().right);
			expect(tableRight, 'table right edge on A4').toBeLessThanOrEqual(a4);
			expect(await page.locator(`${TABLE} caption`).innerText()).toMatch(/Veranderingen t\.o\.v\. (vorig kwartaal|hetzelfde kwartaal vorig jaar)/);
			const printedChange = await page.locator(`${TABLE} tbody td[data-figure="contacts"] .change`).first().innerText();
			expect(printedChange).not.toMatch(/t\.o\.v\./);
			await page.screenshot({ path: screenshotPath('reports-print-a4'), fullPage: true });
			await page.setViewportSize({ width: 1280, height: 800 });
			await page.emulateMedia({ media: 'screen' });

			// a phone: the area column stays in view while the figures scroll
			await page.setViewportSize({ width: 360, height: 740 });
			await page.screenshot({ path: screenshotPath('reports-360'), fullPage: false });
			await page.locator(TABLE).scrollIntoViewIfNeeded();
			await page.locator(`${TABLE}`).evaluate((t) => t.parentElement!.scrollBy(240, 0));
			await page.screenshot({ path: screenshotPath('reports-360-table'), fullPage: false });
			// the area's name stays at the left edge while the figures scroll under it
			const nameBox = await page.locator(`${TABLE} tbody th.name`).first().boundingBox();
			expect(nameBox!.x).toBeLessThan(20);
			const scroll = await page.locator(`${TABLE}`).evaluate((t) => t.parentElement!.scrollWidth > t.parentElement!.clientWidth);
			expect(scroll).toBe(true);
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
			expect(errors).toEqual([]);
		});
	}, 180_000);

	it('draws each area’s last quarters as a sparkline in its row, the last point the row’s contacts', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'analyst', '/reports');
			await ready(page);
			const rows = await page.locator(`${TABLE} tbody tr`).count();
			// one per area and one for the total, once the trend has come
			await page.waitForFunction(
				(n) => document.querySelectorAll('[data-testid="report-spark"] svg[data-testid="sparkline"]').length === n,
				rows + 1,
				{ timeout: 60_000 }
			);
			const labels = await page
				.locator(`${TABLE} tbody [data-testid="report-spark"] svg`)
				.evaluateAll((ss) => ss.map((s) => s.getAttribute('aria-label')!));
			const names = await page.locator(`${TABLE} tbody th.name`).evaluateAll((ts) => ts.map((t) => t.firstChild!.textContent!.trim()));
			const contacts = await contactsColumn(page);
			labels.forEach((label, i) => {
				expect(label).toContain(`Contacten in ${names[i]}, laatste 8 kwartalen: `);
				const values = label.split(': ')[1]!.split(', ');
				expect(values).toHaveLength(8);
				// published figures only: "< k", 0, or k and more
				for (const v of values) expect(v === `< ${K}` || Number(v) === 0 || Number(v) >= K, v).toBe(true);
				// the last quarter is the report's quarter: the same figure as the row's contacts
				const last = values[7]!;
				expect(last === `< ${K}` ? null : Number(last)).toBe(contacts[i]);
			});
			await page.locator(TABLE).scrollIntoViewIfNeeded();
			await page.screenshot({ path: screenshotPath('reports-sparklines-1280'), fullPage: false });
			await page.setViewportSize({ width: 360, height: 740 });
			await page.locator(`${TABLE} tbody tr`).first().scrollIntoViewIfNeeded();
			// two frames after the resize, so the screenshot shows the table as laid out at 360 px
			await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
			await page.screenshot({ path: screenshotPath('reports-sparklines-360'), fullPage: false });
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
			expect(errors).toEqual([]);
		});
	}, 120_000);

	it('draws the report as a choropleth: pick a figure, see its classes, open an area’s card', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'analyst', '/reports');
			await ready(page);
			const MAP = '[data-testid="choropleth-map"]';
			const LEGEND = page.getByTestId('choropleth-legend');
			const areas = await page.locator('[data-testid="choropleth-list"] button').count();
			expect(areas).toBeGreaterThan(5);
			// every area is drawn: a class colour, "< k" hatched or unknown grey
			await page.waitForSelector(`${MAP}[data-map-idle="true"][data-area-count="${areas}"]`, { timeout: 60_000, state: 'attached' });

			// coverage, a share: the fraction classes keep several classes apart
			await page.getByTestId('choropleth-figure').selectOption('coverage');
			await page.waitForSelector(`${MAP}[data-map-idle="true"]`, { state: 'attached' });
			const classes = Number(await LEGEND.getAttribute('data-classes'));
			expect(classes).toBeGreaterThan(1);
			expect(classes).toBeLessThanOrEqual(6);
			expect(await LEGEND.locator('li[data-class]').count()).toBeGreaterThanOrEqual(classes);
			expect(await LEGEND.textContent()).toContain('%');
			await page.getByTestId('report-choropleth').scrollIntoViewIfNeeded();
			await page.getByTestId('report-choropleth').screenshot({ path: screenshotPath('reports-choropleth-1280') });

			// contacts: analysts' counts; a suppressed area is "< k" in the legend
			await page.getByTestId('choropleth-figure').selectOption('contacts');
			const legendText = (await LEGEND.textContent()) ?? '';
			const listValues = await page.locator('[data-testid="choropleth-list"] .value').allTextContents();
			if (listValues.some((v) => v.startsWith('<'))) expect(legendText).toContain(`< ${K}`);

			// a click on the map opens the card of the area under it, with its trend
			const box = (await page.locator(`${MAP} canvas`).boundingBox())!;
			const card = page.getByTestId('choropleth-card');
			for (const [fx, fy] of [
				[0.5, 0.5],
				[0.4, 0.45],
				[0.6, 0.55],
				[0.45, 0.6]
			] as const) {
				await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
				if (await card.isVisible()) break;
			}
			await card.waitFor();
			const code = await card.getAttribute('data-area');
			expect(await page.locator(`[data-testid="choropleth-list"] button[data-area="${code}"]`).getAttribute('aria-pressed')).toBe('true');
			await card.getByTestId('sparkline').waitFor();
			expect(await card.locator('dl.figures').first().locator('dt').count()).toBe(9);
			// and its referrals by target category (the demo's referrals name their service's category)
			const cardTargets = card.getByTestId('choropleth-card-targets');
			if (await cardTargets.isVisible()) {
				for (const v of await cardTargets.locator('dd').allTextContents()) {
					const n = Number(v.replace(/\./g, ''));
					expect(v === `< ${K}` || (n >= K && n % 5 === 0), `card category ${v}`).toBe(true);
				}
			}

			// the keyboard: Enter on another area in the list opens its card
			const target = page.locator(`[data-testid="choropleth-list"] button:not([data-area="${code}"])`).first();
			const otherCode = await target.getAttribute('data-area');
			await target.focus();
			await page.keyboard.press('Enter');
			await page.waitForSelector(`[data-testid="choropleth-card"][data-area="${otherCode}"]`);
			await card.getByTestId('sparkline').waitFor();
			await page.getByTestId('report-choropleth').screenshot({ path: screenshotPath('reports-choropleth-card-1280') });

			// a phone: map, legend and list stacked, nothing wider than the screen
			await page.setViewportSize({ width: 360, height: 740 });
			await page.waitForSelector(`${MAP}[data-map-idle="true"]`, { state: 'attached' });
			await page.getByTestId('report-choropleth').scrollIntoViewIfNeeded();
			await page.screenshot({ path: screenshotPath('reports-choropleth-360'), fullPage: false });
			await page.getByTestId('report-choropleth').screenshot({ path: screenshotPath('reports-choropleth-360-full') });
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
			// print: the map's last frame as an image (a WebGL canvas does not print reliably), its legend
			await page.setViewportSize({ width: 1280, height: 900 });
			await page.waitForSelector(`${MAP}[data-map-idle="true"]`, { state: 'attached' });
			await page.emulateMedia({ media: 'print' });
			const printed = page.getByTestId('choropleth-print');
			expect(await printed.isVisible()).toBe(true);
			expect(await printed.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
			expect(await page.locator(MAP).isVisible()).toBe(false);
			expect(await LEGEND.isVisible()).toBe(true);
			await page.getByTestId('report-choropleth').screenshot({ path: screenshotPath('reports-choropleth-print') });
			await page.emulateMedia({ media: 'screen' });
			expect(errors).toEqual([]);
		});
	}, 180_000);
});
