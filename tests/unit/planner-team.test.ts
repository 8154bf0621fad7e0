// Issue 12, part 3: an evening of several duos (team orienteering) and the explicit "no zone
// fits" answer.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { heldKarp } from '../../src/lib/domain/planner/held-karp';
import type { PlaceStop } from '../../src/lib/domain/planner/plan-round';
import { mulberry32 } from '../../src/lib/domain/planner/random';
import { planTeam, tryPlanRound, type Duo, type TeamPlan } from '../../src/lib/domain/planner/team';
import { routeLength } from '../../src/lib/domain/planner/tour';
import { walkingMinutesMatrix, type LatLng } from '../../src/lib/domain/planner/walking';
import { ghentPoint } from '../helpers/planner-instances';

interface TeamCase {
	duos: Duo[];
	stops: PlaceStop[];
}

function teamCase(seed: number, n: number, duos: number): TeamCase {
	const rng = mulberry32(seed);
	return {
		duos: Array.from({ length: duos }, (_, i) => ({
			id: `duo${i}`,
			start: ghentPoint(rng),
			budgetMinutes: 30 + Math.round(rng() * 70),
			travelKmh: rng() < 0.3 ? 14 : 4.5
		})),
		stops: Array.from({ length: n }, (_, k) => ({
			id: `z${k}`,
			value: 5 + Math.floor(rng() * 96),
			dwellMinutes: 10 + Math.floor(rng() * 11),
			at: ghentPoint(rng)
		}))
	};
}

/** Minutes of a duo's round through `stops` in this order, recomputed from scratch. */
function minutesOf(duo: Duo, stops: readonly PlaceStop[]): number {
	const places = [duo.start, ...stops.map((s) => s.at), duo.end ?? duo.start];
	const walk = routeLength(
		walkingMinutesMatrix(places, { walkingKmh: duo.travelKmh }),
		places.map((_, i) => i)
	);
	return walk + stops.reduce((a, s) => a + s.dwellMinutes, 0);
}

/** The best total value by brute force: every duo's feasible subsets (Held–Karp), combined disjointly. */
function bruteForceTeam({ duos, stops }: TeamCase): number {
	const n = stops.length;
	const feasible = duos.map((duo) => {
		const m = walkingMinutesMatrix([duo.start, ...stops.map((s) => s.at)], { walkingKmh: duo.travelKmh });
		const ok: number[] = [];
		for (let mask = 0; mask < 1 << n; mask++) {
			const nodes = stops.flatMap((_, k) => (mask & (1 << k) ? [k + 1] : []));
			const dwell = stops.reduce((a, s, k) => (mask & (1 << k) ? a + s.dwellMinutes : a), 0);
			if (dwell <= duo.budgetMinutes && heldKarp(m, 0, nodes).length + dwell <= duo.budgetMinutes + 1e-9) ok.push(mask);
		}
		return ok;
	});
	const value = (mask: number) => stops.reduce((a, s, k) => (mask & (1 << k) ? a + s.value : a), 0);
	const best = (d: number, taken: number): number =>
		d === duos.length ? 0 : Math.max(...feasible[d]!.filter((m) => (m & taken) === 0).map((m) => value(m) + best(d + 1, taken | m)));
	return best(0, 0);
}

function checkPlan(problem: TeamCase, plan: TeamPlan<PlaceStop>) {
	const seen = new Set<PlaceStop>();
	for (const [i, round] of plan.rounds.entries()) {
		const duo = problem.duos[i]!;
		expect(round.duoId).toBe(duo.id);
		expect(round.totalMinutes).toBeLessThanOrEqual(duo.budgetMinutes);
		expect(round.totalMinutes).toBeCloseTo(minutesOf(duo, round.stops), 9);
		for (const s of round.stops) {
			expect(seen.has(s)).toBe(false); // disjoint across duos
			seen.add(s);
		}
	}
	for (const { stop } of plan.leftOut) expect(seen.has(stop)).toBe(false);
	expect(seen.size + plan.leftOut.length).toBe(problem.stops.length);
	expect(plan.totalValue).toBeCloseTo(
		[...seen].reduce((a, s) => a + s.value, 0),
		9
	);
}

