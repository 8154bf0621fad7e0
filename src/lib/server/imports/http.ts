// Shared HTTP plumbing for import endpoints: the upload arrives as a stream (never buffered
// whole), and progress goes back as NDJSON lines while the import runs.
import { json } from '@sveltejs/kit';

export const IMPORT_KINDS = ['contacts', 'services', 'areas', 'area_indicators', 'signals'] as const;

/** Uploads come from our own pages only. (Form posts are also checked by SvelteKit.) */
export function sameOrigin(request: Request, url: URL): boolean {
	const origin = request.headers.get('origin');
	return origin === null || origin === url.origin;
}

export function bodyChunks(request: Request): AsyncIterable<Uint8Array> {
	if (!request.body) throw new Error('no request body');
	return request.body as unknown as AsyncIterable<Uint8Array>;
}

export function contentLength(request: Request): number | undefined {
	const n = Number(request.headers.get('content-length'));
	return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Runs `work` and streams its progress as NDJSON: {"type":"progress",…} lines at most every
 * 200 ms, then one {"type":"result",…} or {"type":"error","message":…} line.
 */
export function ndjsonProgress<T>(work: (progress: (p: object) => void) => Promise<T>): Response {
	const encoder = new TextEncoder();
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			const send = (o: object) => controller.enqueue(encoder.encode(JSON.stringify(o) + '\n'));
			let last = 0;
			try {
				const result = await work((p) => {
					const now = Date.now();
					if (now - last < 200) return;
					last = now;
					send({ type: 'progress', ...p });
				});
				send({ type: 'result', ...(result as object) });
			} catch (e) {
				send({ type: 'error', message: (e as Error).message });
			} finally {
				controller.close();
			}
		}
	});
	return new Response(stream, { headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' } });
}

export function forbiddenOrigin(): Response {
	return json({ error: { param: 'origin', message: 'uploads are accepted from this site only' } }, { status: 403 });
}
