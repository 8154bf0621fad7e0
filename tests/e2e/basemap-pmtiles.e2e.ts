// A self-hosted PMTiles basemap (README, "A self-hosted basemap"): the test builds a small
// archive of Ghent (pmtiles-fixture.ts), serves it with a style JSON from a local static server
// that answers range requests, and starts an app server with BASEMAP_STYLE_URL pointing there.
// The worker's zone map must draw the archive's land and roads through the `pmtiles://`
// protocol, within the Content-Security-Policy, with no basemap-failure notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { resolve } from 'node:path';
import { login } from './auth';
import { collectPageErrors, launchBrowser, screenshotPath } from './browser';
import { LAND_COLOUR, ROAD_COLOUR, serveBasemap, type BasemapHost } from './pmtiles-fixture';
import { startAppServer, type AppServer } from './server';
import { GENT_BBOX } from '../../src/lib/server/demo/places';

const hex = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));

describe.skipIf(inject('dbKind') === 'external')(`self-hosted PMTiles basemap [${inject('dbKind')}]`, () => {
	let browser: Browser;
	let server: AppServer;
	let host: BasemapHost;
	let ctx: BrowserContext;

	beforeAll(async () => {
		host = await serveBasemap(GENT_BBOX);
		[server, browser] = await Promise.all([
			startAppServer({
				adminDatabaseUrl: process.env.E2E_DATABASE_URL || undefined,
				logFile: resolve('test-results', 'e2e-server-pmtiles.log'),
				env: { BASEMAP_STYLE_URL: host.styleUrl }
			}),
			launchBrowser()
		]);
		ctx = await browser.newContext({
			baseURL: server.baseURL,
			locale: 'nl-BE',
			timezoneId: 'Europe/Brussels',
			viewport: { width: 360, height: 740 }
		});
		ctx.setDefaultTimeout(30_000);
	}, 240_000);
	afterAll(async () => {
		await ctx?.close();
		await browser?.close();
		await server?.stop();
		await host?.close();
	});

	it('draws the archive through the pmtiles protocol, and no failure notice shows', async () => {
		const page = await ctx.newPage();
		const errors = collectPageErrors(page);
		const cspViolations: string[] = [];
		page.on('console', (m) => {
			if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
		});
		await login(page, 'worker', '/my-zones');
		const map = page.getByTestId('zone-map');
		await page.waitForSelector('[data-testid="zone-map"][data-map-idle="true"]', { timeout: 90_000, state: 'attached' });
		expect(await map.getAttribute('data-basemap')).toBe('remote');
		expect(await map.getAttribute('data-basemap-failed')).toBeNull();
		expect(await page.getByTestId('basemap-notice').isVisible()).toBe(false);
		// the archive was read by range requests: its header and directory, then tiles
		expect(host.ranges[0]).toMatch(/^bytes=0-\d+$/);
		expect(host.ranges.length).toBeGreaterThan(1);

		// the map shows the archive's colours: mostly land, and the roads across it
		const png = await map.screenshot({ path: screenshotPath('basemap-pmtiles-360') });
		const blank = await ctx.newPage();
		const counts = await blank.evaluate(
			async ({ data, land, road }) => {
				const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
				const img = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
				const canvas = new OffscreenCanvas(img.width, img.height);
				const g = canvas.getContext('2d')!;
				g.drawImage(img, 0, 0);
				const px = g.getImageData(0, 0, img.width, img.height).data;
				const near = (i: number, c: number[]) => Math.abs(px[i]! - c[0]!) + Math.abs(px[i + 1]! - c[1]!) + Math.abs(px[i + 2]! - c[2]!) < 24;
				let l = 0;
				let r = 0;
				for (let i = 0; i < px.length; i += 4) {
					if (near(i, land)) l++;
					else if (near(i, road)) r++;
				}
				return { land: l / (px.length / 4), road: r };
			},
			{ data: png.toString('base64'), land: hex(LAND_COLOUR), road: hex(ROAD_COLOUR) }
		);
		await blank.close();
		expect(counts.land).toBeGreaterThan(0.3);
		expect(counts.road).toBeGreaterThan(100);
		expect(cspViolations).toEqual([]);
		expect(errors).toEqual([]);
	});
});
