// The quick log on a phone-sized screen (360×740, touch, geolocation granted at Ghent's
// Korenmarkt): log a contact from "my location" and find its cell on the coordinator's map data;
// then log one offline, see it queued (also across an offline reload), and see the queue drain
// to exactly one stored contact when the network returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { latLngToCell } from 'h3-js';
import { packCell } from '../../src/lib/domain/cells';
import { demoAccount, login, signIn } from './auth';
import { collectPageErrors, launchBrowser, phoneContext, PHONE_POSITION as POSITION, screenshotPath } from './browser';

const base = inject('baseURL');
const CELL = latLngToCell(POSITION.latitude, POSITION.longitude, 10);
const QUEUE_KEY = `outreach-atlas.quicklog.queue.v1:${demoAccount('worker').email}`;
const OUTSIDE = latLngToCell(50.85, 4.35, 10); // Brussels: outside the demo organisation's area
const REFUSED_ID = '00000000-0000-4000-8000-00000000e2e1';

interface Hexes {
	cells: string[];
	contacts: number[];
	totals: { contacts: number };
}

describe(`quick log [${inject('dbKind')}]`, () => {
	let browser: Browser;
	let coord: BrowserContext;
	let phone: BrowserContext;
	let page: Page;
	let errors: string[];
	let today = '';

	const hexesToday = async (): Promise<Hexes> => {
		const res = await coord.request.get(`/api/hexes?res=10&from=${today}&to=${today}`);
		expect(res.status()).toBe(200);
		return (await res.json()) as Hexes;
	};
	const contactsInCell = (h: Hexes) => {
		const i = h.cells.indexOf(packCell(CELL));
		return i === -1 ? 0 : h.contacts[i]!;
	};
	const queueCount = async () => Number(await page.getAttribute('[data-testid="queue-count"]', 'data-count'));

	beforeAll(async () => {
		browser = await launchBrowser();
		coord = await browser.newContext({ baseURL: base, locale: 'nl-BE', timezoneId: 'Europe/Brussels' });
		await signIn(coord, 'coordinator');
		today = ((await (await coord.request.get('/api/meta')).json()) as { today: string }).today;
		phone = await phoneContext(browser);
		page = await phone.newPage();
		errors = collectPageErrors(page);
		// through the login form on the phone, straight on to /log
		await login(page, 'worker', '/log');
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('analysts may not log contacts', async () => {
		const ctx = await browser.newContext({ baseURL: base });
		try {
			await signIn(ctx, 'analyst');
			const res = await ctx.request.post('/api/contacts', { data: {} });
			expect(res.status()).toBe(403);
			const page = await ctx.newPage();
			const nav = await page.goto('/log');
			expect(nav?.status()).toBe(403);
		} finally {
			await ctx.close();
		}
	});

	it('logs a contact at "my location": the snapped cell shows up in the map data', async () => {
		const before = contactsInCell(await hexesToday());
		const roundContacts = async () => {
			const res = await coord.request.get('/api/rounds');
			const { rounds } = (await res.json()) as { rounds: { title: string; plannedOn: string; contacts: number }[] };
			return rounds.find((r) => r.plannedOn === today && r.title === 'Avondronde Stationsbuurt')!.contacts;
		};
		const onRoundBefore = await roundContacts();

		expect(new URL(page.url()).pathname).toBe('/log');
		await page.getByRole('button', { name: 'Gebruik mijn locatie' }).click();
		const picked = page.getByTestId('location-picked');
		await picked.waitFor();
		expect(await picked.getAttribute('data-cell')).toBe(CELL);
		// the map draws the chosen hexagon (not a point)
		await page.waitForSelector(`[data-testid="pick-map"][data-picked-cell="${CELL}"][data-map-ready="true"]`, { state: 'attached' });
		expect(await page.getByTestId('accuracy-warning').count()).toBe(0);

		await page.getByRole('radio', { name: 'Eerste contact' }).check();
		await page.getByRole('checkbox', { name: 'Dak- en thuisloos' }).check();
		await page.getByRole('button', { name: 'Eén persoon meer' }).click();
		expect(await page.getByTestId('persons').inputValue()).toBe('2');
		await page.getByRole('switch', { name: 'Doorverwezen naar een voorziening' }).check();
		const services = page.locator('input[name="referral-service"]');
		expect(await services.count()).toBe(7); // "none" + the 6 nearest
		// the demo worker walks one round today: it is chosen already, "no round" stays one tap away
		expect(await page.getByRole('radio', { name: /^Avondronde Stationsbuurt/ }).isChecked()).toBe(true);
		expect(await page.getByRole('radio', { name: 'Geen ronde' }).count()).toBe(1);

		// One-handed at 360 px: no sideways scrolling, touch targets of at least 44 px, and the
		// save button within the screen (sticky at the bottom) wherever the form is scrolled.
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		const small = await page.evaluate(() =>
			[...document.querySelectorAll('[data-testid="quicklog"] button, [data-testid="quicklog"] label:has(input)')]
				.map((el) => ({ el, r: el.getBoundingClientRect() }))
				.filter(({ r }) => r.width > 0 && (r.height < 44 || r.width < 44))
				.map(({ el, r }) => `${el.textContent?.trim().slice(0, 30)} ${Math.round(r.width)}×${Math.round(r.height)}`)
		);
		expect(small).toEqual([]);
		for (const y of [0, 600, 100_000]) {
			await page.evaluate((top) => window.scrollTo(0, top), y);
			const box = await page.getByTestId('save').boundingBox();
			expect(box!.y + box!.height).toBeLessThanOrEqual(740);
			expect(box!.y).toBeGreaterThan(740 - 140);
		}
		// What the worker sees: the place with its hexagon, then the choices above the save bar.
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: screenshotPath('quicklog-360-location') });
		await page.evaluate(() => document.getElementById('field-contactType')!.scrollIntoView({ block: 'start' }));
		await page.screenshot({ path: screenshotPath('quicklog-360') });
		await page.screenshot({ path: screenshotPath('quicklog-360-full'), fullPage: true });

		await page.getByTestId('save').click();
		await expect.poll(() => page.getByTestId('toast').textContent(), { timeout: 30_000 }).toContain('Opgeslagen');
		expect(await queueCount()).toBe(0);
		// the form is ready for the next contact, at the same place
		expect(await page.getByRole('radio', { name: 'Eerste contact' }).isChecked()).toBe(false);
		expect(await page.getByTestId('location-picked').getAttribute('data-cell')).toBe(CELL);

		expect(contactsInCell(await hexesToday())).toBe(before + 1);
		expect(await roundContacts()).toBe(onRoundBefore + 1);
		// the round stays chosen for the next contact of the same round
		expect(await page.getByRole('radio', { name: /^Avondronde Stationsbuurt/ }).isChecked()).toBe(true);
		expect(errors).toEqual([]);
	});

	it('offline: the contact waits in the queue (also across a reload) and is sent once when back online', async () => {
		const before = (await hexesToday()).totals.contacts;
		// The page says when the service worker keeps it and controls it, so /log can be reopened
		// without a network. (Waiting for a controller alone raced: the worker could install while
		// /login was open, signed out, and take control after the app had moved on to /log.)
		await page.getByTestId('offline-ready').waitFor({ timeout: 30_000 });
		expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
		expect(
			await page.evaluate(async () => (await caches.match('/log')) !== undefined && (await caches.match('/log/__data.json')) !== undefined)
		).toBe(true);

		await phone.setOffline(true);
		await page.getByRole('radio', { name: 'Kort contact' }).check();
		await page.getByRole('checkbox', { name: 'Jongeren' }).check();
		await page.getByTestId('save').click();
		await expect.poll(() => page.getByTestId('toast').textContent(), { timeout: 30_000 }).toContain('In wachtrij (offline)');
		expect(await queueCount()).toBe(1);
		await page.getByTestId('offline-badge').waitFor();

		const stored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '[]'), QUEUE_KEY);
		expect(stored).toHaveLength(1);
		const payload = stored[0].payload;
		expect(payload.cell).toBe(CELL);
		expect(Object.keys(payload)).not.toContain('lat');

		// Reopen /log while offline: the shell comes from the service worker, the lists and the
		// queue from the device.
		const nav = await page.reload();
		expect(nav?.fromServiceWorker()).toBe(true);
		await page.getByTestId('queue-count').waitFor();
		expect(await queueCount()).toBe(1);
		await page.getByRole('radio', { name: 'Kort contact' }).waitFor();
		await page.screenshot({ path: screenshotPath('quicklog-360-offline') });
		expect((await hexesToday()).totals.contacts).toBe(before);

		await phone.setOffline(false);
		await expect.poll(queueCount, { timeout: 45_000, interval: 250 }).toBe(0);
		expect((await hexesToday()).totals.contacts).toBe(before + 1);

		// A resend of that very entry (a lost answer, a second tab) is a duplicate: still one row.
		const again = await phone.request.post('/api/contacts', { data: payload });
		expect(again.status()).toBe(200);
		expect(await again.json()).toEqual({ status: 'duplicate' });
		expect((await hexesToday()).totals.contacts).toBe(before + 1);
		expect(errors).toEqual([]);
	});

	it('a refused entry is kept as "needs fixing" with the server\'s message', async () => {
		// Put an entry the server will refuse (a cell outside the organisation's area) straight
		// into the device queue, as an old app version might have left it.
		await page.evaluate(
			([key, id, cell]) => {
				const entry = {
					payload: {
						externalId: id,
						occurredAt: new Date().toISOString(),
						cell,
						contactType: 1,
						targetGroups: [],
						themes: [],
						persons: 1,
						referral: false,
						referralServiceId: null
					},
					status: 'pending',
					queuedAt: Date.now(),
					attempts: 0,
					lastAttemptAt: null,
					error: null
				};
				localStorage.setItem(key!, JSON.stringify([entry]));
			},
			[QUEUE_KEY, REFUSED_ID, OUTSIDE]
		);
		await page.reload();
		const item = page.locator(`[data-external-id="${REFUSED_ID}"]`);
		await expect.poll(() => item.locator('.bad').count(), { timeout: 30_000 }).toBe(1);
		expect(await item.textContent()).toContain('Plaats');
		expect(await queueCount()).toBe(1);
		page.once('dialog', (d) => void d.accept()); // "delete without sending?"
		await item.getByRole('button', { name: 'Verwijderen' }).click();
		await expect.poll(queueCount).toBe(0);
		expect(errors).toEqual([]);
	});
});
