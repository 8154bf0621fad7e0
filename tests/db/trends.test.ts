// GET /api/reports/trend on a real database (PGlite here; PostgreSQL 15 when TEST_DATABASE_URL is
// set), through the guard: contacts planted in known quarters, cells and groups come back in the
// right series, for the organisation and for one area; analysts get published, ended quarters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellToBoundary, cellToChildren, latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { callRoute } from '../helpers/route-harness';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createSession } from '../../src/lib/server/auth/sessions';
import { todayInBrussels } from '../../src/lib/server/clock';
import { areaCellStats } from '../../src/lib/server/layer-cells';
import { chooseAreaLayers } from '../../src/lib/server/area-layers';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { endedQuarters, type Quarter } from '../../src/lib/domain/calendar';
import type { TrendAnswer } from '../../src/lib/api/trends';
import { bounds } from '../../src/lib/domain/privacy';

let t: TestDatabase;
let orgId: number;
let coordinatorId = 0;
const tokens: Record<'coordinator' | 'analyst' | 'worker', string> = { coordinator: '', analyst: '', worker: '' };
const today = todayInBrussels();
const [last, before] = endedQuarters(today, 2) as [Quarter, Quarter];

// Korenmarkt (inside the area "Kern") and Gentbrugge, 4 km away (outside it).
const inside = latLngToCell(51.0543, 3.7208, 9);
const outside = latLngToCell(51.0386, 3.7795, 9);
/** The area: the outline of the res-7 cell around Korenmarkt, drawn as a polygon. */
const kern = latLngToCell(51.0543, 3.7208, 7);
const ring = cellToBoundary(kern, true);

const storage = (cell: string) => cellToBigInt(cellToChildren(cell, 10)[3]!).toString();

async function plant(n: number, cell: string, at: string, type: number, groups: number[], tag: string) {
	await t.sql`
		insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, external_id)
		select ${orgId}, ${at}::timestamptz + (i || ' hours')::interval, ${storage(cell)}::bigint, ${type},
			${groups}::smallint[], ${tag} || i
		from generate_series(1, ${n}) as i`;
}

async function get(who: keyof typeof tokens, qs: string) {
	const o = await callRoute(t.sql, '/api/reports/trend', `/api/reports/trend${qs}`, { token: tokens[who] });
	return { status: o.status, body: o.body as TrendAnswer & { error?: { code: string; param: string } } };
}

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	const org = await createOrganisation(t.sql, { slug: 'trend', name: 'Trend test', bbox: [3.6, 51.0, 3.8, 51.1] });
	orgId = org.orgId;
	for (const role of ['coordinator', 'analyst', 'worker'] as const) {
		const userId = await createUser(t.sql, { orgId, email: `${role}@trend.example`, name: role, role });
		tokens[role] = await createSession(t.sql, { orgId, userId });
		if (role === 'coordinator') coordinatorId = userId;
	}
	await t.sql`
		insert into area (org_id, layer, code, name, geometry)
		values (${orgId}, 'district', 'K', 'Kern', ${t.sql.json({ type: 'Polygon', coordinates: [ring] })})`;
	// the last ended quarter: 12 first contacts inside (homeless and drug use), 3 follow-ups outside (no group)
	await plant(12, inside, `${last.from}T10:00:00+01:00`, 1, [1, 2], 'a');
	await plant(3, outside, `${last.from}T10:00:00+01:00`, 2, [], 'b');
	// the quarter before: 6 first contacts outside (drug use)
	await plant(6, outside, `${before.from}T10:00:00+01:00`, 1, [2], 'c');
	// this month: 2 follow-ups inside (homeless)
	await t.sql`
		insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, external_id)
		select ${orgId}, now() - (i || ' minutes')::interval, ${storage(inside)}::bigint, 2, '{1}', 'd' || i from generate_series(1, 2) as i`;
});
afterAll(() => t?.cleanup());

