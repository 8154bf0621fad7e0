// The coordinator's plan of one street round's route, as the round page edits it: the draft (the
// start, the minutes per zone and the chosen zones in walking order), what follows from it (the
// candidates, the timing, over budget, unsaved changes, the map's view) and its transitions. The
// rules are the pure functions of domain/round-route and ../round-route; this class holds the
// state between them. The page reads its data through a getter (so a reload is seen) and gives
// the texts said to screen readers, which need its language and its district names.
import { untrack } from 'svelte';
import type { Reason } from '$lib/domain/analysis/underserved';
import { candidatesNear, orderRoute, proposeRouteOrWhy, routeOf } from '$lib/domain/round-route';
import { radiusForMinutes, travelHeavy, withinLimit, type CandidateLimit } from '$lib/domain/candidate-limits';
import { DEFAULT_ROUND_SETTINGS, paceOf, type RoundSettings, type TravelMode } from '$lib/domain/travel';
import { busyWhile } from '../form-errors';
import { moveStop, routeKey, routePayload, toggleStop, type DraftStop } from '../round-route';

/** A place a round may start from (a service location). */
export interface PlanStart {
	cell: string;
	label: string;
}

/** A zone to choose from, with its score and why. */
export interface PlanZone {
	cell: string;
	score: number;
	reasons: Reason[];
	/** The planning area (district) the zone lies in, for the candidate limit. */
	area?: string | null;
}

/** A stop of the saved route. */
export interface PlanStop {
	cell: string;
	dwellMinutes: number;
	score: number | null;
	reasons: Reason[];
}

/** What the plan reads from the page's data (the load's answer). */
export interface PlanData {
	round: {
		roundId: number;
		startCell: string | null;
		startLabel: string | null;
		budgetMinutes: number;
		travelMode?: TravelMode;
		limit?: CandidateLimit;
	};
	/** The organisation's cycling pace and detour (walking's defaults when absent). */
	settings?: Pick<RoundSettings, 'cyclingKmh' | 'cyclingDetour'>;
	stops: readonly PlanStop[];
	starts: readonly PlanStart[];
	zones: readonly PlanZone[];
	canEdit: boolean;
	planningRes: number;
	defaultDwell: number;
	maxDwell: number;
}

/** The texts said to screen readers after a change, in the page's language. */
export interface PlanTexts {
	/** The automatic choice found no zone to choose from. */
	autoNone(): string;
	/** The automatic choice found nothing that fits: one zone needs at least `minutes`. */
	autoTooSmall(minutes: number): string;
	/** The stop of `cell` is now at place `at` (0-based). */
	moved(cell: string, at: number): string;
	/** The stop of `cell`, at place `at` (0-based), was taken out. */
	removed(cell: string, at: number): string;
}

/** What the route map shows: the start, the stops in order and the candidates. */
export interface PlanMapView {
	start: string | null;
	stops: string[];
	candidates: string[];
	res: number;
}

export class RoundPlan {
	/** The start select's value: an index into data.starts, or '' for none. */
	startChoice = $state('');
	/** Minutes per zone as typed (null while the field is empty). */
	dwellInput = $state<number | null>(null);
	/** The chosen zones in walking order. */
	chosen = $state.raw<DraftStop[]>([]);
	/** The last change in words, for screen readers. */
	announcement = $state('');
	/** Why the automatic choice found nothing, in words ('' when it did). */
	autoProblem = $state('');
	/** The route is being saved. */
	busy = $state(false);
	/** The budget is being changed. */
	budgetBusy = $state(false);
	/** On foot or by bike (saved with the route). */
	travelMode = $state<TravelMode>('walking');
	/** Which zones may be chosen (saved with the route). */
	limit = $state.raw<CandidateLimit>({ kind: 'none' });

	readonly #source: () => PlanData;
	readonly #texts: PlanTexts;
	/** The round the draft was made for. */
	#draftOf: number;

	/** `use:enhance` of the save form: busy while it runs; the draft stays as it is. */
	readonly save = busyWhile((b) => (this.busy = b), { reset: false });
	/** `use:enhance` of the budget form. */
	readonly budgetSave = busyWhile((b) => (this.budgetBusy = b), { reset: false });

