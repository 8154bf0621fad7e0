// The signal life cycle as pure functions: the steps, who may take them, the list's filters as
// the URL carries them, and age buckets.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	SIGNAL_ACTIONS,
	SIGNAL_STATUSES,
	actionsFrom,
	ageBucket,
	ageRange,
	allowedActions,
	isInboxStatus,
	nextStatus,
	signalListParams,
	signalTransitionBody,
	transitionRefusal,
	type InboxStatus
} from '../../src/lib/domain/signals';
import { signalListQuery } from '../../src/lib/api/signals';
import { ROLES } from '../../src/lib/domain/access';

describe('signal life cycle', () => {
	it('takes the documented path and the closing side roads', () => {
		expect(nextStatus('open', 'assign')).toBe('assigned');
		expect(nextStatus('assigned', 'visit')).toBe('visited');
		expect(nextStatus('visited', 'handle')).toBe('handled');
		expect(nextStatus('open', 'close_not_found')).toBe('closed_not_found');
		expect(nextStatus('assigned', 'close_not_ours')).toBe('closed_not_ours');
		expect(nextStatus('handled', 'reopen')).toBe('open');
		// no step back from visited to assigned, no visit of a closed signal
		expect(nextStatus('visited', 'assign')).toBeNull();
		expect(nextStatus('handled', 'visit')).toBeNull();
		expect(nextStatus('open', 'reopen')).toBeNull();
		expect(actionsFrom('open')).toEqual(['assign', 'visit', 'handle', 'close_not_found', 'close_not_ours']);
		expect(actionsFrom('closed_not_ours')).toEqual(['reopen']);
	});

	it('never leaves the state machine, whatever sequence of steps is tried', () => {
		fc.assert(
			fc.property(fc.constantFrom(...SIGNAL_STATUSES), fc.array(fc.constantFrom(...SIGNAL_ACTIONS), { maxLength: 60 }), (start, steps) => {
				let s: InboxStatus = start;
				for (const a of steps) {
					const next = nextStatus(s, a);
					if (next === null) {
						expect(actionsFrom(s)).not.toContain(a);
						continue;
					}
					expect(actionsFrom(s)).toContain(a);
					expect(isInboxStatus(next)).toBe(true);
					s = next;
				}
				expect(SIGNAL_STATUSES).toContain(s);
				// from anywhere a signal can always be closed or reopened: no dead end
				expect(actionsFrom(s).length).toBeGreaterThan(0);
			})
		);
	});

	it('lets a coordinator take every step, a worker visit or handle only their own, an analyst nothing', () => {
		fc.assert(
			fc.property(fc.constantFrom(...ROLES), fc.constantFrom(...SIGNAL_STATUSES), fc.boolean(), (role, status, mine) => {
				const allowed = allowedActions(role, { status, mine });
				if (role === 'coordinator') expect(allowed).toEqual(actionsFrom(status));
				if (role === 'analyst') expect(allowed).toEqual([]);
				if (role === 'worker') {
					expect(allowed.every((a) => a === 'visit' || a === 'handle')).toBe(true);
					if (!mine) expect(allowed).toEqual([]);
				}
			})
		);
		expect(transitionRefusal('worker', 'assign', { status: 'open', mine: true })?.code).toBe('signalRoleRefused');
		expect(transitionRefusal('worker', 'visit', { status: 'open', mine: false })?.code).toBe('signalNotYours');
		expect(transitionRefusal('worker', 'visit', { status: 'handled', mine: true })?.code).toBe('signalStepInvalid');
		expect(transitionRefusal('worker', 'handle', { status: 'visited', mine: true })).toBeNull();
		expect(transitionRefusal('analyst', 'handle', { status: 'open', mine: true })?.code).toBe('signalRoleRefused');
	});
});

describe('signal ages', () => {
	const now = new Date('2026-06-01T12:00:00Z');
	const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
	it('puts each report in one bucket, and each bucket range holds its reports', () => {
		expect(ageBucket(daysAgo(0), now)).toBe('week');
		expect(ageBucket(daysAgo(6.9), now)).toBe('week');
		expect(ageBucket(daysAgo(7), now)).toBe('month');
		expect(ageBucket(daysAgo(45), now)).toBe('quarter');
		expect(ageBucket(daysAgo(90), now)).toBe('older');
		fc.assert(
			fc.property(fc.double({ min: 0, max: 400, noNaN: true }), (d) => {
				const at = daysAgo(d);
				const r = ageRange(ageBucket(at, now), now);
				if (r.after) expect(at.getTime()).toBeGreaterThan(r.after.getTime() - 1);
				if (r.notAfter) expect(at.getTime()).toBeLessThanOrEqual(r.notAfter.getTime());
			})
		);
	});
});

describe('signal list filters', () => {
	const parse = (q: Record<string, string>) => signalListQuery.safeParse(q);
	const param = (q: Record<string, string>) => {
		const r = parse(q);
		return r.success ? null : r.error.issues[0]!.path.join('.') || (r.error.issues[0] as { keys?: string[] }).keys?.[0];
	};
	it('reads every filter and writes it back', () => {
		const r = parse({ status: 'open,assigned', area: '44021A', group: '3', source: 'manual', q: ' brug ', age: 'month', page: '2', round: '7' });
		expect(r.success && r.data).toEqual({
			status: ['open', 'assigned'],
			area: '44021A',
			group: 3,
			source: 'manual',
			q: 'brug',
			age: 'month',
			page: 2,
			round: 7
		});
		expect(signalListParams(r.success ? r.data : {})).toEqual({
			status: 'open,assigned',
			area: '44021A',
			group: '3',
			source: 'manual',
			q: 'brug',
			age: 'month',
			round: '7',
			page: '2'
		});
		expect(parse({}).success).toBe(true);
	});
	it('names the malformed parameter', () => {
		expect(param({ status: 'opened' })).toBe('status');
		expect(param({ group: 'x' })).toBe('group');
		expect(param({ page: '0' })).toBe('page');
		expect(param({ age: 'year' })).toBe('age');
		expect(param({ q: 'x'.repeat(101) })).toBe('q');
		expect(param({ colour: 'red' })).toBe('colour');
	});
	it('checks a step', () => {
		expect(signalTransitionBody.safeParse({ action: 'assign' }).success).toBe(false);
		expect(signalTransitionBody.safeParse({ action: 'assign', roundId: 3, note: 'vanavond' }).success).toBe(true);
		expect(signalTransitionBody.safeParse({ action: 'fly' }).success).toBe(false);
		expect(signalTransitionBody.safeParse({ action: 'handle', note: 'x'.repeat(501) }).success).toBe(false);
	});
});
