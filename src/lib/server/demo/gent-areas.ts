// Geometry for the generated demo data: jitter around a place, the Ghent bbox, and the real
// districts and statistical sectors (read from ./gent) with point-in-area tests the generators share.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Random } from './random';
import { distanceM } from '../../domain/cells';
import { GENT_BBOX } from './places';

const M_PER_DEG_LAT = 111_320;

/** Gaussian jitter of a point by `spreadMetres` (sd), kept inside the Ghent bbox. */
export function jitter(rng: Random, lat: number, lng: number, spreadMetres: number): { lat: number; lng: number } {
	const mPerDegLng = M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
	for (let i = 0; i < 20; i++) {
		const p = {
			lat: lat + rng.normal(0, spreadMetres) / M_PER_DEG_LAT,
			lng: lng + rng.normal(0, spreadMetres) / mPerDegLng
		};
		if (insideBbox(p.lat, p.lng, 0.002)) return p;
	}
	return { lat, lng };
}

/** Inside GENT_BBOX with a margin (degrees), so a snapped cell's centre is inside too. */
export function insideBbox(lat: number, lng: number, margin = 0): boolean {
	const [w, s, e, n] = GENT_BBOX;
	return lng >= w + margin && lng <= e - margin && lat >= s + margin && lat <= n - margin;
}

type Ring = [number, number][];
export interface PolygonGeometry {
	type: 'Polygon';
	coordinates: Ring[];
}
export interface MultiPolygonGeometry {
	type: 'MultiPolygon';
	coordinates: Ring[][];
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

function polygons(g: AreaGeometry): Ring[][] {
	return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

function ringContains(ring: Ring, lng: number, lat: number): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i]!;
		const [xj, yj] = ring[j]!;
		if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

export function geometryContains(g: AreaGeometry, lat: number, lng: number): boolean {
	return polygons(g).some(([outer, ...holes]) => !!outer && ringContains(outer, lng, lat) && !holes.some((h) => ringContains(h, lng, lat)));
}

/**
 * Area in m² on a local equirectangular projection at Ghent's latitude (~51.05°). Over a city
 * of 20 km the scale error is far below 1 %, plenty for apportioning population by area share.
 */
export function geometryAreaM2(g: AreaGeometry): number {
	const kx = M_PER_DEG_LAT * Math.cos((51.05 * Math.PI) / 180);
	const ringArea = (ring: Ring) => {
		let a = 0;
		for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
			const [x1, y1] = ring[j]!;
			const [x2, y2] = ring[i]!;
			a += x1 * kx * y2 * M_PER_DEG_LAT - x2 * kx * y1 * M_PER_DEG_LAT;
		}
		return Math.abs(a) / 2;
	};
	let total = 0;
	for (const [outer, ...holes] of polygons(g)) {
		if (!outer) continue;
		total += ringArea(outer) - holes.reduce((s, h) => s + ringArea(h), 0);
	}
	return total;
}

function geometryBounds(g: AreaGeometry): [number, number, number, number] {
	let w = Infinity,
		s = Infinity,
		e = -Infinity,
		n = -Infinity;
	for (const poly of polygons(g))
		for (const ring of poly)
			for (const [x, y] of ring) {
				if (x < w) w = x;
				if (x > e) e = x;
				if (y < s) s = y;
				if (y > n) n = y;
			}
	return [w, s, e, n];
}

// ---- the real Ghent areas -------------------------------------------------------------------

export interface District {
	wijknr: number;
	name: string;
	population: number;
	geometry: AreaGeometry;
	bounds: [number, number, number, number];
}

export interface Sector {
	code: string;
	name: string;
	wijknr: number;
	geometry: AreaGeometry;
}

// Read with fs, not `import`, so the 1 MB of GeoJSON never ends up in a bundle; paths are
// relative to the working directory (the app, scripts and tests all run from the repo root).
const GENT_DIR = 'src/lib/server/demo/gent';

interface Feature<P> {
	properties: P;
	geometry: AreaGeometry;
}

function readFeatures<P>(file: string): Feature<P>[] {
	const text = readFileSync(resolve(process.cwd(), GENT_DIR, file), 'utf8');
	return (JSON.parse(text) as { features: Feature<P>[] }).features;
}

let districtCache: District[] | undefined;

export function loadDistricts(): District[] {
	districtCache ??= readFeatures<{ wijknr: number; wijk: string; population_2024_estimated: number }>('wijken.geojson')
		.map((f) => ({
			wijknr: Number(f.properties.wijknr),
			name: f.properties.wijk,
			population: Math.round(f.properties.population_2024_estimated),
			geometry: f.geometry,
			bounds: geometryBounds(f.geometry)
		}))
		.sort((a, b) => a.wijknr - b.wijknr);
	return districtCache;
}

export function loadSectors(): Sector[] {
	return readFeatures<{ nis9_code: string; sectornaam: string; wijknr: number }>('statistical-sectors.geojson')
		.map((f) => ({
			code: f.properties.nis9_code,
			name: f.properties.sectornaam,
			wijknr: Number(f.properties.wijknr),
			geometry: f.geometry
		}))
		.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** A uniform random point inside a district (rejection sampling within its bounds). */
export function randomPointIn(rng: Random, d: District): { lat: number; lng: number } {
	const [w, s, e, n] = d.bounds;
	for (let i = 0; i < 200; i++) {
		const lat = rng.uniform(s, n);
		const lng = rng.uniform(w, e);
		if (insideBbox(lat, lng, 0.002) && geometryContains(d.geometry, lat, lng)) return { lat, lng };
	}
	throw new Error(`no point found inside district ${d.wijknr}`);
}

/** The district a point lies in, if any. */
export function districtAt(lat: number, lng: number): District | undefined {
	return loadDistricts().find((d) => {
		const [w, s, e, n] = d.bounds;
		return lng >= w && lng <= e && lat >= s && lat <= n && geometryContains(d.geometry, lat, lng);
	});
}

/** Demo team for a point: 0 Centrum (within ~1.6 km of the Korenmarkt), 1 Noord, 2 Zuid. */
export function teamIndexAt(lat: number, lng: number): number {
	if (distanceM({ lat, lng }, { lat: 51.0545, lng: 3.7219 }) < 1600) return 0;
	return lat > 51.052 ? 1 : 2;
}
