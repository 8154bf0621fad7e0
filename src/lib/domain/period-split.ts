// A period of whole days splits into whole calendar months, served by the monthly rollup, and
// the days before and after them, read from the contact table. Both parts together cover the
// period exactly once. Days are YYYY-MM-DD; all "to" bounds here are exclusive.
import { addDays, firstOfNextMonth } from './calendar';

export interface PeriodSplit {
	/** [first month, month after the last], as first-of-month days; null when no whole month fits. */
	months: [string, string] | null;
	/** Day ranges [from, toExclusive) not covered by whole months (0 to 2 of them). */
	days: [string, string][];
}

export function splitPeriod(from: string, toInclusive: string): PeriodSplit {
	const toExclusive = addDays(toInclusive, 1);
	const firstMonth = from.endsWith('-01') ? from : firstOfNextMonth(from);
	const endMonth = toExclusive.slice(0, 8) + '01'; // whole months end at or before toExclusive
	if (firstMonth >= endMonth) return { months: null, days: [[from, toExclusive]] };
	const days: [string, string][] = [];
	if (from < firstMonth) days.push([from, firstMonth]);
	if (endMonth < toExclusive) days.push([endMonth, toExclusive]);
	return { months: [firstMonth, endMonth], days };
}

/** The whole period as one day range, for queries the monthly rollup cannot answer. */
export function wholePeriod(from: string, toInclusive: string): PeriodSplit {
	return { months: null, days: [[from, addDays(toInclusive, 1)]] };
}

/** A run of days [from, to] (inclusive) that lies wholly inside or wholly outside each of two windows. */
export interface WindowSegment {
	from: string;
	to: string;
	/** Inside the period. */
	period: boolean;
	/** Inside the second window. */
	recent: boolean;
}

/**
 * The days of a period [from, to] and of a second window [windowFrom, to] that ends with it (e.g.
 * the last 90 days, for recency), cut into at most two segments, each wholly inside or outside
 * each of them, so one query can sum both: the common days once, and the days of only one.
 * Inclusive YYYY-MM-DD days; the segments cover the union exactly once, in day order.
 */
export function windowSegments(from: string, to: string, windowFrom: string): WindowSegment[] {
	if (windowFrom > to) return [{ from, to, period: true, recent: false }];
	if (windowFrom === from) return [{ from, to, period: true, recent: true }];
	return windowFrom > from
		? [
				{ from, to: addDays(windowFrom, -1), period: true, recent: false },
				{ from: windowFrom, to, period: true, recent: true }
			]
		: [
				{ from: windowFrom, to: addDays(from, -1), period: false, recent: true },
				{ from, to, period: true, recent: true }
			];
}
