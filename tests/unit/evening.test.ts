// The evening and week planning rules: travel pace per mode, candidate limits (areas, radius),
// the team plan's disjoint zones within every budget, moving a zone, the shared-worker check and
// the week's proposal covering goal zones.
import { describe, expect, it } from 'vitest';
import { distanceM, cellCentre, snapToCell } from '../../src/lib/domain/cells';
import { radiusForMinutes, travelHeavy, withinLimit, limitColumns, limitOf, type CandidateLimit } from '../../src/lib/domain/candidate-limits';
import { duoRoute, eveningCandidates, eveningSchema, moveZone, planEvening, sharedWorker, type EveningDuo } from '../../src/lib/domain/evening';
import { routeOf, travelMinutes } from '../../src/lib/domain/round-route';
import { DEFAULT_ROUND_SETTINGS, paceOf, WALKING_PACE } from '../../src/lib/domain/travel';
import { coverageWindow, goalZones, proposeWeek, unvisitedGoalZones, type WeekDuo } from '../../src/lib/domain/week';
import { mulberry32 } from '../../src/lib/domain/planner/random';

const RES = 9;
const S = DEFAULT_ROUND_SETTINGS;
// Ghent, around the station; zones on a small grid (about 300 m apart)
const at = (dLat: number, dLng: number) => snapToCell(51.036 + dLat, 3.71 + dLng, RES);

function grid(n: number, seed = 7) {
	const rnd = mulberry32(seed);
	const zones = new Map<string, { cell: string; score: number; area: string | null }>();
	for (let i = 0; i < n; i++) {
		const cell = at((rnd() - 0.5) * 0.04, (rnd() - 0.5) * 0.06);
		zones.set(cell, { cell, score: 5 + Math.floor(rnd() * 95), area: rnd() < 0.5 ? 'A' : 'B' });
	}
	return [...zones.values()];
}

describe('travel pace', () => {
	it('cycles at the organisation’s pace, walks at 4.5 km/h', () => {
		const a = at(0, 0);
		const b = at(0.01, 0.01);
		const walk = travelMinutes(a, b, paceOf('walking', S));
		const bike = travelMinutes(a, b, paceOf('cycling', S));
		expect(walk / bike).toBeCloseTo(14 / 4.5, 6);
		const metres = distanceM(cellCentre(a), cellCentre(b)) * 1.3;
		expect(walk).toBeCloseTo(metres / (4500 / 60), 6);
		expect(travelMinutes(a, b, paceOf('cycling', { cyclingKmh: 20, cyclingDetour: 1.5 }))).toBeCloseTo(
			(distanceM(cellCentre(a), cellCentre(b)) * 1.5) / (20000 / 60),
			6
		);
		expect(paceOf('walking', { cyclingKmh: 20, cyclingDetour: 2 })).toEqual(WALKING_PACE);
	});

	it('times a route at the pace given', () => {
		const stops = [at(0.005, 0), at(0.005, 0.005)].map((cell) => ({ cell, dwellMinutes: 10 }));
		const walk = routeOf(at(0, 0), stops);
		const bike = routeOf(at(0, 0), stops, paceOf('cycling', S));
		expect(bike.dwellMinutes).toBe(20);
		expect(bike.walkingMinutes).toBeCloseTo((walk.walkingMinutes * 4.5) / 14, 6);
	});
});

describe('candidate limits', () => {
	const zones = grid(80);
	it('keeps only the zones of the chosen areas', () => {
		const kept = withinLimit(zones, { kind: 'areas', codes: ['A'] }, null);
		expect(kept.length).toBe(zones.filter((z) => z.area === 'A').length);
		expect(kept.every((z) => z.area === 'A')).toBe(true);
		expect(withinLimit(zones, { kind: 'areas', codes: ['A', 'B'] }, null)).toHaveLength(zones.length);
	});

	it('keeps only the zones within the radius of the start', () => {
		const start = at(0, 0);
		const kept = withinLimit(zones, { kind: 'radius', metres: 1000 }, start);
		expect(kept.length).toBeGreaterThan(0);
		expect(kept.length).toBeLessThan(zones.length);
		for (const z of zones) expect(kept.includes(z)).toBe(distanceM(cellCentre(start), cellCentre(z.cell)) <= 1000);
		expect(withinLimit(zones, { kind: 'none' }, start)).toHaveLength(zones.length);
	});

	it('round-trips through its columns and turns minutes into a radius', () => {
		const limits: CandidateLimit[] = [{ kind: 'none' }, { kind: 'areas', codes: ['A', 'B'] }, { kind: 'radius', metres: 1500 }];
		for (const l of limits) {
			const c = limitColumns(l);
			expect(limitOf(c.areas, c.radiusM)).toEqual(l);
		}
		// 10 minutes by bike at 14 km/h over 1.3 detour: 2333 m street, about 1800 m straight
		expect(radiusForMinutes(10, paceOf('cycling', S))).toBe(1800);
	});

	it('says when travel takes more than half the budget', () => {
		expect(travelHeavy(60, 120)).toBeNull();
		expect(travelHeavy(90, 150)).toEqual({ share: 0.6, withinMinutes: 40 });
	});
});

