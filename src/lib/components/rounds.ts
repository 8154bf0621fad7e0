// Formatting shared by the coordinator's street rounds page and the worker's "my street rounds".
import type { Translate } from './underserved';

/**
 * "dinsdag 10 maart" (with the year when it is not this year's), in the given Intl tag; `short`
 * gives "di 10/3", for the quick log's narrow screen.
 */
export function roundDay(day: string, tag: string, today: string, style: 'long' | 'short' = 'long'): string {
	return new Intl.DateTimeFormat(tag, {
		weekday: style,
		day: 'numeric',
		month: style === 'long' ? 'long' : 'numeric',
		year: day.slice(0, 4) === today.slice(0, 4) ? undefined : 'numeric',
		timeZone: 'UTC'
	}).format(new Date(day + 'T12:00:00Z'));
}

/** "Anna en Bram", "Anna, Bram and Chris". */
export function nameList(names: string[], tag: string): string {
	return new Intl.ListFormat(tag, { type: 'conjunction' }).format(names);
}

/** A time budget in minutes as the message key and values for "2 u", "1 u 30 min" or "45 min". */
export function budgetParts(minutes: number): { key: string; values: { h: number; m: number } } {
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	return { key: h === 0 ? 'rounds.minutes' : m === 0 ? 'rounds.hours' : 'rounds.hoursMinutes', values: { h, m } };
}

/** Whole minutes, rounded up, for a route's totals (the server compares them unrounded). */
export function minutesUp(minutes: number): number {
	return Math.max(0, Math.ceil(minutes - 1e-9));
}

/** A route's time in words, "1 u 30 min" or "45 min": budgetParts of its whole minutes, rounded up. */
export function durationText(minutes: number, t: Translate): string {
	const b = budgetParts(minutesUp(minutes));
	return t(b.key, { values: b.values });
}
