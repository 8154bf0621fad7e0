// Which organisation a request acts for. Until accounts exist (issue 3) the app serves the
// first organisation, which is the seeded demo; sessions will replace this lookup.
import { error } from '@sveltejs/kit';
import { db } from './app-db';
import { getOrganisation, type Organisation } from './organisations';

export async function currentOrganisation(): Promise<Organisation> {
	const { sql } = await db();
	const [row] = await sql`select org_id from organisation order by org_id limit 1`;
	const org = row ? await getOrganisation(sql, row.org_id as number) : undefined;
	if (!org) error(503, 'no organisation yet: run npm run seed or npm run user:create');
	return org;
}
