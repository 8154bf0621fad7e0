// npm run serve: starts the built app (build/index.js from adapter-node) with three defaults.
//
// 1. Uploads up to BODY_SIZE_LIMIT (default 1G): adapter-node's own default, 512 KB, refuses imports.
// 2. The protocol of each request. Without ORIGIN, adapter-node takes every request for https, so
//    on a plain-http demo (http://localhost:3000, or a laptop's address on the team's network)
//    SvelteKit refuses the login form as cross-site and marks cookies Secure. Unless ORIGIN or
//    PROTOCOL_HEADER is configured (a real deployment behind TLS sets one of them), we tell it
//    the protocol the connection really uses, overwriting whatever a client sent.
import http from 'node:http';
import { pathToFileURL } from 'node:url';

process.env.BODY_SIZE_LIMIT ??= '1G';

// 3. Graceful shutdown: on SIGTERM/SIGINT adapter-node stops accepting connections and lets the
//    requests in flight finish, for at most SHUTDOWN_TIMEOUT seconds (its default, 30, is longer
//    than a container orchestrator's usual grace period), then hooks.server.ts closes the database.
process.env.SHUTDOWN_TIMEOUT ??= '10';

if (!process.env.ORIGIN && !process.env.PROTOCOL_HEADER) {
	const HEADER = 'x-outreach-atlas-protocol';
	process.env.PROTOCOL_HEADER = HEADER;
	const createServer = http.createServer;
	http.createServer = (...args) => {
		const server = createServer(...args);
		server.prependListener('request', (req) => {
			req.headers[HEADER] = req.socket.encrypted ? 'https' : 'http';
		});
		return server;
	};
}

// E2E_BUILD_DIR: the browser tests may run a copy of build/ that a rebuild cannot disturb.
const buildDir = process.env.E2E_BUILD_DIR ? pathToFileURL(process.env.E2E_BUILD_DIR + '/') : new URL('../build/', import.meta.url);
await import(new URL('index.js', buildDir).href);
