// Statistical disclosure control for aggregates shown to analysts (policy makers): one
// publication rule, the cell-key method of official statistics (ABS, Eurostat) combined with
// today's suppression and rounding, plus a guard for totals. The README ("Small-count
// protection") gives the parameters and the threat model.
//
// Record keys: every contact moment (and signal) gets a random key in [0, 2^31) once, when it is
// stored (migrations/0013_record_key.sql). A published figure's CELL KEY is the sum of the keys
// of the records it counts, mod M = 256; since the keys are uniform, so is the cell key. The
// same records always give the same cell key, so the same figure asked again, or reached by
// another route (a quarter's map, the report, an export) always gets the same noise: asking
// again or around it averages nothing away.
//
// The rule for one count c with cell key ck (publishValue):
//   c = 0          -> 0 (an empty cell is not a disclosure: zero stays zero)
//   1 .. k-1       -> null, shown as "< k" (primary suppression, as before)
//   k and above    -> v = c + noise(ck), noise from the ptable below, in -2..+2, mean 0;
//                     v < k -> null; else v rounded to the nearest multiple of 5, and never below
//                     the lowest multiple of 5 at or above k (as before).
// So no published value lies in 1..k-1, and zero stays zero.
//
// Totals guard (publishTotal): a figure that is the sum of other published figures (a cell over
// its per-type figures, a response total over its cells and over its per-type totals, an area
// over its cells) is perturbed from its own records' key sum, never summed from published cells.
// If the largest count its published class admits equals the sum of the smallest counts its
// parts' classes admit, the parts would be pinned exactly (the "< 5 cell with four '< 5' types"
// corner the README admitted before); then the total is published one class higher.
// With that, no single total-against-parts comparison can pin a count of 1..k-1 (proof in
// publishTotal's comment), whatever the keys.
//
// At least as strong as the rule before (suppress 1..k-1, round to 5, complementary
// suppression), answer by answer: the noise table gives every count a zero noise for some keys,
// so each published value stands for every true count it stood for before, and more (its
// interval widens by 2 on each side, and "< k" now also covers k and k+1). Suppression of
// 1..k-1, rounding and complementary suppression are kept as they were.
import type { Reason, ZoneInput } from './analysis/underserved';

export const ROUNDING_BASE = 5;
/** Cell keys are record-key sums modulo M. */
export const CELL_KEY_MODULUS = 256;
/** Record keys are drawn from [0, RECORD_KEY_RANGE) (a multiple of M, so the cell key is uniform). */
export const RECORD_KEY_RANGE = 2 ** 31;

/**
 * The perturbation table (ptable): for a count of k or more, the noise for each cell key, as runs
 * of keys out of M = 256. Mean 0, variance 1.5, bounded by ±NOISE_BOUND. The same row serves
 * every count of k and more; counts under k are suppressed instead.
 */
export const PTABLE: readonly { noise: number; keys: number }[] = [
	{ noise: -2, keys: 32 },
	{ noise: -1, keys: 64 },
	{ noise: 0, keys: 64 },
	{ noise: 1, keys: 64 },
	{ noise: 2, keys: 32 }
];
export const NOISE_BOUND = 2;

/** The ptable's row laid out over the M cell keys. */
const NOISE_BY_KEY: readonly number[] = PTABLE.flatMap((r) => Array<number>(r.keys).fill(r.noise));

/** The figures of one cell are drawn from different rows of keys, so they do not share noise. */
export type Measure = 'contacts' | 'persons' | 'referrals' | 'signals' | 'visited';
const MEASURE_MIX: Record<Measure, [number, number]> = {
	contacts: [1, 0],
	persons: [77, 151],
	visited: [45, 29], // an area's visited cells (the report's coverage), from its contacts' key sum
	referrals: [1, 0], // its own key sum (the referral records')
	signals: [1, 0] // its own key sum (the signals')
};

/** The cell key of a figure from its records' key sum (any integer, or its value mod M). */
export function cellKey(keySum: number | bigint, measure: Measure = 'contacts'): number {
	const base = Number.isSafeInteger(keySum) ? modM(keySum as number) : modBig(BigInt(keySum));
	const [a, b] = MEASURE_MIX[measure];
	return (base * a + b) % CELL_KEY_MODULUS;
}

