// Asks the service worker to keep a page for offline use and says when it is kept. The worker
// also keeps the page whenever it answers it, but a first visit can slip past it: the worker
// installs while the login page is open (signed out, so the page cannot be fetched yet) and only
// takes control after the app has moved on to /log. Asking from the open page closes that gap.

const TIMEOUT_MS = 20_000;

export interface KeepOfflineRequest {
	type: 'keep-offline';
	page: string;
}
export interface OfflineReadyAnswer {
	type: 'offline-ready';
	page: string;
	ready: boolean;
}

/** True once `page` can be reopened without a network; false without a service worker, or if it could not be kept. */
export async function keepPageOffline(page: string): Promise<boolean> {
	if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return false;
	const sw = navigator.serviceWorker;
	const registration = await Promise.race([sw.ready, new Promise<null>((r) => setTimeout(() => r(null), TIMEOUT_MS))]);
	const active = registration?.active;
	if (!active) return false;
	const kept = await new Promise<boolean>((resolve) => {
		const done = (ready: boolean) => {
			clearTimeout(timer);
			sw.removeEventListener('message', onMessage);
			resolve(ready);
		};
		const onMessage = (e: MessageEvent) => {
			const answer = e.data as Partial<OfflineReadyAnswer> | null;
			if (answer?.type === 'offline-ready' && answer.page === page) done(answer.ready === true);
		};
		const timer = setTimeout(() => done(false), TIMEOUT_MS);
		sw.addEventListener('message', onMessage);
		sw.startMessages();
		active.postMessage({ type: 'keep-offline', page } satisfies KeepOfflineRequest);
	});
	// Kept is not enough: a reload is answered by the worker only once it controls this page
	// (it claims open pages when it activates).
	return kept && (sw.controller !== null || (await controlled(sw)));
}

function controlled(sw: ServiceWorkerContainer): Promise<boolean> {
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			sw.removeEventListener('controllerchange', done);
			resolve(sw.controller !== null);
		};
		const timer = setTimeout(done, TIMEOUT_MS);
		sw.addEventListener('controllerchange', done);
	});
}
