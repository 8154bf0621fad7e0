// The quick log's pure parts: payload validation (shared by browser and server), nearest
// services, and the offline queue (property-tested against a server that dedupes by uuid).
import { refusalText } from '../../src/lib/components/quicklog/refusal-text';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellToParent, latLngToCell } from 'h3-js';
import { distanceM } from '../../src/lib/domain/cells';
import {
	applyOutcome,
	checkQuickLog,
	classifyResponse,
	continueAfter,
	discard,
	enqueue,
	invalidCount,
	MAX_PAST_DAYS,
	nearestServices,
	networkFailure,
	occurredAtProblem,
	parseStoredQueue,
	pendingCount,
	sendable,
	type QueueEntry,
	type QuickLogPayload,
	type QuickLogRules,
	type SendOutcome
} from '../../src/lib/domain/quick-log';
import { mayAccess } from '../../src/lib/domain/access';

const NOW = new Date('2026-03-10T12:00:00Z');
const BBOX: [number, number, number, number] = [3.6, 51.0, 3.8, 51.1];
const RULES = { storageRes: 10, now: NOW, bbox: BBOX };
const CELL = latLngToCell(51.0543, 3.7174, 10);

function valid(over: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		externalId: '3f0b8c1e-8a5d-4c1e-9f7a-2b6d4e8f0a11',
		occurredAt: '2026-03-10T11:30:00Z',
		cell: CELL,
		contactType: 1,
		targetGroups: [1, 3],
		themes: [],
		persons: 2,
		referral: false,
		referralServiceId: null,
		...over
	};
}

function paramOf(input: unknown, rules: QuickLogRules = RULES): string | null {
	const r = checkQuickLog(input, rules);
	return r.ok ? null : r.error.param;
}

