// `npm run import` as a user runs it: the real script in a child process, against a PGlite
// directory or (with TEST_DATABASE_URL) a scratch PostgreSQL database. Exit codes, the report,
// the rejected-rows file, the saved mapping and what ends up stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src/lib/server/db';
import { dbTitle } from '../helpers/test-db';
import { xlsxFixture } from '../fixtures/import/make-xlsx';
import { cliDatabase, importCli, prepareCliImport } from '../helpers/import-cli';
import { FOREIGN_COLUMNS, FOREIGN_VALUES, FORMULA_VALUE, makeForeign } from '../fixtures/import/make-foreign';
import { FOREIGN_SERVICE_COLUMNS, FOREIGN_SERVICES } from '../fixtures/import/foreign-services';

const dir = mkdtempSync(join(tmpdir(), 'oa-cli-'));
const workbook = join(dir, 'contacten.xlsx');
const mappingFile = join(dir, 'mapping.json');
let db: Awaited<ReturnType<typeof cliDatabase>>;
/** Opens the test database from this process (the CLI must not run meanwhile: PGlite is one process). */
const withDb = <T>(fn: (d: Database) => Promise<T>) => db.open(fn);
const cli = (...args: string[]) => importCli(db.env, ...args);

beforeAll(async () => {
	db = await cliDatabase(dir, 'oa_cli');
	await withDb((d) => prepareCliImport(d.sql, workbook, mappingFile));
}, 60_000);

afterAll(async () => {
	rmSync(dir, { recursive: true, force: true });
	await db?.drop();
});

