// The hex layer (issue 11): the cells' triangle fans and colour array for the custom WebGL layer,
// the fill colours per class, the grid's zoom and the focus outlines.
import { describe, expect, it } from 'vitest';
import { cellToBoundary, gridDisk, latLngToCell } from 'h3-js';
import { focusCollection, gridMinZoom } from '../../src/lib/map/hexgeom';
import {
	buildMeshPart,
	colourArray,
	COLOUR_BYTES,
	HexMesh,
	KIND_FILL,
	KIND_HATCH,
	KIND_NONE,
	mercatorX,
	mercatorY,
	VERTEX_FLOATS
} from '../../src/lib/map/hex-mesh';
import { translated } from '../../src/lib/map/hex-gl-layer';
import { fillColours } from '../../src/lib/map/atlas-layers';
import { CHANGE_COLOURS, HOTSPOT_COLOURS, MAGMA, paletteFor, SUPPRESSED_FILL } from '../../src/lib/map/colour';
import { SUPPRESSED_CLASS } from '../../src/lib/map/stats';

const m = (entries: [string, number][]) => new Map(entries);

/** Is (x, y) inside the triangle a, b, c (either winding)? */
function inTriangle([x, y]: [number, number], a: number[], b: number[], c: number[]): boolean {
	const side = (p: number[], q: number[]) => (q[0]! - p[0]!) * (y - p[1]!) - (q[1]! - p[1]!) * (x - p[0]!);
	const [d1, d2, d3] = [side(a, b), side(b, c), side(c, a)];
	return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

describe('HexMesh', () => {
	const centre = latLngToCell(51.05, 3.72, 10);
	const cells = gridDisk(centre, 3); // 37 cells

	it('projects like MapLibre (Web Mercator in [0, 1])', () => {
		expect(mercatorX(0)).toBe(0.5);
		expect(mercatorY(0)).toBeCloseTo(0.5, 12);
		expect(mercatorX(3.72)).toBeCloseTo((180 + 3.72) / 360, 12);
		// MapLibre's mercatorYfromLat(51.05)
		expect(mercatorY(51.05)).toBeCloseTo((180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (51.05 * Math.PI) / 360))) / 360, 12);
		expect(mercatorY(60)).toBeLessThan(mercatorY(50)); // north is up (y grows southwards)
	});

	it('builds a triangle fan per cell over its exact boundary, once per cell', () => {
		const mesh = new HexMesh(10);
		mesh.add(cells);
		mesh.add([centre, cells[5]!]); // already there: nothing added
		expect(mesh.size).toBe(37);
		expect(mesh.version).toBe(1);
		expect(mesh.vertexCount).toBe(37 * 7); // centre + 6 boundary vertices
		expect(mesh.indexCount).toBe(37 * 6 * 3);
		expect(mesh.plainIndexCount).toBe(37 * 4 * 3); // without the centre: n − 2 triangles
		const [ox, oy] = mesh.origin!;
		const s = mesh.slot.get(cells[10]!)!;
		const v0 = mesh.firstVertex[s]!;
		expect(mesh.firstVertex[s + 1]! - v0).toBe(7);
		const boundary = cellToBoundary(cells[10]!);
		for (let i = 0; i < 6; i++) {
			const p = (v0 + 1 + i) * VERTEX_FLOATS;
			expect(mesh.positions[p]! + ox).toBeCloseTo(mercatorX(boundary[i]![1]), 9);
			expect(mesh.positions[p + 1]! + oy).toBeCloseTo(mercatorY(boundary[i]![0]), 9);
			expect(mesh.positions[p + 2]).toBe(0); // on the edge
		}
		expect(mesh.positions[v0 * VERTEX_FLOATS + 2]).toBe(1); // the centre
		// the fan's triangles all start at the cell's centre and stay within its vertices
		const tris = Array.from(mesh.indices.subarray(0, mesh.indexCount));
		for (let t = 0; t < tris.length; t += 3) {
			const cell = [...mesh.slot.entries()].find(([, i]) => mesh.firstVertex[i]! === tris[t])![1];
			expect(tris[t + 1]).toBeGreaterThan(tris[t]!);
			expect(tris[t + 2]).toBeLessThan(mesh.firstVertex[cell + 1]!);
		}
	});

	it('covers each cell: a point inside a cell falls in one of its own triangles (both fans)', () => {
		const mesh = new HexMesh(10);
		mesh.add(cells);
		const [ox, oy] = mesh.origin!;
		const pos = (v: number) => [mesh.positions[v * VERTEX_FLOATS]!, mesh.positions[v * VERTEX_FLOATS + 1]!];
		for (const [dlat, dlng] of [
			[0.0003, 0.0001],
			[-0.0002, 0.0004],
			[0.0001, -0.0005]
		] as [number, number][]) {
			const [lat, lng] = [51.05 + dlat, 3.72 + dlng];
			const cell = latLngToCell(lat, lng, 10);
			const s = mesh.slot.get(cell)!;
			const p: [number, number] = [mercatorX(lng) - ox, mercatorY(lat) - oy];
			for (const [indices, count] of [
				[mesh.indices, mesh.indexCount],
				[mesh.plainIndices, mesh.plainIndexCount]
			] as const) {
				let hits = 0;
				for (let t = 0; t < count; t += 3) {
					const [a, b, c] = [indices[t]!, indices[t + 1]!, indices[t + 2]!];
					if (inTriangle(p, pos(a), pos(b), pos(c))) {
						hits++;
						expect(a).toBeGreaterThanOrEqual(mesh.firstVertex[s]!);
						expect(a).toBeLessThan(mesh.firstVertex[s + 1]!);
					}
				}
				expect(hits).toBeGreaterThan(0);
			}
		}
	});
});

