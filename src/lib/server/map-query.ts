// The checks every map endpoint makes on its query (hexes, underserved zones): the parameters
// parse, the resolution is no finer than contacts are stored at, and the role may ask for it.
import { hexRequestRefusal } from '../domain/access';
import { parseHexQuery, type HexQuery } from '../domain/hex-query';
import type { SessionUser } from './auth/sessions';
import { todayInBrussels } from './clock';
import { badRequest, forbidden } from './http';
import type { Organisation } from './organisations';

export function mapQuery(params: URLSearchParams, user: SessionUser, org: Organisation): { ok: true; q: HexQuery } | { ok: false; response: Response } {
	const parsed = parseHexQuery(params, todayInBrussels());
	if (!parsed.ok) return { ok: false, response: badRequest(parsed.error.param, parsed.error.message) };
	const q = parsed.value;
	if (q.res > org.storageRes) {
		return { ok: false, response: badRequest('res', `contacts are stored at resolution ${org.storageRes}; ask for ${org.storageRes} or coarser`) };
	}
	const refusal = hexRequestRefusal(user.role, org, q);
	if (refusal) return { ok: false, response: forbidden(refusal.param, refusal.message) };
	return { ok: true, q };
}
