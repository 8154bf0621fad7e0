// The import page with an Excel workbook, as the demo coordinator: the workbook is previewed as
// the CSV the server reads of it (sheet named, sheets offered), its columns suggested, checked
// (the bad row reported by its sheet row) and committed; a damaged or password-protected file
// gets a message, not a stack trace.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshotPath, withPage } from './browser';
import { login } from './auth';
import { XLSX_FIXTURE, xlsxFixture } from '../fixtures/import/make-xlsx';

const ex = xlsxFixture.expected;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const count = (page: Page, report: string, key: string) => page.locator(`[data-testid="${report}-${key}"]`).getAttribute('data-value').then(Number);

const picked = (page: Page) =>
	page.evaluate(() => Object.fromEntries([...document.querySelectorAll('select[id^="map-"]')].map((s) => [s.id, (s as HTMLSelectElement).value])));

describe(`import page, Excel workbook [${inject('dbKind')}]`, () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('previews the first sheet, checks it with sheet row numbers, commits the valid rows', { timeout: 180_000 }, async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator', '/import');
			await page.getByRole('heading', { level: 1, name: 'Importeren' }).waitFor();
			await expect(page.locator('#import-file').getAttribute('accept')).resolves.toContain('.xlsx');

			await page.setInputFiles('#import-file', XLSX_FIXTURE);
			await page.locator('[data-testid="preview-table"]').waitFor();
			await expect(page.locator('[data-testid="detected-workbook"]').textContent()).resolves.toContain('Excel-werkmap');
			await expect(page.locator('[data-testid="detected-sheet"]').textContent()).resolves.toBe('Contacten');
			await expect(page.locator('[data-testid="detected-decimal"]').textContent()).resolves.toBeTruthy();
			await expect(page.locator('#import-source').inputValue()).resolves.toBe('contacten');
			await expect(page.locator('#import-sheet option').allTextContents()).resolves.toEqual(['Contacten', 'Toelichting']);
			// the cells as the pipeline reads them: a date cell day first, numbers with a point
			const table = await page.locator('[data-testid="preview-table"]').textContent();
			expect(table).toContain('15/03/2025 14:30');
			expect(table).toContain('51.0543');
			expect(table).toContain('51,0500');
			expect(table).toContain('Aan het station; komt morgen terug');

			expect(await picked(page)).toMatchObject({
				'map-occurredAt': 'Datum',
				'map-time': 'Uur',
				'map-lat': 'Breedte',
				'map-lng': 'Lengte',
				'map-contactType': 'Type contact',
				'map-targetGroups': 'Doelgroep',
				'map-persons': 'Aantal',
				'map-referral': 'Doorverwezen'
			});

			// another sheet: its own columns; then back
			await page.selectOption('#import-sheet', '2');
			await page.locator('[data-testid="detected-sheet"]', { hasText: 'Toelichting' }).waitFor();
			await expect(page.locator('[data-testid="preview-table"] thead').textContent()).resolves.toContain('Registratie straathoekwerk');
			await page.selectOption('#import-sheet', '1');
			await page.locator('[data-testid="detected-sheet"]', { hasText: 'Contacten' }).waitFor();
			await expect(page.locator('#map-occurredAt').inputValue()).resolves.toBe('Datum');

			await page.fill('#import-source', `e2e-xlsx-${Date.now()}`);
			await page.click('[data-testid="dry-run"]');
			await page.locator('[data-testid="dry-run-report"]').waitFor({ timeout: 60_000 });
			expect(await count(page, 'dry-run-report', 'records')).toBe(ex.records);
			expect(await count(page, 'dry-run-report', 'valid')).toBe(ex.valid);
			expect(await count(page, 'dry-run-report', 'rejected')).toBe(ex.rejected);
			expect(await count(page, 'dry-run-report', 'emptyLines')).toBe(ex.emptyLines);
			// the bad row by its row in the sheet
			const cells = await page.locator('[data-testid="dry-run-report-errors"] tbody tr').first().locator('td').allTextContents();
			expect(cells[0]).toBe(String(ex.error.row));
			expect(cells[1]).toBe(ex.error.field);
			expect(cells[2]).toMatch(/bestaande datum/);
			await page.locator('[data-testid="dry-run-report-download"]').waitFor();
			await page.screenshot({ path: screenshotPath('import-xlsx'), fullPage: true });

			await page.check('#skip-invalid');
			await page.click('[data-testid="commit"]');
			await page.locator('[data-testid="commit-report"][data-status="done"]').waitFor({ timeout: 60_000 });
			expect(await count(page, 'commit-report', 'imported')).toBe(ex.valid);
			expect(errors).toEqual([]);
		});
	});

	it('says what is wrong with a damaged or password-protected workbook', async () => {
		await withPage(browser, async (page, errors) => {
			await login(page, 'coordinator', '/import');
			await page.locator('[data-testid="file-drop"]').waitFor();
			const damaged = readFileSync(XLSX_FIXTURE).subarray(0, 1500);
			await page.setInputFiles('#import-file', { name: 'kapot.xlsx', mimeType: XLSX_TYPE, buffer: damaged });
			await expect(page.locator('[role="alert"]').textContent()).resolves.toContain('beschadigd');
			// Excel encrypts a workbook with a password into an OLE container, as an old .xls
			const ole = Buffer.alloc(4096);
			ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
			await page.setInputFiles('#import-file', { name: 'geheim.xlsx', mimeType: XLSX_TYPE, buffer: ole });
			await page.locator('[role="alert"]', { hasText: 'wachtwoord' }).waitFor();
			await expect(page.locator('[data-testid="dry-run"]').isDisabled()).resolves.toBe(true);
			// the live region says it too
			await page.locator('[data-testid="import-status"]', { hasText: 'wachtwoord' }).waitFor();
			expect(errors).toEqual([]);
		});
	});
});
