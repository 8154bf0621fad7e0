// Days, quarters and local time where the outreach happens. Days are 'YYYY-MM-DD' strings of the
// Brussels calendar: periods, rounds and "days since" are counted in Brussels time, on the server
// and on a phone alike. Zone offsets come from Intl (the runtime's tz database), so no date
// library and DST is exact. Pure.
export const TIME_ZONE = 'Europe/Brussels';

export const DAY_MS = 86_400_000;

// ---- days -----------------------------------------------------------------------------------

// Made once: constructing an Intl.DateTimeFormat costs ~0.1–0.5 ms, and every map request asks
// for today (it was a sixth of the request thread's time under bench:load).
let brusselsDay: Intl.DateTimeFormat | undefined;

/** The calendar day (YYYY-MM-DD) of an instant in Brussels. */
export function dayInBrussels(at: Date): string {
	brusselsDay ??= new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE });
	return brusselsDay.format(at);
}

/** The YYYY-MM-DD of an instant in UTC: day arithmetic on UTC midnights, not an instant's local day. */
export function utcDay(at: Date | number): string {
	return new Date(at).toISOString().slice(0, 10);
}

/** A real calendar day as YYYY-MM-DD (checked: no 2026-02-30), or null. */
export function parseDay(raw: string): string | null {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return null;
	const d = new Date(raw + 'T00:00:00Z');
	return !Number.isNaN(d.getTime()) && utcDay(d) === raw ? raw : null;
}

/**
 * A day as milliseconds since the epoch at 00:00 UTC, to step through days by DAY_MS. Throws
 * unless YYYY-MM-DD (the calendar check is parseDay's).
 */
export function dayStartUtcMs(day: string): number {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a YYYY-MM-DD date: ${day}`);
	return Date.parse(day + 'T00:00:00Z');
}

export function addDays(day: string, n: number): string {
	const d = new Date(day + 'T00:00:00Z');
	d.setUTCDate(d.getUTCDate() + n);
	return utcDay(d);
}

export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / DAY_MS);
}

/** The first day of the month after `day`'s. */
export function firstOfNextMonth(day: string): string {
	const y = Number(day.slice(0, 4));
	const m = Number(day.slice(5, 7));
	return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** First day of a period of `months` months ending on `today` (both inclusive). */
export function periodStart(today: string, months: number): string {
	const t = new Date(dayStartUtcMs(today));
	const y = t.getUTCFullYear();
	const m = t.getUTCMonth() - months;
	// Clamp the day to the target month's length (e.g. 31 March minus one month).
	const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
	const start = Date.UTC(y, m, Math.min(t.getUTCDate(), last)) + DAY_MS;
	return utcDay(start);
}

// ---- quarters: the only periods analysts see figures for -----------------------------------

export interface Quarter {
	year: number;
	/** 1 to 4. */
	q: number;
	/** First and last day, inclusive. */
	from: string;
	to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export function quarter(year: number, q: number): Quarter {
	const first = (q - 1) * 3 + 1;
	const last = first + 2;
	return { year, q, from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(lastDayOfMonth(year, last))}` };
}

/** The quarter `day` lies in. */
export function quarterOf(day: string): Quarter {
	const year = Number(day.slice(0, 4));
	const month = Number(day.slice(5, 7));
	return quarter(year, Math.ceil(month / 3));
}

export function previousQuarter(x: Quarter): Quarter {
	return x.q === 1 ? quarter(x.year - 1, 4) : quarter(x.year, x.q - 1);
}

/** The `n` most recent quarters that have ended before `today`, newest first. */
export function endedQuarters(today: string, n: number): Quarter[] {
	const out: Quarter[] = [];
	let x = previousQuarter(quarterOf(today));
	for (let i = 0; i < n; i++, x = previousQuarter(x)) out.push(x);
	return out;
}

