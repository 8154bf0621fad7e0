// The vocabulary editor's writes on both databases: add, rename, reorder, retire and merge, each
// audited, and a merge that moves contacts, arrays, services, signals and saved mappings in one
// transaction while the monthly rollup stays equal to a fresh aggregation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation, getRetiredVocabularies, getVocabularies } from '../../src/lib/server/organisations';
import {
	addVocabularyEntry,
	listEntries,
	mergeVocabularyEntries,
	moveVocabularyEntry,
	renameVocabularyEntry,
	setVocabularyEntryActive,
	vocabularyUsage
} from '../../src/lib/server/vocabulary';
import { saveMapping } from '../../src/lib/server/imports/jobs';
import { dataVersion } from '../../src/lib/server/data-version';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { UserInputError } from '../../src/lib/domain/errors';
import { DEFAULT_VOCABULARIES } from '../../src/lib/domain/vocabulary';
import { hexAggregate } from '../../src/lib/server/queries/hexes';
import { publishColumns } from '../../src/lib/domain/privacy';
import { importContacts } from '../../src/lib/server/imports/contacts';

let t: TestDatabase;
let orgId: number;
let otherOrg: number;
const actor = { userId: null };
const cells = [51.03, 51.04].map((lat) => cellToBigInt(latLngToCell(lat, 3.72, 10)).toString());

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'v', name: 'V', bbox: [3.6, 51, 3.8, 51.1] })).orgId;
	otherOrg = (await createOrganisation(t.sql, { slug: 'w', name: 'W', bbox: [3.6, 51, 3.8, 51.1] })).orgId;
});
afterAll(() => t?.cleanup());

async function refusal(p: Promise<unknown>): Promise<UserInputError> {
	const e = await p.then(
		() => null,
		(err: unknown) => err
	);
	expect(e).toBeInstanceOf(UserInputError);
	return e as UserInputError;
}

async function auditRows(action: string) {
	return t.sql`select detail from audit_log where org_id = ${orgId} and action = ${action} order by audit_id`;
}

/** Rows in which the rollup and a fresh aggregation differ (empty when consistent). */
async function drift() {
	return t.sql`
		with fresh as (
			select org_id, contact_month(occurred_at) as month, cell, contact_type, count(*)::int as contacts, sum(persons)::int as persons,
				(count(*) filter (where referral))::int as referrals, max(occurred_at) as last_at
			from contact_moment group by 1, 2, 3, 4
		)
		, rollup as (select org_id, month, cell, contact_type, contacts, persons, referrals, last_at from contact_rollup_month)
		(select 'missing' as kind, * from fresh except select 'missing', * from rollup)
		union all
		(select 'extra', * from rollup except select 'extra', * from fresh)`;
}

