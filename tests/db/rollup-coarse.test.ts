// contact_rollup_coarse (migration 0018) answers the map at resolutions 7 to 9, filtered by one
// target group or by contact types, as the raw contacts do: every answer here is compared with
// the same question asked of contact_moment directly, over random contacts and random questions,
// and again after an import, a deletion and vocabulary merges. The analyst's published figures
// (cell keys, suppression) come out the same as from the raw contacts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellToChildren, latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { cellToBigInt, packCell } from '../../src/lib/domain/cells';
import { coarseServes, hexAggregate, hexAggregateKeyed, splitAggregateKeyed, type KeyedHexColumns } from '../../src/lib/server/queries/hexes';
import { groupAggregateKeyed, publishedHexes } from '../../src/lib/server/queries/published';
import { CELL_KEY_MODULUS, publishColumns } from '../../src/lib/domain/privacy';
import type { HexQuery } from '../../src/lib/domain/hex-query';
import { addDays } from '../../src/lib/domain/calendar';
import { mergeVocabularyEntries } from '../../src/lib/server/vocabulary';
import { importContacts } from '../../src/lib/server/imports/contacts';
import { applyRetention } from '../../src/lib/server/retention';

let t: TestDatabase;

// Cells at storage resolution 10 under a few resolution-8 cells of Ghent, so that questions at
// resolutions 7 to 9 group several stored cells into one.
const CELLS = [
	[51.05, 3.72],
	[51.03, 3.7],
	[51.07, 3.75]
].flatMap(([lat, lng]) =>
	cellToChildren(latLngToCell(lat!, lng!, 8), 10)
		.filter((_, i) => i % 7 === 0)
		.map((c) => cellToBigInt(c).toString())
);
const FIRST_DAY = '2025-11-20';
const DAYS = 130; // crosses several month ends, and the change to summer time
const GROUPS = [1, 2, 3, 4, 5];
const TYPES = [1, 2, 3, 4];

beforeAll(async () => {
	t = await openTestDatabase();
});
afterAll(() => t?.cleanup());

let orgSeq = 0;
async function newOrg(): Promise<number> {
	orgSeq++;
	return (await createOrganisation(t.sql, { slug: `rc${orgSeq}`, name: `RC ${orgSeq}`, bbox: [3.6, 51, 3.8, 51.1] })).orgId;
}

interface Contact {
	day: number;
	minute: number;
	cell: number;
	type: number;
	groups: number[];
	persons: number;
	referral: boolean;
}

const contactArb = fc.record({
	day: fc.integer({ min: 0, max: DAYS - 1 }),
	minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
	cell: fc.integer({ min: 0, max: CELLS.length - 1 }),
	type: fc.constantFrom(...TYPES),
	groups: fc.uniqueArray(fc.constantFrom(...GROUPS), { maxLength: 3 }),
	persons: fc.integer({ min: 1, max: 4 }),
	referral: fc.boolean()
});

async function insertContacts(orgId: number, rows: Contact[], prefix: string) {
	if (rows.length === 0) return;
	// Local times in Brussels, so contacts just after midnight fall on the next day there.
	await t.sql`
		insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, persons, referral, external_id)
		select ${orgId}, (d::date + m * interval '1 minute')::timestamp at time zone 'Europe/Brussels', c, ct, tg::smallint[], p, r, ${prefix} || i
		from unnest(
			${rows.map((r) => addDays(FIRST_DAY, r.day))}::text[], ${rows.map((r) => r.minute)}::int[],
			${rows.map((r) => CELLS[r.cell]!)}::bigint[], ${rows.map((r) => r.type)}::smallint[],
			${rows.map((r) => `{${r.groups.join(',')}}`)}::text[], ${rows.map((r) => r.persons)}::smallint[],
			${rows.map((r) => String(r.referral))}::text[]::boolean[]
		) with ordinality as u(d, m, c, ct, tg, p, r, i)`;
}

