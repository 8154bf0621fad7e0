// A database that cannot be reached (stopped, restarting, out of connections, too slow) is not a
// bug: requests answer 503 with Retry-After and the code database_unavailable, and the next
// request after the database is back simply works (postgres.js reconnects by itself).
import type { RequestEvent } from '@sveltejs/kit';
import type { ErrorBody } from '../domain/errors';

export const DATABASE_UNAVAILABLE = 'database_unavailable';
export const RETRY_AFTER_SECONDS = 5;

// Node socket errors, postgres.js's own connection errors, and SQLSTATEs of class 08 (connection
// exception), 57P01–57P03 (shutdown, crash, not yet accepting), 53300 (too many connections),
// 57014 (statement timeout / cancelled).
const NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'CONNECT_TIMEOUT',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED'
]);
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

/** Whether `err` (or its cause) says the database is unreachable rather than that a query is wrong. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
	if (!err || typeof err !== 'object' || depth > 3) return false;
	const e = err as { code?: unknown; errno?: unknown; cause?: unknown; errors?: unknown };
	const code = typeof e.code === 'string' ? e.code : typeof e.errno === 'string' ? e.errno : '';
	if (NETWORK_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
	// AggregateError of a connect to several addresses (IPv4 and IPv6 localhost)
	if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
	return isDatabaseUnavailable(e.cause, depth + 1);
}

const MESSAGE = 'the database is unavailable; try again shortly';

/** The App.Error of a page whose data could not be loaded. */
export function unavailableError(): App.Error {
	return { message: MESSAGE, code: DATABASE_UNAVAILABLE };
}

function wantsJson(event: Pick<RequestEvent, 'url' | 'request'>): boolean {
	const { pathname } = event.url;
	return (
		pathname.startsWith('/api/') ||
		pathname.endsWith('/__data.json') ||
		event.request.headers.has('x-sveltekit-action') ||
		(event.request.headers.get('accept') ?? '').includes('application/json')
	);
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

const TEXT = {
	nl: {
		title: 'De databank is even niet bereikbaar',
		text: 'Outreach Atlas kan zijn gegevens nu niet lezen. Probeer het over enkele ogenblikken opnieuw; de pagina laadt dan gewoon.',
		retry: 'Opnieuw proberen'
	},
	en: {
		title: 'The database cannot be reached right now',
		text: 'Outreach Atlas cannot read its data at the moment. Try again in a few moments; the page will then load as usual.',
		retry: 'Try again'
	}
} as const;

/**
 * The 503 answer: an ErrorBody for the API (and an App.Error for page data and form actions, which
 * the page's error screen translates), else a small page in both languages, the one the browser
 * prefers first (the UI's own choice lives in the browser, which has not loaded the app).
 */
export function databaseUnavailableResponse(event: Pick<RequestEvent, 'url' | 'request'>): Response {
	const headers = { 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' };
	if (wantsJson(event)) {
		const api = event.url.pathname.startsWith('/api/');
		// a form action sent by use:enhance reads { type: 'error', error }
		const action = !api && event.request.headers.has('x-sveltekit-action');
		const body = api
			? ({ error: { code: DATABASE_UNAVAILABLE, message: MESSAGE } } satisfies ErrorBody)
			: action
				? { type: 'error', error: unavailableError() }
				: unavailableError();
		return new Response(JSON.stringify(body), { status: 503, headers: { ...headers, 'content-type': 'application/json' } });
	}
	const english = /^\s*en\b/i.test(event.request.headers.get('accept-language') ?? '');
	const order = english ? (['en', 'nl'] as const) : (['nl', 'en'] as const);
	const first = order[0];
	const sections = order
		.map(
			(lang, i) =>
				`<section lang="${lang}"${i ? ' class="second"' : ''}><h1>${escape(TEXT[lang].title)}</h1><p>${escape(TEXT[lang].text)}</p>` +
				`<p><a href="${escape(event.url.pathname + event.url.search)}">${escape(TEXT[lang].retry)}</a></p></section>`
		)
		.join('');
	const html =
		`<!doctype html><html lang="${first}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>503 · Outreach Atlas</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1b2a3a;line-height:1.5}` +
		`h1{font-size:1.4rem}.second{color:#4a5868;border-top:1px solid #ccd;margin-top:2rem}a{color:#0b5394}</style></head>` +
		`<body><main data-code="${DATABASE_UNAVAILABLE}">${sections}</main></body></html>`;
	return new Response(html, { status: 503, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
}
