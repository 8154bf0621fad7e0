// npm run bench (fifth part): an area layer of 400 polygons, one of them with 1,000,000 vertices,
// imported through the import runner into a throwaway database; then the largest /api/areas
// answer over the zoom steps, and the longest event-loop delay (perf_hooks
// monitorEventLoopDelay) while a worker loads "my zones" (the /api/my-zones route's work) with
// that polygon assigned as a zone, 20 times. Target: under 50 ms. PGlite, and PostgreSQL when
// DATABASE_URL is set.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { latLngToCell } from 'h3-js';
import type { Position } from 'geojson';
import { createOrganisation } from '../src/lib/server/organisations';
import { createUser } from '../src/lib/server/auth/users';
import { importAreas } from '../src/lib/server/imports/areas';
import { areaFeatures, areaGeometries } from '../src/lib/server/queries/areas';
import { createZone, listZones, zoneVisits } from '../src/lib/server/zones';
import { listRounds } from '../src/lib/server/rounds';
import { MAX_ZOOM_BUCKET, MIN_ZOOM_BUCKET } from '../src/lib/domain/area-simplify';
import { cellToBigInt } from '../src/lib/domain/cells';
import { openThrowawayDatabase } from '../tests/helpers/test-db';

const { values: args } = parseArgs({
	options: {
		vertices: { type: 'string', default: '1000000' },
		loads: { type: 'string', default: '20' },
		only: { type: 'string' }
	}
});
const VERTICES = Number(args.vertices);
const LOADS = Number(args.loads);
const TARGET_MS = 50;
const fmt = (n: number, d = 0) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });
const BBOX = [3.6, 51.0, 3.85, 51.15] as const;
const r7 = (x: number) => Math.round(x * 1e7) / 1e7;

/**
 * 399 blocks of 300 × 300 m (a 20 × 20 grid, 40 positions each) and, in the last place, a
 * 1.5 km circle drawn with `vertices` positions (one every centimetre) wobbling by half a metre:
 * an over-digitised outline, as exports of surveyed boundaries are.
 */
function layerBytes(vertices: number): Uint8Array {
	const features: unknown[] = [];
	const dLat = 300 / 111_320;
	const dLng = 300 / (111_320 * Math.cos((51.05 * Math.PI) / 180));
	for (let i = 0; i < 399; i++) {
		const w = 3.62 + (i % 20) * dLng * 1.2;
		const s = 51.01 + Math.floor(i / 20) * dLat * 1.2;
		const ring: Position[] = [];
		for (let k = 0; k < 40; k++) {
			const t = k / 40;
			const side = Math.floor(t * 4);
			const f = t * 4 - side;
			const p: Position[] = [
				[w + f * dLng, s],
				[w + dLng, s + f * dLat],
				[w + (1 - f) * dLng, s + dLat],
				[w, s + (1 - f) * dLat]
			];
			ring.push([r7(p[side]![0]!), r7(p[side]![1]!)]);
		}
		ring.push(ring[0]!);
		features.push({
			type: 'Feature',
			properties: { code: `B${i + 1}`, naam: `Blok ${i + 1}`, inwoners: 100 + i },
			geometry: { type: 'Polygon', coordinates: [ring] }
		});
	}
	const ring: Position[] = [];
	for (let k = 0; k < vertices; k++) {
		const a = (k / vertices) * 2 * Math.PI;
		// a wobble of half a metre every few metres, as a surveyed edge has (it never crosses itself)
		const r = 1500 + 0.5 * Math.sin(a * 2000) + 0.3 * Math.sin(a * 7001);
		ring.push([r7(3.725 + (r * Math.cos(a)) / (111_320 * Math.cos((51.05 * Math.PI) / 180))), r7(51.1 + (r * Math.sin(a)) / 111_320)]);
	}
	ring.push(ring[0]!);
	features.push({
		type: 'Feature',
		properties: { code: 'BIG', naam: 'Grote zone', inwoners: 12000 },
		geometry: { type: 'Polygon', coordinates: [ring] }
	});
	return new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features }));
}

