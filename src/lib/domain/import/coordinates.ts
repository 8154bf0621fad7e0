// Coordinates as Belgian files carry them: WGS84 lat/lng from phones, Lambert 72 (EPSG:31370)
// from GIS and city data, Lambert 2008 (EPSG:3812) from newer Flemish/federal data. Everything
// becomes WGS84 and is then snapped to an H3 cell: the raw point is never part of a stored row.
import proj4 from 'proj4';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { snapToCell } from '../cells';

export type Crs = 'wgs84' | 'lambert72' | 'lambert2008';
export type CrsChoice = Crs | 'auto';

/**
 * EPSG:31370 Belge 1972 / Belgian Lambert 72, with the BD72 → WGS84 7-parameter shift (EPSG:1609
 * family, position-vector signs as PROJ writes them; ~1 m). Without +towgs84 proj4 would treat
 * BD72 as WGS84 and points land ~100 m off.
 */
export const LAMBERT72_PROJ =
	'+proj=lcc +lat_0=90 +lon_0=4.36748666666667 +lat_1=51.1666672333333 +lat_2=49.8333339 ' +
	'+x_0=150000.013 +y_0=5400088.438 +ellps=intl ' +
	'+towgs84=-106.869,52.2978,-103.724,0.3366,-0.457,1.8422,-1.2747 +units=m +no_defs';

/** EPSG:3812 ETRS89 / Belgian Lambert 2008. ETRS89 is taken as WGS84 (< 1 m, far below a cell). */
export const LAMBERT2008_PROJ =
	'+proj=lcc +lat_0=50.797815 +lon_0=4.35921583333333 +lat_1=49.8333333333333 ' +
	'+lat_2=51.1666666666667 +x_0=649328 +y_0=665262 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';

const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';
const l72 = proj4(WGS84, LAMBERT72_PROJ);
const l08 = proj4(WGS84, LAMBERT2008_PROJ);

export interface LatLng {
	lat: number;
	lng: number;
}

export function wgs84ToLambert72(lat: number, lng: number): { x: number; y: number } {
	const [x, y] = l72.forward([lng, lat]);
	return { x: x!, y: y! };
}
export function lambert72ToWgs84(x: number, y: number): LatLng {
	const [lng, lat] = l72.inverse([x, y]);
	return { lat: lat!, lng: lng! };
}
export function wgs84ToLambert2008(lat: number, lng: number): { x: number; y: number } {
	const [x, y] = l08.forward([lng, lat]);
	return { x: x!, y: y! };
}
export function lambert2008ToWgs84(x: number, y: number): LatLng {
	const [lng, lat] = l08.inverse([x, y]);
	return { lat: lat!, lng: lng! };
}

/** Belgium (with a margin) in each CRS; the ranges do not overlap, which makes detection safe. */
const RANGES = {
	lambert72: { x: [10_000, 310_000], y: [10_000, 260_000] },
	lambert2008: { x: [500_000, 810_000], y: [500_000, 760_000] }
} as const;
const within = (v: number, [lo, hi]: readonly [number, number]) => v >= lo && v <= hi;

/**
 * Guesses the CRS of an (east, north) pair from its magnitude: degrees → WGS84, Lambert 72
 * x 10–310 km / y 10–260 km, Lambert 2008 x 500–810 km / y 500–760 km. Null when none fits.
 * Note (east, north) = (lng, lat) = (x, y).
 */
export function detectCrs(east: number, north: number): Crs | null {
	if (Math.abs(north) <= 90 && Math.abs(east) <= 180) return 'wgs84';
	for (const crs of ['lambert72', 'lambert2008'] as const) if (within(east, RANGES[crs].x) && within(north, RANGES[crs].y)) return crs;
	return null;
}

export function toWgs84(east: number, north: number, crs: Crs): LatLng | null {
	if (crs === 'wgs84') return Math.abs(north) <= 90 && Math.abs(east) <= 180 ? { lat: north, lng: east } : null;
	const p = crs === 'lambert72' ? lambert72ToWgs84(east, north) : lambert2008ToWgs84(east, north);
	return Number.isFinite(p.lat) && Number.isFinite(p.lng) ? p : null;
}

/** [minLng, minLat, maxLng, maxLat], GeoJSON order. */
export type BBox = readonly [number, number, number, number];

export interface OrgArea {
	bbox: BBox;
	/** Optional exact test (e.g. point-in-polygon of the working area), applied inside the bbox. */
	contains?: (p: LatLng) => boolean;
	/** The organisation's boundary (WGS84) when it has one: `contains` tests it. */
	boundary?: Polygon | MultiPolygon;
}

/** The organisation's area: its bbox, and inside it its boundary when it has one. */
export function orgArea(bbox: BBox, boundary?: Polygon | MultiPolygon | null): OrgArea {
	if (!boundary) return { bbox };
	return { bbox, boundary, contains: (p) => booleanPointInPolygon([p.lng, p.lat], boundary) };
}

export function insideArea(p: LatLng, area: OrgArea): boolean {
	const [w, s, e, n] = area.bbox;
	if (p.lng < w || p.lng > e || p.lat < s || p.lat > n) return false;
	return area.contains ? area.contains(p) : true;
}

export type PointResult =
	| { ok: true; point: LatLng; crs: Crs }
	/** The pair read the other way round lies in the area: columns swapped (lat↔lng or x↔y). */
	| { ok: false; code: 'swapped'; crs: Crs; fixed: LatLng }
	/** The declared CRS puts the point outside, another CRS puts it inside. */
	| { ok: false; code: 'crs_mismatch'; crs: Crs; detected: Crs; fixed: LatLng }
	| { ok: false; code: 'outside'; crs: Crs; point: LatLng }
	| { ok: false; code: 'unrecognised_coordinates' };

/**
 * Reads an (east, north) pair — (lng, lat) or (x, y) — into a WGS84 point inside the org's area.
 * With `crs: 'auto'` the CRS is detected per row (files mix phone points and GIS points). When
 * the point falls outside, the swapped reading is tried before calling it "outside", because
 * swapped columns are the commonest mistake and the fix is one click.
 */
export function resolvePoint(east: number, north: number, crs: CrsChoice, area: OrgArea): PointResult {
	const read = (e: number, n: number): { crs: Crs; p: LatLng } | null => {
		const c = crs === 'auto' ? detectCrs(e, n) : crs;
		const p = c ? toWgs84(e, n, c) : null;
		return c && p ? { crs: c, p } : null;
	};
	const direct = read(east, north);
	if (direct && insideArea(direct.p, area)) return { ok: true, point: direct.p, crs: direct.crs };
	const swapped = read(north, east);
	if (swapped && insideArea(swapped.p, area)) return { ok: false, code: 'swapped', crs: swapped.crs, fixed: swapped.p };
	if (crs !== 'auto') {
		const detected = detectCrs(east, north);
		const p = detected && detected !== crs ? toWgs84(east, north, detected) : null;
		if (detected && p && insideArea(p, area)) return { ok: false, code: 'crs_mismatch', crs, detected, fixed: p };
	}
	if (direct) return { ok: false, code: 'outside', crs: direct.crs, point: direct.p };
	return { ok: false, code: 'unrecognised_coordinates' };
}

/** The only way a point leaves this module for storage: as its H3 cell at the org's resolution. */
export function snapPoint(p: LatLng, res: number): string {
	return snapToCell(p.lat, p.lng, res);
}