const modM = (x: number) => ((x % CELL_KEY_MODULUS) + CELL_KEY_MODULUS) % CELL_KEY_MODULUS;
const modBig = (x: bigint) => {
	const m = BigInt(CELL_KEY_MODULUS);
	return Number(((x % m) + m) % m);
};

/** The ptable's noise for a cell key (0 <= key < M). */
export function noiseFor(key: number): number {
	return NOISE_BY_KEY[((key % CELL_KEY_MODULUS) + CELL_KEY_MODULUS) % CELL_KEY_MODULUS]!;
}

/** The lowest value published for a count of k or more. */
export function lowestPublished(k: number): number {
	return Math.ceil(k / ROUNDING_BASE) * ROUNDING_BASE;
}

/**
 * Suppression and rounding without noise (the rule before the cell-key method, and the last step
 * of the rule now): 0 -> 0, 1..k-1 -> null, else the nearest multiple of 5, at least lowestPublished(k).
 */
export function publishCount(count: number, k: number): number | null {
	if (count === 0) return 0;
	if (count < k) return null;
	return Math.max(lowestPublished(k), Math.round(count / ROUNDING_BASE) * ROUNDING_BASE);
}

/** All true counts (up to `limit`) the noise-free rule maps to a published value. */
export function preimage(published: number | null, k: number, limit: number): number[] {
	const out: number[] = [];
	for (let c = 0; c <= limit; c++) if (publishCount(c, k) === published) out.push(c);
	return out;
}

/** The published value of one count under the cell-key rule (before any totals guard). */
export function publishValue(count: number, key: number, k: number): number | null {
	if (count === 0) return 0;
	if (count < k) return null;
	const v = count + noiseFor(key);
	return v < k ? null : publishCount(v, k);
}

export interface Bounds {
	lo: number;
	hi: number;
}

/**
 * The true counts an observer who knows the rule and the ptable (but not the keys) can infer
 * from one published value: every count with a key that publishes it. (A total raised by the
 * guard may also be lower than `lo`; an observer can only widen the interval with that.)
 */
export function bounds(published: number | null, k: number): Bounds {
	const half = Math.floor(ROUNDING_BASE / 2);
	if (published === 0) return { lo: 0, hi: 0 };
	if (published === null) return { lo: 1, hi: k - 1 + NOISE_BOUND };
	const lo = published === lowestPublished(k) ? k : Math.max(k, published - half - NOISE_BOUND);
	return { lo, hi: published + half + NOISE_BOUND };
}

/**
 * A total published against its parts. `partsLow` is the sum of the lowest counts the parts'
 * published values admit (what an observer knows the total is at least).
 *
 * Why nothing in 1..k-1 can be pinned: the observer knows the total T in [L, U] and each part x_i
 * in [l_i, u_i], with T = sum x_i. Then x_i lies in [max(l_i, L - sum_{j!=i} u_j),
 * min(u_i, U - sum_{j!=i} l_j)]. This is one point only if (a) l_i = u_i: no published class is
 * that narrow; (b) L - sum u_j = U - sum l_j: impossible, as U > L; (c) the lower end reaches u_i:
 * then x_i = u_i >= k (every class that is not 0 reaches k or beyond); or (d) the upper end is
 * l_i, i.e. U = sum l_j = partsLow: exactly what the guard below prevents by raising T's class
 * (then U grows by 5, or to lowestPublished + 4 from "< k"; T itself is at least partsLow).
 */
export function publishTotal(count: number, key: number, k: number, partsLow: number): number | null {
	return guardTotal(publishValue(count, key, k), k, partsLow);
}

/** publishTotal's guard on a value already published: one class higher when its parts would be pinned. */
export function guardTotal(p: number | null, k: number, partsLow: number, partsMax = 0): number | null {
	return guardValue(p, k, [{ low: partsLow, max: partsMax }]);
}

/**
 * One way an observer can split a published total into published parts (its cells, its contact
 * types, the areas of one layer, its target groups), for one figure: what the parts' values say.
 */
export interface SplitBound {
	/** The sum of the lowest counts the parts' published values admit. */
	low: number;
	/** The largest published part (0 when none is shown). */
	max: number;
	/**
	 * Parts that may overlap or leave records out (target groups): their sum is no partition of the
	 * total, so only a total whose upper end equals their lows can be pinned (case (d) exactly).
	 */
	overlapping?: boolean;
}

