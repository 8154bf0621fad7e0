// Services from an Open Referral HSDS package through the import page, as the demo coordinator:
// the package's folder is chosen (tests/fixtures/import/hsds: ten tables and a README), the page
// names the tables found and missing, a dry run reports the two taxonomy terms the organisation's
// categories do not recognise (by file, row and column), they are mapped in the category table,
// checked again and committed. /api/services then holds the five service locations. The same
// package again, with one schedule changed, chosen as separate files with the saved mapping:
// nothing new, one updated, four unchanged; once more: all five unchanged.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshotPath, withPage } from './browser';
import { login } from './auth';

const FIXTURE = 'tests/fixtures/import/hsds';

type ServiceFeature = {
	properties: { name: string; categoryCode: string; openingHours: string | null; capacity: number | null; address: string | null };
};

async function services(page: Page): Promise<ServiceFeature[]> {
	return page.evaluate(async () => {
		const res = await fetch('/api/services');
		if (!res.ok) throw new Error(`/api/services answered ${res.status}`);
		return ((await res.json()) as { features: ServiceFeature[] }).features;
	});
}

const count = (page: Page, report: string, key: string) => page.locator(`[data-testid="${report}-${key}"]`).getAttribute('data-value').then(Number);

/** Waits until a report shows `value` for `key` (a second run replaces the figures in place). */
const reportShows = (page: Page, report: string, key: string, value: number) =>
	page.waitForFunction(
		([r, k, v]) => (document.querySelector(`[data-testid="${r}-${k}"]`) as HTMLElement | null)?.dataset.value === String(v),
		[report, key, value] as const,
		{ timeout: 60_000 }
	);

/** Chooses "services", then the HSDS format by keyboard (arrow key in the radio group). */
async function chooseHsds(page: Page) {
	await page.locator('input[name="kind"][value="services"]').check();
	const single = page.locator('input[name="services-format"][value="file"]');
	await expect(single.isChecked()).resolves.toBe(true);
	await single.focus();
	await page.keyboard.press('ArrowRight');
	await expect(page.locator('input[name="services-format"][value="hsds"]').isChecked()).resolves.toBe(true);
	await page.locator('[data-testid="package-drop"]').waitFor();
}

