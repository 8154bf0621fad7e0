// A round's route to take along: GPX (waypoints and a route, for a phone's map app) or CSV (for a
// spreadsheet). Only cell centres leave: zones, never contact data; stops are named as the page
// names them.
import { error } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { audit } from '$lib/server/audit';
import { requireContext } from '$lib/server/context';
import { getRoundStops, stopNaming, visibleRound } from '$lib/server/round-route';
import { getRoundSettings } from '$lib/server/round-settings';
import { paceOf } from '$lib/domain/travel';
import { routeCsv, routeGpx } from '$lib/domain/round-export';
import { stopNames } from '$lib/domain/stop-names';

export async function GET({ locals, params, url }) {
	const { user, org } = await requireContext(locals);
	const format = url.searchParams.get('format') ?? 'gpx';
	if (format !== 'gpx' && format !== 'csv') error(400, 'format: gpx or csv');
	const lang = url.searchParams.get('lang') ?? 'nl';
	if (lang !== 'nl' && lang !== 'en') error(400, 'lang: nl or en');
	const { sql } = await db();
	const round = await visibleRound(sql, org.orgId, user, params.id);
	if (!round) error(404, 'no such round');
	const [saved, naming, settings] = await Promise.all([
		getRoundStops(sql, org.orgId, round.roundId),
		stopNaming(sql, org.orgId),
		getRoundSettings(sql, org.orgId)
	]);
	// named as the round page names them
	const names = stopNames(
		saved.map((s) => s.cell),
		naming.areaOf,
		naming.landmarks,
		lang
	);
	const stops = saved.map((s, i) => ({ ...s, name: names[i]! }));
	await audit(sql, { orgId: org.orgId, userId: user.userId, action: 'export', detail: { roundId: round.roundId, format } });
	const name = `straatronde-${round.plannedOn}-${round.roundId}.${format}`;
	const body = format === 'gpx' ? routeGpx(round, stops, lang) : routeCsv(round, stops, lang, paceOf(round.travelMode, settings));
	return new Response(body, {
		headers: {
			'content-type': format === 'gpx' ? 'application/gpx+xml; charset=utf-8' : 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'no-store'
		}
	});
}
