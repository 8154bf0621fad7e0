// The field workers' API: their zones and rounds (my-zones), the rounds a contact may be linked
// to, and a contact moment logged from a phone (the quick log).
import type { MultiPolygon, Polygon } from 'geojson';
import type { Bbox } from '$lib/domain/hex-query';
import { quickLogSchema } from '$lib/domain/quick-log';
import { endpoint } from './endpoint';

export type ZoneGeometry = Polygon | MultiPolygon;

/** One of the signed-in user's zones valid today (GET /api/my-zones). */
export interface MyZone {
	assignmentId: number;
	label: string;
	area: { layer: string; code: string; name: string } | null;
	/** Hand-picked cells (h3 ids) when the zone is not an area. */
	cells: string[] | null;
	/** The area's outline when the zone is an area. */
	geometry: ZoneGeometry | null;
	validFrom: string;
	validTo: string;
	/** ISO time of the latest contact moment in the zone (by anyone), or null. */
	lastVisit: string | null;
	contacts30d: number;
}

/** A street round the signed-in user walks, from yesterday to two weeks ahead (GET /api/my-zones). */
export interface MyRound {
	roundId: number;
	plannedOn: string;
	title: string;
	budgetMinutes: number;
	/** The names of the others on the round. */
	partners: string[];
}

export interface MyZones {
	today: string;
	map: { bbox: Bbox; basemapStyle: string | null; attribution: string };
	zones: MyZone[];
	/** The last day `rounds` covers. */
	roundsUntil: string;
	/** Soonest first. */
	rounds: MyRound[];
}

/** How far ahead a worker sees the rounds they are planned on (my-zones). */
export const ROUNDS_AHEAD_DAYS = 14;

/** GET /api/my-zones: the user's zones valid today and the rounds they walk soon. */
export const myZones = endpoint<MyZones>()({ method: 'GET', path: '/api/my-zones' });

/** A round a contact logged today may be linked to. */
export interface LinkableRound {
	roundId: number;
	plannedOn: string;
	title: string;
	/** The names of the workers on it. */
	workers: string[];
	contacts: number;
	/** The signed-in user walks it (only such a round is ever preselected). */
	mine: boolean;
}

/**
 * GET /api/rounds: a worker's own rounds of yesterday, today and tomorrow; for a coordinator,
 * the organisation's.
 */
export const rounds = endpoint<{ today: string; rounds: LinkableRound[] }>()({ method: 'GET', path: '/api/rounds' });

/**
 * POST /api/contacts: one contact moment (JSON only; 415 otherwise). Idempotent on the client's
 * uuid: 201 {status:'created'} the first time, 200 {status:'duplicate'} for any resend.
 * The body is checked by the server with the organisation's rules too (server/contacts/quick-log.ts).
 */
export const contacts = endpoint<{ status: 'created' | 'duplicate' }>()({ method: 'POST', path: '/api/contacts', body: quickLogSchema });
