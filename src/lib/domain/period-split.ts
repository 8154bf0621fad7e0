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