describe('buildMeshPart and HexMesh.append (the worker path)', () => {
	const cells = gridDisk(latLngToCell(51.05, 3.72, 10), 4); // 61 cells
	const arrays = (m: HexMesh) => ({
		origin: m.origin,
		slots: [...m.slot.entries()],
		positions: [...m.positions.subarray(0, m.vertexCount * VERTEX_FLOATS)],
		indices: [...m.indices.subarray(0, m.indexCount)],
		plain: [...m.plainIndices.subarray(0, m.plainIndexCount)],
		firstVertex: [...m.firstVertex.subarray(0, m.size + 1)],
		vertexCount: m.vertexCount
	});

	it('makes the same mesh as add(), into an empty mesh and after cells added here', () => {
		const direct = new HexMesh(10);
		direct.add(cells.slice(0, 20));
		direct.add(cells.slice(20));

		const fromEmpty = new HexMesh(10);
		fromEmpty.append(buildMeshPart(10, cells.slice(0, 20), null)!);
		fromEmpty.append(buildMeshPart(10, cells.slice(20), fromEmpty.origin)!);
		expect(arrays(fromEmpty)).toEqual(arrays(direct));

		const mixed = new HexMesh(10);
		mixed.add(cells.slice(0, 20));
		const version = mixed.version;
		mixed.append(buildMeshPart(10, cells.slice(20), mixed.origin)!);
		expect(arrays(mixed)).toEqual(arrays(direct));
		expect(mixed.version).toBeGreaterThan(version);
	});

	it('refuses a part that does not fit: another resolution, origin, or cells already there', () => {
		const mesh = new HexMesh(10);
		mesh.add(cells.slice(0, 5));
		expect(() => mesh.append(buildMeshPart(9, [latLngToCell(51.05, 3.72, 9)], null)!)).toThrow();
		expect(() => mesh.append(buildMeshPart(10, cells.slice(5, 9), [0.5, 0.3])!)).toThrow();
		expect(() => mesh.append(buildMeshPart(10, cells.slice(3, 9), mesh.origin)!)).toThrow();
		expect(mesh.size).toBe(5);
		expect(buildMeshPart(10, [], null)).toBeNull();
	});
});