/** What published parts of one figure (e.g. the open signals of each zone of an area) tell about their total. */
export function splitOfValues(parts: Iterable<number | null>, k: number, overlapping = false): SplitBound {
	let low = 0;
	let max = 0;
	for (const p of parts) {
		low += bounds(p, k).lo;
		max = Math.max(max, p ?? 0);
	}
	return { low, max, ...(overlapping ? { overlapping } : {}) };
}

/**
 * The guard of publishTotal against any number of splits at once, on a value already published.
 * First, a total is never published below a published part (a total of "< k" beside a part of 5
 * would say the total is at least 5 and pin the others): it takes the largest part's value if
 * that is higher. Then, while its upper end does not exceed some split's lows (case (d) of
 * publishTotal's proof, or beyond it when raised parts sum above it), it goes one class higher.
 * Only ever raises, and a count of 0 stays 0 (its parts are 0 too); every value it gives is one
 * the rule can publish (a multiple of 5, at least lowestPublished(k)).
 */
export function guardValue(p: number | null, k: number, splits: readonly SplitBound[]): number | null {
	return guardOn(p, k, splits, null);
}

/**
 * guardValue on one figure of figure-set splits (`figure`), or on SplitBounds (null), read in
 * place: it runs for every published cell and area of every split, so it allocates nothing.
 */
function guardOn(p: number | null, k: number, splits: readonly (SplitBound | Split)[], figure: keyof Lows | null): number | null {
	if (p === 0) return 0;
	let v = p;
	let top = 0;
	for (const s of splits) {
		const max = figure === null ? (s as SplitBound).max : (s as Split).max[figure];
		if (max > top) top = max;
	}
	if (top > 0 && (v === null || v < top)) v = top;
	for (;;) {
		const hi = bounds(v, k).hi;
		let pinned = false;
		for (const s of splits) {
			const low = figure === null ? (s as SplitBound).low : (s as Split).low[figure];
			if (s.overlapping ? hi === low : hi <= low) pinned = true;
		}
		if (!pinned) return v;
		v = v === null ? lowestPublished(k) : v + ROUNDING_BASE;
	}
}

/** Days since the last visit, in whole weeks for analysts: exact dates could single out a contact. */
export function publishDays(days: number | null): number | null {
	return days === null ? null : Math.floor(days / 7) * 7;
}

export interface CountColumns {
	cells: string[];
	contacts: number[];
	persons: number[];
	referrals: number[];
	daysSinceLast: number[];
	/** Each cell's largest referral target (id or null) and its referrals, when asked for. */
	topTarget?: (number | null)[];
	topTargetReferrals?: number[];
}

/** True counts with the cell keys of their records (server side only; never sent). */
export interface KeyedColumns extends CountColumns {
	/** Sum of the contacts' record keys, mod M (any integer works; see cellKey). */
	contactKeys: number[];
	/** Sum of the referral contacts' record keys, mod M. */
	referralKeys: number[];
}

export interface PublishedColumns {
	cells: string[];
	contacts: (number | null)[];
	persons: (number | null)[];
	referrals: (number | null)[];
	daysSinceLast: (number | null)[];
	/** Totals of the true counts, published the same way (never sums of published cells). */
	/** The largest target only where its own count is publishable (k or more), else null. */
	topTarget?: (number | null)[];
	topTargetReferrals?: (number | null)[];
	totals: { contacts: number | null; persons: number | null; referrals: number | null };
	/** The threshold k used, so the legend can say "< k". */
	k: number;
}

export interface Figures {
	contacts: number;
	persons: number;
	referrals: number;
	contactKey: number;
	referralKey: number;
}

export interface PublishedFigures {
	contacts: number | null;
	persons: number | null;
	referrals: number | null;
}

export type Lows = Record<'contacts' | 'persons' | 'referrals', number>;

/**
 * The lowest counts an observer can infer from a cell's published figures, using what ties them:
 * persons >= contacts >= referrals (every contact meets at least one person), and a suppressed
 * cell (null contacts) holds at least one contact.
 */
export function lowsOf(p: PublishedFigures, k: number): Lows {
	const referrals = p.referrals === null ? (p.contacts === null ? 0 : 1) : bounds(p.referrals, k).lo;
	const contacts = Math.max(bounds(p.contacts, k).lo, referrals);
	const persons = p.persons === null ? contacts : Math.max(bounds(p.persons, k).lo, contacts);
	return { contacts, persons, referrals };
}

