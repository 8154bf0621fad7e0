// Calendar feeds: a worker's private iCalendar URL of their own street rounds. The URL carries a
// random token; only its SHA-256 is stored. Issuing revokes the user's earlier feed; revoking ends
// it. Both are audited (ids only, never the token).
import { transaction, type Sql } from './db';
import { audit } from './audit';
import { newToken, tokenHash } from './auth/tokens';
import { todayInBrussels } from './clock';
import { listRounds } from './rounds';
import { getRound, getRoundStops, stopNaming } from './round-route';
import { addDays } from '../domain/calendar';
import { stopNames } from '../domain/stop-names';
import { calendarFeed, type CalendarLang, type CalendarRound } from '../domain/round-calendar';

/** The feed shows rounds from this many days back up to FEED_DAYS_AHEAD ahead. */
export const FEED_DAYS_BACK = 60;
export const FEED_DAYS_AHEAD = 365;

/** The path of a feed's URL (the token is only ever shown once, when issued). */
export function feedPath(token: string): string {
	return `/calendar/${token}.ics`;
}

/** A new feed token for the user; their earlier feed (if any) stops working. */
export async function issueFeedToken(sql: Sql, orgId: number, userId: number): Promise<string> {
	const token = newToken();
	await transaction(sql, async (tx) => {
		await tx`update calendar_feed set revoked_at = now() where org_id = ${orgId} and user_id = ${userId} and revoked_at is null`;
		const [row] = await tx`
			insert into calendar_feed (org_id, user_id, token_hash) values (${orgId}, ${userId}, ${tokenHash(token)})
			returning feed_id`;
		await audit(tx, { orgId, userId, action: 'calendar.issue', detail: { feedId: row!.feed_id as number } });
	});
	return token;
}

/** Ends the user's feed; false when they had none. */
export async function revokeFeedToken(sql: Sql, orgId: number, userId: number): Promise<boolean> {
	return transaction(sql, async (tx) => {
		const rows = await tx`
			update calendar_feed set revoked_at = now()
			where org_id = ${orgId} and user_id = ${userId} and revoked_at is null returning feed_id`;
		if (!rows.length) return false;
		await audit(tx, { orgId, userId, action: 'calendar.revoke', detail: { feedId: rows[0]!.feed_id as number } });
		return true;
	});
}

/** When the user's feed in use was issued (ISO), or null when they have none. */
export async function activeFeedSince(sql: Sql, orgId: number, userId: number): Promise<string | null> {
	const [row] = await sql`
		select created_at from calendar_feed where org_id = ${orgId} and user_id = ${userId} and revoked_at is null`;
	return row ? new Date(row.created_at as string).toISOString() : null;
}

/** Whose feed this token opens: an active user's feed that is not revoked; else null. */
export async function feedOwner(sql: Sql, token: string): Promise<{ orgId: number; userId: number } | null> {
	if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
	const [row] = await sql`
		select f.org_id, f.user_id from calendar_feed f
		join app_user u on u.org_id = f.org_id and u.user_id = f.user_id
		where f.token_hash = ${tokenHash(token)} and f.revoked_at is null and u.active`;
	return row ? { orgId: row.org_id as number, userId: row.user_id as number } : null;
}

/**
 * The iCalendar text of the rounds the token's owner walks, or null for an unknown or revoked
 * token. `origin` makes the route page links absolute.
 */
export async function buildFeed(sql: Sql, token: string, origin: string, lang: CalendarLang = 'nl', now = new Date()): Promise<string | null> {
	const owner = await feedOwner(sql, token);
	if (!owner) return null;
	const { orgId, userId } = owner;
	const today = todayInBrussels(now);
	const [rounds, naming] = await Promise.all([
		listRounds(sql, orgId, { from: addDays(today, -FEED_DAYS_BACK), to: addDays(today, FEED_DAYS_AHEAD), userId }),
		stopNaming(sql, orgId)
	]);
	const events: CalendarRound[] = [];
	for (const r of rounds) {
		const [detail, stops] = await Promise.all([getRound(sql, orgId, r.roundId), getRoundStops(sql, orgId, r.roundId)]);
		events.push({
			orgId,
			roundId: r.roundId,
			plannedOn: r.plannedOn,
			title: r.title,
			budgetMinutes: r.budgetMinutes,
			startLabel: detail?.startLabel ?? null,
			workers: r.workers.map((w) => w.name),
			stops: stopNames(
				stops.map((s) => s.cell),
				naming.areaOf,
				naming.landmarks,
				lang
			),
			url: new URL(`/rounds/${r.roundId}`, origin).href
		});
	}
	events.sort((a, b) => a.plannedOn.localeCompare(b.plannedOn) || a.roundId - b.roundId);
	return calendarFeed(events, { stamp: now, name: lang === 'nl' ? 'Straatrondes' : 'Street rounds', lang });
}
