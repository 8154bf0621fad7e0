// A round's route to take along: GPX (waypoints and a route, for a phone's map app) or CSV (for a
// spreadsheet). Only cell centres leave: zones, never contact data.
import { error } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { audit } from '$lib/server/audit';
import { requireContext } from '$lib/server/context';
import { getRoundStops, visibleRound } from '$lib/server/round-route';
import { routeCsv, routeGpx } from '$lib/domain/round-export';

export async function GET({ locals, params, url }) {
	const { user, org } = await requireContext(locals);
	const format = url.searchParams.get('format') ?? 'gpx';
	if (format !== 'gpx' && format !== 'csv') error(400, 'format: gpx or csv');
	const lang = url.searchParams.get('lang') ?? 'nl';
	if (lang !== 'nl' && lang !== 'en') error(400, 'lang: nl or en');
	const { sql } = await db();
	const round = await visibleRound(sql, org.orgId, user, params.id);
	if (!round) error(404, 'no such round');
	const stops = await getRoundStops(sql, org.orgId, round.roundId);
	await audit(sql, { orgId: org.orgId, userId: user.userId, action: 'export', detail: { roundId: round.roundId, format } });
	const name = `straatronde-${round.plannedOn}-${round.roundId}.${format}`;
	const body = format === 'gpx' ? routeGpx(round, stops, lang) : routeCsv(round, stops, lang);
	return new Response(body, {
		headers: {
			'content-type': format === 'gpx' ? 'application/gpx+xml; charset=utf-8' : 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'no-store'
		}
	});
}
