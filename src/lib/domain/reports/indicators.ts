// The coverage report's figures per area, as pure functions: coverage, contacts per 1,000
// residents, the median days since the last visit, the periods a report is compared with, and
// the change between two values. The server computes them from exact counts (coordinators) or
// from published counts (analysts, see publish.ts), so the same functions serve both.
import { addDays, daysBetween, quarter, wholeQuarter } from '../calendar';

/** The share (0..1) of an area's cells with at least one contact; null for an area without cells. */
export function coverageShare(visitedCells: number | null, areaCells: number): number | null {
	if (visitedCells === null || areaCells <= 0) return null;
	return Math.min(visitedCells, areaCells) / areaCells;
}

/** Contacts per 1,000 residents, one decimal; null when the residents are unknown or none. */
export function perThousand(contacts: number | null, residents: number | null): number | null {
	if (contacts === null || residents === null || !(residents > 0)) return null;
	return Math.round((contacts / residents) * 10_000) / 10;
}

/** The median of whole numbers (the mean of the middle two, rounded down); null for none. */
export function median(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	const s = [...values].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m]! : Math.floor((s[m - 1]! + s[m]!) / 2);
}

export interface Period {
	from: string;
	to: string;
}

/** Shifts a day by whole months, keeping the day of the month where it exists (31 May − 3 months → 28/29 Feb). */
export function addMonths(day: string, months: number): string {
	const y = Number(day.slice(0, 4));
	const m = Number(day.slice(5, 7)) - 1 + months;
	const year = y + Math.floor(m / 12);
	const month = ((m % 12) + 12) % 12;
	const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
	const d = Math.min(Number(day.slice(8, 10)), last);
	return `${year}-${String(month + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * The periods a report compares with: for a calendar quarter the quarter before it and the same
 * quarter a year earlier; for any other period the one of equal length just before it and the
 * same days a year earlier.
 */
export function comparisonPeriods(p: Period): { previous: Period; yearEarlier: Period } {
	const q = wholeQuarter(p.from, p.to);
	if (q) {
		const prev = q.q === 1 ? quarter(q.year - 1, 4) : quarter(q.year, q.q - 1);
		const year = quarter(q.year - 1, q.q);
		return { previous: { from: prev.from, to: prev.to }, yearEarlier: { from: year.from, to: year.to } };
	}
	const days = daysBetween(p.from, p.to) + 1;
	return {
		previous: { from: addDays(p.from, -days), to: addDays(p.from, -1) },
		yearEarlier: { from: addMonths(p.from, -12), to: addMonths(p.to, -12) }
	};
}

export type Direction = 'up' | 'down' | 'same' | 'new' | 'unknown';

export interface Change {
	direction: Direction;
	/** Whole per cent against the earlier value; null when there is none to compare with. */
	percent: number | null;
}

/**
 * The change from `before` to `now`. Either unknown (suppressed, no residents…) gives
 * 'unknown'; from 0 to more is 'new' (no percentage of nothing).
 */
export function change(now: number | null, before: number | null): Change {
	if (now === null || before === null) return { direction: 'unknown', percent: null };
	if (before === 0) return now === 0 ? { direction: 'same', percent: 0 } : { direction: 'new', percent: null };
	const percent = Math.round(((now - before) / before) * 100);
	return { direction: percent > 0 ? 'up' : percent < 0 ? 'down' : 'same', percent };
}

/** The arrow that goes with a direction. */
export function changeArrow(d: Direction): string {
	return d === 'up' ? '▲' : d === 'down' ? '▼' : d === 'same' ? '▶' : d === 'new' ? '▲' : '–';
}
