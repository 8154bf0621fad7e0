// The week and coverage over time. The organisation's revisit goal: every zone scoring at least
// `minScore` visited at least once every `days` days. A goal zone is covered for a week when a
// contact was logged in it, or a round is planned through it, within the `days` days that end on
// the week's last day. "Voorstel voor de week" proposes rounds for the duos available on given
// evenings that cover as many uncovered goal zones as possible: evening by evening, the team
// planner (planEvening) with each goal zone worth the same, a little more for a higher score.
import { addDays } from './calendar';
import { DEFAULT_DWELL_MINUTES, travelMinutes } from './round-route';
import { planEvening, sharedWorker, type EveningDuo, type ScoredZone } from './evening';
import { paceOf, type RoundSettings, type TravelMode } from './travel';

export interface RevisitGoal {
	minScore: number;
	days: number;
}

/** The days (inclusive) in which a visit counts for the week ending on `weekEnd`. */
export function coverageWindow(weekEnd: string, goal: RevisitGoal): { from: string; to: string } {
	return { from: addDays(weekEnd, -(goal.days - 1)), to: weekEnd };
}

/** The zones the goal asks to visit, best first. */
export function goalZones<Z extends { cell: string; score: number }>(zones: readonly Z[], goal: RevisitGoal): Z[] {
	return zones.filter((z) => z.score >= goal.minScore).sort((a, b) => b.score - a.score || (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0));
}

/** The goal zones neither visited (contacts logged) nor planned (rounds' stops) in the window. */
export function unvisitedGoalZones<Z extends { cell: string }>(goal: readonly Z[], visited: Iterable<string>, planned: Iterable<string>): Z[] {
	const covered = new Set([...visited, ...planned]);
	return goal.filter((z) => !covered.has(z.cell));
}

/** A duo available for the week: its workers, start, budget, travel mode and evenings (dates). */
export interface WeekDuo {
	id: string;
	workerIds: number[];
	start: string;
	budgetMinutes: number;
	travelMode: TravelMode;
	evenings: string[];
}

export interface ProposedRound {
	/** `${date}:${duo id}`. */
	key: string;
	plannedOn: string;
	duoId: string;
	workerIds: number[];
	start: string;
	budgetMinutes: number;
	travelMode: TravelMode;
	stops: { cell: string; dwellMinutes: number }[];
}

export interface WeekProposal {
	rounds: ProposedRound[];
	/** Goal zones no proposed round visits. */
	uncovered: string[];
	/** Duos left out of an evening because a worker was already in another duo that evening. */
	skipped: { plannedOn: string; duoId: string; userId: number }[];
}

/** Candidates per evening at most (the nearest to the evening's starts): keeps each evening's planner fast. */
export const MAX_WEEK_CANDIDATES = 60;

/**
 * Rounds for the week that cover as many of `goal` (the unvisited goal zones) as possible. Evenings
 * in date order; each evening's duos share the zones still uncovered, nearest to their starts
 * first; a zone covered one evening is not proposed again. Deterministic.
 */
export function proposeWeek(
	duos: readonly WeekDuo[],
	goal: readonly ScoredZone[],
	settings: Pick<RoundSettings, 'cyclingKmh' | 'cyclingDetour'>,
	dwell = DEFAULT_DWELL_MINUTES
): WeekProposal {
	const dates = [...new Set(duos.flatMap((d) => d.evenings))].sort();
	let open = [...goal];
	const rounds: ProposedRound[] = [];
	const skipped: WeekProposal['skipped'] = [];
	for (const date of dates) {
		const evening: WeekDuo[] = [];
		for (const duo of duos.filter((d) => d.evenings.includes(date))) {
			const clash = sharedWorker([...evening, duo]);
			if (clash) skipped.push({ plannedOn: date, duoId: duo.id, userId: clash.userId });
			else evening.push(duo);
		}
		if (!evening.length || !open.length) continue;
		const reachable = open
			.map((z) => {
				const gap = Math.min(
					...evening.map((d) => {
						const travel = travelMinutes(d.start, z.cell, paceOf(d.travelMode, settings));
						return 2 * travel + dwell <= d.budgetMinutes ? travel : Infinity;
					})
				);
				return { z, gap };
			})
			.filter((x) => Number.isFinite(x.gap))
			.sort((a, b) => a.gap - b.gap || (a.z.cell < b.z.cell ? -1 : 1))
			.slice(0, MAX_WEEK_CANDIDATES)
			.map((x) => x.z);
		if (!reachable.length) continue;
		const planned = planEvening(
			evening.map((d): EveningDuo => ({ key: d.id, start: d.start, budgetMinutes: d.budgetMinutes, travelMode: d.travelMode, stops: [] })),
			reachable,
			settings,
			dwell,
			// every goal zone counts the same; the score only breaks ties
			(z) => 1000 + z.score
		);
		for (const [i, p] of planned.entries()) {
			if (!p.stops.length) continue;
			const d = evening[i]!;
			rounds.push({
				key: `${date}:${d.id}`,
				plannedOn: date,
				duoId: d.id,
				workerIds: [...d.workerIds],
				start: d.start,
				budgetMinutes: d.budgetMinutes,
				travelMode: d.travelMode,
				stops: p.stops
			});
		}
		const taken = new Set(planned.flatMap((p) => p.stops.map((s) => s.cell)));
		open = open.filter((z) => !taken.has(z.cell));
	}
	return { rounds, uncovered: open.map((z) => z.cell), skipped };
}
