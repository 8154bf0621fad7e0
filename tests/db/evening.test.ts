// An evening of several duos in a real database (PGlite here; PostgreSQL 15 with TEST_DATABASE_URL):
// saved in one transaction, read back with its travel modes and limits; a worker in two duos is
// refused by name and nothing is written; a round over its budget (or a past evening) is refused
// as 409 by the page's action, again with nothing written; a cycled round's budget is checked at
// the cycling pace; team bases are starts; the week view counts the goal's zones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { callRoute } from '../helpers/route-harness';
import { useDatabase } from '../../src/lib/server/app-db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { getOrganisation, type Organisation } from '../../src/lib/server/organisations';
import { createSession } from '../../src/lib/server/auth/sessions';
import { createUser } from '../../src/lib/server/auth/users';
import { todayInBrussels } from '../../src/lib/server/clock';
import { UserInputError } from '../../src/lib/domain/errors';
import { addDays } from '../../src/lib/domain/calendar';
import { eveningRounds, planningZonesWithArea, saveEvening } from '../../src/lib/server/evening';
import { addBase, getRoundSettings, listBases, startPlaces, updateRoundSettings } from '../../src/lib/server/round-settings';
import { getRound, saveRoundRoute } from '../../src/lib/server/round-route';
import { weekView } from '../../src/lib/server/week';
import { eveningCandidates, moveZone, planEvening, type EveningDuo } from '../../src/lib/domain/evening';
import { cellCentre } from '../../src/lib/domain/cells';

let t: TestDatabase;
let org: Organisation;
let coordinator: number;
let token: string;
let workers: { id: number; name: string }[];
// past the demo's planned rounds: the evening is the tests' own
const day = addDays(todayInBrussels(), 60);

beforeAll(async () => {
	t = await openTestDatabase();
	const report = await seedDemo(t.sql, { contacts: 4000 });
	org = (await getOrganisation(t.sql, report.orgId))!;
	useDatabase(t);
	// the demo has four who walk rounds; three duos need six
	for (const name of ['Evi Claes', 'Jonas Wouters'])
		await createUser(t.sql, { orgId: org.orgId, email: `${name.split(' ')[0]!.toLowerCase()}@evening.example`, name, role: 'worker' });
	const users = await t.sql`
		select user_id, role, display_name from app_user where org_id = ${org.orgId} and active and role in ('worker', 'coordinator') order by user_id`;
	coordinator = users.find((u) => u.role === 'coordinator')!.user_id as number;
	workers = users.map((u) => ({ id: u.user_id as number, name: u.display_name as string }));
	token = await createSession(t.sql, { orgId: org.orgId, userId: coordinator });
});
afterAll(() => t?.cleanup());

const countRounds = async () =>
	Number((await t.sql`select count(*)::int as n from street_round where org_id = ${org.orgId} and planned_on = ${day}`)[0]!.n);

async function plannedEvening(modes: ('walking' | 'cycling')[]) {
	const { zones } = await planningZonesWithArea(t.sql, org);
	const starts = await startPlaces(t.sql, org.orgId);
	const settings = await getRoundSettings(t.sql, org.orgId);
	const duos: EveningDuo[] = modes.map((travelMode, i) => ({ key: String(i), start: starts[i]!.cell, budgetMinutes: 120, travelMode, stops: [] }));
	const planned = planEvening(duos, eveningCandidates(zones, duos, { kind: 'none' }, settings), settings);
	return planned.map((d, i) => ({
		roundId: null as number | null,
		title: `Avond ${i + 1}`,
		teamId: null,
		budgetMinutes: d.budgetMinutes,
		workerIds: [workers[2 * i]!.id, workers[2 * i + 1]!.id],
		travelMode: d.travelMode,
		start: { cell: d.start! },
		limit: i === 0 ? { kind: 'radius' as const, metres: 3000 } : { kind: 'none' as const },
		stops: d.stops
	}));
}

async function refusal(p: Promise<unknown>): Promise<UserInputError> {
	try {
		await p;
	} catch (e) {
		if (e instanceof UserInputError) return e;
		throw e;
	}
	throw new Error('saved');
}

