// Street rounds in a real browser: the coordinator plans one for today with the demo worker and a
// colleague (after a refused attempt with one worker, which keeps what was typed), sees it among
// the coming rounds; the worker then finds it under "Mijn straatrondes" on a phone-sized screen.
// Finally the coordinator deletes it (after the confirm). Screenshots: test-results/rounds.png
// (1280 px) and my-rounds-phone.png (360 px).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { login } from './auth';
import { collectPageErrors, launchBrowser, newContext, screenshotPath } from './browser';
import { todayInBrussels } from '../../src/lib/server/clock';

const TITLE = `E2E-ronde Sint-Pietersplein ${Date.now().toString(36)}`;
const PARTNER = 'Sam De Smet (demo)';

describe(`street rounds [${inject('dbKind')}]`, () => {
	let browser: Browser;
	let coord: BrowserContext;
	let page: Page;
	let errors: string[];

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

	const upcomingRow = () => page.getByTestId('rounds-upcoming').getByRole('row', { name: new RegExp(TITLE) });

	it('lets a coordinator plan a round for today with the demo worker and a colleague', async () => {
		await login(page, 'coordinator', '/rounds');
		await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Straatrondes', exact: true }).waitFor();
		await page.getByRole('heading', { level: 1, name: 'Straatrondes' }).waitFor();
		const form = page.getByTestId('plan-round');
		expect(await form.getByLabel('Datum').inputValue()).toBe(todayInBrussels());
		expect(await form.getByLabel('Tijdsbudget (minuten)').inputValue()).toBe('120');

		// One worker is not a duo: refused next to the workers, in Dutch; what was typed stays.
		await form.getByLabel('Titel').fill(TITLE);
		await form.getByLabel('Team').selectOption({ index: 1 });
		const team = await form.getByLabel('Team').evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]!.text);
		await form.getByLabel('Demo Werker', { exact: true }).check();
		await form.getByRole('button', { name: 'Straatronde plannen' }).click();
		const error = page.locator('[data-field-error="workerIds"]');
		await error.getByText('Outreachwerkers: kies er 2 of 3 (nu 1).').waitFor();
		expect(await form.getByLabel('Demo Werker', { exact: true }).getAttribute('aria-invalid')).toBe('true');
		expect(await form.getByRole('group', { name: 'Outreachwerkers' }).getAttribute('aria-describedby')).toBe('round-workers-error');
		expect(await form.getByLabel('Titel').inputValue()).toBe(TITLE);
		expect(await form.getByLabel('Demo Werker', { exact: true }).isChecked()).toBe(true);

		await form.getByLabel(PARTNER, { exact: true }).check();
		await form.getByLabel('Tijdsbudget (minuten)').fill('90');
		await form.getByRole('button', { name: 'Straatronde plannen' }).click();
		await page.getByRole('status').getByText(`Straatronde ‘${TITLE}’ gepland`).waitFor();
		expect(await error.count()).toBe(0);
		// the title and the duo are cleared for the next round; the date stays
		expect(await form.getByLabel('Titel').inputValue()).toBe('');
		expect(await form.getByLabel('Demo Werker', { exact: true }).isChecked()).toBe(false);
		expect(await form.getByLabel('Datum').inputValue()).toBe(todayInBrussels());

		const row = upcomingRow();
		await row.waitFor();
		const cells = (await row.locator('td, th').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
		expect(cells[0]).toMatch(/^\p{L}+dag \d{1,2} \p{L}+ vandaag$/u);
		expect(cells.slice(1, 7)).toEqual([TITLE, `Demo Werker en ${PARTNER}`, team, '1 u 30 min', 'nog geen route', '0 contacten gekoppeld']);
		// the confirmation leads on to planning the new round's route
		const plan = page.getByRole('status').getByRole('link', { name: 'Route plannen →' });
		expect(await plan.getAttribute('href')).toBe(`/rounds/${await row.getAttribute('data-round-id')}`);
		// the seeded rounds are listed as well, past ones below the coming ones
		await page
			.getByTestId('rounds-recent')
			.getByRole('row', { name: /Avondronde Stationsbuurt/ })
			.first()
			.waitFor();
		await page.screenshot({ path: screenshotPath('rounds'), fullPage: true });
		expect(errors).toEqual([]);
	});

	it('shows the worker the round under "Mijn straatrondes", with their partner and the budget', async () => {
		const ctx = await newContext(browser);
		try {
			const p = await ctx.newPage();
			const pErrors = collectPageErrors(p);
			await p.setViewportSize({ width: 360, height: 740 });
			await login(p, 'worker', '/my-zones');
			await p.getByRole('heading', { level: 2, name: 'Mijn straatrondes' }).waitFor();
			const item = p
				.getByTestId('my-rounds-list')
				.getByRole('listitem')
				.filter({ has: p.getByRole('heading', { name: TITLE }) });
			await item.getByText('vandaag').waitFor();
			await item.getByText(`met ${PARTNER} · tijdsbudget 1 u 30 min`).waitFor();
			// the seeded round of today (with Noor) is there as well; other people's rounds are not
			await p.getByTestId('my-rounds-list').getByRole('heading', { name: 'Avondronde Stationsbuurt' }).waitFor();
			expect(await p.getByTestId('my-rounds-list').getByRole('heading', { name: 'Ronde Brugse Poort' }).count()).toBe(0);
			// the zones are still there
			expect(await p.getByTestId('my-zones-list').locator(':scope > li').count()).toBe(2);
			await p.getByTestId('my-rounds').screenshot({ path: screenshotPath('my-rounds-phone') });
			await p.screenshot({ path: screenshotPath('my-zones-phone'), fullPage: true });
			expect(pErrors).toEqual([]);
		} finally {
			await ctx.close();
		}
	});

	it('deletes the round after the coordinator confirms', async () => {
		const messages: string[] = [];
		let answer = false;
		page.on('dialog', (d) => {
			messages.push(d.message());
			void (answer ? d.accept() : d.dismiss());
		});
		const remove = upcomingRow().getByRole('button', { name: /Verwijderen/ });
		await remove.click();
		expect(messages).toHaveLength(1);
		expect(messages[0]).toContain(`Straatronde ‘${TITLE}’`);
		expect(await upcomingRow().count()).toBe(1);

		answer = true;
		await remove.click();
		await page.getByRole('status').getByText('Straatronde verwijderd.').waitFor();
		expect(await upcomingRow().count()).toBe(0);
		expect(errors).toEqual([]);
	});
});