describe(dbTitle('vocabulary editor'), () => {
	it('gives a new organisation referral targets copied from its service categories', async () => {
		const v = await getVocabularies(t.sql, orgId);
		expect(v.referral_target.map((e) => e.code)).toEqual(DEFAULT_VOCABULARIES.service_category.map((e) => e.code));
		expect(v.referral_target.find((e) => e.code === 'caw')?.nl).toBe('CAW');
	});

	it('adds an entry with a stable code made from its label, at the end, audited', async () => {
		const before = await dataVersion(t.sql, orgId);
		const e = await addVocabularyEntry(t.sql, orgId, actor, 'theme', '  Wonen en énergie ', '');
		expect(e).toMatchObject({ code: 'wonen_en_energie', nl: 'Wonen en énergie', en: 'Wonen en énergie' });
		expect(e.id).toBe(DEFAULT_VOCABULARIES.theme.length + 1);
		const themes = (await getVocabularies(t.sql, orgId)).theme;
		expect(themes.at(-1)).toEqual(e);
		const [row] = await auditRows('vocabulary.add');
		expect(row!.detail).toMatchObject({ kind: 'theme', id: e.id, code: 'wonen_en_energie' });
		expect(await dataVersion(t.sql, orgId)).not.toBe(before);
		// another organisation's list is its own
		expect((await getVocabularies(t.sql, otherOrg)).theme).toHaveLength(DEFAULT_VOCABULARIES.theme.length);
	});

	it('refuses an empty label and one equal to another entry once case and accents are ignored', async () => {
		const empty = await refusal(addVocabularyEntry(t.sql, orgId, actor, 'target_group', '   ', 'x'));
		expect(empty).toMatchObject({ code: 'vocabularyLabelEmpty', field: 'labelNl' });
		const taken = await refusal(addVocabularyEntry(t.sql, orgId, actor, 'target_group', 'GEISOLEERDE  ouderen', ''));
		expect(taken).toMatchObject({ code: 'vocabularyLabelTaken', field: 'labelNl', values: { label: 'Geïsoleerde ouderen', retired: 0 } });
		const takenEn = await refusal(addVocabularyEntry(t.sql, orgId, actor, 'target_group', 'Daklozen', 'homeless'));
		expect(takenEn).toMatchObject({ code: 'vocabularyLabelTaken', field: 'labelEn' });
		expect((await getVocabularies(t.sql, orgId)).target_group).toHaveLength(DEFAULT_VOCABULARIES.target_group.length);
	});

	it('gives a second entry with a like label its own code', async () => {
		const a = await addVocabularyEntry(t.sql, orgId, actor, 'referral_target', 'Huisarts', 'GP');
		const b = await addVocabularyEntry(t.sql, orgId, actor, 'referral_target', 'Huisarts!', 'GP (other)');
		expect([a.code, b.code]).toEqual(['huisarts', 'huisarts_2']);
	});

	it('renames in both languages and keeps the code', async () => {
		const e = await renameVocabularyEntry(t.sql, orgId, actor, 'theme', 1, 'Wonen', 'Housing and shelter');
		expect(e).toEqual({ id: 1, code: 'huisvesting', nl: 'Wonen', en: 'Housing and shelter' });
		// its own label in other case is no clash with itself
		await renameVocabularyEntry(t.sql, orgId, actor, 'theme', 1, 'wonen', 'Housing and shelter');
		expect((await getVocabularies(t.sql, orgId)).theme[0]).toMatchObject({ id: 1, code: 'huisvesting', nl: 'wonen' });
		const [row] = await auditRows('vocabulary.rename');
		expect(row!.detail).toMatchObject({ id: 1, previousNl: 'Huisvesting', labelNl: 'Wonen' });
		const clash = await refusal(renameVocabularyEntry(t.sql, orgId, actor, 'theme', 1, 'Gezondheid', 'x'));
		expect(clash.code).toBe('vocabularyLabelTaken');
		expect((await refusal(renameVocabularyEntry(t.sql, orgId, actor, 'theme', 999, 'X', 'X'))).code).toBe('vocabularyUnknown');
	});

	it('reorders: every list follows the new order', async () => {
		await moveVocabularyEntry(t.sql, orgId, actor, 'contact_type', 3, 'up');
		await moveVocabularyEntry(t.sql, orgId, actor, 'contact_type', 3, 'up');
		expect((await getVocabularies(t.sql, orgId)).contact_type.map((e) => e.id)).toEqual([3, 1, 2, 4, 5, 6]);
		await moveVocabularyEntry(t.sql, orgId, actor, 'contact_type', 3, 'up'); // already first: no change
		await moveVocabularyEntry(t.sql, orgId, actor, 'contact_type', 1, 'down');
		expect((await getVocabularies(t.sql, orgId)).contact_type.map((e) => e.id)).toEqual([3, 2, 1, 4, 5, 6]);
		expect(await auditRows('vocabulary.reorder')).toHaveLength(3);
	});

	it('retires an entry: lists leave it out, stored contacts keep it, filters get it as retired', async () => {
		await t.sql`
			insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, external_id)
			values (${orgId}, '2026-03-02T10:00:00Z', ${cells[0]!}::bigint, 6, '{3}', 'retire-1')`;
		await setVocabularyEntryActive(t.sql, orgId, actor, 'target_group', 3, false);
		const active = await getVocabularies(t.sql, orgId);
		expect(active.target_group.map((e) => e.id)).not.toContain(3);
		expect((await getRetiredVocabularies(t.sql, orgId)).target_group.map((e) => e.code)).toEqual(['sekswerk']);
		const [c] = await t.sql`select target_groups from contact_moment where org_id = ${orgId} and external_id = 'retire-1'`;
		expect(c!.target_groups).toEqual([3]);
		expect((await vocabularyUsage(t.sql, orgId, 'target_group', 3)).contacts).toBe(1);
		// a new entry cannot take a retired entry's label: bring that one back instead
		const again = await refusal(addVocabularyEntry(t.sql, orgId, actor, 'target_group', 'sekswerk', ''));
		expect(again.values).toMatchObject({ retired: 1 });
		await setVocabularyEntryActive(t.sql, orgId, actor, 'target_group', 3, true);
		expect((await getVocabularies(t.sql, orgId)).target_group.map((e) => e.id)).toContain(3);
		expect((await getRetiredVocabularies(t.sql, orgId)).target_group).toEqual([]);
		expect(await auditRows('vocabulary.retire')).toHaveLength(1);
		expect(await auditRows('vocabulary.unretire')).toHaveLength(1);
	});

	it('never retires the last entry in use', async () => {
		const e = await addVocabularyEntry(t.sql, otherOrg, actor, 'theme', 'Enig', '');
		for (const x of (await listEntries(t.sql, otherOrg, 'theme')).filter((x) => x.id !== e.id))
			await setVocabularyEntryActive(t.sql, otherOrg, actor, 'theme', x.id, false);
		const last = await refusal(setVocabularyEntryActive(t.sql, otherOrg, actor, 'theme', e.id, false));
		expect(last.code).toBe('vocabularyLastEntry');
	});

	it('merges in one transaction: contacts, arrays, services, signals, mappings, rollup history, audit', async () => {
		const sql = t.sql;
		// contact types 4 (crisis) → 5 (begeleiding); target groups 1 → 2; themes 2 → 3; referral target caw (3) → ocmw (2)
		await sql`
			insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, themes, persons, referral, referral_target, external_id)
			values
				(${orgId}, '2025-01-10T10:00:00Z', ${cells[0]!}::bigint, 4, '{1,2}', '{2}', 2, true, 3, 'm1'),
				(${orgId}, '2025-01-11T10:00:00Z', ${cells[0]!}::bigint, 5, '{1}', '{2,3}', 1, true, null, 'm2'),
				(${orgId}, '2025-02-11T10:00:00Z', ${cells[1]!}::bigint, 4, '{4}', '{}', 1, false, null, 'm3'),
				(${orgId}, '2024-06-11T10:00:00Z', ${cells[1]!}::bigint, 4, '{}', '{}', 3, true, 3, 'history')`;
		// a month only the rollup remembers (retention deleted its contacts, keeping the history)
		await sql.begin(async (tx) => {
			await tx`select set_config('atlas.keep_rollup', 'on', true)`;
			await tx`delete from contact_moment where org_id = ${orgId} and external_id = 'history'`;
		});
		const [hist] = await sql`select contact_type, contacts from contact_rollup_month where org_id = ${orgId} and month = '2024-06-01'`;
		expect(hist).toMatchObject({ contact_type: 4, contacts: 1 });
		await sql`
			insert into service_location (org_id, external_id, category, name, cell)
			values (${orgId}, 's1', 3, 'CAW Gent', ${cells[0]!}::bigint), (${orgId}, 's2', 2, 'OCMW', ${cells[1]!}::bigint)`;
		await sql`
			insert into signal (org_id, reported_at, cell, reporter_kind, description, target_groups, external_id)
			values (${orgId}, '2025-01-12T10:00:00Z', ${cells[0]!}::bigint, 'partner', 'x', '{1,2}', 'g1'),
				(${orgId}, '2025-01-12T10:00:00Z', ${cells[0]!}::bigint, 'partner', 'y', '{1}', 'g2')`;
		await saveMapping(
			sql,
			orgId,
			'contacts',
			'oud-systeem',
			{
				contactType: 'Type',
				values: { contactType: { Crisis: 'crisis', Opvolging: 'opvolging' }, targetGroups: { Daklozen: 'dak_thuisloos' } }
			},
			null
		);
		await saveMapping(
			sql,
			orgId,
			'services',
			'sociale-kaart',
			{ categories: { Welzijn: 'CAW', Nacht: 'nachtopvang' }, defaultCategory: 'caw' },
			null
		);

		expect(await vocabularyUsage(sql, orgId, 'contact_type', 4)).toEqual({ contacts: 2, services: 0, signals: 0 });
		const before = await dataVersion(sql, orgId);

		const types = await mergeVocabularyEntries(sql, orgId, actor, 'contact_type', 4, 5);
		expect(types).toEqual({ contacts: 2, services: 0, signals: 0, mappings: 1 });
		const groups = await mergeVocabularyEntries(sql, orgId, actor, 'target_group', 1, 2);
		expect(groups).toEqual({ contacts: 2, services: 0, signals: 2, mappings: 1 });
		await mergeVocabularyEntries(sql, orgId, actor, 'theme', 2, 3);
		const caw = await mergeVocabularyEntries(sql, orgId, actor, 'referral_target', 3, 2);
		expect(caw.contacts).toBe(1);
		const cats = await mergeVocabularyEntries(sql, orgId, actor, 'service_category', 3, 2);
		expect(cats).toEqual({ contacts: 0, services: 1, signals: 0, mappings: 1 });

		const rows = await sql`
			select external_id, contact_type, target_groups, themes, referral, referral_target
			from contact_moment where org_id = ${orgId} and external_id like 'm%' order by external_id`;
		expect(rows.map((r) => ({ ...r }))).toEqual([
			{ external_id: 'm1', contact_type: 5, target_groups: [2], themes: [3], referral: true, referral_target: 2 },
			{ external_id: 'm2', contact_type: 5, target_groups: [2], themes: [3], referral: true, referral_target: null },
			{ external_id: 'm3', contact_type: 5, target_groups: [4], themes: [], referral: false, referral_target: null }
		]);
		const signals = await sql`select target_groups from signal where org_id = ${orgId} order by external_id`;
		expect(signals.map((s) => s.target_groups)).toEqual([[2], [2]]);
		const services = await sql`select external_id, category from service_location where org_id = ${orgId} order by external_id`;
		expect(services.map((s) => s.category)).toEqual([2, 2]);

		const mappings = await sql`select source, mapping from import_mapping where org_id = ${orgId} order by source`;
		expect(mappings[0]!.mapping).toEqual({
			contactType: 'Type',
			values: { contactType: { Crisis: 'begeleiding', Opvolging: 'opvolging' }, targetGroups: { Daklozen: 'druggebruik' } }
		});
		expect(mappings[1]!.mapping).toEqual({ categories: { Welzijn: 'ocmw', Nacht: 'nachtopvang' }, defaultCategory: 'ocmw' });

		// The rollup equals a fresh aggregation, except the history month, which moved with the merge.
		const d = await drift();
		expect(d.map((r) => (r.month instanceof Date ? r.month.toISOString().slice(0, 7) : String(r.month).slice(0, 7)))).toEqual(['2024-06']);
		const history =
			await sql`select contact_type, contacts, persons, referrals from contact_rollup_month where org_id = ${orgId} and month = '2024-06-01'`;
		expect(history.map((r) => ({ ...r }))).toEqual([{ contact_type: 5, contacts: 1, persons: 3, referrals: 1 }]);
		expect(await sql`select 1 from contact_rollup_month where org_id = ${orgId} and contact_type = 4`).toHaveLength(0);

		// The merged entry is retired and marked, and left out of the "no longer used" lists.
		const merged = (await listEntries(sql, orgId, 'contact_type')).find((e) => e.id === 4)!;
		expect(merged).toMatchObject({ active: false, mergedInto: 5 });
		expect((await getRetiredVocabularies(sql, orgId)).contact_type).toEqual([]);
		expect((await getVocabularies(sql, orgId)).contact_type.map((e) => e.id)).not.toContain(4);
		expect((await refusal(setVocabularyEntryActive(sql, orgId, actor, 'contact_type', 4, true))).code).toBe('vocabularyMerged');

		const audits = await auditRows('vocabulary.merge');
		expect(audits).toHaveLength(5);
		expect(audits[0]!.detail).toMatchObject({ kind: 'contact_type', id: 4, into: 5, contacts: 2, mappings: 1 });
		expect(await dataVersion(sql, orgId)).not.toBe(before);
	});

	it('refuses a merge into itself, into a retired entry, or of an unknown entry, and changes nothing', async () => {
		expect(await refusal(mergeVocabularyEntries(t.sql, orgId, actor, 'theme', 3, 3))).toMatchObject({ code: 'vocabularyMergeSelf', field: 'into' });
		expect((await refusal(mergeVocabularyEntries(t.sql, orgId, actor, 'theme', 3, 2))).code).toBe('vocabularyMergeRetired');
		expect((await refusal(mergeVocabularyEntries(t.sql, orgId, actor, 'theme', 77, 3))).code).toBe('vocabularyUnknown');
		expect(await auditRows('vocabulary.merge')).toHaveLength(5);
	});

	it('rolls a failed merge back whole', async () => {
		// a mapping row the merge will rewrite, then a failure after it: nothing may stay changed
		await saveMapping(t.sql, orgId, 'signals', 'partner', { values: { targetGroups: { Jong: 'jongeren' } } }, null);
		await t.sql`
			insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, external_id)
			values (${orgId}, '2025-03-01T10:00:00Z', ${cells[0]!}::bigint, 1, '{4}', 'rb1')`;
		await t.sql`create or replace function fail_vocab() returns trigger language plpgsql as $$ begin raise exception 'boom'; end $$`;
		await t.sql`create trigger fail_vocab before update on vocabulary for each row when (new.merged_into is not null) execute function fail_vocab()`;
		try {
			await expect(mergeVocabularyEntries(t.sql, orgId, actor, 'target_group', 4, 5)).rejects.toThrow(/boom/);
		} finally {
			await t.sql`drop trigger fail_vocab on vocabulary`;
		}
		const [c] = await t.sql`select target_groups from contact_moment where org_id = ${orgId} and external_id = 'rb1'`;
		expect(c!.target_groups).toEqual([4]);
		const [m] = await t.sql`select mapping from import_mapping where org_id = ${orgId} and source = 'partner'`;
		expect(m!.mapping).toEqual({ values: { targetGroups: { Jong: 'jongeren' } } });
		expect((await listEntries(t.sql, orgId, 'target_group')).find((e) => e.id === 4)?.active).toBe(true);
	});
});

