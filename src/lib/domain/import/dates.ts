// Dates and times as files write them (ISO 8601, Belgian day-first forms), read into instants;
// and an instant written back the way a Belgian spreadsheet shows it. Local times are
// Europe/Brussels wall-clock times, converted by calendar.ts.
import { DAY_MS, TIME_ZONE, wallClock, zonedToUtc } from '../calendar';

const MINUTE = 60_000;

export type DateCode = 'invalid_date' | 'impossible_date' | 'two_digit_year' | 'invalid_time' | 'future_date' | 'too_old';

export interface ParsedDateTime {
	utcMs: number;
	/** ISO 8601 in UTC, e.g. 2026-03-14T20:30:00.000Z. */
	iso: string;
	/** false for a date without a time: it is read as local midnight (00:00 Brussels). */
	hasTime: boolean;
	/** Local time skipped (spring forward) or repeated (fall back); see zonedToUtc. */
	dst?: 'gap' | 'overlap';
}

export type DateResult = { ok: true; value: ParsedDateTime } | { ok: false; code: DateCode };

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const BELGIAN = /^(\d{1,2})([/.-])(\d{1,2})\2(\d+)(?:[ T]+(\d{1,2})[:.hu](\d{2})(?::(\d{2}))?)?$/i;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
/** Days in month m (1–12) of year y; without a Date object, since it runs once a row. */
const daysInMonth = (y: number, m: number) => (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]!);

export interface DateOptions {
	/** Reference instant; dates after now + 1 day are rejected (a typo'd year, not a plan). */
	now: Date | number;
	timeZone?: string;
	/** Earliest accepted year (default 1990): "0026" or "1926" is a typo, not history. */
	minYear?: number;
}

/**
 * ISO 8601 (2026-03-14, 2026-03-14T21:30, …:00Z, …+01:00) and Belgian day-first forms
 * (14/03/2026, 14-03-2026, 14.03.2026, 4/3/2026, each optionally with " 21:30" or " 21:30:15").
 * Without Z/offset a time is Brussels local time. Rejected: impossible dates (31/02), two-digit
 * years (14/03/26 is 1926 or 2026?), US month-first order (only when the day is > 12 is that
 * even detectable, so it is not guessed), future dates beyond now + 1 day.
 */
export function parseDateTime(raw: string, opts: DateOptions): DateResult {
	const s = raw.trim();
	const tz = opts.timeZone ?? TIME_ZONE;
	let y: number, mo: number, d: number;
	let h: number | undefined, mi: number | undefined, sec: number | undefined;
	let offset: string | undefined;
	let m = ISO.exec(s);
	if (m) {
		y = Number(m[1]);
		mo = Number(m[2]);
		d = Number(m[3]);
		if (m[4] !== undefined) {
			h = Number(m[4]);
			mi = Number(m[5]);
			sec = Number(m[6] ?? 0);
		}
		offset = m[7];
	} else if ((m = BELGIAN.exec(s))) {
		const year = m[4]!;
		if (year.length <= 2) return { ok: false, code: 'two_digit_year' };
		if (year.length !== 4) return { ok: false, code: 'invalid_date' };
		d = Number(m[1]);
		mo = Number(m[3]);
		y = Number(year);
		if (m[5] !== undefined) {
			h = Number(m[5]);
			mi = Number(m[6]);
			sec = Number(m[7] ?? 0);
		}
	} else return { ok: false, code: 'invalid_date' };

	if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return { ok: false, code: 'impossible_date' };
	if (h !== undefined && (h > 23 || mi! > 59 || sec! > 59)) return { ok: false, code: 'invalid_time' };
	if (y < (opts.minYear ?? 1990)) return { ok: false, code: 'too_old' };

	let utcMs: number;
	let dst: 'gap' | 'overlap' | undefined;
	if (offset !== undefined) {
		let off = 0;
		if (offset.toUpperCase() !== 'Z') {
			const sign = offset[0] === '-' ? -1 : 1;
			const digits = offset.slice(1).replace(':', '');
			const oh = Number(digits.slice(0, 2));
			const om = Number(digits.slice(2) || '0');
			if (oh > 14 || om > 59) return { ok: false, code: 'invalid_time' };
			off = sign * (oh * 60 + om) * MINUTE;
		}
		utcMs = Date.UTC(y, mo - 1, d, h ?? 0, mi ?? 0, sec ?? 0) - off;
	} else {
		({ utcMs, dst } = zonedToUtc({ year: y, month: mo, day: d, hour: h, minute: mi, second: sec }, tz));
	}
	if (utcMs > Number(opts.now) + DAY_MS) return { ok: false, code: 'future_date' };
	const value: ParsedDateTime = { utcMs, iso: new Date(utcMs).toISOString(), hasTime: h !== undefined };
	if (dst) value.dst = dst;
	return { ok: true, value };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Formats an instant the way a Belgian spreadsheet shows it: "dd/mm/yyyy hh:mm" local time. */
export function formatBelgian(utcMs: number, timeZone = TIME_ZONE, withTime = true): string {
	const w = wallClock(utcMs, timeZone);
	const date = `${pad(w.day)}/${pad(w.month)}/${w.year}`;
	return withTime ? `${date} ${pad(w.hour)}:${pad(w.minute)}` : date;
}
