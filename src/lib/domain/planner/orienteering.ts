// The round planner: which zones to visit within the time budget, and in what order. This is
// the orienteering problem (prize-collecting TSP), NP-hard: solved exactly up to 15 candidates
// (dynamic programming over subsets with the exact walk of each), by an iterated local search
// beyond (search.ts); the chosen stops are then walked in the shortest order found (Held–Karp up
// to 12 stops, iterated 2-opt / Or-opt beyond). Everything is in minutes.
import { flatten, localSearch, pathCost } from './fast-tour';
import { cheapestInsertion, chooseRoutes, orderStops, roundMinutes, type Crew, type Pool, type SearchOptions } from './search';
import { assertMatrix, leg, type Matrix } from './tour';

export interface PlannerStop {
	/** Unique; also the tie-breaker, so equal input always gives the same plan. */
	id: string;
	/** What a visit is worth, e.g. the zone's underserved score; ≥ 0. */
	value: number;
	/** Minutes spent at the stop (looking around, talking); ≥ 0. */
	dwellMinutes: number;
}

export interface MatrixStop extends PlannerStop {
	/** The stop's row/column in the minutes matrix. Stops may share a node. */
	node: number;
}

/** Why a stop is not in the plan. Only the budget for now; kept a union for later reasons. */
export type LeftOutReason = 'budget';

export interface RoundPlan<S extends PlannerStop> {
	/** The stops in walking order. */
	stops: S[];
	totalValue: number;
	walkingMinutes: number;
	dwellMinutes: number;
	/** walkingMinutes + dwellMinutes; never more than the budget. */
	totalMinutes: number;
	/** Stops not visited, by id. */
	leftOut: { stop: S; reason: LeftOutReason }[];
}

export interface MatrixProblem<S extends MatrixStop> {
	/** Walking minutes between nodes (precomputed: a router, a test case…). */
	minutes: Matrix;
	start: number;
	/** Where the round ends; default: back at the start. */
	end?: number;
	stops: readonly S[];
	/** The round's time budget in minutes; Infinity for no limit. */
	budgetMinutes: number;
}

/**
 * Plans a round on a precomputed minutes matrix: the chosen stops in walking order, their
 * value and time, and the stops left out. Deterministic; never over the budget. `options` tune
 * the search (tests and benches force the heuristic on small sets with `exactUpTo`).
 * @throws RangeError on a malformed matrix, node, stop or budget.
 */
export function planOnMatrix<S extends MatrixStop>(problem: MatrixProblem<S>, options?: SearchOptions): RoundPlan<S> {
	const { local, sorted } = localProblem(problem.minutes, problem.start, problem.end, problem.stops);
	return planSorted(local, sorted, problem.budgetMinutes, options);
}

/**
 * The problem checked and laid out for the search: stops sorted by id, and a matrix with one
 * node per stop (0 start, 1 end, 2+k stop k), so stops sharing a place stay apart in a route.
 * @throws RangeError on a malformed matrix, node or stop.
 */
export function localProblem<S extends MatrixStop>(minutes: Matrix, start: number, end = start, stops: readonly S[]): { local: Matrix; sorted: S[] } {
	assertMatrix(minutes);
	for (const node of [start, end, ...stops.map((s) => s.node)])
		if (!Number.isInteger(node) || node < 0 || node >= minutes.length)
			throw new RangeError(`Node ${node} is not in the ${minutes.length}-node matrix.`);
	const sorted = sortStops(stops);
	const nodes = [start, end, ...sorted.map((s) => s.node)];
	return { local: nodes.map((a) => nodes.map((b) => leg(minutes, a, b))), sorted };
}

/** The planner proper, on a matrix laid out as node 0 = start, 1 = end, 2 + k = `stops[k]`. */
function planSorted<S extends PlannerStop>(m: Matrix, stops: readonly S[], budgetMinutes: number, options?: SearchOptions): RoundPlan<S> {
	checkBudget(budgetMinutes);
	// No choice of stops can fix a start-to-end walk that alone is over the budget: say so.
	const direct = leg(m, 0, 1);
	if (!(direct <= budgetMinutes))
		throw new RangeError(`Walking from start to end alone takes ${direct.toFixed(1)} min, over the ${budgetMinutes}-min budget.`);
	const crew: Crew = { f: flatten(m), budget: budgetMinutes };
	const pool = poolOf(stops);
	// Everything fits (an unlimited budget, a short list): then only the order is left to find.
	const all = localSearch(
		crew.f,
		stops.reduce((r, _, k) => cheapestInsertion(crew.f, r, k + 2), [0, 1])
	);
	const route = roundMinutes(crew, pool, all) <= budgetMinutes ? all : chooseRoutes([crew], pool, options)[0]!;
	return roundPlan(crew, pool, stops, finishRound(crew, pool, route, [route]));
}

