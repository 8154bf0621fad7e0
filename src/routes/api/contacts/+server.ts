// POST /api/contacts: one contact moment logged from a phone (the quick log). Workers and
// coordinators only (route table). Idempotent on the client's uuid: 201 {status:'created'} the
// first time, 200 {status:'duplicate'} for any resend; 400 {error:{code,param,message}} for bad input.
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { apiRoute, readJson, reply } from '$lib/server/api';
import { errorResponse } from '$lib/server/http';
import { saveQuickLog } from '$lib/server/contacts/quick-log';
import { contacts } from '$lib/api/field';

export const POST = apiRoute(async ({ request, locals }) => {
	const { user, org } = await requireContext(locals);
	// JSON only: a cross-site form (urlencoded, multipart, text/plain) can never post here.
	const body = await readJson(request, 'the contact');
	const { sql } = await db();
	// checked with the declared schema and the organisation's rules (vocabularies, services, rounds)
	const result = await saveQuickLog(sql, org, user, body);
	if (!result.ok) return errorResponse(400, result.error);
	return reply(contacts, { status: result.status }, { status: result.status === 'created' ? 201 : 200 });
});
