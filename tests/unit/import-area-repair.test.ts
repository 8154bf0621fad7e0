// Geometry that real open data has, repaired at import with a warning naming the feature and
// what was done (issue 9): a hole repeating its outer ring, tiny loops and spikes wherever they
// are, a ring crossing itself that splits unambiguously, a feature over the vertex budget.
import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Position } from 'geojson';
import { checkPolygonGeometry, MAX_POSITIONS } from '../../src/lib/domain/import/areas';
import { removeSmallLoops, repeatsRing, ringProblems } from '../../src/lib/domain/import/ring-crossings';

const OUTER: Position[] = [
	[3.7, 51],
	[3.72, 51],
	[3.72, 51.02],
	[3.7, 51.02],
	[3.7, 51]
];
const check = (rings: Position[][], type: 'Polygon' | 'MultiPolygon' = 'Polygon') =>
	checkPolygonGeometry({ type, coordinates: type === 'Polygon' ? rings : [rings] }, 4, 'auto');
const brief = (issues: { row: number; code: string }[]) => issues.map((i) => [i.row, i.code]);

/** A square of side h drawn as a knot on the edge from (x0, y) eastwards to (x1, y): the ring crosses itself at (m, y). */
function knotEdge(x0: number, x1: number, y: number, m: number, h: number): Position[] {
	return [
		[x0, y],
		[m + h, y],
		[m + h, y + h],
		[m, y + h],
		[m, y - h],
		[m + 2 * h, y],
		[x1, y]
	];
}

describe('a hole repeating its outer ring', () => {
	it('is left out with a warning, from any start position and either way round', () => {
		const rotatedBack = [...OUTER.slice(2, -1), ...OUTER.slice(0, 3)].reverse();
		for (const hole of [OUTER, rotatedBack]) {
			const c = check([OUTER, hole]);
			expect(c.errors).toEqual([]);
			expect(c.geometry).toEqual({ type: 'Polygon', coordinates: [OUTER] });
			expect(c.warnings.map((w) => w.message.en)).toEqual([
				'Feature 4, property ‘geometry’: inner ring 1 repeats the outer ring (a hole as large as the area); the hole was left out'
			]);
		}
		const multi = check([OUTER, OUTER], 'MultiPolygon');
		expect(multi.geometry).toEqual({ type: 'MultiPolygon', coordinates: [[OUTER]] });
		expect(multi.warnings[0]!.message.nl).toBe(
			'Object 4, eigenschap ‘geometry’: polygoon 1, binnenring 1 herhaalt de buitenring (een gat zo groot als het gebied); het gat is weggelaten'
		);
	});

	it('a hole with the same positions in another order is no repeat', () => {
		const shuffled = [OUTER[0]!, OUTER[2]!, OUTER[1]!, OUTER[3]!, OUTER[0]!];
		expect(repeatsRing(shuffled, OUTER)).toBe(false);
		expect(repeatsRing(OUTER.slice(0, 4).concat([OUTER[0]!]), OUTER)).toBe(true);
	});
});

describe('tiny loops and spikes: one rule, relative to the polygon', () => {
	// a courtyard of ~14 × 22 m (≈ 310 m²) in a block of ~1.4 × 2.2 km; knots of 1e-5° (≈ 0.8 m²)
	const h = 1e-5;
	const courtyard = (knot: boolean): Position[] => [
		...(knot ? knotEdge(3.71, 3.7102, 51.01, 3.7101, h) : [[3.71, 51.01] as Position, [3.7102, 51.01] as Position]),
		[3.7102, 51.0102],
		[3.71, 51.0102],
		[3.71, 51.01]
	];
	const outerWithKnot: Position[] = [...knotEdge(3.7, 3.72, 51, 3.71, h), [3.72, 51.02], [3.7, 51.02], [3.7, 51]];

	it('a loop in a hole is cut off like the same loop in the outer ring (it was refused, the other kept)', () => {
		const inHole = check([OUTER, courtyard(true)]);
		expect(inHole.errors).toEqual([]);
		expect(brief(inHole.warnings)).toEqual([[4, 'loop_removed']]);
		expect(inHole.warnings[0]!.message.en).toBe(
			'Feature 4, property ‘geometry’: inner ring 1 touches or crosses itself at ‘3.7101, 51.01’ in a tiny loop or spike (1 in all, 0.8 m² together; probably rounded coordinates); it was cut off'
		);
		const inOuter = check([outerWithKnot, courtyard(false)]);
		expect(inOuter.errors).toEqual([]);
		expect(brief(inOuter.warnings)).toEqual([[4, 'loop_removed']]);
		expect(inOuter.warnings[0]!.message.en).toContain('the outer ring touches or crosses itself at ‘3.71, 51’');
		// what is left is the block with its courtyard, no knot
		for (const c of [inHole, inOuter]) {
			const g = c.geometry!;
			expect(booleanPointInPolygon([3.705, 51.005], g)).toBe(true);
			expect(booleanPointInPolygon([3.7101, 51.0101], g)).toBe(false);
			expect(g.coordinates).toHaveLength(2);
			expect(ringProblems(g.coordinates as Position[][])).toEqual([]);
		}
	});

	it('a loop that is not tiny next to the polygon stays for the split-or-refuse rule', () => {
		// the same 0.8 m² knot on a 14 × 22 m polygon: 0.25 % of it
		const small = check([courtyard(true)]);
		expect(brief(small.errors)).toEqual([[4, 'ring_crosses']]);
		expect(removeSmallLoops([courtyard(true)]).removed).toEqual([]);
	});
});