describe(dbTitle('referrals by target'), () => {
	it('gives each cell its largest referral target, from contacts with a known target only', async () => {
		const sql = t.sql;
		const org = (await createOrganisation(sql, { slug: 'rt', name: 'RT', bbox: [3.6, 51, 3.8, 51.1] })).orgId;
		// 12 referrals in one cell: 7 to CAW (3), 3 to OCMW (2), 2 without a target; 1 contact without a referral
		await sql`
			insert into contact_moment (org_id, occurred_at, cell, contact_type, referral, referral_target, external_id)
			select ${org}, timestamptz '2026-02-10 10:00:00+00' + i * interval '1 hour', ${cells[0]!}::bigint, 1,
				i <= 12, case when i <= 7 then 3 when i <= 10 then 2 end, 'r' || i
			from generate_series(1, 13) as i`;
		const q = { res: 8, from: '2026-01-01', to: '2026-03-31', types: null, groups: null, teams: null, bbox: null };
		const cols = await hexAggregate(sql, org, q, { targets: true });
		expect(cols.referrals).toEqual([12]);
		expect(cols.topTarget).toEqual([3]);
		expect(cols.topTargetReferrals).toEqual([7]);
		// a contact-type filter narrows the split too
		const none = await hexAggregate(sql, org, { ...q, types: [2] }, { targets: true });
		expect(none.cells).toEqual([]);
		// analysts: 7 is published as 5 with k = 5; with k = 10 the target is not shown at all
		// (the referrals themselves get the cell-key noise, see privacy.ts)
		const keyed = { ...cols, contactKeys: cols.cells.map(() => 0), referralKeys: cols.cells.map(() => 0) };
		expect(publishColumns(keyed, 5)).toMatchObject({ topTarget: [3], topTargetReferrals: [5] });
		expect(publishColumns(keyed, 10)).toMatchObject({ topTarget: [null], topTargetReferrals: [null] });
		// without the option the columns are left out (hot spots do not need them)
		expect((await hexAggregate(sql, org, q)).topTarget).toBeUndefined();
	});
});

