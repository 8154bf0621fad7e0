// The coordinator map's top referral target per cell (hexAggregate with `targets`) under every
// filter the map takes (target groups, teams, types, periods, resolutions), against the answer
// counted from the raw contacts in JavaScript. The read goes through the partial index of
// referrals with a known target, which carries the filter columns (migration 0021).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellToParent, latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { hexAggregate } from '../../src/lib/server/queries/hexes';
import { cellToBigInt, unpackCell } from '../../src/lib/domain/cells';
import type { HexQuery } from '../../src/lib/domain/hex-query';

interface Row {
	at: string;
	cell: string;
	type: number;
	groups: number[];
	target: number | null;
	team: number | null;
}

function makeRows(n: number): Row[] {
	const rows: Row[] = [];
	let s = 11;
	const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
	for (let i = 0; i < n; i++) {
		const month = 1 + Math.floor(rnd() * 12);
		const day = 1 + Math.floor(rnd() * 28);
		const referral = rnd() < 0.5;
		rows.push({
			at: `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(8 + Math.floor(rnd() * 14)).padStart(2, '0')}:20:00+01:00`,
			// few cells, so that targets compete (and tie) within a cell
			cell: latLngToCell(51.03 + rnd() * 0.02, 3.7 + rnd() * 0.03, 10),
			type: 1 + Math.floor(rnd() * 3),
			groups: pick([[], [1], [2], [1, 3], [2, 3]]),
			target: referral ? pick([1, 2, 2, 3, 4]) : null,
			team: pick([null, 1, 2])
		});
	}
	return rows;
}

let t: TestDatabase;
let orgId: number;
const rows = makeRows(2500);

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'top', name: 'Top', bbox: [3.6, 51.0, 3.8, 51.1] })).orgId;
	await t.sql`insert into team (org_id, team_id, name) values (${orgId}, 1, 'A'), (${orgId}, 2, 'B')`;
	await t.sql`
		insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, persons, referral, referral_target, team_id, external_id)
		select ${orgId}, at, cell, type, groups::smallint[], 1, target is not null, target, team, ext from unnest(
			${rows.map((r) => r.at)}::timestamptz[],
			${rows.map((r) => cellToBigInt(r.cell).toString())}::bigint[],
			${rows.map((r) => r.type)}::smallint[],
			${rows.map((r) => `{${r.groups.join(',')}}`)}::text[],
			${rows.map((r) => (r.target === null ? null : String(r.target)))}::text[]::smallint[],
			${rows.map((r) => (r.team === null ? null : String(r.team)))}::text[]::smallint[],
			${rows.map((_, i) => `top-${i}`)}::text[]
		) as u(at, cell, type, groups, target, team, ext)`;
	// nulls travel as text: postgres.js types an array by its first element (see db.ts)
	await t.sql`analyze contact_moment`;
});
afterAll(() => t?.cleanup());

/** Per cell at q.res: the target with the most referrals (ties: the lower id) and their number. */
function reference(q: HexQuery): Map<string, [number, number]> {
	const from = Date.parse(q.from + 'T00:00:00+01:00');
	const to = Date.parse(q.to + 'T00:00:00+01:00') + 86_400_000;
	const counts = new Map<string, Map<number, number>>();
	for (const r of rows) {
		const at = Date.parse(r.at);
		if (r.target === null || at < from || at >= to) continue;
		if (q.types && !q.types.includes(r.type)) continue;
		if (q.groups && !r.groups.some((g) => q.groups!.includes(g))) continue;
		if (q.teams && (r.team === null || !q.teams.includes(r.team))) continue;
		const cell = cellToParent(r.cell, q.res);
		const byTarget = counts.get(cell) ?? new Map<number, number>();
		byTarget.set(r.target, (byTarget.get(r.target) ?? 0) + 1);
		counts.set(cell, byTarget);
	}
	const top = new Map<string, [number, number]>();
	for (const [cell, byTarget] of counts) {
		const [target, n] = [...byTarget].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
		top.set(cell, [target, n]);
	}
	return top;
}

const base: HexQuery = { res: 9, from: '2026-01-01', to: '2026-12-31', types: null, groups: null, teams: null, bbox: null };
const questions: [string, Partial<HexQuery>][] = [
	['no filter', {}],
	['one target group', { groups: [1] }],
	['another group, res 8', { groups: [3], res: 8 }],
	['two groups', { groups: [1, 2] }],
	['a group and a type', { groups: [2], types: [1] }],
	['a team', { teams: [1] }],
	['a group and a team, res 10', { groups: [1], teams: [2], res: 10 }],
	['a type, res 7', { types: [3], res: 7 }],
	['a group, part-months', { groups: [2], from: '2026-02-10', to: '2026-05-20' }]
];

describe(dbTitle('top referral target per cell'), () => {
	it.each(questions)('equals the count from the raw contacts: %s', async (_, patch) => {
		const q = { ...base, ...patch };
		const cols = await hexAggregate(t.sql, orgId, q, { targets: true });
		const want = reference(q);
		const got = new Map<string, [number, number]>();
		cols.cells.forEach((packed, i) => {
			if (cols.topTarget![i] !== null) got.set(unpackCell(packed, q.res), [cols.topTarget![i]!, cols.topTargetReferrals![i]!]);
			else expect(cols.topTargetReferrals![i]).toBe(0);
		});
		expect(want.size).toBeGreaterThan(0);
		expect(got).toEqual(want);
	});
});