async function* chunks(bytes: Uint8Array, size = 1 << 20) {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Runs `work` with the event loop's delay measured (1 ms resolution); the longest delay in ms. */
async function longestDelay(work: () => Promise<void>): Promise<number> {
	const h = monitorEventLoopDelay({ resolution: 1 });
	h.enable();
	try {
		await work();
	} finally {
		h.disable();
	}
	return h.max / 1e6;
}

async function run(engine: 'pglite' | 'postgres', adminUrl?: string) {
	console.log(`\n== area layer import and my zones, ${engine}: 400 polygons, one of ${fmt(VERTICES)} vertices ==`);
	const db = await openThrowawayDatabase(adminUrl);
	try {
		const { sql } = db;
		const org = await createOrganisation(sql, { slug: 'bench-areas', name: 'Bench areas', bbox: [...BBOX] });
		const coordinator = await createUser(sql, { orgId: org.orgId, email: 'c@bench.example', name: 'C', role: 'coordinator' });
		const worker = await createUser(sql, { orgId: org.orgId, email: 'w@bench.example', name: 'W', role: 'worker' });
		// contacts for the visits query to find: 20,000 over the organisation's area
		const cells: string[] = [];
		for (let i = 0; i < 20_000; i++) {
			const lat = BBOX[1] + (((i * 7919) % 10_000) / 10_000) * (BBOX[3] - BBOX[1]);
			const lng = BBOX[0] + (((i * 104_729) % 10_000) / 10_000) * (BBOX[2] - BBOX[0]);
			cells.push(cellToBigInt(latLngToCell(lat, lng, org.storageRes)).toString());
		}
		await sql`
			insert into contact_moment (org_id, occurred_at, cell, contact_type, external_id)
			select ${org.orgId}, now() - (n % 60) * interval '1 day', c, 1, 'b' || n
			from unnest(${cells}::bigint[]) with ordinality as u(c, n)`;

		const bytes = layerBytes(VERTICES);
		let importSeconds = 0;
		let result: Awaited<ReturnType<typeof importAreas>> | undefined;
		const importDelay = await longestDelay(async () => {
			const t0 = performance.now();
			result = await importAreas(
				sql,
				chunks(bytes),
				{ layer: 'blokken', code: 'code', name: 'naam', population: 'inwoners' },
				{ orgId: org.orgId, userId: coordinator, source: 'bench', mode: 'commit', skipInvalid: false, now: new Date(), totalBytes: bytes.length }
			);
			importSeconds = (performance.now() - t0) / 1000;
		});
		const simplified = result!.warnings.find((w) => w.code === 'simplified');
		const [stored] =
			await sql`select jsonb_array_length(geometry->'coordinates'->0)::int as n from area where org_id = ${org.orgId} and code = 'BIG'`;
		const [cellRows] = await sql`select count(*)::int as n from area_cell where org_id = ${org.orgId}`;
		console.log(
			`  import: ${fmt(bytes.length / 2 ** 20, 1)} MB, status ${result!.status}, ${fmt(result!.counts.imported ?? 0)} areas in ${fmt(importSeconds, 1)} s` +
				` (longest event-loop delay meanwhile ${fmt(importDelay)} ms); the big outline stored with ${fmt(stored!.n as number)} positions` +
				`${simplified ? ' (simplified, with a warning)' : ''}; ${fmt(cellRows!.n as number)} area cells stored`
		);

		let largest = { bytes: 0, zoom: 0 };
		for (let zoom = MIN_ZOOM_BUCKET; zoom <= MAX_ZOOM_BUCKET; zoom++) {
			const size = Buffer.byteLength(JSON.stringify(await areaFeatures(sql, org.orgId, 'blokken', zoom)));
			if (size > largest.bytes) largest = { bytes: size, zoom };
		}
		console.log(`  /api/areas: largest answer ${fmt(largest.bytes)} bytes (${fmt(largest.bytes / 1024, 1)} KiB, zoom ${largest.zoom}), uncompressed`);

		const today = new Date().toISOString().slice(0, 10);
		await createZone(
			sql,
			org.orgId,
			coordinator,
			{ userId: worker, label: 'Grote zone', area: { layer: 'blokken', code: 'BIG' }, validFrom: today, validTo: today },
			org.planningRes
		);
		// the work of GET /api/my-zones for that worker (src/routes/api/my-zones/+server.ts)
		const steps: Record<string, number> = {};
		const lap = (name: string, t: number) => (steps[name] = Math.max(steps[name] ?? 0, performance.now() - t));
		const myZones = async () => {
			let t = performance.now();
			const zones = await listZones(sql, org.orgId, { userId: worker, activeOn: today });
			lap('zones', t);
			t = performance.now();
			const visits = await zoneVisits(sql, org.orgId, zones, org.storageRes);
			lap('visits', t);
			t = performance.now();
			const rounds = await listRounds(sql, org.orgId, { from: today, to: today, userId: worker });
			lap('rounds', t);
			t = performance.now();
			const geometries = await areaGeometries(
				sql,
				org.orgId,
				zones.flatMap((z) => (z.area ? [`${z.area.layer}:${z.area.code}`] : []))
			);
			lap('outline', t);
			return JSON.stringify({
				zones: zones.map((z) => ({ ...z, visits: visits.get(z.assignmentId), geometry: geometries.get(`blokken:BIG`) })),
				rounds
			});
		};
		let answerBytes = 0;
		const times: number[] = [];
		const delay = await longestDelay(async () => {
			for (let i = 0; i < LOADS; i++) {
				const t = performance.now();
				answerBytes = (await myZones()).length;
				times.push(performance.now() - t);
			}
		});
		times.sort((a, b) => a - b);
		// the machine's own noise: the longest delay over as long a time with nothing to do
		const spent = times.reduce((a, b) => a + b, 0);
		const idle = await longestDelay(() => new Promise((resolve) => setTimeout(resolve, spent)));
		console.log(
			`  my zones with that zone, ${LOADS} loads: median ${fmt(times[Math.floor(times.length / 2)]!)} ms, answer ${fmt(answerBytes / 1024, 1)} KiB;` +
				` longest event-loop delay ${fmt(delay)} ms (target < ${TARGET_MS} ms: ${delay < TARGET_MS ? 'met' : 'NOT met'}; idle for as long: ${fmt(idle)} ms);` +
				` slowest step: ${Object.entries(steps)
					.map(([k, v]) => `${k} ${fmt(v)} ms`)
					.join(', ')}`
		);
	} finally {
		await db.cleanup();
	}
}

if (args.only !== 'postgres') await run('pglite');
if (process.env.DATABASE_URL && args.only !== 'pglite') await run('postgres', process.env.DATABASE_URL);
