// A tiny self-hosted basemap for the browser tests: a PMTiles v3 archive built here from a few
// vector features (a "land" polygon over the organisation's bbox and a grid of "roads" across it, as
// Mapbox Vector Tiles written by @maplibre/vt-pbf), a style JSON with a `pmtiles://` source, and
// a static server that answers HTTP range requests as a real tile host does.
import { createServer, type Server } from 'node:http';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { zxyToTileId } from 'pmtiles';

export const LAND_COLOUR = '#e8c170';
export const ROAD_COLOUR = '#7b2d8b';
const EXTENT = 4096;
const MAX_ZOOM = 12;

type Bbox = [number, number, number, number];

const lonToX = (lon: number, z: number) => ((lon + 180) / 360) * 2 ** z;
const latToY = (lat: number, z: number) => {
	const r = (lat * Math.PI) / 180;
	return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z;
};

/** Tile-pixel coordinates of a point in tile (x, y) at zoom z, kept a little beyond the tile. */
function px(lon: number, lat: number, z: number, x: number, y: number): [number, number] {
	const clamp = (v: number) => Math.max(-64, Math.min(EXTENT + 64, Math.round(v)));
	return [clamp((lonToX(lon, z) - x) * EXTENT), clamp((latToY(lat, z) - y) * EXTENT)];
}

interface VtFeature {
	type: 2 | 3;
	geometry: [number, number][][];
	tags: Record<string, string>;
}

/** One tile: the land rectangle (clockwise in tile space, as MVT wants outer rings) and the roads. */
function tile(bbox: Bbox, z: number, x: number, y: number): Uint8Array {
	const [w, s, e, n] = bbox;
	const [x0, y0] = px(w, n, z, x, y);
	const [x1, y1] = px(e, s, z, x, y);
	const land: VtFeature = {
		type: 3,
		tags: { kind: 'land' },
		geometry: [
			[
				[x0, y0],
				[x1, y0],
				[x1, y1],
				[x0, y1],
				[x0, y0]
			]
		]
	};
	// roads: a grid every 0.02°, so any view of the city crosses a few (only those on this tile)
	const roads: VtFeature[] = [];
	const inside = (v: number) => v > -64 && v < EXTENT + 64;
	for (let lat = s + 0.01; lat < n; lat += 0.02) {
		const a = px(w, lat, z, x, y);
		if (inside((latToY(lat, z) - y) * EXTENT)) roads.push({ type: 2, tags: { kind: 'road' }, geometry: [[a, px(e, lat, z, x, y)]] });
	}
	for (let lon = w + 0.01; lon < e; lon += 0.02) {
		const a = px(lon, n, z, x, y);
		if (inside((lonToX(lon, z) - x) * EXTENT)) roads.push({ type: 2, tags: { kind: 'road' }, geometry: [[a, px(lon, s, z, x, y)]] });
	}
	const layers = { land: { features: [land] }, roads: { features: roads } };
	return fromGeojsonVt(layers as unknown as Parameters<typeof fromGeojsonVt>[0], { version: 2, extent: EXTENT });
}

function varints(values: number[]): number[] {
	const out: number[] = [];
	for (let v of values) {
		while (v >= 0x80) {
			out.push((v % 0x80) | 0x80);
			v = Math.floor(v / 0x80);
		}
		out.push(v);
	}
	return out;
}

/**
 * A PMTiles v3 archive of the bbox, zooms 0 to 12 (MapLibre overzooms beyond), uncompressed:
 * header (127 bytes), root directory, metadata, tile data — as the specification lays it out.
 */
