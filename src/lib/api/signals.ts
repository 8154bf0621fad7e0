// The signal inbox's API: the list with its filters, counts and history (GET /api/signals), the
// points of the map layer (GET /api/signals/points), and one step of a signal's life cycle
// (POST /api/signals/<id>/transition). Coordinators and workers only; analysts see signals as
// counts per area in the reports.
import { z } from 'zod';
import {
	AGE_BUCKETS,
	MAX_PAGE,
	MAX_QUERY,
	SIGNAL_STATUSES,
	isInboxStatus,
	signalTransitionBody,
	type AgeBucket,
	type InboxStatus,
	type SignalAction,
	type SignalListQuery
} from '$lib/domain/signals';
import type { ReporterKind } from '$lib/domain/import/mapping';
import { endpoint } from './endpoint';
import { textParam } from './params';

const oneOf = <T extends string>(values: readonly T[], what: string) =>
	textParam<T>((raw) =>
		(values as readonly string[]).includes(raw)
			? { ok: true, value: raw as T }
			: { ok: false, message: `expected ${what}: one of ${values.join(', ')}` }
	);

const positive = (what: string, max: number) =>
	textParam<number>((raw) => {
		const n = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : NaN;
		return n >= 1 && n <= max ? { ok: true, value: n } : { ok: false, message: `expected ${what}: a whole number from 1 to ${max}` };
	});

const shortText = (what: string, max: number) =>
	textParam<string>((raw) =>
		raw.length >= 1 && raw.length <= max ? { ok: true, value: raw } : { ok: false, message: `expected ${what} of 1 to ${max} characters` }
	);

/** GET /api/signals's query: each parameter optional; a malformed one is a 400 naming it. */
export const signalListQuery: z.ZodType<SignalListQuery> = z
	.object({
		/** Comma-separated statuses. */
		status: textParam<InboxStatus[]>((raw) => {
			const parts = raw.split(',').filter((p) => p !== '');
			if (parts.length === 0 || !parts.every(isInboxStatus))
				return { ok: false, message: `expected a comma-separated list of: ${SIGNAL_STATUSES.join(', ')}` };
			return { ok: true, value: [...new Set(parts)] as InboxStatus[] };
		}).optional(),
		area: shortText('a district code', 100).optional(),
		group: positive('a target group id', 32767).optional(),
		source: shortText('a source', 100).optional(),
		q: textParam<string>((raw) =>
			raw.length <= MAX_QUERY ? { ok: true, value: raw.trim() } : { ok: false, message: `expected at most ${MAX_QUERY} characters` }
		).optional(),
		age: oneOf<AgeBucket>(AGE_BUCKETS, 'an age').optional(),
		round: positive('a round id', 2147483647).optional(),
		mine: textParam<true>((raw) =>
			raw === 'true' ? { ok: true, value: true } : { ok: false, message: 'expected true (or leave it out)' }
		).optional(),
		page: positive('a page number', MAX_PAGE).optional()
	})
	.strict();

export interface SignalEventItem {
	at: string;
	/** Who took the step (null: an import). */
	by: string | null;
	from: InboxStatus;
	to: InboxStatus;
	note: string | null;
}

export interface SignalItem {
	id: number;
	reportedAt: string;
	age: AgeBucket;
	reporterKind: ReporterKind;
	description: string;
	targetGroups: number[];
	status: InboxStatus;
	/** H3 cell at the organisation's storage resolution. */
	cell: string;
	district: { code: string; name: string } | null;
	source: string;
	isDemo: boolean;
	assignedTo: { userId: number; name: string } | null;
	round: { roundId: number; title: string; plannedOn: string } | null;
	contactId: number | null;
	stopSeq: number | null;
	statusChangedAt: string | null;
	statusChangedBy: string | null;
	/** In the worker's zones or rounds, or assigned to them (always true for a coordinator). */
	mine: boolean;
	/** The steps the signed-in user may take on it. */
	actions: SignalAction[];
	/** Oldest first. */
	history: SignalEventItem[];
}

export interface SignalList {
	page: number;
	pageSize: number;
	/** Signals matching every filter. */
	total: number;
	/** Per status, matching every filter but the status. */
	counts: Record<InboxStatus, number>;
	items: SignalItem[];
}

/** GET /api/signals: the inbox, open and assigned first, newest first, a page at a time. */
export const signals = endpoint<SignalList>()({ method: 'GET', path: '/api/signals', query: signalListQuery });

export interface SignalPoints {
	/** Unresolved signals (open, assigned, visited) the user may see, newest first. */
	points: { id: number; cell: string; status: InboxStatus; roundId: number | null }[];
}

/** GET /api/signals/points: the map layer's points. */
export const signalPoints = endpoint<SignalPoints>()({ method: 'GET', path: '/api/signals/points' });

/** POST /api/signals/<id>/transition: one step with an optional note; answers the signal as listed. */
export const signalTransition = (id: number) =>
	endpoint<{ signal: SignalItem }>()({ method: 'POST', path: `/api/signals/${id}/transition`, body: signalTransitionBody });
