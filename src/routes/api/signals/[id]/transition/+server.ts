// POST /api/signals/<id>/transition: one step of a signal's life cycle (assign, visit, handle,
// close, reopen) with an optional note. JSON only. 403 for a step the role may not take or a
// worker's signal that is not theirs, 409 for a step that cannot start from the signal's status.
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { ApiRefusal, apiRoute, parseWith, readJson, reply } from '$lib/server/api';
import { todayInBrussels } from '$lib/server/clock';
import { signalItem, transitionSignal } from '$lib/server/signals';
import { signalTransition } from '$lib/api/signals';
import { signalTransitionBody } from '$lib/domain/signals';

export const POST = apiRoute(async ({ params, request, locals }) => {
	const { user, org } = await requireContext(locals);
	const id = /^[1-9]\d{0,9}$/.test(params.id ?? '') ? Number(params.id) : NaN;
	if (!(id <= 2147483647)) throw new ApiRefusal(404, { code: 'unknownSignal', param: 'id', message: 'no such signal' });
	const step = parseWith(signalTransitionBody, await readJson(request, 'the step'));
	const { sql } = await db();
	const now = new Date();
	const today = todayInBrussels(now);
	await transitionSignal(sql, org, user, id, step, today);
	return reply(signalTransition(id), { signal: (await signalItem(sql, org, user, id, now, today))! });
});
