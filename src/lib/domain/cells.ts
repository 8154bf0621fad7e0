// H3 cell helpers shared by browser and server. Cells travel as 15-character hex strings (h3-js's
// form) and are stored as signed bigint: H3's top bit is always 0, so every index fits.
import { cellToLatLng, getResolution, isValidCell, latLngToCell } from 'h3-js';

/** Resolutions the map and API offer (7: edge ~1.2 km … 10: edge ~66 m). */
export const MIN_MAP_RES = 7;
export const MAX_MAP_RES = 10;

export function cellToBigInt(cell: string): bigint {
	return BigInt('0x' + cell);
}

export function bigIntToCell(value: bigint): string {
	return value.toString(16);
}

const RES_SHIFT = 52n;
const RES_MASK = 15n << RES_SHIFT;

/** Resolution field of a bigint cell (bits 52–55). */
export function bigIntResolution(cell: bigint): number {
	return Number((cell & RES_MASK) >> RES_SHIFT);
}

/**
 * Parent of a bigint cell at a coarser resolution, by bit arithmetic alone: set the resolution
 * field and fill the 3-bit digits below it with 1s ("unused" digit 7). Mirrors SQL h3_parent().
 */
export function parentBits(cell: bigint, res: number): bigint {
	const below = BigInt(3 * (15 - res));
	return (cell & ~RES_MASK) | (BigInt(res) << RES_SHIFT) | ((1n << below) - 1n);
}

/** Snap a point to its cell: the only place a raw coordinate becomes stored data. */
export function snapToCell(lat: number, lng: number, res: number): string {
	return latLngToCell(lat, lng, res);
}

export function isCell(value: string, res?: number): boolean {
	if (!/^[0-9a-f]{15}$/.test(value) || !isValidCell(value)) return false;
	return res === undefined || getResolution(value) === res;
}

/** H3's mean earth radius, so distances agree with h3-js greatCircleDistance. */
export const EARTH_RADIUS_M = 6371007.180918475;
export const RAD = Math.PI / 180;

/**
 * Great-circle distance in metres: H3's haversine, in plain JavaScript. h3-js's own
 * greatCircleDistance allocates and frees WebAssembly memory on every call, which made scoring
 * 12,000 zones against their services take half a second; this is the same formula.
 */
export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
	const sinLat = Math.sin((b.lat - a.lat) * RAD * 0.5);
	const sinLng = Math.sin((b.lng - a.lng) * RAD * 0.5);
	// rounding can lift h just past 1 for nearly antipodal points, and sqrt(1 - h) would be NaN
	const h = Math.min(1, sinLat * sinLat + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * sinLng * sinLng);
	return 2 * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h)) * EARTH_RADIUS_M;
}

/** Street distance over straight-line distance, for want of a street network (cities: 1.2–1.4). */
export const WALKING_DETOUR_FACTOR = 1.3;

/** Walking metres between two points without a street network: great-circle distance × detour. */
export function walkingDistanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }, detourFactor = WALKING_DETOUR_FACTOR): number {
	return distanceM(a, b) * detourFactor;
}

/**
 * Throws unless every cell is a valid H3 cell of one resolution: gridDisk only meets cells of
 * its origin's resolution, so a mix would silently drop neighbours or pairs.
 */
export function assertCellsOfOneResolution(cells: readonly string[]): void {
	const first = cells[0];
	if (first === undefined) return;
	const res = resolutionIfCell(first);
	const odd = cells.find((cell) => res < 0 || resolutionIfCell(cell) !== res);
	if (odd !== undefined) throw new RangeError(`not an H3 cell of the resolution of ${first}: ${odd}`);
}

/**
 * `f` with its answers kept per cell (at most `max` cells; then it starts afresh), for pure
 * lookups in h3-js's WebAssembly that a scoring repeats for the same cells: each call there
 * costs far more than a Map lookup (cellArea, the centre, validity: ~15 % of scoring 12,000
 * zones). Answers are shared between callers: treat objects as read-only.
 */
export function memoByCell<T>(f: (cell: string) => T, max = 100_000): (cell: string) => T {
	let kept = new Map<string, T>();
	return (cell) => {
		let v = kept.get(cell);
		if (v === undefined && !kept.has(cell)) {
			if (kept.size >= max) kept = new Map();
			v = f(cell);
			kept.set(cell, v);
		}
		return v as T;
	};
}

/** A valid H3 cell's resolution, or -1 when `value` is none. */
const resolutionIfCell = memoByCell((value) => (isCell(value) ? getResolution(value) : -1));

export function cellCentre(cell: string): { lat: number; lng: number } {
	const [lat, lng] = cellToLatLng(cell);
	return { lat, lng };
}

/**
 * Hex resolution for a map zoom level: about 150–400 visible hexes at laptop size, so cells
 * stay readable and a response stays small. Clamped to [min, max] (max may be an org's policy).
 */
export function resolutionForZoom(zoom: number, max = MAX_MAP_RES, min = MIN_MAP_RES): number {
	const res = zoom < 12 ? 7 : zoom < 13.2 ? 8 : zoom < 14.4 ? 9 : 10;
	return Math.max(min, Math.min(max, res));
}

/*
 * Compact cell ids for the wire. An H3 cell id in hex is always "8" (mode 1), then the
 * resolution digit, then the digits, then a tail of 1-bits that only depends on the resolution
 * (unused digits are 7). The tail's whole hex characters and the 2-character head are implied by
 * the resolution the response already carries, so only the middle travels: 7 to 10 characters
 * instead of 15. That keeps a map response near 20-25 bytes a cell.
 */
function tailChars(res: number): number {
	return Math.floor((3 * (15 - res)) / 4);
}

export function packCell(cell: string): string {
	const res = getResolution(cell);
	return cell.slice(2, 15 - tailChars(res));
}

export function unpackCell(packed: string, res: number): string {
	return '8' + res.toString(16) + packed + 'f'.repeat(tailChars(res));
}
