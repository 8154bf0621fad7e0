import { json } from '@sveltejs/kit';
import { requireContext } from '$lib/server/context';
import { badRequest } from '$lib/server/http';
import { previewCsv } from '$lib/domain/import/stream';
import { SNIFF_BYTES } from '$lib/domain/import/decode';
import { bodyChunks, forbiddenOrigin, sameOrigin } from '$lib/server/imports/http';

/** POST the first bytes of a file (up to 64 KiB): encoding, separator, headers, first rows. */
export async function POST({ request, url, locals }) {
	await requireContext(locals);
	if (!sameOrigin(request, url)) return forbiddenOrigin();
	const parts: Uint8Array[] = [];
	let size = 0;
	for await (const chunk of bodyChunks(request)) {
		parts.push(chunk);
		size += chunk.byteLength;
		if (size >= SNIFF_BYTES) break;
	}
	if (size === 0) return badRequest('file', 'the file is empty');
	const head = Buffer.concat(parts).subarray(0, SNIFF_BYTES);
	const complete = url.searchParams.get('complete') === 'true';
	return json(previewCsv(head, { maxRows: 20, complete }));
}
