// An evening of several duos: each walks (or cycles) its own round from its own start, within its
// own budget, at its own pace; together they visit disjoint zones, as much total value as
// possible (team orienteering). Exact up to 12 candidates, iterated local search beyond
// (search.ts). Unlike planRound, which returns an empty plan when nothing fits, these say why:
// 'budgetTooSmall' (with the least budget that would fit one zone) or 'noStops'.
import { flatten } from './fast-tour';
import {
	checkBudget,
	finishRound,
	localProblem,
	poolOf,
	roundPlan,
	type LeftOutReason,
	type MatrixStop,
	type PlannerStop,
	type RoundPlan
} from './orienteering';
import type { PlaceStop, RoundProblem } from './plan-round';
import { chooseRoutes, roundMinutes, type Crew, type SearchOptions } from './search';
import type { Matrix } from './tour';
import { walkingMinutesMatrix, type Place } from './walking';

/** Why there is no plan: no zone fits any budget, or there were no zones to choose from. */
export type NoPlanReason = 'budgetTooSmall' | 'noStops';

export type NoPlan =
	| {
			ok: false;
			reason: 'budgetTooSmall';
			/** The least budget (minutes) with which one zone would fit, for the message. */
			neededMinutes: number;
	  }
	| { ok: false; reason: 'noStops' };

export interface DuoRound<S extends PlannerStop> extends Omit<RoundPlan<S>, 'leftOut'> {
	duoId: string;
}

export interface TeamPlan<S extends PlannerStop> {
	ok: true;
	/** One round per duo, in the order given; a duo may get an empty round. */
	rounds: DuoRound<S>[];
	totalValue: number;
	/** Stops no duo visits. */
	leftOut: { stop: S; reason: LeftOutReason }[];
}

export interface MatrixDuo {
	id: string;
	/** This duo's travel minutes between nodes (its own pace); every duo's matrix has the stops' nodes. */
	minutes: Matrix;
	start: number;
	/** Default: back at the start. */
	end?: number;
	budgetMinutes: number;
}

export interface TeamMatrixProblem<S extends MatrixStop> {
	duos: readonly MatrixDuo[];
	stops: readonly S[];
}

/**
 * Plans disjoint rounds for several duos on precomputed matrices, maximising the total value.
 * Deterministic; no round over its budget.
 * @throws RangeError on no duos, duplicate duo ids, or a malformed matrix, node, stop or budget.
 */
export function planTeamOnMatrix<S extends MatrixStop>(problem: TeamMatrixProblem<S>, options?: SearchOptions): TeamPlan<S> | NoPlan {
	const { duos } = problem;
	if (duos.length === 0) throw new RangeError('A team plan needs at least one duo.');
	if (new Set(duos.map((d) => d.id)).size !== duos.length) throw new RangeError('Duo ids must be unique.');
	// Checked and laid out per duo as planOnMatrix does; the stops come out in id order each time.
	const laid = duos.map((duo) => {
		checkBudget(duo.budgetMinutes);
		return localProblem(duo.minutes, duo.start, duo.end, problem.stops);
	});
	const sorted = laid[0]!.sorted;
	if (sorted.length === 0) return { ok: false, reason: 'noStops' };
	const pool = poolOf(sorted);
	const crews: Crew[] = duos.map((duo, d) => ({ f: flatten(laid[d]!.local), budget: duo.budgetMinutes }));
	// A duo whose walk from start to end alone is over budget can take no stop: plan without it.
	const usable = crews.map((crew, c) => (roundMinutes(crew, pool, [0, 1]) <= crew.budget ? c : -1)).filter((c) => c >= 0);
	const chosen =
		usable.length > 0
			? chooseRoutes(
					usable.map((c) => crews[c]!),
					pool,
					options
				)
			: [];
	const routes: number[][] = crews.map(() => [0, 1]);
	usable.forEach((c, i) => (routes[c] = chosen[i]!));
	// Fill what time is left, duo by duo, and walk each round in its best order.
	for (const c of usable) routes[c] = finishRound(crews[c]!, pool, routes[c]!, routes);
	if (routes.every((r) => r.length === 2)) {
		let needed = Infinity;
		for (const crew of crews) for (let k = 0; k < sorted.length; k++) needed = Math.min(needed, roundMinutes(crew, pool, [0, k + 2, 1]));
		return { ok: false, reason: 'budgetTooSmall', neededMinutes: needed };
	}
	const visited = new Set(routes.flatMap((r) => r.slice(1, -1).map((node) => node - 2)));
	const rounds = routes.map((route, c) => {
		const { leftOut: _, ...plan } = roundPlan(crews[c]!, pool, sorted, route);
		return { duoId: duos[c]!.id, ...plan };
	});
	return {
		ok: true,
		rounds,
		totalValue: rounds.reduce((sum, r) => sum + r.totalValue, 0),
		leftOut: sorted.filter((_, k) => !visited.has(k)).map((stop) => ({ stop, reason: 'budget' as const }))
	};
}