describe(dbTitle('GET /api/reports/trend'), () => {
	it('gives a coordinator the organisation by contact type over 8 quarters, the current one partial', async () => {
		const { status, body } = await get('coordinator', '');
		expect(status).toBe(200);
		expect(body.periods).toHaveLength(8);
		expect(body.periods[7]!.partial).toBe(true);
		expect(body.area).toBeNull();
		expect(body.areas).toEqual([{ code: 'K', name: 'Kern' }]);
		const at = (from: string) => body.periods.findIndex((p) => p.from === from);
		const type = (id: number) => body.series.find((s) => s.id === id)!.values;
		expect(body.series.map((s) => s.id)).toEqual([1, 2, 3, 4, 5, 6]);
		expect([type(1)[at(last.from)], type(2)[at(last.from)], body.totals[at(last.from)]]).toEqual([12, 3, 15]);
		expect([type(1)[at(before.from)], body.totals[at(before.from)]]).toEqual([6, 6]);
		expect(type(2)[7]).toBe(2);
		expect(body.totals.reduce((a, b) => a! + b!, 0)).toBe(23);
		expect(body.k).toBeUndefined();
	});

	it('splits one area by target group: only its cells, a contact counted in each of its groups', async () => {
		const { status, body } = await get('coordinator', '?layer=district&area=K&by=group');
		expect(status).toBe(200);
		expect(body.area).toEqual({ code: 'K', name: 'Kern' });
		const i = body.periods.findIndex((p) => p.from === last.from);
		const group = (id: number) => body.series.find((s) => s.id === id)!.values;
		expect([group(1)[i], group(2)[i], body.totals[i]]).toEqual([12, 12, 12]);
		// the quarter before had contacts outside the area only
		expect([group(2)[i - 1], body.totals[i - 1]]).toEqual([0, 0]);
		expect([group(1)[7], body.totals[7]]).toEqual([2, 2]);
		expect(body.series).toHaveLength(8);
	});

	it('gives a coordinator 24 months, this one last', async () => {
		const { status, body } = await get('coordinator', '?grain=month&area=K');
		expect(status).toBe(200);
		expect(body.periods).toHaveLength(24);
		expect(body.periods[23]!.key).toBe(today.slice(0, 7));
		expect(body.totals[23]).toBe(2);
		expect(body.totals.reduce((a, b) => a! + b!, 0)).toBe(14);
	});

	it('writes a coordinator’s view of a trend to the audit log, as other views (its whole window)', async () => {
		const views = async () =>
			(await t.sql`select detail from audit_log where org_id = ${orgId} and action = 'view.hexes' and detail->>'role' = 'coordinator'`).map(
				(r) => r.detail as { from: string; to: string; res: number }
			);
		const { status, body } = await get('coordinator', '?grain=month&by=group');
		expect(status).toBe(200);
		// (once per question in ten minutes: the months asked before are the same window)
		expect(await views()).toContainEqual(
			expect.objectContaining({ from: body.periods[0]!.from, to: body.periods[23]!.to, types: null, groups: null, teams: null })
		);
	});

	it('gives every area’s totals with each=area, the same figures as asking the area alone', async () => {
		for (const who of ['coordinator', 'analyst'] as const) {
			const [each, one] = await Promise.all([get(who, '?each=area'), get(who, '?area=K')]);
			expect(each.status).toBe(200);
			expect(each.body.areaTotals).toEqual([{ code: 'K', values: one.body.totals }]);
			// and the organisation's own totals as without it
			expect(each.body.totals).toEqual((await get(who, '')).body.totals);
		}
		expect((await get('coordinator', '')).body.areaTotals).toBeUndefined();
		expect((await get('coordinator', '?each=cells')).status).toBe(400);
	});

	it('gives an analyst ended quarters only, every figure published', async () => {
		const { status, body } = await get('analyst', '?by=type');
		expect(status).toBe(200);
		expect(body.k).toBe(5);
		expect(body.periods.every((p) => !p.partial && p.to < today)).toBe(true);
		expect(body.periods[7]!.from).toBe(last.from);
		const type = (id: number) => body.series.find((s) => s.id === id)!.values;
		// the cell-key rule (noise −2..+2 from the records' random keys, then rounding): 12 → 10 or
		// 15, 3 → "< 5" (null), total 15 from the true counts (perturbed on its own); 6 → 5 or "< 5"
		// (a total may also be one class higher: publishTotal's guard against its parts)
		const admits = (v: number | null, count: number, total = false) => {
			const b = bounds(v, 5);
			return b.lo - (total ? 5 : 0) <= count && count <= b.hi;
		};
		expect(type(2)[7]).toBeNull();
		for (const [v, count, total = false] of [
			[type(1)[7]!, 12],
			[body.totals[7]!, 15, true],
			[type(1)[6]!, 6],
			[body.totals[6]!, 6, true]
		] as const)
			expect(admits(v, count, total), `${v} for ${count}`).toBe(true);
		expect(body.totals[7]).not.toBeNull();
		for (const v of [...body.series.flatMap((s) => s.values), ...body.totals]) {
			if (v !== null) expect(v === 0 || (v >= 5 && v % 5 === 0), String(v)).toBe(true);
		}
	});

	it('refuses months to an analyst, naming grain', async () => {
		const { status, body } = await get('analyst', '?grain=month');
		expect(status).toBe(403);
		expect(body.error).toMatchObject({ code: 'role_refused', param: 'grain' });
	});

	it('answers 400 naming the malformed parameter', async () => {
		const cases: [string, string, string][] = [
			['?by=theme', 'invalid_param', 'by'],
			['?grain=week', 'invalid_param', 'grain'],
			['?layer=', 'invalid_param', 'layer'],
			['?colour=red', 'unknown_param', 'colour'],
			['?layer=wijk', 'invalid_param', 'layer'],
			['?area=NOPE', 'invalid_param', 'area']
		];
		for (const [qs, code, param] of cases) {
			const { status, body } = await get('coordinator', qs);
			expect([qs, status, body.error?.code, body.error?.param]).toEqual([qs, 400, code, param]);
		}
	});

	it('refuses workers', async () => {
		expect((await get('worker', '')).status).toBe(403);
	});

	it('computes an area layer’s cells once per data version', async () => {
		await get('coordinator', '?area=K&by=type');
		const n = areaCellStats.computations;
		await get('coordinator', '?area=K&by=group&grain=quarter');
		await get('analyst', '?area=K');
		expect(areaCellStats.computations).toBe(n);
		// a new area changes the data version: the layer is computed again, and the new area is known
		await t.sql`
			insert into area (org_id, layer, code, name, geometry)
			values (${orgId}, 'district', 'O', 'Oost', ${t.sql.json({ type: 'Polygon', coordinates: [cellToBoundary(latLngToCell(51.0386, 3.7795, 7), true)] })})`;
		const { status, body } = await get('coordinator', '?area=O');
		expect(status).toBe(200);
		expect(areaCellStats.computations).toBe(n + 1);
		const i = body.periods.findIndex((p) => p.from === before.from);
		expect(body.totals[i]).toBe(6);
	});

	it('without a layer asked, answers for the organisation’s district layer, whatever its name', async () => {
		// a French-named layer chosen as the district layer: no layer called "district" is assumed
		await t.sql`
			insert into area (org_id, layer, code, name, geometry)
			values (${orgId}, 'quartiers', 'Q1', 'Centre', ${t.sql.json({ type: 'Polygon', coordinates: [ring] })})`;
		await chooseAreaLayers(t.sql, orgId, coordinatorId, { district: 'quartiers', population: null });
		const { status, body } = await get('coordinator', '?each=area');
		expect(status).toBe(200);
		expect(body.layer).toBe('quartiers');
		expect(body.areas.map((a) => a.code)).toEqual(['Q1']);
	});
});
