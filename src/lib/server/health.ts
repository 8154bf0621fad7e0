// Probes for a container orchestrator, answered by hooks.server.ts before sessions or routes:
// GET /healthz: the process is alive (never touches the database);
// GET /readyz: the database answers and every migration of this build is applied.
import type { Sql } from './db';
import { isDatabaseUnavailable } from './db-errors';
import { loadMigrations } from './migrate';

export interface Readiness {
	ready: boolean;
	database: 'ok' | 'unavailable' | 'error';
	/** Migrations of this build not applied to the database. */
	pendingMigrations: string[];
}

let expected: string[] | undefined;

export async function readiness(sql: Sql, timeoutMs = 2000): Promise<Readiness> {
	expected ??= loadMigrations().map((m) => m.name);
	let timer: NodeJS.Timeout | undefined;
	try {
		const rows = await Promise.race([
			sql`select name from schema_migration`,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(Object.assign(new Error('readiness check timed out'), { code: 'ETIMEDOUT' })), timeoutMs);
			})
		]);
		const applied = new Set(rows.map((r) => r.name as string));
		const pendingMigrations = expected.filter((m) => !applied.has(m));
		return { ready: pendingMigrations.length === 0, database: 'ok', pendingMigrations };
	} catch (e) {
		return { ready: false, database: isDatabaseUnavailable(e) ? 'unavailable' : 'error', pendingMigrations: [] };
	} finally {
		clearTimeout(timer);
	}
}

/** The answer to a probe path, or null when `pathname` is not one. */
export async function probe(pathname: string, sql: () => Promise<Sql>): Promise<Response | null> {
	const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
	if (pathname === '/healthz') return new Response(JSON.stringify({ status: 'ok' }), { headers });
	if (pathname !== '/readyz') return null;
	let r: Readiness;
	try {
		r = await readiness(await sql());
	} catch {
		r = { ready: false, database: 'unavailable', pendingMigrations: [] };
	}
	return new Response(JSON.stringify(r), { status: r.ready ? 200 : 503, headers: r.ready ? headers : { ...headers, 'retry-after': '5' } });
}
