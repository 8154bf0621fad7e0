import { db } from '$lib/server/app-db';
import { auditMapView } from '$lib/server/audit';
import { requireContext } from '$lib/server/context';
import { answer, apiRoute, parseQuery } from '$lib/server/api';
import { cachedAnswer } from '$lib/server/answer-cache';
import { coverageAnswer, reportQuestion } from '$lib/server/reports';
import { coverage } from '$lib/api/reports';

/**
 * GET /api/reports/coverage?layer=&from=&to=: one row per area of the layer and the
 * organisation's total, for the period, the one before and a year earlier. Analysts: one ended
 * quarter, published figures; coordinators: any period, exact.
 */
export const GET = apiRoute(async (event) => {
	const { url, locals } = event;
	const ctx = await requireContext(locals);
	const query = parseQuery(coverage, url);
	const { sql } = await db();
	const question = await reportQuestion(sql, ctx, query);
	const { user, org } = ctx;
	return cachedAnswer(event, ctx, {
		endpoint: coverage.path,
		question,
		onAnswer: () =>
			auditMapView(sql, org.orgId, user.userId, user.role, {
				res: Math.min(org.planningRes, org.storageRes),
				from: question.from,
				to: question.to,
				types: null,
				groups: null,
				teams: null
			}),
		compute: async () => answer(coverage, await coverageAnswer(sql, ctx, question, locals.dataVersion))
	});
});
