// Roles in a real browser: who lands where, which menu items each role gets, the coordinator's
// pages (users, zones, audit, settings), the worker's zones, the analyst's suppressed map, CSRF,
// reset links and logout. Screenshots per role land in test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { demoAccount, login, loginAs } from './auth';
import { launchBrowser, screenshotPath, withPage } from './browser';
import { endedQuarters, wholeQuarter } from '../../src/lib/domain/calendar';

/** The organisation's today (Brussels), as the app has it. */
const today = (page: Page): Promise<string> => page.evaluate(async () => ((await (await fetch('/api/meta')).json()) as { today: string }).today);

const FIRST_LOAD_MS = 90_000; // MapLibre's worker start in software WebGL
const base = inject('baseURL');

function nav(page: Page) {
	return page.getByRole('navigation', { name: 'Hoofdmenu' });
}

async function navLinks(page: Page): Promise<string[]> {
	return (await nav(page).getByRole('link').allTextContents()).map((t) => t.trim());
}

async function waitForMapIdle(page: Page, selector: string, timeout = FIRST_LOAD_MS) {
	await page.waitForSelector(`${selector}[data-map-idle="true"]`, { timeout, state: 'attached' });
}

describe(`roles [${inject('dbKind')}]`, () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('sends an anonymous visitor of the map to the login page, which lists the demo accounts', async () => {
		await withPage(browser, async (page, errors) => {
			await page.goto('/');
			const url = new URL(page.url());
			expect(url.pathname).toBe('/login');
			expect(url.searchParams.get('next')).toBe('/');
			await page.getByRole('heading', { level: 1, name: 'Aanmelden' }).waitFor();
			expect(await nav(page).count()).toBe(0);
			const demo = page.getByTestId('demo-accounts');
			await demo.getByRole('heading', { name: 'Demo-accounts' }).waitFor();
			expect(await demo.getByRole('row').count()).toBe(4); // header + three roles

			// Wrong password and unknown address get the same message.
			await page.locator('#login-email').fill('coordinator@demo.example');
			await page.locator('#login-password').fill('wrong password here');
			await page.locator('form button[type="submit"]').click();
			const wrong = await page.getByTestId('login-error').textContent();
			await page.locator('#login-email').fill('nobody@demo.example');
			await page.locator('#login-password').fill('wrong password here');
			await page.locator('form button[type="submit"]').click();
			await page.waitForFunction(() => (document.querySelector('#login-password') as HTMLInputElement).value === '');
			expect(await page.getByTestId('login-error').textContent()).toBe(wrong);
			expect(wrong).toContain('klopt niet');
			await page.screenshot({ path: screenshotPath('login') });
			expect(errors).toEqual([]);
		});
	});

	it('refuses a cross-origin form POST to /login', async () => {
		const { email, password } = demoAccount('coordinator');
		const res = await fetch(`${base}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email, password })
		});
		expect(res.status).toBe(403);
		expect(res.headers.getSetCookie().some((c) => c.startsWith('atlas_session='))).toBe(false);
	});

	it('gives a coordinator every page: users, zones, audit and settings', async () => {
		await withPage(browser, async (page, errors) => {
			// Sign in with the demo table's fill button.
			await page.goto('/login');
			await page.getByRole('button', { name: 'Invullen als Coördinator' }).click();
			expect(await page.locator('#login-email').inputValue()).toBe('coordinator@demo.example');
			await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.locator('form button[type="submit"]').click()]);

			expect(await navLinks(page)).toEqual([
				'Kaart',
				'Contact loggen',
				'Mijn zones',
				'Signalen',
				'Zones',
				'Straatrondes',
				'Rapporten',
				'Trends',
				'Importeren',
				'Gebruikers',
				'Audit',
				'Instellingen'
			]);
			await page.getByTestId('current-user').getByText('Coördinator', { exact: true }).waitFor();
			await page.getByTestId('demo-banner').waitFor();
			await waitForMapIdle(page, '[data-testid="map"]');
			await page.screenshot({ path: screenshotPath('coordinator-map') });

			for (const [link, heading] of [
				['Zones', 'Zones'],
				['Gebruikers', 'Gebruikers'],
				['Audit', 'Audit'],
				['Instellingen', 'Instellingen']
			] as const) {
				await nav(page).getByRole('link', { name: link, exact: true }).click();
				await page.getByRole('heading', { level: 1, name: heading }).waitFor();
				expect(await nav(page).getByRole('link', { name: link, exact: true }).getAttribute('aria-current')).toBe('page');
			}

			// A new account without a password: listed, and a reset link is shown once.
			const email = `e2e.${Date.now()}@demo.example`;
			await nav(page).getByRole('link', { name: 'Gebruikers', exact: true }).click();
			const create = page.getByTestId('create-user');
			await create.getByLabel('Naam').fill('E2E Werker');
			await create.getByLabel('E-mailadres').fill(email);
			await create.getByLabel('Rol').selectOption('worker');
			await create.getByRole('button', { name: 'Account aanmaken' }).click();
			await page.getByTestId('users-table').getByRole('cell', { name: email }).waitFor();
			const link = await page.getByTestId('reset-link').inputValue();
			expect(link).toMatch(new RegExp(`^${base}/reset/[A-Za-z0-9_-]{20,}$`));

			// The same address again: an error next to the e-mail field, in Dutch.
			await create.getByLabel('Naam').fill('Dubbel');
			await create.getByLabel('E-mailadres').fill(email);
			await create.getByRole('button', { name: 'Account aanmaken' }).click();
			await page.locator('[data-field-error="email"]').getByText('Er bestaat al een account').waitFor();
			expect(await create.getByLabel('E-mailadres').getAttribute('aria-invalid')).toBe('true');
			await page.screenshot({ path: screenshotPath('users'), fullPage: true });

			// The reset link lets the new colleague choose a password and sign in.
			const other = await browser.newContext({ baseURL: base, locale: 'nl-BE' });
			try {
				const p2 = await other.newPage();
				await p2.goto(link);
				await p2.getByRole('heading', { level: 1, name: 'Nieuw wachtwoord kiezen' }).waitFor();
				await p2.getByLabel('Nieuw wachtwoord', { exact: true }).fill('een lang nieuw wachtwoord');
				await p2.getByLabel('Herhaal het nieuwe wachtwoord').fill('een lang nieuw wachtwoord');
				await Promise.all([p2.waitForURL((u) => u.pathname === '/login'), p2.getByRole('button', { name: 'Wachtwoord opslaan' }).click()]);
				await p2.getByText('Je wachtwoord is gewijzigd').waitFor();
				await loginAs(p2, { email, password: 'een lang nieuw wachtwoord' });
				// a worker lands on their day (Vandaag)
				expect(new URL(p2.url()).pathname).toBe('/today');
				// used once: the same link no longer works
				await p2.goto(link);
				await p2.getByTestId('reset-invalid').waitFor();
			} finally {
				await other.close();
			}

			// Give the new worker a zone.
			await nav(page).getByRole('link', { name: 'Zones', exact: true }).click();
			const assign = page.getByTestId('assign-zone');
			await assign.getByLabel('Outreachwerker').selectOption({ label: 'E2E Werker' });
			await assign.getByLabel('Gebied', { exact: true }).selectOption({ label: 'Binnenstad' });
			await assign.getByRole('button', { name: 'Zone toewijzen' }).click();
			await page
				.getByTestId('zones-table')
				.getByRole('row', { name: /E2E Werker/ })
				.getByText('Binnenstad')
				.first()
				.waitFor();
			await page.screenshot({ path: screenshotPath('zones'), fullPage: true });

			// Settings: an out-of-range value is refused next to its field; a valid one is saved and audited.
			await nav(page).getByRole('link', { name: 'Instellingen', exact: true }).click();
			const k = page.getByLabel('Drempel k voor kleine aantallen');
			expect(await k.inputValue()).toBe('5');
			await k.fill('2');
			await page.getByRole('button', { name: 'Opslaan' }).click();
			await page.locator('[data-field-error="kThreshold"]').getByText('van 3 tot en met 50').waitFor();
			await k.fill('5');
			const retention = page.getByLabel('Bewaartermijn contactmomenten (maanden)');
			await retention.fill('36');
			await page.getByRole('button', { name: 'Opslaan' }).click();
			await page.getByTestId('settings-saved').waitFor();
			await page.getByText('Contactmomenten worden 36 maanden bewaard', { exact: false }).waitFor();
			await page.screenshot({ path: screenshotPath('settings'), fullPage: true });

			await nav(page).getByRole('link', { name: 'Audit', exact: true }).click();
			const first = page.getByTestId('audit-table').locator('tbody tr').first();
			expect(await first.locator('td[data-action]').getAttribute('data-action')).toBe('settings.update');
			await first.getByText('Instellingen gewijzigd').waitFor();
			await first.getByText('36').first().waitFor();
			expect(await page.getByTestId('audit-table').locator('td[data-action="user.create"]').count()).toBeGreaterThan(0);
			await page.screenshot({ path: screenshotPath('audit') });
			expect(errors).toEqual([]);
		});
	});

	it('gives a worker their zones on a map, and no coordinator pages', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'worker');
			const links = await navLinks(page);
			expect(links).toEqual(['Vandaag', 'Kaart', 'Contact loggen', 'Mijn zones', 'Signalen']);
			expect(links).not.toContain('Gebruikers');
			await page.getByTestId('current-user').getByText('Outreachwerker', { exact: true }).waitFor();

			await nav(page).getByRole('link', { name: 'Mijn zones', exact: true }).click();
			await page.getByRole('heading', { level: 1, name: 'Mijn zones' }).waitFor();
			const list = page.getByTestId('my-zones-list');
			await list.waitFor();
			expect(await list.locator(':scope > li').count()).toBe(2);
			await list.getByRole('heading', { name: 'Stationsbuurt-Noord' }).waitFor();
			await list.getByRole('heading', { name: 'Binnenstad' }).waitFor();
			for (const text of await page.getByTestId('last-visit').allTextContents()) {
				expect(text).toMatch(/^laatst bezocht: (vandaag|\d+ dagen? geleden)$|^nog geen bezoek/);
			}
			await waitForMapIdle(page, '[data-testid="zone-map"]');
			expect(await page.getByTestId('zone-map').getAttribute('data-zone-count')).toBe('2');
			await page.screenshot({ path: screenshotPath('my-zones') });

			// The menu only hides the page; the server refuses it.
			const res = await page.goto('/users');
			expect(res?.status()).toBe(403);
			expect(await page.textContent('body')).toContain('403');
			expect(errors).toEqual([]);
		});
	});

	it('shows an analyst suppressed, rounded figures and refuses finer cells', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'analyst');
			expect(await navLinks(page)).toEqual(['Kaart', 'Rapporten', 'Trends']);
			await waitForMapIdle(page, '[data-testid="map"]');
			// no per-team figures, so no team filter
			expect(await page.locator('#filter-team').count()).toBe(0);
			const legend = page.getByTestId('legend');
			const suppressedEntry = await legend.getByTestId('legend-suppressed').textContent();
			expect(suppressedEntry).toContain('< 5');

			const hexes = await page.evaluate(async () => {
				const r = await fetch('/api/hexes?res=8');
				return { status: r.status, body: await r.json() };
			});
			expect(hexes.status).toBe(200);
			expect(hexes.body.k).toBe(5);
			let suppressed = 0;
			for (const col of ['contacts', 'persons', 'referrals'] as const) {
				for (const v of hexes.body[col] as (number | null)[]) {
					if (v === null) suppressed++;
					else expect(v === 0 || (v >= 5 && v % 5 === 0), `${col} ${v}`).toBe(true);
				}
			}
			for (const v of Object.values(hexes.body.totals as Record<string, number | null>)) {
				if (v !== null) expect(v % 5).toBe(0);
			}
			// The demo data has small cells at this resolution: some figures must be suppressed.
			expect(suppressed).toBeGreaterThan(0);

			const finer = await page.evaluate(async () => {
				const r = await fetch('/api/hexes?res=9');
				return { status: r.status, body: await r.json() };
			});
			expect(finer.status).toBe(403);
			expect(finer.body.error.param).toBe('res');

			// The map never asks for more than the role may see, even zoomed in to street level: one
			// resolution, the whole organisation (no bbox), an ended quarter.
			const asked: URLSearchParams[] = [];
			page.on('request', (r) => {
				const u = new URL(r.url());
				if (u.pathname === '/api/hexes') asked.push(u.searchParams);
			});
			for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Inzoomen' }).click();
			await waitForMapIdle(page, '[data-testid="map"]');

			// A last visit in an ended quarter is dated from the quarter's end, not from today.
			const panelText = (await page.getByTestId('hex-panel').textContent())!;
			expect(panelText).toMatch(/(laatste week van de periode|voor het einde van de periode)/);
			expect(panelText).not.toContain('deze week');

			// The filters: ended quarters only, and all contacts or one type or one group.
			const filters = page.getByTestId('analyst-filters');
			const quarter = filters.getByLabel('Kwartaal');
			const last = endedQuarters(await today(page), 2);
			expect(await quarter.inputValue()).toBe(last[0]!.from);
			expect((await quarter.locator('option').first().textContent())!.trim()).toMatch(new RegExp(`^${last[0]!.q}e kwartaal ${last[0]!.year} \\(`));
			expect(await page.getByRole('radio', { name: '12 maanden' }).count()).toBe(0);
			const typeAnswer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/hexes' && new URL(r.url()).searchParams.has('types'));
			await filters.getByLabel('Toon').selectOption({ label: 'Eerste contact' });
			expect((await typeAnswer).status()).toBe(200);
			const quarterAnswer = page.waitForResponse(
				(r) => new URL(r.url()).pathname === '/api/hexes' && new URL(r.url()).searchParams.get('from') === last[1]!.from
			);
			await quarter.selectOption(last[1]!.from);
			expect((await quarterAnswer).status()).toBe(200);
			expect(asked.length).toBeGreaterThan(0);
			for (const q of asked) {
				expect(q.get('res')).toBe('8');
				expect(q.has('bbox')).toBe(false);
				expect(wholeQuarter(q.get('from')!, q.get('to')!)).not.toBeNull();
				expect((q.get('types')?.split(',').length ?? 0) + (q.get('groups')?.split(',').length ?? 0)).toBeLessThanOrEqual(1);
			}
			await filters.getByText('één filter tegelijk', { exact: false }).waitFor();

			await page.goto('/');
			await waitForMapIdle(page, '[data-testid="map"]');
			await page.screenshot({ path: screenshotPath('analyst-map') });
			// the top 10 tells its places apart: a repeated district gets its compass point ("Binnenstad · noordoost")
			const places = await page.getByTestId('top-place').allTextContents();
			expect(places.length).toBeGreaterThan(1);
			expect(new Set(places).size).toBe(places.length);
			expect(errors).toEqual([]);
		});
	});

	it('signs out back to the login page, after which the map redirects again', async () => {
		await withPage(browser, async (page) => {
			await login(page, 'coordinator');
			await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.getByRole('button', { name: 'Afmelden' }).click()]);
			await page.getByRole('heading', { level: 1, name: 'Aanmelden' }).waitFor();
			await page.goto('/');
			const url = new URL(page.url());
			expect(url.pathname).toBe('/login');
			expect(url.searchParams.get('next')).toBe('/');
			const meta = await page.evaluate(async () => (await fetch('/api/meta')).status);
			expect(meta).toBe(401);
		});
	});
});
