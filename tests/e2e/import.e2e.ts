// The import page in a real browser, as the demo coordinator: a generated Windows-1252 export
// (10,500 rows, Lambert and WGS84 mixed, bad dates, unknown vocabulary, blank lines) is chosen,
// its columns are mapped by the page's suggestions, checked (dry run), its rejected rows
// downloaded, committed with "skip the rejected rows", and committed again (nothing new). The
// map API must then count exactly the valid rows more.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchBrowser, newContext, screenshotPath, withPage } from './browser';
import { login } from './auth';
import { makeNasty1252 } from '../fixtures/import/make-nasty';

const nasty = makeNasty1252();
const ex = nasty.expected;
const nl = new Intl.NumberFormat('nl-BE');
/** Valid rows of tests/fixtures/import/signals.csv for the demo organisation (8 rows + 1 duplicate). */
const SIGNALS_VALID = 3;

/** Total contacts the map API counts over a period that holds every generated date. */
async function totalContacts(page: Page): Promise<number> {
	return page.evaluate(async () => {
		const res = await fetch('/api/hexes?res=7&from=2024-11-01');
		if (!res.ok) throw new Error(`/api/hexes answered ${res.status}: ${await res.text()}`);
		const body = (await res.json()) as { totals: { contacts: number } };
		return body.totals.contacts;
	});
}

const count = (page: Page, report: string, key: string) => page.locator(`[data-testid="${report}-${key}"]`).getAttribute('data-value').then(Number);