describe('checkQuickLog', () => {
	it('accepts a valid payload and normalises the moment and the uuid', () => {
		const r = checkQuickLog(valid({ externalId: '3F0B8C1E-8A5D-4C1E-9F7A-2B6D4E8F0A11', occurredAt: '2026-03-10T12:30:00+01:00' }), RULES);
		expect(r).toEqual({
			ok: true,
			value: {
				externalId: '3f0b8c1e-8a5d-4c1e-9f7a-2b6d4e8f0a11',
				occurredAt: '2026-03-10T11:30:00.000Z',
				cell: CELL,
				contactType: 1,
				targetGroups: [1, 3],
				themes: [],
				persons: 2,
				referral: false,
				referralServiceId: null,
				roundId: null
			}
		});
	});

	it('accepts a referral to a service, and a missing referralServiceId', () => {
		expect(paramOf(valid({ referral: true, referralServiceId: 7 }))).toBeNull();
		const { referralServiceId: _, ...rest } = valid();
		const r = checkQuickLog(rest, RULES);
		expect(r.ok && r.value.referralServiceId).toBeNull();
	});

	it.each([
		['externalId', { externalId: 'not-a-uuid' }],
		['externalId', { externalId: 42 }],
		['occurredAt', { occurredAt: '2026-03-10 11:30' }],
		['occurredAt', { occurredAt: '2026-03-10T11:30:00' }], // no zone: ambiguous
		['occurredAt', { occurredAt: '2026-03-10T12:10:01Z' }], // more than 10 minutes ahead
		['cell', { cell: '8a1fa' }],
		['cell', { cell: CELL.toUpperCase() }],
		['cell', { cell: 'ffffffffffffffff'.slice(0, 15) }], // hex, but no cell
		['cell', { cell: cellToParent(CELL, 9) }], // wrong resolution
		['cell', { cell: latLngToCell(50.85, 4.35, 10) }], // Brussels: outside the bbox
		['contactType', { contactType: 0 }],
		['contactType', { contactType: 1.5 }],
		['contactType', { contactType: '1' }],
		['targetGroups', { targetGroups: [1, 1] }],
		['targetGroups', { targetGroups: 'all' }],
		['themes', { themes: [-1] }],
		['persons', { persons: 0 }],
		['persons', { persons: 51 }],
		['persons', { persons: 2.5 }],
		['referral', { referral: 'yes' }],
		['referralServiceId', { referralServiceId: 3 }], // without referral: true
		['lat', { lat: 51.05 }], // raw coordinates are refused outright
		['lng', { lng: 3.7 }]
	])('names %s for %j', (param, over) => {
		expect(paramOf(valid(over))).toBe(param);
	});

	it('names the body for something that is not an object', () => {
		expect(paramOf(null)).toBe('body');
		expect(paramOf([valid()])).toBe('body');
		expect(paramOf('x')).toBe('body');
	});

	it('allows up to 10 minutes of clock drift, and checks retention when given', () => {
		expect(paramOf(valid({ occurredAt: '2026-03-10T12:09:59Z' }))).toBeNull();
		const earliest = new Date('2026-03-05T00:00:00Z');
		expect(paramOf(valid({ occurredAt: '2026-03-04T23:59:59Z' }), { ...RULES, earliest })).toBe('occurredAt');
		expect(paramOf(valid({ occurredAt: '2026-03-05T00:00:00Z' }), { ...RULES, earliest })).toBeNull();
	});

	it("the 7-day limit is the page's for a hand-set time; a queued entry older than that is checked against retention only", () => {
		expect(MAX_PAST_DAYS).toBe(7);
		// a phone offline for three weeks still delivers its entry with the true time
		expect(paramOf(valid({ occurredAt: '2026-02-10T12:00:00Z' }))).toBeNull();
		const beforeRetention = checkQuickLog(valid({ occurredAt: '2023-12-31T12:00:00Z' }), { ...RULES, earliest: new Date('2024-01-01T00:00:00Z') });
		expect(!beforeRetention.ok && beforeRetention.error.param).toBe('occurredAt');
	});

	it('the time rules are one function answering codes with their values, for the page and the server', () => {
		const at = (iso: string) => new Date(iso);
		const code = (d: Date | null, rules: Parameters<typeof occurredAtProblem>[1]) => occurredAtProblem(d, rules)?.code ?? null;
		expect(occurredAtProblem(null, { now: NOW })).toMatchObject({ code: 'timeInvalid', param: 'occurredAt' });
		expect(code(at('not a date'), { now: NOW })).toBe('timeInvalid');
		expect(code(at('2026-03-10T12:10:00Z'), { now: NOW })).toBeNull();
		expect(occurredAtProblem(at('2026-03-10T12:10:01Z'), { now: NOW })).toMatchObject({ code: 'timeFuture', values: { minutes: 10 } });
		// the page: a hand-set time at most 7 days before now, or before when the fixed entry was queued
		expect(code(at('2026-03-03T12:00:00Z'), { now: NOW, handSetFrom: NOW })).toBeNull();
		expect(occurredAtProblem(at('2026-03-03T11:59:59Z'), { now: NOW, handSetFrom: NOW })).toMatchObject({
			code: 'timeTooOld',
			values: { days: MAX_PAST_DAYS }
		});
		expect(code(at('2026-03-01T12:00:00Z'), { now: NOW, handSetFrom: at('2026-03-05T12:00:00Z') })).toBeNull();
		// the server: no 7 days, retention only
		const earliest = at('2026-01-01T00:00:00Z');
		expect(code(at('2026-01-01T00:00:00Z'), { now: NOW, earliest })).toBeNull();
		expect(occurredAtProblem(at('2025-12-31T23:59:59Z'), { now: NOW, earliest })).toMatchObject({
			code: 'timeBeforeRetention',
			values: { earliest: '2026-01-01T00:00:00.000Z' }
		});
		// checkQuickLog applies the same rules and answers the same codes
		const late = checkQuickLog(valid({ occurredAt: '2026-03-10T12:30:00Z' }), RULES);
		expect(!late.ok && late.error).toMatchObject({ code: 'timeFuture', param: 'occurredAt' });
		const old = checkQuickLog(valid({ occurredAt: '2026-03-01T12:00:00Z' }), { ...RULES, handSetFrom: NOW });
		expect(!old.ok && old.error.code).toBe('timeTooOld');
	});

	it('every refusal carries a code', () => {
		const codeOf = (input: unknown, rules: QuickLogRules = RULES) => {
			const r = checkQuickLog(input, rules);
			return r.ok ? null : r.error.code;
		};
		expect(codeOf(null)).toBe('bodyInvalid');
		expect(codeOf(valid({ lat: 51 }))).toBe('fieldUnknown');
		expect(codeOf(valid({ persons: 0 }))).toBe('fieldInvalid');
		expect(codeOf(valid(), { ...RULES, storageRes: 9 })).toBe('cellResolution');
		expect(codeOf(valid({ cell: latLngToCell(50.85, 4.35, 10) }))).toBe('cellOutside');
		expect(codeOf(valid({ referralServiceId: 7 }))).toBe('referralWithoutReferral');
	});

	it('checks the resolution the organisation stores at', () => {
		expect(paramOf(valid(), { ...RULES, storageRes: 9 })).toBe('cell');
		expect(paramOf(valid({ cell: cellToParent(CELL, 9) }), { ...RULES, storageRes: 9 })).toBeNull();
	});

	it('the access table lets workers and coordinators log, and not analysts', () => {
		for (const route of ['/log', '/api/contacts']) {
			expect(mayAccess(route, 'worker')).toBe(true);
			expect(mayAccess(route, 'coordinator')).toBe(true);
			expect(mayAccess(route, 'analyst')).toBe(false);
			expect(mayAccess(route, null)).toBe(false);
		}
	});
});