export function buildPmtiles(bbox: Bbox): Uint8Array {
	const [w, s, e, n] = bbox;
	const tiles: { id: number; data: Uint8Array }[] = [];
	for (let z = 0; z <= MAX_ZOOM; z++) {
		for (let x = Math.floor(lonToX(w, z)); x <= Math.floor(lonToX(e, z)); x++) {
			for (let y = Math.floor(latToY(n, z)); y <= Math.floor(latToY(s, z)); y++) tiles.push({ id: zxyToTileId(z, x, y), data: tile(bbox, z, x, y) });
		}
	}
	tiles.sort((a, b) => a.id - b.id);
	let offset = 0;
	const entries = tiles.map((t) => {
		const entry = { id: t.id, offset, length: t.data.length };
		offset += t.data.length;
		return entry;
	});
	const dir = Uint8Array.from([
		...varints([entries.length]),
		...varints(entries.map((en, i) => en.id - (i ? entries[i - 1]!.id : 0))),
		...varints(entries.map(() => 1)), // run lengths
		...varints(entries.map((en) => en.length)),
		// 0: right after the previous tile; else offset + 1
		...varints(entries.map((en, i) => (i ? 0 : en.offset + 1)))
	]);
	const meta = new TextEncoder().encode(
		JSON.stringify({
			name: 'test region',
			attribution: 'test fixture',
			vector_layers: [
				{ id: 'land', fields: { kind: 'String' }, minzoom: 0, maxzoom: MAX_ZOOM },
				{ id: 'roads', fields: { kind: 'String' }, minzoom: 0, maxzoom: MAX_ZOOM }
			]
		})
	);
	const HEADER = 127;
	const header = new DataView(new ArrayBuffer(HEADER));
	new TextEncoder().encode('PMTiles').forEach((b, i) => header.setUint8(i, b));
	header.setUint8(7, 3);
	const u64 = (at: number, v: number) => header.setBigUint64(at, BigInt(v), true);
	const dirAt = HEADER;
	const metaAt = dirAt + dir.length;
	const dataAt = metaAt + meta.length;
	u64(8, dirAt);
	u64(16, dir.length);
	u64(24, metaAt);
	u64(32, meta.length);
	u64(40, dataAt); // no leaf directories
	u64(48, 0);
	u64(56, dataAt);
	u64(64, offset);
	u64(72, tiles.length);
	u64(80, tiles.length);
	u64(88, tiles.length);
	header.setUint8(96, 1); // clustered
	header.setUint8(97, 1); // internal compression: none
	header.setUint8(98, 1); // tile compression: none
	header.setUint8(99, 1); // tile type: MVT
	header.setUint8(100, 0);
	header.setUint8(101, MAX_ZOOM);
	const e7 = (v: number) => Math.round(v * 1e7);
	header.setInt32(102, e7(w), true);
	header.setInt32(106, e7(s), true);
	header.setInt32(110, e7(e), true);
	header.setInt32(114, e7(n), true);
	header.setUint8(118, 11);
	header.setInt32(119, e7((w + e) / 2), true);
	header.setInt32(123, e7((s + n) / 2), true);
	if (dataAt > 16_384) throw new Error('the root directory must fit in the first 16 KiB');
	const out = new Uint8Array(dataAt + offset);
	out.set(new Uint8Array(header.buffer), 0);
	out.set(dir, dirAt);
	out.set(meta, metaAt);
	let at = dataAt;
	for (const t of tiles) {
		out.set(t.data, at);
		at += t.data.length;
	}
	return out;
}

/** A style with the archive as its one source: land and roads, no labels (so no glyphs needed). */
export function pmtilesStyle(archiveUrl: string) {
	return {
		version: 8,
		name: 'test region',
		sources: { region: { type: 'vector', url: `pmtiles://${archiveUrl}`, attribution: 'test fixture' } },
		layers: [
			{ id: 'background', type: 'background', paint: { 'background-color': '#ffffff' } },
			{ id: 'basemap-land', type: 'fill', source: 'region', 'source-layer': 'land', paint: { 'fill-color': LAND_COLOUR } },
			{ id: 'basemap-roads', type: 'line', source: 'region', 'source-layer': 'roads', paint: { 'line-color': ROAD_COLOUR, 'line-width': 4 } }
		]
	};
}

export interface BasemapHost {
	origin: string;
	styleUrl: string;
	/** Range requests answered for the archive (206), e.g. "bytes=0-16383". */
	ranges: string[];
	close(): Promise<void>;
}

/** Serves /style.json and /region.pmtiles (with Range and CORS) on 127.0.0.1. */
export async function serveBasemap(bbox: Bbox): Promise<BasemapHost> {
	const archive = buildPmtiles(bbox);
	const ranges: string[] = [];
	let origin = '';
	const server: Server = createServer((req, res) => {
		res.setHeader('access-control-allow-origin', '*');
		res.setHeader('access-control-allow-headers', 'range, if-match');
		res.setHeader('access-control-expose-headers', 'etag, content-range, content-length');
		if (req.method === 'OPTIONS') return void res.writeHead(204).end();
		if (req.url === '/style.json') {
			res.writeHead(200, { 'content-type': 'application/json' });
			return void res.end(JSON.stringify(pmtilesStyle(`${origin}/region.pmtiles`)));
		}
		if (req.url !== '/region.pmtiles') return void res.writeHead(404).end();
		const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
		if (!m) {
			res.writeHead(200, { 'content-type': 'application/octet-stream', etag: '"fixture"', 'content-length': archive.length });
			return void res.end(archive);
		}
		const from = Number(m[1]);
		const to = Math.min(Number(m[2]), archive.length - 1);
		ranges.push(req.headers.range!);
		res.writeHead(206, {
			'content-type': 'application/octet-stream',
			etag: '"fixture"',
			'content-range': `bytes ${from}-${to}/${archive.length}`,
			'content-length': to - from + 1
		});
		res.end(archive.subarray(from, to + 1));
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	const addr = server.address();
	origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
	return {
		origin,
		styleUrl: `${origin}/style.json`,
		ranges,
		close: () => new Promise<void>((ok) => server.close(() => ok()))
	};
}
