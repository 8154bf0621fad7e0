import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { startApp } from '$lib/server/startup';
import { guard } from '$lib/server/auth/guard';
import { db } from '$lib/server/app-db';
import { scheduleRetention } from '$lib/server/retention';
import { probe } from '$lib/server/health';
import { startLoadStats } from '$lib/server/load-stats';
import { closeComputePool } from '$lib/server/compute-pool';
import { addBasemapToCsp } from '$lib/server/csp';
import { isMalformedBody, malformedBodyError, malformedBodyResponse } from '$lib/server/body-errors';
import { databaseUnavailableResponse, isDatabaseUnavailable, unavailableError } from '$lib/server/db-errors';

export const init: ServerInit = async () => {
	startLoadStats();
	const database = await startApp();
	const stopRetention = scheduleRetention(database.sql);
	// adapter-node emits this after closing the HTTP server on SIGTERM/SIGINT; closing the
	// database lets the process end (and PGlite flush its files); the compute pool's workers end too.
	process.once('sveltekit:shutdown' as 'exit', () => {
		stopRetention();
		// a database that does not close (unreachable, a stuck statement) must not keep the process
		setTimeout(() => process.exit(1), 8_000).unref();
		void Promise.all([database.close(), closeComputePool()]).then(
			() => process.exit(0),
			(e: unknown) => {
				console.error(`closing the database: ${(e as Error).message}`);
				process.exit(1);
			}
		);
	});
};

export const handle: Handle = async ({ event, resolve }) => {
	const probed = await probe(event.url.pathname, async () => (await db()).sql);
	if (probed) return probed;
	let response: Response;
	try {
		const { sql } = await db();
		const refused = await guard(sql, event);
		if (refused) return refused;
		response = await resolve(event);
	} catch (e) {
		if (!isDatabaseUnavailable(e)) throw e;
		event.locals.databaseUnavailable = true;
		response = databaseUnavailableResponse(event);
	}
	// A route that failed on an unreachable database (see handleError) answers 503, not 500.
	if (event.locals.databaseUnavailable && response.status === 500) response = databaseUnavailableResponse(event);
	// A body that could not be parsed (truncated upload, broken JSON) is the client's: 400.
	else if (event.locals.malformedBody && response.status === 500) response = malformedBodyResponse(event);
	// Contact data must not linger in shared caches. Cached map answers (answer-cache.ts) say
	// `private, no-cache` themselves: the browser keeps them and asks again with their ETag.
	if (event.url.pathname.startsWith('/api/') && !response.headers.get('cache-control')?.startsWith('private')) {
		response.headers.set('cache-control', 'private, no-store');
	}
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-frame-options', 'DENY');
	addBasemapToCsp(response.headers);
	return response;
};

export const handleError: HandleServerError = ({ error, event, message }) => {
	if (isDatabaseUnavailable(error)) {
		event.locals.databaseUnavailable = true;
		console.error(`database unavailable (${event.request.method} ${event.url.pathname}): ${(error as Error).message}`);
		return unavailableError();
	}
	if (isMalformedBody(error)) {
		event.locals.malformedBody = true;
		return malformedBodyError();
	}
	console.error(error);
	return { message };
};
