import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitPeriod, windowSegments } from '../../src/lib/domain/period-split';
import { addDays, daysBetween } from '../../src/lib/domain/calendar';

const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2020-01-01', n));

describe('splitPeriod', () => {
	it('covers the period exactly once, with months starting on the 1st', () => {
		fc.assert(
			fc.property(day, fc.integer({ min: 0, max: 800 }), (from, len) => {
				const to = addDays(from, len);
				const { months, days } = splitPeriod(from, to);
				const parts: [string, string][] = [...days];
				if (months) {
					expect(months[0].endsWith('-01') && months[1].endsWith('-01')).toBe(true);
					parts.push(months);
				}
				parts.sort((a, b) => a[0].localeCompare(b[0]));
				// contiguous, non-empty, from `from` to the day after `to`
				expect(parts[0]![0]).toBe(from);
				expect(parts.at(-1)![1]).toBe(addDays(to, 1));
				for (let i = 0; i < parts.length; i++) {
					expect(parts[i]![0] < parts[i]![1]).toBe(true);
					if (i > 0) expect(parts[i]![0]).toBe(parts[i - 1]![1]);
				}
				const covered = parts.reduce((n, [a, b]) => n + daysBetween(a, b), 0);
				expect(covered).toBe(len + 1);
			}),
			{ numRuns: 3000 }
		);
	});

	it('examples', () => {
		expect(splitPeriod('2026-01-01', '2026-01-31')).toEqual({ months: ['2026-01-01', '2026-02-01'], days: [] });
		expect(splitPeriod('2026-01-15', '2026-02-10')).toEqual({ months: null, days: [['2026-01-15', '2026-02-11']] });
		expect(splitPeriod('2025-12-02', '2027-01-01')).toEqual({
			months: ['2026-01-01', '2027-01-01'],
			days: [
				['2025-12-02', '2026-01-01'],
				['2027-01-01', '2027-01-02']
			]
		});
	});
});

describe('windowSegments', () => {
	it('covers the period and the window exactly once, each day flagged by the windows it is in (property)', () => {
		fc.assert(
			fc.property(day, fc.nat(400), fc.nat(500), (from, len, back) => {
				const to = addDays(from, len);
				const windowFrom = addDays(to, -back);
				const segments = windowSegments(from, to, windowFrom);
				const start = windowFrom < from ? windowFrom : from;
				let next = start;
				for (const s of segments) {
					expect(s.from).toBe(next);
					expect(s.to >= s.from).toBe(true);
					// a segment lies wholly inside or outside each window: check its ends
					for (const d of [s.from, s.to]) {
						expect(s.period).toBe(d >= from && d <= to);
						expect(s.recent).toBe(d >= windowFrom && d <= to);
					}
					next = addDays(s.to, 1);
				}
				expect(next).toBe(addDays(to, 1));
			}),
			{ numRuns: 2000 }
		);
	});
});