export const addLows = (a: Lows, b: Lows): Lows => ({
	contacts: a.contacts + b.contacts,
	persons: a.persons + b.persons,
	referrals: a.referrals + b.referrals
});
export const maxLows = (a: Lows, b: Lows): Lows => ({
	contacts: Math.max(a.contacts, b.contacts),
	persons: Math.max(a.persons, b.persons),
	referrals: Math.max(a.referrals, b.referrals)
});
export const ZERO_LOWS: Lows = { contacts: 0, persons: 0, referrals: 0 };

/** A split of a figure set into published parts (SplitBound for each figure). */
export interface Split {
	low: Lows;
	/** The largest published part of each figure (0: none shown). */
	max: Lows;
	overlapping?: boolean;
}

/** What published parts tell an observer about their total (`overlapping`: see SplitBound). */
export function splitOf(parts: Iterable<PublishedFigures>, k: number, overlapping = false): Split {
	// lowsOf and maxLows summed in place (this runs over every cell of every split)
	let lc = 0;
	let lp = 0;
	let lr = 0;
	let mc = 0;
	let mp = 0;
	let mr = 0;
	for (const p of parts) {
		const referrals = p.referrals === null ? (p.contacts === null ? 0 : 1) : lowOf(p.referrals, k);
		const contacts = Math.max(lowOf(p.contacts, k), referrals);
		lc += contacts;
		lp += p.persons === null ? contacts : Math.max(lowOf(p.persons, k), contacts);
		lr += referrals;
		mc = Math.max(mc, p.contacts ?? 0);
		mp = Math.max(mp, p.persons ?? 0);
		mr = Math.max(mr, p.referrals ?? 0);
	}
	const low = { contacts: lc, persons: lp, referrals: lr };
	const max = { contacts: mc, persons: mp, referrals: mr };
	return { low, max, ...(overlapping ? { overlapping } : {}) };
}

/** bounds(published, k).lo without the object. */
function lowOf(published: number | null, k: number): number {
	if (published === 0) return 0;
	if (published === null) return 1;
	return published === lowestPublished(k) ? k : Math.max(k, published - Math.floor(ROUNDING_BASE / 2) - NOISE_BOUND);
}

/**
 * One figure set (a cell, an area, a total) published against its parts: the lows of one split,
 * or several splits at once (guardValue: never below a published part, never pinning a part). A
 * cell whose contacts are suppressed has all its figures suppressed (the persons and referrals of
 * a few contacts would describe a few people).
 */
