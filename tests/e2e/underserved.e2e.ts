// The underserved view of the map page in a real browser: the view switch (kept in the URL through
// a reload and Back), the score colours and legend, the top zones with their reasons in words,
// list ⇄ map selection and highlight, loading errors and the empty state, the analyst's suppressed counts,
// English. Never a fixed sleep: we wait on the map container's data-mode / data-map-idle /
// data-hex-count / data-selected attributes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page, Response } from 'playwright-core';
import { login } from './auth';
import { launchBrowser, screenshotPath, withPage } from './browser';

const MAP = '[data-testid="map"]';
const FIRST_LOAD_MS = 90_000; // includes MapLibre's worker start in software WebGL
const LIST = '[data-testid="underserved-list"]';

/** Waits until the map shows the given mode, is idle after its latest update, and returns its cell count. */
async function waitForMode(page: Page, mode: 'reach' | 'underserved', timeout = 60_000): Promise<number> {
	await page.waitForSelector(`${MAP}[data-mode="${mode}"][data-map-idle="true"]`, { timeout, state: 'attached' });
	return Number(await page.getAttribute(MAP, 'data-hex-count'));
}

/** The view the address bar holds (?view=…), null for none. */
const viewInUrl = (page: Page) => new URL(page.url()).searchParams.get('view');

const isZones = (r: Response) => new URL(r.url()).pathname === '/api/underserved';

/** Switches to the underserved view and waits for its answer (when it is fetched) and the drawn map. */
async function showUnderserved(page: Page, name = 'Onderbediende zones'): Promise<{ count: number; answer: Response }> {
	const answered = page.waitForResponse((r) => isZones(r) && r.status() === 200, { timeout: 60_000 });
	await page.getByRole('radio', { name }).check();
	const answer = await answered;
	const count = await waitForMode(page, 'underserved');
	return { count, answer };
}

async function items(page: Page) {
	const list = page.locator(LIST);
	await list.waitFor();
	return list.locator(':scope > li');
}

const DUTCH_REASON = /open signa(al|len)|geen bezoek in|dichtstbijzijnde voorziening|inwoners per km²|contacten? in deze periode/;
const ENGLISH_REASON = /open signals?|no visit in|nearest service|residents per km²|contacts? in this period/;

