// The field worker's day on a phone (360×740, touch): the demo worker signs in and lands on
// Vandaag, sees today's seeded round with its start time and place, opens its route and comes
// back, then logs a contact for that round from its "Contact loggen voor deze ronde" button: the
// quick log has the round chosen, and the saved contact is linked to it. The map on a phone:
// filters behind a button above the map, a hint that says tap, and "Toon op de kaart" on Mijn
// zones bringing the map into view. A coordinator's quick log preselects no other duo's round.
// Screenshots of /today at 360 and 1280 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { login, signIn } from './auth';
import { collectPageErrors, launchBrowser, newContext, phoneContext, screenshotPath } from './browser';

const ROUND = 'Avondronde Stationsbuurt';

describe(`today [${inject('dbKind')}]`, () => {
	let browser: Browser;
	let coord: BrowserContext;
	let phone: BrowserContext;
	let page: Page;
	let errors: string[];
	let today = '';

	const roundOnApi = async () => {
		const res = await coord.request.get('/api/rounds');
		expect(res.status()).toBe(200);
		const { rounds } = (await res.json()) as { rounds: { roundId: number; title: string; plannedOn: string; contacts: number; mine: boolean }[] };
		return rounds.find((r) => r.plannedOn === today && r.title === ROUND)!;
	};

	beforeAll(async () => {
		browser = await launchBrowser();
		coord = await newContext(browser);
		await signIn(coord, 'coordinator');
		today = ((await (await coord.request.get('/api/meta')).json()) as { today: string }).today;
		phone = await phoneContext(browser);
		page = await phone.newPage();
		errors = collectPageErrors(page);
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('the coordinator is offered the duo’s round but does not walk it', async () => {
		// point 4 of the field-work issue: only a round the user walks is ever preselected
		expect((await roundOnApi()).mine).toBe(false);
	});

	it('a worker lands on Vandaag, opens the round and logs a contact for it', async () => {
		await login(page, 'worker');
		expect(new URL(page.url()).pathname).toBe('/today');
		await page.getByRole('heading', { level: 1, name: 'Vandaag' }).waitFor();
		const round = page.getByTestId('today-round').filter({ hasText: ROUND });
		await round.waitFor();
		const roundId = Number(await round.getAttribute('data-round-id'));
		expect(roundId).toBe((await roundOnApi()).roundId);
		// the demo round sets off at 19:00 from a service location (round-route.e2e may move its start)
		expect(await round.getByTestId('round-start').textContent()).toMatch(/^\s*Start om 19:00: \S/);
		expect(await page.getByTestId('today-zones').locator('li').count()).toBe(2);
		// phone-first: no sideways scrolling, big buttons
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		for (const id of ['open-route', 'log-for-round']) {
			const box = await round.getByTestId(id).boundingBox();
			expect(box!.height).toBeGreaterThanOrEqual(48);
			// one tap from the first screen (demo banner open), however many signals the round has
			expect(box!.y + box!.height, id).toBeLessThanOrEqual(740);
		}
		// the demo round comes with signals assigned to it, listed under the buttons
		expect(await round.getByTestId('round-signals').locator('[data-signal]').count()).toBeGreaterThan(0);
		await page.screenshot({ path: screenshotPath('today-360'), fullPage: true });

		await round.getByRole('link', { name: 'Open de route' }).click();
		await page.waitForURL((u) => u.pathname === `/rounds/${roundId}`);
		await page.getByRole('heading', { level: 1, name: new RegExp(ROUND) }).waitFor();
		await page.goBack();
		await page.waitForURL((u) => u.pathname === '/today');

		const before = (await roundOnApi()).contacts;
		await page.getByTestId('today-round').filter({ hasText: ROUND }).getByRole('link', { name: 'Contact loggen voor deze ronde' }).click();
		await page.waitForURL((u) => u.pathname === '/log' && u.searchParams.get('round') === String(roundId));
		const radio = page.getByRole('radio', { name: new RegExp(`^${ROUND}`) });
		await radio.waitFor();
		expect(await radio.isChecked()).toBe(true);

		await page.getByRole('button', { name: 'Gebruik mijn locatie' }).click();
		await page.getByTestId('location-picked').waitFor();
		await page.getByRole('radio', { name: 'Eerste contact' }).check();
		await page.getByTestId('save').click();
		await expect.poll(() => page.getByTestId('toast').textContent(), { timeout: 30_000 }).toContain('Opgeslagen');
		expect((await roundOnApi()).contacts).toBe(before + 1);

		// the app's name leads a worker home to Vandaag, not to the analysis map
		await page.getByRole('link', { name: 'Outreach Atlas' }).click();
		await page.waitForURL((u) => u.pathname === '/today');
		expect(errors).toEqual([]);
	});

	it('the map on a phone: filters behind a button above the map, and a hint that says tap', async () => {
		await page.goto('/');
		const map = page.getByTestId('map');
		await map.waitFor();
		const toggle = page.getByTestId('filters-toggle');
		const filters = page.locator('#map-filters');
		// the filters wait behind the button, which sits above the map
		expect(await filters.isVisible()).toBe(false);
		expect(await toggle.getAttribute('aria-expanded')).toBe('false');
		expect((await toggle.boundingBox())!.y).toBeLessThan((await map.boundingBox())!.y);
		expect((await map.boundingBox())!.y).toBeLessThan(740);
		await page.getByTestId('hex-hint').waitFor();
		expect(await page.getByTestId('hex-hint').textContent()).toContain('Tik op een zeshoek');
		await page.screenshot({ path: screenshotPath('map-phone-360') });
		await toggle.click();
		await filters.waitFor();
		expect(await toggle.getAttribute('aria-expanded')).toBe('true');
		expect((await filters.boundingBox())!.y).toBeLessThan((await map.boundingBox())!.y);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		expect(errors).toEqual([]);
	});

	it('"Toon op de kaart" on Mijn zones scrolls to the map', async () => {
		await page.goto('/my-zones');
		await page.getByTestId('my-zones-list').waitFor();
		const map = page.getByTestId('zone-map');
		const inView = async () => {
			const box = (await map.boundingBox())!;
			return box.y < 740 && box.y + box.height > 740 / 2;
		};
		expect(await inView()).toBe(false);
		await page
			.getByRole('button', { name: /^Toon op de kaart/ })
			.first()
			.click();
		await expect.poll(inView).toBe(true);
		await page.screenshot({ path: screenshotPath('my-zones-show-on-map-360') });
		expect(errors).toEqual([]);
	});

	it('a coordinator’s quick log on a phone preselects no other duo’s round', async () => {
		const ctx = await phoneContext(browser);
		try {
			const p = await ctx.newPage();
			const pageErrors = collectPageErrors(p);
			await login(p, 'coordinator', '/log');
			const duo = p.getByRole('radio', { name: new RegExp(`^${ROUND}`) });
			await duo.waitFor();
			expect(await duo.isChecked()).toBe(false);
			expect(await p.getByRole('radio', { name: 'Geen ronde' }).isChecked()).toBe(true);
			expect(pageErrors).toEqual([]);
		} finally {
			await ctx.close();
		}
	});

	it('looks right on a desktop too', async () => {
		const wide = await newContext(browser);
		try {
			const p = await wide.newPage();
			await login(p, 'worker', '/today');
			await p.getByTestId('today-round').first().waitFor();
			await p.screenshot({ path: screenshotPath('today-1280'), fullPage: true });
		} finally {
			await wide.close();
		}
	});
});
