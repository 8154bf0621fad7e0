// Area layers of any name (issue 9) on both databases: a French-named layer imported through the
// runner gets its cells stored; the organisation's choice of district layer names zones and
// signals; a zone of an area reads its stored cells; /api/areas sends less at a lower zoom; the
// first-hour checklist follows the database.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latLngToCell, polygonToCells } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createSession } from '../../src/lib/server/auth/sessions';
import { importAreas } from '../../src/lib/server/imports/areas';
import { areaCells as storedCells, fillMissingAreaCells } from '../../src/lib/server/area-cells';
import { areaLayerChoice, chooseAreaLayers } from '../../src/lib/server/area-layers';
import { assignableAreas, createZone, listZones, zoneVisits } from '../../src/lib/server/zones';
import { createSignal, listSignals } from '../../src/lib/server/imports/signals';
import { dismissChecklist, firstHourChecklist, landsOnChecklist } from '../../src/lib/server/first-hour';
import { dataVersion } from '../../src/lib/server/data-version';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { areaCells } from '../../src/lib/domain/area-cells';
import { UserInputError } from '../../src/lib/domain/errors';
import { callRoute } from '../helpers/route-harness';
import { QUARTIERS_GAND_FIXTURE, quartiersGandCollection } from '../fixtures/import/make-quartiers-gand';
import { square } from '../helpers/square';

let t: TestDatabase;
let orgId: number;
let coordinator: number;
let worker: number;
let token: string;

async function* chunks(bytes: Uint8Array, size = 64 * 1024) {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
const importQuartiers = () =>
	importAreas(
		t.sql,
		chunks(readFileSync(QUARTIERS_GAND_FIXTURE)),
		{ layer: 'quartiers', code: 'ID_QUARTIER', name: 'NOM_FR', population: 'POPULATION' },
		{ orgId, userId: coordinator, source: 'gand', mode: 'commit', skipInvalid: false, now: new Date() }
	);

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	orgId = (await createOrganisation(t.sql, { slug: 'gand', name: 'Gand', bbox: [3.6, 51.0, 3.85, 51.15] })).orgId;
	coordinator = await createUser(t.sql, { orgId, email: 'c@gand.example', name: 'C', role: 'coordinator' });
	worker = await createUser(t.sql, { orgId, email: 'w@gand.example', name: 'W', role: 'worker' });
	token = await createSession(t.sql, { orgId, userId: coordinator });
});
afterAll(() => t?.cleanup());

