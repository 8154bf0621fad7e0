// The hex layer's geometry and colours as typed arrays for the GPU (see hex-gl-layer.ts). Each cell
// is a triangle fan from its centre over its exact h3 boundary, in Web Mercator units relative to
// an origin (float32 keeps sub-pixel precision at every zoom that way). The geometry is built once
// per cell and resolution; an answer only rewrites the colour array. WHY (issue 11): as GeoJSON,
// 10,000 cells cost MapLibre's worker over a second of tiling and triangulating per answer.
import { cellToBoundary, cellToLatLng } from 'h3-js';

/** Floats per vertex: x, y (Mercator, relative to the origin) and the edge parameter. */
export const VERTEX_FLOATS = 3;
/** Bytes per vertex in the colour array: r, g, b and the kind (see KIND_*). */
export const COLOUR_BYTES = 4;
/** The kind byte: not drawn, drawn with a fill, drawn with a fill and the suppressed hatch. */
export const KIND_NONE = 0;
export const KIND_FILL = 255;
export const KIND_HATCH = 128;

/** Web Mercator x of a longitude, in [0, 1] (as maplibregl.MercatorCoordinate). */
export const mercatorX = (lng: number) => (180 + lng) / 360;
/** Web Mercator y of a latitude, in [0, 1], north at 0 (as maplibregl.MercatorCoordinate). */
export const mercatorY = (lat: number) => (180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))) / 360;

/** A typed array at least `n` long, keeping `a`'s contents (capacity doubles). */
function grow<T extends Float32Array | Uint32Array>(a: T, n: number, make: (n: number) => T): T {
	if (a.length >= n) return a;
	const b = make(Math.max(n, a.length * 2, 64));
	b.set(a);
	return b;
}

/**
 * The cells of one resolution as triangle fans: vertices (centre first, edge parameter 1 at the
 * centre and 0 on the boundary, so the fragment shader knows how far a pixel is from the cell's
 * edge), triangle indices, and each cell's first vertex. Cells are only ever added.
 */
export class HexMesh {
	readonly res: number;
	/** Mercator origin the positions are relative to (the first cell's centre). */
	origin: [number, number] | null = null;
	/** Slot (order of addition) of each cell. */
	readonly slot = new Map<string, number>();
	positions = new Float32Array(0);
	/** Triangles from each cell's centre: n per cell of n vertices (for the grid, see v_edge). */
	indices = new Uint32Array(0);
	/** The same cells in n − 2 triangles from their first boundary vertex (no grid: fewer triangles). */
	plainIndices = new Uint32Array(0);
	/** First vertex of cell slot i at [i], and the vertex count at [cells]. */
	firstVertex = new Uint32Array(1);
	vertexCount = 0;
	indexCount = 0;
	plainIndexCount = 0;
	/** Bumped by every addition (the layer uploads the buffers again). */
	version = 0;

	constructor(res: number) {
		this.res = res;
	}

	get size(): number {
		return this.slot.size;
	}

	/**
	 * Adds the cells not in the mesh yet (their boundary from h3, projected). Written for a cold
	 * start (each page load builds about 10,000 cells before V8 has optimised anything): room for
	 * hexagons is made once up front, arrays are held in locals and rings read by index, not
	 * destructured (issue 11: this ran 150–200 ms on the first answer, a third of it here).
	 */
	add(cells: Iterable<string>): void {
		const list = Array.isArray(cells) ? (cells as string[]) : [...cells];
		// hexagons: 7 vertices, 18 + 12 indices; a cell needing more grows the arrays below
		this.reserve(this.vertexCount + 7 * list.length, this.indexCount + 18 * list.length, this.plainIndexCount + 12 * list.length);
		let added = false;
		for (const cell of list) {
			if (this.slot.has(cell)) continue;
			const ring = cellToBoundary(cell); // [lat, lng] pairs, not closed
			const n = ring.length;
			if (!this.origin) {
				const centre = cellToLatLng(cell);
				this.origin = [mercatorX(centre[1]!), mercatorY(centre[0]!)];
			}
			const ox = this.origin[0];
			const oy = this.origin[1];
			const v0 = this.vertexCount;
			this.reserve(v0 + n + 1, this.indexCount + 3 * n, this.plainIndexCount + 3 * (n - 2));
			const positions = this.positions;
			// the centre as the boundary's mean (in Mercator): inside the cell, and exact enough
			let cx = 0;
			let cy = 0;
			for (let i = 0; i < n; i++) {
				const point = ring[i]!;
				const x = mercatorX(point[1]!) - ox;
				const y = mercatorY(point[0]!) - oy;
				cx += x;
				cy += y;
				const p = (v0 + 1 + i) * VERTEX_FLOATS;
				positions[p] = x;
				positions[p + 1] = y;
				positions[p + 2] = 0;
			}
			const c = v0 * VERTEX_FLOATS;
			positions[c] = cx / n;
			positions[c + 1] = cy / n;
			positions[c + 2] = 1;
			const indices = this.indices;
			for (let i = 0, k = this.indexCount; i < n; i++, k += 3) {
				indices[k] = v0;
				indices[k + 1] = v0 + 1 + i;
				indices[k + 2] = v0 + 1 + ((i + 1) % n);
			}
			this.indexCount += 3 * n;
			const plain = this.plainIndices;
			for (let i = 1, k = this.plainIndexCount; i < n - 1; i++, k += 3) {
				plain[k] = v0 + 1;
				plain[k + 1] = v0 + 1 + i;
				plain[k + 2] = v0 + 2 + i;
			}
			this.plainIndexCount += 3 * (n - 2);
			this.vertexCount += n + 1;
			const s = this.slot.size;
			this.slot.set(cell, s);
			this.firstVertex = grow(this.firstVertex, s + 2, (k) => new Uint32Array(k));
			this.firstVertex[s + 1] = this.vertexCount;
			added = true;
		}
		if (added) this.version++;
	}

