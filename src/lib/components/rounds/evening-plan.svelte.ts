// The coordinator's evening on /rounds/evening/[date]: the duos (workers, start, budget, travel
// mode, candidate limit, zones), and what follows (each round's timing and score,
// over budget, travel over half the budget, the free zones, the map's view, the save's body).
// The rules are domain/evening's; this class holds the state between them.
import { untrack } from 'svelte';
import { duoRoute, eveningCandidates, moveZone, planEvening, type EveningDuo } from '$lib/domain/evening';
import { NO_LIMIT, radiusForMinutes, travelHeavy, type CandidateLimit } from '$lib/domain/candidate-limits';
import { paceOf, type RoundSettings, type TravelMode } from '$lib/domain/travel';
import type { EveningView } from '$lib/map/evening-map';

/** A place a round may start from (team base or service location). */
export interface StartOption {
	cell: string;
	label: string;
	kind: 'base' | 'service';
	team?: string;
}

export interface EveningZone {
	cell: string;
	score: number;
	area: string | null;
}

/** A duo as the page edits it. */
export interface DuoDraft extends EveningDuo {
	roundId: number | null;
	title: string;
	teamId: number | null;
	/** Two or three workers; 0 for a select left empty. */
	workerIds: number[];
	/** Which zones the planner may give this duo (saved with its round). */
	limit: CandidateLimit;
}

export interface SavedRound {
	roundId: number;
	title: string;
	teamId: number | null;
	budgetMinutes: number;
	travelMode: TravelMode;
	limit: CandidateLimit;
	startCell: string | null;
	workers: { userId: number }[];
	stops: { cell: string; dwellMinutes: number }[];
}

/** A proposed round handed over by the week page (Edit). */
export interface ProposedDuo {
	workerIds: number[];
	start: string;
	budgetMinutes: number;
	travelMode: TravelMode;
	stops: { cell: string; dwellMinutes: number }[];
}

export interface EveningData {
	date: string;
	rounds: readonly SavedRound[];
	zones: readonly EveningZone[];
	settings: RoundSettings;
	planningRes: number;
	defaultDwell: number;
	limits: { minRounds: number; maxRounds: number };
}

let nextKey = 0;
const newKey = () => `duo-${++nextKey}`;

export class EveningPlan {
	duos = $state.raw<DuoDraft[]>([]);
	/** What the last change did, for screen readers. */
	announcement = $state('');
	busy = $state(false);

	readonly #source: () => EveningData;
	readonly #defaultTitle: (i: number) => string;

	constructor(data: () => EveningData, proposal: ProposedDuo[] | null, defaultTitle: (i: number) => string) {
		this.#source = data;
		this.#defaultTitle = defaultTitle;
		untrack(() => this.#restart(proposal, defaultTitle));
	}

	get #data(): EveningData {
		return this.#source();
	}

	#restart(proposal: ProposedDuo[] | null, defaultTitle: (i: number) => string) {
		const { rounds, limits } = this.#data;
		const duos: DuoDraft[] = rounds.map((r) => ({
			key: newKey(),
			roundId: r.roundId,
			title: r.title,
			teamId: r.teamId,
			workerIds: r.workers.map((w) => w.userId),
			start: r.startCell,
			budgetMinutes: r.budgetMinutes,
			travelMode: r.travelMode,
			limit: r.limit,
			stops: r.stops.map((s) => ({ cell: s.cell, dwellMinutes: s.dwellMinutes }))
		}));
		for (const p of proposal ?? []) {
			if (duos.length >= limits.maxRounds) break;
			duos.push({
				...this.#blank(defaultTitle(duos.length)),
				workerIds: [...p.workerIds],
				start: p.start,
				budgetMinutes: p.budgetMinutes,
				travelMode: p.travelMode,
				stops: p.stops.map((s) => ({ ...s }))
			});
		}
		while (duos.length < limits.minRounds) duos.push(this.#blank(defaultTitle(duos.length)));
		this.duos = duos;
	}

