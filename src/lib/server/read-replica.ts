// A PostgreSQL streaming replica for the aggregate reads (DATABASE_READ_URL). The map's answers
// (hexes, underserved zones, hotspots, services, areas) are computed there when the replica has
// caught up with the organisation: its data version (migrations/0010) equals the one the request
// read with its session on the primary. Otherwise, or when the replica cannot answer at once,
// the primary answers: a request never sees data older than the session it began with, so a
// coordinator sees the import they just committed.
import type { Database, Sql } from './db';

/** Where the aggregate reads went since the start (for tests and the bench). */
export const replicaReads = { replica: 0, lagging: 0, unavailable: 0 };

/** How long the version check on the replica may take before the primary is asked instead. */
const CHECK_TIMEOUT_MS = 1000;

/**
 * The connection an aggregate read of `orgId` should use: the replica when it holds the data
 * version `version` (the primary's, read with the session), else the primary.
 */
export async function readerFor(database: Database, orgId: number, version: string | undefined): Promise<Sql> {
	const replica = database.read;
	if (!replica || version === undefined) return database.sql;
	try {
		const rows = await Promise.race([
			replica`select coalesce(sum(weight), 0)::text as v from org_data_change where org_id = ${orgId}`,
			new Promise<never>((_, reject) => setTimeout(() => reject(new Error('replica version check timed out')), CHECK_TIMEOUT_MS).unref())
		]);
		if (rows[0]?.v === version) {
			replicaReads.replica++;
			return replica;
		}
		replicaReads.lagging++;
	} catch {
		replicaReads.unavailable++;
	}
	return database.sql;
}
