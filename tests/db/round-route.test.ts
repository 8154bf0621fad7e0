// Round routes in a real database (PGlite here; PostgreSQL 15 when TEST_DATABASE_URL is set):
// saving recomputes the legs, refuses what breaks the rules without touching the stored route,
// and the contacts logged on the round are counted by zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellToChildren, gridDisk, latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { getOrganisation, type Organisation } from '../../src/lib/server/organisations';
import { createRound } from '../../src/lib/server/rounds';
import { UserInputError } from '../../src/lib/domain/errors';
import { todayInBrussels } from '../../src/lib/server/clock';
import {
	getRound,
	getRoundStops,
	linkedByZone,
	planningZones,
	saveRoundRoute,
	setRoundBudget,
	startOptions,
	stopNaming,
	visibleRound
} from '../../src/lib/server/round-route';
import { stopNames } from '../../src/lib/domain/stop-names';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { proposeRoute, candidatesNear, routeOf } from '../../src/lib/domain/round-route';

let t: TestDatabase;
let org: Organisation;
let roundId: number;
let duo: number[];
let coordinator: number;

beforeAll(async () => {
	t = await openTestDatabase();
	const report = await seedDemo(t.sql, { contacts: 4000 });
	org = (await getOrganisation(t.sql, report.orgId))!;
	const users = await t.sql`select user_id, role from app_user where org_id = ${org.orgId} and role in ('worker', 'coordinator') order by user_id`;
	coordinator = users.find((u) => u.role === 'coordinator')!.user_id as number;
	duo = users
		.filter((u) => u.role === 'worker')
		.slice(0, 2)
		.map((u) => u.user_id as number);
	roundId = await createRound(t.sql, org.orgId, coordinator, {
		plannedOn: todayInBrussels(),
		title: 'Routetest',
		teamId: null,
		budgetMinutes: 120,
		workerIds: duo
	});
});
afterAll(() => t?.cleanup());

async function refusal(input: unknown): Promise<string> {
	try {
		await saveRoundRoute(t.sql, org, coordinator, roundId, input);
	} catch (e) {
		if (e instanceof UserInputError) return e.field;
		throw e;
	}
	throw new Error('saved');
}

