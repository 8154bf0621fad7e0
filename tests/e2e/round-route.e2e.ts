// A street round's route in a real browser. The coordinator opens today's demo round from
// /rounds, picks a start, lets the planner choose the zones, sees an over-budget route refused,
// moves a stop, saves, and finds the saved order after a reload; the GPX and CSV downloads hold
// that route, and leaving the page takes its A4 print rule along. The demo worker then opens the same round from "Mijn straatrondes" on a phone:
// read-only, with the map drawn. Screenshots (test-results/): round-route.png (1280 px),
// round-route-coordinator-phone.png and round-route-phone.png (360 px, coordinator and worker),
// round-route-print.png (print media, with the map's picture taken at beforeprint),
// round-route-over-budget.png (the refused save), round-route-past.png (a past round),
// round-route-draft.png (a draft emptied by a budget too small) and round-route-print-draft.png
// (print media with that unsaved draft: the saved route on the map picture and in the list).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { login } from './auth';
import { collectPageErrors, launchBrowser, newContext, screenshotPath } from './browser';

const ROUND = 'Avondronde Stationsbuurt';
const MAP = '[data-testid="route-map"]';

async function mapIdle(page: Page, stops: number) {
	await page.waitForSelector(`${MAP}[data-map-idle="true"][data-stop-count="${stops}"]`, { state: 'attached', timeout: 30_000 });
}

const chosenCells = (page: Page) =>
	page
		.getByTestId('chosen-stops')
		.locator(':scope > li')
		.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-cell')!));
const savedCells = (page: Page) =>
	page
		.getByTestId('route-stops')
		.locator(':scope > li')
		.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-cell')!));
const summary = (page: Page) =>
	page
		.getByTestId('route-summary')
		.evaluate((el) => ({ total: Number((el as HTMLElement).dataset.totalMinutes), budget: Number((el as HTMLElement).dataset.budget) }));

