// An organisation whose area is its municipality's boundary (`npm run user:create -- --boundary`):
// "outside the area" is then outside the boundary, not just outside its bbox, for the imports
// and the quick log. The boundary here is an L: its bbox holds a notch that lies outside.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import type { Polygon } from 'geojson';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { cliDatabase, userCreateCli } from '../helpers/import-cli';
import { createOrganisation, findOrganisation, getOrgArea } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { importAreas } from '../../src/lib/server/imports/areas';
import { importServices } from '../../src/lib/server/imports/services';
import type { KindImportOptions } from '../../src/lib/server/imports/run';
import { saveQuickLog } from '../../src/lib/server/contacts/quick-log';

const L: Polygon = {
	type: 'Polygon',
	coordinates: [
		[
			[3.7, 51],
			[3.8, 51],
			[3.8, 51.05],
			[3.75, 51.05],
			[3.75, 51.1],
			[3.7, 51.1],
			[3.7, 51]
		]
	]
};
const INSIDE = { lat: 51.02, lng: 3.72 };
const NOTCH = { lat: 51.08, lng: 3.78 }; // in the bbox, outside the L

let t: TestDatabase;
let orgId: number;
let userId: number;
const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
async function* once(bytes: Uint8Array) {
	yield bytes;
}
const opts = (patch: Partial<KindImportOptions> = {}): KindImportOptions => ({
	orgId,
	userId: null,
	source: 'grens',
	mode: 'dry-run',
	skipInvalid: true,
	...patch
});

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'l-stad', name: 'L-stad', bbox: [3.7, 51, 3.8, 51.1], boundary: L })).orgId;
	userId = await createUser(t.sql, { orgId, email: 'w@l-stad.example', name: 'W', role: 'worker', password: 'correct horse battery' });
});
afterAll(() => t?.cleanup());

describe(dbTitle('an organisation’s boundary'), () => {
	it('is stored and read back as the org’s area; an org without one keeps its bbox alone', async () => {
		const area = await getOrgArea(t.sql, { orgId, bbox: [3.7, 51, 3.8, 51.1] });
		expect(area.boundary).toEqual(L);
		expect(area.contains!(INSIDE)).toBe(true);
		expect(area.contains!(NOTCH)).toBe(false);
		const plain = await createOrganisation(t.sql, { slug: 'bbox-stad', name: 'Bbox', bbox: [3.7, 51, 3.8, 51.1] });
		expect(await getOrgArea(t.sql, plain)).toEqual({ bbox: [3.7, 51, 3.8, 51.1] });
	});

	it('point imports refuse a point outside the boundary though inside its bbox', async () => {
		const fc = {
			type: 'FeatureCollection',
			features: [INSIDE, NOTCH].map((p, i) => ({
				type: 'Feature',
				properties: { naam: `Post ${i + 1}` },
				geometry: { type: 'Point', coordinates: [p.lng, p.lat] }
			}))
		};
		const r = await importServices(t.sql, { format: 'geojson', chunks: once(enc(fc)), mapping: { name: 'naam', defaultCategory: 'caw' } }, opts());
		expect(r.counts).toMatchObject({ records: 2, valid: 1, rejected: 1 });
		expect(r.errors.map((e) => [e.row, e.code])).toEqual([[2, 'outside']]);
	});

	it('an area import refuses an area lying in the notch', async () => {
		const square = (x: number, y: number) => [
			[
				[x, y],
				[x + 0.01, y],
				[x + 0.01, y + 0.01],
				[x, y + 0.01],
				[x, y]
			]
		];
		const fc = {
			type: 'FeatureCollection',
			features: [
				{ type: 'Feature', properties: { c: 'IN', n: 'Binnen' }, geometry: { type: 'Polygon', coordinates: square(3.71, 51.01) } },
				{ type: 'Feature', properties: { c: 'OUT', n: 'Inham' }, geometry: { type: 'Polygon', coordinates: square(3.77, 51.07) } },
				// over the edge: partly inside, so not "entirely outside"
				{ type: 'Feature', properties: { c: 'EDGE', n: 'Rand' }, geometry: { type: 'Polygon', coordinates: square(3.745, 51.07) } }
			]
		};
		const r = await importAreas(t.sql, once(enc(fc)), { layer: 'wijk', code: 'c', name: 'n' }, opts());
		expect(r.errors.map((e) => [e.row, e.code])).toEqual([[2, 'geometry_outside']]);
		expect(r.counts).toMatchObject({ valid: 2, rejected: 1 });
	});

	it('the quick log refuses a cell outside the boundary, and takes one inside', async () => {
		const org = (await findOrganisation(t.sql, 'l-stad'))!;
		const save = (p: { lat: number; lng: number }) =>
			saveQuickLog(
				t.sql,
				org,
				{ userId, role: 'worker' },
				{
					externalId: crypto.randomUUID(),
					occurredAt: new Date(Date.now() - 60_000).toISOString(),
					cell: latLngToCell(p.lat, p.lng, 10),
					contactType: 1,
					targetGroups: [],
					themes: [],
					persons: 1,
					referral: false,
					referralServiceId: null
				}
			);
		expect(await save(NOTCH)).toMatchObject({ ok: false, error: { code: 'cellOutside', param: 'cell' } });
		expect(await save(INSIDE)).toEqual({ ok: true, status: 'created' });
	});
});

describe(dbTitle('npm run user:create -- --boundary'), () => {
	const dir = mkdtempSync(join(tmpdir(), 'oa-boundary-'));
	let cliDb: Awaited<ReturnType<typeof cliDatabase>>;
	beforeAll(async () => {
		cliDb = await cliDatabase(dir, 'oa_boundary');
	});
	afterAll(async () => {
		rmSync(dir, { recursive: true, force: true });
		await cliDb?.drop();
	});
	const userCreate = (...args: string[]) => userCreateCli(cliDb.env, 'a long enough password', ...args);

	it('makes the boundary (a FeatureCollection of one) the new organisation’s area, its bbox the boundary’s', async () => {
		const file = join(dir, 'gemeente.geojson');
		writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { naam: 'L' }, geometry: L }] }));
		const r = await userCreate('--email', 'ana@l.example', '--name', 'Ana', '--org', 'l', '--org-name', 'L', '--boundary', file);
		expect(r.out).toContain('created organisation l (L), its area the boundary in');
		expect(r.code).toBe(0);
		await cliDb.open(async (db) => {
			const org = (await findOrganisation(db.sql, 'l'))!;
			expect(org.bbox).toEqual([3.7, 51, 3.8, 51.1]);
			expect((await getOrgArea(db.sql, org)).boundary).toEqual(L);
		});
		const two = join(dir, 'twee.geojson');
		writeFileSync(
			two,
			JSON.stringify({
				type: 'FeatureCollection',
				features: [
					{ type: 'Feature', geometry: L },
					{ type: 'Feature', geometry: L }
				]
			})
		);
		const bad = await userCreate('--email', 'bo@m.example', '--name', 'Bo', '--org', 'm', '--org-name', 'M', '--boundary', two);
		expect(bad.code).toBe(2);
		expect(bad.out).toContain('the file has 2 features; a boundary is one (a Polygon or MultiPolygon)');
	}, 120_000);
});
