import { describe, expect, it } from 'vitest';
import { cellArea, cellToParent, gridDisk, latLngToCell } from 'h3-js';
import type { Feature, Polygon } from 'geojson';
import { checkPickedCells, MAX_PICKED_CELLS, parsePickedCells, pickSummary } from '../../src/lib/domain/zone-pick';
import { UserInputError } from '../../src/lib/domain/errors';

const GENT = (p: { lat: number; lng: number }) => p.lng > 3.57 && p.lng < 3.85 && p.lat > 50.97 && p.lat < 51.19;
const centre = latLngToCell(51.0543, 3.7174, 9);

function refusal(fn: () => void): UserInputError {
	try {
		fn();
	} catch (e) {
		if (e instanceof UserInputError) return e;
		throw e;
	}
	throw new Error('not refused');
}

describe('parsePickedCells', () => {
	it('splits on spaces, commas and semicolons, lower-cases and keeps each cell once', () => {
		expect(parsePickedCells(` ${centre.toUpperCase()}, ${centre};\n891fb466257ffff `)).toEqual([centre, '891fb466257ffff']);
		expect(parsePickedCells('')).toEqual([]);
	});
});

describe('checkPickedCells', () => {
	it('accepts cells at the planning resolution inside the area', () => {
		expect(() => checkPickedCells(gridDisk(centre, 1), 9, GENT)).not.toThrow();
	});
	it('refuses no cells, a wrong resolution, a non-cell, a cell outside, and too many', () => {
		expect(refusal(() => checkPickedCells([], 9, GENT))).toMatchObject({ code: 'cellsNotPicked', field: 'cells' });
		const coarse = cellToParent(centre, 8);
		expect(refusal(() => checkPickedCells([centre, coarse], 9, GENT))).toMatchObject({
			code: 'pickedCellInvalid',
			field: 'cells',
			values: { cell: coarse, res: 9 }
		});
		expect(refusal(() => checkPickedCells(['zzz'], 9, GENT))).toMatchObject({ code: 'pickedCellInvalid', values: { cell: 'zzz' } });
		const brussels = latLngToCell(50.8467, 4.3525, 9);
		expect(refusal(() => checkPickedCells([brussels], 9, GENT))).toMatchObject({ code: 'cellsOutside', field: 'cells', values: { cell: brussels } });
		const many = gridDisk(centre, 26);
		expect(many.length).toBeGreaterThan(MAX_PICKED_CELLS);
		expect(refusal(() => checkPickedCells(many, 9, GENT))).toMatchObject({ code: 'cellsTooMany', values: { max: MAX_PICKED_CELLS, n: many.length } });
	});
});

describe('pickSummary', () => {
	const half = (name: string, w: number, e: number): Feature<Polygon, { name: string }> => ({
		type: 'Feature',
		properties: { name },
		geometry: {
			type: 'Polygon',
			coordinates: [
				[
					[w, 51],
					[e, 51],
					[e, 51.1],
					[w, 51.1],
					[w, 51]
				]
			]
		}
	});
	it('counts the cells, adds their areas and names their districts once, sorted', () => {
		const west = latLngToCell(51.05, 3.65, 9);
		const east = latLngToCell(51.05, 3.75, 9);
		const east2 = latLngToCell(51.06, 3.76, 9);
		const s = pickSummary([west, east, east2], [half('Zuid-Oost', 3.7, 3.8), half('Noord-West', 3.6, 3.7)]);
		expect(s.count).toBe(3);
		expect(s.km2).toBeCloseTo(cellArea(west, 'km2') + cellArea(east, 'km2') + cellArea(east2, 'km2'), 10);
		expect(s.km2).toBeGreaterThan(0.25);
		expect(s.districts).toEqual(['Noord-West', 'Zuid-Oost']);
	});
	it('is empty for no cells', () => {
		expect(pickSummary([], [])).toEqual({ count: 0, km2: 0, districts: [] });
	});
});
