// The signed-in user's zones valid today, with what the map needs to draw them (an area's
// GeoJSON geometry, or the hand-picked cell ids) and when each was last visited; and the street
// rounds they walk from yesterday to two weeks ahead, soonest first, with their partners.
import { json } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { todayInBrussels } from '$lib/server/clock';
import { AREA_ATTRIBUTION, readConfig } from '$lib/server/config';
import { requireContext } from '$lib/server/context';
import { listZones, zoneVisits } from '$lib/server/zones';
import { listRounds } from '$lib/server/rounds';
import { addDays } from '$lib/domain/calendar';

/** How far ahead a worker sees the rounds they are planned on. */
const ROUNDS_AHEAD_DAYS = 14;

export async function GET({ locals }) {
	const { user, org } = await requireContext(locals);
	const { sql } = await db();
	const today = todayInBrussels();
	const zones = await listZones(sql, org.orgId, { userId: user.userId, activeOn: today });
	const visits = await zoneVisits(sql, org.orgId, zones, org.storageRes);
	const rounds = await listRounds(sql, org.orgId, { from: addDays(today, -1), to: addDays(today, ROUNDS_AHEAD_DAYS), userId: user.userId });
	const areaKeys = zones.flatMap((z) => (z.area ? [`${z.area.layer}:${z.area.code}`] : []));
	const geometries = new Map<string, unknown>();
	if (areaKeys.length) {
		const rows = await sql`
			select layer, code, geometry from area
			where org_id = ${org.orgId} and (layer || ':' || code) = any(${areaKeys}::text[])`;
		for (const r of rows) geometries.set(`${r.layer as string}:${r.code as string}`, r.geometry);
	}
	return json({
		today,
		map: { bbox: org.bbox, basemapStyle: readConfig().basemapStyle, attribution: AREA_ATTRIBUTION },
		zones: zones.map((z) => ({
			assignmentId: z.assignmentId,
			label: z.label,
			area: z.area,
			cells: z.cells,
			geometry: z.area ? (geometries.get(`${z.area.layer}:${z.area.code}`) ?? null) : null,
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
}