describe('a ring crossing itself', () => {
	it('outward loops split into a MultiPolygon with a warning; inside a MultiPolygon too', () => {
		const bow: Position[] = [
			[3.7, 51],
			[3.71, 51.01],
			[3.71, 51],
			[3.7, 51.01],
			[3.7, 51]
		];
		const c = check([bow], 'MultiPolygon');
		expect(brief(c.warnings)).toEqual([[4, 'ring_repaired']]);
		expect(c.warnings[0]!.message.nl).toBe(
			'Object 4, eigenschap ‘geometry’: polygoon 1, de buitenring kruist zichzelf bij ‘3.705, 51.005’; het gebied is daar gesplitst in 2 delen (zoals ‘Geometrieën repareren’ in QGIS doet)'
		);
		expect(c.geometry!.type).toBe('MultiPolygon');
		expect(c.geometry!.coordinates).toHaveLength(2);
	});

	it('with holes there is no telling which part they belong to: refused at the first crossing', () => {
		const bow: Position[] = [
			[3.7, 51],
			[3.72, 51.02],
			[3.72, 51],
			[3.7, 51.02],
			[3.7, 51]
		];
		const hole: Position[] = [
			[3.701, 51.009],
			[3.702, 51.009],
			[3.702, 51.011],
			[3.701, 51.009]
		];
		const c = check([bow, hole]);
		expect(c.errors.map((e) => e.message.en)).toEqual([
			'Feature 4, property ‘geometry’: the outer ring crosses or touches itself at ‘3.71, 51.01’; area and map would be wrong: fix the geometry (e.g. with ‘Fix geometries’ in QGIS)'
		]);
	});
});

describe('a feature over the vertex budget', () => {
	it(`is simplified to within 1.5 m with a warning giving the counts (over ${MAX_POSITIONS} positions)`, () => {
		const n = 25_000;
		const ring: Position[] = Array.from({ length: n }, (_, i) => {
			const a = (2 * Math.PI * i) / n;
			return [Number((3.72 + 0.01 * Math.cos(a)).toFixed(7)), Number((51.05 + 0.006 * Math.sin(a)).toFixed(7))];
		});
		ring.push(ring[0]!);
		const c = check([ring]);
		expect(c.errors).toEqual([]);
		expect(brief(c.warnings)).toEqual([[4, 'simplified']]);
		const after = (c.geometry!.coordinates as Position[][])[0]!.length;
		expect(after).toBeLessThan(2_000);
		expect(c.warnings[0]!.message.en).toBe(
			`Feature 4, property ‘geometry’: the area has ${n + 1} positions, more than 20000; simplified to ${after} positions (moved by at most 1.5 m)`
		);
		// still the same ellipse: its points 2 m inside are inside, 2 m outside are outside
		const g = c.geometry!;
		for (let k = 0; k < 360; k += 7) {
			const a = (k * Math.PI) / 180;
			const at = (r: number): Position => [3.72 + (0.01 + r / 70_000) * Math.cos(a), 51.05 + (0.006 + r / 111_320) * Math.sin(a)];
			expect(booleanPointInPolygon(at(-2), g)).toBe(true);
			expect(booleanPointInPolygon(at(2), g)).toBe(false);
		}
	});

	it('a feature within the budget is kept as it is', () => {
		const c = check([OUTER]);
		expect(c.warnings).toEqual([]);
		expect(c.geometry).toEqual({ type: 'Polygon', coordinates: [OUTER] });
		// repeated positions (common in exports) are no loop: nothing is cut, nothing changes
		const repeated = [OUTER[0]!, ...OUTER.slice(0, 3), ...OUTER.slice(2)];
		expect(check([repeated]).geometry).toEqual({ type: 'Polygon', coordinates: [repeated] });
	});
});
