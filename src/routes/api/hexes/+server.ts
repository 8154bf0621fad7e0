import { json } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { todayInBrussels } from '$lib/server/clock';
import { currentOrganisation } from '$lib/server/context';
import { badRequest } from '$lib/server/http';
import { BboxTooLarge, hexAggregate } from '$lib/server/queries/hexes';
import { parseHexQuery } from '$lib/domain/hex-query';

export async function GET({ url }) {
	const parsed = parseHexQuery(url.searchParams, todayInBrussels());
	if (!parsed.ok) return badRequest(parsed.error.param, parsed.error.message);
	const org = await currentOrganisation();
	if (parsed.value.res > org.storageRes) {
		return badRequest('res', `contacts are stored at resolution ${org.storageRes}; ask for ${org.storageRes} or coarser`);
	}
	const { sql } = await db();
	try {
		return json(await hexAggregate(sql, org.orgId, parsed.value));
	} catch (err) {
		if (err instanceof BboxTooLarge) return badRequest('bbox', err.message);
		throw err;
	}
}
