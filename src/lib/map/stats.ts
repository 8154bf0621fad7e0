// The map's numbers, as pure functions (no MapLibre): class breaks and legend rows, the totals and
// records of the reach view, the underserved and hotspots views' summaries, the feature-state class
// of every drawn cell, and the figures the legend prints. For analysts a count is rounded to a
// multiple of ROUNDING_BASE or suppressed (null, shown as "< k"); nothing here turns a suppressed
// figure into a number.
import { getHexagonEdgeLengthAvg } from 'h3-js';
import { unpackCell } from '$lib/domain/cells';
import { ROUNDING_BASE } from '$lib/domain/privacy';
import type { Reason } from '$lib/domain/analysis/underserved';
import type { HexColumns, HotspotColumns, UnderservedColumns } from '$lib/api/map';
import { hotspotIndex, MAGMA, MAX_CLASSES, paletteFor, SCORE_BREAKS, SCORE_MAX } from './colour';
import type { ChangeStats } from './time-stats';

/**
 * What the hex layer shows: contacts per cell, the underserved score per zone, Gi* classes, and
 * for coordinators contacts per month on a fixed scale (months) or the change between two periods.
 */
export type HexMode = 'reach' | 'underserved' | 'hotspots' | 'months' | 'change';

/** One drawn cell. For analysts a null is a suppressed figure ("< k"), never a zero. */
export interface HexRecord {
	cell: string;
	contacts: number | null;
	persons: number | null;
	referrals: number | null;
	daysSinceLast: number | null;
	/** The largest referral target and its referrals, when the answer has one for this cell. */
	topTarget?: { id: number; referrals: number };
}

export interface LegendClass {
	from: number;
	/** Inclusive upper bound (the data's maximum for the top class). */
	to: number;
	colour: string;
}

export interface HexStats {
	res: number;
	from: string;
	to: string;
	breaks: number[];
	legend: LegendClass[];
	/** Drawn cells, suppressed ones included. */
	count: number;
	/** Cells drawn as "< k" (analysts only). */
	suppressed: number;
	/** Contacts in view, from the server's totals (null: below k for an analyst). */
	sum: number | null;
	/** Suppression threshold for analysts; null when counts are exact. */
	k: number | null;
	/** Drawn cells (contacts > 0 or suppressed), most contacts first, suppressed last. */
	records: HexRecord[];
}

export interface HotspotStats {
	res: number;
	from: string;
	to: string;
	counts: { hot: number; cold: number };
	/** The analysts' threshold the counts behind the statistic were published with; else null. */
	k: number | null;
	/** Class code (3…1 hot, −1…−3 cold) of every classified cell. */
	classes: ReadonlyMap<string, number>;
}

export interface UnderservedZone {
	cell: string;
	score: number;
	/** Strongest first. */
	reasons: Reason[];
}

export interface UnderservedStats {
	res: number;
	from: string;
	to: string;
	legend: LegendClass[];
	/** Zones drawn (scoring 5 or more). */
	count: number;
	/** Zones scored, the ones below 5 included. */
	zoneCount: number;
	populationLayer: string | null;
	/** The analysts' threshold the figures behind the scores were published with; else null. */
	k: number | null;
	/** The highest drawn zones, highest first. */
	top: UnderservedZone[];
	/** Score of every drawn zone. */
	scores: ReadonlyMap<string, number>;
}

/** The summary each mode hands to the page. */
export interface ModeStats {
	reach: HexStats;
	underserved: UnderservedStats;
	hotspots: HotspotStats;
	months: HexStats;
	change: ChangeStats;
}

// ---- classes ---------------------------------------------------------------------------------

const NICE_STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10];

/** Round a count to a number people read easily (12 → 12, 137 → 150, 2380 → 2500). */
export function niceNumber(x: number): number {
	if (x <= 20) return Math.round(x);
	const mag = 10 ** Math.floor(Math.log10(x));
	let best = mag;
	for (const s of NICE_STEPS) {
		if (Math.abs(s * mag - x) < Math.abs(best - x)) best = s * mag;
	}
	return Math.round(best);
}