describe('planTeam', () => {
	it('matches brute force on small instances (2 duos ≤ 8 zones, 3 duos ≤ 6; exact and local search)', () => {
		let ilsOptimal = 0;
		let cases = 0;
		for (let seed = 1; seed <= 40; seed++) {
			const problem = seed % 2 ? teamCase(seed, 3 + (seed % 6), 2) : teamCase(seed, 2 + (seed % 5), 3);
			const best = bruteForceTeam(problem);
			const exact = planTeam(problem);
			const ils = planTeam(problem, { exactUpTo: -1 });
			if (best === 0) {
				expect(exact.ok).toBe(false);
				continue;
			}
			cases++;
			if (!exact.ok || !ils.ok) throw new Error(`seed ${seed}: no plan, best ${best}`);
			checkPlan(problem, exact);
			checkPlan(problem, ils);
			expect(exact.totalValue).toBe(best);
			if (ils.totalValue === best) ilsOptimal++;
			expect(ils.totalValue).toBeGreaterThanOrEqual(0.95 * best);
		}
		expect(cases).toBeGreaterThan(30);
		expect(ilsOptimal / cases).toBeGreaterThanOrEqual(0.95);
	});

	it('zones are disjoint, every round within its budget (property, up to 25 zones and 3 duos)', () => {
		const arb = fc.record({ seed: fc.nat(1e6), n: fc.integer({ min: 0, max: 25 }), duos: fc.integer({ min: 1, max: 3 }) });
		fc.assert(
			fc.property(arb, ({ seed, n, duos }) => {
				const problem = teamCase(seed, n, duos);
				const plan = planTeam(problem);
				if (plan.ok) checkPlan(problem, plan);
				else if (n === 0) expect(plan.reason).toBe('noStops');
				else expect(plan.reason).toBe('budgetTooSmall');
			}),
			{ numRuns: 40, seed: 3 }
		);
	});

	it('60 zones and 3 duos: a full, valid plan, deterministic', () => {
		const problem = teamCase(7, 60, 3);
		const plan = planTeam(problem);
		if (!plan.ok) throw new Error('no plan');
		checkPlan(problem, plan);
		expect(plan.rounds.every((r) => r.stops.length > 0)).toBe(true);
		expect(planTeam(problem)).toEqual(plan);
	});

	it('a faster duo (cycling) reaches zones the walkers cannot', () => {
		const start: LatLng = { lat: 51.0546, lng: 3.7216 };
		const far = { id: 'far', value: 50, dwellMinutes: 10, at: { lat: 51.0726, lng: 3.7216 } }; // ~2 km north
		const walkers = planTeam({ duos: [{ id: 'walk', start, budgetMinutes: 60 }], stops: [far] });
		expect(walkers).toMatchObject({ ok: false, reason: 'budgetTooSmall' });
		const both = planTeam({
			duos: [
				{ id: 'walk', start, budgetMinutes: 60 },
				{ id: 'bike', start, budgetMinutes: 60, travelKmh: 14 }
			],
			stops: [far]
		});
		if (!both.ok) throw new Error('no plan');
		expect(both.rounds.map((r) => [r.duoId, r.stops.map((s) => s.id)])).toEqual([
			['walk', []],
			['bike', ['far']]
		]);
	});

	it('gives a duo only the stops it may visit (its own limit), still disjoint and within budgets', () => {
		for (let seed = 1; seed <= 20; seed++) {
			const c = teamCase(seed, 12, 2);
			// duo 0 may visit the even stops only; duo 1 every stop
			const only = new Set(c.stops.filter((_, k) => k % 2 === 0).map((s) => s.id));
			const duos = [{ ...c.duos[0]!, only }, c.duos[1]!];
			const plan = planTeam({ duos, stops: c.stops });
			if (!plan.ok) continue;
			expect(plan.rounds[0]!.stops.every((s) => only.has(s.id))).toBe(true);
			const ids = plan.rounds.flatMap((r) => r.stops.map((s) => s.id));
			expect(new Set(ids).size).toBe(ids.length);
			plan.rounds.forEach((r, d) => expect(minutesOf(duos[d]!, r.stops)).toBeLessThanOrEqual(duos[d]!.budgetMinutes + 1e-6));
		}
	});

	it('rejects no duos, duplicate duo ids and bad budgets', () => {
		const stops = teamCase(1, 3, 1).stops;
		const start = ghentPoint(mulberry32(1));
		expect(() => planTeam({ duos: [], stops })).toThrow(/at least one duo/);
		expect(() =>
			planTeam({
				duos: [
					{ id: 'a', start, budgetMinutes: 60 },
					{ id: 'a', start, budgetMinutes: 60 }
				],
				stops
			})
		).toThrow(/unique/);
		expect(() => planTeam({ duos: [{ id: 'a', start, budgetMinutes: -1 }], stops })).toThrow(/budget/);
	});
});

describe('tryPlanRound: a clear reason instead of an empty plan', () => {
	const start: LatLng = { lat: 51.0546, lng: 3.7216 };
	const zone = { id: 'z', value: 10, dwellMinutes: 15, at: { lat: 51.0555, lng: 3.7216 } }; // ~100 m away

	it("says 'budgetTooSmall', with the minutes one zone needs", () => {
		const result = tryPlanRound({ start, budgetMinutes: 10, stops: [zone] });
		expect(result).toMatchObject({ ok: false, reason: 'budgetTooSmall' });
		if (result.ok || result.reason !== 'budgetTooSmall') throw new Error('expected budgetTooSmall');
		expect(result.neededMinutes).toBeCloseTo(15 + minutesOf({ id: 'x', start, budgetMinutes: 0 }, [{ ...zone, dwellMinutes: 0 }]), 9);
		expect(tryPlanRound({ start, budgetMinutes: Math.ceil(result.neededMinutes), stops: [zone] })).toMatchObject({ ok: true, totalValue: 10 });
	});

	it("says 'noStops' when there is nothing to choose from, and plans like planRound otherwise", () => {
		expect(tryPlanRound({ start, budgetMinutes: 60, stops: [] })).toEqual({ ok: false, reason: 'noStops' });
		const result = tryPlanRound({ start, budgetMinutes: 60, stops: [zone] });
		expect(result).toMatchObject({ ok: true, stops: [zone], totalValue: 10, leftOut: [] });
	});

	it("a start-to-end walk over budget is 'budgetTooSmall' too, not an exception", () => {
		const result = tryPlanRound({ start, end: { lat: 51.0726, lng: 3.7216 }, budgetMinutes: 5, stops: [zone] });
		expect(result).toMatchObject({ ok: false, reason: 'budgetTooSmall' });
	});
});
