// Quick log of a contact moment from a phone: the payload the browser sends to POST /api/contacts,
// its validation (the same code runs in the browser before queueing and on the server), the
// nearest services to a cell, and the offline queue as pure functions over plain data.
//
// Privacy: the payload carries an H3 cell at the organisation's storage resolution and never a
// coordinate. The schema is strict, so a payload with any extra field (say `lat`/`lng`) is
// refused outright instead of being silently dropped.
//
// Queue: an entry gets its uuid (externalId) when the worker taps save, is written to durable
// storage first and only then sent. It leaves the queue only when the server acknowledged that
// uuid (201 created or 200 duplicate); every other outcome keeps it. The server inserts with
// `on conflict do nothing` on that uuid, so a resend after a lost response never makes a second row.
import { z } from 'zod';
import { cellToBoundary } from 'h3-js';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { cellCentre, distanceM, isCell } from './cells';
import type { ErrorInfo, ErrorValues } from './errors';
import type { Bbox } from './hex-query';

/** A refusal of a quick-log payload: a stable code, the field it concerns, English, values. */
export type ParamError = ErrorInfo & { param: string };

export type Checked<T> = { ok: true; value: T } | { ok: false; error: ParamError };

export const MAX_PERSONS = 50;
/** Phones' clocks drift; a contact may be dated at most this far ahead of the server's clock. */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;
/**
 * The quick log is for what happened in the street this week: on the page, a moment set by hand
 * may lie at most this many days back (older contacts go through the import). The server does
 * not apply it: an entry queued on a phone that stayed offline (or signed out) for longer must
 * still arrive with its true time; it takes anything within retention, and records who logged it.
 */
export const MAX_PAST_DAYS = 7;
export const MAX_PAST_MS = MAX_PAST_DAYS * 86_400_000;
const FUTURE_TOLERANCE_MINUTES = FUTURE_TOLERANCE_MS / 60_000;
const MAX_IDS = 32;

const vocabId = z.number().int().min(1).max(32767);
const idList = z
	.array(vocabId)
	.max(MAX_IDS)
	.refine((ids) => new Set(ids).size === ids.length, 'each id may appear only once');

export const quickLogSchema = z
	.object({
		/** Client-generated when the worker taps save; the idempotency key of the contact. */
		externalId: z.uuid().transform((s) => s.toLowerCase()),
		/** ISO 8601 with a zone (Z or ±hh:mm). */
		occurredAt: z.iso.datetime({ offset: true }),
		/** H3 cell (15 hex characters) at the organisation's storage resolution. */
		cell: z.string().regex(/^[0-9a-f]{15}$/, 'expected an H3 cell id: 15 lowercase hex characters'),
		contactType: vocabId,
		targetGroups: idList,
		themes: idList,
		persons: z.number().int().min(1).max(MAX_PERSONS),
		referral: z.boolean(),
		referralServiceId: z.number().int().min(1).max(2147483647).nullable().optional(),
		/** To whom: the code of one of the organisation's referral targets (left out: not known). */
		referralTarget: z.string().trim().min(1).max(64).nullable().optional(),
		/** The street round the contact was made on, if any. */
		roundId: z.number().int().min(1).max(2147483647).nullable().optional(),
		/** Signals of that round the worker marks visited with this contact. */
		signalIds: z
			.array(z.number().int().min(1).max(2147483647))
			.max(MAX_IDS)
			.refine((ids) => new Set(ids).size === ids.length, 'each id may appear only once')
			.optional()
	})
	.strict();

export type QuickLogInput = z.input<typeof quickLogSchema>;

export interface QuickLogPayload {
	externalId: string;
	occurredAt: string;
	cell: string;
	contactType: number;
	targetGroups: number[];
	themes: number[];
	persons: number;
	referral: boolean;
	referralServiceId: number | null;
	/** A referral target's code, or null when the referral's target is not known. */
	referralTarget?: string | null;
	roundId: number | null;
	/** Signals of the round marked visited with this contact (optional: older queued entries lack it). */
	signalIds?: number[];
}

export interface QuickLogRules extends TimeRules {
	storageRes: number;
	/** The organisation's map area; the cell's centre must lie inside it. */
	bbox?: Bbox;
	/** The organisation's boundary, when it has one: the cell must overlap it (a contact at the edge counts). */
	boundary?: Polygon | MultiPolygon | null;
}

