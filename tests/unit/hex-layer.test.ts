// The hex layer's recolouring (issue 11): only changed cells get a new feature-state, and the
// fill colours per class that the cells carry (the layer's expression never changes).
import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { classChanges, focusCollection, gridMinZoom } from '../../src/lib/map/hexgeom';
import { fillColours } from '../../src/lib/map/atlas-layers';
import { CHANGE_COLOURS, HOTSPOT_COLOURS, MAGMA, paletteFor, SUPPRESSED_FILL } from '../../src/lib/map/colour';
import { SUPPRESSED_CLASS } from '../../src/lib/map/stats';

const m = (entries: [string, number][]) => new Map(entries);

describe('classChanges', () => {
	it('sets new and changed cells, leaves unchanged ones, and lists the cells no longer drawn', () => {
		const before = m([
			['a', 0],
			['b', 1],
			['c', 2]
		]);
		const next = m([
			['a', 0],
			['b', 2],
			['d', SUPPRESSED_CLASS]
		]);
		expect(classChanges(before, next, false)).toEqual({
			set: [
				['b', 2],
				['d', SUPPRESSED_CLASS]
			],
			gone: ['c']
		});
	});

	it('sets every drawn cell for a new palette', () => {
		const same = m([
			['a', 0],
			['b', 1]
		]);
		expect(classChanges(same, same, false)).toEqual({ set: [], gone: [] });
		expect(classChanges(same, same, true).set).toEqual([
			['a', 0],
			['b', 1]
		]);
	});

	it('starts from nothing and can clear everything', () => {
		const cells = m(Array.from({ length: 10_000 }, (_, i) => [`c${i}`, i % 6] as [string, number]));
		expect(classChanges(new Map(), cells, false).set).toHaveLength(10_000);
		expect(classChanges(cells, new Map(), false)).toEqual({ set: [], gone: [...cells.keys()] });
	});
});

describe('fillColours', () => {
	it('gives reach and months the palette for their class count, and suppressed cells grey', () => {
		for (const mode of ['reach', 'months'] as const) {
			const c = fillColours(mode, 4);
			expect([0, 1, 2, 3].map((i) => c.get(i))).toEqual(paletteFor(4));
			expect(c.get(SUPPRESSED_CLASS)).toBe(SUPPRESSED_FILL);
			expect(c.get(4)).toBeUndefined();
		}
	});

	it('gives the other modes their fixed palettes and no suppressed colour', () => {
		expect([...fillColours('underserved', 3).values()]).toEqual([...MAGMA]);
		expect([...fillColours('hotspots', 0).values()]).toEqual([...HOTSPOT_COLOURS]);
		expect([...fillColours('change', 0).values()]).toEqual([...CHANGE_COLOURS]);
		expect(fillColours('underserved', 3).get(SUPPRESSED_CLASS)).toBeUndefined();
	});
});

describe('gridMinZoom', () => {
	it('draws the grid once a cell edge is a few pixels: later for finer cells', () => {
		const z10 = gridMinZoom(10, 51.05);
		const z8 = gridMinZoom(8, 51.05);
		// res 10 (edge about 76 m) in Ghent: 4 px at about zoom 11.3; each resolution about 1.4 zoom
		expect(z10).toBeGreaterThan(11);
		expect(z10).toBeLessThan(11.7);
		expect(z10 - z8).toBeCloseTo(2 * Math.log2(Math.sqrt(7)), 1);
		expect(gridMinZoom(10, 51.05, 8)).toBeCloseTo(z10 + 1, 5);
	});
});

describe('focusCollection', () => {
	const a = latLngToCell(51.05, 3.72, 9);
	const b = latLngToCell(51.06, 3.73, 9);

	it('outlines the hovered and the selected cell, selected last (on top)', () => {
		const fc = focusCollection(a, b, 9);
		expect(fc.features.map((f) => f.properties.selected)).toEqual([false, true]);
		expect(fc.features[1]!.geometry.coordinates[0]).toHaveLength(7);
	});

	it('draws a selected cell that is also hovered once, and nothing before the first answer', () => {
		expect(focusCollection(a, a, 9).features).toHaveLength(1);
		expect(focusCollection(null, null, 9).features).toHaveLength(0);
		expect(focusCollection(a, b, 0).features).toHaveLength(0);
	});
});