describe('nearestServices', () => {
	const services = [
		{ id: 1, name: 'Far', category: 1, categoryCode: 'a', lat: 51.09, lng: 3.79 },
		{ id: 2, name: 'Near', category: 2, categoryCode: 'b', lat: 51.0545, lng: 3.7176 },
		{ id: 3, name: 'Middle', category: 1, categoryCode: 'a', lat: 51.06, lng: 3.72 },
		{ id: 4, name: 'Mid2', category: 3, categoryCode: 'c', lat: 51.05, lng: 3.71 }
	];

	it('orders by distance from the cell centre and keeps n', () => {
		const near = nearestServices(CELL, services, 3);
		expect(near.map((s) => s.id)).toEqual([2, 4, 3]);
		expect(near[0]!.distanceM).toBeLessThan(100);
		for (let i = 1; i < near.length; i++) expect(near[i]!.distanceM).toBeGreaterThanOrEqual(near[i - 1]!.distanceM);
	});

	it('distance: one degree of latitude is about 111.2 km', () => {
		expect(distanceM({ lat: 51, lng: 3.7 }, { lat: 52, lng: 3.7 })).toBeCloseTo(111_195, -2);
		expect(distanceM({ lat: 51, lng: 3.7 }, { lat: 51, lng: 3.7 })).toBe(0);
	});
});

// ---- queue ---------------------------------------------------------------------------------

function payload(i: number): QuickLogPayload {
	const hex = i.toString(16).padStart(12, '0');
	return {
		externalId: `00000000-0000-4000-8000-${hex}`,
		occurredAt: '2026-03-10T11:30:00.000Z',
		cell: CELL,
		contactType: 1,
		targetGroups: [],
		themes: [],
		persons: 1,
		referral: false,
		referralServiceId: null,
		roundId: null
	};
}

describe('classifyResponse', () => {
	it.each<[number, unknown, SendOutcome['kind']]>([
		[201, { status: 'created' }, 'acknowledged'],
		[200, { status: 'duplicate' }, 'acknowledged'],
		[200, null, 'failed'], // e.g. a captive portal's page: not an acknowledgement
		[200, { status: 'ok' }, 'failed'],
		[400, { error: { param: 'cell', message: 'x' } }, 'rejected'],
		[401, { error: { message: 'sign in first' } }, 'unauthorised'],
		[403, { error: { message: 'no' } }, 'unauthorised'],
		[404, null, 'failed'],
		[500, null, 'failed'],
		[502, null, 'failed'],
		[503, null, 'failed']
	])('%i %j is %s', (status, body, kind) => {
		expect(classifyResponse(status, body).kind).toBe(kind);
	});

	it('keeps the field of a 400', () => {
		expect(classifyResponse(400, { error: { param: 'cell', message: 'outside' } })).toMatchObject({
			kind: 'rejected',
			param: 'cell',
			message: 'outside'
		});
		expect(classifyResponse(400, { error: { param: 'occurredAt', code: 'timeFuture', values: { minutes: 10 }, message: 'in the future' } })).toEqual({
			kind: 'rejected',
			param: 'occurredAt',
			code: 'timeFuture',
			values: { minutes: 10 },
			message: 'in the future'
		});
		expect(classifyResponse(400, null)).toMatchObject({ kind: 'rejected', param: 'body' });
	});

	it('only acknowledgements and refusals let a send loop go on', () => {
		expect(continueAfter({ kind: 'acknowledged', status: 'created' })).toBe(true);
		expect(continueAfter({ kind: 'rejected', param: 'x', message: '' })).toBe(true);
		expect(continueAfter(networkFailure(new TypeError('Failed to fetch')))).toBe(false);
		expect(continueAfter({ kind: 'unauthorised', message: '' })).toBe(false);
	});
});

