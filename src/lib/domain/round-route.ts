// A street round's route: which zones (cells at the planning resolution) it visits and in what
// order, walking from its start and back. The candidates are the underserved zones within reach
// of the start; the planner (planner/) picks and orders them within the round's budget. Pure, so
// the page can replan in the browser while the coordinator ticks zones, and the server can check
// the same numbers when the route is saved.
import { cellCentre, walkingDistanceM } from './cells';
import { planRound } from './planner/plan-round';
import { tryPlanRound, type NoPlan } from './planner/team';
import { metresToMinutes } from './planner/walking';
import { WALKING_PACE, type Pace } from './travel';

/** Minutes spent in a zone: walking it through, talking to whoever is there. */
export const DEFAULT_DWELL_MINUTES = 15;
export const MAX_DWELL_MINUTES = 240;
/** Zones scoring less are not proposed: a zone worth so little is not worth a detour. */
export const MIN_CANDIDATE_SCORE = 5;
/** The most zones proposed: more would not fit a round and only slow the planner. */
export const MAX_CANDIDATES = 40;
export const MAX_STOPS = 100;

export interface Candidate {
	/** H3 cell at the planning resolution. */
	cell: string;
	score: number;
}

export interface RouteStop {
	cell: string;
	dwellMinutes: number;
	/** Walking minutes from the previous stop, or from the start for the first. */
	walkMinutes: number;
}

export interface Route {
	/** Where the round starts and ends: a cell (a service location's), or the first stop's. */
	start: string;
	stops: RouteStop[];
	/** Back from the last stop to the start. */
	returnMinutes: number;
	walkingMinutes: number;
	dwellMinutes: number;
	totalMinutes: number;
}

/** Travel minutes between two zones' centres at a pace (walking unless said otherwise). */
export const travelMinutes = (a: string, b: string, pace: Pace = WALKING_PACE) =>
	metresToMinutes(walkingDistanceM(cellCentre(a), cellCentre(b), pace.detourFactor), pace.kmh);
const walkMinutes = travelMinutes;

/**
 * The zones worth proposing from `start`: scoring at least MIN_CANDIDATE_SCORE and close enough
 * to walk there, spend `dwell` minutes and walk back within the budget; the best MAX_CANDIDATES.
 * Without a start every scoring zone is a candidate (the best one becomes the start).
 */
export function candidatesNear<C extends Candidate>(
	zones: readonly C[],
	start: string | null,
	budgetMinutes: number,
	dwell = DEFAULT_DWELL_MINUTES,
	pace: Pace = WALKING_PACE
): C[] {
	return zones
		.filter((z) => z.score >= MIN_CANDIDATE_SCORE)
		.filter((z) => start === null || 2 * walkMinutes(start, z.cell, pace) + dwell <= budgetMinutes)
		.sort((a, b) => b.score - a.score || (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0))
		.slice(0, MAX_CANDIDATES);
}

/** Timing of stops visited in this order from `start` and back. */
export function routeOf(start: string, stops: readonly { cell: string; dwellMinutes: number }[], pace: Pace = WALKING_PACE): Route {
	if (stops.length === 0) return { start, stops: [], returnMinutes: 0, walkingMinutes: 0, dwellMinutes: 0, totalMinutes: 0 };
	let at = start;
	const timed = stops.map((s) => {
		const walk = walkMinutes(at, s.cell, pace);
		at = s.cell;
		return { cell: s.cell, dwellMinutes: s.dwellMinutes, walkMinutes: walk };
	});
	const returnMinutes = walkMinutes(at, start, pace);
	const walkingMinutes = timed.reduce((a, s) => a + s.walkMinutes, returnMinutes);
	const dwellMinutes = timed.reduce((a, s) => a + s.dwellMinutes, 0);
	return { start, stops: timed, returnMinutes, walkingMinutes, dwellMinutes, totalMinutes: walkingMinutes + dwellMinutes };
}

/**
 * The planner's choice among the candidates: the most score within the budget, in walking order.
 * Without a start the best candidate is the start (and its first stop).
 */
export function proposeRoute(
	candidates: readonly Candidate[],
	start: string | null,
	budgetMinutes: number,
	dwell = DEFAULT_DWELL_MINUTES,
	pace: Pace = WALKING_PACE
): Route {
	if (candidates.length === 0) return routeOf(start ?? '', [], pace);
	const from = start ?? [...candidates].sort((a, b) => b.score - a.score || (a.cell < b.cell ? -1 : 1))[0]!.cell;
	const plan = planRound({
		start: from,
		stops: candidates.map((c) => ({ id: c.cell, at: c.cell, value: c.score, dwellMinutes: dwell })),
		budgetMinutes,
		walkingKmh: pace.kmh,
		detourFactor: pace.detourFactor
	});
	return routeOf(
		from,
		plan.stops.map((s) => ({ cell: s.id, dwellMinutes: s.dwellMinutes })),
		pace
	);
}

/** The planner's choice, or why there is none: no zone to choose, or a budget too small for any. */
export type Proposal = { ok: true; route: Route } | NoPlan;

/**
 * proposeRoute over the zones within reach (candidatesNear), saying why when nothing fits: then
 * the planner (tryPlanRound) is asked about the scoring zones nearest the start, for the least
 * budget with which one of them would fit ('budgetTooSmall'), or there is none ('noStops').
 */
export function proposeRouteOrWhy(
	zones: readonly Candidate[],
	start: string | null,
	budgetMinutes: number,
	dwell = DEFAULT_DWELL_MINUTES,
	pace: Pace = WALKING_PACE
): Proposal {
	const route = proposeRoute(candidatesNear(zones, start, budgetMinutes, dwell, pace), start, budgetMinutes, dwell, pace);
	if (route.stops.length) return { ok: true, route };
	const scoring = candidatesNear(zones, null, Infinity, dwell);
	if (!scoring.length) return { ok: false, reason: 'noStops' };
	const from = start ?? scoring[0]!.cell;
	const nearest = [...scoring]
		.map((z) => ({ z, walk: walkMinutes(from, z.cell, pace) }))
		.sort((a, b) => a.walk - b.walk || (a.z.cell < b.z.cell ? -1 : 1))
		.slice(0, MAX_CANDIDATES)
		.map(({ z }) => z);
	const plan = tryPlanRound({
		start: from,
		stops: nearest.map((c) => ({ id: c.cell, at: c.cell, value: c.score, dwellMinutes: dwell })),
		budgetMinutes,
		walkingKmh: pace.kmh,
		detourFactor: pace.detourFactor
	});
	if (!plan.ok) return plan;
	return {
		ok: true,
		route: routeOf(
			from,
			plan.stops.map((s) => ({ cell: s.id, dwellMinutes: s.dwellMinutes })),
			pace
		)
	};
}

/** The chosen zones in the shortest walking order from `start` (all of them, whatever the budget). */
export function orderRoute(stops: readonly { cell: string; dwellMinutes: number }[], start: string | null, pace: Pace = WALKING_PACE): Route {
	if (stops.length === 0) return routeOf(start ?? '', [], pace);
	const from = start ?? stops[0]!.cell;
	const plan = planRound({
		start: from,
		stops: stops.map((s) => ({ id: s.cell, at: s.cell, value: 1, dwellMinutes: s.dwellMinutes })),
		budgetMinutes: Infinity,
		walkingKmh: pace.kmh,
		detourFactor: pace.detourFactor
	});
	const dwell = new Map(stops.map((s) => [s.cell, s.dwellMinutes]));
	return routeOf(
		from,
		plan.stops.map((s) => ({ cell: s.id, dwellMinutes: dwell.get(s.id)! })),
		pace
	);
}