/**
 * Lower bounds of up to maxClasses classes (ascending, first = smallest positive value), from
 * quantiles of the positive values, rounded to nice numbers. Empty when nothing is positive.
 */
export function classBreaks(values: ArrayLike<number>, maxClasses: number = MAX_CLASSES): number[] {
	const v = Array.from(values)
		.filter((x) => x > 0)
		.sort((a, b) => a - b);
	if (v.length === 0) return [];
	const max = v[v.length - 1]!;
	const breaks = [v[0]!];
	for (let i = 1; i < maxClasses; i++) {
		const q = v[Math.floor((i * v.length) / maxClasses)]!;
		const b = niceNumber(q);
		if (b > breaks[breaks.length - 1]! && b <= max) breaks.push(b);
	}
	return breaks;
}

/** Feature-state class of a cell that is not drawn (zero or no data). */
export const NO_CLASS = -1;
/** Feature-state class of a cell whose count is suppressed for this role ("< k"). */
export const SUPPRESSED_CLASS = -2;

/** Class index of a value, or NO_CLASS when it is not drawn (zero or no data). */
export function classOf(value: number, breaks: readonly number[]): number {
	if (!(value > 0) || breaks.length === 0) return NO_CLASS;
	let cls = 0;
	for (let i = 1; i < breaks.length; i++) if (value >= breaks[i]!) cls = i;
	return cls;
}

/**
 * The spacing of the counts a role can see: 1 for exact counts, ROUNDING_BASE (5) for an
 * analyst's published counts (k set), which are multiples of it.
 */
export function legendStep(k: number | null): number {
	return k === null ? 1 : ROUNDING_BASE;
}

/**
 * Legend rows for the breaks. `step` is the spacing of the values that can occur: 1 for exact
 * counts, 5 for an analyst's rounded counts (so a class reads "5", "10–20", not "5–9").
 */
export function legendClasses(
	breaks: readonly number[],
	max: number,
	step = 1,
	colours: readonly string[] = paletteFor(breaks.length)
): LegendClass[] {
	return breaks.map((from, i) => {
		const next = breaks[i + 1];
		const to = next !== undefined ? Math.max(from, Math.ceil(next / step) * step - step) : Math.max(from, max);
		return { from, to, colour: colours[i]! };
	});
}

/** Score legend rows: 5–19, 20–39, 40–59, 60–79, 80–100. */
export function scoreLegend(): LegendClass[] {
	return legendClasses(SCORE_BREAKS, SCORE_MAX, 1, MAGMA);
}

// ---- reach: contacts per cell ----------------------------------------------------------------

/**
 * The drawn cells of a hex answer, in the answer's order: contacts above 0, or suppressed (null).
 * A null (suppressed) figure stays null; only a missing entry of an exact column means 0.
 */
export function hexRecords(data: HexColumns): HexRecord[] {
	const value = (col: (number | null)[], i: number) => {
		const v = col[i];
		return v === undefined ? 0 : v;
	};
	const records: HexRecord[] = [];
	for (let i = 0; i < data.cells.length; i++) {
		const contacts = value(data.contacts, i);
		if (contacts !== null && !(contacts > 0)) continue;
		records.push({
			cell: unpackCell(data.cells[i]!, data.res),
			contacts,
			persons: value(data.persons, i),
			referrals: value(data.referrals, i),
			daysSinceLast: value(data.daysSinceLast, i),
			...topTargetAt(data, i)
		});
	}
	return records;
}

function topTargetAt(data: HexColumns, i: number): Pick<HexRecord, 'topTarget'> {
	const id = data.topTarget?.[i];
	const referrals = data.topTargetReferrals?.[i];
	return id != null && referrals != null && referrals > 0 ? { topTarget: { id, referrals } } : {};
}

