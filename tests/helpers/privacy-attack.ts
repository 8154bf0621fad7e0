// The observer of the privacy tests: someone who knows the publication rule and its ptable (but
// not the record keys), sets a published total against its published parts, and narrows each part
// to an interval. A part is PINNED when its interval is one value; the tests fail on any pinned
// value from 1 to k-1.
import { bounds, type Bounds } from '../../src/lib/domain/privacy';

/** Each part's interval given total = sum of parts (interval arithmetic, the usual attack). */
export function derivedParts(total: Bounds, parts: Bounds[]): Bounds[] {
	const low = parts.reduce((s, p) => s + p.lo, 0);
	const high = parts.reduce((s, p) => s + p.hi, 0);
	return parts.map((p) => ({
		lo: Math.max(p.lo, total.lo - (high - p.hi)),
		hi: Math.min(p.hi, total.hi - (low - p.lo))
	}));
}

/**
 * The counts of 1..k-1 that the comparison pins down exactly (empty: nothing disclosed). Parts are
 * published values, or intervals the observer knows otherwise (e.g. the referrals of a suppressed
 * cell: from 0 to the cell's contacts).
 */
export function pinnedSmall(total: number | null, parts: (number | null | Bounds)[], k: number): number[] {
	if (parts.length === 0) return [];
	const derived = derivedParts(
		bounds(total, k),
		parts.map((p) => (typeof p === 'object' && p !== null ? p : bounds(p, k)))
	);
	return derived.filter((d) => d.lo === d.hi && d.lo >= 1 && d.lo < k).map((d) => d.lo);
}

/** Also the remainder (total minus one part, e.g. "all other types"), pinned from two figures. */
export function pinnedRemainder(total: number | null, part: number | null, k: number): number | null {
	const t = bounds(total, k);
	const p = bounds(part, k);
	const lo = Math.max(0, t.lo - p.hi);
	const hi = t.hi - p.lo;
	return lo === hi && lo >= 1 && lo < k ? lo : null;
}