const questionArb = fc.record({
	res: fc.integer({ min: 7, max: 9 }),
	start: fc.integer({ min: -5, max: DAYS }),
	length: fc.integer({ min: 1, max: DAYS }),
	types: fc.option(fc.uniqueArray(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 2 })),
	group: fc.option(fc.constantFrom(...GROUPS, 9))
});

function toQuery(a: { res: number; start: number; length: number; types: number[] | null; group: number | null }): HexQuery {
	const from = addDays(FIRST_DAY, a.start);
	return { res: a.res, from, to: addDays(from, a.length - 1), types: a.types, groups: a.group === null ? null : [a.group], teams: null, bbox: null };
}

/** The question asked of contact_moment directly: per cell (and contact type), with key sums. */
async function raw(orgId: number, q: HexQuery, byType: boolean) {
	return t.sql`
		select to_hex(c) as cell, type,
			count(*)::int as contacts, sum(persons)::int as persons, (count(*) filter (where referral))::int as referrals,
			(${q.to}::date - max((occurred_at at time zone 'Europe/Brussels')::date)) as days,
			(sum(record_key::bigint) % ${CELL_KEY_MODULUS})::int as ck,
			(coalesce(sum(record_key::bigint) filter (where referral), 0) % ${CELL_KEY_MODULUS})::int as rk
		from (
			select h3_parent(cell, ${q.res}) as c, ${byType ? t.sql`contact_type` : t.sql`0`}::int as type, persons, referral, occurred_at, record_key
			from contact_moment
			where org_id = ${orgId}
				and occurred_at >= (${q.from}::date::timestamp at time zone 'Europe/Brussels')
				and occurred_at < ((${q.to}::date + 1)::timestamp at time zone 'Europe/Brussels')
				${q.types ? t.sql`and contact_type = any(${q.types}::smallint[])` : t.sql``}
				${q.groups ? t.sql`and target_groups && ${q.groups}::smallint[]` : t.sql``}
		) as x
		group by c, type order by c, type`;
}

function keyedOf(q: HexQuery, rows: readonly Record<string, unknown>[]): KeyedHexColumns {
	return {
		res: q.res,
		from: q.from,
		to: q.to,
		cells: rows.map((r) => packCell(r.cell as string)),
		contacts: rows.map((r) => r.contacts as number),
		persons: rows.map((r) => r.persons as number),
		referrals: rows.map((r) => r.referrals as number),
		daysSinceLast: rows.map((r) => r.days as number),
		contactKeys: rows.map((r) => r.ck as number),
		referralKeys: rows.map((r) => r.rk as number)
	};
}

/** The map's answer, the keyed answer and the analyst's published answer all equal the raw ones. */
async function expectSameAsRaw(orgId: number, q: HexQuery) {
	const all = await raw(orgId, q, false);
	const expected = keyedOf(q, all);
	const { contactKeys, referralKeys, ...plain } = expected;
	expect(await hexAggregate(t.sql, orgId, q)).toEqual(plain);
	const byType = !q.types && !q.groups;
	const keyed = await hexAggregateKeyed(t.sql, orgId, q, byType);
	expect(keyed.all).toEqual({ ...plain, contactKeys, referralKeys });
	const typeRows = byType ? await raw(orgId, q, true) : [];
	const types = new Map<number, KeyedHexColumns>();
	for (const type of new Set(typeRows.map((r) => r.type as number)))
		types.set(
			type,
			keyedOf(
				q,
				typeRows.filter((r) => r.type === type)
			)
		);
	expect(keyed.types).toEqual(types);
	for (const k of [3, 5]) {
		const published = publishColumns(expected, k, [...types.values()]);
		// the cells as published from the raw contacts; the totals also carry guards against the
		// areas and target groups (privacy-attacks.test.ts), the same code whatever the source
		const { totals, ...cells } = await publishedHexes(t.sql, orgId, q, k);
		expect(cells).toEqual({ res: q.res, from: q.from, to: q.to, ...published, totals: undefined });
		expect(totals.contacts === null || published.totals.contacts === null || totals.contacts >= published.totals.contacts).toBe(true);
	}
	if (byType) {
		// the reports' split by target group (what publishedQuestion guards with) equals each
		// group's raw question, keys and all
		const groups = new Map<number, KeyedHexColumns>();
		for (const g of GROUPS) {
			const rows = await raw(orgId, { ...q, groups: [g] }, false);
			if (rows.length) groups.set(g, keyedOf(q, rows));
		}
		const byGroup = await groupAggregateKeyed(t.sql, orgId, q);
		expect(byGroup).toEqual(groups);
		// the published path's one statement gives what the two queries give, in the same order
		const split = await splitAggregateKeyed(t.sql, orgId, q);
		if (coarseServes(q)) {
			expect(split).toEqual({ all: keyed.all, types: keyed.types, groups: byGroup });
			expect([...split!.types.keys()]).toEqual([...keyed.types.keys()]);
			expect([...split!.groups.keys()]).toEqual([...byGroup.keys()]);
		} else expect(split).toBeNull();
	}
}

