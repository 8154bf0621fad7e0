import { describe, expect, it } from 'vitest';
import { gridDisk, gridDistance, latLngToCell } from 'h3-js';
import { classifyHotspots, spotCode } from '../../src/lib/domain/analysis/hotspots';
import { getisOrdGiStar } from '../../src/lib/domain/analysis/getis-ord';

// Korenmarkt, Ghent, and a spread of cells ~1–3 km around it.
const centre = latLngToCell(51.0543, 3.7208, 9);
const far = gridDisk(centre, 12).filter((c) => gridDistance(c, centre) >= 6 && gridDistance(c, centre) % 3 === 0);

describe('spotCode', () => {
	it('codes hot 99/95/90 as 3/2/1 and cold as −1/−2/−3', () => {
		expect(spotCode({ kind: 'hot', confidence: 99 })).toBe(3);
		expect(spotCode({ kind: 'hot', confidence: 95 })).toBe(2);
		expect(spotCode({ kind: 'hot', confidence: 90 })).toBe(1);
		expect(spotCode({ kind: 'cold', confidence: 90 })).toBe(-1);
		expect(spotCode({ kind: 'cold', confidence: 95 })).toBe(-2);
		expect(spotCode({ kind: 'cold', confidence: 99 })).toBe(-3);
	});
});

describe('classifyHotspots', () => {
	it('pads the cells with contacts with their gridDisk(1) ring at 0', () => {
		const one = new Map([[centre, 4]]);
		const r = classifyHotspots(one);
		expect(r.studyCells).toBe(7);
		// the same as Gi* over the ring with explicit zeros
		const padded = new Map(gridDisk(centre, 1).map((c) => [c, c === centre ? 4 : 0]));
		const z = getisOrdGiStar(padded, { k: 1 });
		const direct = getisOrdGiStar(one, { k: 1, studyArea: gridDisk(centre, 1) });
		expect([...direct]).toEqual([...z]);
		// two neighbouring cells share ring cells: counted once
		const [n1] = gridDisk(centre, 1).filter((c) => c !== centre);
		expect(
			classifyHotspots(
				new Map([
					[centre, 1],
					[n1!, 1]
				])
			).studyCells
		).toBe(10);
	});

	it('ignores zero counts and is empty without contacts', () => {
		expect(classifyHotspots(new Map())).toEqual({ cells: [], codes: [], counts: { hot: 0, cold: 0 }, studyCells: 0 });
		expect(classifyHotspots(new Map([[centre, 0]])).studyCells).toBe(0);
	});

	it('finds a planted cluster hot, and only classified cells come back', () => {
		const counts = new Map<string, number>();
		for (const c of far) counts.set(c, 2);
		for (const c of gridDisk(centre, 1)) counts.set(c, 40);
		const r = classifyHotspots(counts);
		const code = new Map(r.cells.map((c, i) => [c, r.codes[i]!]));
		expect(code.get(centre)).toBe(3);
		expect(r.counts.hot).toBeGreaterThanOrEqual(7);
		expect(r.counts.hot).toBe(r.codes.filter((c) => c > 0).length);
		expect(r.counts.cold).toBe(r.codes.filter((c) => c < 0).length);
		expect(r.cells.length).toBe(r.codes.length);
		// every classified cell is in the padded study area; no cell far from the cluster is hot
		for (const [cell, c] of code) if (c > 0) expect(gridDistance(cell, centre)).toBeLessThanOrEqual(2);
	});

	it('a lone busy cell in an empty ring is not missing data: its zero ring makes it stand out', () => {
		const counts = new Map<string, number>(far.map((c) => [c, 1]));
		counts.set(centre, 30);
		const r = classifyHotspots(counts);
		const code = new Map(r.cells.map((c, i) => [c, r.codes[i]!]));
		expect(code.get(centre)).toBeGreaterThan(0);
	});

	it('k sets the padding and the neighbourhood', () => {
		expect(classifyHotspots(new Map([[centre, 4]]), 2).studyCells).toBe(19);
	});
});
