// Which zones a round may choose from: all of them, those in one or more areas of the
// organisation's district layer (settings/areas), or those within a radius of the start. A visible choice of the coordinator, kept
// per round; never guessed from the round's title or team. Also the "travel takes more than half
// the budget" check and the radius that N minutes of travel reach.
import { cellCentre, distanceM } from './cells';
import type { Pace } from './travel';

export const MIN_RADIUS_M = 100;
export const MAX_RADIUS_M = 50_000;

export type CandidateLimit = { kind: 'none' } | { kind: 'areas'; codes: string[] } | { kind: 'radius'; metres: number };

export const NO_LIMIT: CandidateLimit = { kind: 'none' };

/** A zone as the limit sees it: its cell and the code of the planning area its centre lies in. */
export interface AreaZone {
	cell: string;
	area: string | null;
}

/** The zones the limit keeps; a radius counts from `start` (no start: the radius keeps everything). */
export function withinLimit<Z extends AreaZone>(zones: readonly Z[], limit: CandidateLimit, start: string | null): Z[] {
	if (limit.kind === 'areas') {
		const codes = new Set(limit.codes);
		return zones.filter((z) => z.area !== null && codes.has(z.area));
	}
	if (limit.kind === 'radius' && start) {
		const from = cellCentre(start);
		return zones.filter((z) => distanceM(from, cellCentre(z.cell)) <= limit.metres);
	}
	return [...zones];
}

/** The straight-line radius that `minutes` of travel at `pace` reach (street distance = radius × detour). */
export function radiusForMinutes(minutes: number, pace: Pace): number {
	const metres = (minutes * pace.kmh * 1000) / 60 / pace.detourFactor;
	return Math.min(MAX_RADIUS_M, Math.max(MIN_RADIUS_M, Math.round(metres / 50) * 50));
}

/** The limit as stored (street_round.limit_areas, limit_radius_m). */
export function limitColumns(limit: CandidateLimit): { areas: string[] | null; radiusM: number | null } {
	if (limit.kind === 'areas') return { areas: [...limit.codes], radiusM: null };
	if (limit.kind === 'radius') return { areas: null, radiusM: Math.round(limit.metres) };
	return { areas: null, radiusM: null };
}

/** The limit read back from its columns. */
export function limitOf(areas: readonly string[] | null, radiusM: number | null): CandidateLimit {
	if (areas && areas.length) return { kind: 'areas', codes: [...areas] };
	if (radiusM !== null) return { kind: 'radius', metres: radiusM };
	return NO_LIMIT;
}

/**
 * When travel takes more than half the budget: the share, and the minutes that a compact round
 * would keep travel to ("alleen zones binnen N minuten": a quarter of the budget each way, at
 * least 5). Null when travel is within half the budget or nothing is planned.
 */
export function travelHeavy(travelMinutes: number, budgetMinutes: number): { share: number; withinMinutes: number } | null {
	if (!(budgetMinutes > 0) || !(travelMinutes > budgetMinutes / 2)) return null;
	return { share: travelMinutes / budgetMinutes, withinMinutes: Math.max(5, Math.round(budgetMinutes / 4 / 5) * 5) };
}
