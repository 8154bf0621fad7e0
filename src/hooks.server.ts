import type { Handle, ServerInit } from '@sveltejs/kit';
import { startApp } from '$lib/server/startup';
import { guard } from '$lib/server/auth/guard';
import { db } from '$lib/server/app-db';
import { scheduleRetention } from '$lib/server/retention';

export const init: ServerInit = async () => {
	const database = await startApp();
	const stopRetention = scheduleRetention(database.sql);
	// adapter-node emits this after closing the HTTP server on SIGTERM/SIGINT; closing the
	// database lets the process end (and PGlite flush its files).
	process.once('sveltekit:shutdown' as 'exit', () => {
		stopRetention();
		void database.close().then(() => process.exit(0));
	});
};

export const handle: Handle = async ({ event, resolve }) => {
	const { sql } = await db();
	const refused = await guard(sql, event);
	if (refused) return refused;
	const response = await resolve(event);
	// Contact data must not linger in shared caches.
	if (event.url.pathname.startsWith('/api/')) response.headers.set('cache-control', 'private, no-store');
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-frame-options', 'DENY');
	return response;
};