/** The shown (not suppressed) contact counts. */
function shownCounts(records: readonly HexRecord[]): number[] {
	return records.flatMap((r) => (r.contacts === null ? [] : [r.contacts]));
}

/**
 * Contacts in view. The server's total when it sent one (computed from the true counts, then
 * published): summing rounded values here would be wrong, and for analysts a disclosure risk.
 * Only an answer without totals is summed. Null: the total is below k (analysts).
 */
export function contactTotal(data: Pick<HexColumns, 'totals'>, records: readonly HexRecord[]): number | null {
	return data.totals ? data.totals.contacts : shownCounts(records).reduce((s, c) => s + c, 0);
}

/** The reach view's summary: breaks and legend of the shown counts, totals, records sorted. */
export function hexStats(data: HexColumns, records: readonly HexRecord[] = hexRecords(data)): HexStats {
	const k = data.k ?? null;
	const shown = shownCounts(records);
	const breaks = classBreaks(shown);
	const max = shown.length ? Math.max(...shown) : 0;
	// Cell ids are lower-case hex of one length: comparing them as strings is their order (and
	// much cheaper than localeCompare over 10,000 cells).
	const sorted = [...records].sort((a, b) => (b.contacts ?? -1) - (a.contacts ?? -1) || (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0));
	return {
		res: data.res,
		from: data.from,
		to: data.to,
		breaks,
		// Analysts' counts are multiples of 5: a class 5–9 would promise values that cannot occur.
		legend: legendClasses(breaks, max, legendStep(k)),
		count: records.length,
		suppressed: records.length - shown.length,
		sum: contactTotal(data, records),
		k,
		records: sorted
	};
}

/** Feature-state class of every drawn cell: its count's class, or SUPPRESSED_CLASS for "< k". */
export function reachClasses(records: readonly HexRecord[], breaks: readonly number[]): Map<string, number> {
	return new Map(records.map((r) => [r.cell, r.contacts === null ? SUPPRESSED_CLASS : classOf(r.contacts, breaks)]));
}

// ---- underserved and hot spots -----------------------------------------------------------------

/** The underserved view's summary; only drawn zones (scoring 5 or more) are listed. */
export function underservedStats(data: UnderservedColumns): UnderservedStats {
	const res = data.res;
	const scores = new Map(data.cells.map((packed, i) => [unpackCell(packed, res), data.scores[i]!]));
	// A zone below 5 could not be shown on the map.
	const top = data.top.map((z) => ({ cell: unpackCell(z.cell, res), score: z.score, reasons: z.reasons })).filter((z) => scores.has(z.cell));
	return {
		res,
		from: data.from,
		to: data.to,
		legend: scoreLegend(),
		count: scores.size,
		zoneCount: data.zoneCount,
		populationLayer: data.populationLayer,
		k: data.published?.k ?? null,
		top,
		scores
	};
}

/** Feature-state class of every drawn zone: its score's fixed class. */
export function scoreClasses(scores: ReadonlyMap<string, number>): Map<string, number> {
	return new Map([...scores].map(([cell, score]) => [cell, classOf(score, SCORE_BREAKS)]));
}

/** The hotspots view's summary: the Gi* class code of every classified cell and the counts. */
export function hotspotStats(data: HotspotColumns): HotspotStats {
	const res = data.res;
	return {
		res,
		from: data.from,
		to: data.to,
		counts: data.counts,
		k: data.published?.k ?? null,
		classes: new Map(data.cells.map((packed, i) => [unpackCell(packed, res), data.classes[i]!]))
	};
}

/** Feature-state class of every classified cell: its index in the hot spot colours. */
export function spotClasses(codes: ReadonlyMap<string, number>): Map<string, number> {
	return new Map([...codes].map(([cell, code]) => [cell, hotspotIndex(code)]));
}

// ---- the legend's figures ------------------------------------------------------------------------

/** A cell's average edge at a resolution, in metres rounded to tens (the legend's "≈ 170 m"). */
export function edgeMetres(res: number): number {
	return Math.round(getHexagonEdgeLengthAvg(res, 'm') / 10) * 10;
}

