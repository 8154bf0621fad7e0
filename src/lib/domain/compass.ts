// Telling places with the same name apart in a ranked list ("Binnenstad" four times in the top
// 10): a repeated area name gets the compass point of the place within its area ("Binnenstad ·
// noordoost"), and what still repeats gets a running number. Pure.

export type Compass = 'centre' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w' | 'nw';

const POINTS: readonly Compass[] = ['e', 'ne', 'n', 'nw', 'w', 'sw', 's', 'se'];

/**
 * The compass point of `to` seen from `from` (both [lng, lat]); 'centre' within `centreKm`.
 * Distances on a local flat projection, which is exact enough within a city.
 */
export function compassPoint(from: readonly [number, number], to: readonly [number, number], centreKm = 0.3): Compass {
	const kmPerDegree = 111.32;
	const dx = (to[0] - from[0]) * kmPerDegree * Math.cos((from[1] * Math.PI) / 180);
	const dy = (to[1] - from[1]) * kmPerDegree;
	if (Math.hypot(dx, dy) < centreKm) return 'centre';
	const sector = Math.round(Math.atan2(dy, dx) / (Math.PI / 4));
	return POINTS[(sector + 8) % 8]!;
}

export interface Place {
	name: string | null;
	/** Where the place lies within its area; null when unknown. */
	compass: Compass | null;
}

export interface PlaceLabel {
	name: string | null;
	/** Shown only when the name repeats in the list. */
	compass: Compass | null;
	/** Shown only when name and compass point together still repeat: 1, 2, … in list order. */
	n: number | null;
}

/** Labels for a ranked list of places, each as short as it can be while telling it apart. */
export function distinctPlaces(places: readonly Place[]): PlaceLabel[] {
	const count = new Map<string, number>();
	const key = (...parts: (string | null)[]) => JSON.stringify(parts);
	const bump = (k: string) => count.set(k, (count.get(k) ?? 0) + 1);
	for (const p of places) {
		bump(key(p.name));
		bump(key(p.name, p.compass));
	}
	const seen = new Map<string, number>();
	return places.map((p) => {
		if (count.get(key(p.name))! < 2) return { name: p.name, compass: null, n: null };
		const both = key(p.name, p.compass);
		if (count.get(both)! < 2) return { name: p.name, compass: p.compass, n: null };
		const n = (seen.get(both) ?? 0) + 1;
		seen.set(both, n);
		return { name: p.name, compass: p.compass, n };
	});
}
