import type { Handle, ServerInit } from '@sveltejs/kit';
import { startApp } from '$lib/server/startup';

export const init: ServerInit = async () => {
	await startApp();
};

export const handle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	// Contact data must not linger in shared caches.
	if (event.url.pathname.startsWith('/api/')) response.headers.set('cache-control', 'private, no-store');
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'same-origin');
	return response;
};