describe(dbTitle('area layers of any name'), () => {
	it('lands a new coordinator on the checklist, nothing done yet', async () => {
		expect(await landsOnChecklist(t.sql, orgId)).toBe(true);
		const list = await firstHourChecklist(t.sql, orgId);
		expect(list.items.map((i) => [i.item, i.done])).toEqual([
			['areas', false],
			['population', false],
			['services', false],
			['vocabulary', false],
			['import', false],
			['team', true]
		]);
		expect(list.items.find((i) => i.item === 'vocabulary')?.href).toBe('/settings/vocabulary');
	});

	it('imports a French-named layer, repairs the repeated hole, and stores each area its cells', async () => {
		const r = await importQuartiers();
		expect(r.status).toBe('done');
		expect(r.counts).toMatchObject({ imported: 6, rejected: 0 });
		expect(r.warnings.map((w) => [w.row, w.code])).toEqual([[2, 'hole_repeats_outer']]);
		const [org] = await t.sql`select planning_res from organisation where org_id = ${orgId}`;
		const res = org!.planning_res as number;
		// the stored cells are h3's: the centres inside the (repaired) outline
		const q2 = quartiersGandCollection().features[1]!.geometry.coordinates[0]!;
		const expected = polygonToCells([q2], res, true).sort();
		const cells = (await storedCells(t.sql, orgId, 'quartiers', 'Q2')).sort();
		expect(cells.length).toBeGreaterThan(4);
		expect(cells).toEqual(expected);
		const [n] = await t.sql`select count(distinct code)::int as n from area_cell where org_id = ${orgId} and layer = 'quartiers'`;
		expect(n!.n).toBe(6);
		// a re-import that changes nothing leaves the cells alone
		const again = await importQuartiers();
		expect(again.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 6 });
		expect((await storedCells(t.sql, orgId, 'quartiers', 'Q2')).sort()).toEqual(expected);
	});

	it('takes the only layer as districts and population until the coordinator chooses', async () => {
		const choice = await areaLayerChoice(t.sql, orgId);
		expect(choice).toMatchObject({
			district: 'quartiers',
			population: 'quartiers',
			chosen: { district: false, population: false },
			layers: [{ layer: 'quartiers', features: 6, populated: 6 }]
		});
		const list = await firstHourChecklist(t.sql, orgId);
		expect(list.items.filter((i) => i.done).map((i) => i.item)).toEqual(['areas', 'population', 'import', 'team']);
	});

	it('names zones and signals after the chosen district layer, audit-logged, with a new data version', async () => {
		// a second, coarser layer: the fallback would take it; the choice keeps the quartiers
		await t.sql`insert into area (org_id, layer, code, name, geometry) values
			(${orgId}, 'communes', 'GENT', 'Gand', ${t.sql.json(square(3.6, 51.0, 0.25))})`;
		expect((await areaLayerChoice(t.sql, orgId)).district).toBe('communes');
		const before = await dataVersion(t.sql, orgId);
		await chooseAreaLayers(t.sql, orgId, coordinator, { district: 'quartiers', population: 'quartiers' });
		expect(BigInt(await dataVersion(t.sql, orgId))).toBeGreaterThan(BigInt(before));
		const [log] = await t.sql`select detail from audit_log where org_id = ${orgId} and action = 'settings.areas'`;
		expect(log!.detail).toMatchObject({ district: 'quartiers', population: 'quartiers', previousDistrict: null });

		const areas = await assignableAreas(t.sql, orgId);
		expect(areas[0]).toMatchObject({ layer: 'quartiers', name: 'Citadelle' });
		expect(areas.map((a) => a.layer)).toEqual([...Array(6).fill('quartiers'), 'communes']);

		// a signal in the Béguinage quartier (Q2: column 2, row 1) is in that district
		await createSignal(t.sql, orgId, worker, {
			reportedAt: new Date().toISOString(),
			cell: latLngToCell(51.049, 3.723, 10),
			reporterKind: 'partner',
			description: 'Tente dans le parc',
			targetGroups: []
		});
		expect((await listSignals(t.sql, orgId)).items[0]?.district).toBe('Quartier du Béguinage');
		await chooseAreaLayers(t.sql, orgId, coordinator, { district: 'communes', population: 'quartiers' });
		expect((await listSignals(t.sql, orgId)).items[0]?.district).toBe('Gand');
		await chooseAreaLayers(t.sql, orgId, coordinator, { district: 'quartiers', population: 'quartiers' });
	});

	it('refuses an unknown layer and a population layer without population', async () => {
		const refusal = async (input: { district: string; population: string | null }) => {
			try {
				await chooseAreaLayers(t.sql, orgId, coordinator, input);
				return null;
			} catch (e) {
				if (e instanceof UserInputError) return [e.code, e.field];
				throw e;
			}
		};
		expect(await refusal({ district: 'wijken', population: null })).toEqual(['layerUnknown', 'district']);
		expect(await refusal({ district: 'quartiers', population: 'communes' })).toEqual(['layerNoPopulation', 'population']);
	});

	it('counts a zone of an area from its stored cells', async () => {
		const id = await createZone(
			t.sql,
			orgId,
			coordinator,
			{ userId: worker, label: 'Béguinage', area: { layer: 'quartiers', code: 'Q2' }, validFrom: '2026-01-01', validTo: '2026-12-31' },
			9
		);
		// a contact inside Q2 and one just outside it
		const inside = cellToBigInt(latLngToCell(51.049, 3.723, 10)).toString();
		const outside = cellToBigInt(latLngToCell(51.049, 3.745, 10)).toString();
		await t.sql`
			insert into contact_moment (org_id, occurred_at, cell, contact_type, external_id)
			values (${orgId}, now() - interval '2 days', ${inside}, 1, 'z-in'), (${orgId}, now() - interval '1 day', ${outside}, 1, 'z-out')`;
		const zones = (await listZones(t.sql, orgId)).filter((z) => z.assignmentId === id);
		const visits = await zoneVisits(t.sql, orgId, zones, 10);
		expect(visits.get(id)).toMatchObject({ contacts30d: 1 });
		// the stored cells answer, not the geometry: without them the zone has none
		await t.sql`delete from area_cell where org_id = ${orgId} and layer = 'quartiers' and code = 'Q2'`;
		expect((await zoneVisits(t.sql, orgId, zones, 10)).get(id)).toMatchObject({ contacts30d: 0, lastVisit: null });
		// the start-up pass fills it again (and the commune, written without the import)
		expect(await fillMissingAreaCells(t.sql, orgId)).toBe(2);
		expect((await zoneVisits(t.sql, orgId, zones, 10)).get(id)).toMatchObject({ contacts30d: 1 });
		// with contacts, no more landing on the checklist; a dismissed one neither
		expect(await landsOnChecklist(t.sql, orgId)).toBe(false);
	});

	it('gives a tiny area the cell of its first vertex', async () => {
		const tiny = square(3.71, 51.06, 0.00005);
		expect(areaCells(tiny as never, 9)).toEqual([latLngToCell(51.06, 3.71, 9)]);
	});

	it('serves outlines simplified for the zoom: fewer bytes at a lower zoom, same areas', async () => {
		const get = async (path: string) => {
			const o = await callRoute(t.sql, '/api/areas', path, { token });
			expect(o.status).toBe(200);
			return o.body as { features: { properties: { code: string }; geometry: { coordinates: number[][][] } }[] };
		};
		const fine = await get('/api/areas?layer=quartiers&zoom=16');
		const city = await get('/api/areas?layer=quartiers&zoom=11');
		const bytes = (b: unknown) => JSON.stringify(b).length;
		const stored = JSON.stringify(quartiersGandCollection().features.map((f) => f.geometry)).length;
		expect(city.features.map((f) => f.properties.code)).toEqual(fine.features.map((f) => f.properties.code));
		expect(bytes(fine)).toBeLessThan(stored);
		expect(bytes(city) * 5).toBeLessThan(bytes(fine));
		// without a layer: the district layer, at the finest step
		const district = await get('/api/areas');
		expect(district.features).toHaveLength(6);
		const unknown = await callRoute(t.sql, '/api/areas', '/api/areas?layer=wijken', { token });
		expect(unknown.status).toBe(400);
		// the map's meta names the layers
		const meta = await callRoute(t.sql, '/api/meta', '/api/meta', { token });
		expect((meta.body as { areaLayers: unknown }).areaLayers).toMatchObject({ district: 'quartiers', population: 'quartiers' });
		// the demo's credit (Stad Gent, Statbel) is not this organisation's: its areas are its own
		expect((meta.body as { attribution: string }).attribution).toBe('');
	});

	it('stops landing on the checklist once dismissed', async () => {
		const other = (await createOrganisation(t.sql, { slug: 'neuf', name: 'Neuf', bbox: [4.3, 50.8, 4.5, 50.9] })).orgId;
		expect(await landsOnChecklist(t.sql, other)).toBe(true);
		await dismissChecklist(t.sql, other);
		expect(await landsOnChecklist(t.sql, other)).toBe(false);
		expect((await firstHourChecklist(t.sql, other)).dismissed).toBe(true);
	});
});
