// The field worker's day on a phone (360×740, touch): the demo worker signs in and lands on
// Vandaag, sees today's seeded round, opens its route and comes back, then logs a contact for
// that round from its "Contact loggen voor deze ronde" button: the quick log has the round chosen,
// and the saved contact is linked to it. Screenshots of /today at 360 and 1280 px.
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
		expect(await page.getByTestId('today-zones').locator('li').count()).toBe(2);
		// phone-first: no sideways scrolling, big buttons
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		for (const id of ['open-route', 'log-for-round']) {
			const box = await round.getByTestId(id).boundingBox();
			expect(box!.height).toBeGreaterThanOrEqual(48);
		}
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
		expect(errors).toEqual([]);
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
