import { describe, expect, it } from 'vitest';
import type { Feature, Point, Polygon } from 'geojson';
import { districtOf, formatDistance, nearestService } from '../../src/lib/domain/orientation';
import { distanceM } from '../../src/lib/domain/cells';

const service = (name: string, lng: number, lat: number): Feature<Point, { name: string }> => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates: [lng, lat] },
	properties: { name }
});
const square = (name: string, w: number, s: number, e: number, n: number): Feature<Polygon, { name: string }> => ({
	type: 'Feature',
	geometry: {
		type: 'Polygon',
		coordinates: [
			[
				[w, s],
				[e, s],
				[e, n],
				[w, n],
				[w, s]
			]
		]
	},
	properties: { name }
});

const KORENMARKT = { lat: 51.0543, lng: 3.7174 };

describe('nearestService', () => {
	it('picks the service with the shortest great-circle distance, in whole metres', () => {
		const services = [service('Far', 3.75, 51.07), service('Near', 3.719, 51.055), service('Middle', 3.73, 51.06)];
		const n = nearestService(KORENMARKT, services);
		expect(n?.name).toBe('Near');
		expect(n?.distanceM).toBe(Math.round(distanceM(KORENMARKT, { lat: 51.055, lng: 3.719 })));
		expect(n!.distanceM).toBeGreaterThan(100);
		expect(n!.distanceM).toBeLessThan(150);
	});
	it('gives null without services, and skips points without coordinates', () => {
		expect(nearestService(KORENMARKT, [])).toBeNull();
		const broken = { ...service('Broken', 0, 0), geometry: { type: 'Point' as const, coordinates: [Number.NaN, Number.NaN] } };
		expect(nearestService(KORENMARKT, [broken, service('Only', 3.72, 51.05)])?.name).toBe('Only');
	});
	it('keeps the first of equally near services', () => {
		expect(nearestService(KORENMARKT, [service('A', 3.72, 51.05), service('B', 3.72, 51.05)])?.name).toBe('A');
	});
});

describe('districtOf', () => {
	const districts = [square('West', 3.6, 51.0, 3.7, 51.1), square('East', 3.7, 51.0, 3.8, 51.1)];
	it('names the district that holds the point', () => {
		expect(districtOf(KORENMARKT, districts)).toBe('East');
		expect(districtOf({ lat: 51.05, lng: 3.65 }, districts)).toBe('West');
	});
	it('is null outside every district', () => {
		expect(districtOf({ lat: 52, lng: 4 }, districts)).toBeNull();
	});
});

describe('formatDistance', () => {
	it('rounds to 10 m under a kilometre and to 0.1 km above, in the locale', () => {
		expect(formatDistance(84, 'nl-BE')).toBe('80 m');
		expect(formatDistance(3, 'nl-BE')).toBe('3 m');
		expect(formatDistance(1234, 'nl-BE')).toBe('1,2 km');
		expect(formatDistance(1234, 'en-GB')).toBe('1.2 km');
	});
});
