// The map's data loaders: the map's filters and view turned into the API's queries, through the
// one browser client (src/lib/api/client.ts). Endpoints and their types are in src/lib/api/map.ts.
import { apiGet, apiUrl } from '$lib/api/client';
import { areas, hexes, hotspots, services, underserved, UNDERSERVED_TOP, type HexColumns, type MapQuery } from '$lib/api/map';
import type { Bbox } from '$lib/domain/hex-query';
import { zoomBucket } from '$lib/domain/area-simplify';

export interface HexFilters {
	from: string;
	to: string;
	/** null = all (parameter omitted). */
	types: number[] | null;
	groups: number[] | null;
	teams: number[] | null;
}

export const fetchServices = (signal?: AbortSignal) => apiGet(services, undefined, { signal });
/**
 * One area layer's outlines (without a layer: the organisation's district layer), simplified
 * for the whole zoom step the map shows (see domain/area-simplify.ts).
 */
export const fetchAreas = (q: { layer?: string; zoom?: number }, signal?: AbortSignal) =>
	apiGet(areas, { layer: q.layer, zoom: q.zoom === undefined ? undefined : zoomBucket(q.zoom) }, { signal });

/** The map's query parameters, shared by /api/hexes, /api/underserved and /api/hotspots. */
function mapQuery(res: number, filters: HexFilters): Omit<MapQuery, 'bbox'> {
	return {
		res,
		from: filters.from,
		to: filters.to,
		types: filters.types ?? undefined,
		groups: filters.groups ?? undefined,
		teams: filters.teams ?? undefined
	};
}

/** The view's bbox to 5 decimals (about a metre), so a request is the same for the same view. */
const roundedBbox = (bbox: Bbox | null) => (bbox ? (bbox.map((v) => Number(v.toFixed(5))) as Bbox) : undefined);

export const hexUrl = (res: number, filters: HexFilters, bbox: Bbox | null): string =>
	apiUrl(hexes, { ...mapQuery(res, filters), bbox: roundedBbox(bbox) });

export const fetchHexes = (res: number, filters: HexFilters, bbox: Bbox | null, signal?: AbortSignal) =>
	apiGet(hexes, { ...mapQuery(res, filters), bbox: roundedBbox(bbox) }, { signal });

export const underservedUrl = (res: number, filters: HexFilters, limit = UNDERSERVED_TOP): string =>
	apiUrl(underserved, { ...mapQuery(res, filters), limit });

export const fetchUnderserved = (res: number, filters: HexFilters, signal?: AbortSignal) =>
	apiGet(underserved, { ...mapQuery(res, filters), limit: UNDERSERVED_TOP }, { signal });

export const hotspotsUrl = (res: number, filters: HexFilters): string => apiUrl(hotspots, mapQuery(res, filters));

export const fetchHotspots = (res: number, filters: HexFilters, signal?: AbortSignal) => apiGet(hotspots, mapQuery(res, filters), { signal });

/** Months asked for at once while the slider's months load: enough to use both cores, no more. */
const MONTHS_IN_FLIGHT = 3;

/**
 * Every month of the slider through /api/hexes (one request per month, the same view and
 * filters), in the months' order; a few at a time. Rejects when one fails or `signal` aborts.
 */
export async function fetchMonthHexes(
	res: number,
	filters: HexFilters,
	bbox: Bbox | null,
	months: readonly { from: string; to: string }[],
	signal?: AbortSignal
): Promise<HexColumns[]> {
	const out: HexColumns[] = new Array(months.length);
	let next = 0;
	const worker = async () => {
		while (next < months.length) {
			const i = next++;
			const m = months[i]!;
			out[i] = await fetchHexes(res, { ...filters, from: m.from, to: m.to }, bbox, signal);
		}
	};
	await Promise.all(Array.from({ length: Math.min(MONTHS_IN_FLIGHT, months.length) }, worker));
	return out;
}

/** The key of the slider's months for a loader: the URLs of its first and last month. */
export const monthHexesUrl = (res: number, filters: HexFilters, bbox: Bbox | null, months: readonly { from: string; to: string }[]): string =>
	[months[0], months[months.length - 1]].map((m) => (m ? hexUrl(res, { ...filters, from: m.from, to: m.to }, bbox) : '')).join('|');

/** Two periods through /api/hexes (same view and filters), for the change per cell. */
export const fetchTwoPeriods = (
	res: number,
	filters: HexFilters,
	bbox: Bbox | null,
	a: { from: string; to: string },
	b: { from: string; to: string },
	signal?: AbortSignal
): Promise<[HexColumns, HexColumns]> =>
	Promise.all([fetchHexes(res, { ...filters, ...a }, bbox, signal), fetchHexes(res, { ...filters, ...b }, bbox, signal)]);
