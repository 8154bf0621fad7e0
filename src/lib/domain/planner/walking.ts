// Walking time without a street network: great-circle distance times a detour factor, at a
// steady pace. Crude per leg (a river or a rail line can make the real walk much longer);
// where better times exist, planOnMatrix takes them as a precomputed matrix instead.
import { cellCentre, isCell, walkingDistanceM, WALKING_DETOUR_FACTOR } from '../cells';
import type { Matrix } from './tour';

export type LatLng = { lat: number; lng: number };
/** A point, or an H3 cell id (its centre stands for the zone). */
export type Place = LatLng | string;

export interface WalkingOptions {
	/** Walking pace in km/h; default 4.5, an ordinary walking pace in town. */
	walkingKmh?: number;
	/** Street distance over straight-line distance; default 1.3 (cities are typically 1.2–1.4). */
	detourFactor?: number;
}

export const DEFAULT_WALKING_KMH = 4.5;

/** Minutes to walk `metres` of actual path at `walkingKmh`. */
export function metresToMinutes(metres: number, walkingKmh = DEFAULT_WALKING_KMH): number {
	return metres / ((walkingKmh * 1000) / 60);
}

/** The coordinates of a place; throws on a string that is not a valid H3 cell. */
export function placePoint(place: Place): LatLng {
	if (typeof place !== 'string') return place;
	if (!isCell(place)) throw new RangeError(`"${place}" is not an H3 cell.`);
	return cellCentre(place);
}

/**
 * Walking minutes between every pair of places: great-circle metres (h3-js) × detour factor,
 * at the walking pace. Symmetric, with zeros on the diagonal.
 */
export function walkingMinutesMatrix(places: readonly Place[], options: WalkingOptions = {}): Matrix {
	const kmh = options.walkingKmh ?? DEFAULT_WALKING_KMH;
	const detour = options.detourFactor ?? WALKING_DETOUR_FACTOR;
	if (!(kmh > 0) || !Number.isFinite(kmh)) throw new RangeError(`Walking speed must be a positive number of km/h; got ${kmh}.`);
	if (!(detour >= 1) || !Number.isFinite(detour)) throw new RangeError(`Detour factor must be ≥ 1; got ${detour}.`);
	const points = places.map(placePoint);
	const minutes = points.map(() => points.map(() => 0));
	// One distance per pair, mirrored: the matrix is symmetric to the bit.
	for (let i = 0; i < points.length; i++)
		for (let j = i + 1; j < points.length; j++)
			minutes[i]![j] = minutes[j]![i] = metresToMinutes(walkingDistanceM(points[i]!, points[j]!, detour), kmh);
	return minutes;
}
