// Signals as a worked inbox: the life cycle (open → assigned → visited → handled, or closed as
// not found / not ours), who may take which step, the inbox's filters as the URL carries them,
// and age buckets. Pure: the server, the page and the API share it.
import { z } from 'zod';
import { getHexagonEdgeLengthAvg, getResolution, gridDisk, UNITS } from 'h3-js';
import type { Role } from './access';
import { cellCentre, distanceM } from './cells';
import { SIGNAL_STATUSES as IMPORT_STATUSES } from './import/signals';

export const SIGNAL_STATUSES = ['open', 'assigned', 'visited', 'handled', 'closed_not_found', 'closed_not_ours'] as const;
export type InboxStatus = (typeof SIGNAL_STATUSES)[number];

/** Statuses an import may write (a file knows only open or handled). */
export const IMPORTED_STATUSES: readonly InboxStatus[] = IMPORT_STATUSES;

/** Not yet followed up: these still count as need (the underserved score) and come first in the list. */
export const UNRESOLVED_STATUSES: readonly InboxStatus[] = ['open', 'assigned', 'visited'];

export const CLOSED_STATUSES: readonly InboxStatus[] = ['handled', 'closed_not_found', 'closed_not_ours'];

export const SIGNAL_ACTIONS = ['assign', 'visit', 'handle', 'close_not_found', 'close_not_ours', 'reopen'] as const;
export type SignalAction = (typeof SIGNAL_ACTIONS)[number];

/** Where each step may start from, and where it leads. */
export const TRANSITIONS: Record<SignalAction, { from: readonly InboxStatus[]; to: InboxStatus }> = {
	// re-assigning an assigned signal (another round, another worker) is a step too
	assign: { from: ['open', 'assigned'], to: 'assigned' },
	visit: { from: ['open', 'assigned'], to: 'visited' },
	handle: { from: ['open', 'assigned', 'visited'], to: 'handled' },
	close_not_found: { from: ['open', 'assigned', 'visited'], to: 'closed_not_found' },
	close_not_ours: { from: ['open', 'assigned', 'visited'], to: 'closed_not_ours' },
	reopen: { from: ['handled', 'closed_not_found', 'closed_not_ours'], to: 'open' }
};

/** What a worker may do to a signal of their own zones or rounds; a coordinator may do all. */
const WORKER_ACTIONS: readonly SignalAction[] = ['visit', 'handle'];

export function isInboxStatus(s: string): s is InboxStatus {
	return (SIGNAL_STATUSES as readonly string[]).includes(s);
}

/** The status a step leads to, or null when it cannot start from `from`. */
export function nextStatus(from: InboxStatus, action: SignalAction): InboxStatus | null {
	const t = TRANSITIONS[action];
	return t.from.includes(from) ? t.to : null;
}

/** The steps that may start from a status, in the order the page offers them. */
export function actionsFrom(status: InboxStatus): SignalAction[] {
	return SIGNAL_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(status));
}

/**
 * Why this user may not take this step on this signal, or null when they may. `mine`: the signal
 * lies in one of the worker's zones, or is assigned to them or to one of their rounds.
 */
export function transitionRefusal(
	role: Role,
	action: SignalAction,
	signal: { status: InboxStatus; mine: boolean }
): { code: 'signalRoleRefused' | 'signalNotYours' | 'signalStepInvalid'; message: string } | null {
	if (role === 'analyst') return { code: 'signalRoleRefused', message: 'analysts see signals as counts per area in the reports only' };
	if (role === 'worker') {
		if (!WORKER_ACTIONS.includes(action)) return { code: 'signalRoleRefused', message: `a worker may not ${action} a signal` };
		if (!signal.mine) return { code: 'signalNotYours', message: 'this signal is not in your zones or rounds' };
	}
	if (nextStatus(signal.status, action) === null) {
		return { code: 'signalStepInvalid', message: `a signal that is ${signal.status} cannot be given "${action}"` };
	}
	return null;
}

/** The steps a user may offer on a signal (the buttons of a card). */
export function allowedActions(role: Role, signal: { status: InboxStatus; mine: boolean }): SignalAction[] {
	return actionsFrom(signal.status).filter((a) => transitionRefusal(role, a, signal) === null);
}

/** Rank for the list: open and assigned first, then visited, then the closed ones. */
export function statusRank(s: InboxStatus): number {
	return s === 'open' ? 0 : s === 'assigned' ? 1 : s === 'visited' ? 2 : 3;
}

// ---------------------------------------------------------------------------------------------
// Age
// ---------------------------------------------------------------------------------------------

/** How long ago a signal was reported: up to a week, a month, a quarter, or older. */
export const AGE_BUCKETS = ['week', 'month', 'quarter', 'older'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];
/** The upper bound (days, exclusive) of each bucket but the last. */
export const AGE_LIMIT_DAYS: Record<Exclude<AgeBucket, 'older'>, number> = { week: 7, month: 30, quarter: 90 };

const DAY_MS = 86_400_000;

