// npm run bench (fourth part): the round planner against exact answers, on fixed seeds (issue 12).
// Prints: the orienteering score against brute force at ≤ 10 candidates (share optimal, worst
// ratio), for the planner and for its local search alone; the exact solver's time at 15
// candidates; the ordering gap at 20, 40 and 60 stops against the best of many longer restarts;
// the time to plan 40 candidates for one round and 60 candidates for 3 duos; and the time for a
// week proposal of 10 rounds (5 evenings of 2 duos over 150 goal zones).
import { flatten, localSearch, pathCost, searchTour } from '../src/lib/domain/planner/fast-tour';
import { planOnMatrix } from '../src/lib/domain/planner/orienteering';
import { mulberry32 } from '../src/lib/domain/planner/random';
import { planTeam } from '../src/lib/domain/planner/team';
import { walkingMinutesMatrix } from '../src/lib/domain/planner/walking';
import { snapToCell } from '../src/lib/domain/cells';
import { addDays } from '../src/lib/domain/calendar';
import { DEFAULT_ROUND_SETTINGS } from '../src/lib/domain/travel';
import { proposeWeek, type WeekDuo } from '../src/lib/domain/week';
import { bruteForceBest, ghentPoint, randomInstance } from '../tests/helpers/planner-instances';

const pct = (x: number, d = 2) => `${(100 * x).toFixed(d)} %`;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const timed = <T>(f: () => T): [T, number] => {
	const t0 = performance.now();
	const result = f();
	return [result, performance.now() - t0];
};

console.log('\n== round planner (issue 12), fixed seeds ==');

// 1. Choosing zones against brute force.
for (const [label, count, options] of [
	['planner (exact ≤ 15)', 1000, undefined],
	['local search alone', 1000, { exactUpTo: -1 }]
] as const) {
	let optimal = 0;
	let worst = 1;
	const times: number[] = [];
	for (let i = 0; i < count; i++) {
		const inst = randomInstance(12_000 + i, 1 + (i % 10));
		const best = bruteForceBest(inst);
		const [plan, t] = timed(() => planOnMatrix({ minutes: inst.minutes, start: 0, stops: inst.stops, budgetMinutes: inst.budgetMinutes }, options));
		times.push(t);
		if (plan.totalValue === best) optimal++;
		worst = Math.min(worst, best > 0 ? plan.totalValue / best : 1);
	}
	console.log(
		`  orienteering ≤ 10 candidates, ${label}: optimal ${pct(optimal / count, 1)} of ${count}, worst ratio ${pct(worst, 1)}, median ${ms(median(times))}`
	);
}

// The local search against the exact solver at 11–15 candidates (too many for brute force).
{
	let optimal = 0;
	let worst = 1;
	const count = 500;
	for (let i = 0; i < count; i++) {
		const inst = randomInstance(30_000 + i, 11 + (i % 5));
		const p = { minutes: inst.minutes, start: 0, stops: inst.stops, budgetMinutes: inst.budgetMinutes };
		const exact = planOnMatrix(p).totalValue;
		const ils = planOnMatrix(p, { exactUpTo: -1 }).totalValue;
		if (ils === exact) optimal++;
		worst = Math.min(worst, exact > 0 ? ils / exact : 1);
	}
	console.log(`  orienteering 11–15 candidates, local search vs exact: optimal ${pct(optimal / count, 1)} of ${count}, worst ratio ${pct(worst, 1)}`);
}

// 2. The exact solver's time at 15 candidates, over budgets from tight to nearly everything.
{
	const times: number[] = [];
	for (let seed = 1; seed <= 10; seed++) {
		const inst = randomInstance(seed, 15);
		for (const budgetMinutes of [60, 120, 180, 240, 300]) {
			const stops = seed % 2 ? inst.stops : inst.stops.map((s) => ({ ...s, dwellMinutes: 1 })); // short visits: the most subsets fit
			times.push(timed(() => planOnMatrix({ minutes: inst.minutes, start: 0, stops, budgetMinutes }))[1]);
		}
	}
	console.log(`  exact choice at 15 candidates (50 runs): median ${ms(median(times))}, max ${ms(Math.max(...times))}`);
}

