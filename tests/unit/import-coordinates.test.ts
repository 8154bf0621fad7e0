import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import proj4 from 'proj4';
import { cellToLatLng, getResolution } from 'h3-js';
import {
	LAMBERT72_PROJ,
	detectCrs,
	lambert2008ToWgs84,
	lambert72ToWgs84,
	resolvePoint,
	snapPoint,
	wgs84ToLambert2008,
	wgs84ToLambert72,
	type OrgArea
} from '../../src/lib/domain/import/coordinates';

const GHENT: OrgArea = { bbox: [3.5798, 50.9795, 3.8493, 51.1889] };

/** Ground distance in metres between two nearby WGS84 points (equirectangular; fine below 10 km). */
function metres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
	const k = 111_320;
	const dy = (a.lat - b.lat) * k;
	const dx = (a.lng - b.lng) * k * Math.cos((a.lat * Math.PI) / 180);
	return Math.hypot(dx, dy);
}

/**
 * Lambert Conic Conformal (2SP), forward, written out from EPSG Guidance Note 7-2 §1.3.1.1. An
 * implementation independent of proj4, used to check the projection parameters.
 */
function lcc2sp(
	latDeg: number,
	lngDeg: number,
	p: { a: number; invF: number; latF: number; lngF: number; lat1: number; lat2: number; e0: number; n0: number }
) {
	const rad = Math.PI / 180;
	const f = 1 / p.invF;
	const e = Math.sqrt(2 * f - f * f);
	const m = (phi: number) => Math.cos(phi) / Math.sqrt(1 - e * e * Math.sin(phi) ** 2);
	const t = (phi: number) => Math.tan(Math.PI / 4 - phi / 2) / ((1 - e * Math.sin(phi)) / (1 + e * Math.sin(phi))) ** (e / 2);
	const [p1, p2, pF, phi] = [p.lat1 * rad, p.lat2 * rad, p.latF * rad, latDeg * rad];
	const n = (Math.log(m(p1)) - Math.log(m(p2))) / (Math.log(t(p1)) - Math.log(t(p2)));
	const F = m(p1) / (n * t(p1) ** n);
	const r = (phi2: number) => p.a * F * t(phi2) ** n;
	const theta = n * (lngDeg - p.lngF) * rad;
	return { x: p.e0 + r(phi) * Math.sin(theta), y: p.n0 + r(pF) - r(phi) * Math.cos(theta) };
}

