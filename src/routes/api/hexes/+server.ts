import { json } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { auditMapView } from '$lib/server/audit';
import { todayInBrussels } from '$lib/server/clock';
import { requireContext } from '$lib/server/context';
import { badRequest, forbidden } from '$lib/server/http';
import { BboxTooLarge, hexAggregate } from '$lib/server/queries/hexes';
import { parseHexQuery } from '$lib/domain/hex-query';
import { hexRequestRefusal } from '$lib/domain/access';
import { publishColumns } from '$lib/domain/privacy';

export async function GET({ url, locals }) {
	const parsed = parseHexQuery(url.searchParams, todayInBrussels());
	if (!parsed.ok) return badRequest(parsed.error.param, parsed.error.message);
	const q = parsed.value;
	const { user, org } = await requireContext(locals);
	if (q.res > org.storageRes) {
		return badRequest('res', `contacts are stored at resolution ${org.storageRes}; ask for ${org.storageRes} or coarser`);
	}
	const refusal = hexRequestRefusal(user.role, org, q);
	if (refusal) return forbidden(refusal.param, refusal.message);

	const { sql } = await db();
	let cols;
	try {
		cols = await hexAggregate(sql, org.orgId, q);
	} catch (err) {
		if (err instanceof BboxTooLarge) return badRequest('bbox', err.message);
		throw err;
	}
	await auditMapView(sql, org.orgId, user.userId, user.role, q.res);
	const period = { res: cols.res, from: cols.from, to: cols.to };
	// Analysts get suppressed, rounded figures, computed here: nothing exact leaves the server.
	if (user.role === 'analyst') return json({ ...period, ...publishColumns(cols, org.kThreshold) });
	const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
	return json({
		...cols,
		totals: { contacts: sum(cols.contacts), persons: sum(cols.persons), referrals: sum(cols.referrals) }
	});
}