export function publishFigures(f: Figures, k: number, parts: Lows | readonly Split[] = ZERO_LOWS): PublishedFigures {
	const splits: readonly Split[] = Array.isArray(parts) ? parts : [{ low: parts as Lows, max: ZERO_LOWS }];
	const contacts = guardOn(publishValue(f.contacts, cellKey(f.contactKey), k), k, splits, 'contacts');
	if (contacts === null) return { contacts: null, persons: null, referrals: null };
	return {
		contacts,
		persons: guardOn(publishValue(f.persons, cellKey(f.contactKey, 'persons'), k), k, splits, 'persons'),
		referrals: guardOn(publishValue(f.referrals, cellKey(f.referralKey, 'referrals'), k), k, splits, 'referrals')
	};
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The true totals of a response's columns, with their key sums (never sums of published cells). */
export function totalFigures(cols: KeyedColumns): Figures {
	return {
		contacts: sum(cols.contacts),
		persons: sum(cols.persons),
		referrals: sum(cols.referrals),
		contactKey: sum(cols.contactKeys.map((x) => x % CELL_KEY_MODULUS)),
		referralKey: sum(cols.referralKeys.map((x) => x % CELL_KEY_MODULUS))
	};
}

/**
 * Publishes a response's columns for an analyst. `byType` is the same question split by contact
 * type (each a response an analyst may ask on its own): each cell and the totals are then guarded
 * against their per-type figures too, as published by this same function. `totalSplits` are
 * further splits of the totals an analyst can see (the areas of each layer, the target groups,
 * the per-type totals as finally published): the totals are guarded against those too.
 */
export function publishColumns(cols: KeyedColumns, k: number, byType: KeyedColumns[] = [], totalSplits: readonly Split[] = []): PublishedColumns {
	return publishColumnsAgainst(
		cols,
		k,
		byType.map((t) => publishColumns(t, k)),
		totalSplits
	);
}

/**
 * publishColumns with the per-type columns already published (each as publishColumns(type, k)
 * gives them), for a caller that publishes the types as questions of their own anyway.
 */
export function publishColumnsAgainst(
	cols: KeyedColumns,
	k: number,
	byTypePublished: readonly PublishedColumns[],
	totalSplits: readonly Split[] = []
): PublishedColumns {
	const typed = byTypePublished.map((pub) => ({ index: new Map(pub.cells.map((c, i) => [c, i])), pub }));
	const n = cols.cells.length;
	const figuresAt = (i: number): Figures => ({
		contacts: cols.contacts[i]!,
		persons: cols.persons[i]!,
		referrals: cols.referrals[i]!,
		contactKey: cols.contactKeys[i]!,
		referralKey: cols.referralKeys[i]!
	});
	const pubAt = (p: PublishedColumns, i: number): PublishedFigures => ({
		contacts: p.contacts[i]!,
		persons: p.persons[i]!,
		referrals: p.referrals[i]!
	});
	const none = splitOf([], k);
	const typeSplits = cols.cells.map((cell) =>
		typed.length === 0
			? none
			: splitOf(
					typed.flatMap((t) => {
						const j = t.index.get(cell);
						return j === undefined ? [] : [pubAt(t.pub, j)];
					}),
					k
				)
	);
	const cells = cols.cells.map((_, i) => publishFigures(figuresAt(i), k, [typeSplits[i]!]));
	// Complementary suppression (as before): never exactly one suppressed cell in a response. The
	// second cell is the smallest shown one whose count "< k" can stand for (k - 1 + NOISE_BOUND at
	// most, so a "< k" is always what bounds() says) and that pins none of its per-type figures.
	const nonZero = (i: number) => cols.contacts[i]! > 0;
	const suppressed = cells.filter((c, i) => nonZero(i) && c.contacts === null).length;
	if (suppressed === 1) {
		const nullHi = bounds(null, k).hi;
		let pick = -1;
		for (let i = 0; i < n; i++) {
			const c = cols.contacts[i]!;
			if (cells[i]!.contacts === null || !nonZero(i) || c > nullHi || typeSplits[i]!.low.contacts >= nullHi) continue;
			if (pick < 0 || c < cols.contacts[pick]!) pick = i;
		}
		if (pick >= 0) cells[pick] = { contacts: null, persons: null, referrals: null };
	}
	// Totals: against the cells, the per-type totals and any further splits.
	const splits = [
		splitOf(cells, k),
		...(typed.length
			? [
					splitOf(
						typed.map((t) => t.pub.totals),
						k
					)
				]
			: []),
		...totalSplits
	];
	const totals = publishFigures(totalFigures(cols), k, splits);
	return {
		cells: cols.cells,
		contacts: cells.map((c) => c.contacts),
		persons: cells.map((c) => c.persons),
		referrals: cells.map((c) => c.referrals),
		daysSinceLast: cols.daysSinceLast.map((d, i) => (cells[i]!.contacts === null ? null : publishDays(d))),
		...publishTopTargets(
			cols,
			cells.map((c) => c.contacts === null),
			k
		),
		totals,
		k
	};
}

/** A cell's largest referral target, published only with a publishable count of its own. */
export function publishTopTarget(target: number | null, referrals: number, k: number): { target: number; referrals: number } | null {
	const n = target === null ? null : publishCount(referrals, k);
	return target === null || n === null || n === 0 ? null : { target, referrals: n };
}

function publishTopTargets(cols: CountColumns, small: boolean[], k: number): Pick<PublishedColumns, 'topTarget' | 'topTargetReferrals'> {
	if (!cols.topTarget || !cols.topTargetReferrals) return {};
	const shown = cols.topTarget.map((t, i) => (small[i] ? null : publishTopTarget(t, cols.topTargetReferrals![i]!, k)));
	return { topTarget: shown.map((x) => x?.target ?? null), topTargetReferrals: shown.map((x) => x?.referrals ?? null) };
}

/**
 * Totals over groups of a response's cells (areas: districts, sectors), published against the
 * cells inside them as the response published them. `areaOf` names each cell's area (or null);
 * the reports call this with the same question's published columns, so an area set against its
 * hexes pins nothing. `partsOf` adds, per area, other splits of the same figures (its per-type
 * figures, its per-group ones), or the lows of one such split. Returns the published figures per
 * area.
 */
export function publishAreaTotals(
	cols: KeyedColumns,
	published: PublishedColumns,
	k: number,
	areaOf: (cell: string) => string | null,
	partsOf?: (area: string) => Lows | readonly Split[]
): Map<string, PublishedFigures> {
	const groups = new Map<string, { f: Figures; cells: PublishedFigures[] }>();
	cols.cells.forEach((cell, i) => {
		const area = areaOf(cell);
		if (area === null) return;
		let g = groups.get(area);
		if (!g) groups.set(area, (g = { f: { contacts: 0, persons: 0, referrals: 0, contactKey: 0, referralKey: 0 }, cells: [] }));
		g.f.contacts += cols.contacts[i]!;
		g.f.persons += cols.persons[i]!;
		g.f.referrals += cols.referrals[i]!;
		g.f.contactKey = (g.f.contactKey + cols.contactKeys[i]!) % CELL_KEY_MODULUS;
		g.f.referralKey = (g.f.referralKey + cols.referralKeys[i]!) % CELL_KEY_MODULUS;
		g.cells.push({ contacts: published.contacts[i]!, persons: published.persons[i]!, referrals: published.referrals[i]! });
	});
	const more = (area: string): Split[] => {
		const p = partsOf?.(area);
		if (p === undefined) return [];
		return Array.isArray(p) ? [...(p as readonly Split[])] : [{ low: p as Lows, max: ZERO_LOWS }];
	};
	return new Map([...groups].map(([area, g]) => [area, publishFigures(g.f, k, [splitOf(g.cells, k), ...more(area)])]));
}

/** An underserved zone's counts as published, for publishZoneInput. */
export interface PublishedZoneCounts {
	/** The zone's contacts in the period, as the hex map publishes them. */
	contacts: number | null;
	/** Its contacts in the recency window, as published (null: 1..k-1 or withheld). */
	recentContacts: number | null;
	/** Days since the last visit as published (whole weeks; null when suppressed). */
	daysSinceLast: number | null;
	/** Its open signals. */
	openSignals: number;
	/** The sum of the signals' record keys (mod M). */
	signalKey: number;
	/** Its referrals as the hex map publishes them (null: 1..k-1). */
	referrals: number | null;
}

/**
 * An underserved zone's inputs as an analyst may know them: the counts the hex map publishes, a
 * suppressed count standing in as k/2, days in weeks. The score is computed from these, so it
 * cannot be inverted into a count the analyst may not see.
 */
export function publishZoneInput(z: ZoneInput, published: PublishedZoneCounts, k: number): ZoneInput {
	const orHalf = (n: number | null) => n ?? k / 2;
	// As on the hex map, the last visit among fewer than k recent contacts is not published.
	const withheld = published.recentContacts === null;
	// The referrals as the hex map publishes them (one figure, one rule); the split only where both
	// figures are publishable (a stand-in would invent a count), and never above the total.
	const referrals = z.referrals === undefined ? null : published.referrals;
	const top = z.topTarget && referrals ? publishTopTarget(z.topTarget.id, z.topTarget.referrals, k) : null;
	return {
		...z,
		referrals: referrals ?? undefined,
		topTarget: top && referrals ? { id: top.target, referrals: Math.min(top.referrals, referrals) } : undefined,
		openSignals: orHalf(publishValue(published.openSignals, cellKey(published.signalKey, 'signals'), k)),
		contacts: orHalf(published.contacts),
		daysSinceLast: withheld ? null : published.daysSinceLast,
		recentContacts: undefined,
		visitWithheld: withheld || undefined
	};
}

/** A reason from published inputs, with a stand-in count shown as suppressed (null). */
export function publishReason(r: Reason, k: number): Reason {
	if (r.kind === 'signals') return { ...r, count: r.count === null ? null : publishCount(r.count, k) };
	if (r.kind === 'demand') return { ...r, contacts: r.contacts === null ? null : publishCount(r.contacts, k) };
	return r;
}
