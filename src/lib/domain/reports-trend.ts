// Trends of contacts over the last quarters or months, split by contact type or target group:
// which periods a role sees, and the database's rows shaped into one series per type or group.
// Pure: the route passes today's date, the rows and (for analysts) the publication rule.
import { endedQuarters, firstOfNextMonth, previousQuarter, quarterOf, type Quarter } from './calendar';

export type TrendGrain = 'quarter' | 'month';
export type TrendSplit = 'type' | 'group';

/** How many periods a trend shows: two years either way. */
export const TREND_QUARTERS = 8;
export const TREND_MONTHS = 24;

export interface TrendPeriod {
	/** "2026-Q1" or "2026-03". */
	key: string;
	/** First and last day, inclusive. */
	from: string;
	to: string;
	/** The period has not ended yet (coordinators only): its figures are so far. */
	partial: boolean;
}

const quarterPeriod = (x: Quarter, today: string): TrendPeriod => ({
	key: `${x.year}-Q${x.q}`,
	from: x.from,
	to: x.to,
	partial: x.to >= today
});

/** The month `n` months before the month of `day` (n may be 0), as its first day. */
export function monthStart(day: string, back = 0): string {
	const y = Number(day.slice(0, 4));
	const m = Number(day.slice(5, 7)) - 1 - back;
	const year = y + Math.floor(m / 12);
	const month = ((m % 12) + 12) % 12;
	return `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/** The last day of the month that starts on `first`. */
export function monthEnd(first: string): string {
	const next = new Date(firstOfNextMonth(first) + 'T00:00:00Z');
	next.setUTCDate(0);
	return next.toISOString().slice(0, 10);
}

/** The last `n` months up to and including the month of `today`, oldest first. */
export function lastMonths(today: string, n: number): TrendPeriod[] {
	const out: TrendPeriod[] = [];
	for (let back = n - 1; back >= 0; back--) {
		const from = monthStart(today, back);
		const to = monthEnd(from);
		out.push({ key: from.slice(0, 7), from, to, partial: to >= today });
	}
	return out;
}

/**
 * The periods of a trend, oldest first. Analysts: the last 8 quarters that have ended (the only
 * periods they see figures for). Others: the last 8 quarters up to the current one, or the last
 * 24 months up to the current one; the current period is marked partial.
 */
export function trendPeriods(today: string, grain: TrendGrain, endedOnly: boolean): TrendPeriod[] {
	if (grain === 'month') return lastMonths(today, TREND_MONTHS);
	if (endedOnly)
		return endedQuarters(today, TREND_QUARTERS)
			.reverse()
			.map((x) => quarterPeriod(x, today));
	const out: Quarter[] = [quarterOf(today)];
	while (out.length < TREND_QUARTERS) out.push(previousQuarter(out[out.length - 1]!));
	return out.reverse().map((x) => quarterPeriod(x, today));
}

/** One count of the database: contacts in the period starting on `period`, of type or group `id`. */
export interface TrendCount {
	period: string;
	id: number;
	contacts: number;
}

export interface TrendSeries {
	/** The contact type's or target group's id. */
	id: number;
	/** One value per period; null when suppressed for an analyst ("< k"). */
	values: (number | null)[];
}

export interface ShapedTrend {
	series: TrendSeries[];
	/** All contacts per period (a contact with two target groups counts once here, once per group above). */
	totals: (number | null)[];
}

/**
 * The rows as one series per id (`ids` in their order, then any other id found in the rows), a
 * zero where a period has no row. Every figure, totals included, goes through `publish` once:
 * the identity for exact roles, the analysts' publication rule otherwise. Totals come from the
 * true counts, never from published values.
 */
export function shapeTrend(
	periods: readonly TrendPeriod[],
	ids: readonly number[],
	counts: readonly TrendCount[],
	totals: readonly { period: string; contacts: number }[],
	publish: (count: number) => number | null = (n) => n
): ShapedTrend {
	const index = new Map(periods.map((p, i) => [p.from, i]));
	const order = [...ids];
	for (const c of counts) if (!order.includes(c.id)) order.push(c.id);
	const exact = new Map(order.map((id) => [id, periods.map(() => 0)]));
	for (const c of counts) {
		const i = index.get(c.period);
		if (i !== undefined) exact.get(c.id)![i]! += c.contacts;
	}
	const total = periods.map(() => 0);
	for (const t of totals) {
		const i = index.get(t.period);
		if (i !== undefined) total[i]! += t.contacts;
	}
	return {
		series: order.map((id) => ({ id, values: exact.get(id)!.map(publish) })),
		totals: total.map(publish)
	};
}