export function checkBudget(budgetMinutes: number): void {
	if (Number.isNaN(budgetMinutes) || budgetMinutes < 0) throw new RangeError(`The budget must be ≥ 0 minutes; got ${budgetMinutes}.`);
}

export function poolOf(stops: readonly PlannerStop[]): Pool {
	return { value: stops.map((s) => s.value), dwell: stops.map((s) => s.dwellMinutes) };
}

/**
 * The final walk through a round's chosen stops: built by cheapest insertion in id order and
 * ordered (exactly up to 12 stops), unless the search's own route is strictly shorter; then any
 * stop left out that still fits is inserted (by value per added minute) and the walk reordered,
 * so no stop left out fits anywhere in the final route. `taken` are the routes of every round
 * (the stops they hold are not free).
 */
export function finishRound(crew: Crew, pool: Pool, route: readonly number[], taken: readonly (readonly number[])[]): number[] {
	const busy = new Set(taken.flatMap((r) => r.slice(1, -1)));
	let current = [...route];
	for (;;) {
		const inner = current.slice(1, -1).sort((a, b) => a - b);
		const rebuilt = orderStops(
			crew.f,
			inner.reduce((r, node) => cheapestInsertion(crew.f, r, node), [0, 1])
		);
		if (pathCost(crew.f, rebuilt) <= pathCost(crew.f, current)) current = rebuilt;
		const on = new Set([...busy, ...current.slice(1, -1)]);
		const now = roundMinutes(crew, pool, current);
		let best: { route: number[]; ratio: number } | null = null;
		for (let k = 0; k < pool.value.length; k++) {
			if (on.has(k + 2)) continue;
			const candidate = cheapestInsertion(crew.f, current, k + 2);
			const after = roundMinutes(crew, pool, candidate);
			if (!(after <= crew.budget)) continue;
			const ratio = after > now ? pool.value[k]! / (after - now) : Infinity;
			if (!best || ratio > best.ratio) best = { route: candidate, ratio };
		}
		if (!best) return current;
		current = best.route;
	}
}

/** A round's plan from its route, with every figure summed the way the tests recompute it. */
export function roundPlan<S extends PlannerStop>(crew: Crew, pool: Pool, stops: readonly S[], route: readonly number[]): RoundPlan<S> {
	const chosen = route.slice(1, -1).map((node) => stops[node - 2]!);
	const inRoute = new Set(chosen);
	const walkingMinutes = pathCost(crew.f, route);
	const dwellMinutes = dwellOf(pool, route);
	return {
		stops: chosen,
		totalValue: chosen.reduce((sum, s) => sum + s.value, 0),
		walkingMinutes,
		dwellMinutes,
		totalMinutes: walkingMinutes + dwellMinutes,
		leftOut: stops.filter((s) => !inRoute.has(s)).map((stop) => ({ stop, reason: 'budget' as const }))
	};
}

// Summed in id order, not route order: reordering must not move the float total by an ulp.
function dwellOf(pool: Pool, route: readonly number[]): number {
	const on = new Set(route);
	return pool.dwell.reduce((sum, d, k) => (on.has(k + 2) ? sum + d : sum), 0);
}

/** Stops sorted by id, after checking ids are unique and values and dwell times are sane. */
function sortStops<S extends PlannerStop>(stops: readonly S[]): S[] {
	const sorted = [...stops].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	for (const [i, s] of sorted.entries()) {
		if (i > 0 && sorted[i - 1]!.id === s.id) throw new RangeError(`Stop id "${s.id}" occurs twice.`);
		if (!Number.isFinite(s.value) || s.value < 0) throw new RangeError(`Stop "${s.id}": value must be ≥ 0; got ${s.value}.`);
		if (!Number.isFinite(s.dwellMinutes) || s.dwellMinutes < 0)
			throw new RangeError(`Stop "${s.id}": dwell must be ≥ 0 minutes; got ${s.dwellMinutes}.`);
	}
	return sorted;
}