describe(dbTitle('import CLI'), () => {
	it('--help lists the options; an unknown option gets the usage line and exit 2, not a stack trace', async () => {
		const help = await cli('--help');
		expect(help.code).toBe(0);
		expect(help.out).toContain('--skip-invalid');
		const bad = await cli('--bogus');
		expect(bad.code).toBe(2);
		expect(bad.out).toContain("Unknown option '--bogus'");
		expect(bad.out).not.toContain('    at ');
	}, 60_000);

	it('a rejected row rolls the import back: exit 1, the row named, a rejected-rows file, nothing stored', async () => {
		const r = await cli('--kind', 'contacts', '--file', workbook, '--mapping', mappingFile);
		expect(r.code).toBe(1);
		expect(r.out).toMatch(/Rij 6, kolom ‘Datum’/);
		expect(r.out).toContain('Er is niets geïmporteerd');
		const rejected = join(dir, 'contacten.rejected.csv');
		expect(existsSync(rejected)).toBe(true);
		expect(readFileSync(rejected, 'utf8')).toMatch(/^6;|\n6;/);
		expect(await withDb(async (db) => (await db.sql`select count(*)::int as n from contact_moment`)[0]!.n)).toBe(0);
	}, 60_000);

	it('--skip-invalid commits the valid rows and saves the mapping; the next run needs no --mapping and adds nothing', async () => {
		const first = await cli('--kind', 'contacts', '--file', workbook, '--mapping', mappingFile, '--skip-invalid', '--lang', 'en');
		expect(first.code).toBe(0);
		expect(first.out).toContain(`imported ${xlsxFixture.expected.valid}`);
		expect(first.out).toContain('mapping saved for source "contacten"');
		const again = await cli('--kind', 'contacts', '--file', workbook, '--skip-invalid', '--lang', 'en');
		expect(again.code).toBe(0);
		expect(again.out).toContain(`imported 0, updated 0, unchanged ${xlsxFixture.expected.valid}`);
		expect(await withDb(async (db) => (await db.sql`select count(*)::int as n from contact_moment`)[0]!.n)).toBe(xlsxFixture.expected.valid);
	}, 120_000);

	it('every rejected row keeps its reason, past the report’s first 100; --lang en writes the file in English', async () => {
		const file = join(dir, 'veel-fouten.csv');
		const head = 'Datum;Uur;Breedte;Lengte;Type contact;Doelgroep;Aantal;Doorverwezen;Opmerking';
		const bad = Array.from({ length: 500 }, (_, i) => `31/02/2025;10:00;51,05;3,72;Eerste contact;;${1 + (i % 3)};nee;rij ${i}`);
		writeFileSync(file, [head, ...bad].join('\n') + '\n');
		const r = await cli('--kind', 'contacts', '--file', file, '--mapping', mappingFile, '--lang', 'en');
		expect(r.code).toBe(1);
		expect(r.out).toContain('500 rejected');
		// the report lists the first 100 problems: it says there are more, the file has them all
		expect(r.out).toContain('… more than 100 problems in all');
		const lines = readFileSync(join(dir, 'veel-fouten.rejected.csv'), 'utf8')
			.replace(/^\ufeff/, '')
			.trim()
			.split(/\r?\n/);
		expect(lines[0]).toBe(`row;${head};problem`);
		expect(lines).toHaveLength(501);
		lines.slice(1).forEach((line, i) => {
			expect(line.startsWith(`${i + 2};`)).toBe(true);
			expect(line).toMatch(new RegExp(`;Row ${i + 2}, column ‘Datum’: ‘31/02/2025 10:00’ is not an existing date$`));
		});
	}, 60_000);
	it('a foreign-label export imports through a mapping with values; a map naming a missing code is refused by name', async () => {
		const foreign = makeForeign();
		const file = join(dir, 'vorig-systeem.csv');
		writeFileSync(file, foreign.csv);
		const wrong = join(dir, 'wrong-values.json');
		writeFileSync(wrong, JSON.stringify({ ...FOREIGN_COLUMNS, values: FOREIGN_VALUES }));
		const refused = await cli('--kind', 'contacts', '--file', file, '--mapping', wrong, '--source', 'vorig', '--lang', 'en');
		expect(refused.code).toBe(1);
		expect(refused.out).toContain('‘Toeleiding’ to ‘toeleiding’');
		expect(refused.out).not.toContain('    at ');

		const unmapped = await cli('--kind', 'contacts', '--file', file, '--mapping', mappingFor(), '--source', 'vorig', '--dry-run', '--lang', 'en');
		expect(unmapped.out).toMatch(/values not recognised in contactType[^\n]*: Toeleiding \(\d+\)/);
		// with the closest entries, as the page suggests them (never applied by themselves)
		expect(unmapped.out).toMatch(/values not recognised in targetGroups[^\n]*Druggebruikers \(\d+; closest: druggebruik\)/);

		// "Toeleiding" refused on purpose: every other row but the formula's goes in
		const values = { ...FOREIGN_VALUES, contactType: { Toeleiding: null } };
		const ok = join(dir, 'values.json');
		writeFileSync(ok, JSON.stringify({ ...FOREIGN_COLUMNS, values }));
		const r = await cli('--kind', 'contacts', '--file', file, '--mapping', ok, '--source', 'vorig', '--skip-invalid', '--lang', 'en');
		expect(r.code).toBe(0);
		const expected = foreign.rows - foreign.typeRows.Toeleiding! - 1;
		expect(r.out).toContain(`imported ${expected}`);
		const rejected = readFileSync(join(dir, 'vorig-systeem.rejected.csv'), 'utf8');
		expect(rejected).toContain(`'${FORMULA_VALUE.replaceAll('"', '""')}`);
		expect(rejected).toContain('is set to ‘reject these rows’ in the mapping');
		expect(await withDb(async (db) => (await db.sql`select count(*)::int as n from contact_moment where source = 'vorig'`)[0]!.n)).toBe(expected);
	}, 180_000);

	it("a services list with another organisation's category words imports through its `categories` map", async () => {
		const file = join(dir, 'voorzieningen.csv');
		writeFileSync(file, FOREIGN_SERVICES);
		const columns = join(dir, 'service-columns.json');
		writeFileSync(columns, JSON.stringify(FOREIGN_SERVICE_COLUMNS));
		const first = await cli('--kind', 'services', '--file', file, '--mapping', columns, '--source', 'kaart', '--dry-run', '--lang', 'en');
		expect(first.code).toBe(1);
		expect(first.out).toMatch(
			/values not recognised in category \(map them in the mapping under "categories": [^\n]*: Straathoek \(1\), Voedselbedeling \(1\)/
		);

		const mapped = join(dir, 'service-categories.json');
		writeFileSync(mapped, JSON.stringify({ ...FOREIGN_SERVICE_COLUMNS, categories: { Voedselbedeling: 'voedselhulp', Straathoek: null } }));
		const r = await cli('--kind', 'services', '--file', file, '--mapping', mapped, '--source', 'kaart', '--skip-invalid', '--lang', 'en');
		expect(r.code).toBe(0);
		expect(r.out).toContain('imported 5');
		const rejected = readFileSync(join(dir, 'voorzieningen.rejected.csv'), 'utf8').trim().split(/\r?\n/);
		expect(rejected).toHaveLength(2);
		expect(rejected[1]).toMatch(/^7;6;Straathoek Zuid;Straathoek;.*is set to ‘reject these rows’ in the mapping/);
		const stored = await withDb(
			(d) => d.sql`select name from service_location where source = 'kaart' and category = (
			select id from vocabulary v where v.org_id = service_location.org_id and v.kind = 'service_category' and v.code = 'voedselhulp')`
		);
		expect(stored.map((s) => s.name)).toEqual(['Bedeling Sint-Pieters']);
	}, 180_000);

	/** The columns only, no values: what a first run looks like. */
	function mappingFor(): string {
		const f = join(dir, 'columns.json');
		writeFileSync(f, JSON.stringify(FOREIGN_COLUMNS));
		return f;
	}
});
