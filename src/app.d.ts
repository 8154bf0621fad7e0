// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionUser } from '$lib/server/auth/sessions';
import type { Organisation } from '$lib/server/organisations';

declare global {
	namespace App {
		interface Error {
			message: string;
			param?: string;
			/** Set for errors the page explains (e.g. database_unavailable). */
			code?: string;
		}
		interface Locals {
			/** The signed-in user, resolved from the session cookie by hooks.server.ts. */
			user: SessionUser | null;
			/** The user's organisation, read with the session (absent when it is gone or not read). */
			org?: Organisation;
			/** The organisation's data version, read with the session (see answer-cache.ts). */
			dataVersion?: string;
			/** Set by handleError when a request failed because the database is unreachable. */
			databaseUnavailable?: boolean;
			/** Set by handleError when the request body could not be parsed. */
			malformedBody?: boolean;
		}
	}
}

export {};
