/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Lets the quick log (/log) open without a network, and nothing more:
// - the built app (hashed, immutable files) and static files are cached at install, cache-first;
// - the /log page's HTML shell (ssr is off, so it holds no data) and its layout data (who is
//   signed in, the organisation's name: no contact data) are network-first, kept for offline;
//   both are dropped at logout;
// - /api/* is never touched: contact data and aggregates are never cached (sensitive), the page
//   keeps what it needs offline itself (see components/quicklog);
// - every other request (other pages, POSTs) goes to the network as if there were no worker.
import { build, files, version } from '$service-worker';
import type { KeepOfflineRequest, OfflineReadyAnswer } from '$lib/components/quicklog/offline-shell';

const sw = self as unknown as ServiceWorkerGlobalScope;

const ASSET_CACHE = `oa-assets-${version}`;
const PAGE_CACHE = `oa-offline-pages-${version}`;
const ASSETS = new Set([...build, ...files]);
/** Pages that must open offline, by pathname. */
const OFFLINE_PAGES = new Set(['/log']);
const DATA_SUFFIX = '/__data.json';

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(ASSET_CACHE);
			await cache.addAll([...ASSETS]);
			// Best effort: only succeeds for a signed-in worker or coordinator.
			for (const page of OFFLINE_PAGES) await refreshPage(page).catch(() => {});
			await sw.skipWaiting();
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) {
				if (key !== ASSET_CACHE && key !== PAGE_CACHE) await caches.delete(key);
			}
			await sw.clients.claim();
		})()
	);
});

// An open offline page asks to be kept (see offline-shell.ts) and is told when it is.
sw.addEventListener('message', (event) => {
	const ask = event.data as Partial<KeepOfflineRequest> | null;
	if (ask?.type !== 'keep-offline' || typeof ask.page !== 'string' || !OFFLINE_PAGES.has(ask.page)) return;
	const page = ask.page;
	event.waitUntil(
		(async () => {
			await refreshPage(page).catch(() => {}); // offline: an earlier copy may still be kept
			// ssr is off: the page opens offline only with both its shell and its layout data
			const cache = await caches.open(PAGE_CACHE);
			const ready = (await cache.match(page)) !== undefined && (await cache.match(page + DATA_SUFFIX)) !== undefined;
			const source = event.source as Client | null;
			source?.postMessage({ type: 'offline-ready', page, ready } satisfies OfflineReadyAnswer);
		})()
	);
});

sw.addEventListener('fetch', (event) => {
	const req = event.request;
	const url = new URL(req.url);
	if (url.origin !== sw.location.origin) return;
	if (req.method !== 'GET') {
		// Signing out forgets the cached shell and layout data (the next user's are fetched anew).
		if (url.pathname === '/logout') event.waitUntil(caches.delete(PAGE_CACHE));
		return;
	}
	if (url.pathname.startsWith('/api/')) return; // never cached, never answered from a cache

	if (ASSETS.has(url.pathname)) {
		event.respondWith(cacheFirst(req));
		return;
	}
	if (req.mode === 'navigate' && OFFLINE_PAGES.has(url.pathname)) {
		event.respondWith(networkFirst(req, url.pathname, isHtmlPage));
		return;
	}
	if (url.pathname.endsWith(DATA_SUFFIX) && OFFLINE_PAGES.has(url.pathname.slice(0, -DATA_SUFFIX.length))) {
		const page = url.pathname.slice(0, -DATA_SUFFIX.length);
		event.respondWith(networkFirst(req, url.pathname, isPageData));
		// Reached by client-side navigation: make sure the page's shell is cached too.
		event.waitUntil(ensureShell(page));
	}
});

async function cacheFirst(req: Request): Promise<Response> {
	const cache = await caches.open(ASSET_CACHE);
	const hit = await cache.match(req);
	if (hit) return hit;
	const res = await fetch(req);
	if (res.ok) await cache.put(req, res.clone());
	return res;
}

/**
 * The network's answer when there is one (and a good one is kept under `key`); the kept answer
 * only when the network fails. A server error or a redirect to the login page is passed on, not
 * replaced by an old copy: the user must see that they have to sign in.
 */
async function networkFirst(req: Request, key: string, keep: (res: Response) => Promise<boolean>): Promise<Response> {
	try {
		const res = await fetch(req);
		if (await keep(res)) {
			const cache = await caches.open(PAGE_CACHE);
			await cache.put(key, res.clone());
		}
		return res;
	} catch (e) {
		const cache = await caches.open(PAGE_CACHE);
		const hit = await cache.match(key);
		if (hit) return hit;
		throw e;
	}
}

async function isHtmlPage(res: Response): Promise<boolean> {
	return res.ok && !res.redirected && res.type === 'basic' && (res.headers.get('content-type') ?? '').includes('text/html');
}

/** SvelteKit answers a data request that should redirect with 200 {type:'redirect'}: keep only real data. */
async function isPageData(res: Response): Promise<boolean> {
	if (!res.ok || res.redirected || !(res.headers.get('content-type') ?? '').includes('json')) return false;
	try {
		const body = (await res.clone().json()) as { type?: string };
		return body.type === 'data';
	} catch {
		return false;
	}
}

async function ensureShell(page: string) {
	const cache = await caches.open(PAGE_CACHE);
	if (await cache.match(page)) return;
	await refreshPage(page, false).catch(() => {});
}

async function refreshPage(page: string, withData = true) {
	const cache = await caches.open(PAGE_CACHE);
	const shell = await fetch(page, { credentials: 'same-origin', redirect: 'manual', headers: { accept: 'text/html' } });
	if (!(await isHtmlPage(shell))) return;
	await cache.put(page, shell);
	if (!withData) return;
	const data = await fetch(page + DATA_SUFFIX, { credentials: 'same-origin', redirect: 'manual' });
	if (await isPageData(data)) await cache.put(page + DATA_SUFFIX, data);
}
