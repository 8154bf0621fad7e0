import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { badRequest } from '$lib/server/http';
import { importContacts } from '$lib/server/imports/contacts';
import { bodyChunks, contentLength, forbiddenOrigin, ndjsonProgress, sameOrigin } from '$lib/server/imports/http';
import { columnMappingSchema } from '$lib/domain/import/mapping';

/**
 * POST the whole file as the request body (streamed; any content type but form types).
 * Query: mode=dry-run|commit, source, mapping (JSON), skipInvalid, fixSwapped, acceptOutside,
 * filename. Answers NDJSON: progress lines, then the result (counts, first errors, rejected CSV).
 */
export async function POST({ request, url, locals }) {
	const { org, user } = await requireContext(locals);
	if (!sameOrigin(request, url)) return forbiddenOrigin();
	const q = url.searchParams;
	const mode = q.get('mode');
	if (mode !== 'dry-run' && mode !== 'commit') return badRequest('mode', 'expected dry-run or commit');
	const source = q.get('source')?.trim() ?? '';
	if (!/^[\w .-]{1,80}$/.test(source)) return badRequest('source', 'a source name of 1 to 80 letters, digits, spaces, dots or dashes');
	let raw: unknown;
	try {
		raw = JSON.parse(q.get('mapping') ?? '');
	} catch {
		return badRequest('mapping', 'expected the column mapping as JSON');
	}
	const mapping = columnMappingSchema.safeParse(raw);
	if (!mapping.success) {
		const issue = mapping.error.issues[0]!;
		return badRequest(`mapping.${String(issue.path[0] ?? '')}`, issue.message);
	}
	const flag = (name: string) => q.get(name) === 'true';
	const { sql } = await db();
	return ndjsonProgress((progress) =>
		importContacts(sql, bodyChunks(request), {
			orgId: org.orgId,
			userId: user.userId,
			mapping: mapping.data,
			source,
			filename: q.get('filename')?.slice(0, 200) ?? undefined,
			mode,
			skipInvalid: flag('skipInvalid'),
			fixSwapped: flag('fixSwapped'),
			acceptOutside: flag('acceptOutside'),
			totalBytes: contentLength(request),
			onProgress: progress
		})
	);
}
