// Orientation for a worker outdoors (the quick log, a round's route): which district a place is
// in and which service is nearest to it, from the organisation's district outlines and service
// points. Pure: the caller hands in the features it already has.
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { distanceM } from './cells';

export interface LatLng {
	lat: number;
	lng: number;
}

/** The name of the district that holds the point, or null outside every district. */
export function districtOf(p: LatLng, districts: readonly Feature<Polygon | MultiPolygon, { name: string }>[]): string | null {
	for (const d of districts) if (booleanPointInPolygon([p.lng, p.lat], d)) return d.properties.name;
	return null;
}

export interface NearestService {
	name: string;
	/** Great-circle distance in metres, rounded to the metre. */
	distanceM: number;
}

/**
 * The service nearest to the point (as the crow flies), or null when there is none. A tie goes
 * to the service listed first, so the answer does not depend on the order of equal distances.
 */
export function nearestService(p: LatLng, services: readonly Feature<Point, { name: string }>[]): NearestService | null {
	let best: NearestService | null = null;
	let bestD = Infinity;
	for (const s of services) {
		const [lng, lat] = s.geometry.coordinates;
		if (!Number.isFinite(lat) || !Number.isFinite(lng)) continue;
		const d = distanceM(p, { lat: lat!, lng: lng! });
		if (d < bestD) {
			bestD = d;
			best = { name: s.properties.name, distanceM: Math.round(d) };
		}
	}
	return best;
}

/** A distance for people walking: "80 m", "450 m", "1.2 km" (in the given locale). */
export function formatDistance(m: number, locale: string): string {
	if (m < 1000) return `${Math.round(m / 10) * 10 || Math.round(m)} m`;
	return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(m / 1000)} km`;
}
