// The import page renders in the browser (ssr = false); the server only says which import APIs
// exist in this build, so kinds whose server side is not there yet are shown as "coming soon",
// and which area layers the organisation has (suggested for an indicators file).
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { areaLayers } from '$lib/server/queries/areas';

const apis = Object.keys(import.meta.glob('../api/imports/*/+server.ts'))
	.map((path) => path.split('/').at(-2) ?? '')
	.filter((name) => name !== '');

export async function load({ locals, depends }) {
	depends('app:area-layers');
	const { org } = await requireContext(locals);
	const { sql } = await db();
	return { apis, layers: await areaLayers(sql, org.orgId) };
}