export interface Duo {
	id: string;
	start: Place;
	/** Default: back at the start. */
	end?: Place;
	budgetMinutes: number;
	/** This duo's pace in km/h: about 4.5 on foot (the default), 12–15 by bike. */
	travelKmh?: number;
	/** This duo's street over straight-line distance; default the problem's. */
	detourFactor?: number;
	/** The ids of the stops this duo may visit (its own candidate limit); default every stop. */
	only?: ReadonlySet<string>;
}

/** Travel minutes to or from a stop a duo may not visit: no budget reaches it. */
const OUT_OF_BOUNDS_MINUTES = 1e7;

/** The duo's matrix with the stops it may not visit (nodes from `first` on) out of reach. */
function withoutStops(minutes: Matrix, first: number, stops: readonly { id: string }[], only: ReadonlySet<string> | undefined): Matrix {
	if (!only) return minutes;
	const barred = new Set(stops.flatMap((s, i) => (only.has(s.id) ? [] : [first + i])));
	if (!barred.size) return minutes;
	return minutes.map((row, i) => row.map((m, j) => (i !== j && (barred.has(i) || barred.has(j)) ? OUT_OF_BOUNDS_MINUTES : m)));
}

export interface TeamProblem<S extends PlaceStop> {
	duos: readonly Duo[];
	stops: readonly S[];
	/** Street distance over straight-line distance, for every duo; default 1.3. */
	detourFactor?: number;
}

/**
 * Plans an evening of several duos on places (points or H3 cells): travel minutes from
 * great-circle distance × detour factor at each duo's own pace. Disjoint zones, the most total
 * value; a clear reason instead of an empty plan when no zone fits any budget.
 * @throws RangeError on an invalid duo, place, stop, pace, detour factor or budget.
 */
export function planTeam<S extends PlaceStop>(problem: TeamProblem<S>, options?: SearchOptions): TeamPlan<S> | NoPlan {
	const { duos, stops, detourFactor } = problem;
	// Nodes: 2d = duo d's start, 2d + 1 its end, then the stops.
	const places = [...duos.flatMap((d) => [d.start, d.end ?? d.start]), ...stops.map((s) => s.at)];
	const first = 2 * duos.length;
	const nodeStops = stops.map((stop, i) => ({ ...stop, node: first + i }));
	const original = new Map(nodeStops.map((s, i) => [s, stops[i]!] as const));
	const plan = planTeamOnMatrix(
		{
			duos: duos.map((d, i) => ({
				id: d.id,
				minutes: withoutStops(
					walkingMinutesMatrix(places, { walkingKmh: d.travelKmh, detourFactor: d.detourFactor ?? detourFactor }),
					first,
					stops,
					d.only
				),
				start: 2 * i,
				end: 2 * i + 1,
				budgetMinutes: d.budgetMinutes
			})),
			stops: nodeStops
		},
		options
	);
	if (!plan.ok) return plan;
	return {
		...plan,
		rounds: plan.rounds.map((r) => ({ ...r, stops: r.stops.map((s) => original.get(s)!) })),
		leftOut: plan.leftOut.map(({ stop, reason }) => ({ stop: original.get(stop)!, reason }))
	};
}

/**
 * planRound, but saying why instead of returning an empty plan: 'budgetTooSmall' when no stop
 * fits (or the walk from start to end alone is over the budget), 'noStops' when there are none.
 */
export function tryPlanRound<S extends PlaceStop>(problem: RoundProblem<S>, options?: SearchOptions): (RoundPlan<S> & { ok: true }) | NoPlan {
	const team = planTeam(
		{
			duos: [{ id: 'round', start: problem.start, end: problem.end, budgetMinutes: problem.budgetMinutes, travelKmh: problem.walkingKmh }],
			stops: problem.stops,
			detourFactor: problem.detourFactor
		},
		options
	);
	if (!team.ok) return team;
	const { duoId: _, ...round } = team.rounds[0]!;
	return { ok: true, ...round, leftOut: team.leftOut };
}