export function ageBucket(reportedAt: Date, now: Date): AgeBucket {
	const days = (now.getTime() - reportedAt.getTime()) / DAY_MS;
	if (days < AGE_LIMIT_DAYS.week) return 'week';
	if (days < AGE_LIMIT_DAYS.month) return 'month';
	if (days < AGE_LIMIT_DAYS.quarter) return 'quarter';
	return 'older';
}

/** The reported_at range of a bucket: [after, before) as Dates (null: unbounded). */
export function ageRange(bucket: AgeBucket, now: Date): { after: Date | null; notAfter: Date | null } {
	const back = (days: number) => new Date(now.getTime() - days * DAY_MS);
	switch (bucket) {
		case 'week':
			return { after: back(AGE_LIMIT_DAYS.week), notAfter: null };
		case 'month':
			return { after: back(AGE_LIMIT_DAYS.month), notAfter: back(AGE_LIMIT_DAYS.week) };
		case 'quarter':
			return { after: back(AGE_LIMIT_DAYS.quarter), notAfter: back(AGE_LIMIT_DAYS.month) };
		case 'older':
			return { after: null, notAfter: back(AGE_LIMIT_DAYS.quarter) };
	}
}

// ---------------------------------------------------------------------------------------------
// The list's filters (GET /api/signals and the /signals page's URL)
// ---------------------------------------------------------------------------------------------

export const PAGE_SIZE = 25;
export const MAX_PAGE = 10_000;
export const MAX_QUERY = 100;
export const MAX_NOTE = 500;

/** The list's filters, checked (src/lib/api/signals.ts parses them from the URL). */
export interface SignalListQuery {
	status?: InboxStatus[];
	/** The code of a district (the organisation's district layer). */
	area?: string;
	/** A target group's id. */
	group?: number;
	source?: string;
	/** Words searched for in the description. */
	q?: string;
	age?: AgeBucket;
	/** Only the signals assigned to this street round. */
	round?: number;
	/** Only the user's own: in their zones or rounds, or assigned to them (a worker's view). */
	mine?: boolean;
	page?: number;
}

/** The filters as the URL writes them (the page's links), leaving out what is not set. */
export function signalListParams(q: SignalListQuery): Record<string, string> {
	const out: Record<string, string> = {};
	if (q.status?.length) out.status = q.status.join(',');
	if (q.area) out.area = q.area;
	if (q.group) out.group = String(q.group);
	if (q.source) out.source = q.source;
	if (q.q) out.q = q.q;
	if (q.age) out.age = q.age;
	if (q.round) out.round = String(q.round);
	if (q.mine) out.mine = 'true';
	if (q.page && q.page > 1) out.page = String(q.page);
	return out;
}

/** The body of a step (POST /api/signals/<id>/transition, and the page's form action). */
export const signalTransitionBody = z
	.object({
		action: z.enum(SIGNAL_ACTIONS),
		note: z.string().max(MAX_NOTE, `at most ${MAX_NOTE} characters`).optional(),
		/** assign: the worker. */
		userId: z.number().int().min(1).max(2147483647).nullable().optional(),
		/** assign: the round (its duo). */
		roundId: z.number().int().min(1).max(2147483647).nullable().optional(),
		/** visit: the contact moment logged there. */
		contactId: z.number().int().min(1).max(2147483647).nullable().optional(),
		/** visit: the stop of the signal's round. */
		stopSeq: z.number().int().min(1).max(100).nullable().optional()
	})
	.strict()
	.refine((b) => b.action !== 'assign' || b.userId || b.roundId, { message: 'assign to a worker (userId) or a round (roundId)', path: ['roundId'] });

export type SignalTransition = z.output<typeof signalTransitionBody>;

// ---------------------------------------------------------------------------------------------
// Near a round's zones
// ---------------------------------------------------------------------------------------------

/** How far from a round's zones a signal may lie and still be offered to the round. */
export const NEAR_ROUND_M = 300;

/**
 * The cells (at the zones' resolution) that may hold a point within `maxM` of a zone: the zones'
 * neighbourhoods, for a first cut in SQL before `nearZones` measures.
 */
export function cellsNearZones(zones: readonly string[], maxM = NEAR_ROUND_M): string[] {
	if (zones.length === 0) return [];
	const edgeM = getHexagonEdgeLengthAvg(getResolution(zones[0]!), UNITS.m);
	// a ring of neighbours is at least 1.5 edges further out
	const k = Math.ceil(maxM / (1.5 * edgeM)) + 1;
	return [...new Set(zones.flatMap((z) => gridDisk(z, k)))];
}

/**
 * Whether a signal's cell lies in or within `maxM` of one of the zones (hexagons): its centre
 * within the zone's outer radius (an edge length) plus `maxM` of a zone's centre.
 */
export function nearZones(cell: string, zones: readonly string[], maxM = NEAR_ROUND_M): boolean {
	if (zones.length === 0) return false;
	const edgeM = getHexagonEdgeLengthAvg(getResolution(zones[0]!), UNITS.m);
	const c = cellCentre(cell);
	return zones.some((z) => distanceM(c, cellCentre(z)) <= maxM + edgeM);
}
