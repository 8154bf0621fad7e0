// POST /api/vocabulary: a coordinator adds an entry to one of the organisation's lists (JSON only,
// so a cross-site form can never post here). 201 {entry}, 400 {error:{code,param,message}}.
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { apiRoute, parseWith, readJson, reply } from '$lib/server/api';
import { addVocabularyEntry } from '$lib/server/vocabulary';
import { addEntry } from '$lib/api/vocabulary';
import type { VocabularyKind } from '$lib/domain/vocabulary';

export const POST = apiRoute(async ({ request, locals }) => {
	const { user, org } = await requireContext(locals);
	const body = parseWith(addEntry.body!, await readJson(request, 'the entry'));
	const { sql } = await db();
	const entry = await addVocabularyEntry(sql, org.orgId, { userId: user.userId }, body.kind as VocabularyKind, body.nl, body.en);
	return reply(addEntry, { entry }, { status: 201 });
});