describe('an evening of several duos', () => {
	const zones = grid(90, 11);
	const duos: EveningDuo[] = [
		{ key: 'a', start: at(-0.01, -0.02), budgetMinutes: 120, travelMode: 'walking', stops: [] },
		{ key: 'b', start: at(0.01, 0.02), budgetMinutes: 90, travelMode: 'cycling', stops: [] },
		{ key: 'c', start: at(0, 0), budgetMinutes: 150, travelMode: 'walking', stops: [] }
	];

	it('plans disjoint zones within every budget, 60 candidates and 3 duos', () => {
		const candidates = eveningCandidates(zones, duos, { kind: 'none' }, S);
		expect(candidates.length).toBe(60);
		const t0 = performance.now();
		const planned = planEvening(duos, candidates, S);
		const ms = performance.now() - t0;
		const cells = planned.flatMap((d) => d.stops.map((s) => s.cell));
		expect(new Set(cells).size).toBe(cells.length);
		expect(planned.every((d) => d.stops.length > 0)).toBe(true);
		for (const d of planned) expect(duoRoute(d, S).totalMinutes).toBeLessThanOrEqual(d.budgetMinutes + 1e-9);
		expect(ms).toBeLessThan(2000);
	});

	it('limits an evening to areas', () => {
		const candidates = eveningCandidates(zones, duos, { kind: 'areas', codes: ['B'] }, S);
		expect(candidates.every((z) => z.area === 'B')).toBe(true);
	});

	it('keeps each duo to its own limit: areas for one, a radius around its start for another', () => {
		const limited: EveningDuo[] = [
			{ ...duos[0]!, limit: { kind: 'areas', codes: ['A'] } },
			{ ...duos[1]!, limit: { kind: 'radius', metres: 1200 } },
			{ ...duos[2]!, limit: { kind: 'none' } }
		];
		const candidates = eveningCandidates(zones, limited, { kind: 'none' }, S);
		const planned = planEvening(limited, candidates, S);
		expect(planned.every((d) => d.stops.length > 0)).toBe(true);
		const byCell = new Map(zones.map((z) => [z.cell, z]));
		expect(planned[0]!.stops.every((s) => byCell.get(s.cell)!.area === 'A')).toBe(true);
		const from = cellCentre(limited[1]!.start!);
		expect(planned[1]!.stops.every((s) => distanceM(from, cellCentre(s.cell)) <= 1200)).toBe(true);
		const cells = planned.flatMap((d) => d.stops.map((s) => s.cell));
		expect(new Set(cells).size).toBe(cells.length);
		for (const d of planned) expect(duoRoute(d, S).totalMinutes).toBeLessThanOrEqual(d.budgetMinutes + 1e-9);
		// the unlimited duo's plan alone would have taken zones outside the others' limits
		const free = planEvening([{ ...limited[0]!, limit: undefined }], eveningCandidates(zones, [duos[0]!], { kind: 'none' }, S), S);
		expect(free[0]!.stops.some((s) => byCell.get(s.cell)!.area !== 'A')).toBe(true);
	});

	it('offers a zone when some duo’s own limit and reach allow it', () => {
		const onlyB: EveningDuo[] = duos.map((d) => ({ ...d, limit: { kind: 'areas', codes: ['B'] } }));
		expect(eveningCandidates(zones, onlyB, { kind: 'none' }, S).every((z) => z.area === 'B')).toBe(true);
		// one duo limited to B, the other two to A: zones of both areas, each reachable by a duo allowed it
		const mixed: EveningDuo[] = duos.map((d, i) => ({ ...d, limit: { kind: 'areas', codes: [i === 0 ? 'B' : 'A'] } }));
		const both = eveningCandidates(zones, mixed, { kind: 'none' }, S, 15, Infinity);
		expect(new Set(both.map((z) => z.area))).toEqual(new Set(['A', 'B']));
		for (const z of both)
			expect(
				mixed.some(
					(d) =>
						d.limit!.kind === 'areas' &&
						d.limit!.codes.includes(z.area!) &&
						2 * travelMinutes(d.start!, z.cell, paceOf(d.travelMode, S)) + 15 <= d.budgetMinutes
				)
			).toBe(true);
		// a duo without a limit of its own follows the evening's
		expect(eveningCandidates(zones, duos, { kind: 'areas', codes: ['A'] }, S).every((z) => z.area === 'A')).toBe(true);
	});

	it('moves a zone from one round to another, the totals following', () => {
		const planned = planEvening(duos, eveningCandidates(zones, duos, { kind: 'none' }, S), S);
		const cell = planned[0]!.stops[0]!.cell;
		const moved = moveZone(planned, cell, 'c', S);
		expect(moved[0]!.stops.some((s) => s.cell === cell)).toBe(false);
		expect(moved[2]!.stops.some((s) => s.cell === cell)).toBe(true);
		expect(moved[2]!.stops).toHaveLength(planned[2]!.stops.length + 1);
		expect(moved[1]).toBe(planned[1]);
		expect(duoRoute(moved[2]!, S).dwellMinutes).toBe(duoRoute(planned[2]!, S).dwellMinutes + 15);
		// out of every round
		expect(
			moveZone(moved, cell, null, S)
				.flatMap((d) => d.stops)
				.some((s) => s.cell === cell)
		).toBe(false);
	});

	it('finds a worker in two duos', () => {
		expect(sharedWorker([{ workerIds: [1, 2] }, { workerIds: [3, 4] }])).toBeNull();
		expect(sharedWorker([{ workerIds: [1, 2] }, { workerIds: [3, 4] }, { workerIds: [5, 2] }])).toEqual({ userId: 2, rounds: [0, 2] });
	});

	it('takes 2 to 5 rounds', () => {
		const round = {
			roundId: null,
			title: 'x',
			teamId: null,
			budgetMinutes: 90,
			workerIds: [1, 2],
			travelMode: 'walking',
			start: null,
			limit: { kind: 'none' },
			stops: []
		};
		expect(eveningSchema.safeParse({ plannedOn: '2026-12-08', rounds: [round] }).success).toBe(false);
		expect(eveningSchema.safeParse({ plannedOn: '2026-12-08', rounds: [round, round] }).success).toBe(true);
		expect(eveningSchema.safeParse({ plannedOn: '2026-12-08', rounds: Array(6).fill(round) }).success).toBe(false);
	});
});