export interface TimeRules {
	now: Date;
	/** Oldest allowed moment (the organisation's retention); unchecked when absent. */
	earliest?: Date;
	/**
	 * For a time the worker sets on the page: it may lie at most MAX_PAST_DAYS before this moment
	 * (now, or when the entry being fixed was first queued). The server leaves it out: a queued
	 * entry arrives with its true time, however late (see MAX_PAST_DAYS).
	 */
	handSetFrom?: Date;
}

/**
 * The quick log's time rules, one place for the page and the server: a moment must be a real
 * one (`at` null or NaN is not), at most FUTURE_TOLERANCE_MS ahead of `now`, at most
 * MAX_PAST_DAYS before `handSetFrom` when given, and not before `earliest` (retention).
 * Codes: timeInvalid, timeFuture {minutes}, timeTooOld {days}, timeBeforeRetention {earliest}.
 */
export function occurredAtProblem(at: Date | null, rules: TimeRules): ParamError | null {
	if (!at || Number.isNaN(at.getTime())) return refuse('timeInvalid', 'occurredAt', 'not a valid moment');
	if (at.getTime() > rules.now.getTime() + FUTURE_TOLERANCE_MS) {
		return refuse('timeFuture', 'occurredAt', `occurredAt lies more than ${FUTURE_TOLERANCE_MINUTES} minutes in the future`, {
			minutes: FUTURE_TOLERANCE_MINUTES
		});
	}
	if (rules.handSetFrom && at.getTime() < rules.handSetFrom.getTime() - MAX_PAST_MS) {
		return refuse('timeTooOld', 'occurredAt', `occurredAt lies more than ${MAX_PAST_DAYS} days back`, { days: MAX_PAST_DAYS });
	}
	if (rules.earliest && at.getTime() < rules.earliest.getTime()) {
		return refuse('timeBeforeRetention', 'occurredAt', `lies before ${rules.earliest.toISOString()}, outside the retention period`, {
			earliest: rules.earliest.toISOString()
		});
	}
	return null;
}

/**
 * Checks a payload against the schema and the rules that need no database: the cell is a valid
 * cell at the storage resolution (inside the bbox when given), the moment is not too far in the
 * future nor before `earliest` (retention), and a referral service only comes with a referral.
 */
export function checkQuickLog(input: unknown, rules: QuickLogRules): Checked<QuickLogPayload> {
	const parsed = quickLogSchema.safeParse(input);
	if (!parsed.success) return { ok: false, error: issueToError(parsed.error.issues[0]) };
	const p = parsed.data;
	if (!isCell(p.cell)) return fail('cellInvalid', 'cell', 'not a valid H3 cell');
	const res = cellResolution(p.cell);
	if (res !== rules.storageRes) {
		return fail('cellResolution', 'cell', `cell is at resolution ${res}; contacts are stored at resolution ${rules.storageRes}`, {
			res,
			storageRes: rules.storageRes
		});
	}
	if ((rules.bbox && !cellInBbox(p.cell, rules.bbox)) || (rules.boundary && !cellMeets(p.cell, rules.boundary)))
		return fail('cellOutside', 'cell', "cell lies outside the organisation's area");
	const at = new Date(p.occurredAt);
	const late = occurredAtProblem(at, rules);
	if (late) return { ok: false, error: late };
	const serviceId = p.referralServiceId ?? null;
	if (serviceId !== null && !p.referral) return fail('referralWithoutReferral', 'referralServiceId', 'a referral service needs referral: true');
	const target = p.referralTarget ?? null;
	if (target !== null && !p.referral) return fail('referralWithoutReferral', 'referralTarget', 'a referral target needs referral: true');
	return {
		ok: true,
		value: {
			externalId: p.externalId,
			// Normalised, so the stored moment does not depend on how the zone was written.
			occurredAt: at.toISOString(),
			cell: p.cell,
			contactType: p.contactType,
			targetGroups: p.targetGroups,
			themes: p.themes,
			persons: p.persons,
			referral: p.referral,
			referralServiceId: serviceId,
			roundId: p.roundId ?? null,
			// only when given: payloads queued before targets existed stay as they were
			...(target !== null ? { referralTarget: target } : {}),
			...(p.signalIds?.length ? { signalIds: p.signalIds } : {})
		}
	};
}

function refuse(code: string, param: string, message: string, values?: ErrorValues): ParamError {
	return { code, param, message, ...(values ? { values } : {}) };
}

function fail(code: string, param: string, message: string, values?: ErrorValues): { ok: false; error: ParamError } {
	return { ok: false, error: refuse(code, param, message, values) };
}

interface ZodIssueLike {
	code: string;
	path: PropertyKey[];
	message: string;
	keys?: string[];
}

