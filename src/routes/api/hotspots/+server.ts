import { db } from '$lib/server/app-db';
import { auditMapView } from '$lib/server/audit';
import { requireContext } from '$lib/server/context';
import { answer, apiRoute, parseQuery } from '$lib/server/api';
import { cachedAnswer, normaliseMapQuestion } from '$lib/server/answer-cache';
import { mapQuery } from '$lib/server/map-query';
import { hotspotCells } from '$lib/server/queries/hotspots';
import { hotspots } from '$lib/api/map';
import { packCell } from '$lib/domain/cells';

/**
 * GET /api/hotspots?res=&from=&to=&types=&groups=&teams=: the cells Getis-Ord Gi* finds hot or
 * cold (class codes 3/2/1 hot at 99/95/90 %, −1/−2/−3 cold), over the whole organisation.
 * Analysts' statistics are computed from published counts (a suppressed count as k/2), at their
 * policy resolution at most and without a team filter (mapQuery).
 */
export const GET = apiRoute(async (event) => {
	const { url, locals } = event;
	parseQuery(hotspots, url);
	const ctx = await requireContext(locals);
	const { user, org } = ctx;
	const checked = mapQuery(url.searchParams, user, org);
	if (!checked.ok) return checked.response;
	const { q } = checked;

	const { sql } = await db();
	const analyst = user.role === 'analyst';
	const k = org.kThreshold;
	return cachedAnswer(event, ctx, {
		endpoint: hotspots.path,
		question: normaliseMapQuestion(q),
		onAnswer: () => auditMapView(sql, org.orgId, user.userId, user.role, q),
		compute: async (reader) => {
			const r = await hotspotCells(reader, org.orgId, q, analyst ? k : undefined);
			return answer(hotspots, {
				res: r.res,
				from: r.from,
				to: r.to,
				published: analyst ? { k } : null,
				cells: r.cells.map(packCell),
				classes: r.codes,
				counts: r.counts
			});
		}
	});
});
