// Applies migrations/NNNN_name.sql in order, each once and each in its own transaction, and
// records them in schema_migration. The same plain-SQL files run on PGlite and PostgreSQL.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Sql } from './db';

export interface Migration {
	version: string;
	name: string;
	sql: string;
}

export function migrationsDir(): string {
	return resolve(process.env.MIGRATIONS_DIR ?? 'migrations');
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
	return readdirSync(dir)
		.filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
		.sort()
		.map((f) => ({
			version: f.slice(0, 4),
			name: f.replace(/\.sql$/, ''),
			sql: readFileSync(join(dir, f), 'utf8')
		}));
}

/** Returns the names of the migrations applied by this call (empty when up to date). */
export async function migrate(sql: Sql, migrations = loadMigrations()): Promise<string[]> {
	await sql`create table if not exists schema_migration (
		version text primary key,
		name text not null,
		applied_at timestamptz not null default now()
	)`;
	const applied: string[] = [];
	for (const m of migrations) {
		const done = await sql.begin(async (tx) => {
			// Two app nodes starting together must not both apply the same file.
			await tx`select pg_advisory_xact_lock(7243011)`;
			const [row] = await tx`select 1 from schema_migration where version = ${m.version}`;
			if (row) return false;
			await tx.unsafe(m.sql); // a whole trusted file from the repository, never user input
			await tx`insert into schema_migration (version, name) values (${m.version}, ${m.name})`;
			return true;
		});
		if (done) applied.push(m.name);
	}
	return applied;
}
