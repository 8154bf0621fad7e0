// The map page's metadata (GET /api/meta): who asks, their organisation, vocabularies, teams and
// area layers. The atlas page also gets it with its page data, one round trip sooner.
import type { Sql } from './db';
import { todayInBrussels } from './clock';
import { areaAttribution, readConfig } from './config';
import type { RequestContext } from './context';
import { getRetiredVocabularies, getVocabularies } from './organisations';
import { listTeams } from './queries/teams';
import { areaLayerChoice } from './area-layers';
import { maxResolutionFor } from '$lib/domain/access';
import { analystRes } from '$lib/domain/analyst-query';
import { MIN_MAP_RES } from '$lib/domain/cells';
import type { Meta } from '$lib/api/map';

export async function mapMeta(sql: Sql, { user, org }: RequestContext): Promise<Meta> {
	return {
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
	};
}
