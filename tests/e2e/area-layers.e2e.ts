// An area layer with French property names (tests/fixtures/import/quartiers-gand-fr.geojson: six
// quartiers, one with a hole that repeats its outer ring) imported through the import page as
// the demo coordinator: the page maps NOM_FR and ID_QUARTIER, the dry run warns about the
// repaired hole, the commit imports all six. The settings page lists the layer with its count;
// the map's layer list shows it, and the map draws its six outlines (data-area-drawn), at 1280
// and at 360 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { login } from './auth';
import { launchBrowser, screenshotPath, withPage } from './browser';

const MAP = '[data-testid="map"]';
const count = (page: Page, report: string, key: string) => page.locator(`[data-testid="${report}-${key}"]`).getAttribute('data-value').then(Number);

/** Checks the layer in the map's layer list and waits until the map has drawn its areas. */
async function showLayer(page: Page, layer: string): Promise<Record<string, number>> {
	await page.locator(`${MAP}[data-map-idle="true"]`).waitFor({ state: 'attached', timeout: 90_000 });
	const box = page.locator(`[data-testid="area-layer-list"] input[value="${layer}"]`);
	// keyboard: focus the box and press space, as a keyboard user would
	await box.focus();
	await page.keyboard.press('Space');
	expect(await box.isChecked()).toBe(true);
	await page.waitForFunction(
		([sel, l]) => {
			const el = document.querySelector(sel) as HTMLElement | null;
			if (!el || el.dataset.mapIdle !== 'true') return false;
			return (JSON.parse(el.dataset.areaDrawn || '{}') as Record<string, number>)[l] === 6;
		},
		[MAP, layer] as const,
		{ timeout: 60_000, polling: 200 }
	);
	return page.$eval(MAP, (el) => JSON.parse((el as HTMLElement).dataset.areaLayers || '{}') as Record<string, number>);
}

describe(`area layers [${inject('dbKind')}]`, () => {
	let browser: Browser;
	const layer = `quartiers_${Date.now() % 1_000_000}`;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('imports a French-named layer with a repeated hole and draws it from the layer list', { timeout: 300_000 }, async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator', '/import');
			await page.getByRole('heading', { level: 1, name: 'Importeren' }).waitFor();
			await page.locator('input[name="kind"][value="areas"]').check();
			await page.setInputFiles('#import-file', 'tests/fixtures/import/quartiers-gand-fr.geojson');
			await page.locator('[data-testid="preview-table"]').waitFor();
			await expect(page.locator('[data-testid="detected-features"]').textContent()).resolves.toBe('6');
			// French names match no alias: the coordinator picks them
			await page.selectOption('#map-code', 'ID_QUARTIER');
			await page.selectOption('#map-name', 'NOM_FR');
			await page.selectOption('#map-population', 'POPULATION');
			await page.fill('#map-layer', layer);
			await page.locator('[data-field-error="layer"]').waitFor({ state: 'detached' });

			await page.click('[data-testid="dry-run"]');
			const report = page.locator('[data-testid="dry-run-report"]');
			await report.waitFor({ timeout: 60_000 });
			expect(await count(page, 'dry-run-report', 'valid')).toBe(6);
			expect(await count(page, 'dry-run-report', 'rejected')).toBe(0);
			// the repair is told: feature 2, its hole repeating the outer ring, left out
			await report.locator('details.warnings summary').click();
			const warning = await report.locator('details.warnings tbody tr').first().locator('td').allTextContents();
			expect(warning.slice(0, 2)).toEqual(['2', 'geometry']);
			expect(warning[2]).toContain('herhaalt de buitenring');

			await page.click('[data-testid="commit"]');
			await page.locator('[data-testid="commit-report"][data-status="done"]').waitFor({ timeout: 60_000 });
			expect(await count(page, 'commit-report', 'imported')).toBe(6);
			await page.screenshot({ path: screenshotPath('area-layers-import'), fullPage: true });

			// settings lists the layer with its count and population; the demo's choice is saved again
			await page.goto('/settings');
			await page.click('[data-testid="settings-areas-link"]');
			await page.getByRole('heading', { level: 1, name: 'Gebiedslagen' }).waitFor();
			const row = page.locator(`[data-testid="area-layer-table"] tr[data-layer="${layer}"]`);
			expect(await row.locator('td').first().textContent()).toBe('6');
			expect(await page.locator('#district').inputValue()).toBe('district');
			expect(await page.locator(`#population option[value="${layer}"]`).count()).toBe(1);
			await page.click('[data-testid="area-layers-form"] button[type="submit"]');
			await page.locator('[data-testid="area-layers-saved"]').waitFor();
			await page.screenshot({ path: screenshotPath('area-layers-settings'), fullPage: true });

			// the map: the layer list shows it, the map draws its six outlines with their names
			await page.goto('/');
			const shown = await showLayer(page, layer);
			expect(shown[layer]).toBe(6);
			const labels = await page.locator(`${MAP} .area-label`).allTextContents();
			expect(labels).toContain('Quartier du Béguinage');
			// the outlines came simplified for the map's zoom step
			const zoomAsked = await page.evaluate(
				(l) => performance.getEntriesByType('resource').some((e) => e.name.includes(`layer=${l}`) && /zoom=\d+/.test(e.name)),
				layer
			);
			expect(zoomAsked).toBe(true);
			await page.screenshot({ path: screenshotPath('area-layers-map-1280') });
			// closer in: the outlines of a finer zoom step are asked for and drawn, names shown
			const stepOf = (url: string) => Number(new URL(url, 'http://x').searchParams.get('zoom'));
			const firstStep = await page.evaluate(
				(l) => performance.getEntriesByType('resource').find((e) => e.name.includes(`layer=${l}`))?.name ?? '',
				layer
			);
			const finer = page.waitForResponse((r) => r.url().includes(`layer=${layer}`) && stepOf(r.url()) > stepOf(firstStep), {
				timeout: 60_000
			});
			for (let i = 0; i < 2; i++) await page.click('.maplibregl-ctrl-zoom-in');
			await finer;
			await page.waitForFunction(
				([sel, l]) => {
					const el = document.querySelector(sel) as HTMLElement | null;
					return !!el && el.dataset.mapIdle === 'true' && (JSON.parse(el.dataset.areaDrawn || '{}') as Record<string, number>)[l]! > 0;
				},
				[MAP, layer] as const,
				{ timeout: 60_000, polling: 200 }
			);
			await page.screenshot({ path: screenshotPath('area-layers-map-1280-zoomed') });
			expect(errors).toEqual([]);
		});
	});

	it('draws the layer on a phone too', { timeout: 180_000 }, async () => {
		await withPage(browser, async (page, errors) => {
			await page.setViewportSize({ width: 360, height: 740 });
			await login(page, 'coordinator', '/');
			await page.click('[data-testid="filters-toggle"]');
			const shown = await showLayer(page, layer);
			expect(shown[layer]).toBe(6);
			await page.screenshot({ path: screenshotPath('area-layers-map-360'), fullPage: true });
			// at 360 px nothing is wider than the screen
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
			expect(errors).toEqual([]);
		});
	});
});