describe('colourArray', () => {
	const cells = gridDisk(latLngToCell(51.05, 3.72, 10), 1); // 7 cells
	const mesh = new HexMesh(10);
	mesh.add(cells);
	const rgba = (out: Uint8Array, cell: string) => {
		const v = mesh.firstVertex[mesh.slot.get(cell)!]!;
		return Array.from(out.subarray(v * COLOUR_BYTES, (v + 7) * COLOUR_BYTES));
	};

	it("gives each drawn cell's vertices its class colour, suppressed ones the hatch, others nothing", () => {
		const colours = new Map([
			[0, '#fde725'],
			[1, '#440154'],
			[SUPPRESSED_CLASS, '#c9ccd1']
		]);
		const classes = m([
			[cells[0]!, 0],
			[cells[1]!, 1],
			[cells[2]!, SUPPRESSED_CLASS],
			[cells[3]!, 7] // a class without a colour: not drawn
		]);
		const out = colourArray(mesh, classes, colours, SUPPRESSED_CLASS);
		expect(out.length).toBe(mesh.vertexCount * COLOUR_BYTES);
		expect(rgba(out, cells[0]!)).toEqual(Array(7).fill([0xfd, 0xe7, 0x25, KIND_FILL]).flat());
		expect(rgba(out, cells[1]!)).toEqual(Array(7).fill([0x44, 0x01, 0x54, KIND_FILL]).flat());
		expect(rgba(out, cells[2]!)).toEqual(Array(7).fill([0xc9, 0xcc, 0xd1, KIND_HATCH]).flat());
		for (const c of cells.slice(3)) expect(rgba(out, c).filter((_, i) => i % 4 === 3)).toEqual(Array(7).fill(KIND_NONE));
		// without suppression (coordinators) the same class is a plain fill
		expect(rgba(colourArray(mesh, classes, colours, null), cells[2]!)[3]).toBe(KIND_FILL);
	});

	it('rewrites a reused array completely: cells no longer drawn are cleared', () => {
		const colours = new Map([[0, '#fde725']]);
		const first = colourArray(mesh, m(cells.map((c) => [c, 0])), colours, null);
		const again = colourArray(mesh, m([[cells[4]!, 0]]), colours, null, first);
		expect(again).toBe(first);
		expect(cells.map((c) => rgba(again, c)[3])).toEqual(cells.map((c) => (c === cells[4] ? KIND_FILL : KIND_NONE)));
	});
});

describe('translated', () => {
	it('scales Mercator to world pixels and moves the origin into the matrix in float64', () => {
		// a view matrix as at zoom 20 (world pixels to clip: scale 1/640, then a translation)
		const zoom = 20;
		const world = 512 * 2 ** zoom;
		const k = 1 / 640;
		const m4 = [k, 0, 0, 0, 0, -k, 0, 0, 0, 0, 1, 0, -k * world * 0.51, k * world * 0.33, 0, 1];
		const origin = [0.51033, 0.3300012] as const;
		const t = translated(m4, origin, world);
		// a point 1e-9 Mercator units (half a pixel at zoom 20) from the origin, in float32 as the GPU has it
		const [dx, dy] = [Math.fround(1e-9), Math.fround(-2e-9)];
		const clip = [t[0]! * dx + t[4]! * dy + t[12]!, t[1]! * dx + t[5]! * dy + t[13]!];
		const exact = [k * world * (origin[0] + dx - 0.51), -k * world * (origin[1] + dy - 0.33)];
		// within a hundredth of a pixel (a pixel is 2 / 1280 of the clip range here)
		expect(Math.abs(clip[0]! - exact[0]!)).toBeLessThan(0.01 * k);
		expect(Math.abs(clip[1]! - exact[1]!)).toBeLessThan(0.01 * k);
		// without the origin trick, float32 Mercator coordinates are off by pixels at this zoom
		const naive = Math.fround(origin[0] + dx) * Math.fround(k * world) + Math.fround(-k * world * 0.51);
		expect(Math.abs(naive - exact[0]!)).toBeGreaterThan(0.5 * k);
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
