// POST /api/contacts: one contact moment logged from a phone (the quick log). Workers and
// coordinators only (route table). Idempotent on the client's uuid: 201 {status:'created'} the
// first time, 200 {status:'duplicate'} for any resend; 400 {error:{param,message}} for bad input.
import { json } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { badRequest } from '$lib/server/http';
import { saveQuickLog } from '$lib/server/contacts/quick-log';

export async function POST({ request, locals }) {
	const { user, org } = await requireContext(locals);
	// JSON only: a cross-site form (urlencoded, multipart, text/plain) can never post here.
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/json\b/i.test(type)) {
		return json({ error: { param: 'content-type', message: 'send the contact as application/json' } }, { status: 415 });
	}
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		return badRequest('body', 'the request body is not valid JSON');
	}
	const { sql } = await db();
	const result = await saveQuickLog(sql, org, user, body);
	if (!result.ok) return badRequest(result.error.param, result.error.message);
	return json({ status: result.status }, { status: result.status === 'created' ? 201 : 200 });
}