describe(`underserved zones on the map [${inject('dbKind')}]`, () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('lets a coordinator switch to the scores, read the top zones and follow one on the map', async () => {
		await withPage(browser, async (page, errors) => {
			// The list's pan to a zone then jumps, so the map is still the moment the button is clicked.
			await page.emulateMedia({ reducedMotion: 'reduce' });
			await login(page, 'coordinator');
			await waitForMode(page, 'reach', FIRST_LOAD_MS);
			const views = page.getByRole('group', { name: 'Kaartweergave' });
			expect(await views.getByRole('radio', { name: 'Bereik' }).isChecked()).toBe(true);
			const entries = await page.evaluate(() => history.length);

			// A failed request: the error in Dutch with a retry button, which then loads the zones.
			await page.route('**/api/underserved?*', (route) => route.fulfill({ status: 500, body: 'boom' }));
			await views.getByRole('radio', { name: 'Onderbediende zones' }).check();
			const panel = page.getByTestId('underserved-panel');
			await panel.getByRole('alert').getByText('Onderbediende zones laden mislukt.').waitFor();
			await page.unroute('**/api/underserved?*');
			const answered = page.waitForResponse((r) => isZones(r) && r.status() === 200, { timeout: 60_000 });
			await panel.getByRole('button', { name: 'Opnieuw proberen' }).click();
			const answer = await answered;
			const q = new URL(answer.url()).searchParams;
			expect(q.get('bbox')).toBeNull();
			const count = await waitForMode(page, 'underserved');
			expect(viewInUrl(page)).toBe('underserved');
			expect(await page.getAttribute(MAP, 'data-res')).toBe(q.get('res'));
			expect(count).toBeGreaterThan(5);
			expect(await panel.getAttribute('aria-busy')).toBe('false');

			// The legend: title and the five fixed score classes.
			const legend = page.getByTestId('legend');
			expect((await legend.locator('h2').textContent())?.trim()).toBe('Score onderbediend (0–100)');
			expect((await legend.locator('li').allTextContents()).map((t) => t.trim())).toEqual(['5–19', '20–39', '40–59', '60–79', '80–100']);
			await panel.getByText('Nood (signalen, inwoners, vroegere contacten)', { exact: false }).waitFor();
			expect(await panel.getByTestId('population-layer').textContent()).toContain('statistische sectoren');

			// The top zones: a score, a place and reasons in Dutch.
			const li = await items(page);
			expect(await li.count()).toBeGreaterThanOrEqual(5);
			const first = li.first();
			const firstText = (await first.textContent()) ?? '';
			expect(firstText).toMatch(/score\s*\d{1,3}/);
			const reasons = await first.locator('.reason').allTextContents();
			expect(reasons.length).toBeGreaterThan(0);
			expect(reasons.some((r) => DUTCH_REASON.test(r))).toBe(true);
			const scores = await li.locator('.score').allTextContents();
			const numbers = scores.map((s) => Number(s.replace(/\D/g, '')));
			expect(numbers.every((n) => n >= 5 && n <= 100)).toBe(true);
			expect([...numbers].sort((a, b) => b - a)).toEqual(numbers); // highest first
			await page.screenshot({ path: screenshotPath('underserved') });

			// Picking a zone from the list selects it on the map (and the list says so).
			const button = first.getByRole('button');
			const cell = await button.getAttribute('data-cell');
			expect(cell).toMatch(/^8[0-9a-f]{14}$/);
			await button.click();
			await page.waitForSelector(`${MAP}[data-selected="${cell}"]`, { state: 'attached' });
			expect(await button.getAttribute('aria-pressed')).toBe('true');

			// The map is centred on that zone now: the pointer there highlights its list item, and
			// Enter on the map (after clearing the selection) selects it from the map. (Not a click:
			// a service's icon may sit on the centre, and a click there opens its popup.)
			await panel.getByRole('button', { name: 'Selectie wissen' }).click();
			await page.waitForSelector(`${MAP}[data-selected=""]`, { state: 'attached' });
			expect(await button.getAttribute('aria-pressed')).toBe('false');
			const box = (await page.locator(`${MAP} canvas`).boundingBox())!;
			const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
			await expect
				.poll(
					async () => {
						await page.mouse.move(centre.x + 1, centre.y);
						await page.mouse.move(centre.x, centre.y);
						return button.evaluate((b) => b.classList.contains('hovered'));
					},
					{ timeout: 15_000 }
				)
				.toBe(true);
			await page.locator(`${MAP} canvas`).focus();
			await page.keyboard.press('Enter');
			await page.waitForSelector(`${MAP}[data-selected="${cell}"]`, { state: 'attached' });
			expect(await button.getAttribute('aria-pressed')).toBe('true');

			// Keyboard: the list items are buttons in the tab order.
			await li.nth(1).getByRole('button').focus();
			await page.keyboard.press('Enter');
			const second = await li.nth(1).getByRole('button').getAttribute('data-cell');
			await page.waitForSelector(`${MAP}[data-selected="${second}"]`, { state: 'attached' });

			// List → map: pointing at or focusing an item outlines its zone on the map as the map's
			// own pointer does (data-hovered), and leaving it takes the outline away.
			const cellOf = (n: number) => li.nth(n).getByRole('button').getAttribute('data-cell');
			const hoveredIs = (c: string | null) => page.waitForSelector(`${MAP}[data-hovered="${c ?? ''}"]`, { state: 'attached' });
			await li.nth(2).getByRole('button').hover();
			await hoveredIs(await cellOf(2));
			await page.mouse.move(1, 1);
			await hoveredIs(null);
			await li.nth(3).getByRole('button').focus();
			await hoveredIs(await cellOf(3));
			await page.keyboard.press('Tab');
			await hoveredIs(await cellOf(4));
			await li.nth(4).getByRole('button').blur();
			await hoveredIs(null);

			// Map → list: a zone selected on the map scrolls its item into the panel's view.
			const last = li.last().getByRole('button');
			const lastCell = await last.getAttribute('data-cell');
			await last.click(); // the map pans to it
			await page.waitForSelector(`${MAP}[data-selected="${lastCell}"]`, { state: 'attached' });
			await panel.getByRole('button', { name: 'Selectie wissen' }).click();
			await page.waitForSelector(`${MAP}[data-selected=""]`, { state: 'attached' });
			const lastInView = () =>
				last.evaluate((b) => {
					const r = b.getBoundingClientRect();
					const box = b.closest('aside')!.getBoundingClientRect();
					return r.top >= box.top - 1 && r.bottom <= box.bottom + 1; // edges may fall between pixels
				});
			await panel.evaluate((p) => (p.closest('aside')!.scrollTop = 0));
			expect(await lastInView()).toBe(false);
			await page.locator(`${MAP} canvas`).focus();
			await page.keyboard.press('Enter');
			await page.waitForSelector(`${MAP}[data-selected="${lastCell}"]`, { state: 'attached' });
			await expect.poll(lastInView).toBe(true);

			// Back to reach: the contact hexes and their legend again, without a new zones request.
			let asked = 0;
			page.on('request', (r) => {
				if (new URL(r.url()).pathname === '/api/underserved') asked++;
			});
			await views.getByRole('radio', { name: 'Bereik' }).check();
			await waitForMode(page, 'reach');
			expect(viewInUrl(page)).toBeNull();
			expect((await legend.locator('h2').textContent())?.trim()).toBe('Contactmomenten per zeshoek');
			await page.getByTestId('hex-panel').waitFor();
			// …and back once more: the answer is cached per resolution and filters.
			await views.getByRole('radio', { name: 'Onderbediende zones' }).check();
			expect(await waitForMode(page, 'underserved')).toBe(count);
			expect(asked).toBe(0);
			expect(viewInUrl(page)).toBe('underserved');
			// the switches replaced the history entry: Back is not a walk through views
			expect(await page.evaluate(() => history.length)).toBe(entries);

			// Zoomed in to resolution 8, the scores follow the map's resolution.
			const zoom = Number(await page.getAttribute(MAP, 'data-zoom'));
			const finer = page.waitForResponse((r) => isZones(r) && r.status() === 200 && new URL(r.url()).searchParams.get('res') === '8', {
				timeout: 60_000
			});
			for (let i = 0; i < Math.ceil(12.05 - zoom); i++) await page.getByRole('button', { name: 'Inzoomen' }).click();
			const res8 = new URL((await finer).url()).searchParams;
			expect(res8.get('bbox')).toBeNull();
			expect(res8.get('from')).toBe(q.get('from'));
			await page.waitForSelector(`${MAP}[data-res="8"][data-map-idle="true"]`, { state: 'attached', timeout: 60_000 });
			await page.locator(LIST).waitFor();
			await page.screenshot({ path: screenshotPath('underserved-res8') });

			// A narrower period is a new request, for the same resolution.
			const period = page.getByRole('group', { name: 'Periode' });
			const narrowed = page.waitForResponse((r) => isZones(r) && r.status() === 200 && !r.url().includes(`from=${res8.get('from')}`), {
				timeout: 60_000
			});
			await period.getByRole('radio', { name: '30 dagen' }).check();
			const narrow = new URL((await narrowed).url()).searchParams;
			expect(narrow.get('from')).not.toBe(q.get('from'));
			expect(narrow.get('res')).toBe('8');
			await waitForMode(page, 'underserved');

			// Away through the menu and Back: the page opens in the view the address bar holds.
			const menu = page.getByRole('navigation', { name: 'Hoofdmenu' });
			await menu.getByRole('link', { name: 'Straatrondes', exact: true }).click();
			await page.waitForURL((u) => u.pathname === '/rounds');
			await page.goBack();
			await waitForMode(page, 'underserved', FIRST_LOAD_MS);
			expect(viewInUrl(page)).toBe('underserved');
			expect(await views.getByRole('radio', { name: 'Onderbediende zones' }).isChecked()).toBe(true);
			// The menu's "Kaart" (plain /) is the reach view, also from the zones on this same page.
			await menu.getByRole('link', { name: 'Kaart', exact: true }).click();
			await waitForMode(page, 'reach');
			expect(viewInUrl(page)).toBeNull();
			expect(await views.getByRole('radio', { name: 'Bereik' }).isChecked()).toBe(true);
			await views.getByRole('radio', { name: 'Onderbediende zones' }).check();
			await waitForMode(page, 'underserved');

			// On a phone (360 px, loaded there, so the legend starts folded): a reload keeps the
			// view (it is in the URL), with its map and list.
			await page.setViewportSize({ width: 360, height: 800 });
			await page.reload();
			await waitForMode(page, 'underserved', FIRST_LOAD_MS);
			expect(await page.getByRole('radio', { name: 'Onderbediende zones' }).isChecked()).toBe(true);
			await page.screenshot({ path: screenshotPath('underserved-360') });
			const phoneList = await items(page);
			expect(await phoneList.count()).toBeGreaterThanOrEqual(5);
			await phoneList.first().scrollIntoViewIfNeeded();
			await page.screenshot({ path: screenshotPath('underserved-360-list') });
			// Here the whole page scrolls: a zone selected on the map keeps the map in sight rather
			// than carrying the page down to the zone's item.
			const phoneLast = phoneList.last().getByRole('button');
			const phoneCell = await phoneLast.getAttribute('data-cell');
			await phoneLast.click(); // the map pans to it
			await page.waitForSelector(`${MAP}[data-selected="${phoneCell}"]`, { state: 'attached' });
			await page.getByTestId('underserved-panel').getByRole('button', { name: 'Selectie wissen' }).click();
			await page.waitForSelector(`${MAP}[data-selected=""]`, { state: 'attached' });
			await page.evaluate(() => scrollTo(0, 0));
			await page.locator(`${MAP} canvas`).focus();
			await page.keyboard.press('Enter');
			await page.waitForSelector(`${MAP}[data-selected="${phoneCell}"]`, { state: 'attached' });
			expect(await page.evaluate(() => scrollY)).toBe(0);
			expect(errors).toEqual([]);
		});
	});

	it('says so when no zone scores 5 or more, and when no population layer exists', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator');
			await waitForMode(page, 'reach', FIRST_LOAD_MS);
			await page.route('**/api/underserved?*', (route) => {
				const q = new URL(route.request().url()).searchParams;
				return route.fulfill({
					json: {
						res: Number(q.get('res')),
						from: q.get('from'),
						to: q.get('to'),
						populationLayer: null,
						published: null,
						zoneCount: 12,
						cells: [],
						scores: [],
						top: []
					}
				});
			});
			const { count } = await showUnderserved(page);
			expect(count).toBe(0);
			const panel = page.getByTestId('underserved-panel');
			expect(await panel.getByTestId('underserved-empty').textContent()).toBe('Geen zones met een score ≥ 5 in deze periode.');
			await panel.getByText('Er is geen gebiedslaag met inwonersaantallen', { exact: false }).waitFor();
			expect(errors).toEqual([]);
		});
	});

	it('shows an analyst no count from 1 to k−1, suppressed counts as "< 5", and English on request', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'analyst');
			await waitForMode(page, 'reach', FIRST_LOAD_MS);
			const { answer } = await showUnderserved(page);
			const q = new URL(answer.url()).searchParams;
			expect(Number(q.get('res'))).toBeLessThanOrEqual(8);
			expect(q.get('teams')).toBeNull();
			const body = (await answer.json()) as {
				published: { k: number } | null;
				cells: string[];
				top: { score: number; reasons: { kind: string; count?: number | null; contacts?: number | null }[] }[];
			};
			expect(body.published).toEqual({ k: 5 });

			const panel = page.getByTestId('underserved-panel');
			await panel.getByText('Berekend uit gepubliceerde cijfers', { exact: false }).waitFor();
			const li = await items(page);
			expect(await li.count()).toBeGreaterThanOrEqual(5);
			const texts = await page.locator(`${LIST} .reason`).allTextContents();
			expect(texts.length).toBeGreaterThan(0);
			for (const t of texts) {
				// a count reason shows 0, "< 5" or a multiple of 5 from 5 up, never 1 to 4
				const m = /^(< )?(\d+) (open signa|contact)/.exec(t);
				if (!m) continue;
				const n = Number(m[2]);
				if (m[1]) expect(n, t).toBe(5);
				else expect(n === 0 || (n >= 5 && n % 5 === 0), t).toBe(true);
			}
			// as many "< 5" as the answer has suppressed counts among the listed zones
			const listed = body.top.filter((z) => z.score >= 5);
			const suppressed = listed
				.flatMap((z) => z.reasons)
				.filter((r) => (r.kind === 'signals' && r.count === null) || (r.kind === 'demand' && r.contacts === null));
			expect(texts.filter((t) => t.startsWith('< 5 ')).length).toBe(suppressed.length);
			expect(texts.some((t) => /^< [0-46-9]/.test(t))).toBe(false);
			// a last visit among fewer than 5 recent contacts is withheld, and says so
			const withheld = listed.flatMap((z) => z.reasons).filter((r) => r.kind === 'noVisit' && (r as { withheld?: boolean }).withheld);
			expect(texts.filter((t) => t.startsWith('laatste bezoek afgeschermd (< 5 recente contacten)')).length).toBe(withheld.length);
			await page.screenshot({ path: screenshotPath('underserved-analyst') });

			// English: legend and reasons follow the language at once, without a new request.
			await page.getByRole('button', { name: /^EN\b/ }).click();
			await page.waitForSelector('html[lang="en"]', { state: 'attached' });
			await page.getByTestId('legend').getByRole('heading', { name: 'Underserved score (0–100)' }).waitFor();
			await page.getByRole('radio', { name: 'Underserved zones' }).waitFor();
			const english = await page.locator(`${LIST} .reason`).allTextContents();
			expect(english.some((t) => ENGLISH_REASON.test(t))).toBe(true);
			expect(english.some((t) => DUTCH_REASON.test(t))).toBe(false);
			await page.screenshot({ path: screenshotPath('underserved-analyst-en') });
			expect(errors).toEqual([]);
		});
	});
});
