// The map's read API: organisation metadata, contact aggregates per cell (hexes), underserved
// zones, hot spots, service locations and area outlines. Declared once for the +server.ts
// routes and the browser client.
import { z } from 'zod';
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { Reason } from '$lib/domain/analysis/underserved';
import { parseBbox, parseIdList, parseRes, type Bbox } from '$lib/domain/hex-query';
import { parseDay } from '$lib/domain/calendar';
import type { Vocabularies } from '$lib/domain/vocabulary';
import { endpoint } from './endpoint';
import { refusedParam, textParam } from './params';

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
	/** Active entries, in the organisation's order: what a new contact may name. */
	vocabularies: Vocabularies;
	/** Retired entries stored data may still carry: filters and legends list them under "no longer used". */
	retiredVocabularies: Vocabularies;
	/** Empty for analysts: they get no per-team figures, so no team filter is shown. */
	teams: { id: number; name: string }[];
	basemapStyle: string | null;
	attribution: string;
	today: string;
	/** The organisation's area layers: which is its district and population layer, and all of them. */
	areaLayers: { district: string | null; population: string | null; layers: AreaLayerMeta[] };
}

/** GET /api/meta: who asks, their organisation and its vocabularies. */
export const meta = endpoint<Meta>()({ method: 'GET', path: '/api/meta' });

const ids = textParam((raw) => {
	const v = parseIdList(raw);
	return v ? { ok: true, value: v } : { ok: false, message: 'expected a comma-separated list of whole numbers from 1 to 32767' };
});
const day = textParam((raw) => {
	const v = parseDay(raw);
	return v ? { ok: true, value: v } : { ok: false, message: 'expected a date as YYYY-MM-DD' };
});

/**
 * The query of every map endpoint (hexes, underserved, hotspots): the resolution, the period
 * (inclusive days; by default the last 365, an analyst's last ended quarter), vocabulary
 * filters (left out = all) and, for hexes, the bbox. The period's order and length, the
 * defaults and what the role may ask are checked by the route (server/map-query.ts).
 */
export const mapQuery = z
	.object({
		res: z.string({ error: 'required: a resolution from 7 to 10' }).transform((raw, ctx) => {
			const v = parseRes(raw);
			if (typeof v === 'number') return v;
			ctx.addIssue({ code: 'custom', message: v });
			return z.NEVER;
		}),
		to: day.optional(),
		from: day.optional(),
		types: ids.optional(),
		groups: ids.optional(),
		teams: ids.optional(),
		bbox: textParam((raw) => {
			const v = parseBbox(raw);
			return typeof v === 'string' ? { ok: false, message: v } : { ok: true, value: v };
		}).optional()
	})
	.strict();

export type MapQuery = z.output<typeof mapQuery>;

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
	/**
	 * Each cell's most frequent referral target (a referral_target id) and its referrals, for
	 * "12 toeleidingen, waarvan 7 naar CAW"; null when none is known (for analysts also when its
	 * count is below k).
	 */
	topTarget?: (number | null)[];
	topTargetReferrals?: (number | null)[];
	/** Computed by the server from the true counts; the browser never sums published values. */
	totals?: { contacts: number | null; persons: number | null; referrals: number | null };
	/** Present (analysts only): the threshold below which counts are suppressed. */
	k?: number;
}

/** GET /api/hexes: contacts per cell in the bbox (or everywhere). */
export const hexes = endpoint<HexColumns>()({ method: 'GET', path: '/api/hexes', query: mapQuery });

/** Zones scoring below this are left off the map (they are still counted). */
export const UNDERSERVED_MAP_MIN_SCORE = 5;
/** How many top zones the panel lists (the default limit). */
export const UNDERSERVED_TOP = 20;
export const UNDERSERVED_MAX_LIMIT = 100;

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

export const underserved = endpoint<UnderservedColumns>()({
	method: 'GET',
	path: '/api/underserved',
	query: mapQuery.extend({
		bbox: refusedParam('zones are scored over the whole organisation; leave bbox out').optional(),
		/** How many of the highest zones `top` lists. */
		limit: textParam((raw) => {
			const n = Number(raw);
			return Number.isInteger(n) && n >= 1 && n <= UNDERSERVED_MAX_LIMIT
				? { ok: true, value: n }
				: { ok: false, message: `expected a whole number from 1 to ${UNDERSERVED_MAX_LIMIT}` };
		}).optional()
	})
});

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

export const hotspots = endpoint<HotspotColumns>()({
	method: 'GET',
	path: '/api/hotspots',
	query: mapQuery.extend({
		bbox: refusedParam('hot spots are computed over the whole organisation; leave bbox out').optional()
	})
});

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

export type ServiceCollection = FeatureCollection<Point, ServiceProps>;

/** GET /api/services: the organisation's service locations. */
export const services = endpoint<ServiceCollection>()({ method: 'GET', path: '/api/services' });

export interface AreaProps {
	code: string;
	name: string;
	population: number | null;
}

export type AreaCollection = FeatureCollection<Polygon | MultiPolygon, AreaProps>;

/**
 * GET /api/areas?layer=&zoom=: one area layer's outlines (without a layer, the organisation's
 * district layer), simplified for the map's zoom (whole steps; see domain/area-simplify.ts); an
 * unknown layer is a 400.
 */
export const areas = endpoint<AreaCollection>()({
	method: 'GET',
	path: '/api/areas',
	query: z.object({
		layer: z.string().min(1).max(100).optional(),
		zoom: z.coerce.number().int().min(0).max(24).optional()
	})
});

/** An imported area layer as the map's layer list shows it. */
export interface AreaLayerMeta {
	layer: string;
	features: number;
	populated: number;
}
