// API route handlers called as SvelteKit would, against the test database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { createUser } from '../../src/lib/server/auth/users';
import { createSession } from '../../src/lib/server/auth/sessions';
import { callRoute } from '../helpers/route-harness';

let t: TestDatabase;
let token: string;

/** GET a route as the coordinator, through the guard, like the server does. */
async function call(routeId: string, path: string) {
	const o = await callRoute(t.sql, routeId, path, { token });
	return { status: o.status, json: async () => o.body as Record<string, any> };
}
const hexes = '/api/hexes';
const meta = '/api/meta';
const areas = '/api/areas';
const services = '/api/services';

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	const org = await createOrganisation(t.sql, { slug: 'api', name: 'API test', bbox: [3.6, 51.0, 3.8, 51.1] });
	const userId = await createUser(t.sql, { orgId: org.orgId, email: 'c@api.example', name: 'C', role: 'coordinator' });
	token = await createSession(t.sql, { orgId: org.orgId, userId });
	const cells = [latLngToCell(51.036, 3.71, 10), latLngToCell(51.056, 3.74, 10)];
	await t.sql`
		insert into contact_moment (org_id, occurred_at, cell, contact_type, external_id)
		select ${org.orgId}, now() - (i || ' days')::interval, c, 1 + (i % 2), 'api-' || i || '-' || c
		from unnest(${cells.map((c) => cellToBigInt(c).toString())}::bigint[]) as c, generate_series(1, 20) as i`;
	await t.sql`
		insert into area (org_id, layer, code, name, population, geometry)
		values (${org.orgId}, 'district', '1', 'Binnenstad', 19242,
			${t.sql.json({
				type: 'Polygon',
				coordinates: [
					[
						[3.7, 51.0],
						[3.8, 51.0],
						[3.8, 51.1],
						[3.7, 51.0]
					]
				]
			})})`;
	await t.sql`
		insert into service_location (org_id, external_id, category, name, cell, capacity, opening_hours)
		values (${org.orgId}, 's1', 1, 'Nachtopvang Test', ${cellToBigInt(latLngToCell(51.05, 3.72, 12)).toString()}, 40, 'Mo-Su 20:00-08:00')`;
});
afterAll(() => t?.cleanup());

describe(dbTitle('GET /api/hexes'), () => {
	it('returns columns of equal length with packed cells', async () => {
		const res = await call(hexes, '/api/hexes?res=9');
		expect(res.status).toBe(200);
		const body = await res.json();
		expect(body.res).toBe(9);
		expect(body.cells).toHaveLength(2);
		for (const col of ['contacts', 'persons', 'referrals', 'daysSinceLast']) expect(body[col]).toHaveLength(2);
		expect(body.contacts).toEqual([20, 20]);
	});

	it('filters by contact type', async () => {
		const body = await (await call(hexes, '/api/hexes?res=9&types=1')).json();
		expect(body.contacts).toEqual([10, 10]);
	});

	it.each([
		['res=99', 'res'],
		['res=9&from=yesterday', 'from'],
		['res=9&bbox=1,2', 'bbox'],
		['res=9&types=a', 'types'],
		['res=9&x=1', 'x']
	])('answers %s with a 400 naming %s', async (qs, param) => {
		const res = await call(hexes, '/api/hexes?' + qs);
		expect(res.status).toBe(400);
		const body = await res.json();
		expect(body.error.param).toBe(param);
		expect(body.error.message).toMatch(/\w/);
	});
});

describe(dbTitle('GET /api/meta, /api/areas, /api/services'), () => {
	it('meta gives the organisation, vocabularies and a plain basemap when configured so', async () => {
		const body = await (await call(meta, '/api/meta')).json();
		expect(body.org.name).toBe('API test');
		expect(body.vocabularies.contact_type.length).toBeGreaterThan(3);
		expect(body.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		// Ghent's open data is credited for the demo organisation only (area-layers.test.ts); this one has none
		expect(body.attribution).toBe('');
	});

	it('areas returns GeoJSON, and names an unknown layer', async () => {
		const body = await (await call(areas, '/api/areas?layer=district')).json();
		expect(body.features[0].properties).toEqual({ code: '1', name: 'Binnenstad', population: 19242 });
		const bad = await call(areas, '/api/areas?layer=nope');
		expect(bad.status).toBe(400);
		expect((await bad.json()).error.param).toBe('layer');
	});

	it('services returns points with their category code', async () => {
		const body = await (await call(services, '/api/services')).json();
		expect(body.features).toHaveLength(1);
		expect(body.features[0].properties.categoryCode).toBe('nachtopvang');
		const [lng, lat] = body.features[0].geometry.coordinates;
		expect(lat).toBeCloseTo(51.05, 3);
		expect(lng).toBeCloseTo(3.72, 3);
	});
});