// 3. Ordering against the best of many longer restarts.
for (const n of [20, 40, 60]) {
	const gaps: number[] = [];
	const before: number[] = [];
	const times: number[] = [];
	for (let seed = 1; seed <= 10; seed++) {
		const rng = mulberry32(seed * 7919 + n);
		const f = flatten(walkingMinutesMatrix(Array.from({ length: n + 1 }, () => ghentPoint(rng))));
		const route = [0, ...Array.from({ length: n }, (_, i) => i + 1), 0];
		const [found, t] = timed(() => searchTour(f, route));
		times.push(t);
		let best = Infinity;
		for (let s = 1; s <= 8; s++) best = Math.min(best, pathCost(f, searchTour(f, route, { seed: 1000 + s, iterations: 1500 })));
		gaps.push(pathCost(f, found) / best - 1);
		before.push(pathCost(f, localSearch(f, route)) / best - 1);
	}
	console.log(
		`  ordering ${n} stops vs best of 8 × 1500 kicks: mean ${pct(mean(gaps))}, max ${pct(Math.max(...gaps))}; ` +
			`time mean ${ms(mean(times))}, max ${ms(Math.max(...times))} (one 2-opt/Or-opt descent: mean ${pct(mean(before))}, max ${pct(Math.max(...before))})`
	);
}

// 4. Planning times: one round over 40 candidates (MAX_CANDIDATES), 3 duos over 60.
{
	const times: number[] = [];
	for (let seed = 1; seed <= 10; seed++) {
		const inst = randomInstance(seed, 40);
		for (const budgetMinutes of [90, 180])
			times.push(timed(() => planOnMatrix({ minutes: inst.minutes, start: 0, stops: inst.stops, budgetMinutes }))[1]);
	}
	console.log(`  one round, 40 candidates (20 runs): median ${ms(median(times))}, max ${ms(Math.max(...times))}`);
}
{
	const times: number[] = [];
	const ratios: number[] = [];
	for (let seed = 1; seed <= 5; seed++) {
		const rng = mulberry32(seed);
		const stops = Array.from({ length: 60 }, (_, k) => ({ id: `z${k}`, value: 5 + Math.floor(rng() * 96), dwellMinutes: 15, at: ghentPoint(rng) }));
		const duos = [0, 1, 2].map((i) => ({ id: `d${i}`, start: ghentPoint(rng), budgetMinutes: 120, travelKmh: i === 2 ? 14 : 4.5 }));
		const [plan, t] = timed(() => planTeam({ duos, stops }));
		times.push(t);
		let best = plan.ok ? plan.totalValue : 0;
		for (const seed of [99, 100, 101]) {
			const long = planTeam({ duos, stops }, { iterations: 1500, seed });
			if (long.ok) best = Math.max(best, long.totalValue);
		}
		if (plan.ok) ratios.push(plan.totalValue / best);
	}
	console.log(
		`  team, 60 candidates and 3 duos (2 walking, 1 cycling, 120 min): median ${ms(median(times))}, max ${ms(Math.max(...times))}; ` +
			`score vs the best of it and 3 runs of 1500 kicks: mean ${pct(mean(ratios), 1)}, worst ${pct(Math.min(...ratios), 1)}`
	);
}

// 5. The week's proposal: 10 rounds (Monday to Friday, two duos an evening, one of them cycling)
// over 150 goal zones (planning cells, score 50–100) spread over the city (about 11 × 10 km).
{
	const cityPoint = (rng: () => number) => ({ lat: 51.0 + rng() * 0.1, lng: 3.65 + rng() * 0.15 });
	const times: number[] = [];
	const counts: string[] = [];
	for (let seed = 1; seed <= 5; seed++) {
		const rng = mulberry32(700 + seed);
		const cells = new Map<string, number>();
		while (cells.size < 150) {
			const p = cityPoint(rng);
			cells.set(snapToCell(p.lat, p.lng, 9), 50 + Math.floor(rng() * 51));
		}
		const goal = [...cells].map(([cell, score]) => ({ cell, score, area: null }));
		const monday = '2027-01-04';
		const duos: WeekDuo[] = Array.from({ length: 10 }, (_, i) => {
			const p = cityPoint(rng);
			return {
				id: `d${i}`,
				workerIds: [2 * i + 1, 2 * i + 2],
				start: snapToCell(p.lat, p.lng, 12),
				budgetMinutes: 120,
				travelMode: i % 2 ? 'cycling' : 'walking',
				evenings: [addDays(monday, Math.floor(i / 2))]
			};
		});
		const [week, t] = timed(() => proposeWeek(duos, goal, DEFAULT_ROUND_SETTINGS));
		times.push(t);
		counts.push(`${week.rounds.length} rounds/${goal.length - week.uncovered.length} zones`);
	}
	console.log(
		`  week proposal, 10 rounds over 150 goal zones (5 runs): median ${ms(median(times))}, max ${ms(Math.max(...times))}; ${counts.join(', ')}`
	);
}