/** A class's range in words: "12" for a one-value class, else "10–20". */
export function rangeText(from: number, to: number, format: (n: number) => string = String): string {
	return from === to ? format(from) : `${format(from)}–${format(to)}`;
}

// ---- the report's choropleth -------------------------------------------------------------------

/** `x` floored to `decimals` decimals (a hair of slack so 0.3 stays 0.3). */
function floorTo(x: number, decimals: number): number {
	const f = 10 ** decimals;
	return Math.floor(x * f + 1e-9) / f;
}

/**
 * Quantile class breaks for any figure, fractions too (a coverage share 0..1, contacts per 1,000
 * with one decimal), where classBreaks' rounding to integers would merge every class into one.
 * Lower bounds of up to maxClasses classes, ascending: the first is the smallest value, the others
 * quantiles of the values, each floored to `decimals` decimals (so every value still falls in or
 * above its quantile's class). Zero is a value like any other (an area with no contacts is coloured,
 * not "no data"). Empty when there are no values.
 */
export function fractionBreaks(values: ArrayLike<number>, decimals = 2, maxClasses: number = MAX_CLASSES): number[] {
	const v = Array.from(values)
		.filter((x) => Number.isFinite(x))
		.sort((a, b) => a - b);
	if (v.length === 0) return [];
	const breaks = [floorTo(v[0]!, decimals)];
	for (let i = 1; i < maxClasses; i++) {
		const b = floorTo(v[Math.floor((i * v.length) / maxClasses)]!, decimals);
		if (b > breaks[breaks.length - 1]!) breaks.push(b);
	}
	return breaks;
}

/** Class index of a value under fractionBreaks: the last break at or below it; NO_CLASS without breaks. */
export function fractionClassOf(value: number, breaks: readonly number[]): number {
	if (breaks.length === 0 || !Number.isFinite(value)) return NO_CLASS;
	let cls = 0;
	for (let i = 1; i < breaks.length; i++) if (value >= breaks[i]!) cls = i;
	return cls;
}

/**
 * Legend rows of fractionBreaks: each class from its break up to just below the next one (one
 * `unit` less: a unit of the last decimal, or 5 for an analyst's published counts, which are
 * multiples of it), the top class up to the largest value.
 */
export function fractionLegend(
	breaks: readonly number[],
	max: number,
	decimals = 2,
	colours: readonly string[] = paletteFor(breaks.length),
	unit = 10 ** -decimals
): LegendClass[] {
	return breaks.map((from, i) => {
		const next = breaks[i + 1];
		const to = next !== undefined ? Math.max(from, Math.round((next - unit) / unit) * unit) : Math.max(from, max);
		return { from, to: Number(to.toFixed(decimals + 2)), colour: colours[i]! };
	});
}

/** Feature-state class of an area whose figure is unknown (e.g. per 1,000 without residents). */
export const UNKNOWN_CLASS = -3;

export interface Choropleth {
	breaks: number[];
	legend: LegendClass[];
	/** Per value: its class, SUPPRESSED_CLASS ("< k") or UNKNOWN_CLASS for a null. */
	classes: number[];
}

/**
 * The classes of one report figure over the areas: quantile breaks of the known values, a legend
 * in a sequential palette, and each area's class. A null is `nullClass`: SUPPRESSED_CLASS for a
 * count an analyst may not see, UNKNOWN_CLASS for a figure that cannot be computed.
 */
export function choropleth(values: readonly (number | null)[], decimals: number, nullClass: number, unit = 10 ** -decimals): Choropleth {
	const known = values.filter((v): v is number => v !== null);
	const breaks = fractionBreaks(known, decimals);
	const max = known.length ? Math.max(...known) : 0;
	return {
		breaks,
		legend: fractionLegend(breaks, max, decimals, paletteFor(breaks.length), unit),
		classes: values.map((v) => (v === null ? nullClass : fractionClassOf(v, breaks)))
	};
}