function issueToError(issue: ZodIssueLike | undefined): ParamError {
	if (!issue) return refuse('bodyInvalid', 'body', 'invalid payload');
	if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
		return refuse('fieldUnknown', issue.keys[0]!, `unknown field "${issue.keys[0]}"`, { field: issue.keys[0]! });
	}
	const head = issue.path[0];
	if (head === undefined) return refuse('bodyInvalid', 'body', 'expected a JSON object with the contact fields');
	return refuse('fieldInvalid', String(head), issue.message);
}

function cellResolution(cell: string): number {
	return parseInt(cell[1]!, 16);
}

/** Whether the cell's centre or a corner lies inside the boundary. */
export function cellMeets(cell: string, boundary: Polygon | MultiPolygon): boolean {
	const { lat, lng } = cellCentre(cell);
	return [[lat, lng], ...cellToBoundary(cell)].some(([y, x]) => booleanPointInPolygon([x!, y!], boundary));
}

export function cellInBbox(cell: string, [w, s, e, n]: Bbox): boolean {
	const { lat, lng } = cellCentre(cell);
	return lng >= w && lng <= e && lat >= s && lat <= n;
}

// ---- nearest services ----------------------------------------------------------------------

export interface ServicePoint {
	id: number;
	name: string;
	category: number;
	categoryCode: string;
	lng: number;
	lat: number;
}

export interface NearService extends ServicePoint {
	/** Straight-line metres from the cell's centre. */
	distanceM: number;
}

/** The `n` services closest to the centre of `cell`, nearest first (ties by name, then id). */
export function nearestServices(cell: string, services: readonly ServicePoint[], n = 6): NearService[] {
	const centre = cellCentre(cell);
	return services
		.map((s) => ({ ...s, distanceM: distanceM(centre, s) }))
		.sort((a, b) => a.distanceM - b.distanceM || a.name.localeCompare(b.name) || a.id - b.id)
		.slice(0, n);
}

// ---- offline queue ---------------------------------------------------------------------------

/**
 * pending: waiting to be sent (again). invalid: the server refused it (400); the worker fixes or
 * discards it, it is never resent unchanged.
 */
export type EntryStatus = 'pending' | 'invalid';

export interface QueueEntry {
	payload: QuickLogPayload;
	status: EntryStatus;
	queuedAt: number;
	attempts: number;
	lastAttemptAt: number | null;
	/** Why the last attempt did not complete: the server's field error, or a network/auth note. */
	error: { kind: 'invalid' | 'network' | 'auth'; param?: string; code?: string; values?: ErrorValues; message: string } | null;
}

export type Queue = readonly QueueEntry[];

/** What one send attempt came to, from the HTTP status and body (or a network error). */
export type SendOutcome =
	| { kind: 'acknowledged'; status: 'created' | 'duplicate' }
	| { kind: 'rejected'; param: string; code?: string; values?: ErrorValues; message: string }
	| { kind: 'unauthorised'; message: string }
	| { kind: 'failed'; message: string };

export const RETRY_INTERVAL_MS = 30_000;

/**
 * Adds a new entry at the end. Saving the same uuid again only matters for an entry marked
 * invalid: the corrected payload replaces it and it is pending again. A pending entry is never
 * replaced (it may already be on its way to the server).
 */
export function enqueue(queue: Queue, payload: QuickLogPayload, now: number): QueueEntry[] {
	const i = queue.findIndex((e) => e.payload.externalId === payload.externalId);
	if (i === -1) {
		return [...queue, { payload, status: 'pending', queuedAt: now, attempts: 0, lastAttemptAt: null, error: null }];
	}
	const existing = queue[i]!;
	if (existing.status !== 'invalid') return [...queue];
	const next = [...queue];
	next[i] = { ...existing, payload, status: 'pending', error: null };
	return next;
}

/** Entries to send now, oldest first. Invalid entries wait for the worker. */
export function sendable(queue: Queue): QueueEntry[] {
	return queue.filter((e) => e.status === 'pending').sort((a, b) => a.queuedAt - b.queuedAt);
}

export function pendingCount(queue: Queue): number {
	return queue.filter((e) => e.status === 'pending').length;
}

export function invalidCount(queue: Queue): number {
	return queue.filter((e) => e.status === 'invalid').length;
}

/**
 * Applies one send outcome to the entry with this uuid. Only an acknowledgement removes it;
 * `acked` is true only for the call that removed it, so a uuid is acknowledged at most once even
 * when two sends of it (two tabs, a retry racing a slow answer) both come back.
 */
