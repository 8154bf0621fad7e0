// The signal inbox in the browser. On a phone (360 px) the coordinator filters the inbox down to
// one open signal and assigns it to tonight's round; the demo worker sees it on Vandaag, logs a
// contact for the round and ticks the signal in the quick log, which marks it visited with that
// contact. At 1280 px the main map shows the signals layer. Screenshots of /signals at both widths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { login, signIn } from './auth';
import { collectPageErrors, launchBrowser, newContext, phoneContext, screenshotPath } from './browser';
import type { SignalList } from '../../src/lib/api/signals';

const ROUND = 'Avondronde Stationsbuurt';

describe(`signals [${inject('dbKind')}]`, () => {
	let browser: Browser;
	let api: BrowserContext;
	let roundId = 0;
	let target: SignalList['items'][number];

	const signalOnApi = async (id: number) => {
		const res = await api.request.get(`/api/signals?q=${encodeURIComponent(target.description)}`);
		expect(res.status()).toBe(200);
		return ((await res.json()) as SignalList).items.find((s) => s.id === id)!;
	};

	beforeAll(async () => {
		browser = await launchBrowser();
		api = await newContext(browser);
		await signIn(api, 'coordinator');
		const today = ((await (await api.request.get('/api/meta')).json()) as { today: string }).today;
		const rounds = ((await (await api.request.get('/api/rounds')).json()) as { rounds: { roundId: number; title: string; plannedOn: string }[] })
			.rounds;
		roundId = rounds.find((r) => r.plannedOn === today && r.title === ROUND)!.roundId;
		// a new signal at the Korenmarkt, through the page's form as a browser posts it
		const description = `Tentje bij de Korenmarkt e2e-${Date.now()}`;
		const created = await api.request.post('/signals?/create', {
			form: { lat: '51.0543', lng: '3.7174', reportedAt: '', reporterKind: 'partner', description, targetGroups: '1' },
			headers: { origin: inject('baseURL'), accept: 'text/html' },
			maxRedirects: 0
		});
		expect(created.status(), await created.text()).toBeLessThan(400);
		const found = (await (await api.request.get(`/api/signals?q=${encodeURIComponent(description)}`)).json()) as SignalList;
		target = found.items[0]!;
		expect(target).toMatchObject({ status: 'open', description });
		expect(target.district).not.toBeNull();
		expect(target).toBeTruthy();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('a coordinator on a phone filters the inbox and assigns a signal to a round', async () => {
		const phone = await phoneContext(browser);
		try {
			const page = await phone.newPage();
			const errors = collectPageErrors(page);
			await login(page, 'coordinator', '/signals');
			await page.getByTestId('signals-table').waitFor();
			// cards, not a table scrolling sideways
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
			await page.screenshot({ path: screenshotPath('signals-360'), fullPage: false });

			await page.getByTestId('status-chips').getByRole('link', { name: /^Open/ }).click();
			await page.waitForURL((u) => u.searchParams.get('status') === 'open');
			const filters = page.getByTestId('signal-filters');
			await filters.getByLabel('Wijk').selectOption(target.district!.code);
			await filters.getByLabel('Zoek in de beschrijving').fill(target.description);
			await filters.getByRole('button', { name: 'Toon' }).click();
			await page.waitForURL((u) => u.searchParams.get('area') === target.district!.code && !!u.searchParams.get('q'));
			const rows = page.getByTestId('signal-row');
			await expect.poll(() => rows.count()).toBe(1);
			const card = rows.first();
			expect(Number(await card.getAttribute('data-signal'))).toBe(target.id);
			expect(await page.getByTestId('count-open').textContent()).toBe('1');

			// the steps sit at the bottom of the card, big enough for a thumb
			const cardBox = (await card.boundingBox())!;
			const buttons = card.getByTestId('signal-actions').getByRole('button');
			for (let i = 0; i < (await buttons.count()); i++) {
				const b = (await buttons.nth(i).boundingBox())!;
				expect(b.height).toBeGreaterThanOrEqual(44);
				expect(b.y).toBeGreaterThan(cardBox.y + cardBox.height / 2);
				expect(b.x + b.width).toBeLessThanOrEqual(360);
			}
			await page.screenshot({ path: screenshotPath('signals-filtered-360'), fullPage: true });

			await card.getByTestId('signal-target').selectOption(`r${roundId}`);
			await card.getByRole('button', { name: /^Toewijzen/ }).click();
			await page.getByTestId('signals-notice').waitFor();
			expect(await page.getByTestId('signals-notice').textContent()).toContain('toegewezen');
			// the list keeps its filters: the assigned signal leaves the "open" view
			await expect.poll(() => rows.count()).toBe(0);
			expect(await signalOnApi(target.id)).toMatchObject({ status: 'assigned', round: { roundId } });

			// the audit log names the step in words, not status codes (a detail's colon is CSS)
			await page.goto('/audit?action=signal.status');
			const entry = page.locator('[data-testid="audit-table"] tbody tr').first();
			await entry.waitFor();
			const text = (await entry.textContent())!.replace(/\s+/g, ' ');
			expect(text).toMatch(new RegExp(`signaal\\s*${target.id}(?!\\d)`));
			expect(text).toMatch(/van\s*Open/);
			expect(text).toMatch(/status\s*Toegewezen/);
			expect(errors).toEqual([]);
		} finally {
			await phone.close();
		}
	});

	it('the worker sees it on Vandaag, logs a contact for the round and marks the signal visited', async () => {
		const phone = await phoneContext(browser);
		try {
			const page = await phone.newPage();
			const errors = collectPageErrors(page);
			await login(page, 'worker');
			expect(new URL(page.url()).pathname).toBe('/today');
			const round = page.getByTestId('today-round').filter({ hasText: ROUND });
			const listed = round.getByTestId('round-signals').locator(`[data-signal="${target.id}"]`);
			await listed.waitFor();
			expect(await listed.getAttribute('data-status')).toBe('assigned');

			await round.getByRole('link', { name: 'Contact loggen voor deze ronde' }).click();
			await page.waitForURL((u) => u.pathname === '/log' && u.searchParams.get('round') === String(roundId));
			const tick = page.getByTestId('quicklog-signals').locator(`[data-signal="${target.id}"] input`);
			await tick.waitFor();
			await tick.check();
			await page.getByRole('button', { name: 'Gebruik mijn locatie' }).click();
			await page.getByTestId('location-picked').waitFor();
			await page.getByRole('radio', { name: 'Eerste contact' }).check();
			await page.getByTestId('save').click();
			await expect.poll(() => page.getByTestId('toast').textContent(), { timeout: 30_000 }).toContain('Opgeslagen');

			const visited = await signalOnApi(target.id);
			expect(visited.status).toBe('visited');
			expect(visited.contactId).toBeGreaterThan(0);
			expect(visited.history.map((e) => [e.from, e.to, e.by])).toEqual([
				['open', 'assigned', 'Demo Coördinator'],
				['assigned', 'visited', 'Demo Werker']
			]);

			await page.goto('/today');
			const again = page.getByTestId('today-round').filter({ hasText: ROUND }).getByTestId('round-signals').locator(`[data-signal="${target.id}"]`);
			await again.waitFor();
			expect(await again.getAttribute('data-status')).toBe('visited');
			await page.screenshot({ path: screenshotPath('today-signals-360'), fullPage: true });

			// the inbox, only the worker's own: the round's signal is there, and none they may only read
			await page.goto('/signals');
			await page.getByTestId('filter-mine').check();
			await page.getByTestId('signal-filters').getByRole('button', { name: 'Toon' }).click();
			await page.waitForURL((u) => u.searchParams.get('mine') === 'true');
			await page.getByTestId('signals-table').waitFor();
			expect(await page.getByTestId('signals-table').textContent()).not.toContain('alleen te bekijken');
			const filters = page.getByTestId('signal-filters');
			await filters.getByLabel('Zoek in de beschrijving').fill(target.description);
			await filters.getByRole('button', { name: 'Toon' }).click();
			await page.waitForURL((u) => u.searchParams.get('mine') === 'true' && !!u.searchParams.get('q'));
			await expect.poll(() => page.locator(`[data-testid="signal-row"][data-signal="${target.id}"]`).count()).toBe(1);
			await page.screenshot({ path: screenshotPath('signals-mine-360') });
			expect(errors).toEqual([]);
		} finally {
			await phone.close();
		}
	});

	it('at 1280 px the inbox is a table and the main map shows the signals layer', async () => {
		const wide = await newContext(browser);
		try {
			const page = await wide.newPage();
			const errors = collectPageErrors(page);
			await login(page, 'coordinator', '/signals');
			await page.getByTestId('signals-table').waitFor();
			expect(await page.locator('[data-testid="signals-table"] thead').isVisible()).toBe(true);
			await page.screenshot({ path: screenshotPath('signals-1280'), fullPage: false });

			await page.goto('/');
			const map = page.getByTestId('map');
			await expect.poll(() => map.getAttribute('data-signal-count'), { timeout: 60_000 }).not.toBeNull();
			expect(Number(await map.getAttribute('data-signal-count'))).toBeGreaterThan(0);
			await page.locator('[data-testid="map"][data-signal-layer="true"][data-map-idle="true"]').waitFor({ timeout: 60_000 });
			await page.getByTestId('signal-legend').waitFor();
			await page.screenshot({ path: screenshotPath('map-signals-1280'), fullPage: false });
			expect(errors).toEqual([]);
		} finally {
			await wide.close();
		}
	});
});