	/**
	 * Adds cells built elsewhere (a worker, see hex-mesh-worker.ts) around this mesh's origin, or
	 * around the part's when the mesh has none yet: the same arrays as add() would have made.
	 */
	append(part: MeshPart): void {
		if (part.res !== this.res) throw new Error(`a res ${part.res} part for a res ${this.res} mesh`);
		if (!part.cells.length) return;
		if (!this.origin) this.origin = part.origin;
		else if (this.origin[0] !== part.origin[0] || this.origin[1] !== part.origin[1]) throw new Error('a part around another origin');
		if (part.cells.some((c) => this.slot.has(c))) throw new Error('a part repeats cells of the mesh');
		const v0 = this.vertexCount;
		this.reserve(v0 + part.vertexCount, this.indexCount + part.indices.length, this.plainIndexCount + part.plainIndices.length);
		this.positions.set(part.positions.subarray(0, part.vertexCount * VERTEX_FLOATS), v0 * VERTEX_FLOATS);
		for (let i = 0, k = this.indexCount; i < part.indices.length; i++, k++) this.indices[k] = part.indices[i]! + v0;
		for (let i = 0, k = this.plainIndexCount; i < part.plainIndices.length; i++, k++) this.plainIndices[k] = part.plainIndices[i]! + v0;
		this.indexCount += part.indices.length;
		this.plainIndexCount += part.plainIndices.length;
		const s0 = this.slot.size;
		this.firstVertex = grow(this.firstVertex, s0 + part.cells.length + 1, (k) => new Uint32Array(k));
		part.cells.forEach((cell, i) => {
			this.slot.set(cell, s0 + i);
			this.firstVertex[s0 + i + 1] = v0 + part.firstVertex[i + 1]!;
		});
		this.vertexCount += part.vertexCount;
		this.version++;
	}

	/** Room for `vertices` vertices and the given index counts in all. */
	private reserve(vertices: number, indices: number, plainIndices: number) {
		this.positions = grow(this.positions, vertices * VERTEX_FLOATS, (k) => new Float32Array(k));
		this.indices = grow(this.indices, indices, (k) => new Uint32Array(k));
		this.plainIndices = grow(this.plainIndices, plainIndices, (k) => new Uint32Array(k));
	}
}

/** Cells built apart from a mesh, to append to it (arrays trimmed to their counts). */
export interface MeshPart {
	res: number;
	origin: [number, number];
	/** The cells in slot order. */
	cells: string[];
	positions: Float32Array;
	/** Relative to the part's first vertex. */
	indices: Uint32Array;
	plainIndices: Uint32Array;
	/** First vertex of each cell, and the vertex count at [cells.length]. */
	firstVertex: Uint32Array;
	vertexCount: number;
}

/** `cells` (none of them in the mesh they are for) as a part around `origin` (null: their own). */
export function buildMeshPart(res: number, cells: readonly string[], origin: [number, number] | null): MeshPart | null {
	const mesh = new HexMesh(res);
	mesh.origin = origin;
	mesh.add(cells as string[]);
	if (!mesh.origin) return null;
	return {
		res,
		origin: mesh.origin,
		cells: [...mesh.slot.keys()],
		positions: mesh.positions.slice(0, mesh.vertexCount * VERTEX_FLOATS),
		indices: mesh.indices.slice(0, mesh.indexCount),
		plainIndices: mesh.plainIndices.slice(0, mesh.plainIndexCount),
		firstVertex: mesh.firstVertex.slice(0, mesh.size + 1),
		vertexCount: mesh.vertexCount
	};
}

/** '#rrggbb' as [r, g, b] bytes. */
export function rgbBytes(hex: string): [number, number, number] {
	const v = parseInt(hex.slice(1, 7), 16);
	return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/**
 * The colour array of `mesh` for the drawn `classes`: each drawn cell's vertices get its class's
 * colour (kind KIND_FILL, or KIND_HATCH for `hatchClass`); every other cell KIND_NONE (not drawn).
 * Reuses `into` when it is long enough.
 */
export function colourArray(
	mesh: HexMesh,
	classes: ReadonlyMap<string, number>,
	colours: ReadonlyMap<number, string>,
	hatchClass: number | null,
	into?: Uint8Array
): Uint8Array {
	const n = mesh.vertexCount * COLOUR_BYTES;
	const out = into && into.length >= n ? into : new Uint8Array(n);
	out.fill(0, 0, n);
	const rgb = new Map<number, [number, number, number]>();
	for (const [cls, hex] of colours) rgb.set(cls, rgbBytes(hex));
	for (const [cell, cls] of classes) {
		const s = mesh.slot.get(cell);
		const c = rgb.get(cls);
		if (s === undefined || !c) continue;
		const kind = cls === hatchClass ? KIND_HATCH : KIND_FILL;
		for (let v = mesh.firstVertex[s]!, end = mesh.firstVertex[s + 1]!; v < end; v++) {
			const p = v * COLOUR_BYTES;
			out[p] = c[0];
			out[p + 1] = c[1];
			out[p + 2] = c[2];
			out[p + 3] = kind;
		}
	}
	return out;
}