describe(dbTitle('an evening of several duos'), () => {
	it('has enough workers for three duos', () => expect(workers.length).toBeGreaterThanOrEqual(6));

	it('saves three rounds in one transaction and reads them back', async () => {
		const rounds = await plannedEvening(['walking', 'cycling', 'walking']);
		expect(rounds.every((r) => r.stops.length > 0)).toBe(true);
		const ids = await saveEvening(t.sql, org, coordinator, { plannedOn: day, rounds }, todayInBrussels());
		expect(ids).toHaveLength(3);
		const back = await eveningRounds(t.sql, org.orgId, day);
		expect(back.map((r) => r.roundId)).toEqual(ids);
		expect(back.map((r) => r.travelMode)).toEqual(['walking', 'cycling', 'walking']);
		expect(back[0]!.limit).toEqual({ kind: 'radius', metres: 3000 });
		expect(back.map((r) => r.stops)).toEqual(rounds.map((r) => r.stops));
		expect(back[1]!.workers.map((w) => w.userId).sort()).toEqual(rounds[1]!.workerIds.sort());
		// saved again with one zone moved from the first round to the second (given 30 more
		// minutes for it): same ids, the zone in the second round only
		const settings = await getRoundSettings(t.sql, org.orgId);
		const zone = rounds[0]!.stops.at(-1)!;
		const duos = rounds.map((r, i) => ({ ...r, key: String(i), start: r.start.cell, budgetMinutes: i === 1 ? 150 : r.budgetMinutes }));
		const moved = moveZone(duos, zone.cell, '1', settings).map((d, i) => ({
			...rounds[i]!,
			roundId: ids[i]!,
			budgetMinutes: d.budgetMinutes,
			stops: d.stops
		}));
		await saveEvening(t.sql, org, coordinator, { plannedOn: day, rounds: moved }, todayInBrussels());
		const again = await eveningRounds(t.sql, org.orgId, day);
		expect(again.map((r) => r.roundId)).toEqual(ids);
		expect(again[1]!.stops.map((s) => s.cell)).toContain(zone.cell);
		expect(again[0]!.stops.map((s) => s.cell)).not.toContain(zone.cell);
		expect(again[1]!.budgetMinutes).toBe(150);
	});

	it('refuses a worker in two duos, naming the worker, and writes nothing', async () => {
		const before = await eveningRounds(t.sql, org.orgId, day);
		const rounds = before.map((r) => ({
			roundId: r.roundId,
			title: r.title,
			teamId: null,
			budgetMinutes: r.budgetMinutes,
			workerIds: r.workers.map((w) => w.userId),
			travelMode: r.travelMode,
			start: r.startCell ? { cell: r.startCell } : null,
			limit: r.limit,
			stops: []
		}));
		const shared = rounds[0]!.workerIds[0]!;
		rounds[2]!.workerIds = [shared, rounds[2]!.workerIds[1]!];
		const e = await refusal(saveEvening(t.sql, org, coordinator, { plannedOn: day, rounds }, todayInBrussels()));
		expect(e.code).toBe('eveningSharedWorker');
		expect(e.field).toBe('rounds.2.workerIds');
		expect(e.values).toMatchObject({ worker: workers.find((w) => w.id === shared)!.name, first: 1, second: 3 });
		expect(await eveningRounds(t.sql, org.orgId, day)).toEqual(before);
		// a new duo sharing a worker with a round of that date left off the page is refused too
		const lone = { ...rounds[0]!, roundId: null, title: 'Extra' };
		const other = rounds[1]!;
		const e2 = await refusal(saveEvening(t.sql, org, coordinator, { plannedOn: day, rounds: [lone, other] }, todayInBrussels()));
		expect(e2.code).toBe('eveningSharedWorker');
		expect(e2.values).toMatchObject({ worker: workers.find((w) => w.id === rounds[0]!.workerIds[0])!.name });
		expect(await countRounds()).toBe(3);
	});

	it('answers 409 to a round over its budget or a past evening, and writes nothing', async () => {
		const before = await eveningRounds(t.sql, org.orgId, day);
		const rounds = before.map((r) => ({
			roundId: r.roundId,
			title: r.title + ' (nieuw)',
			teamId: null,
			budgetMinutes: r.budgetMinutes,
			workerIds: r.workers.map((w) => w.userId),
			travelMode: r.travelMode,
			start: r.startCell ? { cell: r.startCell } : null,
			limit: r.limit,
			stops: r.stops
		}));
		// the third round takes every zone of the evening: far over its 120 minutes
		rounds[2]!.stops = before.flatMap((r) => r.stops);
		rounds[0]!.stops = [];
		rounds[1]!.stops = [];
		const post = (plannedOn: string, body: unknown) =>
			callRoute(t.sql, '/rounds/evening/[date]', `/rounds/evening/${plannedOn}?/save`, {
				method: 'POST',
				token,
				params: { date: plannedOn },
				form: { evening: JSON.stringify(body) }
			});
		const over = await post(day, { plannedOn: day, rounds });
		expect(over.status).toBe(409);
		expect(over.body).toMatchObject({ code: 'routeOverBudget', field: 'rounds.2.stops', params: { budget: 120, round: 3 } });
		expect(await eveningRounds(t.sql, org.orgId, day)).toEqual(before);
		const yesterday = addDays(todayInBrussels(), -1);
		const past = await post(yesterday, { plannedOn: yesterday, rounds: rounds.map((r) => ({ ...r, roundId: null, stops: [] })) });
		expect(past.status).toBe(409);
		expect(past.body).toMatchObject({ code: 'roundOver' });
		const shared = await post(day, { plannedOn: day, rounds: rounds.map((r) => ({ ...r, stops: [], workerIds: rounds[0]!.workerIds })) });
		expect(shared.status).toBe(400);
		expect(shared.body).toMatchObject({ code: 'eveningSharedWorker' });
		expect(await eveningRounds(t.sql, org.orgId, day)).toEqual(before);
		const ok = await post(day, { plannedOn: day, rounds: before.map((r, i) => ({ ...rounds[i]!, stops: r.stops })) });
		expect(ok.status).toBe(200);
		expect((await eveningRounds(t.sql, org.orgId, day)).map((r) => r.title)).toEqual(before.map((r) => r.title + ' (nieuw)'));
	});

	it('times a cycled round at the cycling pace, from the settings', async () => {
		const [cycled] = (await eveningRounds(t.sql, org.orgId, day)).filter((r) => r.travelMode === 'cycling');
		const route = { start: { cell: cycled!.startCell! }, stops: cycled!.stops };
		const atBike = await saveRoundRoute(t.sql, org, coordinator, cycled!.roundId, route);
		expect(atBike.totalMinutes).toBeLessThanOrEqual(cycled!.budgetMinutes);
		// at 5 km/h instead of 14 the same route's travel takes 2.8 times as long: over the budget
		await updateRoundSettings(t.sql, org.orgId, coordinator, { cyclingKmh: '5', cyclingDetour: '1,3', revisitMinScore: '50', revisitDays: '14' });
		const e = await refusal(saveRoundRoute(t.sql, org, coordinator, cycled!.roundId, route));
		expect(e.code).toBe('routeOverBudget');
		expect(e.values!.minutes).toBeGreaterThanOrEqual(Math.ceil(atBike.dwellMinutes + atBike.walkingMinutes * 2.8) - 1);
		await updateRoundSettings(t.sql, org.orgId, coordinator, { cyclingKmh: '14', cyclingDetour: '1.3', revisitMinScore: '50', revisitDays: '14' });
	});

	it('saves a round page’s travel mode and limit with its route, timed at that pace', async () => {
		const [round] = await eveningRounds(t.sql, org.orgId, day);
		const route = { start: { cell: round!.startCell! }, stops: round!.stops };
		const walked = await saveRoundRoute(t.sql, org, coordinator, round!.roundId, { ...route, travelMode: 'walking', limit: { kind: 'none' } });
		const cycled = await saveRoundRoute(t.sql, org, coordinator, round!.roundId, {
			...route,
			travelMode: 'cycling',
			limit: { kind: 'areas', codes: ['1', '22'] }
		});
		expect(cycled.walkingMinutes).toBeCloseTo((walked.walkingMinutes * 4.5) / 14, 3);
		const [back] = await eveningRounds(t.sql, org.orgId, day);
		expect([back!.travelMode, back!.limit]).toEqual(['cycling', { kind: 'areas', codes: ['1', '22'] }]);
		const r = await getRound(t.sql, org.orgId, round!.roundId);
		expect([r!.travelMode, r!.limit]).toEqual(['cycling', { kind: 'areas', codes: ['1', '22'] }]);
	});

	it('starts a round at a team base', async () => {
		const [team] = await t.sql`select team_id from team where org_id = ${org.orgId} order by team_id limit 1`;
		const { lat, lng } = cellCentre((await startPlaces(t.sql, org.orgId))[0]!.cell);
		await addBase(t.sql, org, coordinator, { teamId: team!.team_id as number, name: 'Teamlokaal', place: `${lat.toFixed(5)}, ${lng.toFixed(5)}` });
		const [base] = await listBases(t.sql, org.orgId);
		expect(base).toMatchObject({ name: 'Teamlokaal' });
		const starts = await startPlaces(t.sql, org.orgId);
		expect(starts[0]).toMatchObject({ kind: 'base', label: 'Teamlokaal' });
		const e = await refusal(addBase(t.sql, org, coordinator, { teamId: team!.team_id as number, name: 'Teamlokaal', place: '51.05, 3.72' }));
		expect(e.code).toBe('baseNameTaken');
		expect((await refusal(addBase(t.sql, org, coordinator, { teamId: team!.team_id as number, name: 'X', place: 'hier' }))).code).toBe(
			'basePlaceInvalid'
		);
	});

	it('counts the goal’s zones the week leaves unvisited', async () => {
		const monday = addDays(day, -((new Date(day + 'T00:00:00Z').getUTCDay() + 6) % 7));
		const week = await weekView(t.sql, org, monday);
		expect(week.days).toHaveLength(7);
		expect(week.days.find((d) => d.date === day)!.rounds).toHaveLength(3);
		expect(week.goal.length).toBeGreaterThan(0);
		expect(week.goal.every((z) => z.score >= 50)).toBe(true);
		const covered = new Set([...week.visited, ...week.planned]);
		expect(week.unvisited.every((z) => !covered.has(z.cell))).toBe(true);
		expect(week.unvisited.length + covered.size).toBe(week.goal.length);
	});
});