/** Rows in which contact_rollup_coarse and a fresh aggregation of the contacts differ. */
async function drift(orgId: number) {
	return t.sql`
		with grp as (
			select 0 as g union select distinct unnest(target_groups) from contact_moment where org_id = ${orgId}
		), d as (
			select 'd'::text as grain, (occurred_at at time zone 'Europe/Brussels')::date as period, g.g::int as target_group,
				h3_parent(cell, 9) as cell, ty.t as contact_type, count(*)::int as contacts, sum(persons)::int as persons,
				(count(*) filter (where referral))::int as referrals, max(occurred_at) as last_at,
				sum(record_key::bigint) as ks, coalesce(sum(record_key::bigint) filter (where referral), 0) as rks
			from contact_moment c join grp g on g.g = 0 or c.target_groups && array[g.g]::smallint[]
			cross join lateral (values (c.contact_type::int), (0)) as ty (t) -- 0: all types
			where org_id = ${orgId} and (g.g = 0 or ty.t = 0) -- groups are not split by type
			group by 2, 3, 4, 5
		), fresh as (
			select grain, period, target_group, cell, contact_type, contacts, persons, referrals, last_at,
				(ks % 1073741824)::int as key_sum, (rks % 1073741824)::int as referral_key_sum from d
			union all
			select 'm', date_trunc('month', period)::date, target_group, cell, contact_type, sum(contacts)::int, sum(persons)::int,
				sum(referrals)::int, max(last_at), (sum(ks) % 1073741824)::int, (sum(rks) % 1073741824)::int
			from d group by 2, 3, 4, 5
		), stored as (
			select grain::text, period, target_group::int, cell, contact_type::int, contacts, persons, referrals, last_at, key_sum, referral_key_sum
			from contact_rollup_coarse where org_id = ${orgId}
		)
		(select 'missing' as kind, * from (select * from fresh except select * from stored) x)
		union all
		(select 'extra', * from (select * from stored except select * from fresh) y)`;
}

