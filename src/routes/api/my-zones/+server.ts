// The signed-in user's zones valid today, with what the map needs to draw them (an area's
// GeoJSON geometry, or the hand-picked cell ids) and when each was last visited; and the street
// rounds they walk from yesterday to two weeks ahead, soonest first, with their partners.
import { db } from '$lib/server/app-db';
import { todayInBrussels } from '$lib/server/clock';
import { areaAttribution, readConfig } from '$lib/server/config';
import { requireContext } from '$lib/server/context';
import { apiRoute, reply } from '$lib/server/api';
import { areaGeometries } from '$lib/server/queries/areas';
import { listZones, zoneVisits } from '$lib/server/zones';
import { listRounds } from '$lib/server/rounds';
import { myZones, ROUNDS_AHEAD_DAYS, type ZoneGeometry } from '$lib/api/field';
import { addDays } from '$lib/domain/calendar';

export const GET = apiRoute(async ({ locals }) => {
	const { user, org } = await requireContext(locals);
	const { sql } = await db();
	const today = todayInBrussels();
	const zones = await listZones(sql, org.orgId, { userId: user.userId, activeOn: today });
	const visits = await zoneVisits(sql, org.orgId, zones, org.storageRes);
	const rounds = await listRounds(sql, org.orgId, { from: addDays(today, -1), to: addDays(today, ROUNDS_AHEAD_DAYS), userId: user.userId });
	const geometries = await areaGeometries(
		sql,
		org.orgId,
		zones.flatMap((z) => (z.area ? [`${z.area.layer}:${z.area.code}`] : []))
	);
	return reply(myZones, {
		today,
		map: { bbox: org.bbox, basemapStyle: readConfig().basemapStyle, attribution: areaAttribution(org) },
		zones: zones.map((z) => ({
			assignmentId: z.assignmentId,
			label: z.label,
			area: z.area,
			cells: z.cells,
			geometry: z.area ? ((geometries.get(`${z.area.layer}:${z.area.code}`) ?? null) as ZoneGeometry | null) : null,
			validFrom: z.validFrom,
			validTo: z.validTo,
			lastVisit: visits.get(z.assignmentId)?.lastVisit ?? null,
			contacts30d: visits.get(z.assignmentId)?.contacts30d ?? 0
		})),
		roundsUntil: addDays(today, ROUNDS_AHEAD_DAYS),
		rounds: rounds.reverse().map((r) => ({
			roundId: r.roundId,
			plannedOn: r.plannedOn,
			title: r.title,
			budgetMinutes: r.budgetMinutes,
			partners: r.workers.filter((w) => w.userId !== user.userId).map((w) => w.name)
		}))
	});
});
