import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatBelgian, parseDateTime } from '../../src/lib/domain/import/dates';
import { zoneOffsetMs, zonedToUtc } from '../../src/lib/domain/calendar';

const NOW = Date.UTC(2026, 5, 1, 12, 0);
const iso = (raw: string, now = NOW) => {
	const r = parseDateTime(raw, { now });
	return r.ok ? r.value.iso : r.code;
};

describe('parseDateTime: formats', () => {
	it.each([
		['2026-03-14', '2026-03-13T23:00:00.000Z'],
		['2026-03-14T21:30', '2026-03-14T20:30:00.000Z'],
		['2026-03-14 21:30:15', '2026-03-14T20:30:15.000Z'],
		['2026-03-14T21:30:00Z', '2026-03-14T21:30:00.000Z'],
		['2026-03-14T21:30:00.123z', '2026-03-14T21:30:00.000Z'],
		['2026-03-14T21:30+01:00', '2026-03-14T20:30:00.000Z'],
		['2026-03-14T21:30:00-0330', '2026-03-15T01:00:00.000Z'],
		['14/03/2026', '2026-03-13T23:00:00.000Z'],
		['14/03/2026 21:30', '2026-03-14T20:30:00.000Z'],
		['14-03-2026', '2026-03-13T23:00:00.000Z'],
		['14.03.2026 9:05', '2026-03-14T08:05:00.000Z'],
		['4/3/2026', '2026-03-03T23:00:00.000Z'],
		['14/05/2026 21:30', '2026-05-14T19:30:00.000Z'],
		['29/02/2024', '2024-02-28T23:00:00.000Z']
	])('%s → %s', (raw, expected) => {
		expect(iso(raw)).toBe(expected);
	});

	it('a date alone is local midnight and says it has no time', () => {
		const r = parseDateTime('14/07/2025', { now: NOW });
		expect(r).toEqual({ ok: true, value: { utcMs: Date.UTC(2025, 6, 13, 22), iso: '2025-07-13T22:00:00.000Z', hasTime: false } });
	});

	it.each([
		['31/02/2026', 'impossible_date'],
		['2026-13-01', 'impossible_date'],
		['29/02/2025', 'impossible_date'],
		['00/01/2026', 'impossible_date'],
		['14/03/26', 'two_digit_year'],
		['14-3-26 10:00', 'two_digit_year'],
		['14/03/02026', 'invalid_date'],
		['14/03/2026 24:00', 'invalid_time'],
		['14/03/2026 21:60', 'invalid_time'],
		['2026-03-14T10:00+15:00', 'invalid_time'],
		['', 'invalid_date'],
		['gisteren', 'invalid_date'],
		['46095', 'invalid_date'],
		['03/14/2026', 'impossible_date'],
		['14/03/1926', 'too_old']
	])('%s → %s', (raw, code) => {
		expect(iso(raw)).toBe(code);
	});

	it('rejects dates beyond now + 1 day, accepts up to it', () => {
		const now = Date.UTC(2026, 2, 14, 12); // 14 March 2026 13:00 Brussels
		expect(iso('15/03/2026 13:00', now)).toBe('2026-03-15T12:00:00.000Z');
		expect(iso('15/03/2026 13:01', now)).toBe('future_date');
		expect(iso('01/01/2030', now)).toBe('future_date');
	});
});

describe('Europe/Brussels DST', () => {
	it('offsets: +1 h in winter, +2 h in summer', () => {
		expect(zoneOffsetMs(Date.UTC(2026, 0, 15))).toBe(3_600_000);
		expect(zoneOffsetMs(Date.UTC(2026, 6, 15))).toBe(7_200_000);
	});

	// 29 March 2026: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
	it('spring forward 2026-03-29', () => {
		expect(iso('29/03/2026 01:59')).toBe('2026-03-29T00:59:00.000Z');
		expect(iso('29/03/2026 03:00')).toBe('2026-03-29T01:00:00.000Z');
		// 02:30 does not exist: read with the offset before the jump = 03:30 CEST.
		const gap = parseDateTime('29/03/2026 02:30', { now: NOW });
		expect(gap).toMatchObject({ ok: true, value: { iso: '2026-03-29T01:30:00.000Z', dst: 'gap' } });
		expect(formatBelgian(Date.parse('2026-03-29T01:30:00Z'))).toBe('29/03/2026 03:30');
		expect(iso('29/03/2026')).toBe('2026-03-28T23:00:00.000Z');
	});

	// 25 October 2026: 03:00 CEST falls back to 02:00 CET (01:00 UTC); 02:00–02:59 happens twice.
	it('fall back 2026-10-25', () => {
		const now = Date.UTC(2026, 11, 1);
		expect(iso('25/10/2026 01:59', now)).toBe('2026-10-24T23:59:00.000Z');
		const overlap = parseDateTime('25/10/2026 02:30', { now });
		expect(overlap).toMatchObject({ ok: true, value: { iso: '2026-10-25T00:30:00.000Z', dst: 'overlap' } });
		expect(iso('25/10/2026 03:00', now)).toBe('2026-10-25T02:00:00.000Z');
		expect(iso('2026-10-25T02:30:00+01:00', now)).toBe('2026-10-25T01:30:00.000Z');
		expect(iso('26/10/2026 12:00', now)).toBe('2026-10-26T11:00:00.000Z');
	});

	it('zonedToUtc agrees with Intl on every hour around both 2026 transitions', () => {
		for (const start of [Date.UTC(2026, 2, 28, 20), Date.UTC(2026, 9, 24, 20)])
			for (let t = start; t < start + 12 * 3_600_000; t += 15 * 60_000) {
				const [date, time] = formatBelgian(t).split(' ');
				const [d, m, y] = date!.split('/').map(Number);
				const [hh, mm] = time!.split(':').map(Number);
				const back = zonedToUtc({ year: y!, month: m!, day: d!, hour: hh, minute: mm });
				// Either the same instant, or the first of two instants with the same wall time.
				expect([t, t - 3_600_000]).toContain(back.utcMs);
				expect(formatBelgian(back.utcMs)).toBe(formatBelgian(t));
			}
	});

	// Property (b): a Belgian-formatted instant parses back to the same instant. The one exception
	// is the repeated hour in October, where the text names two instants and the first is chosen.
	it('property: formatBelgian → parseDateTime round trip', () => {
		const minute = 60_000;
		const from = Date.UTC(2000, 0, 1) / minute;
		const to = Date.UTC(2035, 0, 1) / minute;
		fc.assert(
			fc.property(fc.integer({ min: from, max: to }), (m) => {
				const t = m * minute;
				const text = formatBelgian(t);
				const r = parseDateTime(text, { now: Date.UTC(2100, 0, 1) });
				expect(r.ok).toBe(true);
				if (!r.ok) return;
				const secondOfTwo = formatBelgian(t - 3_600_000) === text;
				expect(r.value.utcMs).toBe(secondOfTwo ? t - 3_600_000 : t);
				expect(formatBelgian(r.value.utcMs)).toBe(text);
			}),
			{ numRuns: 2000 }
		);
	});

	it('property: the repeated hour is actually hit (the exception above is real)', () => {
		const t = Date.UTC(2026, 9, 25, 1, 30); // 02:30 CET, second occurrence
		const r = parseDateTime(formatBelgian(t), { now: NOW + 365 * 86_400_000 });
		expect(r.ok && r.value.utcMs).toBe(t - 3_600_000);
	});
});
