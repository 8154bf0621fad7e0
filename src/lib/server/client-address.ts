// The client's address for per-client limits. Behind a reverse proxy every request comes from
// the proxy, so the address is read from the header that proxy sets, named by the environment
// variable TRUSTED_PROXY_HEADER (e.g. x-forwarded-for, x-real-ip), and from nowhere else: a
// header a client could send itself is never trusted unless configured.
import type { RequestEvent } from '@sveltejs/kit';

export function clientAddress(
	event: Pick<RequestEvent, 'request' | 'getClientAddress'>,
	trustedHeader: string | undefined = process.env.TRUSTED_PROXY_HEADER
): string {
	const name = trustedHeader?.trim().toLowerCase();
	if (name) {
		const value = event.request.headers.get(name);
		// x-forwarded-for is a list the proxy appends to: its last entry is the one it saw.
		const last = value?.split(',').at(-1)?.trim();
		if (last) return last;
	}
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}
