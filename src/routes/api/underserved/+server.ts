import { json } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { auditMapView } from '$lib/server/audit';
import { requireContext } from '$lib/server/context';
import { badRequest } from '$lib/server/http';
import { mapQuery } from '$lib/server/map-query';
import { underservedZones } from '$lib/server/queries/underserved';
import { packCell } from '$lib/domain/cells';
import { publishReason, publishZoneInput } from '$lib/domain/privacy';

/** Zones scoring below this are left off the map (they are still counted). */
const MAP_MIN_SCORE = 5;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/**
 * GET /api/underserved?res=&from=&to=&types=&groups=&teams=&limit=: every zone's score as map
 * columns, and the `limit` highest zones with their reasons. Analysts get scores computed from
 * published figures (see publishZoneInput), at their policy resolution at most.
 */
export async function GET({ url, locals }) {
	const params = new URLSearchParams(url.searchParams);
	const limitRaw = params.get('limit');
	params.delete('limit');
	if (params.has('bbox')) return badRequest('bbox', 'zones are scored over the whole organisation; leave bbox out');
	const limit = limitRaw === null ? DEFAULT_LIMIT : Number(limitRaw);
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return badRequest('limit', `expected a whole number from 1 to ${MAX_LIMIT}`);
	const { user, org } = await requireContext(locals);
	const checked = mapQuery(params, user, org);
	if (!checked.ok) return checked.response;
	const { q } = checked;

	const { sql } = await db();
	const analyst = user.role === 'analyst';
	const k = org.kThreshold;
	const result = analyst
		? await underservedZones(sql, org.orgId, q, (z) => publishZoneInput(z, k), { recencyInPeriod: true })
		: await underservedZones(sql, org.orgId, q);
	await auditMapView(sql, org.orgId, user.userId, user.role, q);
	const mapped = result.zones.filter((z) => z.score >= MAP_MIN_SCORE);
	return json({
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