export function applyOutcome(queue: Queue, externalId: string, outcome: SendOutcome, now: number): { queue: QueueEntry[]; acked: boolean } {
	const i = queue.findIndex((e) => e.payload.externalId === externalId);
	if (i === -1) return { queue: [...queue], acked: false };
	if (outcome.kind === 'acknowledged') return { queue: queue.filter((_, j) => j !== i), acked: true };
	const e = queue[i]!;
	const next = [...queue];
	const tried = { attempts: e.attempts + 1, lastAttemptAt: now };
	if (outcome.kind === 'rejected') {
		next[i] = {
			...e,
			...tried,
			status: 'invalid',
			error: { kind: 'invalid', param: outcome.param, code: outcome.code, values: outcome.values, message: outcome.message }
		};
	} else {
		next[i] = {
			...e,
			...tried,
			status: 'pending',
			error: { kind: outcome.kind === 'unauthorised' ? 'auth' : 'network', message: outcome.message }
		};
	}
	return { queue: next, acked: false };
}

/** The worker drops an entry on purpose (only offered for invalid ones). */
export function discard(queue: Queue, externalId: string): QueueEntry[] {
	return queue.filter((e) => e.payload.externalId !== externalId);
}

/**
 * Reads an HTTP answer. Only a JSON body saying created/duplicate acknowledges: a captive portal
 * or proxy answering 200 with its own page must not make us drop the entry.
 */
export function classifyResponse(status: number, body: unknown): SendOutcome {
	const b = (body && typeof body === 'object' ? body : {}) as {
		status?: unknown;
		error?: { param?: unknown; code?: unknown; values?: unknown; message?: unknown };
	};
	if ((status === 200 || status === 201) && (b.status === 'created' || b.status === 'duplicate')) {
		return { kind: 'acknowledged', status: b.status };
	}
	const message = typeof b.error?.message === 'string' ? b.error.message : `HTTP ${status}`;
	if (status === 400) {
		const code = typeof b.error?.code === 'string' ? b.error.code : undefined;
		const values = b.error?.values && typeof b.error.values === 'object' ? (b.error.values as ErrorValues) : undefined;
		return { kind: 'rejected', param: typeof b.error?.param === 'string' ? b.error.param : 'body', code, values, message };
	}
	if (status === 401 || status === 403) return { kind: 'unauthorised', message };
	return { kind: 'failed', message };
}

/** A failed fetch (offline, DNS, connection reset, timeout). */
export function networkFailure(err: unknown): SendOutcome {
	return { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
}

/** Whether a send loop should go on to the next entry after this outcome (no: the network or the session is down). */
export function continueAfter(outcome: SendOutcome): boolean {
	return outcome.kind === 'acknowledged' || outcome.kind === 'rejected';
}

const storedEntry = z.object({
	payload: z.object({
		externalId: z.string(),
		occurredAt: z.string(),
		cell: z.string(),
		contactType: z.number(),
		targetGroups: z.array(z.number()),
		themes: z.array(z.number()),
		persons: z.number(),
		referral: z.boolean(),
		referralServiceId: z.number().nullable(),
		// a referral target's code; entries queued before targets existed have none
		referralTarget: z.string().nullable().optional(),
		// entries queued before rounds existed have none
		roundId: z.number().nullable().default(null),
		// the round's signals this contact visited (entries queued before the inbox have none)
		signalIds: z.array(z.number()).optional()
	}),
	status: z.enum(['pending', 'invalid']),
	queuedAt: z.number(),
	attempts: z.number(),
	lastAttemptAt: z.number().nullable(),
	error: z.object({ kind: z.enum(['invalid', 'network', 'auth']), param: z.string().optional(), message: z.string() }).nullable()
});

/**
 * Reads a stored queue. Entries that are not well-formed are returned apart (`unreadable`) so the
 * caller can keep them aside instead of losing them silently.
 */
export function parseStoredQueue(text: string | null): { queue: QueueEntry[]; unreadable: unknown[] } {
	if (!text) return { queue: [], unreadable: [] };
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		return { queue: [], unreadable: [text] };
	}
	if (!Array.isArray(raw)) return { queue: [], unreadable: [raw] };
	const queue: QueueEntry[] = [];
	const unreadable: unknown[] = [];
	const seen = new Set<string>();
	for (const item of raw) {
		const r = storedEntry.safeParse(item);
		if (!r.success) unreadable.push(item);
		else if (!seen.has(r.data.payload.externalId)) {
			seen.add(r.data.payload.externalId);
			queue.push(r.data as QueueEntry);
		}
	}
	return { queue, unreadable };
}
