// The report's and the trends' area cells come from area_cell, stored once at import, when they
// are stored at the asked resolution; no request computes a polygon's cells then. Where they are
// not (another resolution, or an area written without cells), they are computed from the outline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { square } from '../helpers/square';
import { createOrganisation } from '../../src/lib/server/organisations';
import { storeAreaCells } from '../../src/lib/server/area-cells';
import { areaCells } from '../../src/lib/domain/area-cells';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { layerCells as trendLayerCells } from '../../src/lib/server/layer-cells';
import { layerCells as reportLayerCells } from '../../src/lib/server/queries/report-layers';

let t: TestDatabase;
let orgId: number;
const outline = square(3.7, 51.05, 0.01);
const computed = areaCells(outline, 9);
// a cell far from the square: only a stored set can hold it
const marker = latLngToCell(51.09, 3.62, 9);

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'stored', name: 'Stored cells', bbox: [3.6, 51.0, 3.8, 51.1] })).orgId;
	await t.sql`insert into area (org_id, layer, code, name, geometry) values (${orgId}, 'wijk', 'W', 'Wijk', ${t.sql.json(outline)})`;
});
afterAll(() => t?.cleanup());

describe(dbTitle('area cells for reports and trends'), () => {
	it('computes them from the outline while none are stored', async () => {
		const report = await reportLayerCells(t.sql, orgId, 'wijk', 9, 9, 'v1');
		expect(report.cells).toEqual([computed.length]);
		const trend = await trendLayerCells(t.sql, orgId, 'wijk', 9, 'v1');
		expect(trend.get('W')!.cells).toHaveLength(computed.length);
	});

	it('reads the stored cells at their resolution, and computes at another', async () => {
		await storeAreaCells(t.sql, orgId, 'wijk', [{ code: 'W', geometry: outline }], 9);
		await t.sql`insert into area_cell (org_id, layer, code, cell) values (${orgId}, 'wijk', 'W', ${cellToBigInt(marker).toString()})`;
		const report = await reportLayerCells(t.sql, orgId, 'wijk', 9, 9, 'v2');
		expect(report.cells).toEqual([computed.length + 1]);
		expect(report.areaOf.get(marker)).toBe(0);
		const trend = await trendLayerCells(t.sql, orgId, 'wijk', 9, 'v2');
		expect(trend.get('W')!.cells).toContain(cellToBigInt(marker).toString());
		// res 8 is not stored: computed from the outline, without the marker
		const coarse = await reportLayerCells(t.sql, orgId, 'wijk', 8, 8, 'v2');
		expect(coarse.cells).toEqual([areaCells(outline, 8).length]);
	});
});
