// A round's stops named as people call them: by the area (district) the zone lies in, and when two
// stops of the same round share that name, with a landmark to tell them apart: the nearest
// service location's name, else the compass side of the area the stop lies on. The round page
// and the GPX and CSV downloads all name stops through here, so a printout and a phone's map app
// say the same "Stationsbuurt-Zuid (bij De Tram)".
import { cellCentre, distanceM } from './cells';

export type StopNameLang = 'nl' | 'en';

/** A named place a stop can be told apart by: a service location (public place). */
export interface Landmark {
	name: string;
	/** Its H3 cell (the centre stands for the place). */
	cell: string;
}

const WORDS = {
	nl: { zone: (n: number) => `Zone ${n}`, near: 'bij', north: 'noord', south: 'zuid', east: 'oost', west: 'west' },
	en: { zone: (n: number) => `Zone ${n}`, near: 'near', north: 'north', south: 'south', east: 'east', west: 'west' }
} as const;

/** A landmark further than this from a stop does not help anyone find it. */
export const LANDMARK_MAX_M = 1500;

/**
 * The names of the stops (H3 cells, in route order): the area's name from `areaOf` (else "Zone 3"
 * by the stop's place), with " (bij <landmark>)" or " (noord)" etc. when another stop has the same
 * name, and a number after that when even those agree. Pure; the same cells give the same names.
 */
export function stopNames(
	cells: readonly string[],
	areaOf: (cell: string) => string | null | undefined,
	landmarks: readonly Landmark[] = [],
	lang: StopNameLang = 'nl'
): string[] {
	const w = WORDS[lang];
	const base = cells.map((cell, i) => areaOf(cell) ?? w.zone(i + 1));
	const names = [...base];
	for (const group of groupsOf(base)) {
		if (group.length < 2) continue;
		const near = group.map((i) => nearest(cells[i]!, landmarks));
		const distinct = near.every((n) => n !== null) && new Set(near).size === near.length;
		const side = distinct ? [] : sides(group.map((i) => cells[i]!));
		group.forEach((i, k) => (names[i] = `${base[i]} (${distinct ? `${w.near} ${near[k]}` : w[side[k]!]})`));
	}
	// still the same (three stops on one side): number them in route order
	for (const group of groupsOf(names)) if (group.length > 1) group.forEach((i, k) => (names[i] = `${names[i]} ${k + 1}`));
	return names;
}

/** The positions of equal names, in order of first appearance. */
function groupsOf(names: readonly string[]): number[][] {
	const groups = new Map<string, number[]>();
	names.forEach((n, i) => groups.set(n, [...(groups.get(n) ?? []), i]));
	return [...groups.values()];
}

/** The nearest landmark's name within LANDMARK_MAX_M, or null. */
function nearest(cell: string, landmarks: readonly Landmark[]): string | null {
	const at = cellCentre(cell);
	let best: { name: string; m: number } | null = null;
	for (const l of landmarks) {
		const m = distanceM(at, cellCentre(l.cell));
		if (m <= LANDMARK_MAX_M && (!best || m < best.m || (m === best.m && l.name < best.name))) best = { name: l.name, m };
	}
	return best?.name ?? null;
}

/**
 * Each cell's side of the group: north/south when the group spreads more from north to south than
 * from east to west, else east/west; each cell on the side of the group's middle it lies on.
 */
function sides(cells: readonly string[]): ('north' | 'south' | 'east' | 'west')[] {
	const points = cells.map(cellCentre);
	const lat = points.reduce((s, p) => s + p.lat, 0) / points.length;
	const lng = points.reduce((s, p) => s + p.lng, 0) / points.length;
	const kx = Math.cos((lat * Math.PI) / 180);
	const spreadNs = Math.max(...points.map((p) => p.lat)) - Math.min(...points.map((p) => p.lat));
	const spreadEw = (Math.max(...points.map((p) => p.lng)) - Math.min(...points.map((p) => p.lng))) * kx;
	return points.map((p) => (spreadNs >= spreadEw ? (p.lat >= lat ? 'north' : 'south') : p.lng >= lng ? 'east' : 'west'));
}
