// The zoom the atlas opens at (MapLibre's fitBounds with 512-pixel tiles), computed before
// MapLibre has loaded so the first district outlines can be asked for at once.
import { describe, expect, it } from 'vitest';
import { fitZoom, ORG_FIT } from '../../src/lib/map/geometry';

const OPEN = { padding: 16, minZoom: 0, maxZoom: 22 };

describe('fitZoom', () => {
	it('fits the whole width of the world into 512 pixels at zoom 0', () => {
		expect(fitZoom([-180, -10, 180, 10], 512 + 32, 2000, OPEN)).toBeCloseTo(0, 10);
	});

	it('gains a zoom level for each halving of the box', () => {
		const w = 360 / 2 ** 10;
		expect(fitZoom([3.7, 51.05, 3.7 + w, 51.051], 512 + 32, 2000, OPEN)).toBeCloseTo(10, 10);
	});

	it('is bound by the tighter side: a tall box in a wide map fits its height', () => {
		const wide = fitZoom([3.6, 51.0, 3.8, 51.01], 1000, 400, OPEN);
		const tall = fitZoom([3.6, 51.0, 3.61, 51.2], 1000, 400, OPEN);
		// the tall box's 0.2° of latitude (about 0.318° of Mercator height here) in 368 px
		expect(tall).toBeCloseTo(Math.log2(368 / ((0.2 / 360) * 512 * (1 / Math.cos((51.1 * Math.PI) / 180)))), 2);
		expect(wide).toBeCloseTo(Math.log2(968 / ((0.2 / 360) * 512)), 10);
	});

	it("keeps within the map's zoom range", () => {
		expect(fitZoom([-180, -80, 180, 80], 600, 600, ORG_FIT)).toBe(ORG_FIT.minZoom);
		expect(fitZoom([3.7, 51.05, 3.70001, 51.05001], 600, 600, ORG_FIT)).toBe(ORG_FIT.maxZoom);
		expect(fitZoom([3.7, 51.05, 3.8, 51.1], 0, 0, ORG_FIT)).toBe(ORG_FIT.minZoom);
	});
});
