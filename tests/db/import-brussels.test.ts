// A second municipality's open data through the real area import (issue 9): a quartier layer
// whose every polygon has a hole repeating its outer ring, and a block layer with 0.9 m² loops,
// one in a courtyard. Every feature goes in, each with a warning saying what was repaired.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { importAreas } from '../../src/lib/server/imports/areas';
import type { KindImportOptions } from '../../src/lib/server/imports/run';
import { areaFeatures } from '../../src/lib/server/queries/areas';
import { BRUSSELS_BBOX, ILOTS_FIXTURE, QUARTIERS_FIXTURE, quartiers } from '../fixtures/import/make-brussels';

let t: TestDatabase;
let orgId: number;

async function* chunks(bytes: Uint8Array) {
	yield bytes;
}
const opts = (patch: Partial<KindImportOptions> = {}): KindImportOptions => ({
	orgId,
	userId: null,
	source: 'saint-gilles',
	mode: 'commit',
	skipInvalid: false,
	...patch
});

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'sint-gillis', name: 'Sint-Gillis', bbox: [...BRUSSELS_BBOX] })).orgId;
});
afterAll(() => t?.cleanup());

describe(dbTitle('a Brussels municipality’s areas'), () => {
	it('every quartier goes in, its repeated hole left out with a warning; formula-looking names are kept as written', async () => {
		const r = await importAreas(t.sql, chunks(readFileSync(QUARTIERS_FIXTURE)), { layer: 'quartier', code: 'code_quartier', name: 'nom_fr' }, opts());
		expect(r.status).toBe('done');
		expect(r.errors).toEqual([]);
		expect(r.counts).toMatchObject({ records: 5, valid: 5, rejected: 0, imported: 5 });
		expect(r.warnings.map((w) => [w.row, w.code])).toEqual(quartiers.map((_, i) => [i + 1, 'hole_repeats_outer']));
		expect(r.warnings[4]!.message.en).toBe(
			`Feature 5 (‘${quartiers[4]!.code}’), property ‘geometry’: polygon 1, inner ring 1 repeats the outer ring (a hole as large as the area); the hole was left out`
		);
		const fc = await areaFeatures(t.sql, orgId, 'quartier');
		expect(fc.features.map((f) => [f.properties.code, f.properties.name])).toEqual(quartiers.map((q) => [q.code, q.fr]));
		for (const f of fc.features) {
			const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as unknown[][];
			expect(polys.map((rings) => rings.length)).toEqual([1]);
		}
	});

	it('every block goes in: the 0.9 m² loop is cut off alike in the courtyard and on the street side', async () => {
		const mapping = { layer: 'ilot', code: 'id_ilot', name: 'name_nl', parent: 'code_quartier' };
		const r = await importAreas(t.sql, chunks(readFileSync(ILOTS_FIXTURE)), mapping, opts());
		expect(r.status).toBe('done');
		expect(r.errors).toEqual([]);
		expect(r.counts).toMatchObject({ records: 4, valid: 4, imported: 4 });
		expect(r.warnings.map((w) => [w.row, w.code])).toEqual([1, 2, 3, 4].map((n) => [n, 'loop_removed']));
		expect(r.warnings.map((w) => /\((1 in all, 0\.9 m² together)/.exec(w.message.en)?.[1])).toEqual(Array(4).fill('1 in all, 0.9 m² together'));
		expect(r.warnings[0]!.message.nl).toContain('binnenring 1 raakt of kruist zichzelf');
		expect(r.warnings[1]!.message.nl).toContain('de buitenring raakt of kruist zichzelf');
		const fc = await areaFeatures(t.sql, orgId, 'ilot');
		expect(fc.features.map((f) => [f.properties.code, f.geometry.type, (f.geometry.coordinates as unknown[]).length])).toEqual([
			['I-1', 'Polygon', 2],
			['I-2', 'Polygon', 2],
			['I-3', 'Polygon', 2],
			['I-4', 'Polygon', 2]
		]);
	});
});
