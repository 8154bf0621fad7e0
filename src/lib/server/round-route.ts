// A street round's route in the database: the zones it visits in order, its start, and the
// candidates a coordinator chooses from (underserved zones within reach). Saving recomputes every
// leg from the cells (domain/round-route), so the stored minutes never depend on the browser.
import { z } from 'zod';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { transaction, type Sql } from './db';
import { audit } from './audit';
import { districtLayer } from './area-layers';
import { UserInputError } from '../domain/errors';
import { todayInBrussels } from './clock';
import { roundColumns, roundSummary } from './rounds';
import type { Organisation } from './organisations';
import { underservedZones } from './queries/underserved';
import { cellCentre, cellToBigInt, isCell } from '../domain/cells';
import type { Landmark } from '../domain/stop-names';
import { addDays } from '../domain/calendar';
import type { Reason } from '../domain/analysis/underserved';
import { MAX_DWELL_MINUTES, MAX_STOPS, MIN_CANDIDATE_SCORE, routeOf, type Route } from '../domain/round-route';
import { MAX_BUDGET, MIN_BUDGET, DB_ID, type RoundSummary } from '../domain/rounds';
import { paceOf, TRAVEL_MODES, type Pace, type TravelMode } from '../domain/travel';
import { limitColumns, limitOf, type CandidateLimit } from '../domain/candidate-limits';
import { limitSchema } from '../domain/evening';
import { getRoundSettings, startLabelAt } from './round-settings';

export interface RoundDetail extends RoundSummary {
	startCell: string | null;
	startLabel: string | null;
	travelMode: TravelMode;
	/** Which zones the round chooses from (a visible choice, kept per round). */
	limit: CandidateLimit;
}

export interface SavedStop {
	cell: string;
	dwellMinutes: number;
	walkMinutes: number;
	score: number | null;
	reasons: Reason[];
}

export interface CandidateZone {
	cell: string;
	score: number;
	reasons: Reason[];
}

/** The round, or null when it is not one of this organisation's. */
export async function getRound(sql: Sql, orgId: number, roundId: number): Promise<RoundDetail | null> {
	const [r] = await sql`
		select ${roundColumns(sql)}, to_hex(r.start_cell) as start_cell, r.start_label, r.travel_mode, r.limit_areas, r.limit_radius_m
		from street_round r where r.org_id = ${orgId} and r.round_id = ${roundId}`;
	if (!r) return null;
	return {
		...roundSummary(r),
		startCell: (r.start_cell as string | null) ?? null,
		startLabel: (r.start_label as string | null) ?? null,
		travelMode: r.travel_mode as TravelMode,
		limit: limitOf((r.limit_areas as string[] | null) ?? null, (r.limit_radius_m as number | null) ?? null)
	};
}

/**
 * The round as `user` may see it: any of the organisation's for a coordinator, only the rounds
 * they walk for a worker; null otherwise (or when `id` is no round id).
 */
export async function visibleRound(sql: Sql, orgId: number, user: { userId: number; role: string }, id: string): Promise<RoundDetail | null> {
	if (!DB_ID.test(id)) return null;
	const round = await getRound(sql, orgId, Number(id));
	if (!round) return null;
	return user.role === 'coordinator' || round.workers.some((w) => w.userId === user.userId) ? round : null;
}

export async function getRoundStops(sql: Sql, orgId: number, roundId: number): Promise<SavedStop[]> {
	const rows = await sql`
		select to_hex(cell) as cell, dwell_minutes, walk_minutes, score, reasons
		from street_round_stop where org_id = ${orgId} and round_id = ${roundId} order by seq`;
	return rows.map((r) => ({
		cell: r.cell as string,
		dwellMinutes: r.dwell_minutes as number,
		walkMinutes: r.walk_minutes as number,
		score: (r.score as number | null) ?? null,
		reasons: (typeof r.reasons === 'string' ? JSON.parse(r.reasons) : r.reasons) as Reason[]
	}));
}

/** Where a round may start: the organisation's service locations (public places). */
export async function startOptions(sql: Sql, orgId: number): Promise<{ cell: string; label: string }[]> {
	const rows = await sql`
		select to_hex(cell) as cell, name from service_location where org_id = ${orgId} order by name, service_id`;
	return rows.map((r) => ({ cell: r.cell as string, label: r.name as string }));
}

/**
 * What names a round's stops on the server as the page names them (domain/stop-names): the
 * district a cell's centre lies in, and the service locations as landmarks.
 */
