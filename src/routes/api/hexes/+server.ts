import { db } from '$lib/server/app-db';
import { auditMapView } from '$lib/server/audit';
import { requireContext } from '$lib/server/context';
import { answer, apiRoute, parseQuery } from '$lib/server/api';
import { cachedAnswer, normaliseMapQuestion } from '$lib/server/answer-cache';
import { badRequest } from '$lib/server/http';
import { mapQuery } from '$lib/server/map-query';
import { BboxTooLarge, hexAggregate } from '$lib/server/queries/hexes';
import { hexes } from '$lib/api/map';
import { API_ERROR_CODES } from '$lib/api/errors';
import { publishedHexes } from '$lib/server/queries/published';

export const GET = apiRoute(async (event) => {
	const { url, locals } = event;
	const ctx = await requireContext(locals);
	const { user, org } = ctx;
	parseQuery(hexes, url);
	const checked = mapQuery(url.searchParams, user, org);
	if (!checked.ok) return checked.response;
	const { q } = checked;

	const { sql } = await db();
	return cachedAnswer(event, ctx, {
		endpoint: hexes.path,
		question: normaliseMapQuestion(q),
		onAnswer: () => auditMapView(sql, org.orgId, user.userId, user.role, q),
		compute: async (reader) => {
			// Analysts get published figures (cell-key noise, suppression, rounding), computed
			// here: nothing exact leaves the server.
			if (user.role === 'analyst') return answer(hexes, await publishedHexes(reader, org.orgId, q, org.kThreshold));
			let cols;
			try {
				cols = await hexAggregate(reader, org.orgId, q, { targets: true });
			} catch (err) {
				if (err instanceof BboxTooLarge) return badRequest(API_ERROR_CODES.invalidParam, 'bbox', err.message);
				throw err;
			}
			const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
			return answer(hexes, {
				...cols,
				totals: { contacts: sum(cols.contacts), persons: sum(cols.persons), referrals: sum(cols.referrals) }
			});
		}
	});
});
