// Referrals by target category (issue 10, "are we building bridges?"): an area's referrals split
// by the referral target its contacts name (migration 0014). A referral without a target counts
// under UNKNOWN_TARGET, so the categories partition the referrals: their sum is the total.
//
// For analysts each category figure is a count published by the cell-key rule from its own
// records' key sum, and the area's (and the organisation's) referrals are guarded against the
// categories as against any other split (guardValue): a category set against the area's total
// and the other categories pins no count from 1 to k−1. Pure.
import { CELL_KEY_MODULUS, cellKey, publishValue, splitOfValues, ZERO_LOWS, type KeyedColumns, type Split } from '../privacy';

/** Referrals whose target is not known (stored before targets existed, or left open). */
export const UNKNOWN_TARGET = 0;

/** The referrals of one target with the sum of their record keys (mod M). */
export interface TargetCount {
	n: number;
	key: number;
}

/** Referrals with a known target in one cell (packed, as in the keyed columns). */
export interface TargetCell extends TargetCount {
	cell: string;
	target: number;
}

const mod = (x: number) => ((x % CELL_KEY_MODULUS) + CELL_KEY_MODULUS) % CELL_KEY_MODULUS;

/**
 * Per group of cells (an area; `groupOf` null: none), per target: the referrals and their key
 * sum. A cell's referrals without a known target are its referrals less the known ones, their
 * key sum likewise (the keys of those records, mod M).
 */
export function targetsByGroup(
	cols: Pick<KeyedColumns, 'cells' | 'referrals' | 'referralKeys'>,
	known: readonly TargetCell[],
	groupOf: (cell: string) => string | null
): Map<string, Map<number, TargetCount>> {
	const out = new Map<string, Map<number, TargetCount>>();
	const add = (group: string | null, target: number, n: number, key: number) => {
		if (group === null || n <= 0) return;
		let m = out.get(group);
		if (!m) out.set(group, (m = new Map()));
		const c = m.get(target) ?? { n: 0, key: 0 };
		m.set(target, { n: c.n + n, key: mod(c.key + key) });
	};
	const knownIn = new Map<string, TargetCount>();
	for (const r of known) {
		const c = knownIn.get(r.cell) ?? { n: 0, key: 0 };
		knownIn.set(r.cell, { n: c.n + r.n, key: mod(c.key + r.key) });
		add(groupOf(r.cell), r.target, r.n, r.key);
	}
	cols.cells.forEach((cell, i) => {
		const k = knownIn.get(cell) ?? { n: 0, key: 0 };
		add(groupOf(cell), UNKNOWN_TARGET, cols.referrals[i]! - k.n, mod(cols.referralKeys[i]! - k.key));
	});
	return out;
}

/** Each target's count as the cell-key rule publishes it (no guard: these are the parts). */
export function publishTargets(counts: ReadonlyMap<number, TargetCount> | undefined, k: number): Map<number, number | null> {
	return new Map([...(counts ?? [])].map(([t, c]) => [t, publishValue(c.n, cellKey(c.key, 'referrals'), k)]));
}

/** The categories as a split of the referrals (they partition them), for publishFigures' guard. */
export function referralSplit(values: Iterable<number | null>, k: number): Split {
	const s = splitOfValues(values, k);
	return { low: { ...ZERO_LOWS, referrals: s.low }, max: { ...ZERO_LOWS, referrals: s.max } };
}
