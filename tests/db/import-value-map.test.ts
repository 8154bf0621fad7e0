// Another system's export, imported without editing the file: the dry run lists each distinct
// value with how it matched, the user maps the rest (one value to a new entry, one to "refuse"),
// and the commit stores every other row with the organisation's own entries. Re-running adds
// nothing. A map naming a code the organisation lacks is refused before anything is read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation, getVocabularies } from '../../src/lib/server/organisations';
import { importContacts, type ContactImportOptions } from '../../src/lib/server/imports/contacts';
import { addVocabularyEntry } from '../../src/lib/server/vocabulary';
import { UserInputError } from '../../src/lib/domain/errors';
import { FOREIGN_COLUMNS, FOREIGN_NOW, FOREIGN_VALUES, FORMULA_VALUE, makeForeign } from '../fixtures/import/make-foreign';
import { GHENT_BBOX } from '../fixtures/import/make-nasty';

let t: TestDatabase;
let orgId: number;
const file = makeForeign();
const bytes = new TextEncoder().encode(file.csv);

async function* chunks(size = 16 * 1024) {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const opts = (patch: Partial<ContactImportOptions> = {}): ContactImportOptions => ({
	orgId,
	userId: null,
	mapping: FOREIGN_COLUMNS,
	source: 'vorig-systeem',
	filename: 'foreign-labels.csv',
	mode: 'dry-run',
	skipInvalid: false,
	now: new Date(FOREIGN_NOW),
	...patch
});

const count = async () => (await t.sql`select count(*)::int as n from contact_moment where org_id = ${orgId}`)[0]!.n as number;

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'vreemd', name: 'Tweede organisatie', bbox: [...GHENT_BBOX] })).orgId;
});
afterAll(() => t?.cleanup());