export async function stopNaming(sql: Sql, orgId: number): Promise<{ areaOf: (cell: string) => string | null; landmarks: Landmark[] }> {
	const [districts, starts] = await Promise.all([
		districtLayer(sql, orgId).then((layer) => sql`select name, geometry from area where org_id = ${orgId} and layer = ${layer} order by code`),
		startOptions(sql, orgId)
	]);
	const areas = districts.map((d) => ({ name: d.name as string, geometry: d.geometry as Polygon | MultiPolygon | null }));
	const areaOf = (cell: string) => {
		const { lat, lng } = cellCentre(cell);
		return areas.find((a) => a.geometry && booleanPointInPolygon([lng, lat], a.geometry))?.name ?? null;
	};
	return { areaOf, landmarks: starts.map((s) => ({ name: s.label, cell: s.cell })) };
}

/** Zones proposed to a coordinator at most (best first); the page filters them by reach. */
export const MAX_PLANNING_ZONES = 300;

/**
 * The underserved zones a round may visit (planning resolution, last 12 months, all teams), best
 * first; the page keeps those within reach of the chosen start (candidatesNear).
 */
export async function planningZones(sql: Sql, org: Organisation, limit = MAX_PLANNING_ZONES): Promise<CandidateZone[]> {
	const to = todayInBrussels();
	const scored = await underservedZones(sql, org.orgId, {
		res: org.planningRes,
		from: addDays(to, -364),
		to,
		types: null,
		groups: null,
		teams: null
	});
	return scored.zones
		.filter((z) => z.score >= MIN_CANDIDATE_SCORE)
		.slice(0, limit)
		.map(({ cell, score, reasons }) => ({ cell, score, reasons }));
}

/** Contacts linked to the round, by zone (cells at the planning resolution). */
export async function linkedByZone(sql: Sql, org: Organisation, roundId: number): Promise<Map<string, number>> {
	const rows = await sql`
		select to_hex(h3_parent(cell, ${org.planningRes})) as cell, count(*)::int as n
		from contact_moment where org_id = ${org.orgId} and round_id = ${roundId} group by 1`;
	return new Map(rows.map((r) => [r.cell as string, r.n as number]));
}

const hexCell = z.string().regex(/^[0-9a-f]{15}$/);
// Only the zones, their order and minutes come from the browser; the start's name and each zone's
// score and reasons are the server's own (anything else sent along is dropped).
const routeSchema = z.object({
	start: z.object({ cell: hexCell }).nullable(),
	stops: z.array(z.object({ cell: hexCell, dwellMinutes: z.number().int().min(0).max(MAX_DWELL_MINUTES) })).max(MAX_STOPS),
	// saved with the route when sent (the round page sends both): the round is timed at this pace
	travelMode: z.enum(TRAVEL_MODES).optional(),
	limit: limitSchema.optional()
});

/** A zone's score and reasons as saved with a stop (null: not scored). */
export interface StopScore {
	score: number | null;
	reasons: Reason[];
}

/**
 * The round, locked for this transaction: a route and a budget saved at the same moment are
 * checked one after the other, never each against the other's old value.
 */
async function lockRound(tx: Sql, orgId: number, roundId: number): Promise<{ budgetMinutes: number; startCell: string | null; pace: Pace }> {
	const [r] = await tx`
		select budget_minutes, to_hex(start_cell) as start_cell, travel_mode from street_round
		where org_id = ${orgId} and round_id = ${roundId} for update`;
	if (!r) throw new UserInputError('roundUnknown', 'roundId', 'no such round');
	// a cycled round is timed at the organisation's cycling pace (domain/travel)
	const pace = paceOf(r.travel_mode as TravelMode, await getRoundSettings(tx, orgId));
	return { budgetMinutes: r.budget_minutes as number, startCell: (r.start_cell as string | null) ?? null, pace };
}

/**
 * Replaces the round's route. Refuses (UserInputError naming the field) zones that are not cells
 * at the planning resolution, a zone twice, a start that is no service location of the
 * organisation, and a route longer than the round's budget. Returns the route as saved.
 */
