import { describe, expect, it } from 'vitest';
import { brusselsToUtc, periodStart } from '../../src/lib/domain/calendar';

const day = (d: string) => Date.parse(d + 'T00:00:00Z');

describe('demo calendar', () => {
	it('turns Brussels wall-clock times into UTC, in winter and in summer time', () => {
		expect(new Date(brusselsToUtc(day('2026-01-15'), 10 * 60)).toISOString()).toBe('2026-01-15T09:00:00.000Z');
		expect(new Date(brusselsToUtc(day('2026-07-01'), 10 * 60)).toISOString()).toBe('2026-07-01T08:00:00.000Z');
		expect(new Date(brusselsToUtc(day('2026-10-25'), 12 * 60 + 30)).toISOString()).toBe('2026-10-25T11:30:00.000Z');
	});

	it('starts a 24-month period the day after the same date two years before', () => {
		expect(periodStart('2026-11-29', 24)).toBe('2024-11-30');
		expect(periodStart('2026-03-31', 1)).toBe('2026-03-01');
	});
});