	#blank(title: string): DuoDraft {
		return {
			key: newKey(),
			roundId: null,
			title,
			teamId: null,
			workerIds: [0, 0],
			start: null,
			budgetMinutes: 120,
			travelMode: 'walking',
			limit: NO_LIMIT,
			stops: []
		};
	}

	readonly #zoneByCell = $derived(new Map(this.#data.zones.map((z) => [z.cell, z])));

	/** Each duo's route at its own pace. */
	readonly routes = $derived(this.duos.map((d) => duoRoute(d, this.#data.settings)));
	/** Each duo's total score. */
	readonly scores = $derived(this.duos.map((d) => d.stops.reduce((sum, s) => sum + (this.#zoneByCell.get(s.cell)?.score ?? 0), 0)));
	readonly totalScore = $derived(this.scores.reduce((a, b) => a + b, 0));
	/** Per duo: travel over half its budget (the share and the minutes to offer), or null. */
	readonly heavy = $derived(this.duos.map((d, i) => (d.stops.length ? travelHeavy(this.routes[i]!.walkingMinutes, d.budgetMinutes) : null)));

	/** The zones the planner may choose from: for some duo, within its limit and its reach. */
	readonly candidates = $derived(eveningCandidates(this.#data.zones, this.duos, NO_LIMIT, this.#data.settings, this.#data.defaultDwell));
	/** Per duo: how many zones its limit and reach leave it (none without a start). */
	readonly candidateCounts = $derived(
		this.duos.map((d) => eveningCandidates(this.#data.zones, [d], NO_LIMIT, this.#data.settings, this.#data.defaultDwell).length)
	);
	readonly #taken = $derived(new Set(this.duos.flatMap((d) => d.stops.map((s) => s.cell))));
	/** Candidates no duo visits, best first. */
	readonly free = $derived(this.candidates.filter((z) => !this.#taken.has(z.cell)));

	readonly mapView = $derived<EveningView>({
		rounds: this.duos.map((d) => ({ start: d.start, stops: d.stops.map((s) => s.cell) })),
		free: this.free.map((z) => z.cell),
		res: this.#data.planningRes
	});

	/** The body of ?/save. */
	readonly payload = $derived(
		JSON.stringify({
			plannedOn: this.#data.date,
			rounds: this.duos.map((d) => ({
				roundId: d.roundId,
				title: d.title,
				teamId: d.teamId,
				budgetMinutes: d.budgetMinutes,
				workerIds: d.workerIds.filter((id) => id > 0),
				travelMode: d.travelMode,
				start: d.start ? { cell: d.start } : null,
				limit: d.limit,
				stops: d.stops
			}))
		})
	);

	zone(cell: string): EveningZone | undefined {
		return this.#zoneByCell.get(cell);
	}

	update(i: number, change: Partial<DuoDraft>) {
		this.duos = this.duos.map((d, j) => (j === i ? { ...d, ...change } : d));
	}

	setWorker(i: number, slot: number, userId: number) {
		const ids = [...this.duos[i]!.workerIds];
		ids[slot] = userId;
		this.update(i, { workerIds: ids });
	}

	addDuo(title: string) {
		if (this.duos.length < this.#data.limits.maxRounds) this.duos = [...this.duos, this.#blank(title)];
	}

	/** After a save: each duo's round id, in the order saved. */
	saved(roundIds: readonly number[]) {
		this.duos = this.duos.map((d, i) => ({ ...d, roundId: roundIds[i] ?? d.roundId }));
	}

	/** After a saved round was removed on the server: its duo leaves the page (a blank one keeps the minimum). */
	removed(roundId: number) {
		const duos = this.duos.filter((d) => d.roundId !== roundId);
		while (duos.length < this.#data.limits.minRounds) duos.push(this.#blank(this.#defaultTitle(duos.length)));
		this.duos = duos;
	}

	/** Takes a duo not yet saved off the evening (its zones become free). */
	removeDuo(i: number) {
		if (this.duos.length > this.#data.limits.minRounds && this.duos[i]!.roundId === null) this.duos = this.duos.filter((_, j) => j !== i);
	}

	/** The planner's disjoint zones for every duo with a start, in place of the duos' zones. */
	planAll() {
		const { settings, defaultDwell } = this.#data;
		this.duos = planEvening(this.duos, this.candidates, settings, defaultDwell);
	}

	/** Moves a zone to duo `to` (an index), or off the evening (null). */
	move(cell: string, to: number | null) {
		const { settings, defaultDwell } = this.#data;
		this.duos = moveZone(this.duos, cell, to === null ? null : this.duos[to]!.key, settings, defaultDwell);
	}

	/**
	 * "Alleen zones binnen N minuten": limits duo `i` to zones within N minutes of travel of its
	 * start (at its pace) and plans again.
	 */
	onlyWithin(i: number, minutes: number) {
		this.update(i, { limit: { kind: 'radius', metres: radiusForMinutes(minutes, paceOf(this.duos[i]!.travelMode, this.#data.settings)) } });
		this.planAll();
	}
}
