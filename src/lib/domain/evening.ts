// An evening of several duos (2–5 rounds on one date): what the coordinator edits on
// /rounds/evening/[date] and the server saves in one transaction. The planner (planTeam) gives
// the duos disjoint zones for the most total score; a zone can then be moved from one round to
// another by hand. Pure, shared by the page and the server.
import { z } from 'zod';
import {
	MIN_CANDIDATE_SCORE,
	DEFAULT_DWELL_MINUTES,
	MAX_DWELL_MINUTES,
	MAX_STOPS,
	orderRoute,
	routeOf,
	travelMinutes,
	type Route
} from './round-route';
import { planTeam, type Duo } from './planner/team';
import { paceOf, TRAVEL_MODES, type RoundSettings, type TravelMode } from './travel';
import { MAX_RADIUS_M, MIN_RADIUS_M, NO_LIMIT, withinLimit, type AreaZone, type CandidateLimit } from './candidate-limits';
import { roundSchema } from './rounds';

export const MIN_EVENING_ROUNDS = 2;
export const MAX_EVENING_ROUNDS = 5;
/** Candidates handed to the team planner at most: 60 zones and 3 duos plan in well under 200 ms. */
export const MAX_EVENING_CANDIDATES = 60;

const hexCell = z.string().regex(/^[0-9a-f]{15}$/);

export const limitSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('none') }),
	z.object({ kind: z.literal('areas'), codes: z.array(z.string().min(1).max(100)).min(1).max(100) }),
	z.object({ kind: z.literal('radius'), metres: z.number().int().min(MIN_RADIUS_M).max(MAX_RADIUS_M) })
]);

export const eveningRoundSchema = roundSchema.omit({ plannedOn: true }).extend({
	/** An existing round of that date, or null for a new one. */
	roundId: z.number().int().min(1).nullable(),
	travelMode: z.enum(TRAVEL_MODES),
	start: z.object({ cell: hexCell }).nullable(),
	limit: limitSchema,
	stops: z.array(z.object({ cell: hexCell, dwellMinutes: z.number().int().min(0).max(MAX_DWELL_MINUTES) })).max(MAX_STOPS)
});

export const eveningSchema = z.object({
	plannedOn: z.iso.date(),
	rounds: z.array(eveningRoundSchema).min(MIN_EVENING_ROUNDS).max(MAX_EVENING_ROUNDS)
});

export type EveningRoundInput = z.infer<typeof eveningRoundSchema>;
export type EveningInput = z.infer<typeof eveningSchema>;

/** The first worker found in two rounds of the evening (rounds by position), or null. */
export function sharedWorker(rounds: readonly { workerIds: readonly number[] }[]): { userId: number; rounds: [number, number] } | null {
	const seen = new Map<number, number>();
	for (const [i, r] of rounds.entries()) {
		for (const userId of new Set(r.workerIds)) {
			const first = seen.get(userId);
			if (first !== undefined) return { userId, rounds: [first, i] };
			seen.set(userId, i);
		}
	}
	return null;
}

/** One duo's round as the evening page holds it. */
export interface EveningDuo {
	/** The page's own key for the duo (stable while editing). */
	key: string;
	start: string | null;
	budgetMinutes: number;
	travelMode: TravelMode;
	stops: { cell: string; dwellMinutes: number }[];
	/** Which zones the planner may give this duo (its own choice, kept with its round); default all. */
	limit?: CandidateLimit;
}

type Paces = Pick<RoundSettings, 'cyclingKmh' | 'cyclingDetour'>;

/** A duo's route from its start (or its first zone) and back, at its own pace. */
export function duoRoute(duo: Pick<EveningDuo, 'start' | 'stops' | 'travelMode'>, settings: Paces): Route {
	return routeOf(duo.start ?? duo.stops[0]?.cell ?? '', duo.stops, paceOf(duo.travelMode, settings));
}

export interface ScoredZone extends AreaZone {
	score: number;
}