describe(dbTitle('a referral column naming targets'), () => {
	it('imports yes/no and a target by code or label, and re-imports with nothing changed', async () => {
		const sql = t.sql;
		const org = (await createOrganisation(sql, { slug: 'imp-rt', name: 'Import RT', bbox: [3.6, 51, 3.8, 51.1] })).orgId;
		const csv = [
			'Datum;Breedte;Lengte;Type;Doorverwezen naar',
			'03/03/2026 10:00;51,05;3,72;Opvolgcontact;CAW',
			'03/03/2026 11:00;51,05;3,72;Opvolgcontact;ocmw / Sociale Dienst',
			'03/03/2026 12:00;51,05;3,72;Opvolgcontact;ja',
			'03/03/2026 13:00;51,05;3,72;Opvolgcontact;nee',
			'03/03/2026 14:00;51,05;3,72;Opvolgcontact;Huisarts'
		].join('\r\n');
		const run = () =>
			importContacts(
				sql,
				(async function* () {
					yield new TextEncoder().encode(csv);
				})(),
				{
					orgId: org,
					userId: null,
					mapping: { occurredAt: 'Datum', lat: 'Breedte', lng: 'Lengte', contactType: 'Type', referral: 'Doorverwezen naar' },
					source: 'oud',
					filename: 'oud.csv',
					mode: 'commit',
					skipInvalid: true,
					now: new Date('2026-06-01T00:00:00Z')
				}
			);
		const first = await run();
		expect(first.counts).toMatchObject({ imported: 4, rejected: 1 });
		expect(first.errors.map((e) => [e.row, e.code])).toEqual([[6, 'invalid_referral']]);
		const rows = await sql`select referral, referral_target from contact_moment where org_id = ${org} order by occurred_at`;
		expect(rows.map((r) => [r.referral, r.referral_target])).toEqual([
			[true, 3],
			[true, 2],
			[true, null],
			[false, null]
		]);
		const again = await run();
		expect(again.counts).toMatchObject({ imported: 0, updated: 0 });
	});
});
