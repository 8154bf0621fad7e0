import { json } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { todayInBrussels } from '$lib/server/clock';
import { AREA_ATTRIBUTION, readConfig } from '$lib/server/config';
import { currentOrganisation } from '$lib/server/context';
import { getVocabularies } from '$lib/server/organisations';
import { listTeams } from '$lib/server/queries/teams';
import { MAX_MAP_RES } from '$lib/domain/cells';

export async function GET() {
	const { sql } = await db();
	const org = await currentOrganisation();
	return json({
		org: {
			name: org.name,
			bbox: org.bbox,
			isDemo: org.isDemo,
			storageRes: org.storageRes,
			maxRes: Math.min(MAX_MAP_RES, org.storageRes)
		},
		vocabularies: await getVocabularies(sql, org.orgId),
		teams: await listTeams(sql, org.orgId),
		basemapStyle: readConfig().basemapStyle,
		attribution: AREA_ATTRIBUTION,
		today: todayInBrussels()
	});
}
