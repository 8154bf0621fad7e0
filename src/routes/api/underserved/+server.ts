import { db } from '$lib/server/app-db';
import { auditMapView } from '$lib/server/audit';
import { requireContext } from '$lib/server/context';
import { answer, apiRoute, parseQuery } from '$lib/server/api';
import { cachedAnswer, normaliseMapQuestion } from '$lib/server/answer-cache';
import { mapQuery } from '$lib/server/map-query';
import { underservedZones } from '$lib/server/queries/underserved';
import { underserved, UNDERSERVED_MAP_MIN_SCORE, UNDERSERVED_TOP } from '$lib/api/map';
import { packCell } from '$lib/domain/cells';
import { publishReason } from '$lib/domain/privacy';

/**
 * GET /api/underserved?res=&from=&to=&types=&groups=&teams=&limit=: every zone's score as map
 * columns, and the `limit` highest zones with their reasons. Analysts get scores computed from
 * published figures (see publishZoneInput), at their policy resolution at most.
 */
export const GET = apiRoute(async (event) => {
	const { url, locals } = event;
	const limit = parseQuery(underserved, url).limit ?? UNDERSERVED_TOP;
	const params = new URLSearchParams(url.searchParams);
	params.delete('limit');
	const ctx = await requireContext(locals);
	const { user, org } = ctx;
	const checked = mapQuery(params, user, org);
	if (!checked.ok) return checked.response;
	const { q } = checked;

	const { sql } = await db();
	const analyst = user.role === 'analyst';
	const k = org.kThreshold;
	return cachedAnswer(event, ctx, {
		endpoint: underserved.path,
		question: { ...normaliseMapQuestion(q), limit },
		onAnswer: () => auditMapView(sql, org.orgId, user.userId, user.role, q),
		compute: async (reader) => {
			const result = analyst
				? await underservedZones(reader, org.orgId, q, k, { recencyInPeriod: true })
				: await underservedZones(reader, org.orgId, q);
			const mapped = result.zones.filter((z) => z.score >= UNDERSERVED_MAP_MIN_SCORE);
			return answer(underserved, {
				res: result.res,
				from: result.from,
				to: result.to,
				populationLayer: result.populationLayer,
				published: analyst ? { k } : null,
				zoneCount: result.zones.length,
				cells: mapped.map((z) => packCell(z.cell)),
				scores: mapped.map((z) => z.score),
				top: result.zones.slice(0, limit).map((z) => ({
					cell: packCell(z.cell),
					score: z.score,
					reasons: analyst ? z.reasons.map((r) => publishReason(r, k)) : z.reasons
				}))
			});
		}
	});
});
