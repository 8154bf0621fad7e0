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
import { collectPageErrors, launchBrowser, newContext, screenshotPath } from './browser';
import { login } from './auth';
import { makeNasty1252 } from '../fixtures/import/make-nasty';

const nasty = makeNasty1252();
const ex = nasty.expected;
const nl = new Intl.NumberFormat('nl-BE');

/** Total contacts the map API counts over a period that holds every generated date. */
async function totalContacts(page: Page): Promise<number> {
	return page.evaluate(async () => {
		const res = await fetch('/api/hexes?res=7&from=2024-11-01');
		if (!res.ok) throw new Error(`/api/hexes answered ${res.status}: ${await res.text()}`);
		const body = (await res.json()) as { totals: { contacts: number } };
		return body.totals.contacts;
	});
}

const count = (page: Page, report: string, key: string) =>
	page.locator(`[data-testid="${report}-${key}"]`).getAttribute('data-value').then(Number);

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
		const ctx = await newContext(browser);
		const page = await ctx.newPage();
		const errors = collectPageErrors(page);
		try {
			await login(page, 'coordinator', '/import');
			expect(new URL(page.url()).pathname).toBe('/import');
			await page.getByRole('heading', { level: 1, name: 'Importeren' }).waitFor();

			// Contacts is chosen and enabled; kinds without an API and field list yet are not.
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
			await page.waitForFunction((s) => [...document.querySelectorAll('#import-saved option')].some((o) => (o as HTMLOptionElement).value === s), source);

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
			await page.click('[data-testid="dry-run"]');
			await page.locator('[data-testid="dry-run-report"]').waitFor({ timeout: 120_000 });
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
			const [download] = await Promise.all([
				page.waitForEvent('download'),
				page.click('[data-testid="dry-run-report-download"]')
			]);
			expect(download.suggestedFilename()).toBe('nasty-1252.geweigerd.csv');
			const saved = join(dir, 'rejected.csv');
			await download.saveAs(saved);
			const rejectedLines = readFileSync(saved, 'utf8').split(/\r?\n/).filter((l) => l !== '');
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
			await expect(page.locator('[data-testid="commit-report"]').textContent()).resolves.toContain(
				`${nl.format(ex.valid)} geïmporteerd`
			);
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

			// the import log lists the dry run and both commits
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
		} finally {
			await ctx.close();
		}
	});

	it('takes a dropped file: preview, detected format, suggested x/y mapping', async () => {
		const ctx = await newContext(browser);
		const page = await ctx.newPage();
		const errors = collectPageErrors(page);
		try {
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
			expect(errors).toEqual([]);
		} finally {
			await ctx.close();
		}
	});
});