describe(`round route [${inject('dbKind')}]`, () => {
	let browser: Browser;
	let coord: BrowserContext;
	let page: Page;
	let errors: string[];
	let roundPath = '';
	let savedOrder: string[] = [];

	beforeAll(async () => {
		browser = await launchBrowser();
		coord = await newContext(browser);
		page = await coord.newPage();
		errors = collectPageErrors(page);
	});
	afterAll(async () => {
		await coord?.close();
		await browser?.close();
	});

	it('lets a coordinator plan the route of today’s round within its budget and save it', async () => {
		await login(page, 'coordinator', '/rounds');
		await page.getByTestId('rounds-upcoming').getByRole('link', { name: ROUND }).click();
		await page.waitForURL(/\/rounds\/\d+$/);
		roundPath = new URL(page.url()).pathname;
		await page.getByRole('heading', { level: 1, name: ROUND }).waitFor();
		expect((await page.getByTestId('round-meta').textContent())!.trim()).toMatch(
			/^\p{L}+dag \d{1,2} \p{L}+, 19:00 · Demo Werker en .+ · tijdsbudget 2\su\s30\smin$/u
		);
		await page.getByRole('link', { name: /Terug naar straatrondes/ }).waitFor();
		// loaded afresh, as served: the CSP refuses style attributes in the HTML (style-src-attr), and
		// the chosen stops' colour (style:--chosen) must still be set once the page is hydrated
		await page.reload();
		await page.getByRole('link', { name: /Terug naar straatrondes/ }).waitFor();
		expect(await page.locator('main.round-page').evaluate((m) => getComputedStyle(m).getPropertyValue('--chosen').trim())).toBe('#D55E00');
		const plan = page.getByTestId('route-plan');

		// a start from the searchable list, by keyboard: "none" first, then the bases and services;
		// typing filters; the candidates are the zones within reach of it, with their reasons in words
		const start = plan.getByRole('combobox', { name: 'Vertrekpunt', exact: true });
		const startList = plan.getByRole('listbox', { name: 'Vertrekpunt' });
		await start.focus();
		await startList.waitFor();
		expect((await startList.getByRole('option').first().textContent())!.trim()).toBe('Geen: begin in de eerste zone');
		await start.fill('demo');
		await expect.poll(async () => (await startList.getByRole('option').allTextContents()).length).toBeGreaterThan(2);
		const hits = await startList.getByRole('option').allTextContents();
		expect(hits.every((h) => /demo/i.test(h))).toBe(true);
		await start.press('ArrowDown');
		expect(await start.getAttribute('aria-activedescendant')).toBe('route-start-opt-1');
		await page.screenshot({ path: screenshotPath('round-route-start-picker') });
		await start.press('Enter');
		await startList.waitFor({ state: 'detached' });
		const startLabel = await start.inputValue();
		expect(hits[1]).toContain(startLabel);
		expect(await plan.getByLabel('Minuten per zone').inputValue()).toBe('15');
		const candidates = plan.getByTestId('candidates').locator(':scope > li');
		await candidates.first().waitFor();
		const reasons = (await plan.getByTestId('candidates').locator('.reasons').allTextContents()).join(' | ');
		expect(reasons).toMatch(
			/open signa(a|le)l|geen bezoek in|dichtstbijzijnde voorziening \d+,\d km|± [\d.]+ inwoners per km²|contact(en)? in 12 maanden/
		);
		expect(reasons).not.toMatch(/underserved\.|roundRoute\./);

		await plan.getByRole('button', { name: 'Automatisch kiezen' }).click();
		const auto = await chosenCells(page);
		expect(auto.length).toBeGreaterThanOrEqual(2);
		let s = await summary(page);
		expect(s.budget).toBe(150);
		expect(s.total).toBeLessThanOrEqual(s.budget);
		await mapIdle(page, auto.length);

		// too many zones: marked in words, and the server refuses the save naming the field
		const unticked = plan.getByTestId('candidates').getByRole('checkbox', { checked: false });
		const added: string[] = [];
		while ((await page.getByTestId('over-budget').count()) === 0 && (await unticked.count()) > 0) {
			await unticked.first().check();
			added.push((await chosenCells(page)).at(-1)!);
		}
		if (added.length) {
			await page
				.getByTestId('over-budget')
				.getByText(/⚠ .* boven het tijdsbudget/)
				.waitFor();
			await plan.getByRole('button', { name: 'Route opslaan' }).click();
			await page
				.getByRole('alert')
				.getByText(/^Gekozen zones: de route duurt \d+ minuten, langer dan het tijdsbudget van 150 minuten\.$/)
				.waitFor();
			await page.getByRole('alert').scrollIntoViewIfNeeded();
			await page.screenshot({ path: screenshotPath('round-route-over-budget') });
			for (let i = 0; i < added.length; i++) {
				const last = (await chosenCells(page)).length;
				await plan.getByRole('button', { name: new RegExp(`^Weghalen: ${last}\\. `) }).click();
			}
			expect(await chosenCells(page)).toEqual(auto);
		}

		// move the first stop down by keyboard; the focus stays on the stop's buttons
		await plan.getByRole('button', { name: /^Omlaag: 1\. / }).focus();
		await page.keyboard.press('Enter');
		let order = await chosenCells(page);
		expect(order.slice(0, 2)).toEqual([auto[1], auto[0]]);
		// on the second of two stops "down" is disabled: the focus goes to its "up"
		expect(await page.evaluate(() => document.activeElement?.id)).toBe(`move-${auto.length > 2 ? 'down' : 'up'}-${auto[0]}`);
		// a swap can make the walk longer: drop zones from the end until the route fits again
		while ((await page.getByTestId('over-budget').count()) > 0) {
			await plan.getByRole('button', { name: new RegExp(`^Weghalen: ${order.length}\\. `) }).click();
			order = await chosenCells(page);
		}
		s = await summary(page);
		expect(s.total).toBeLessThanOrEqual(s.budget);
		await page.getByText('Wijzigingen nog niet opgeslagen.').waitFor();

		await plan.getByRole('button', { name: 'Route opslaan' }).click();
		await page
			.getByRole('status')
			.getByText(new RegExp(`^Route opgeslagen: ${order.length} zones, \\d+ min\\.$`))
			.waitFor();
		expect(await page.getByText('Wijzigingen nog niet opgeslagen.').count()).toBe(0);
		expect(await savedCells(page)).toEqual(order);
		savedOrder = order;

		await page.reload();
		await page.getByRole('heading', { level: 1, name: ROUND }).waitFor();
		await page.getByTestId('route-stops').waitFor();
		expect(await savedCells(page)).toEqual(order);
		expect(await chosenCells(page)).toEqual(order);
		expect(await page.getByRole('combobox', { name: 'Vertrekpunt', exact: true }).inputValue()).toBe(startLabel);
		const saved = page.getByTestId('saved-route');
		await saved.getByText(`Vertrek: ${startLabel}`).waitFor();
		await saved.getByText(new RegExp(`^Terug naar ${startLabel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ min stappen$`)).waitFor();
		await saved
			.getByTestId('route-total')
			.getByText(/^Totaal .+ van 2\su\s30\smin: .+ stappen, .+ in de zones\.$/)
			.waitFor();
		await saved
			.locator('.reasons')
			.first()
			.getByText(/^Bij het plannen: score \d+/)
			.waitFor();
		await mapIdle(page, order.length);
		await page.evaluate(() => scrollTo(0, 0)); // the reload restored the scroll position
		await page.screenshot({ path: screenshotPath('round-route'), fullPage: true });

		// on a phone the planning fits the screen too, the start list open included
		await page.setViewportSize({ width: 360, height: 740 });
		await mapIdle(page, order.length);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		await page.screenshot({ path: screenshotPath('round-route-coordinator-phone'), fullPage: true });
		const phoneStart = page.getByRole('combobox', { name: 'Vertrekpunt', exact: true });
		await phoneStart.focus();
		await phoneStart.press('ArrowDown');
		await page.getByRole('listbox', { name: 'Vertrekpunt' }).waitFor();
		await phoneStart.evaluate((el) => el.parentElement!.scrollIntoView({ block: 'start' }));
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		await page.screenshot({ path: screenshotPath('round-route-start-picker-phone') });
		await phoneStart.press('Escape');
		expect(await phoneStart.inputValue()).toBe(startLabel);
		await phoneStart.blur();
		await page.setViewportSize({ width: 1280, height: 800 });
		expect(errors).toEqual([]);
	});

	it('downloads the saved route as GPX and CSV', async () => {
		const saved = page.getByTestId('saved-route');
		const [gpxDownload] = await Promise.all([page.waitForEvent('download'), saved.getByRole('link', { name: 'Download GPX' }).click()]);
		expect(gpxDownload.suggestedFilename()).toMatch(/^straatronde-\d{4}-\d{2}-\d{2}-\d+\.gpx$/);
		const gpx = await readFile((await gpxDownload.path())!, 'utf8');
		// parsed by the browser's own XML parser: well-formed, and start + stops + the way back
		const parsed = await page.evaluate((text) => {
			const doc = new DOMParser().parseFromString(text, 'application/xml');
			return {
				error: doc.getElementsByTagName('parsererror').length > 0,
				rtept: doc.getElementsByTagName('rtept').length,
				wpt: doc.getElementsByTagName('wpt').length,
				root: doc.documentElement.localName
			};
		}, gpx);
		expect(parsed).toEqual({ error: false, rtept: savedOrder.length + 2, wpt: savedOrder.length + 1, root: 'gpx' });

		const [csvDownload] = await Promise.all([page.waitForEvent('download'), saved.getByRole('link', { name: 'Download CSV' }).click()]);
		const csv = await readFile((await csvDownload.path())!, 'utf8');
		const lines = csv
			.replace(/^\uFEFF/, '')
			.trimEnd()
			.split('\r\n');
		// a head with the round's title, date and duo; then one row per leg, start and way back included
		expect(lines[0]).toBe(`titel;${ROUND}`);
		expect(lines[1]).toMatch(/^datum;\d{4}-\d{2}-\d{2}$/);
		expect(lines[2]).toMatch(/^duo;Demo Werker en .+$/);
		expect(lines[5]).toBe('stap;van;naar;stappen_min;in_zone_min;zone;breedtegraad;lengtegraad;score');
		const legs = lines.slice(6).map((l) => l.split(';'));
		expect(legs).toHaveLength(savedOrder.length + 1);
		expect(legs.slice(0, -1).map((l) => l[5])).toEqual(savedOrder);
		expect(legs[0]![1]).toMatch(/^Vertrek: /);
		expect(legs.at(-1)![2]).toMatch(/^Terug: /);
		// the stops are named as the page names them, never by a cell id
		const names = (await page.getByTestId('route-stops').locator('h3').allTextContents()).map((t) => t.replace(/^\d+\.\s*/, '').trim());
		expect(legs.slice(0, -1).map((l) => l[2])).toEqual(names.map((n, i) => `${i + 1}. ${n}`));
		expect(gpx).toContain(`<name>1. ${names[0]!.replace(/&/g, '&amp;')}</name>`);
		expect(gpx).toContain(`<metadata><name>${ROUND}</name>`);
		expect(`${gpx}\n${csv}`).not.toMatch(/Zone [0-9a-f]{15}/);
		expect(errors).toEqual([]);
	});

	it('says when the budget is too small for any zone, marks the draft unsaved and prints the saved route', async () => {
		const plan = page.getByTestId('route-plan');
		// 200 minutes in each zone do not fit a budget of 2 u 30 min: said in words, with the minutes needed
		await plan.getByLabel('Minuten per zone').fill('200');
		await plan.getByRole('button', { name: 'Automatisch kiezen' }).click();
		await plan
			.getByTestId('auto-problem')
			.getByText(/^Het tijdsbudget van 150 minuten is te klein voor één zone: daarvoor is minstens \d+ minuten nodig\./)
			.waitFor();
		expect(await chosenCells(page).catch(() => [])).toEqual([]);
		// the draft (now empty) is not the saved route: marked in words above the map
		await page
			.getByTestId('draft-mark')
			.getByText(/^Niet opgeslagen: /)
			.waitFor();
		await mapIdle(page, 0);
		await page.screenshot({ path: screenshotPath('round-route-draft') });

		// on paper: the saved route, on the map picture and in the list; no planning, no click legend
		await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
		await page.emulateMedia({ media: 'print' });
		const img = page.locator(`${MAP} + img.print-image`);
		await img.waitFor();
		expect(await img.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
		expect(await page.getByTestId('route-plan').isVisible()).toBe(false);
		expect(await page.getByTestId('draft-mark').isVisible()).toBe(false);
		expect(await page.getByTestId('print-unsaved').isVisible()).toBe(true);
		expect(await page.getByText('klik om te kiezen').isVisible()).toBe(false);
		expect(await page.getByTestId('route-stops').isVisible()).toBe(true);
		expect(await savedCells(page)).toEqual(savedOrder);
		await page.screenshot({ path: screenshotPath('round-route-print-draft'), fullPage: true });
		await page.emulateMedia({ media: 'screen' });
		await page.evaluate(() => dispatchEvent(new Event('afterprint')));
		expect(await img.count()).toBe(0);

		// leaving asks first: closing or reloading (the browser's own prompt) and a link in the app
		expect(
			await page.evaluate(() => {
				const e = new Event('beforeunload', { cancelable: true });
				dispatchEvent(e);
				return e.defaultPrevented;
			})
		).toBe(true);
		const asked: string[] = [];
		let leave = false;
		const onDialog = (d: Dialog) => {
			asked.push(`${d.type()}: ${d.message()}`);
			void (leave ? d.accept() : d.dismiss());
		};
		page.on('dialog', onDialog);
		try {
			const menuLink = page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Straatrondes', exact: true });
			await menuLink.click();
			await expect.poll(() => asked.length).toBe(1);
			expect(asked[0]).toBe('confirm: Je route heeft wijzigingen die niet opgeslagen zijn. Deze pagina verlaten en de wijzigingen kwijtraken?');
			expect(new URL(page.url()).pathname).toBe(roundPath);
			await page.getByTestId('draft-mark').waitFor();
			leave = true;
			await menuLink.click();
			await page.getByRole('heading', { level: 1, name: 'Straatrondes' }).waitFor();
			expect(asked).toHaveLength(2);
		} finally {
			page.off('dialog', onDialog);
		}
		// back on the round: the saved route, nothing unsaved
		await page.goBack();
		await page.getByRole('heading', { level: 1, name: ROUND }).waitFor();
		// the A4 rule came back with the page (a style sheet of its own, loaded from the site)
		await page.waitForFunction(() => [...document.styleSheets].some((s) => s.href?.endsWith('/round-print.css')));
		await page.getByTestId('route-stops').waitFor();
		expect(await chosenCells(page)).toEqual(savedOrder);
		expect(await page.getByTestId('draft-mark').count()).toBe(0);
		expect(
			await page.evaluate(() => {
				const e = new Event('beforeunload', { cancelable: true });
				dispatchEvent(e);
				return e.defaultPrevented;
			})
		).toBe(false);
		expect(errors).toEqual([]);
	});

	it('changes the budget, but not below the saved route', async () => {
		const form = page.getByTestId('round-budget');
		const input = form.getByLabel('Tijdsbudget (minuten)');
		const meta = page.getByTestId('round-meta');
		await input.fill('15'); // a valid budget, but the saved route takes longer
		await form.getByRole('button', { name: 'Budget aanpassen' }).click();
		await page.getByText(/^Tijdsbudget: de opgeslagen route duurt al .+\. Haal eerst zones weg en sla de route op\.$/).waitFor();
		expect(await input.getAttribute('aria-invalid')).toBe('true');
		expect(await meta.textContent()).toMatch(/tijdsbudget 2\su\s30\smin$/);

		await input.fill('180');
		await form.getByRole('button', { name: 'Budget aanpassen' }).click();
		await page
			.getByRole('status')
			.getByText(/^Tijdsbudget is nu 3\su\.$/)
			.waitFor();
		expect(await meta.textContent()).toMatch(/tijdsbudget 3\su$/);
		expect(await page.getByTestId('route-summary').getAttribute('data-budget')).toBe('180');
		// back to the demo's 2 u 30 min for the tests that follow
		await input.fill('150');
		await form.getByRole('button', { name: 'Budget aanpassen' }).click();
		await page
			.getByRole('status')
			.getByText(/^Tijdsbudget is nu 2\su\s30\smin\.$/)
			.waitFor();
		expect(errors).toEqual([]);
	});

	it('takes its A4 page rule along when the coordinator leaves the round page', async () => {
		/** @page rules in the document's style sheets (nested ones included). */
		const pageRules = () =>
			page.evaluate(() => {
				const count = (rules: CSSRuleList): number =>
					[...rules].reduce((n, r) => n + (r instanceof CSSPageRule ? 1 : r instanceof CSSGroupingRule ? count(r.cssRules) : 0), 0);
				return [...document.styleSheets].reduce((n, s) => n + count(s.cssRules), 0);
			});
		expect(await pageRules()).toBe(1);
		// client-side, as a person goes: the round page's CSS stays loaded, its head goes
		await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Straatrondes', exact: true }).click();
		await page.getByRole('heading', { level: 1, name: 'Straatrondes' }).waitFor();
		expect(new URL(page.url()).pathname).toBe('/rounds');
		expect(await pageRules()).toBe(0);
		expect(errors).toEqual([]);
	});

	it('starts the draft afresh when Back leads from one round straight to another', async () => {
		// from the rounds list (where the previous test left off) to the other coming round…
		await page.getByTestId('rounds-upcoming').getByRole('link', { name: 'Ronde Brugse Poort' }).click();
		await page.getByRole('heading', { level: 1, name: 'Ronde Brugse Poort' }).waitFor();
		await page.getByTestId('route-stops').waitFor();
		const other = await savedCells(page);
		expect(await chosenCells(page)).toEqual(other);
		// …then two steps back at once: the same page component now shows today's round
		await page.evaluate(() => history.go(-2));
		await page.getByRole('heading', { level: 1, name: ROUND }).waitFor();
		await page.getByTestId('route-stops').waitFor();
		expect(await savedCells(page)).toEqual(savedOrder);
		expect(await chosenCells(page)).toEqual(savedOrder);
		expect(await page.getByText('Wijzigingen nog niet opgeslagen.').count()).toBe(0);
		expect(errors).toEqual([]);
	});

	it('shows the demo worker the saved route read-only from "Mijn straatrondes", on a phone and on paper', async () => {
		const ctx = await newContext(browser);
		try {
			const p = await ctx.newPage();
			const pErrors = collectPageErrors(p);
			await p.setViewportSize({ width: 360, height: 740 });
			await login(p, 'worker', '/my-zones');
			await p.getByTestId('my-rounds-list').getByRole('link', { name: ROUND }).click();
			await p.waitForURL((u) => u.pathname === roundPath);
			await p.getByRole('heading', { level: 1, name: ROUND }).waitFor();
			await p.getByTestId('route-stops').waitFor();
			expect(await savedCells(p)).toEqual(savedOrder);
			expect(await p.getByRole('button', { name: 'Route opslaan' }).count()).toBe(0);
			expect(await p.getByTestId('route-plan').count()).toBe(0);
			await p.getByRole('link', { name: /Terug naar Vandaag/ }).waitFor();
			await p.getByRole('link', { name: 'Download GPX' }).waitFor();
			await mapIdle(p, savedOrder.length);
			// nothing wider than the phone
			expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
			await p.screenshot({ path: screenshotPath('round-route-phone'), fullPage: true });

			// on paper: the picture of the map replaces the canvas, menu and buttons are gone
			await p.setViewportSize({ width: 794, height: 1123 });
			await mapIdle(p, savedOrder.length);
			await p.evaluate(() => dispatchEvent(new Event('beforeprint')));
			await p.emulateMedia({ media: 'print' });
			const img = p.locator(`${MAP} + img.print-image`);
			await img.waitFor();
			expect(await img.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
			expect(await p.getByRole('navigation', { name: 'Hoofdmenu' }).isVisible()).toBe(false);
			expect(await p.getByRole('link', { name: 'Download GPX' }).isVisible()).toBe(false);
			expect(await p.getByRole('button', { name: 'Afdrukken' }).isVisible()).toBe(false);
			expect(await p.getByTestId('route-stops').isVisible()).toBe(true);
			await p.screenshot({ path: screenshotPath('round-route-print'), fullPage: true });
			await p.emulateMedia({ media: 'screen' });
			await p.evaluate(() => dispatchEvent(new Event('afterprint')));
			expect(await img.count()).toBe(0);
			expect(pErrors).toEqual([]);
		} finally {
			await ctx.close();
		}
	});

	it('keeps a past round as it was planned: no planning for the coordinator, and the server refuses a save', async () => {
		await page.goto('/rounds');
		const past = page
			.getByTestId('rounds-recent')
			.getByRole('link', { name: /^Ronde Binnenstad/ })
			.first();
		await past.click();
		await page.getByRole('heading', { level: 1, name: 'Ronde Binnenstad' }).waitFor();
		const path = new URL(page.url()).pathname;
		await page.getByTestId('round-over').waitFor();
		expect(await page.getByTestId('route-plan').count()).toBe(0);
		expect(await page.getByTestId('round-budget').count()).toBe(0);
		const before = await savedCells(page);
		expect(before.length).toBeGreaterThan(0); // the demo gave it the zones walked that afternoon
		await page.getByRole('link', { name: /Terug naar straatrondes/ }).waitFor();
		await mapIdle(page, before.length);
		await page.screenshot({ path: screenshotPath('round-route-past') });

		// A page opened the day before still posts: the server refuses, and nothing changes.
		const post = (action: string, form: Record<string, string>) =>
			coord.request.post(`${path}?/${action}`, { form, headers: { origin: inject('baseURL'), accept: 'application/json' } });
		for (const [action, form] of [
			['save', { route: JSON.stringify({ start: null, stops: [{ cell: before[0], dwellMinutes: 5 }] }) }],
			['budget', { budgetMinutes: '200' }]
		] as const) {
			const res = await post(action, form);
			const body = (await res.json()) as { type: string; status: number; data: string };
			expect(body.type).toBe('failure');
			expect(body.status).toBe(409);
			expect(body.data).toContain('roundOver');
		}
		await page.reload();
		await page.getByTestId('round-over').waitFor();
		expect(await savedCells(page)).toEqual(before);
		expect(await page.getByTestId('round-meta').textContent()).toMatch(/tijdsbudget 2\su\s30\smin$/);
		expect(errors).toEqual([]);
	});
});