	/** The round's time budget in minutes. */
	readonly budget = $derived(this.#data.round.budgetMinutes);
	/** The chosen start, or null: the route then starts in its first zone. */
	readonly start = $derived(this.startChoice === '' ? null : (this.#data.starts[Number(this.startChoice)] ?? null));
	readonly startCell = $derived(this.start?.cell ?? null);
	readonly dwellValid = $derived(
		typeof this.dwellInput === 'number' && Number.isInteger(this.dwellInput) && this.dwellInput >= 0 && this.dwellInput <= this.#data.maxDwell
	);
	/** The minutes per zone given to a zone when it is added: as typed when valid, else the default. */
	readonly dwell = $derived(this.dwellValid ? (this.dwellInput as number) : this.#data.defaultDwell);

	readonly #zoneByCell = $derived(new Map(this.#data.zones.map((z) => [z.cell, z])));
	/** The round's pace: walking, or the organisation's cycling pace. */
	readonly pace = $derived(paceOf(this.travelMode, this.#data.settings ?? DEFAULT_ROUND_SETTINGS));
	/** The zones the limit keeps (areas, or a radius around the start). */
	readonly #limited = $derived(
		withinLimit(
			this.#data.zones.map((z) => ({ ...z, area: z.area ?? null })),
			this.limit,
			this.startCell
		)
	);
	/** The zones within reach of the start, best first (none for who cannot edit). */
	readonly candidates = $derived(this.#data.canEdit ? candidatesNear(this.#limited, this.startCell, this.budget, this.dwell, this.pace) : []);
	readonly chosenCells = $derived(new Set(this.chosen.map((s) => s.cell)));
	/** The draft's timing, from the start (or its first zone) and back. */
	readonly draft = $derived(routeOf(this.startCell ?? this.chosen[0]?.cell ?? '', this.chosen, this.pace));
	/** Travel over half the budget: its share and the minutes to offer ("alleen zones binnen N minuten"). */
	readonly heavy = $derived(this.chosen.length ? travelHeavy(this.draft.walkingMinutes, this.budget) : null);
	/** Minutes the draft is over the budget; negative: the minutes left. */
	readonly over = $derived(this.draft.totalMinutes - this.budget);
	/** The body of `?/save`. */
	readonly payload = $derived(routePayload(this.start, this.chosen));
	/** The round's travel mode and candidate limit, saved with the route (the save form's `options`). */
	readonly options = $derived(JSON.stringify({ travelMode: this.travelMode, limit: this.limit }));

	/** The saved route's timing, as everyone sees it. */
	readonly saved = $derived.by(() => {
		const { round, stops, settings } = this.#data;
		return routeOf(round.startCell ?? stops[0]?.cell ?? '', stops, paceOf(round.travelMode ?? 'walking', settings ?? DEFAULT_ROUND_SETTINGS));
	});
	/** The draft differs from the saved route (start, zones, order or minutes). */
	readonly dirty = $derived.by(() => {
		const { round, stops, canEdit } = this.#data;
		const savedStart = round.startCell ? { cell: round.startCell, label: round.startLabel ?? '' } : null;
		const options =
			JSON.stringify([this.travelMode, this.limit]) !== JSON.stringify([round.travelMode ?? 'walking', round.limit ?? { kind: 'none' }]);
		return canEdit && (options || routeKey(this.start, this.chosen) !== routeKey(savedStart, stops));
	});

	/** The coordinator's draft on the map; the saved route for who cannot edit. */
	readonly mapView = $derived.by((): PlanMapView => {
		const { round, stops, canEdit, planningRes } = this.#data;
		return canEdit
			? { start: this.startCell, stops: this.chosen.map((s) => s.cell), candidates: this.candidates.map((c) => c.cell), res: planningRes }
			: { start: round.startCell, stops: stops.map((s) => s.cell), candidates: [], res: planningRes };
	});

	/** What goes on paper: the saved route only, for everyone (never the draft or the candidates). */
	readonly printView = $derived.by((): PlanMapView => {
		const { round, stops, planningRes } = this.#data;
		return { start: round.startCell, stops: stops.map((s) => s.cell), candidates: [], res: planningRes };
	});

	constructor(data: () => PlanData, texts: PlanTexts) {
		this.#source = data;
		this.#texts = texts;
		// The draft starts as the saved route and is the page's own from then on: a save (which
		// reloads the data) leaves what the coordinator is working on alone.
		this.#draftOf = untrack(() => data().round.roundId);
		untrack(() => this.#restart());
	}

	/** The page's data as it is now (a method, so the deriveds above may read it). */
	get #data(): PlanData {
		return this.#source();
	}

	/**
	 * SvelteKit keeps the page when only [id] changes (Back from one round to another): the draft
	 * then starts again from the round now shown, or a save would write the other round's zones
	 * into it. Call it in `$effect.pre`: it depends on the round's id only.
	 */
	follow(): void {
		const id = this.#data.round.roundId;
		if (id === this.#draftOf) return;
		this.#draftOf = id;
		untrack(() => {
			this.#restart();
			this.announcement = '';
		});
	}

	/** The draft as the saved route. */
	#restart(): void {
		const { round, starts, stops, defaultDwell } = this.#data;
		this.startChoice = startIndex(starts, round.startCell, round.startLabel);
		this.dwellInput = defaultDwell;
		this.chosen = stops.map(({ cell, dwellMinutes, score, reasons }): DraftStop => ({ cell, dwellMinutes, score, reasons }));
		this.travelMode = round.travelMode ?? 'walking';
		this.limit = round.limit ?? { kind: 'none' };
		this.autoProblem = '';
	}

	/** The start chosen in the searchable list (StartPicker): its cell and name; null: none. */
	chooseStart(cell: string | null, label: string | null = null): void {
		this.startChoice = startIndex(this.#data.starts, cell, label);
	}

	/** Minutes of travel from the start to the zone, rounded; null without a start. */
	walkFromStart(cell: string): number | null {
		const from = this.startCell;
		return from ? Math.round(routeOf(from, [{ cell, dwellMinutes: 0 }], this.pace).stops[0]!.walkMinutes) : null;
	}

	/** Takes the zone out of the draft, or adds it at the end with the current minutes per zone. */
	toggle(cell: string): void {
		const zone = this.#zoneByCell.get(cell) ?? this.chosen.find((s) => s.cell === cell);
		if (zone) this.chosen = toggleStop(this.chosen, zone, this.dwell);
	}

	/**
	 * The planner's choice among the candidates, in place of the draft's zones; when nothing fits,
	 * the draft empties and autoProblem says why (a budget too small, with the minutes needed).
	 */
	chooseAutomatically(): void {
		const proposal = proposeRouteOrWhy(this.#limited, this.startCell, this.budget, this.dwell, this.pace);
		if (!proposal.ok) {
			this.autoProblem = proposal.reason === 'budgetTooSmall' ? this.#texts.autoTooSmall(Math.ceil(proposal.neededMinutes)) : this.#texts.autoNone();
			this.announcement = this.autoProblem;
			this.chosen = [];
			return;
		}
		const zones = this.#zoneByCell;
		this.chosen = proposal.route.stops.map((s) => {
			const z = zones.get(s.cell);
			return { cell: s.cell, dwellMinutes: s.dwellMinutes, score: z?.score ?? null, reasons: z?.reasons ?? [] };
		});
		this.autoProblem = '';
		this.announcement = '';
	}

	/** The chosen zones in the shortest walking order. */
	optimise(): void {
		const byCell = new Map(this.chosen.map((s) => [s.cell, s]));
		this.chosen = orderRoute(this.chosen, this.startCell, this.pace).stops.map((s) => byCell.get(s.cell)!);
	}

	/** "Alleen zones binnen N minuten": a radius that N minutes of travel reach, and the planner's choice again. */
	onlyWithin(minutes: number): void {
		this.limit = { kind: 'radius', metres: radiusForMinutes(minutes, this.pace) };
		this.chooseAutomatically();
	}

	/** Moves the stop at `i` by `by` places (−1: up); gives its cell. */
	move(i: number, by: number): string {
		const cell = this.chosen[i]!.cell;
		this.chosen = moveStop(this.chosen, i, by);
		this.announcement = this.#texts.moved(cell, i + by);
		return cell;
	}

	/** Takes the stop at `i` out of the draft. */
	remove(i: number): void {
		const cell = this.chosen[i]!.cell;
		this.announcement = this.#texts.removed(cell, i);
		this.chosen = this.chosen.filter((_, j) => j !== i);
	}
}

/** The start select's value for a saved start: its index in `starts` ('' for none or unknown). */
export function startIndex(starts: readonly PlanStart[], cell: string | null, label: string | null): string {
	if (!cell) return '';
	const i = starts.findIndex((s) => s.cell === cell && s.label === label);
	const j = i >= 0 ? i : starts.findIndex((s) => s.cell === cell);
	return j >= 0 ? String(j) : '';
}