describe(`import page [${inject('dbKind')}]`, () => {
	let browser: Browser;
	let dir: string;
	let csvPath: string;
	beforeAll(async () => {
		browser = await launchBrowser();
		dir = mkdtempSync(join(tmpdir(), 'oa-e2e-import-'));
		csvPath = join(dir, nasty.name);
		writeFileSync(csvPath, nasty.bytes);
	});
	afterAll(async () => {
		await browser?.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it('maps, checks, downloads the rejected rows, imports once and skips the second time', { timeout: 300_000 }, async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator', '/import');
			expect(new URL(page.url()).pathname).toBe('/import');
			await page.getByRole('heading', { level: 1, name: 'Importeren' }).waitFor();

			// Contacts is chosen and enabled.
			const contacts = page.locator('input[name="kind"][value="contacts"]');
			await expect(contacts.isChecked()).resolves.toBe(true);
			await expect(contacts.isEnabled()).resolves.toBe(true);

			const before = await totalContacts(page);

			// ---- file and preview
			await page.setInputFiles('#import-file', csvPath);
			await page.locator('[data-testid="preview-table"]').waitFor();
			await expect(page.locator('[data-testid="detected-encoding"]').textContent()).resolves.toContain('Windows-1252');
			await expect(page.locator('[data-testid="detected-separator"]').textContent()).resolves.toContain('puntkomma');
			await expect(page.locator('[data-testid="detected-decimal"]').textContent()).resolves.toContain('komma');
			await expect(page.locator('#import-source').inputValue()).resolves.toBe('nasty-1252');
			await expect(page.locator('[data-testid="cell-note"]').textContent()).resolves.toMatch(/66 m/);

			// ---- mapping: the suggestions from the header names are exactly the fixture's mapping
			for (const [field, column] of Object.entries(nasty.mapping)) {
				const id = field === 'crs' ? '#map-crs' : `#map-${field}`;
				await expect(page.locator(id).inputValue(), field).resolves.toBe(column);
			}
			// The demo organisation has other teams than the file ('Team Noord', …): leave the team
			// column unmapped, or every row with a team would be rejected as an unknown team.
			await page.selectOption('#map-team', '');
			// A unique source, so that a rerun against a kept database starts from zero again.
			const source = `e2e-nasty-${Date.now()}`;
			await page.fill('#import-source', source);

			// A mapping that misses a required field shows the problem at the field.
			await page.selectOption('#map-contactType', '');
			await page.locator('[data-field-error="contactType"]').waitFor();
			await page.selectOption('#map-contactType', 'Type contact');
			await page.locator('[data-field-error="contactType"]').waitFor({ state: 'detached' });

			await page.click('[data-testid="save-mapping"]');
			await expect(page.locator('[data-testid="save-message"]').textContent()).resolves.toContain('bewaard');
			await page.waitForFunction(
				(s) => [...document.querySelectorAll('#import-saved option')].some((o) => (o as HTMLOptionElement).value === s),
				source
			);

			// Commit is not offered before a dry run.
			await expect(page.locator('[data-testid="commit"]').isDisabled()).resolves.toBe(true);

			// ---- dry run, watching the progress bar while it runs
			await page.evaluate(() => {
				const seen: string[] = [];
				(window as unknown as { progressSeen: string[] }).progressSeen = seen;
				new MutationObserver(() => {
					// the server's bar (rows read); the upload bar beside it counts bytes sent
					const bar = document.querySelector('#dry-run-progress[role="progressbar"]');
					const v = bar?.getAttribute('aria-valuenow');
					if (v !== null && v !== undefined && seen[seen.length - 1] !== v) seen.push(v);
				}).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
			});
			// by keyboard: focus goes to Stop while it runs, then to the report, never to the page
			await page.focus('[data-testid="dry-run"]');
			await page.evaluate(() => {
				const focused: string[] = [];
				(window as unknown as { focused: string[] }).focused = focused;
				document.addEventListener('focusin', (e) =>
					focused.push((e.target as HTMLElement).getAttribute('data-testid') ?? (e.target as HTMLElement).id)
				);
			});
			await page.keyboard.press('Enter');
			await page.locator('[data-testid="dry-run-report"]').waitFor({ timeout: 120_000 });
			await page.waitForFunction(() => document.activeElement?.id === 'dry-run-report-title');
			expect(await page.evaluate(() => (window as unknown as { focused: string[] }).focused)).toEqual(['dry-run-abort', 'dry-run-report-title']);
			const progressSeen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
			expect(progressSeen.length).toBeGreaterThan(0);

			expect(await count(page, 'dry-run-report', 'records')).toBe(ex.records);
			expect(await count(page, 'dry-run-report', 'valid')).toBe(ex.valid);
			expect(await count(page, 'dry-run-report', 'rejected')).toBe(ex.rejected);
			expect(await count(page, 'dry-run-report', 'duplicates')).toBe(ex.duplicates);
			expect(await count(page, 'dry-run-report', 'emptyLines')).toBe(ex.emptyLines);
			// the figures as shown, in Belgian notation
			await expect(page.locator('[data-testid="dry-run-report-valid"]').textContent()).resolves.toBe(nl.format(ex.valid));
			await expect(page.locator('[data-testid="dry-run-report-rejected"]').textContent()).resolves.toBe(nl.format(ex.rejected));

			// the first problem: its row, the file's column, and the problem in Dutch
			const first = page.locator('[data-testid="dry-run-report-errors"] tbody tr').first();
			const cells = await first.locator('td').allTextContents();
			expect(cells[0]).toBe(String(ex.errors[0]!.row));
			expect(cells[1]).toBe(ex.errors[0]!.field);
			expect(cells[2]).toMatch(/bestaande datum|herkenbare datum/);

			// ---- the rejected rows as a file
			const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="dry-run-report-download"]')]);
			expect(download.suggestedFilename()).toBe('nasty-1252.geweigerd.csv');
			const saved = join(dir, 'rejected.csv');
			await download.saveAs(saved);
			const rejectedLines = readFileSync(saved, 'utf8')
				.split(/\r?\n/)
				.filter((l) => l !== '');
			expect(rejectedLines).toHaveLength(ex.rejected + 1);
			expect(rejectedLines[0]).toMatch(/^\ufeff?rij;Datum;Uur/);

			// ---- commit: only with "skip the rejected rows" ticked
			await expect(page.locator('[data-testid="commit"]').isDisabled()).resolves.toBe(true);
			// by keyboard: Space ticks the box, Tab reaches the button, Enter presses it
			await page.focus('#skip-invalid');
			await page.keyboard.press('Space');
			await expect(page.locator('#skip-invalid').isChecked()).resolves.toBe(true);
			await expect(page.locator('[data-testid="commit"]').isEnabled()).resolves.toBe(true);
			await page.keyboard.press('Tab');
			await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('commit');
			await page.keyboard.press('Enter');
			await page.locator('[data-testid="commit-report"][data-status="done"]').waitFor({ timeout: 120_000 });
			expect(await count(page, 'commit-report', 'imported')).toBe(ex.valid);
			expect(await count(page, 'commit-report', 'skipped')).toBe(0);
			expect(await count(page, 'commit-report', 'rejected')).toBe(ex.rejected);
			await expect(page.locator('[data-testid="commit-report"]').textContent()).resolves.toContain(`${nl.format(ex.valid)} geïmporteerd`);
			await expect(page.locator('[data-testid="import-status"]').textContent()).resolves.toContain('geïmporteerd');

			const afterFirst = await totalContacts(page);
			expect(afterFirst - before).toBe(ex.valid);

			// ---- the same file again: everything is already there
			await page.click('[data-testid="commit"]');
			await page.waitForFunction(
				(n) => (document.querySelector('[data-testid="commit-report-skipped"]') as HTMLElement | null)?.dataset.value === String(n),
				ex.valid,
				{ timeout: 120_000 }
			);
			expect(await count(page, 'commit-report', 'imported')).toBe(0);
			expect(await count(page, 'commit-report', 'updated')).toBe(0);
			expect(await totalContacts(page)).toBe(afterFirst);

			// the same page in English
			await page.getByRole('button', { name: /^EN/ }).click();
			await page.getByRole('heading', { level: 1, name: 'Import' }).waitFor();
			await expect(page.locator('[data-testid="commit-report"]').textContent()).resolves.toContain('Skipped (already present)');
			await page.getByRole('button', { name: /^NL/ }).click();
			await page.getByRole('heading', { level: 1, name: 'Importeren' }).waitFor();

			// the same file under another source name: the dry run warns before it would duplicate
			await page.fill('#import-source', `${source}-kopie`);
			await page.click('[data-testid="dry-run"]');
			const elsewhere = page.locator('[data-testid="dry-run-report-elsewhere"]');
			await elsewhere.waitFor({ timeout: 120_000 });
			await expect(elsewhere.textContent()).resolves.toContain(`al in de databank onder bron ‘${source}’`);
			await page.fill('#import-source', source);

			// the import log lists the dry runs and both commits
			await page.waitForFunction(() => document.querySelectorAll('[data-testid="import-jobs"] tbody tr').length >= 3);

			await page.screenshot({ path: screenshotPath('import'), fullPage: true });

			// At 360 px nothing but the tables' own scroll areas is wider than the screen.
			await page.setViewportSize({ width: 360, height: 800 });
			const overflow = await page.evaluate(() => {
				const main = document.querySelector('main.import') as HTMLElement;
				return main.scrollWidth - main.clientWidth;
			});
			expect(overflow).toBeLessThanOrEqual(0);
			await page.screenshot({ path: screenshotPath('import-360'), fullPage: true });

			expect(errors).toEqual([]);
		});
	});

	it('takes a dropped file: preview, detected format, suggested x/y mapping', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator', '/import');
			await page.locator('[data-testid="file-drop"]').waitFor();
			const bytes = [...readFileSync('tests/fixtures/import/small-utf8bom-comma.csv')];
			await page.evaluate((b) => {
				const dt = new DataTransfer();
				dt.items.add(new File([new Uint8Array(b)], 'small export.csv', { type: 'text/csv' }));
				const zone = document.querySelector('[data-testid="file-drop"]')!;
				zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
				zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
			}, bytes);
			await page.locator('[data-testid="preview-table"]').waitFor();
			await expect(page.locator('[data-testid="chosen-file"]').textContent()).resolves.toContain('small export.csv');
			await expect(page.locator('#import-source').inputValue()).resolves.toBe('small export');
			await expect(page.locator('[data-testid="detected-encoding"]').textContent()).resolves.toMatch(/UTF-8 met BOM/);
			await expect(page.locator('[data-testid="detected-separator"]').textContent()).resolves.toContain('komma');
			const picked = await page.evaluate(() =>
				Object.fromEntries([...document.querySelectorAll('select[id^="map-"]')].map((s) => [s.id, (s as HTMLSelectElement).value]))
			);
			expect(picked).toMatchObject({
				'map-externalId': 'id',
				'map-occurredAt': 'timestamp',
				'map-x': 'x',
				'map-y': 'y',
				'map-lat': '',
				'map-lng': '',
				'map-contactType': 'type',
				'map-targetGroups': 'target_groups',
				'map-themes': 'themes',
				'map-persons': 'people',
				'map-referral': 'referred',
				'map-crs': 'auto'
			});
			// only one of a pair: the page says which field is missing
			await page.selectOption('#map-y', '');
			await expect(page.locator('[data-field-error="y"]').textContent()).resolves.toContain('X (Lambert)');
			// an empty file: said in the page's language, not a server error
			await page.setInputFiles('#import-file', { name: 'leeg.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
			await page.getByRole('alert').filter({ hasText: 'Het bestand is leeg: er staat geen kopregel met kolomnamen in.' }).waitFor();
			expect(errors).toEqual([]);
		});
	});
	it('imports signals: suggested mapping, fixed reporter kind, dry run, commit, listed on /signals', { timeout: 180_000 }, async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator', '/import');
			await page.getByRole('heading', { level: 1, name: 'Importeren' }).waitFor();
			const signals = page.locator('input[name="kind"][value="signals"]');
			await expect(signals.isEnabled()).resolves.toBe(true);
			await signals.check();

			await page.setInputFiles('#import-file', 'tests/fixtures/import/signals.csv');
			await page.locator('[data-testid="preview-table"]').waitFor();
			const picked = await page.evaluate(() =>
				Object.fromEntries([...document.querySelectorAll('select[id^="map-"]')].map((s) => [s.id, (s as HTMLSelectElement).value]))
			);
			expect(picked).toMatchObject({
				'map-reportedAt': 'Datum',
				'map-time': 'Uur',
				'map-lat': 'Breedte',
				'map-lng': 'Lengte',
				'map-x': '',
				'map-y': '',
				'map-crs': 'auto',
				'map-description': 'Wat',
				'map-reporterKind': 'Melder',
				'map-defaultReporterKind': '',
				'map-targetGroups': 'Doelgroep',
				'map-status': 'Status',
				'map-handledAt': '',
				'map-externalId': 'Nr'
			});

			// neither a reporter column nor a fixed kind: the schema's refusal shows at the field
			await page.selectOption('#map-reporterKind', '');
			await expect(page.locator('[data-field-error="reporterKind"]').textContent()).resolves.toContain('vaste waarde');
			await page.selectOption('#map-defaultReporterKind', 'partner');
			await page.locator('[data-field-error="reporterKind"]').waitFor({ state: 'detached' });
			await page.selectOption('#map-defaultReporterKind', '');
			await page.selectOption('#map-reporterKind', 'Melder');

			const source = `e2e-signals-${Date.now()}`;
			await page.fill('#import-source', source);

			await page.click('[data-testid="dry-run"]');
			await page.locator('[data-testid="dry-run-report"]').waitFor({ timeout: 60_000 });
			expect(await count(page, 'dry-run-report', 'records')).toBe(9);
			expect(await count(page, 'dry-run-report', 'valid')).toBe(SIGNALS_VALID);
			expect(await count(page, 'dry-run-report', 'rejected')).toBe(8 - SIGNALS_VALID);
			expect(await count(page, 'dry-run-report', 'duplicates')).toBe(1);
			await page.locator('[data-testid="dry-run-report-download"]').waitFor();

			await page.check('#skip-invalid');
			await page.click('[data-testid="commit"]');
			await page.locator('[data-testid="commit-report"][data-status="done"]').waitFor({ timeout: 60_000 });
			expect(await count(page, 'commit-report', 'imported')).toBe(SIGNALS_VALID);
			await page.screenshot({ path: screenshotPath('import-signals'), fullPage: true });

			// the imported signal is on the signals page (paged now: found by its words)
			await page.goto(`/signals?q=${encodeURIComponent('Groep jongeren slaapt onder de brug')}`);
			const table = page.locator('[data-testid="signals-table"]');
			await table.waitFor();
			await expect(table.textContent()).resolves.toContain('Groep jongeren slaapt onder de brug');
			expect(errors).toEqual([]);
		});
	});
	it('imports services from CSV (category values mapped in the page) and from GeoJSON; more features on the map', { timeout: 180_000 }, async () => {
		const ctx = await newContext(browser);
		const page = await ctx.newPage();
		const errors = collectPageErrors(page);
		const features = () =>
			page.evaluate(async () => {
				const res = await fetch('/api/services');
				if (!res.ok) throw new Error(`/api/services answered ${res.status}`);
				return ((await res.json()) as { features: unknown[] }).features.length;
			});
		try {
			await login(page, 'coordinator', '/import');
			await page.getByRole('heading', { level: 1, name: 'Importeren' }).waitFor();
			const before = await features();
			const services = page.locator('input[name="kind"][value="services"]');
			await expect(services.isEnabled()).resolves.toBe(true);
			await services.check();

			await page.setInputFiles('#import-file', 'tests/fixtures/import/services-1252.csv');
			await page.locator('[data-testid="preview-table"]').waitFor();
			const picked = await page.evaluate(() =>
				Object.fromEntries([...document.querySelectorAll('select[id^="map-"]')].map((s) => [s.id, (s as HTMLSelectElement).value]))
			);
			expect(picked).toMatchObject({
				'map-name': 'Naam',
				'map-category': 'Soort',
				'map-defaultCategory': '',
				'map-address': 'Adres',
				'map-capacity': 'Capaciteit',
				'map-openingHours': 'Openingsuren',
				'map-lat': 'Breedte',
				'map-lng': 'Lengte',
				'map-x': 'X',
				'map-y': 'Y',
				'map-externalId': 'ID'
			});
			await page.fill('#import-source', `e2e-services-${Date.now()}`);
			await page.click('[data-testid="dry-run"]');
			await page.locator('[data-testid="dry-run-report"]').waitFor({ timeout: 60_000 });
			expect(await count(page, 'dry-run-report', 'records')).toBe(6);
			expect(await count(page, 'dry-run-report', 'valid')).toBe(3);
			expect(await count(page, 'dry-run-report', 'rejected')).toBe(3);
			// the category values are listed as contacts' values are: rows, how each matched, a choice
			const social = page.locator('[data-testid="value-map-category"] tr[data-value="Sociale kruidenier"]');
			await expect(social.getAttribute('data-how')).resolves.toBe('none');
			await expect(social.locator('td.num').textContent()).resolves.toBe('1');
			await expect(social.locator('select option[value="!reject"]').count()).resolves.toBe(1);

			// map it, check again: the old dry run no longer counts, the new one has one more valid row
			await social.locator('select').selectOption('voedselhulp');
			await page.locator('[data-testid="dry-run-stale"]').waitFor();
			await expect(page.locator('[data-testid="commit"]').isDisabled()).resolves.toBe(true);
			await page.click('[data-testid="dry-run"]');
			await page.waitForFunction(() => (document.querySelector('[data-testid="dry-run-report-valid"]') as HTMLElement | null)?.dataset.value === '4');
			expect(await count(page, 'dry-run-report', 'rejected')).toBe(2);
			await expect(social.getAttribute('data-how')).resolves.toBe('mapped');

			await page.check('#skip-invalid');
			await page.click('[data-testid="commit"]');
			await page.locator('[data-testid="commit-report"][data-status="done"]').waitFor({ timeout: 60_000 });
			expect(await count(page, 'commit-report', 'imported')).toBe(4);
			expect(await features()).toBe(before + 4);
			await page.screenshot({ path: screenshotPath('import-services'), fullPage: true });

			// ---- the same kind from a GeoJSON file: its properties (inspected by the server) are the columns
			await page.setInputFiles('#import-file', 'tests/fixtures/import/services.geojson');
			await page.locator('[data-testid="detected-features"]').waitFor();
			await expect(page.locator('[data-testid="detected-features"]').textContent()).resolves.toBe('5');
			const geoPicked = await page.evaluate(() =>
				Object.fromEntries([...document.querySelectorAll('select[id^="map-"]')].map((s) => [s.id, (s as HTMLSelectElement).value]))
			);
			expect(geoPicked).toEqual({
				'map-name': 'naam',
				'map-category': 'soort',
				'map-address': 'adres',
				'map-capacity': 'plaatsen',
				'map-openingHours': 'uren',
				'map-defaultCategory': '',
				'map-externalId': ''
			});
			await page.selectOption('#map-defaultCategory', 'dagcentrum');
			await page.fill('#import-source', `e2e-services-geo-${Date.now()}`);
			await page.click('[data-testid="dry-run"]');
			await page.locator('[data-testid="dry-run-report"]').waitFor({ timeout: 60_000 });
			expect(await count(page, 'dry-run-report', 'records')).toBe(5);
			expect(await count(page, 'dry-run-report', 'valid')).toBe(3);
			expect(await count(page, 'dry-run-report', 'rejected')).toBe(2);
			// the default category applies for now; the value is still listed as not recognised
			await expect(page.locator('[data-testid="value-map-category"] tr[data-value="Sociale kruidenier"]').getAttribute('data-how')).resolves.toBe(
				'none'
			);
			await page.check('#skip-invalid');
			await page.click('[data-testid="commit"]');
			await page.locator('[data-testid="commit-report"][data-status="done"]').waitFor({ timeout: 60_000 });
			expect(await count(page, 'commit-report', 'imported')).toBe(3);
			expect(await features()).toBe(before + 7);
			await page.screenshot({ path: screenshotPath('import-services-geojson'), fullPage: true });
			expect(errors).toEqual([]);
		} finally {
			await ctx.close();
		}
	});
	it('imports an area layer from GeoJSON, then indicators for it from a CSV', { timeout: 180_000 }, async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator', '/import');
			await page.getByRole('heading', { level: 1, name: 'Importeren' }).waitFor();
			await page.locator('input[name="kind"][value="areas"]').check();
			await page.setInputFiles('#import-file', 'tests/fixtures/import/areas.geojson');
			await page.locator('[data-testid="preview-table"]').waitFor();
			await expect(page.locator('[data-testid="detected-features"]').textContent()).resolves.toBe('7');
			const picked = await page.evaluate(() =>
				Object.fromEntries([...document.querySelectorAll('select[id^="map-"]')].map((s) => [s.id, (s as HTMLSelectElement).value]))
			);
			expect(picked).toEqual({ 'map-code': 'wijk_code', 'map-name': 'wijk_naam', 'map-parent': 'deel_van', 'map-population': 'inwoners' });

			// the layer name is required and has a form
			await page.locator('[data-field-error="layer"]').waitFor();
			await page.fill('#map-layer', 'mijn wijken');
			await page.locator('[data-field-error="layer"]').waitFor();
			const layer = `e2e_wijk_${Date.now() % 1_000_000}`;
			await page.fill('#map-layer', layer);
			await page.locator('[data-field-error="layer"]').waitFor({ state: 'detached' });

			await page.click('[data-testid="dry-run"]');
			await page.locator('[data-testid="dry-run-report"]').waitFor({ timeout: 60_000 });
			expect(await count(page, 'dry-run-report', 'records')).toBe(7);
			expect(await count(page, 'dry-run-report', 'valid')).toBe(3);
			expect(await count(page, 'dry-run-report', 'rejected')).toBe(4);

			await page.check('#skip-invalid');
			await page.click('[data-testid="commit"]');
			await page.locator('[data-testid="commit-report"][data-status="done"]').waitFor({ timeout: 60_000 });
			expect(await count(page, 'commit-report', 'imported')).toBe(3);
			const features = await page.evaluate(async (l) => {
				const res = await fetch(`/api/areas?layer=${l}`);
				return res.ok ? ((await res.json()) as { features: unknown[] }).features.length : -res.status;
			}, layer);
			expect(features).toBe(3);
			await page.screenshot({ path: screenshotPath('import-areas'), fullPage: true });

			// ---- indicators for that layer, keyed by its codes
			await page.locator('input[name="kind"][value="area_indicators"]').check();
			await page.setInputFiles('#import-file', 'tests/fixtures/import/indicators.csv');
			await page.locator('[data-testid="preview-table"]').waitFor();
			await expect(page.locator('#map-code').inputValue()).resolves.toBe('code');
			await expect(page.locator('#map-population').inputValue()).resolves.toBe('bevolking');
			// the layer just imported is suggested
			await page.waitForFunction(
				(l) => [...document.querySelectorAll('#map-layer-list option')].some((o) => (o as HTMLOptionElement).value === l),
				layer
			);
			await page.fill('#map-layer', layer);
			// without population nor indicators the mapping is refused at the list
			await page.selectOption('#map-population', '');
			await page.locator('[data-field-error="indicators"]').waitFor();
			await page.selectOption('#map-population', 'bevolking');
			const list = page.locator('[data-testid="list-indicators"]');
			await expect(list.locator('input[type="checkbox"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).resolves.toEqual([
				'dichtheid',
				'aandeel_65plus'
			]);
			await list.getByLabel('dichtheid').check();
			await list.getByLabel('aandeel_65plus').check();
			await page.fill('#import-source', `e2e-indicators-${Date.now()}`);
			// saved mappings take this kind too (under its own kind name)
			await page.click('[data-testid="save-mapping"]');
			await expect(page.locator('[data-testid="save-message"]').textContent()).resolves.toContain('bewaard');
			await page.click('[data-testid="dry-run"]');
			await page.locator('[data-testid="dry-run-report"]').waitFor({ timeout: 60_000 });
			expect(await count(page, 'dry-run-report', 'records')).toBe(5);
			expect(await count(page, 'dry-run-report', 'valid')).toBe(2);
			expect(await count(page, 'dry-run-report', 'rejected')).toBe(3);
			await page.check('#skip-invalid');
			await page.click('[data-testid="commit"]');
			await page.locator('[data-testid="commit-report"][data-status="done"]').waitFor({ timeout: 60_000 });
			const a1 = await page.evaluate(async (l) => {
				const res = await fetch(`/api/areas?layer=${l}`);
				const fc = (await res.json()) as { features: { properties: { code: string; population: number | null } }[] };
				return fc.features.find((f) => f.properties.code === 'A1')?.properties.population;
			}, layer);
			expect(a1).toBe(1250);
			await page.screenshot({ path: screenshotPath('import-indicators'), fullPage: true });
			expect(errors).toEqual([]);
		});
	});
});