/** Whether the duo may be given the zone: within its limit (a radius counts from its start). */
function duoMayTake(duo: Pick<EveningDuo, 'start' | 'limit'>, zone: AreaZone, fallback: CandidateLimit = NO_LIMIT): boolean {
	return withinLimit([zone], duo.limit ?? fallback, duo.start).length === 1;
}

/**
 * The zones an evening chooses from: scoring enough, and for at least one duo with a start within
 * that duo's limit (its own `limit`, else `limit`; a radius counts from its start) and reachable
 * (there, `dwell` minutes, and back within its budget); the best MAX_EVENING_CANDIDATES by score.
 */
export function eveningCandidates<Z extends ScoredZone>(
	zones: readonly Z[],
	duos: readonly Pick<EveningDuo, 'start' | 'budgetMinutes' | 'travelMode' | 'limit'>[],
	limit: CandidateLimit,
	settings: Paces,
	dwell = DEFAULT_DWELL_MINUTES,
	max = MAX_EVENING_CANDIDATES
): Z[] {
	const starts = duos.filter((d) => d.start !== null);
	return zones
		.filter((z) => z.score >= MIN_CANDIDATE_SCORE)
		.filter((z) =>
			starts.some((d) => duoMayTake(d, z, limit) && 2 * travelMinutes(d.start!, z.cell, paceOf(d.travelMode, settings)) + dwell <= d.budgetMinutes)
		)
		.sort((a, b) => b.score - a.score || (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0))
		.slice(0, max);
}

/**
 * The planner's evening: disjoint zones among `candidates` for the duos that have a start, the
 * most total score; each duo's zones in travel order, each within the duo's own limit. Duos
 * without a start keep no zones.
 * `value` (default: the score) lets the week's proposal count goal zones instead.
 */
export function planEvening<D extends EveningDuo>(
	duos: readonly D[],
	candidates: readonly ScoredZone[],
	settings: Paces,
	dwell = DEFAULT_DWELL_MINUTES,
	value: (z: ScoredZone) => number = (z) => z.score
): D[] {
	const planned = duos.filter((d) => d.start !== null);
	if (!planned.length || !candidates.length) return duos.map((d) => ({ ...d, stops: [] }));
	const team = planTeam({
		duos: planned.map((d): Duo => {
			const pace = paceOf(d.travelMode, settings);
			const only = d.limit && d.limit.kind !== 'none' ? new Set(candidates.filter((z) => duoMayTake(d, z)).map((z) => z.cell)) : undefined;
			return { id: d.key, start: d.start!, budgetMinutes: d.budgetMinutes, travelKmh: pace.kmh, detourFactor: pace.detourFactor, only };
		}),
		stops: candidates.map((z) => ({ id: z.cell, at: z.cell, value: value(z), dwellMinutes: dwell }))
	});
	const byDuo = new Map(team.ok ? team.rounds.map((r) => [r.duoId, r.stops.map((s) => ({ cell: s.id, dwellMinutes: s.dwellMinutes }))]) : []);
	return duos.map((d) => ({ ...d, stops: byDuo.get(d.key) ?? [] }));
}

/**
 * Moves a zone to the duo `toKey` (from whichever duo has it, or from the candidates), placed in
 * that duo's shortest travel order; `toKey` null takes it out of every round.
 */
export function moveZone<D extends EveningDuo>(
	duos: readonly D[],
	cell: string,
	toKey: string | null,
	settings: Paces,
	dwell = DEFAULT_DWELL_MINUTES
): D[] {
	const from = duos.find((d) => d.stops.some((s) => s.cell === cell));
	const dwellMinutes = from?.stops.find((s) => s.cell === cell)?.dwellMinutes ?? dwell;
	return duos.map((d) => {
		const without = d.stops.filter((s) => s.cell !== cell);
		if (d.key !== toKey) return without.length === d.stops.length ? d : { ...d, stops: without };
		const ordered = orderRoute([...without, { cell, dwellMinutes }], d.start, paceOf(d.travelMode, settings));
		return { ...d, stops: ordered.stops.map((s) => ({ cell: s.cell, dwellMinutes: s.dwellMinutes })) };
	});
}