describe(`import page, HSDS package [${inject('dbKind')}]`, () => {
	let browser: Browser;
	let dir: string;
	let changed: string[];
	beforeAll(async () => {
		browser = await launchBrowser();
		// the same package with sal2's morning hours changed, as separate files
		dir = mkdtempSync(join(tmpdir(), 'oa-e2e-hsds-'));
		changed = [];
		for (const name of readdirSync(FIXTURE).filter((n) => n.endsWith('.csv'))) {
			const to = join(dir, name);
			if (name === 'schedules.csv') {
				const text = readFileSync(join(FIXTURE, name), 'utf8');
				const next = text.replace('"MO,TU,WE,TH,FR",09:00,12:00', '"MO,TU,WE,TH,FR",08:30,12:00');
				expect(next).not.toBe(text);
				writeFileSync(to, next);
			} else copyFileSync(join(FIXTURE, name), to);
			changed.push(to);
		}
	});
	afterAll(async () => {
		await browser?.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it(
		'imports a package: tables found, unmapped terms by file and row, mapped, committed; again → updated/unchanged',
		{ timeout: 240_000 },
		async () => {
			await withPage(browser, async (page, errors) => {
				await login(page, 'coordinator', '/import');
				await page.getByRole('heading', { level: 1, name: 'Importeren' }).waitFor();
				const before = await services(page);

				await chooseHsds(page);
				// ---- the package's folder
				await page.setInputFiles('#import-package-folder', FIXTURE);
				const tables = page.locator('[data-testid="hsds-tables"]');
				await tables.locator('tr[data-table="service_at_location"] td.num').filter({ hasText: '6' }).waitFor();
				await expect(tables.locator('caption').textContent()).resolves.toContain('10 van 10 gevonden');
				await expect(tables.locator('tr[data-status="found"]').count()).resolves.toBe(10);
				await expect(tables.locator('tr[data-table="service"] td.file').textContent()).resolves.toContain('services.csv');
				await expect(page.locator('[data-testid="hsds-ignored"]').textContent()).resolves.toContain('README.md');
				await expect(page.locator('#import-source').inputValue()).resolves.toBe('hsds');
				const source = `e2e-hsds-${Date.now()}`;
				await page.fill('#import-source', source);

				// the package's taxonomy terms, not checked yet
				const categories = page.locator('[data-testid="hsds-categories"] tbody tr');
				await expect(categories.evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.value))).resolves.toEqual([
					'Drop-in',
					'Night shelter',
					'Straatdokter',
					'Voedselhulp'
				]);
				await expect(categories.first().locator('td.after').textContent()).resolves.toContain('nog niet gecontroleerd');
				await expect(page.locator('[data-testid="commit"]').isDisabled()).resolves.toBe(true);

				// ---- dry run: two terms match none of the organisation's categories
				await page.click('[data-testid="dry-run"]');
				await page.locator('[data-testid="dry-run-report"]').waitFor({ timeout: 60_000 });
				expect(await count(page, 'dry-run-report', 'records')).toBe(5);
				expect(await count(page, 'dry-run-report', 'valid')).toBe(3);
				expect(await count(page, 'dry-run-report', 'rejected')).toBe(2);
				expect(await count(page, 'dry-run-report', 'ignored')).toBe(1); // the inactive service
				const unmapped = await page.locator('[data-testid="dry-run-report-unmapped"]').textContent();
				expect(unmapped).toContain('Drop-in');
				expect(unmapped).toContain('Straatdokter');
				// the first problem by file, row and column, in Dutch
				const headers = await page.locator('[data-testid="dry-run-report-errors"] thead th').allTextContents();
				expect(headers).toEqual(['Bestand', 'Rij', 'Kolom', 'Probleem']);
				const first = await page.locator('[data-testid="dry-run-report-errors"] tbody tr').first().locator('td').allTextContents();
				expect(first.slice(0, 3)).toEqual(['attributes.csv', '3', 'taxonomy_term_id']);
				expect(first[3]).toMatch(/^‘Drop-in’ is aan geen categorie van voorzieningen gekoppeld/);
				// the category table says what the check found
				await expect(page.locator('tr[data-value="Drop-in"] td.after').textContent()).resolves.toContain('niet herkend (1 locatie)');
				await expect(page.locator('tr[data-value="Night shelter"] td.after').textContent()).resolves.toContain('herkend');

				// the problems as a CSV file, one line each with its file
				const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="dry-run-report-download"]')]);
				expect(download.suggestedFilename()).toBe('hsds.geweigerd.csv');
				const saved = join(dir, 'rejected.csv');
				await download.saveAs(saved);
				const lines = readFileSync(saved, 'utf8')
					.replace(/^\ufeff/, '')
					.split(/\r?\n/)
					.filter((l) => l !== '');
				expect(lines[0]).toBe('bestand;rij;kolom;waarde;fout');
				expect(lines.slice(1).map((l) => l.split(';').slice(0, 4))).toEqual([
					['attributes.csv', '3', 'taxonomy_term_id', 'Drop-in'],
					['attributes.csv', '5', 'taxonomy_term_id', 'Straatdokter']
				]);

				// ---- map the two terms; the earlier check no longer counts
				await page.selectOption('select[data-value="Drop-in"]', 'inloop');
				await page.locator('[data-testid="dry-run-stale"]').waitFor();
				await expect(page.locator('[data-testid="commit"]').isDisabled()).resolves.toBe(true);
				await page.selectOption('select[data-value="Straatdokter"]', 'gezondheid');
				await expect(page.locator('tr[data-value="Straatdokter"] td.after').textContent()).resolves.toContain('zelf gekoppeld');
				await page.click('[data-testid="save-mapping"]');
				await expect(page.locator('[data-testid="save-message"]').textContent()).resolves.toContain('bewaard');

				await page.click('[data-testid="dry-run"]');
				await reportShows(page, 'dry-run-report', 'valid', 5);
				expect(await count(page, 'dry-run-report', 'rejected')).toBe(0);
				await expect(page.locator('[data-testid="dry-run-report-unmapped"]').count()).resolves.toBe(0);
				await expect(page.locator('[data-testid="dry-run-report-download"]').count()).resolves.toBe(0);
				await page.locator('#step-2').scrollIntoViewIfNeeded();
				await page.screenshot({ path: screenshotPath('import-hsds'), fullPage: true });

				// ---- commit, by keyboard
				await page.focus('[data-testid="commit"]');
				await page.keyboard.press('Enter');
				await page.locator('[data-testid="commit-report"][data-status="done"]').waitFor({ timeout: 60_000 });
				expect(await count(page, 'commit-report', 'imported')).toBe(5);
				expect(await count(page, 'commit-report', 'updated')).toBe(0);
				expect(await count(page, 'commit-report', 'skipped')).toBe(0);
				const after = await services(page);
				expect(after.length).toBe(before.length + 5);
				const byName = (n: string) => after.find((f) => f.properties.name === n)?.properties;
				expect(byName('Nachtopvang (Welzijnsnetwerk Oost)')).toMatchObject({
					categoryCode: 'nachtopvang',
					openingHours: 'Mo-Su 21:00-08:00',
					capacity: 40,
					address: 'Dampoortstraat 1, 9000 Gent'
				});
				expect(byName('Inloopcentrum De Haven (vzw Straatkompas)')).toMatchObject({
					categoryCode: 'inloop',
					openingHours: 'Mo-Th 09:00-12:00,13:00-17:00; Fr 09:00-12:00'
				});
				expect(byName('Straatdokter (Medisch Huis Zuid)')).toMatchObject({ categoryCode: 'gezondheid', openingHours: '24/7' });
				expect(after.filter((f) => f.properties.name === 'Voedselbedeling (Welzijnsnetwerk Oost)')).toHaveLength(2);
				expect(after.some((f) => f.properties.name.startsWith('Douches'))).toBe(false); // inactive

				// ---- later: the package again, one schedule changed, chosen as files, with the saved mapping
				await page.goto('/import');
				await page.getByRole('heading', { level: 1, name: 'Importeren' }).waitFor();
				await chooseHsds(page);
				await page.setInputFiles('#import-package', changed);
				await expect(page.locator('[data-testid="chosen-package"]').textContent()).resolves.toContain('10 bestanden');
				await page.locator('[data-testid="hsds-tables"] tr[data-table="schedule"][data-status="found"]').waitFor();
				await page.locator('[data-testid="hsds-categories"] tbody tr').first().waitFor();
				await page.waitForFunction(
					(s) => [...document.querySelectorAll('#import-saved option')].some((o) => (o as HTMLOptionElement).value === s),
					source
				);
				await page.selectOption('#import-saved', source);
				await expect(page.locator('#import-source').inputValue()).resolves.toBe(source);
				await expect(page.locator('select[data-value="Drop-in"]').inputValue()).resolves.toBe('inloop');
				await expect(page.locator('select[data-value="Straatdokter"]').inputValue()).resolves.toBe('gezondheid');

				await page.click('[data-testid="dry-run"]');
				await page.locator('[data-testid="dry-run-report"]').waitFor({ timeout: 60_000 });
				expect(await count(page, 'dry-run-report', 'valid')).toBe(5);
				await page.click('[data-testid="commit"]');
				await page.locator('[data-testid="commit-report"][data-status="done"]').waitFor({ timeout: 60_000 });
				expect(await count(page, 'commit-report', 'imported')).toBe(0);
				expect(await count(page, 'commit-report', 'updated')).toBe(1);
				expect(await count(page, 'commit-report', 'skipped')).toBe(4);
				const again = await services(page);
				expect(again.length).toBe(before.length + 5);
				expect(again.find((f) => f.properties.name === 'Inloopcentrum De Haven (vzw Straatkompas)')?.properties.openingHours).toBe(
					'Mo-Th 08:30-12:00,13:00-17:00; Fr 08:30-12:00'
				);

				// and once more: all five already there
				await page.click('[data-testid="commit"]');
				await reportShows(page, 'commit-report', 'skipped', 5);
				expect(await count(page, 'commit-report', 'imported')).toBe(0);
				expect(await count(page, 'commit-report', 'updated')).toBe(0);
				expect((await services(page)).length).toBe(before.length + 5);

				// the same step in English
				await page.getByRole('button', { name: /^EN/ }).click();
				await page.getByRole('heading', { level: 1, name: 'Import' }).waitFor();
				await expect(page.locator('[data-testid="hsds-tables"] caption').textContent()).resolves.toContain('Tables in the package: 10 of 10 found');
				await expect(page.locator('[data-testid="commit-report"]').textContent()).resolves.toContain('Left out on purpose');
				await page.getByRole('button', { name: /^NL/ }).click();
				await page.getByRole('heading', { level: 1, name: 'Importeren' }).waitFor();

				// At 360 px nothing but the tables' own scroll areas is wider than the screen.
				await page.setViewportSize({ width: 360, height: 800 });
				const overflow = await page.evaluate(() => {
					const main = document.querySelector('main.import') as HTMLElement;
					return main.scrollWidth - main.clientWidth;
				});
				expect(overflow).toBeLessThanOrEqual(0);
				expect(errors).toEqual([]);
			});
		}
	);

	it('names what is missing: a package without locations cannot be checked', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator', '/import');
			await page.getByRole('heading', { level: 1, name: 'Importeren' }).waitFor();
			await chooseHsds(page);
			await page.setInputFiles(
				'#import-package',
				changed.filter((f) => !f.endsWith('locations.csv') || f.endsWith('service_at_locations.csv')).filter((f) => !f.endsWith('units.csv'))
			);
			const tables = page.locator('[data-testid="hsds-tables"]');
			await tables.locator('tr[data-table="location"][data-status="missingRequired"]').waitFor();
			await tables.locator('tr[data-table="unit"][data-status="missingOptional"]').waitFor();
			await expect(tables.locator('tr[data-table="location"] td.file').textContent()).resolves.toContain('location.csv / locations.csv');
			await expect(page.locator('[data-testid="package-block"]').textContent()).resolves.toContain('location');
			await expect(page.locator('[data-testid="dry-run"]').isDisabled()).resolves.toBe(true);
			await page.screenshot({ path: screenshotPath('import-hsds-missing'), fullPage: true });
			expect(errors).toEqual([]);
		});
	});
});
