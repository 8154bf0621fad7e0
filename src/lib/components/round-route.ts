// The round page's editing rules and texts, kept out of the component so they can be tested:
// the coordinator's draft (zones in walking order), what a save sends, and a refused save in words.
import type { Reason } from '$lib/domain/analysis/underserved';
import { reasonText, type ReasonContext, type Translate } from './underserved';
import { MAX_DWELL_MINUTES } from '$lib/domain/round-route';

export interface DraftStop {
	cell: string;
	dwellMinutes: number;
	/** The zone's score and reasons when it was chosen (saved with the stop). */
	score: number | null;
	reasons: Reason[];
}

/** The list with the item at `from` moved `by` places (−1: up); unchanged when it would leave the list. */
export function moveStop<T>(xs: readonly T[], from: number, by: number): T[] {
	const to = from + by;
	if (from < 0 || from >= xs.length || to < 0 || to >= xs.length) return [...xs];
	const out = [...xs];
	const [item] = out.splice(from, 1);
	out.splice(to, 0, item!);
	return out;
}

/** Takes the zone out of the route, or adds it at the end with `dwell` minutes. */
export function toggleStop(stops: readonly DraftStop[], zone: { cell: string; score: number | null; reasons: Reason[] }, dwell: number): DraftStop[] {
	if (stops.some((s) => s.cell === zone.cell)) return stops.filter((s) => s.cell !== zone.cell);
	return [...stops, { cell: zone.cell, dwellMinutes: dwell, score: zone.score, reasons: zone.reasons }];
}

/** The body of `?/save`: the start (a service location) or null, and the stops in order. */
export function routePayload(start: { cell: string; label: string } | null, stops: readonly DraftStop[]): string {
	return JSON.stringify({
		start,
		stops: stops.map(({ cell, dwellMinutes, score, reasons }) => ({ cell, dwellMinutes, score, reasons }))
	});
}

/**
 * What makes two routes the same for the coordinator: start, zones, order and minutes (not the
 * reasons, which the database hands back with their keys reordered).
 */
export function routeKey(start: { cell: string; label: string } | null, stops: readonly { cell: string; dwellMinutes: number }[]): string {
	return JSON.stringify([start?.cell ?? null, start?.label ?? null, stops.map((s) => [s.cell, s.dwellMinutes])]);
}

// The zones a coordinator chooses from are scored over the last 12 months (planningZones), so
// their reasons say "in 12 maanden" where the map's say "in deze periode".
const PLANNING_WINDOW: Record<string, string> = {
	'underserved.reason.demand': 'roundRoute.reason.demand',
	'underserved.reason.demandBelowK': 'roundRoute.reason.demandBelowK'
};

/** `t` for reasonText (components/underserved.ts) with the planning window's own phrases. */
export function planningTranslate(t: Translate): Translate {
	return (id, options) => t(PLANNING_WINDOW[id] ?? id, options);
}

/** The context of reasonText for the zones a coordinator chooses from: the planning window's phrases, exact figures. */
export function planningContext(t: Translate, tag: string): ReasonContext {
	return { t: planningTranslate(t), tag, k: null, category: () => null };
}

/** A zone's reasons on one line: "3 open signalen · geen bezoek in 73 dagen". */
export function reasonsLine(reasons: readonly Reason[], c: ReasonContext): string {
	return reasons.map((r) => reasonText(r, c)).join(' · ');
}

/** "score 47 · 3 open signalen · …": why a saved stop's zone was chosen, as it stood then. */
export function planningText(s: { score: number | null; reasons: readonly Reason[] }, c: ReasonContext): string {
	return [...(s.score === null ? [] : [c.t('roundRoute.score', { values: { score: s.score } })]), reasonsLine(s.reasons, c)]
		.filter(Boolean)
		.join(' · ');
}

/**
 * A refused save as one sentence that names the field in words ("Gekozen zones: …"). The server
 * answers in English; the refusals it knows are put in the UI language, with its numbers.
 */
export function saveProblemText(p: { field?: string; code?: string; params?: Record<string, string | number> }, t: Translate): string {
	const field = p.field ?? 'route';
	const stop = /^stops\.(\d+)\.(\w+)/.exec(field);
	const label = stop
		? t(stop[2] === 'dwellMinutes' ? 'roundRoute.field.stopDwell' : 'roundRoute.field.stop', { values: { n: Number(stop[1]) + 1 } })
		: field === 'start' || field.startsWith('start.')
			? t('roundRoute.field.start')
			: field === 'stops'
				? t('roundRoute.field.stops')
				: t('roundRoute.field.route');
	const text =
		p.code === 'routeOverBudget'
			? t('roundRoute.error.overBudget', { values: { minutes: p.params?.minutes ?? '', budget: p.params?.budget ?? '' } })
			: p.code === 'stopTwice'
				? t('roundRoute.error.twice')
				: p.code === 'startUnknown'
					? t('roundRoute.error.startUnknown')
					: p.code === 'stopNotZone'
						? t('roundRoute.error.notZone')
						: stop?.[2] === 'dwellMinutes'
							? t('roundRoute.dwellInvalid', { values: { max: MAX_DWELL_MINUTES } })
							: // other refusals (a malformed route) have no words of their own
								t('errors.generic');
	return t('roundRoute.error.withField', { values: { field: label, message: text } });
}
