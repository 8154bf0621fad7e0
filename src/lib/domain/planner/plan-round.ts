// The planner on places (points or H3 cells) instead of a matrix: walking minutes come from
// great-circle distance × detour factor at a walking pace (see walking.ts).
import { planOnMatrix, type PlannerStop, type RoundPlan } from './orienteering';
import { walkingMinutesMatrix, type Place, type WalkingOptions } from './walking';

export interface PlaceStop extends PlannerStop {
	/** Where the stop is: a point, or an H3 cell (its centre). */
	at: Place;
}

export interface RoundProblem<S extends PlaceStop> extends WalkingOptions {
	start: Place;
	/** Where the round ends; default: back at the start. */
	end?: Place;
	stops: readonly S[];
	/** The round's time budget in minutes; Infinity for no limit. */
	budgetMinutes: number;
}

/**
 * Plans a street round: which stops to visit within the budget and in what order, walking
 * between them at `walkingKmh` (default 4.5) over great-circle distance × `detourFactor`
 * (default 1.3). Deterministic; never over the budget.
 * @throws RangeError on an invalid place, stop, speed, detour factor or budget.
 */
export function planRound<S extends PlaceStop>(problem: RoundProblem<S>): RoundPlan<S> {
	const { start, end = start, stops, budgetMinutes } = problem;
	const minutes = walkingMinutesMatrix([start, end, ...stops.map((s) => s.at)], problem);
	// planOnMatrix hands back the objects it gets (here copies that carry a node): map each copy
	// back to the caller's own stop.
	const original = new Map(stops.map((stop, i) => [{ ...stop, node: i + 2 }, stop] as const));
	const plan = planOnMatrix({ minutes, start: 0, end: 1, stops: [...original.keys()], budgetMinutes });
	return {
		...plan,
		stops: plan.stops.map((s) => original.get(s)!),
		leftOut: plan.leftOut.map(({ stop, reason }) => ({ stop: original.get(stop)!, reason }))
	};
}