describe('the week', () => {
	const zones = grid(120, 5);
	const goal = { minScore: 50, days: 14 };

	it('counts visits within the days that end the week', () => {
		expect(coverageWindow('2026-12-13', goal)).toEqual({ from: '2026-11-30', to: '2026-12-13' });
		const g = goalZones(zones, goal);
		expect(g.every((z) => z.score >= 50)).toBe(true);
		const left = unvisitedGoalZones(g, [g[0]!.cell], [g[1]!.cell]);
		expect(left.map((z) => z.cell)).toEqual(g.slice(2).map((z) => z.cell));
	});

	it('proposes rounds that cover goal zones, each zone once, no worker twice an evening', () => {
		const g = goalZones(zones, goal);
		const duos: WeekDuo[] = [
			{ id: 'd1', workerIds: [1, 2], start: at(0, 0), budgetMinutes: 120, travelMode: 'walking', evenings: ['2026-12-08', '2026-12-10'] },
			{ id: 'd2', workerIds: [3, 4], start: at(0.01, 0.02), budgetMinutes: 120, travelMode: 'cycling', evenings: ['2026-12-08'] },
			{ id: 'd3', workerIds: [4, 5], start: at(-0.01, 0), budgetMinutes: 120, travelMode: 'walking', evenings: ['2026-12-08', '2026-12-09'] }
		];
		const p = proposeWeek(duos, g, S);
		expect(p.skipped).toEqual([{ plannedOn: '2026-12-08', duoId: 'd3', userId: 4 }]);
		expect(p.rounds.map((r) => r.key)).toEqual(['2026-12-08:d1', '2026-12-08:d2', '2026-12-09:d3', '2026-12-10:d1']);
		const cells = p.rounds.flatMap((r) => r.stops.map((s) => s.cell));
		expect(new Set(cells).size).toBe(cells.length);
		expect(cells.length + p.uncovered.length).toBe(g.length);
		for (const r of p.rounds) expect(duoRoute(r, S).totalMinutes).toBeLessThanOrEqual(r.budgetMinutes + 1e-9);
		// counting zones, not score: a duo alone covers at least as many as the score-maximising plan
		const one = { start: at(0, 0), budgetMinutes: 120, travelMode: 'walking' as const };
		const alone = proposeWeek([{ id: 'x', workerIds: [1, 2], evenings: ['2026-12-08'], ...one }], g, S);
		const byScore = planEvening([{ key: 'x', stops: [], ...one }], eveningCandidates(g, [one], { kind: 'none' }, S), S);
		expect(alone.rounds[0]!.stops.length).toBeGreaterThanOrEqual(byScore[0]!.stops.length);
	});
});