describe('queue operations', () => {
	it('enqueues, sends oldest first, and removes only on acknowledgement', () => {
		let q: QueueEntry[] = [];
		q = enqueue(q, payload(2), 20);
		q = enqueue(q, payload(1), 10);
		expect(sendable(q).map((e) => e.payload.externalId)).toEqual([payload(1).externalId, payload(2).externalId]);
		let r = applyOutcome(q, payload(1).externalId, networkFailure(new Error('offline')), 30);
		expect(r.acked).toBe(false);
		expect(pendingCount(r.queue)).toBe(2);
		expect(r.queue.find((e) => e.payload.externalId === payload(1).externalId)).toMatchObject({
			attempts: 1,
			lastAttemptAt: 30,
			error: { kind: 'network' }
		});
		r = applyOutcome(r.queue, payload(1).externalId, { kind: 'acknowledged', status: 'created' }, 40);
		expect(r.acked).toBe(true);
		expect(r.queue).toHaveLength(1);
		// the same answer again (a second tab, a late duplicate) acknowledges nothing
		const again = applyOutcome(r.queue, payload(1).externalId, { kind: 'acknowledged', status: 'duplicate' }, 50);
		expect(again.acked).toBe(false);
		expect(again.queue).toEqual(r.queue);
	});

	it('a refused entry waits for a fix under the same uuid; a pending one is never replaced', () => {
		let q: QueueEntry[] = enqueue([], payload(1), 1);
		q = enqueue(q, { ...payload(1), persons: 9 }, 2);
		expect(q).toHaveLength(1);
		expect(q[0]!.payload.persons).toBe(1);
		q = applyOutcome(q, payload(1).externalId, { kind: 'rejected', param: 'cell', message: 'outside' }, 3).queue;
		expect(invalidCount(q)).toBe(1);
		expect(sendable(q)).toEqual([]);
		q = enqueue(q, { ...payload(1), persons: 3 }, 4);
		expect(q).toHaveLength(1);
		expect(q[0]).toMatchObject({ status: 'pending', error: null, queuedAt: 1, payload: { persons: 3 } });
		expect(discard(q, payload(1).externalId)).toEqual([]);
	});

	it('reads back what it stored, and sets unreadable entries apart instead of dropping them', () => {
		const q = applyOutcome(
			enqueue(enqueue([], payload(1), 1), payload(2), 2),
			payload(2).externalId,
			{ kind: 'rejected', param: 'cell', message: 'm' },
			3
		).queue;
		expect(parseStoredQueue(JSON.stringify(q))).toEqual({ queue: q, unreadable: [] });
		expect(parseStoredQueue(null)).toEqual({ queue: [], unreadable: [] });
		expect(parseStoredQueue('{oops')).toEqual({ queue: [], unreadable: ['{oops'] });
		const mixed = parseStoredQueue(JSON.stringify([q[0], { junk: true }, q[0]]));
		expect(mixed.queue).toEqual([q[0]]);
		expect(mixed.unreadable).toEqual([{ junk: true }]);
	});

	it('keeps the round of a queued contact, and reads entries queued before rounds existed as "no round"', () => {
		const onRound = enqueue([], { ...payload(1), roundId: 42 }, 1);
		expect(parseStoredQueue(JSON.stringify(onRound)).queue[0]!.payload.roundId).toBe(42);
		const { roundId: _, ...old } = payload(2);
		const stored = JSON.stringify([{ payload: old, status: 'pending', queuedAt: 1, attempts: 0, lastAttemptAt: null, error: null }]);
		expect(parseStoredQueue(stored).queue[0]!.payload.roundId).toBeNull();
	});
});

/*
 * Property: the client queue against a server that inserts once per uuid. Any interleaving of
 * new saves and send attempts, where each attempt may be answered, fail before reaching the
 * server, fail after the insert (answer lost), get a 5xx, or be answered twice (two senders).
 * Throughout: no entry is ever dropped without its uuid being on the server, each uuid is
 * acknowledged at most once, and the server never holds a uuid that was not saved. At the end,
 * once the network is good, everything drains and the server holds exactly the saved uuids.
 */
