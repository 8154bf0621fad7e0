// The checks every map endpoint makes on its query (hexes, underserved zones, hotspots): the
// parameters parse, the resolution is no finer than contacts are stored at, the role may ask for
// it, and an analyst asks only what analyst-query.ts allows (by default their last ended quarter).
import { hexRequestRefusal } from '../domain/access';
import { analystQueryRefusal, defaultAnalystQuarter } from '../domain/analyst-query';
import { parseHexQuery, type HexQuery } from '../domain/hex-query';
import type { SessionUser } from './auth/sessions';
import { todayInBrussels } from './clock';
import { API_ERROR_CODES } from '../api/errors';
import { badRequest, forbidden } from './http';
import type { Organisation } from './organisations';

export function mapQuery(
	params: URLSearchParams,
	user: SessionUser,
	org: Organisation
): { ok: true; q: HexQuery } | { ok: false; response: Response } {
	const today = todayInBrussels();
	const analyst = user.role === 'analyst';
	if (analyst && !params.has('from') && !params.has('to')) {
		const quarter = defaultAnalystQuarter(today);
		params = new URLSearchParams(params);
		params.set('from', quarter.from);
		params.set('to', quarter.to);
	}
	const parsed = parseHexQuery(params, today);
	if (!parsed.ok) return { ok: false, response: badRequest(API_ERROR_CODES.invalidParam, parsed.error.param, parsed.error.message) };
	const q = parsed.value;
	if (q.res > org.storageRes) {
		return {
			ok: false,
			response: badRequest(
				API_ERROR_CODES.invalidParam,
				'res',
				`contacts are stored at resolution ${org.storageRes}; ask for ${org.storageRes} or coarser`
			)
		};
	}
	const refusal = hexRequestRefusal(user.role, org, q) ?? (analyst ? analystQueryRefusal(q, org, today) : null);
	if (refusal) return { ok: false, response: forbidden(API_ERROR_CODES.roleRefused, refusal.param, refusal.message) };
	return { ok: true, q };
}