describe('Lambert 72 (EPSG:31370)', () => {
	it('projection: NGI/EPSG example point 50°40′46.461″N 5°48′26.533″E (BD72) → 251763.204, 153034.174', () => {
		// Projection only, no datum shift: geographic BD72 in, same datum.
		const bd72 = LAMBERT72_PROJ.replace(/\+proj=lcc.*?\+ellps/, '+proj=longlat +ellps');
		const [x, y] = proj4(bd72, LAMBERT72_PROJ, [5 + 48 / 60 + 26.533 / 3600, 50 + 40 / 60 + 46.461 / 3600]);
		expect(Math.abs(x! - 251763.204)).toBeLessThan(0.05);
		expect(Math.abs(y! - 153034.174)).toBeLessThan(0.05);
		// And the independent formula with the same parameters agrees to the millimetre.
		const mine = lcc2sp(50 + 40 / 60 + 46.461 / 3600, 5 + 48 / 60 + 26.533 / 3600, {
			a: 6378388,
			invF: 297,
			latF: 90,
			lngF: 4.36748666666667,
			lat1: 51.1666672333333,
			lat2: 49.8333339,
			e0: 150000.013,
			n0: 5400088.438
		});
		expect(Math.abs(mine.x - x!)).toBeLessThan(0.001);
		expect(Math.abs(mine.y - y!)).toBeLessThan(0.001);
	});

	it('with datum shift: published reference points within 2 m', () => {
		// DotSpatial test suite (independent implementation): (156117.21, 133860.06) ↔ 4.455 E, 50.515485 N.
		expect(metres(lambert72ToWgs84(156117.21, 133860.06), { lat: 50.515485, lng: 4.455 })).toBeLessThan(2);
		// geomapi test data, a point in Ghent: (103657.078, 194604.106) ↔ 51.0597328 N, 3.7077122 E.
		expect(metres(lambert72ToWgs84(103657.078, 194604.106), { lat: 51.05973284541117, lng: 3.707712199534464 })).toBeLessThan(2);
	});

	it('Gent Sint-Baafskathedraal (51.05306 N, 3.72667 E) lies at x ≈ 105 km, y ≈ 194 km', () => {
		const { x, y } = wgs84ToLambert72(51.05306, 3.72667);
		expect(x).toBeGreaterThan(104_500);
		expect(x).toBeLessThan(105_500);
		expect(y).toBeGreaterThan(193_500);
		expect(y).toBeLessThan(194_500);
		expect(metres(lambert72ToWgs84(x, y), { lat: 51.05306, lng: 3.72667 })).toBeLessThan(0.001);
	});

	it('the datum shift matters: without it the point moves by ~100 m', () => {
		const noShift = LAMBERT72_PROJ.replace(/\+towgs84=\S+/, '');
		const [lng, lat] = proj4(noShift, 'WGS84', [104974.72, 193843.51]);
		const shifted = lambert72ToWgs84(104974.72, 193843.51);
		expect(metres({ lat: lat!, lng: lng! }, shifted)).toBeGreaterThan(50);
	});

	// Property (a): WGS84 → Lambert 72 → WGS84 is the identity within a millimetre over Belgium.
	it('property: round trip within 1 mm over the Belgian bbox', () => {
		fc.assert(
			fc.property(fc.double({ min: 49.5, max: 51.5, noNaN: true }), fc.double({ min: 2.5, max: 6.4, noNaN: true }), (lat, lng) => {
				const { x, y } = wgs84ToLambert72(lat, lng);
				expect(metres(lambert72ToWgs84(x, y), { lat, lng })).toBeLessThan(0.001);
			}),
			{ numRuns: 500 }
		);
	});
});

describe('Lambert 2008 (EPSG:3812)', () => {
	const params = {
		a: 6378137,
		invF: 298.257222101,
		latF: 50.797815,
		lngF: 4.35921583333333,
		lat1: 49.8333333333333,
		lat2: 51.1666666666667,
		e0: 649328,
		n0: 665262
	};
	it('agrees with the EPSG formula within 1 cm (ETRS89 = WGS84 here)', () => {
		for (const [lat, lng] of [
			[51.05306, 3.72667],
			[50.8467, 4.3525],
			[49.6, 5.8],
			[51.35, 2.6]
		] as const) {
			const ours = wgs84ToLambert2008(lat, lng);
			const ref = lcc2sp(lat, lng, params);
			expect(Math.abs(ours.x - ref.x)).toBeLessThan(0.01);
			expect(Math.abs(ours.y - ref.y)).toBeLessThan(0.01);
		}
	});
	it('false origin maps to the false easting/northing', () => {
		const p = lambert2008ToWgs84(649328, 665262);
		expect(p.lat).toBeCloseTo(50.797815, 7);
		expect(p.lng).toBeCloseTo(4.35921583333333, 7);
	});
	it('Lambert 72 and Lambert 2008 describe the same place for the cathedral within 2 m', () => {
		const l72 = wgs84ToLambert72(51.05306, 3.72667);
		const l08 = wgs84ToLambert2008(51.05306, 3.72667);
		expect(metres(lambert72ToWgs84(l72.x, l72.y), lambert2008ToWgs84(l08.x, l08.y))).toBeLessThan(0.01);
		expect(l08.x).toBeGreaterThan(500_000);
		expect(l08.y).toBeGreaterThan(500_000);
	});
	it('property: round trip within 1 mm', () => {
		fc.assert(
			fc.property(fc.double({ min: 49.5, max: 51.5, noNaN: true }), fc.double({ min: 2.5, max: 6.4, noNaN: true }), (lat, lng) => {
				const { x, y } = wgs84ToLambert2008(lat, lng);
				expect(metres(lambert2008ToWgs84(x, y), { lat, lng })).toBeLessThan(0.001);
			}),
			{ numRuns: 300 }
		);
	});
});

