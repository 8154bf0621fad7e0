// Vitest global setup for the browser tests: one app server for the whole run.
//   E2E_BASE_URL       use an app that is already running instead (nothing is started)
//   E2E_DATABASE_URL   admin URL of a real PostgreSQL server: the app runs on a fresh database
//                      created there (dropped afterwards); without it, on PGlite in a temp dir
//   E2E_SERVER_LOG     where the app server's output goes (default test-results/e2e-server.log)
import type { TestProject } from 'vitest/node';
import { startAppServer } from './server';

declare module 'vitest' {
	export interface ProvidedContext {
		baseURL: string;
		dbKind: 'pglite' | 'postgres' | 'external';
	}
}

export default async function setup(project: TestProject) {
	const external = process.env.E2E_BASE_URL;
	if (external) {
		project.provide('baseURL', external.replace(/\/$/, ''));
		project.provide('dbKind', 'external');
		return;
	}
	const t0 = Date.now();
	const server = await startAppServer({
		adminDatabaseUrl: process.env.E2E_DATABASE_URL || undefined,
		logFile: process.env.E2E_SERVER_LOG || undefined
	});
	console.log(`e2e: app (${server.kind}) ready at ${server.baseURL} after ${((Date.now() - t0) / 1000).toFixed(1)} s; log ${server.logFile}`);
	project.provide('baseURL', server.baseURL);
	project.provide('dbKind', server.kind);
	return async () => {
		await server.stop();
	};
}
