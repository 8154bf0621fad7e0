// The organisation's own vocabulary in the browser: a coordinator adds, renames, reorders (from
// the keyboard), retires and merges entries on /settings/vocabulary; the map's filter then lists
// the retired one under "niet meer in gebruik"; and the quick log on a phone offers the referral
// targets as chips, whose choice reaches the hex panel's figures ("waarvan 1 naar CAW").
// It only touches entries it adds itself, so the demo's own lists stay as the other suites expect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { latLngToCell } from 'h3-js';
import { packCell } from '../../src/lib/domain/cells';
import { login } from './auth';
import { collectPageErrors, launchBrowser, newContext, phoneContext, PHONE_POSITION, screenshotPath } from './browser';

const RUN = Date.now().toString(36).slice(-4);
const GROUP = `Straatjongeren ${RUN}`;
const RENAMED = `Straatjeugd ${RUN}`;
const OLD = `Tijdelijk ${RUN}`;
const DOUBLE = `Dubbel ${RUN}`;

describe(`vocabulary editor [${inject('dbKind')}]`, () => {
	let browser: Browser;
	let coord: BrowserContext;
	let page: Page;
	let errors: string[];

	const list = () => page.getByTestId('list-target_group');
	const add = async (nl: string, en = '') => {
		const form = page.getByTestId('add-target_group');
		await form.getByLabel('Naam (Nederlands)').fill(nl);
		await form.getByLabel('Naam (Engels)').fill(en);
		await form.getByRole('button', { name: 'Toevoegen' }).click();
	};
	const activeNames = async () => list().locator('ol.entries .nl').allTextContents();
	// By its own label only: every entry's merge choice lists the other entries' labels too.
	// (the labels here are letters, digits and spaces: no escaping needed)
	const entryOf = (name: string) =>
		list()
			.locator('li.entry')
			.filter({ has: page.locator('span.nl', { hasText: new RegExp(`^${name}$`) }) });

	beforeAll(async () => {
		browser = await launchBrowser();
		coord = await newContext(browser);
		page = await coord.newPage();
		errors = collectPageErrors(page);
		await login(page, 'coordinator', '/settings');
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('is reached from the settings page, and refused to workers', async () => {
		// the first hour's checklist stays one click away there too
		expect(await page.getByTestId('welcome-link').getAttribute('href')).toBe('/welcome');
		await page.getByTestId('vocabulary-link').click();
		await page.waitForURL('**/settings/vocabulary');
		await page.getByTestId('list-referral_target').waitFor();
		expect(await page.getByTestId('list-referral_target').locator('span.nl').allTextContents()).toContain('CAW');
		const worker = await newContext(browser);
		try {
			const wp = await worker.newPage();
			await login(wp, 'worker', '/today');
			expect((await wp.goto('/settings/vocabulary'))?.status()).toBe(403);
		} finally {
			await worker.close();
		}
	});

	it('adds an entry and refuses one with the same label but for case and accents', async () => {
		await add(GROUP, `Street youth ${RUN}`);
		await expect.poll(activeNames).toContain(GROUP);
		await add(GROUP.toUpperCase().replace('E', 'É'));
		const error = list().locator('[data-field-error="labelNl"]');
		await error.waitFor();
		expect(await error.textContent()).toContain(`Er is al een item ‘${GROUP}’`);
		await add('   ');
		await expect.poll(() => error.textContent()).toContain('Vul een naam in');
	});

	it('renames in Dutch and English; the code stays', async () => {
		const entry = entryOf(GROUP);
		const code = await entry.locator('code').textContent();
		await entry.locator('summary', { hasText: 'Hernoemen' }).click();
		await entry.getByLabel('Naam (Nederlands)').fill(RENAMED);
		await entry.getByLabel('Naam (Engels)').fill(`Street kids ${RUN}`);
		await entry.getByRole('button', { name: 'Opslaan' }).click();
		await expect.poll(activeNames).toContain(RENAMED);
		const renamed = entryOf(RENAMED);
		expect(await renamed.locator('code').textContent()).toBe(code);
		expect(await renamed.locator('.en').textContent()).toBe(`Street kids ${RUN}`);
	});

	it('moves an entry up from the keyboard, and keeps focus on the button', async () => {
		const before = await activeNames();
		const at = before.indexOf(RENAMED);
		await entryOf(RENAMED)
			.getByRole('button', { name: `${RENAMED} omhoog` })
			.focus();
		await page.keyboard.press('Enter');
		await expect.poll(async () => (await activeNames()).indexOf(RENAMED)).toBe(at - 1);
		expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`${RENAMED} omhoog`);
		await page.keyboard.press('Enter');
		await expect.poll(async () => (await activeNames()).indexOf(RENAMED)).toBe(at - 2);
	});

	it('retires an entry: it moves under "niet meer in gebruik" and can come back', async () => {
		await add(OLD);
		await expect.poll(activeNames).toContain(OLD);
		await entryOf(OLD).getByRole('button', { name: 'Niet meer gebruiken' }).click();
		await expect.poll(() => list().locator('ul.retired .nl').allTextContents()).toContain(OLD);
		expect(await activeNames()).not.toContain(OLD);
	});

	it('merges after confirming with the number of contacts moved', async () => {
		await add(DOUBLE);
		await expect.poll(activeNames).toContain(DOUBLE);
		const entry = entryOf(DOUBLE);
		await entry.locator('summary', { hasText: 'Samenvoegen' }).click();
		await entry.getByLabel(`${DOUBLE} samenvoegen met`).selectOption({ label: RENAMED });
		await entry.getByRole('button', { name: 'Verder' }).click();
		const confirm = page.getByTestId('merge-confirm');
		await confirm.waitFor();
		expect(await confirm.textContent()).toContain('0 contactmomenten');
		await page.setViewportSize({ width: 1280, height: 900 });
		await confirm.scrollIntoViewIfNeeded();
		await page.screenshot({ path: screenshotPath('vocabulary-1280-merge') });
		await confirm.getByRole('button', { name: 'Ja, samenvoegen' }).click();
		await expect.poll(() => page.getByTestId('vocabulary-saved').textContent()).toContain('Samengevoegd');
		expect(await activeNames()).not.toContain(DOUBLE);
		expect(await list().locator('ul.retired .nl').allTextContents()).not.toContain(DOUBLE);
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: screenshotPath('vocabulary-1280') });
		expect(errors).toEqual([]);
	});

	it('works at 360 px without sideways scrolling', async () => {
		await page.setViewportSize({ width: 360, height: 740 });
		await page.reload();
		await page.getByTestId('list-target_group').waitFor();
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		await page.getByTestId('list-target_group').scrollIntoViewIfNeeded();
		await page.screenshot({ path: screenshotPath('vocabulary-360') });
		await page.setViewportSize({ width: 1280, height: 800 });
	});

	it('the map filter shows the retired entry under "niet meer in gebruik"', async () => {
		await page.goto('/');
		const retired = page.getByTestId('groups-retired');
		await retired.waitFor();
		expect(await retired.textContent()).toBe('niet meer in gebruik');
		const group = page.locator('fieldset', { has: retired });
		expect(await group.getByRole('checkbox', { name: OLD }).count()).toBe(1);
		expect(await group.getByRole('checkbox', { name: RENAMED }).count()).toBe(1);
		expect(await group.getByRole('checkbox', { name: DOUBLE }).count()).toBe(0);
		await page.locator('[data-map-idle="true"]').waitFor({ state: 'attached', timeout: 60_000 });
		await retired.scrollIntoViewIfNeeded();
		await page.screenshot({ path: screenshotPath('vocabulary-filter-1280') });
	});

	it('the quick log offers the referral targets as chips; the choice reaches the hex figures', async () => {
		const phone = await phoneContext(browser);
		try {
			const p = await phone.newPage();
			const phoneErrors = collectPageErrors(p);
			await login(p, 'worker', '/log');
			await p.getByRole('button', { name: 'Gebruik mijn locatie' }).click();
			await p.getByTestId('location-picked').waitFor();
			await p.getByRole('radio', { name: 'Kort contact' }).check();
			// retired and newly added target groups: only entries in use are offered
			expect(await p.getByRole('checkbox', { name: OLD }).count()).toBe(0);
			expect(await p.getByRole('checkbox', { name: RENAMED }).count()).toBe(1);
			await p.getByRole('switch', { name: 'Doorverwezen naar een voorziening' }).check();
			const chips = p.getByTestId('referral-targets');
			await chips.waitFor();
			const names = await chips.locator('label').allTextContents();
			expect(names.map((n) => n.trim())).toEqual(expect.arrayContaining(['Niet gekend', 'CAW', 'Nachtopvang']));
			expect(await chips.getByRole('radio', { name: 'Niet gekend' }).isChecked()).toBe(true);
			await chips.getByRole('radio', { name: 'CAW' }).check();
			expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
			await chips.scrollIntoViewIfNeeded();
			await p.screenshot({ path: screenshotPath('vocabulary-quicklog-360') });
			await p.getByTestId('save').click();
			await expect.poll(() => p.getByTestId('toast').textContent(), { timeout: 30_000 }).toContain('Opgeslagen');
			expect(phoneErrors).toEqual([]);
		} finally {
			await phone.close();
		}
		const meta = (await (await coord.request.get('/api/meta')).json()) as {
			today: string;
			vocabularies: { referral_target: { id: number; code: string }[] };
		};
		const caw = meta.vocabularies.referral_target.find((t) => t.code === 'caw')!.id;
		const cell = packCell(latLngToCell(PHONE_POSITION.latitude, PHONE_POSITION.longitude, 10));
		const hexes = (await (await coord.request.get(`/api/hexes?res=10&from=${meta.today}&to=${meta.today}`)).json()) as {
			cells: string[];
			topTarget: (number | null)[];
			topTargetReferrals: (number | null)[];
		};
		const i = hexes.cells.indexOf(cell);
		expect(i).toBeGreaterThanOrEqual(0);
		expect(hexes.topTarget[i]).toBe(caw);
		expect(hexes.topTargetReferrals[i]).toBeGreaterThanOrEqual(1);
	});
});