export async function saveRoundRoute(
	sql: Sql,
	org: Organisation,
	by: number,
	roundId: number,
	input: unknown,
	/** Each zone's score now (default: computed here); null keeps none (the demo's past rounds). */
	scores?: ReadonlyMap<string, StopScore> | null
): Promise<Route> {
	const parsed = routeSchema.safeParse(input);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new UserInputError('routeInvalid', issue.path.join('.') || 'route', issue.message);
	}
	const { start, stops, travelMode, limit } = parsed.data;
	stops.forEach((s, i) => {
		if (!isCell(s.cell, org.planningRes))
			throw new UserInputError('stopNotZone', `stops.${i}.cell`, `not a zone at the planning resolution ${org.planningRes}`, {
				res: org.planningRes
			});
	});
	if (new Set(stops.map((s) => s.cell)).size !== stops.length) throw new UserInputError('stopTwice', 'stops', 'a zone is in the route twice');
	let startLabel: string | null = null;
	if (start) {
		startLabel = await startLabelAt(sql, org.orgId, start.cell);
		if (startLabel === null) throw new UserInputError('startUnknown', 'start', 'the start is no team base or service location of this organisation');
	}
	const scored = scores === undefined ? new Map((await planningZones(sql, org, Infinity)).map((z) => [z.cell, z])) : scores;
	const scoreOf = (cell: string): StopScore => scored?.get(cell) ?? { score: null, reasons: [] };
	let route = routeOf(start?.cell ?? stops[0]?.cell ?? '', stops);
	await transaction(sql, async (tx) => {
		const round = await lockRound(tx, org.orgId, roundId);
		const pace = travelMode ? paceOf(travelMode, await getRoundSettings(tx, org.orgId)) : round.pace;
		route = routeOf(start?.cell ?? stops[0]?.cell ?? '', stops, pace);
		if (route.totalMinutes > round.budgetMinutes) {
			throw new UserInputError(
				'routeOverBudget',
				'stops',
				`the route takes ${Math.ceil(route.totalMinutes)} minutes, over the round's budget of ${round.budgetMinutes}`,
				{
					minutes: Math.ceil(route.totalMinutes),
					budget: round.budgetMinutes
				}
			);
		}
		await tx`
			update street_round set start_cell = ${start ? cellToBigInt(start.cell).toString() : null}, start_label = ${startLabel}
			where org_id = ${org.orgId} and round_id = ${roundId}`;
		if (travelMode) await tx`update street_round set travel_mode = ${travelMode} where org_id = ${org.orgId} and round_id = ${roundId}`;
		if (limit) {
			const cols = limitColumns(limit);
			await tx`
				update street_round set limit_areas = ${cols.areas}::text[], limit_radius_m = ${cols.radiusM}
				where org_id = ${org.orgId} and round_id = ${roundId}`;
		}
		await tx`delete from street_round_stop where org_id = ${org.orgId} and round_id = ${roundId}`;
		if (stops.length) {
			await tx`
				insert into street_round_stop (org_id, round_id, seq, cell, dwell_minutes, walk_minutes, score, reasons)
				select ${org.orgId}, ${roundId}, seq, cell, dwell, walk, score, reasons::jsonb from unnest(
					${stops.map((_, i) => i + 1)}::smallint[],
					${stops.map((s) => cellToBigInt(s.cell).toString())}::bigint[],
					${stops.map((s) => s.dwellMinutes)}::smallint[],
					${route.stops.map((s) => s.walkMinutes)}::real[],
					${stops.map((s) => scoreOf(s.cell).score)}::smallint[],
					${stops.map((s) => JSON.stringify(scoreOf(s.cell).reasons))}::text[]
				) as u(seq, cell, dwell, walk, score, reasons)`;
		}
		await audit(tx, {
			orgId: org.orgId,
			userId: by,
			action: 'round.route',
			detail: { roundId, stops: stops.length, minutes: Math.round(route.totalMinutes) }
		});
	});
	return route;
}

/**
 * Changes a round's time budget. Refused (UserInputError on budgetMinutes) outside
 * MIN_BUDGET..MAX_BUDGET, and below the time its saved route takes (remove zones first).
 */
export async function setRoundBudget(sql: Sql, org: Organisation, by: number, roundId: number, minutes: number): Promise<void> {
	if (!Number.isInteger(minutes) || minutes < MIN_BUDGET || minutes > MAX_BUDGET) {
		throw new UserInputError('budgetRange', 'budgetMinutes', `a whole number of minutes from ${MIN_BUDGET} to ${MAX_BUDGET}`, {
			min: MIN_BUDGET,
			max: MAX_BUDGET
		});
	}
	await transaction(sql, async (tx) => {
		const round = await lockRound(tx, org.orgId, roundId);
		const stops = await getRoundStops(tx, org.orgId, roundId);
		const route = routeOf(round.startCell ?? stops[0]?.cell ?? '', stops, round.pace);
		if (route.totalMinutes > minutes) {
			throw new UserInputError(
				'budgetBelowRoute',
				'budgetMinutes',
				`the saved route takes ${Math.ceil(route.totalMinutes)} minutes; remove zones first`,
				{
					minutes: Math.ceil(route.totalMinutes)
				}
			);
		}
		await tx`update street_round set budget_minutes = ${minutes} where org_id = ${org.orgId} and round_id = ${roundId}`;
		await audit(tx, { orgId: org.orgId, userId: by, action: 'round.budget', detail: { roundId, minutes } });
	});
}
