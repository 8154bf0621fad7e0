// Referrals with a known target per cell (keyedTargetCells for analysts, targetsByPeriodCell for
// coordinators) come back in one order, whatever plan the database picks for the grouping: a hash
// aggregate hands its groups out in the hash table's order, a sorted one in the key's. Without an
// ORDER BY, two calls could list the same rows differently (after an ANALYZE, or under another
// work_mem), and whatever is built from them in row order with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { keyedTargetCells, targetsByPeriodCell } from '../../src/lib/server/queries/referral-targets';
import { cellToBigInt } from '../../src/lib/domain/cells';
import type { Sql } from '../../src/lib/server/db';

let t: TestDatabase;
let orgId: number;

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'order', name: 'Order', bbox: [3.6, 51.0, 3.8, 51.1] })).orgId;
	let s = 7;
	const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	const n = 3000;
	const rows = Array.from({ length: n }, (_, i) => ({
		at: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00+01:00`,
		cell: cellToBigInt(latLngToCell(51.02 + rnd() * 0.06, 3.66 + rnd() * 0.1, 10)).toString(),
		target: 1 + Math.floor(rnd() * 6)
	}));
	await t.sql`
		insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, persons, referral, referral_target, external_id)
		select ${orgId}, at, cell, 1, '{}', 1, true, target, ext from unnest(
			${rows.map((r) => r.at)}::timestamptz[],
			${rows.map((r) => r.cell)}::bigint[],
			${rows.map((r) => r.target)}::smallint[],
			${rows.map((_, i) => `order-${i}`)}::text[]
		) as u(at, cell, target, ext)`;
	await t.sql`analyze contact_moment`;
});
afterAll(() => t?.cleanup());

/** `read` in a transaction where the planner may not (`hash`: may only) group by hashing. */
async function underPlan<T>(plan: 'hash' | 'sort', read: (sql: Sql) => Promise<T>): Promise<T> {
	return t.sql.begin(async (tx) => {
		if (plan === 'hash') await tx`set local enable_sort = off`;
		else await tx`set local enable_hashagg = off`;
		return read(tx as unknown as Sql);
	}) as Promise<T>;
}

const period = { from: '2026-01-01', to: '2026-12-31' };

describe(dbTitle('referrals by target per cell: one order whatever the plan'), () => {
	it('keyedTargetCells lists the same rows in the same order under a hash and a sort plan', async () => {
		for (const res of [8, 9, 10]) {
			const hashed = await underPlan('hash', (sql) => keyedTargetCells(sql, orgId, res, period));
			const sorted = await underPlan('sort', (sql) => keyedTargetCells(sql, orgId, res, period));
			expect(hashed.length).toBeGreaterThan(10);
			expect(JSON.stringify(hashed), `res ${res}`).toBe(JSON.stringify(sorted));
			expect(JSON.stringify(await keyedTargetCells(t.sql, orgId, res, period))).toBe(JSON.stringify(sorted));
		}
	});

	it('targetsByPeriodCell likewise, period by period', async () => {
		const periods = [period, { from: '2026-04-01', to: '2026-06-30' }];
		const hashed = await underPlan('hash', (sql) => targetsByPeriodCell(sql, orgId, periods, 9));
		const sorted = await underPlan('sort', (sql) => targetsByPeriodCell(sql, orgId, periods, 9));
		expect(hashed.length).toBeGreaterThan(10);
		expect(JSON.stringify(hashed)).toBe(JSON.stringify(sorted));
	});
});