/** The quarter exactly spanned by [from, to], or null. */
export function wholeQuarter(from: string, to: string): Quarter | null {
	const x = quarterOf(from);
	return x.from === from && x.to === to ? x : null;
}

// ---- Brussels local time --------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		});
		formatters.set(timeZone, f);
	}
	return f;
}

/** Wall-clock fields of an instant in a zone. */
export function wallClock(utcMs: number, timeZone = TIME_ZONE) {
	const p: Record<string, number> = {};
	for (const part of formatter(timeZone).formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
	return {
		year: p.year!,
		month: p.month!,
		day: p.day!,
		hour: p.hour!,
		minute: p.minute!,
		second: p.second!
	};
}

// Asking Intl for an offset costs ~5 µs and an import asks four times per row, so offsets are
// cached per UTC day: when the offset at the day's first and last second agree, it holds all day
// (zones change at most once a day); on the two transition days a year, each instant is asked.
const dayCache = new Map<string, Map<number, number | null>>();

function exactOffsetMs(utcMs: number, timeZone: string): number {
	const whole = Math.floor(utcMs / 1000) * 1000;
	const w = wallClock(whole, timeZone);
	return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole;
}

/** Offset of the zone from UTC at an instant, in ms (Brussels: +1 h in winter, +2 h in summer). */
export function zoneOffsetMs(utcMs: number, timeZone = TIME_ZONE): number {
	const day = Math.floor(utcMs / DAY_MS);
	let cache = dayCache.get(timeZone);
	if (!cache) dayCache.set(timeZone, (cache = new Map()));
	let constant = cache.get(day);
	if (constant === undefined) {
		const first = exactOffsetMs(day * DAY_MS, timeZone);
		constant = first === exactOffsetMs((day + 1) * DAY_MS - 1000, timeZone) ? first : null;
		if (cache.size > 100_000) cache.clear();
		cache.set(day, constant);
	}
	return constant ?? exactOffsetMs(utcMs, timeZone);
}

/**
 * Wall-clock time in a zone → UTC instant. The offsets one day before and after bracket any
 * transition (transitions are months apart); a candidate is valid when the zone really has that
 * offset at that instant.
 * - overlap (2026-10-25 02:30 happens twice): the earlier instant, summer time;
 * - gap (2026-03-29 02:30 never happens): read with the offset before the jump, i.e. 03:30 CEST.
 * Both follow Temporal's "compatible" disambiguation, the behaviour most calendars show.
 */
export function zonedToUtc(
	f: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number },
	timeZone = TIME_ZONE
): { utcMs: number; dst?: 'gap' | 'overlap' } {
	const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour ?? 0, f.minute ?? 0, f.second ?? 0);
	const before = zoneOffsetMs(wall - DAY_MS, timeZone);
	const after = zoneOffsetMs(wall + DAY_MS, timeZone);
	// nearly every instant: the same offset either side, so one candidate (the general case below
	// would find the same, with a lookup more)
	if (before === after && zoneOffsetMs(wall - before, timeZone) === before) return { utcMs: wall - before };
	const tBefore = wall - before;
	const tAfter = wall - after;
	const okBefore = zoneOffsetMs(tBefore, timeZone) === before;
	const okAfter = zoneOffsetMs(tAfter, timeZone) === after;
	if (okBefore && okAfter) return tBefore === tAfter ? { utcMs: tBefore } : { utcMs: Math.min(tBefore, tAfter), dst: 'overlap' };
	if (okBefore) return { utcMs: tBefore };
	if (okAfter) return { utcMs: tAfter };
	return { utcMs: tBefore, dst: 'gap' };
}

/** UTC instant of a Brussels wall-clock time (local midnight + minutes) on the day `dayMs` (dayStartUtcMs), DST included. */
export function brusselsToUtc(dayMs: number, minutes: number): number {
	const d = new Date(dayMs);
	const wall = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: Math.floor(minutes / 60), minute: minutes % 60 };
	return zonedToUtc(wall).utcMs;
}
