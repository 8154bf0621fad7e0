import { requireContext } from '$lib/server/context';
import { apiRoute, parseQuery, reply } from '$lib/server/api';
import { badRequest } from '$lib/server/http';
import { API_ERROR_CODES } from '$lib/api/errors';
import { preview as previewEndpoint } from '$lib/api/imports';
import { previewCsv } from '$lib/domain/import/stream';
import { SNIFF_BYTES } from '$lib/domain/import/decode';
import { bodyChunks, forbiddenOrigin, openRequestUpload, sameOrigin } from '$lib/server/imports/http';

/**
 * POST the first bytes of a file (up to 64 KiB): encoding, separator, headers, first rows. An
 * Excel workbook is POSTed whole (≤ 50 MB): its worksheet (sheet=N, default 1) is previewed as
 * the CSV the import will read, and `workbook` names it and lists the workbook's sheets.
 */
export const POST = apiRoute(async ({ request, url, locals }) => {
	await requireContext(locals);
	if (!sameOrigin(request, url)) return forbiddenOrigin();
	const opened = await openRequestUpload(bodyChunks(request), url.searchParams, { sheetNames: true });
	if (!opened.ok) return opened.response;
	const { upload } = opened;
	const parts: Uint8Array[] = [];
	let size = 0;
	for await (const chunk of upload.chunks) {
		parts.push(chunk);
		size += chunk.byteLength;
		if (size >= SNIFF_BYTES) break;
	}
	if (size === 0) return badRequest(API_ERROR_CODES.invalidFile, 'file', 'the file is empty');
	const head = Buffer.concat(parts).subarray(0, SNIFF_BYTES);
	// a workbook's CSV is known whole: complete when it fits in the head
	const complete = upload.workbook ? (upload.totalBytes ?? Infinity) <= SNIFF_BYTES : parseQuery(previewEndpoint, url).complete;
	const preview = previewCsv(head, { maxRows: 20, complete });
	return reply(previewEndpoint, upload.workbook ? { ...preview, workbook: upload.workbook } : preview);
});
