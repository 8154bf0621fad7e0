// A worker's calendar feed (iCalendar): public by its private token, no session, so a phone's
// calendar app can subscribe. An unknown or revoked token answers 404 and says nothing more.
import { error } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { buildFeed } from '$lib/server/calendar-feed';

export async function GET({ params, url }) {
	const lang = url.searchParams.get('lang') ?? 'nl';
	if (lang !== 'nl' && lang !== 'en') error(400, 'lang: nl or en');
	const { sql } = await db();
	const body = await buildFeed(sql, params.token, url.origin, lang);
	if (body === null) error(404, 'no such calendar');
	return new Response(body, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			// calendar apps poll; the feed is the worker's own, never for shared caches
			'cache-control': 'private, max-age=300'
		}
	});
}
