// The round rules that need no database: the link window, the preselected round, Brussels days.
import { describe, expect, it } from 'vitest';
import { defaultRound, roundDays, roundIsOver, roundSchema } from '../../src/lib/domain/rounds';
import { dayInBrussels } from '../../src/lib/domain/calendar';

describe('street rounds', () => {
	it('a contact may be linked to a round of the day before, the day itself and the day after', () => {
		expect(roundDays('2026-03-01')).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
		expect(roundDays('2028-02-29')).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
	});

	it('a round is over once its day has ended, not before', () => {
		expect(roundIsOver('2026-11-28', '2026-11-29')).toBe(true);
		expect(roundIsOver('2026-11-29', '2026-11-29')).toBe(false);
		expect(roundIsOver('2026-11-30', '2026-11-29')).toBe(false);
		expect(roundIsOver('2025-12-31', '2026-01-01')).toBe(true);
	});

	it("preselects today's round only when there is exactly one", () => {
		const r = (roundId: number, plannedOn: string) => ({ roundId, plannedOn, mine: true });
		expect(defaultRound([r(1, '2026-11-28'), r(2, '2026-11-29'), r(3, '2026-11-30')], '2026-11-29')).toBe(2);
		expect(defaultRound([r(1, '2026-11-29'), r(2, '2026-11-29')], '2026-11-29')).toBe(0);
		expect(defaultRound([r(1, '2026-11-28')], '2026-11-29')).toBe(0);
		expect(defaultRound([], '2026-11-29')).toBe(0);
	});

	it("never preselects a round the user does not walk (a coordinator sees every duo's)", () => {
		const r = (roundId: number, mine?: boolean) => ({ roundId, plannedOn: '2026-11-29', mine });
		expect(defaultRound([r(1, false)], '2026-11-29')).toBe(0);
		expect(defaultRound([r(1, false), r(2, true)], '2026-11-29')).toBe(2);
		expect(defaultRound([r(1)], '2026-11-29')).toBe(0); // a kit kept before `mine` existed
	});

	it('counts days in Brussels time, also around midnight and the clock change', () => {
		expect(dayInBrussels(new Date('2026-11-28T23:30:00Z'))).toBe('2026-11-29'); // 00:30 CET
		expect(dayInBrussels(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01'); // 00:30 CEST
		expect(dayInBrussels(new Date('2026-06-30T21:30:00Z'))).toBe('2026-06-30');
	});

	it('a round goes out with two or three distinct workers, a title and a budget of 15–600 minutes', () => {
		const ok = { plannedOn: '2026-11-29', title: ' Avondronde ', teamId: null, budgetMinutes: 120, workerIds: [1, 2] };
		expect(roundSchema.parse(ok).title).toBe('Avondronde');
		expect(roundSchema.safeParse({ ...ok, workerIds: [1] }).success).toBe(false);
		expect(roundSchema.safeParse({ ...ok, workerIds: [1, 1] }).success).toBe(false);
		expect(roundSchema.safeParse({ ...ok, workerIds: [1, 2, 3, 4] }).success).toBe(false);
		expect(roundSchema.safeParse({ ...ok, title: '  ' }).success).toBe(false);
		expect(roundSchema.safeParse({ ...ok, budgetMinutes: 10 }).success).toBe(false);
		expect(roundSchema.safeParse({ ...ok, plannedOn: '29/11/2026' }).success).toBe(false);
	});
});