describe(dbTitle('contact_rollup_coarse'), () => {
	it('answers random filtered questions as the raw contacts do', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(contactArb, { minLength: 1, maxLength: 60 }),
				fc.array(questionArb, { minLength: 1, maxLength: 6 }),
				async (contacts, questions) => {
					const orgId = await newOrg();
					await insertContacts(orgId, contacts.slice(0, 40), 'a');
					await insertContacts(orgId, contacts.slice(40), 'b'); // the trigger adds to existing rows
					expect(await drift(orgId)).toEqual([]);
					for (const a of questions) {
						const q = toQuery(a);
						// a group with a type filter reads contact_moment: the same answer either way
						expect(coarseServes(q)).toBe(!(q.groups && q.types));
						await expectSameAsRaw(orgId, q);
					}
				}
			),
			{ numRuns: 25, seed: 1811 }
		);
	});

	describe('after writes', () => {
		let orgId: number;
		const sample = fc.sample(contactArb, { numRuns: 400, seed: 42 });
		const questions = fc.sample(questionArb, { numRuns: 12, seed: 7 }).map(toQuery);
		const check = async () => {
			expect(await drift(orgId)).toEqual([]);
			for (const q of questions) await expectSameAsRaw(orgId, q);
		};

		beforeAll(async () => {
			orgId = await newOrg();
			await insertContacts(orgId, sample, 'x');
		});

		it('starts consistent', check);

		it('follows an import commit (new rows and updated ones)', async () => {
			const csv = (rows: string[]) =>
				(async function* () {
					yield new TextEncoder().encode(['Datum;Breedte;Lengte;Type;Doelgroep;Id', ...rows].join('\r\n'));
				})();
			const opts = {
				orgId,
				userId: null,
				mapping: { occurredAt: 'Datum', lat: 'Breedte', lng: 'Lengte', contactType: 'Type', targetGroups: 'Doelgroep', externalId: 'Id' },
				source: 'registratie',
				filename: 'r.csv',
				mode: 'commit' as const,
				skipInvalid: true,
				now: new Date('2026-06-01T00:00:00Z')
			};
			const first = await importContacts(
				t.sql,
				csv(['03/01/2026 23:30;51,05;3,72;Kort contact;Jongeren;i1', '04/01/2026 10:00;51,03;3,70;Kort contact;Jongeren, Dak- en thuisloos;i2']),
				opts
			);
			expect(first.counts).toMatchObject({ imported: 2 });
			await check();
			// the same ids again with other values: an update of the stored rows
			const second = await importContacts(
				t.sql,
				csv(['03/02/2026 23:30;51,05;3,72;Kort contact;Dak- en thuisloos;i1', '04/01/2026 10:00;51,07;3,75;Kort contact;Jongeren;i2']),
				opts
			);
			expect(second.counts).toMatchObject({ updated: 2 });
			await check();
		});

		it('follows deletions', async () => {
			await t.sql`delete from contact_moment where org_id = ${orgId} and external_id like 'x1%'`;
			await check();
			await t.sql`update contact_moment set persons = persons + 1 where org_id = ${orgId} and external_id like 'x2%'`;
			await check();
		});

		it('follows target-group and contact-type merges', async () => {
			await mergeVocabularyEntries(t.sql, orgId, { userId: null }, 'target_group', 2, 1);
			await check();
			await mergeVocabularyEntries(t.sql, orgId, { userId: null }, 'contact_type', 3, 4);
			await check();
			// a theme merge changes nothing the rollup counts
			const before = await t.sql`select * from contact_rollup_coarse where org_id = ${orgId} order by 2, 3, 4, 5, 6`;
			await mergeVocabularyEntries(t.sql, orgId, { userId: null }, 'theme', 2, 1);
			expect(await t.sql`select * from contact_rollup_coarse where org_id = ${orgId} order by 2, 3, 4, 5, 6`).toEqual(before);
		});
	});

	it('reads contact_moment for several groups at once, counting a contact in two of them once', async () => {
		const orgId = await newOrg();
		await insertContacts(orgId, [{ day: 3, minute: 600, cell: 0, type: 1, groups: [1, 2], persons: 1, referral: false }], 'm');
		const q: HexQuery = { res: 9, from: FIRST_DAY, to: addDays(FIRST_DAY, 9), types: null, groups: [1, 2], teams: null, bbox: null };
		expect(coarseServes(q)).toBe(false);
		expect((await hexAggregate(t.sql, orgId, q)).contacts).toEqual([1]);
		await expectSameAsRaw(orgId, q);
		// resolution 10 and team filters are not in this rollup either
		expect(coarseServes({ ...q, groups: [1], res: 10 })).toBe(false);
		expect(coarseServes({ ...q, groups: null, teams: [1] })).toBe(false);
		expect(coarseServes({ ...q, groups: [1], types: [1] })).toBe(false);
		expect(coarseServes({ ...q, groups: [1] })).toBe(true);
	});

	it('answers questions at resolution 10, split by type and by group, from contact_moment as the raw contacts do', async () => {
		const orgId = await newOrg();
		await insertContacts(orgId, fc.sample(contactArb, { numRuns: 300, seed: 5 }), 'r10');
		for (const q of fc.sample(questionArb, { numRuns: 6, seed: 3 }).map(toQuery)) {
			const fine = { ...q, res: 10 };
			expect(coarseServes(fine)).toBe(false);
			// without a filter: hexAggregateKeyed by type and groupAggregateKeyed's contact rows
			await expectSameAsRaw(orgId, { ...fine, types: null, groups: null });
			await expectSameAsRaw(orgId, fine);
		}
	});

	it('goes with its organisation, kept months and all (the rollups have no foreign key: migration 0021)', async () => {
		const orgId = await newOrg();
		const other = await newOrg();
		const contacts = fc.sample(contactArb, { numRuns: 50, seed: 5 });
		await insertContacts(orgId, contacts, 'g');
		await insertContacts(other, contacts, 'g');
		const rows = async (org: number) =>
			(
				await t.sql`
					select (select count(*) from contact_rollup_coarse where org_id = ${org})::int as coarse,
						(select count(*) from contact_rollup_month where org_id = ${org})::int as month`
			)[0];
		expect((await rows(orgId))!.coarse).toBeGreaterThan(0);
		expect((await rows(orgId))!.month).toBeGreaterThan(0);
		const before = await rows(other);
		// retention keeps months without their contacts; those go too
		await t.sql.begin(async (tx) => {
			await tx`select set_config('atlas.keep_rollup', 'on', true)`;
			await tx`delete from contact_moment where org_id = ${orgId}`;
		});
		expect((await rows(orgId))!.coarse).toBeGreaterThan(0);
		await t.sql`delete from organisation where org_id = ${orgId}`;
		expect(await rows(orgId)).toEqual({ coarse: 0, month: 0 });
		expect(await rows(other)).toEqual(before);
	});

	it('keeps the months of all contacts through retention, as contact_rollup_month does, and drops the rest', async () => {
		const orgId = await newOrg();
		await t.sql`update organisation set retention_months = 3 where org_id = ${orgId}`;
		await insertContacts(orgId, fc.sample(contactArb, { numRuns: 200, seed: 3 }), 'r');
		await applyRetention(t.sql, new Date('2026-05-15T10:00:00Z')); // horizon 1 February 2026
		const kept = await t.sql`
			select grain::text, target_group, count(*)::int as n from contact_rollup_coarse
			where org_id = ${orgId} and period < '2026-02-01' group by 1, 2 order by 1, 2`;
		expect(kept.map((r) => [r.grain, r.target_group])).toEqual([['m', 0]]);
		// the kept months equal contact_rollup_month's, cells at resolution 9, last_at at the month start
		const [diff] = await t.sql`
			with a as (
				select month as period, h3_parent(cell, 9) as cell, contact_type, sum(contacts)::int as contacts, sum(persons)::int as persons,
					sum(referrals)::int as referrals, max(last_at) as last_at, (sum(key_sum::bigint) % 1073741824)::int as key_sum
				from contact_rollup_month where org_id = ${orgId} group by 1, 2, 3
			), b as (
				select period, cell, contact_type, contacts, persons, referrals, last_at, key_sum
				from contact_rollup_coarse where org_id = ${orgId} and grain = 'm' and target_group = 0 and contact_type <> 0
			)
			select (select count(*) from (select * from a except select * from b) x)::int as missing,
				(select count(*) from (select * from b except select * from a) y)::int as extra,
				(select count(*) from b where period < '2026-02-01' and last_at <> period::timestamp at time zone 'Europe/Brussels')::int as exact`;
		expect(diff).toEqual({ missing: 0, extra: 0, exact: 0 });
		// after the horizon, every answer is still the raw contacts' one
		for (const q of fc.sample(questionArb, { numRuns: 8, seed: 11 }).map(toQuery)) {
			if (q.from < '2026-02-01') continue;
			await expectSameAsRaw(orgId, q);
		}
	});
});
