// A services list from another organisation's system, imported without editing the file: its
// category words are listed with how they matched, the user maps the rest (one value to an entry
// made on the spot, one to "refuse these rows") in the mapping's `categories`, and the commit
// stores every other row under the organisation's own categories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation, getVocabularies } from '../../src/lib/server/organisations';
import { importServices } from '../../src/lib/server/imports/services';
import type { KindImportOptions } from '../../src/lib/server/imports/run';
import { addVocabularyEntry, renameVocabularyEntry } from '../../src/lib/server/vocabulary';
import type { ServiceCsvMapping } from '../../src/lib/domain/import/mapping';
import { UserInputError } from '../../src/lib/domain/errors';
import { GHENT_BBOX, NOW } from '../fixtures/import/make-nasty';
import { FOREIGN_SERVICE_COLUMNS, FOREIGN_SERVICES } from '../fixtures/import/foreign-services';

const mapping = FOREIGN_SERVICE_COLUMNS;

let t: TestDatabase;
let orgId: number;

async function* chunks() {
	yield new TextEncoder().encode(FOREIGN_SERVICES);
}
const opts = (patch: Partial<KindImportOptions> = {}): KindImportOptions => ({
	orgId,
	userId: null,
	source: 'sociale-kaart',
	filename: 'voorzieningen.csv',
	mode: 'dry-run',
	skipInvalid: false,
	now: new Date(NOW),
	...patch
});
const run = (categories: ServiceCsvMapping['categories'], patch: Partial<KindImportOptions> = {}) =>
	importServices(t.sql, { format: 'csv', chunks: chunks(), mapping: { ...mapping, categories } }, opts(patch));

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'andere-stad', name: 'Andere stad', bbox: [...GHENT_BBOX] })).orgId;
	// the organisation's own words: "Nachtopvang" is only the code now, "Inloopcentrum" no label at all
	const cats = (await getVocabularies(t.sql, orgId)).service_category;
	const idOf = (code: string) => cats.find((e) => e.code === code)!.id;
	await renameVocabularyEntry(t.sql, orgId, { userId: null }, 'service_category', idOf('nachtopvang'), 'Nachtasiel', 'Night asylum');
	await renameVocabularyEntry(t.sql, orgId, { userId: null }, 'service_category', idOf('inloop'), 'Inloophuis', 'Drop-in house');
});
afterAll(() => t?.cleanup());

describe(dbTitle('value mapping in the services import'), () => {
	it('the dry run lists each category value with its rows, how it matched and suggestions; nothing is applied', async () => {
		const r = await run(undefined);
		const v = (value: string) => r.values!.values.find((x) => x.field === 'category' && x.value === value);
		expect(v('Nachtopvang')).toMatchObject({ rows: 2, how: 'loose', code: 'nachtopvang' });
		expect(v('Voedselbedeling')).toMatchObject({ rows: 1, how: 'none' });
		// "inloop" is suggested (its code starts the word), but only suggested
		expect(v('Inloopcentrum')).toMatchObject({ rows: 2, how: 'none', suggestions: ['inloop'] });
		expect(v('Straathoek')).toMatchObject({ rows: 1, how: 'none' });
		expect(r.counts).toMatchObject({ records: 6, valid: 2, rejected: 4 });
	});

	it('a map naming a category the organisation lacks is refused under `categories`', async () => {
		const e = await run({ Voedselbedeling: 'voedselbank' }).catch((x) => x);
		expect(e).toBeInstanceOf(UserInputError);
		expect((e as UserInputError).info()).toMatchObject({
			code: 'unknownValueCode',
			param: 'categories',
			values: { value: 'Voedselbedeling', code: 'voedselbank' }
		});
	});

	it('mapped (one value to a new entry, one refused), the rest imports; the refused row says why', async () => {
		const entry = await addVocabularyEntry(t.sql, orgId, { userId: null }, 'service_category', 'Inloopcentrum', 'Drop-in centre');
		const categories = { Voedselbedeling: 'voedselhulp', Inloopcentrum: entry.code, Straathoek: null };
		const dry = await run(categories, { lang: 'en' });
		expect(dry.counts).toMatchObject({ records: 6, valid: 5, rejected: 1 });
		expect(dry.errors.map((e) => [e.row, e.field, e.code, e.value])).toEqual([[7, 'Soort', 'rejected_value', 'Straathoek']]);
		expect(dry.values!.values.filter((x) => x.how === 'none')).toEqual([]);
		expect(dry.values!.values.find((x) => x.value === 'Straathoek')).toMatchObject({ how: 'rejected', rows: 1 });
		const lines = dry.rejectedCsv!.trim().split(/\r?\n/);
		expect(lines).toHaveLength(2);
		expect(lines[1]).toMatch(/^7;6;Straathoek Zuid;Straathoek;.*‘Straathoek’ is set to ‘reject these rows’ in the mapping/);

		const done = await run(categories, { mode: 'commit', skipInvalid: true });
		expect(done.counts).toMatchObject({ imported: 5, rejected: 1 });
		const stored = await t.sql`
			select s.name, v.code from service_location s
			join vocabulary v on v.org_id = s.org_id and v.kind = 'service_category' and v.id = s.category
			where s.org_id = ${orgId} order by s.external_id`;
		expect(stored.map((s) => [s.name, s.code])).toEqual([
			['Asiel Noord', 'nachtopvang'],
			['Asiel Zuid', 'nachtopvang'],
			['Bedeling Sint-Pieters', 'voedselhulp'],
			['De Tinne', entry.code],
			['Het Dok', entry.code]
		]);
	});
});
