// Browser-side client for the read API the map needs. Types mirror the server contract.
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { Reason } from '$lib/domain/analysis/underserved';
import type { Bbox } from '$lib/domain/hex-query';
import type { Vocabularies, VocabularyEntry } from '$lib/domain/vocabulary';

export type { Bbox, Reason, Vocabularies, VocabularyEntry };

export interface Meta {
	org: {
		name: string;
		bbox: Bbox;
		isDemo: boolean;
		storageRes: number;
		/** The finest resolution this user's role may ask for; never request above it. */
		maxRes: number;
		/** The coarsest resolution to ask for: equal to maxRes for analysts, who see one resolution. */
		minRes: number;
		/** Suppression threshold for analysts ("< k"); null for roles that see exact counts. */
		k: number | null;
	};
	user: { name: string; email: string; role: 'coordinator' | 'worker' | 'analyst' };
	vocabularies: Vocabularies;
	/** Empty for analysts: they get no per-team figures, so no team filter is shown. */
	teams: { id: number; name: string }[];
	basemapStyle: string | null;
	attribution: string;
	today: string;
}

export interface HexColumns {
	res: number;
	from: string;
	to: string;
	/** Packed cell ids: expand with unpackCell(packed, res). */
	cells: string[];
	/** For analysts a null is a suppressed value (shown as "< k"); other values are rounded to 5. */
	contacts: (number | null)[];
	persons: (number | null)[];
	referrals: (number | null)[];
	/** Whole weeks (multiples of 7) for analysts; null when suppressed. */
	daysSinceLast: (number | null)[];
	/** Computed by the server from the true counts; the browser never sums published values. */
	totals?: { contacts: number | null; persons: number | null; referrals: number | null };
	/** Present (analysts only): the threshold below which counts are suppressed. */
	k?: number;
}

export interface HexFilters {
	from: string;
	to: string;
	/** null = all (parameter omitted). */
	types: number[] | null;
	groups: number[] | null;
	teams: number[] | null;
}

export interface ServiceProps {
	id: number;
	category: number;
	categoryCode: string;
	name: string;
	capacity: number | null;
	openingHours: string | null;
	address: string | null;
	isDemo: boolean;
}

export interface AreaProps {
	code: string;
	name: string;
	population: number | null;
}

export type ServiceCollection = FeatureCollection<Point, ServiceProps>;
export type AreaCollection = FeatureCollection<Polygon | MultiPolygon, AreaProps>;

export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly param?: string
	) {
		super(message);
	}
}

/** The session ended (expired, signed out elsewhere, account deactivated): sign in again. */
function toLogin() {
	if (typeof location === 'undefined' || location.pathname === '/login') return;
	location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
	const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
	if (res.status === 401) toLogin();
	if (!res.ok) {
		let message = res.statusText;
		let param: string | undefined;
		try {
			const body = (await res.json()) as { error?: { param?: string; message?: string } };
			message = body.error?.message ?? message;
			param = body.error?.param;
		} catch {
			/* not JSON */
		}
		throw new ApiError(res.status, message, param);
	}
	return (await res.json()) as T;
}

export const fetchMeta = (signal?: AbortSignal) => getJson<Meta>('/api/meta', signal);
export const fetchServices = (signal?: AbortSignal) => getJson<ServiceCollection>('/api/services', signal);
export const fetchAreas = (layer: 'district' | 'sector', signal?: AbortSignal) =>
	getJson<AreaCollection>(`/api/areas?layer=${layer}`, signal);

/** The map's query parameters, shared by /api/hexes, /api/underserved and /api/hotspots. */
function mapParams(res: number, filters: HexFilters): URLSearchParams {
	const p = new URLSearchParams({ res: String(res), from: filters.from, to: filters.to });
	if (filters.types) p.set('types', filters.types.join(','));
	if (filters.groups) p.set('groups', filters.groups.join(','));
	if (filters.teams) p.set('teams', filters.teams.join(','));
	return p;
}

export function hexUrl(res: number, filters: HexFilters, bbox: Bbox | null): string {
	const p = mapParams(res, filters);
	if (bbox) p.set('bbox', bbox.map((v) => v.toFixed(5)).join(','));
	return `/api/hexes?${p}`;
}

export const fetchHexes = (res: number, filters: HexFilters, bbox: Bbox | null, signal?: AbortSignal) =>
	getJson<HexColumns>(hexUrl(res, filters, bbox), signal);

/** GET /api/underserved: zones scored over the whole organisation (no bbox). */
export interface UnderservedColumns {
	res: number;
	from: string;
	to: string;
	/** The area layer residents were counted from; null when no area has a population. */
	populationLayer: string | null;
	/** Set for analysts: the figures behind the scores were published with this k. */
	published: { k: number } | null;
	/** Zones scored, including those below the map's minimum score. */
	zoneCount: number;
	/** Packed ids of the zones scoring 5 or more, with their scores (0–100). */
	cells: string[];
	scores: number[];
	/** Highest first, with the reasons strongest first. */
	top: { cell: string; score: number; reasons: Reason[] }[];
}

/** How many top zones the panel lists. */
export const UNDERSERVED_TOP = 20;

export function underservedUrl(res: number, filters: HexFilters, limit = UNDERSERVED_TOP): string {
	const p = mapParams(res, filters);
	p.set('limit', String(limit));
	return `/api/underserved?${p}`;
}

export const fetchUnderserved = (res: number, filters: HexFilters, signal?: AbortSignal) =>
	getJson<UnderservedColumns>(underservedUrl(res, filters), signal);

/** GET /api/hotspots: the cells Getis-Ord Gi* classifies, over the whole organisation (no bbox). */
export interface HotspotColumns {
	res: number;
	from: string;
	to: string;
	/** Set for analysts: the statistic was computed from counts published with this k. */
	published: { k: number } | null;
	/** Packed ids of the classified cells only. */
	cells: string[];
	/** 3 / 2 / 1 hot spot at 99 / 95 / 90 %, −1 / −2 / −3 cold spot at 90 / 95 / 99 %. */
	classes: number[];
	counts: { hot: number; cold: number };
}

export const hotspotsUrl = (res: number, filters: HexFilters): string => `/api/hotspots?${mapParams(res, filters)}`;

export const fetchHotspots = (res: number, filters: HexFilters, signal?: AbortSignal) =>
	getJson<HotspotColumns>(hotspotsUrl(res, filters), signal);

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

export const fetchMyZones = (signal?: AbortSignal) => getJson<MyZones>('/api/my-zones', signal);