type Op = { t: 'save' } | { t: 'send'; pick: number; fate: 'answered' | 'unreached' | 'lost' | 'server-error' | 'twice' } | { t: 'reload' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
	{ weight: 2, arbitrary: fc.constant<Op>({ t: 'save' }) },
	{
		weight: 5,
		arbitrary: fc.record({
			t: fc.constant('send' as const),
			pick: fc.nat(50),
			fate: fc.constantFrom('answered', 'unreached', 'lost', 'server-error', 'twice')
		})
	},
	{ weight: 1, arbitrary: fc.constant<Op>({ t: 'reload' }) }
);

describe('offline queue (property)', () => {
	it('sends every entry until acknowledged, never drops one, acknowledges each uuid at most once', () => {
		fc.assert(
			fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
				let queue: QueueEntry[] = [];
				const server = new Set<string>(); // uuids with a row
				const saved = new Set<string>();
				const acks = new Map<string, number>();
				let clock = 0;
				let n = 0;

				const serverReceive = (p: QuickLogPayload): SendOutcome => {
					const dup = server.has(p.externalId);
					server.add(p.externalId); // on conflict do nothing
					return classifyResponse(dup ? 200 : 201, { status: dup ? 'duplicate' : 'created' });
				};
				const deliver = (id: string, outcome: SendOutcome) => {
					const r = applyOutcome(queue, id, outcome, ++clock);
					queue = r.queue;
					if (r.acked) acks.set(id, (acks.get(id) ?? 0) + 1);
				};
				const check = () => {
					for (const id of saved) {
						const inQueue = queue.some((e) => e.payload.externalId === id);
						expect(inQueue || (acks.get(id) === 1 && server.has(id)), `dropped ${id}`).toBe(true);
						expect(acks.get(id) ?? 0).toBeLessThanOrEqual(1);
					}
					for (const id of server) expect(saved.has(id)).toBe(true);
					expect(new Set(queue.map((e) => e.payload.externalId)).size).toBe(queue.length);
				};

				for (const op of ops) {
					if (op.t === 'save') {
						const p = payload(++n);
						saved.add(p.externalId);
						queue = enqueue(queue, p, ++clock);
					} else if (op.t === 'reload') {
						queue = parseStoredQueue(JSON.stringify(queue)).queue; // the page was reloaded
					} else {
						const candidates = sendable(queue);
						if (!candidates.length) continue;
						const entry = candidates[op.pick % candidates.length]!;
						const id = entry.payload.externalId;
						if (op.fate === 'answered') deliver(id, serverReceive(entry.payload));
						else if (op.fate === 'unreached') deliver(id, networkFailure(new TypeError('Failed to fetch')));
						else if (op.fate === 'lost') {
							serverReceive(entry.payload); // inserted, but the answer never arrives
							deliver(id, networkFailure(new TypeError('network changed')));
						} else if (op.fate === 'server-error') deliver(id, classifyResponse(503, null));
						else {
							// two senders: both reach the server, both answers come back
							const first = serverReceive(entry.payload);
							const second = serverReceive(entry.payload);
							deliver(id, first);
							deliver(id, second);
						}
					}
					check();
				}

				// The network comes back: flushing drains everything.
				for (let round = 0; round < 5 && sendable(queue).length; round++) {
					for (const e of sendable(queue)) deliver(e.payload.externalId, serverReceive(e.payload));
				}
				check();
				expect(queue).toEqual([]);
				expect([...server].sort()).toEqual([...saved].sort());
				for (const id of saved) expect(acks.get(id)).toBe(1);
			}),
			{ numRuns: 400 }
		);
	});
});

describe('a refused entry in the page language', () => {
	const t = (key: string, o?: { values?: Record<string, string | number> }) =>
		key === 'errors.timeFuture' ? `meer dan ${o?.values?.minutes} minuten in de toekomst` : key;
	it('translates the code with its values, and falls back to the message', () => {
		expect(refusalText(t, { code: 'timeFuture', values: { minutes: 10 }, message: 'in the future' })).toBe('meer dan 10 minuten in de toekomst');
		expect(refusalText(t, { code: 'cellOutside', message: 'outside the area' })).toBe('outside the area');
		expect(refusalText(t, { message: 'queued by an older version' })).toBe('queued by an older version');
	});
});
