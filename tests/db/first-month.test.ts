// Issue 9's "done when", through the CLI as a stranger runs it: a new organisation made from its
// municipality's boundary (a Brussels-like L), then another system's contact export (own labels,
// multi-valued cells, a "Doorverwezen naar" column naming services, a formula) imported with a
// mapping JSON holding "values", and a French-named quartier layer and its blocks (repeated holes,
// tiny loops) imported unedited. Rows land, every rejected row carries its reason in English, and
// the layers are the organisation's: the quartiers its district layer, both served to the map.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Polygon } from 'geojson';
import { dbTitle } from '../helpers/test-db';
import { cliDatabase, importCli, userCreateCli } from '../helpers/import-cli';
import { FOREIGN_COLUMNS, FOREIGN_VALUES, FORMULA_VALUE, makeForeign } from '../fixtures/import/make-foreign';
import { ILOTS_FIXTURE, QUARTIERS_FIXTURE } from '../fixtures/import/make-brussels';
import { findOrganisation } from '../../src/lib/server/organisations';
import { areaLayerChoice } from '../../src/lib/server/area-layers';
import { areaFeatures } from '../../src/lib/server/queries/areas';

/** The municipality: an L whose bbox holds a notch outside it (north-west). */
const BOUNDARY: Polygon = {
	type: 'Polygon',
	coordinates: [
		[
			[4.335, 50.822],
			[4.375, 50.822],
			[4.375, 50.84],
			[4.355, 50.84],
			[4.355, 50.836],
			[4.335, 50.836],
			[4.335, 50.822]
		]
	]
};

const dir = mkdtempSync(join(tmpdir(), 'oa-first-month-'));
let db: Awaited<ReturnType<typeof cliDatabase>>;
const cli = (...args: string[]) => importCli(db.env, '--org', 'sint-gillis', '--lang', 'en', ...args);

beforeAll(async () => {
	db = await cliDatabase(dir, 'oa_first_month');
});
afterAll(async () => {
	rmSync(dir, { recursive: true, force: true });
	await db?.drop();
});

describe(dbTitle('a new organisation’s first month, through the CLI'), () => {
	it('made from a boundary file, imports a foreign-label export and a French-named area layer unedited', async () => {
		const boundary = join(dir, 'limite-communale.geojson');
		writeFileSync(
			boundary,
			JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { nom_fr: 'Saint-Gilles' }, geometry: BOUNDARY }] })
		);
		const made = await userCreateCli(
			db.env,
			'sint-gillis-wachtwoord',
			'--email',
			'coord@sg.example',
			'--name',
			'Coord',
			'--org',
			'sint-gillis',
			'--org-name',
			'Sint-Gillis',
			'--boundary',
			boundary
		);
		expect(made.out).toContain('created organisation sint-gillis');
		expect(made.code).toBe(0);

		// the export: the organisation's box, so some rows lie in the notch outside the boundary
		const foreign = makeForeign(400, [4.335, 50.822, 4.375, 50.84]);
		const file = join(dir, 'export-registratie.csv');
		writeFileSync(file, foreign.csv);
		const records = foreign.csv.trim().split('\r\n').slice(1);
		const outside = records
			.map((line, i) => ({ row: i + 2, cells: line.split(';') }))
			.filter(({ cells }) => !booleanPointInPolygon([Number(cells[4]!.replace(',', '.')), Number(cells[3]!.replace(',', '.'))], BOUNDARY))
			.map(({ row }) => row);
		expect(outside.length).toBeGreaterThan(0);
		expect(outside).not.toContain(foreign.formulaRow);

		const mapping = join(dir, 'mapping.json');
		const values = {
			...FOREIGN_VALUES,
			contactType: { Toeleiding: 'begeleiding' },
			referral: { CAW: 'caw', OCMW: 'ocmw', Nachtopvang: 'nachtopvang' }
		};
		writeFileSync(mapping, JSON.stringify({ ...FOREIGN_COLUMNS, referral: 'Doorverwezen naar', values }));
		const r = await cli('--kind', 'contacts', '--file', file, '--mapping', mapping, '--skip-invalid');
		expect(r.code).toBe(0);
		const rejectedRows = [...outside, foreign.formulaRow].sort((a, b) => a - b);
		expect(r.out).toContain(`imported ${foreign.rows - rejectedRows.length}`);
		// more problems than the 20 listed, none cut off: the count is exact, not "53+"
		expect(r.out).toContain(`… ${rejectedRows.length} problems in all`);

		// every rejected row, with its reason in English; the formula defused
		const lines = readFileSync(join(dir, 'export-registratie.rejected.csv'), 'utf8')
			.replace(/^\ufeff/, '')
			.trim()
			.split(/\r?\n/);
		expect(lines.slice(1).map((l) => Number(l.split(';')[0]))).toEqual(rejectedRows);
		for (const line of lines.slice(1)) {
			const row = Number(line.split(';')[0]);
			const reason = row === foreign.formulaRow ? 'is set to ‘reject these rows’ in the mapping' : "lies outside the organisation's area";
			expect(line).toMatch(new RegExp(`;"?Row ${row}, column`));
			expect(line).toContain(reason);
		}
		expect(lines.join('\n')).toContain(`'${FORMULA_VALUE.replaceAll('"', '""')}`);

		// the areas: the quartiers (French names, every hole repeating its ring) and their blocks
		const quartiers = await cli(
			'--kind',
			'areas',
			'--file',
			QUARTIERS_FIXTURE,
			'--mapping',
			json({ layer: 'quartiers', code: 'code_quartier', name: 'nom_fr' })
		);
		expect(quartiers.code).toBe(0);
		expect(quartiers.out).toContain('imported 5');
		expect(quartiers.out).toContain('repeats the outer ring (a hole as large as the area); the hole was left out');
		const ilots = await cli(
			'--kind',
			'areas',
			'--file',
			ILOTS_FIXTURE,
			'--mapping',
			json({ layer: 'ilots', code: 'id_ilot', name: 'nom_fr', parent: 'code_quartier' })
		);
		expect(ilots.code).toBe(0);
		expect(ilots.out).toContain('imported 4');
		expect(ilots.out).toContain('in a tiny loop or spike');

		await db.open(async ({ sql }) => {
			const org = (await findOrganisation(sql, 'sint-gillis'))!;
			const [stored] = await sql`
				select count(*)::int as n, (count(*) filter (where referral_target is not null))::int as targeted,
					(count(*) filter (where referral and referral_target is null))::int as untargeted
				from contact_moment where org_id = ${org.orgId}`;
			expect(stored).toEqual({ n: foreign.rows - rejectedRows.length, targeted: expect.any(Number), untargeted: 0 });
			expect(stored!.targeted).toBeGreaterThan(0);
			// the blocks name their quartier: the quartiers are the district layer, though more
			const choice = await areaLayerChoice(sql, org.orgId);
			expect(choice.district).toBe('quartiers');
			expect(choice.layers.map((l) => [l.layer, l.features])).toEqual([
				['ilots', 4],
				['quartiers', 5]
			]);
			for (const layer of ['quartiers', 'ilots'])
				expect((await areaFeatures(sql, org.orgId, layer)).features.length).toBe(layer === 'quartiers' ? 5 : 4);
		});
	}, 300_000);
});

function json(o: unknown): string {
	const f = join(dir, `${Math.random().toString(36).slice(2)}.json`);
	writeFileSync(f, JSON.stringify(o));
	return f;
}
