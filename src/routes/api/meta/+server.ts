import { db } from '$lib/server/app-db';
import { todayInBrussels } from '$lib/server/clock';
import { areaAttribution, readConfig } from '$lib/server/config';
import { requireContext } from '$lib/server/context';
import { apiRoute, reply } from '$lib/server/api';
import { getRetiredVocabularies, getVocabularies } from '$lib/server/organisations';
import { listTeams } from '$lib/server/queries/teams';
import { maxResolutionFor } from '$lib/domain/access';
import { analystRes } from '$lib/domain/analyst-query';
import { MIN_MAP_RES } from '$lib/domain/cells';
import { meta } from '$lib/api/map';
import { areaLayerChoice } from '$lib/server/area-layers';

export const GET = apiRoute(async ({ locals }) => {
	const { sql } = await db();
	const { user, org } = await requireContext(locals);
	return reply(meta, {
		org: {
			name: org.name,
			bbox: org.bbox,
			isDemo: org.isDemo,
			storageRes: org.storageRes,
			maxRes: maxResolutionFor(user.role, org),
			// analysts see one resolution only (see analyst-query.ts)
			minRes: user.role === 'analyst' ? analystRes(org) : MIN_MAP_RES,
			// analysts see counts below k as "< k"
			k: user.role === 'analyst' ? org.kThreshold : null
		},
		user: { name: user.name, email: user.email, role: user.role },
		vocabularies: await getVocabularies(sql, org.orgId),
		retiredVocabularies: await getRetiredVocabularies(sql, org.orgId),
		// analysts get no per-team figures, so no team filter either
		teams: user.role === 'analyst' ? [] : await listTeams(sql, org.orgId),
		basemapStyle: readConfig().basemapStyle,
		attribution: areaAttribution(org),
		today: todayInBrussels(),
		areaLayers: await areaLayerChoice(sql, org.orgId).then(({ district, population, layers }) => ({ district, population, layers }))
	});
});
