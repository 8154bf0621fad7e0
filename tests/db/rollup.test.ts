// contact_rollup_month must always equal a fresh aggregation of contact_moment, whatever is
// inserted, updated or deleted, except that a retention delete keeps the months' history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { applyRetention } from '../../src/lib/server/retention';

let t: TestDatabase;
let orgId: number;

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'r', name: 'R', bbox: [3.6, 51, 3.8, 51.1] })).orgId;
	await t.sql`insert into team (org_id, team_id, name) values (${orgId}, 1, 'A')`;
});
afterAll(() => t?.cleanup());

/** Rows in which the rollup and a fresh aggregation differ (empty when consistent), key sums included. */
async function drift() {
	return t.sql`
		with fresh as (
			select org_id, contact_month(occurred_at) as month, cell, contact_type, count(*)::int as contacts, sum(persons)::int as persons,
				(count(*) filter (where referral))::int as referrals, max(occurred_at) as last_at,
				(sum(record_key::bigint) % 1073741824)::int as key_sum, (coalesce(sum(record_key::bigint) filter (where referral), 0) % 1073741824)::int as referral_key_sum
			from contact_moment group by 1, 2, 3, 4
		)
		(select 'missing' as kind, * from fresh except select 'missing', * from contact_rollup_month)
		union all
		(select 'extra', * from contact_rollup_month except select 'extra', * from fresh)`;
}

async function insert(n: number, prefix: string) {
	const cells = [51.03, 51.04, 51.05].map((lat) => cellToBigInt(latLngToCell(lat, 3.72, 10)).toString());
	await t.sql`
		insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, persons, referral, team_id, external_id)
		select ${orgId},
			timestamptz '2026-01-31 22:30:00+00' + (i * interval '7 hours'), -- crosses month ends in Brussels time
			(${cells}::bigint[])[1 + i % 3], 1 + i % 2, case when i % 3 = 0 then '{1}'::smallint[] else '{1,2}' end,
			1 + i % 4, i % 5 = 0, case when i % 2 = 0 then 1 end, ${prefix} || i
		from generate_series(1, ${n}) as i`;
}

describe(dbTitle('contact_rollup_month'), () => {
	it('follows bulk and single inserts', async () => {
		await insert(500, 'a');
		await insert(1, 'b');
		expect(await drift()).toEqual([]);
		const [{ n }] = (await t.sql`select sum(contacts)::int as n from contact_rollup_month`) as unknown as [{ n: number }];
		expect(n).toBe(501);
	});

	it('counts a contact at 23:30 UTC on 31 January in February (Brussels time)', async () => {
		const [row] = await t.sql`select contact_month(timestamptz '2026-01-31 23:30:00+00') as m`;
		expect(String(row!.m instanceof Date ? row!.m.toISOString().slice(0, 10) : row!.m)).toBe('2026-02-01');
	});

	it('follows updates and deletes', async () => {
		await t.sql`update contact_moment set contact_type = 3, team_id = null where external_id like 'a1%'`;
		expect(await drift()).toEqual([]);
		await t.sql`update contact_moment set occurred_at = occurred_at + interval '40 days' where external_id like 'a2%'`;
		expect(await drift()).toEqual([]);
		await t.sql`delete from contact_moment where external_id like 'a3%'`;
		expect(await drift()).toEqual([]);
	});

	it('keeps the history when retention deletes old contacts', async () => {
		const before = await t.sql`select sum(contacts)::int as n from contact_rollup_month`;
		await t.sql.begin(async (tx) => {
			await tx`select set_config('atlas.keep_rollup', 'on', true)`;
			await tx`delete from contact_moment where occurred_at < '2026-03-01'`;
		});
		const after = await t.sql`select sum(contacts)::int as n from contact_rollup_month`;
		expect(after[0]!.n).toBe(before[0]!.n);
		// and an ordinary delete later in another transaction rebuilds again
		await t.sql`delete from contact_moment where external_id = 'b1'`;
		const [{ n }] = (await t.sql`select count(*)::int as n from contact_moment`) as unknown as [{ n: number }];
		const [{ m }] = (await t.sql`select sum(contacts)::int as m from contact_rollup_month where month >= '2026-03-01'`) as unknown as [{ m: number }];
		expect(m).toBe(n);
	});

	it('retention sets last_at of the kept months before the horizon to the month start, and leaves later months exact', async () => {
		const ret = (await createOrganisation(t.sql, { slug: 'ret', name: 'Ret', bbox: [3.6, 51, 3.8, 51.1] })).orgId;
		await t.sql`update organisation set retention_months = 3 where org_id = ${ret}`;
		const cellAt = (lat: number) => cellToBigInt(latLngToCell(lat, 3.72, 10)).toString();
		const [a, b] = [cellAt(51.03), cellAt(51.04)];
		await t.sql`
			insert into contact_moment (org_id, occurred_at, cell, contact_type, persons, external_id) values
				(${ret}, '2026-03-17 14:23:11+00', ${a}::bigint, 1, 2, 'lone'),
				(${ret}, '2026-03-20 09:00:00+00', ${b}::bigint, 1, 1, 'pair1'),
				(${ret}, '2026-03-21 18:40:00+00', ${b}::bigint, 1, 1, 'pair2'),
				(${ret}, '2026-04-30 21:30:00+00', ${a}::bigint, 1, 1, 'april'),
				(${ret}, '2026-07-02 08:15:00+00', ${a}::bigint, 1, 1, 'july')`;
		const rollup = () => t.sql`
			select month::text as month, to_hex(cell) as cell, contacts, persons, last_at
			from contact_rollup_month where org_id = ${ret} order by month, cell`;
		const before = await rollup();
		const others = await t.sql`select * from contact_rollup_month where org_id = ${orgId} order by 1, 2, 3, 4`;
		// horizon for 3 months before August 2026: May 2026 (the April contact at 23:30 Brussels is in April)
		const [result] = (await applyRetention(t.sql, new Date('2026-08-15T10:00:00Z'))).filter((r) => r.orgId === ret);
		expect(result).toMatchObject({ deleted: 4, coarsened: 3 });
		const after = await rollup();
		expect(after.map((r) => [r.month, r.cell, r.contacts, r.persons])).toEqual(before.map((r) => [r.month, r.cell, r.contacts, r.persons]));
		expect(after.map((r) => [r.month, (r.last_at as Date).toISOString()])).toEqual([
			['2026-03-01', '2026-02-28T23:00:00.000Z'],
			['2026-03-01', '2026-02-28T23:00:00.000Z'],
			['2026-04-01', '2026-03-31T22:00:00.000Z'],
			['2026-07-01', '2026-07-02T08:15:00.000Z']
		]);
		expect(await t.sql`select external_id from contact_moment where org_id = ${ret}`).toEqual([{ external_id: 'july' }]);
		// a second run finds nothing left to do; the other organisation (24 months) is untouched
		expect((await applyRetention(t.sql, new Date('2026-08-15T10:00:00Z'))).filter((r) => r.orgId === ret)).toEqual([
			{ orgId: ret, months: 3, deleted: 0, coarsened: 0 }
		]);
		expect(await t.sql`select * from contact_rollup_month where org_id = ${orgId} order by 1, 2, 3, 4`).toEqual(others);
	});
});