describe('detectCrs', () => {
	it.each([
		[3.7266, 51.053, 'wgs84'],
		[51.053, 3.7266, 'wgs84'], // swapped is still degrees; the area check catches it
		[104974.72, 193843.51, 'lambert72'],
		[604971.92, 693838.37, 'lambert2008'],
		[5000, 5000, null],
		[400_000, 200_000, null]
	] as const)('(%d, %d) → %s', (east, north, crs) => {
		expect(detectCrs(east, north)).toBe(crs);
	});
});

describe('resolvePoint', () => {
	it('WGS84 inside the area', () => {
		expect(resolvePoint(3.7266, 51.053, 'auto', GHENT)).toEqual({ ok: true, point: { lat: 51.053, lng: 3.7266 }, crs: 'wgs84' });
	});
	it('swapped lat/lng (lat=3.72, lng=51.05) is reported as swapped with the fixed point', () => {
		const r = resolvePoint(51.05, 3.72, 'auto', GHENT);
		expect(r).toEqual({ ok: false, code: 'swapped', crs: 'wgs84', fixed: { lat: 51.05, lng: 3.72 } });
		expect(resolvePoint(51.05, 3.72, 'wgs84', GHENT)).toMatchObject({ ok: false, code: 'swapped' });
	});
	it('swapped Lambert x/y is reported as swapped too', () => {
		const { x, y } = wgs84ToLambert72(51.05306, 3.72667);
		expect(resolvePoint(y, x, 'lambert72', GHENT)).toMatchObject({ ok: false, code: 'swapped', crs: 'lambert72' });
	});
	it('auto-detects Lambert 72 and Lambert 2008 per pair', () => {
		const a = wgs84ToLambert72(51.05306, 3.72667);
		const b = wgs84ToLambert2008(51.05306, 3.72667);
		const ra = resolvePoint(a.x, a.y, 'auto', GHENT);
		const rb = resolvePoint(b.x, b.y, 'auto', GHENT);
		expect(ra).toMatchObject({ ok: true, crs: 'lambert72' });
		expect(rb).toMatchObject({ ok: true, crs: 'lambert2008' });
		if (ra.ok) expect(metres(ra.point, { lat: 51.05306, lng: 3.72667 })).toBeLessThan(0.01);
	});
	it('outside the area (Antwerpen) is flagged "outside"', () => {
		expect(resolvePoint(4.4025, 51.2194, 'auto', GHENT)).toMatchObject({ ok: false, code: 'outside', crs: 'wgs84' });
	});
	it('an exact area test narrows the bbox', () => {
		const westHalf: OrgArea = { bbox: GHENT.bbox, contains: (p) => p.lng < 3.7 };
		expect(resolvePoint(3.75, 51.05, 'auto', westHalf)).toMatchObject({ ok: false, code: 'outside' });
		expect(resolvePoint(3.65, 51.05, 'auto', westHalf)).toMatchObject({ ok: true });
	});
	it('declared CRS contradicted by the values → crs_mismatch', () => {
		const { x, y } = wgs84ToLambert72(51.05306, 3.72667);
		expect(resolvePoint(x, y, 'lambert2008', GHENT)).toMatchObject({ ok: false, code: 'crs_mismatch', detected: 'lambert72' });
		expect(resolvePoint(3.72667, 51.05306, 'lambert72', GHENT)).toMatchObject({ ok: false, code: 'crs_mismatch', detected: 'wgs84' });
	});
	it('nonsense is unrecognised', () => {
		expect(resolvePoint(5000, 5000, 'auto', GHENT)).toEqual({ ok: false, code: 'unrecognised_coordinates' });
		expect(resolvePoint(200, 100, 'wgs84', GHENT)).toEqual({ ok: false, code: 'unrecognised_coordinates' });
	});
});

describe('snapPoint', () => {
	it('returns only the cell at the requested resolution, containing the point', () => {
		const cell = snapPoint({ lat: 51.05306, lng: 3.72667 }, 10);
		expect(typeof cell).toBe('string');
		expect(getResolution(cell)).toBe(10);
		const [lat, lng] = cellToLatLng(cell);
		expect(metres({ lat, lng }, { lat: 51.05306, lng: 3.72667 })).toBeLessThan(80);
	});
});