describe(dbTitle('round routes'), () => {
	it('proposes the demo zones, plans within the budget, saves and reads back the route', async () => {
		const zones = await planningZones(t.sql, org);
		expect(zones.length).toBeGreaterThan(20);
		const [start] = await startOptions(t.sql, org.orgId);
		const candidates = candidatesNear(zones, start!.cell, 120);
		const plan = proposeRoute(candidates, start!.cell, 120);
		expect(plan.stops.length).toBeGreaterThanOrEqual(2);
		const byCell = new Map(zones.map((z) => [z.cell, z]));
		const stops = plan.stops.map((s) => ({
			cell: s.cell,
			dwellMinutes: s.dwellMinutes,
			score: byCell.get(s.cell)!.score,
			reasons: byCell.get(s.cell)!.reasons
		}));
		const saved = await saveRoundRoute(t.sql, org, coordinator, roundId, { start, stops });
		expect(saved.totalMinutes).toBeLessThanOrEqual(120);

		const back = await getRoundStops(t.sql, org.orgId, roundId);
		expect(back.map((s) => s.cell)).toEqual(plan.stops.map((s) => s.cell));
		back.forEach((s, i) => expect(s.walkMinutes).toBeCloseTo(plan.stops[i]!.walkMinutes, 3));
		expect(back[0]!.reasons).toEqual(byCell.get(back[0]!.cell)!.reasons);
		const round = await getRound(t.sql, org.orgId, roundId);
		expect([round!.startCell, round!.startLabel]).toEqual([start!.cell, start!.label]);
		const [entry] = await t.sql`select detail from audit_log where org_id = ${org.orgId} and action = 'round.route' order by at desc limit 1`;
		expect(entry!.detail).toMatchObject({ roundId, stops: stops.length });
	});

	it('refuses a bad route by field and keeps the stored one', async () => {
		const before = await getRoundStops(t.sql, org.orgId, roundId);
		const cell = before[0]!.cell;
		const far = latLngToCell(51.16, 3.6, org.planningRes); // ~12 km out: over a 2-hour budget
		const stop = (c: string) => ({ cell: c, dwellMinutes: 15 });
		expect(await refusal({ start: null, stops: [stop(cellToChildren(cell, org.planningRes + 1)[0]!)] })).toBe('stops.0.cell');
		expect(await refusal({ start: null, stops: [stop(cell), stop(cell)] })).toBe('stops');
		expect(await refusal({ start: { cell: latLngToCell(51.05, 3.72, 12), label: 'Ergens' }, stops: [stop(cell)] })).toBe('start');
		expect(await refusal({ start: null, stops: [stop(cell), stop(far)] })).toBe('stops');
		expect(await refusal({ start: null, stops: [{ cell, dwellMinutes: 999 }] })).toBe('stops.0.dwellMinutes');
		expect(await refusal({ stops: 'nope' })).toBe('start');

		expect(await getRoundStops(t.sql, org.orgId, roundId)).toEqual(before);
	});

	it('keeps the server’s own start name, score and reasons, whatever the browser sends', async () => {
		const [start] = await startOptions(t.sql, org.orgId);
		const zones = await planningZones(t.sql, org);
		const z = candidatesNear(zones, start!.cell, 120)[0]!;
		await saveRoundRoute(t.sql, org, coordinator, roundId, {
			start: { cell: start!.cell, label: '<script>alert(1)</script>' },
			stops: [{ cell: z.cell, dwellMinutes: 15, score: 100, reasons: [{ kind: 'note', text: 'anything' }] }]
		});
		const [stop] = await getRoundStops(t.sql, org.orgId, roundId);
		expect([stop!.score, stop!.reasons]).toEqual([z.score, z.reasons]);
		expect((await getRound(t.sql, org.orgId, roundId))!.startLabel).toBe(start!.label);
	});

	it('saves a route without start from its first zone, and an empty route', async () => {
		const cells = gridDisk(latLngToCell(51.0543, 3.7208, org.planningRes), 2).slice(0, 3);
		const saved = await saveRoundRoute(t.sql, org, coordinator, roundId, { start: null, stops: cells.map((cell) => ({ cell, dwellMinutes: 10 })) });
		expect(saved).toEqual(
			routeOf(
				cells[0]!,
				cells.map((cell) => ({ cell, dwellMinutes: 10 }))
			)
		);
		expect((await getRound(t.sql, org.orgId, roundId))!.startCell).toBeNull();
		await saveRoundRoute(t.sql, org, coordinator, roundId, { start: null, stops: [] });
		expect(await getRoundStops(t.sql, org.orgId, roundId)).toEqual([]);
	});

	it('changes the budget, but not below the saved route or outside 15..600 minutes', async () => {
		const cells = gridDisk(latLngToCell(51.0543, 3.7208, org.planningRes), 3).slice(0, 4);
		const saved = await saveRoundRoute(t.sql, org, coordinator, roundId, { start: null, stops: cells.map((cell) => ({ cell, dwellMinutes: 20 })) });
		const budgetRefusal = async (minutes: number) => {
			try {
				await setRoundBudget(t.sql, org, coordinator, roundId, minutes);
				return null;
			} catch (e) {
				if (e instanceof UserInputError) return e.field;
				throw e;
			}
		};
		expect(await budgetRefusal(Math.floor(saved.totalMinutes))).toBe('budgetMinutes');
		expect(await budgetRefusal(601)).toBe('budgetMinutes');
		expect(await budgetRefusal(14)).toBe('budgetMinutes');
		expect(await budgetRefusal(90.5)).toBe('budgetMinutes');
		expect((await getRound(t.sql, org.orgId, roundId))!.budgetMinutes).toBe(120);
		expect(await budgetRefusal(Math.ceil(saved.totalMinutes))).toBeNull();
		expect((await getRound(t.sql, org.orgId, roundId))!.budgetMinutes).toBe(Math.ceil(saved.totalMinutes));
		const [entry] = await t.sql`select detail from audit_log where org_id = ${org.orgId} and action = 'round.budget' order by at desc limit 1`;
		expect(entry!.detail).toEqual({ roundId, minutes: Math.ceil(saved.totalMinutes) });
		await setRoundBudget(t.sql, org, coordinator, roundId, 120);
		await saveRoundRoute(t.sql, org, coordinator, roundId, { start: null, stops: [] });
	});

	it('never leaves a route over the budget when a budget and a route are saved at once', async () => {
		const cells = gridDisk(latLngToCell(51.0543, 3.7208, org.planningRes), 4)
			.filter((_, i) => i % 6 === 0)
			.slice(0, 5);
		const stops = cells.map((cell) => ({ cell, dwellMinutes: 20 }));
		const minutes = routeOf(cells[0]!, stops).totalMinutes;
		for (let i = 0; i < 3; i++) {
			await saveRoundRoute(t.sql, org, coordinator, roundId, { start: null, stops: [] });
			await setRoundBudget(t.sql, org, coordinator, roundId, 150);
			// each check passes against the other's old value; one of the two must be refused
			const both = await Promise.allSettled([
				setRoundBudget(t.sql, org, coordinator, roundId, Math.max(15, Math.floor(minutes) - 30)),
				saveRoundRoute(t.sql, org, coordinator, roundId, { start: null, stops })
			]);
			expect(both.filter((r) => r.status === 'rejected').length).toBeLessThanOrEqual(1);
			const round = (await getRound(t.sql, org.orgId, roundId))!;
			const saved = await getRoundStops(t.sql, org.orgId, roundId);
			expect(routeOf(saved[0]?.cell ?? '', saved).totalMinutes).toBeLessThanOrEqual(round.budgetMinutes);
		}
		await saveRoundRoute(t.sql, org, coordinator, roundId, { start: null, stops: [] });
		await setRoundBudget(t.sql, org, coordinator, roundId, 120);
	});

	it('counts the contacts logged on the round by zone', async () => {
		const zone = latLngToCell(51.0543, 3.7208, org.planningRes);
		const inZone = cellToBigInt(cellToChildren(zone, org.storageRes)[0]!).toString();
		for (const ext of ['r1', 'r2']) {
			await t.sql`insert into contact_moment (org_id, occurred_at, cell, contact_type, external_id, round_id)
				values (${org.orgId}, now(), ${inZone}, 1, ${ext}, ${roundId})`;
		}
		expect(await linkedByZone(t.sql, org, roundId)).toEqual(new Map([[zone, 2]]));
	});

	it('shows a round to its workers and coordinators only', async () => {
		const [analyst] = await t.sql`select user_id from app_user where org_id = ${org.orgId} and role = 'analyst'`;
		const [outsider] = await t.sql`
			select user_id from app_user where org_id = ${org.orgId} and role = 'worker' and user_id <> all(${duo}::int[]) limit 1`;
		expect(await visibleRound(t.sql, org.orgId, { userId: duo[0]!, role: 'worker' }, String(roundId))).not.toBeNull();
		expect(await visibleRound(t.sql, org.orgId, { userId: coordinator, role: 'coordinator' }, String(roundId))).not.toBeNull();
		if (outsider) expect(await visibleRound(t.sql, org.orgId, { userId: outsider.user_id as number, role: 'worker' }, String(roundId))).toBeNull();
		expect(await visibleRound(t.sql, org.orgId, { userId: analyst!.user_id as number, role: 'analyst' }, String(roundId))).toBeNull();
		expect(await visibleRound(t.sql, org.orgId + 1, { userId: coordinator, role: 'coordinator' }, String(roundId))).toBeNull();
		expect(await visibleRound(t.sql, org.orgId, { userId: coordinator, role: 'coordinator' }, '1e3')).toBeNull();
	});

	it('names stops by the district holding them, with the service locations as landmarks', async () => {
		const { areaOf, landmarks } = await stopNaming(t.sql, org.orgId);
		const starts = await startOptions(t.sql, org.orgId);
		expect(landmarks).toEqual(starts.map((s) => ({ name: s.label, cell: s.cell })));
		// Sint-Pietersstation lies in one of the demo's districts; 12 km out of Ghent in none
		const station = latLngToCell(51.0357, 3.7101, org.planningRes);
		expect(areaOf(station)).toMatch(/^Stationsbuurt/);
		expect(areaOf(latLngToCell(51.3, 3.2, org.planningRes))).toBeNull();
		// two zones of one district are told apart, never named by a cell id
		const twins = gridDisk(station, 1)
			.filter((c) => areaOf(c) === areaOf(station))
			.slice(0, 2);
		expect(twins).toHaveLength(2);
		const names = stopNames(twins, areaOf, landmarks);
		expect(names[0]).not.toBe(names[1]);
		for (const n of names) expect(n).toMatch(new RegExp(`^${areaOf(station)} \\(.+\\)`));
	});
});
