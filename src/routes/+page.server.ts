// The atlas's metadata comes with the page's data, so the map's first requests need not wait for
// a GET /api/meta of their own (issue 11: the map at 10,000 hexes). When it cannot be read here,
// the page asks /api/meta itself and offers a retry, as before.
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { mapMeta } from '$lib/server/map-meta';
import type { Meta } from '$lib/api/map';

export async function load({ locals }): Promise<{ meta: Meta | null }> {
	if (!locals.user) return { meta: null };
	try {
		const { sql } = await db();
		return { meta: await mapMeta(sql, await requireContext(locals)) };
	} catch (e) {
		console.warn(`atlas page metadata: ${(e as Error).message}`);
		return { meta: null };
	}
}
