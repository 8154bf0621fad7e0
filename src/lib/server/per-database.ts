// Process caches keyed by the database handle as well as by organisation and data version: two
// databases in one process (the tests' PGlite and PostgreSQL, a bench's throwaway database
// beside another) may share an organisation id and a data version, and must not share answers.
import type { Sql } from './db';

/** A Map per database handle, dropped with the handle (a WeakMap). */
export function perDatabase<V>(): (sql: Sql) => Map<string, V> {
	const maps = new WeakMap<Sql, Map<string, V>>();
	return (sql) => {
		let m = maps.get(sql);
		if (!m) maps.set(sql, (m = new Map()));
		return m;
	};
}