describe(dbTitle('value mapping in the contacts import'), () => {
	it('the dry run lists each distinct value with its rows, how it matched, and suggestions', async () => {
		const r = await importContacts(t.sql, chunks(), opts());
		const v = (field: string, value: string) => r.values!.values.find((x) => x.field === field && x.value === value);
		expect(v('contactType', 'Toeleiding')).toMatchObject({ rows: file.typeRows.Toeleiding, how: 'none', suggestions: [] });
		expect(v('contactType', 'Eerste contact')).toMatchObject({ rows: file.typeRows['Eerste contact'], how: 'exact', code: 'eerste_contact' });
		// the code of "Opvolgcontact" is "opvolging": found, ignoring case
		expect(v('contactType', 'Opvolging')).toMatchObject({ rows: file.typeRows.Opvolging, how: 'loose', code: 'opvolging' });
		expect(v('targetGroups', 'Dak- en thuislozen')).toMatchObject({ how: 'none', suggestions: ['dak_thuisloos'] });
		expect(v('targetGroups', 'Druggebruikers')).toMatchObject({ how: 'none', suggestions: ['druggebruik'] });
		expect(v('targetGroups', FORMULA_VALUE)).toMatchObject({ rows: 1, how: 'none' });
		expect(v('themes', 'Wonen')).toMatchObject({ how: 'none', suggestions: [] });
		// "Inkomen" is the code of "Inkomen en schulden"
		expect(v('themes', 'Inkomen')).toMatchObject({ how: 'loose', code: 'inkomen' });
		// multi-valued cells are split on the file's default separators ('|' and ',' in a ';' file)
		expect(v('targetGroups', 'Dak- en thuislozen|Druggebruikers')).toBeUndefined();
		expect(r.counts.rejected).toBeGreaterThan(file.rows / 2);
		expect(await count()).toBe(0);
	});

	it('a map naming a code the organisation lacks is refused, naming the value and the code', async () => {
		const e = await importContacts(t.sql, chunks(), opts({ mapping: { ...FOREIGN_COLUMNS, values: FOREIGN_VALUES } })).catch((x) => x);
		expect(e).toBeInstanceOf(UserInputError);
		expect((e as UserInputError).info()).toMatchObject({
			code: 'unknownValueCode',
			param: 'values.contactType',
			values: { value: 'Toeleiding', code: 'toeleiding' }
		});
	});

	it('a new entry is added at the end of the list, in the audit log; a label equal to another one is refused', async () => {
		const entry = await addVocabularyEntry(t.sql, orgId, { userId: null }, 'contact_type', 'Toeleiding', 'Referral');
		expect(entry).toMatchObject({ code: 'toeleiding', nl: 'Toeleiding', en: 'Referral' });
		const types = (await getVocabularies(t.sql, orgId)).contact_type;
		expect(types.at(-1)).toMatchObject({ code: 'toeleiding' });
		const [a] = await t.sql`select detail from audit_log where org_id = ${orgId} and action = 'vocabulary.add'`;
		expect(a!.detail).toMatchObject({ kind: 'contact_type', code: 'toeleiding' });
		const taken = await addVocabularyEntry(t.sql, orgId, { userId: null }, 'target_group', 'dak- en THUISLOOS', '').catch((x) => x);
		expect((taken as UserInputError).info()).toMatchObject({
			code: 'vocabularyLabelTaken',
			param: 'labelNl',
			values: { label: 'Dak- en thuisloos' }
		});
		const empty = await addVocabularyEntry(t.sql, orgId, { userId: null }, 'theme', '   ', '').catch((x) => x);
		expect((empty as UserInputError).info()).toMatchObject({ code: 'vocabularyLabelEmpty', param: 'labelNl' });
	});

	it('mapped, the file imports whole but the refused row; the rejected file says why and defuses the formula', async () => {
		const mapping = { ...FOREIGN_COLUMNS, values: FOREIGN_VALUES };
		const dry = await importContacts(t.sql, chunks(), opts({ mapping }));
		expect(dry.counts).toMatchObject({ records: file.rows, valid: file.rows - 1, rejected: 1 });
		expect(dry.errors).toEqual([expect.objectContaining({ row: file.formulaRow, field: 'Doelgroep', code: 'rejected_value', value: FORMULA_VALUE })]);
		expect(dry.values!.values.filter((x) => x.how === 'none')).toEqual([]);
		expect(dry.rejectedCsv).toContain(`'${FORMULA_VALUE.replaceAll('"', '""')}`);

		// without skipping, the one rejected row keeps everything out
		const all = await importContacts(t.sql, chunks(), opts({ mapping, mode: 'commit' }));
		expect(all.status).toBe('rolled-back');
		expect(await count()).toBe(0);

		const done = await importContacts(t.sql, chunks(), opts({ mapping, mode: 'commit', skipInvalid: true }));
		expect(done.counts).toMatchObject({ imported: file.rows - 1, rejected: 1 });
		expect(await count()).toBe(file.rows - 1);
		const ids = Object.fromEntries((await getVocabularies(t.sql, orgId)).contact_type.map((e) => [e.code, e.id]));
		const [byType] = await t.sql`
			select count(*) filter (where contact_type = ${ids.toeleiding!})::int as toeleiding,
			       count(*) filter (where contact_type = ${ids.opvolging!})::int as opvolging
			from contact_moment where org_id = ${orgId}`;
		expect(byType).toEqual({ toeleiding: file.typeRows.Toeleiding, opvolging: file.typeRows.Opvolging });
		const [multi] = await t.sql`
			select count(*)::int as n from contact_moment c
			join vocabulary a on a.org_id = c.org_id and a.kind = 'target_group' and a.code = 'dak_thuisloos' and a.id = any (c.target_groups)
			join vocabulary b on b.org_id = c.org_id and b.kind = 'target_group' and b.code = 'druggebruik' and b.id = any (c.target_groups)
			where c.org_id = ${orgId}`;
		expect(multi!.n).toBeGreaterThan(0);

		const again = await importContacts(t.sql, chunks(), opts({ mapping, mode: 'commit', skipInvalid: true }));
		expect(again.counts).toMatchObject({ imported: 0, updated: 0, unchanged: file.rows - 1 });
		expect(await count()).toBe(file.rows - 1);
	});
});
