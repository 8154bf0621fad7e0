// An evening of several duos in the database: the rounds of one date with their travel mode,
// candidate limit, start and stops, read for /rounds/evening/[date] and saved together in ONE
// transaction. The server checks everything again: the date (not past), each round against its
// budget at its own pace, a worker in two duos (refused, naming the worker), the starts, the zones.
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { transaction, type Sql } from './db';
import { audit } from './audit';
import { UserInputError } from '../domain/errors';
import { roundColumns, roundSummary } from './rounds';
import type { Organisation } from './organisations';
import { planningZones, type CandidateZone } from './round-route';
import { getRoundSettings, startLabelAt } from './round-settings';
import { cellCentre, cellToBigInt, isCell } from '../domain/cells';
import { limitColumns, limitOf, type CandidateLimit } from '../domain/candidate-limits';
import { districtLayer } from './area-layers';
import { z } from 'zod';
import { duoRoute, eveningRoundSchema, eveningSchema, sharedWorker, type EveningInput } from '../domain/evening';
import { roundIsOver, type RoundSummary } from '../domain/rounds';
import type { TravelMode } from '../domain/travel';

/** A planning area (district layer): its code and name, for the limit's choice. */
export interface PlanningArea {
	code: string;
	name: string;
}

/** The planning areas and a function giving the code of the area a cell's centre lies in. */
export async function planningAreas(sql: Sql, orgId: number): Promise<{ areas: PlanningArea[]; areaOf: (cell: string) => string | null }> {
	// the organisation's own district layer (settings/areas)
	const layer = await districtLayer(sql, orgId);
	const rows =
		layer === null ? [] : await sql`select code, name, geometry from area where org_id = ${orgId} and layer = ${layer} order by name, code`;
	const shapes = rows.map((r) => ({ code: r.code as string, geometry: r.geometry as Polygon | MultiPolygon | null }));
	const areaOf = (cell: string) => {
		const { lat, lng } = cellCentre(cell);
		return shapes.find((a) => a.geometry && booleanPointInPolygon([lng, lat], a.geometry))?.code ?? null;
	};
	return { areas: rows.map((r) => ({ code: r.code as string, name: r.name as string })), areaOf };
}

export interface AreaCandidate extends CandidateZone {
	area: string | null;
}

/** The underserved zones to plan with, each with its planning area. */
export async function planningZonesWithArea(sql: Sql, org: Organisation): Promise<{ zones: AreaCandidate[]; areas: PlanningArea[] }> {
	const [zones, { areas, areaOf }] = await Promise.all([planningZones(sql, org), planningAreas(sql, org.orgId)]);
	return { zones: zones.map((z) => ({ ...z, area: areaOf(z.cell) })), areas };
}

export interface EveningRound extends RoundSummary {
	travelMode: TravelMode;
	limit: CandidateLimit;
	startCell: string | null;
	startLabel: string | null;
	stops: { cell: string; dwellMinutes: number }[];
}

/** The rounds planned on `date`, oldest first, each with its route. */
export async function eveningRounds(sql: Sql, orgId: number, date: string): Promise<EveningRound[]> {
	const rows = await sql`
		select ${roundColumns(sql)}, r.travel_mode, r.limit_areas, r.limit_radius_m, to_hex(r.start_cell) as start_cell, r.start_label,
			(select coalesce(json_agg(json_build_object('cell', to_hex(s.cell), 'dwellMinutes', s.dwell_minutes) order by s.seq), '[]')
				from street_round_stop s where s.org_id = r.org_id and s.round_id = r.round_id) as stops
		from street_round r where r.org_id = ${orgId} and r.planned_on = ${date}
		order by r.round_id`;
	return rows.map((r) => ({
		...roundSummary(r),
		travelMode: r.travel_mode as TravelMode,
		limit: limitOf((r.limit_areas as string[] | null) ?? null, (r.limit_radius_m as number | null) ?? null),
		startCell: (r.start_cell as string | null) ?? null,
		startLabel: (r.start_label as string | null) ?? null,
		stops: (typeof r.stops === 'string' ? JSON.parse(r.stops) : r.stops) as EveningRound['stops']
	}));
}

/** Refusals a stale page gets as 409 (the round's day is over, or a route is over its budget). */
export const EVENING_CONFLICTS: ReadonlySet<string> = new Set(['roundOver', 'routeOverBudget']);

/**
 * Saves the evening's rounds (new ones created, existing ones of that date replaced: title, team,
 * budget, travel mode, limit, start, workers and route) in one transaction; nothing is saved when
 * one round is refused. Returns the rounds' ids in the order given.
 */
export async function saveEvening(sql: Sql, org: Organisation, by: number, input: unknown, today: string): Promise<number[]> {
	const parsed = eveningSchema.safeParse(input);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new UserInputError('eveningInvalid', issue.path.join('.') || 'evening', issue.message);
	}
	return saveRounds(sql, org, by, parsed.data, today);
}

/**
 * Saves one proposed round of the week (accepted as it is): the same checks as an evening, against
 * the other rounds of its date. Returns its id.
 */
export async function saveProposedRound(sql: Sql, org: Organisation, by: number, input: unknown, today: string): Promise<number> {
	const parsed = z.object({ plannedOn: z.iso.date(), round: eveningRoundSchema.extend({ roundId: z.null() }) }).safeParse(input);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new UserInputError('eveningInvalid', issue.path.join('.') || 'round', issue.message);
	}
	const [id] = await saveRounds(sql, org, by, { plannedOn: parsed.data.plannedOn, rounds: [parsed.data.round] }, today);
	return id!;
}

async function saveRounds(sql: Sql, org: Organisation, by: number, evening: EveningInput, today: string): Promise<number[]> {
	const { plannedOn, rounds } = evening;
	if (roundIsOver(plannedOn, today)) throw new UserInputError('roundOver', 'plannedOn', `the evening of ${plannedOn} is over`);
	const settings = await getRoundSettings(sql, org.orgId);

	// Rounds of that date not on the page still count for the workers.
	const others = (await eveningRounds(sql, org.orgId, plannedOn)).filter((r) => !rounds.some((x) => x.roundId === r.roundId));
	const clash = sharedWorker([...rounds, ...others.map((o) => ({ workerIds: o.workers.map((w) => w.userId) }))]);
	if (clash) {
		const [u] = await sql`select display_name from app_user where org_id = ${org.orgId} and user_id = ${clash.userId}`;
		const worker = (u?.display_name as string | undefined) ?? String(clash.userId);
		const second = clash.rounds[1] < rounds.length ? clash.rounds[1] : clash.rounds[0];
		throw new UserInputError('eveningSharedWorker', `rounds.${second}.workerIds`, `${worker} is in two duos of this evening`, {
			worker,
			first: clash.rounds[0] + 1,
			second: clash.rounds[1] + 1
		});
	}
	const workerIds = [...new Set(rounds.flatMap((r) => r.workerIds))];
	const known = await sql`
		select user_id from app_user where org_id = ${org.orgId} and active and role in ('worker', 'coordinator') and user_id in ${sql(workerIds)}`;
	if (known.length !== workerIds.length)
		throw new UserInputError('roundWorkersInvalid', 'workerIds', 'every worker must be an active worker of this organisation');
	const allCells = rounds.flatMap((r) => r.stops.map((s) => s.cell));
	if (new Set(allCells).size !== allCells.length) throw new UserInputError('stopTwice', 'stops', 'a zone is in the evening twice');
	for (const [i, r] of rounds.entries()) {
		for (const [j, s] of r.stops.entries())
			if (!isCell(s.cell, org.planningRes))
				throw new UserInputError('stopNotZone', `rounds.${i}.stops.${j}.cell`, `not a zone at the planning resolution ${org.planningRes}`, {
					res: org.planningRes
				});
		if (r.teamId !== null) {
			const [team] = await sql`select 1 from team where org_id = ${org.orgId} and team_id = ${r.teamId}`;
			if (!team) throw new UserInputError('roundTeamInvalid', `rounds.${i}.teamId`, `no team ${r.teamId}`);
		}
	}
	const labels = await Promise.all(rounds.map((r) => (r.start ? startLabelAt(sql, org.orgId, r.start.cell) : Promise.resolve(null))));
	labels.forEach((label, i) => {
		if (rounds[i]!.start && label === null)
			throw new UserInputError('startUnknown', `rounds.${i}.start`, 'the start is no team base or service location');
	});
	const scored = new Map((await planningZones(sql, org, Infinity)).map((z) => [z.cell, z]));

	return transaction(sql, async (tx) => {
		const ids: number[] = [];
		for (const [i, r] of rounds.entries()) {
			const route = duoRoute({ start: r.start?.cell ?? null, stops: r.stops, travelMode: r.travelMode }, settings);
			if (route.totalMinutes > r.budgetMinutes) {
				throw new UserInputError(
					'routeOverBudget',
					`rounds.${i}.stops`,
					`round ${i + 1} takes ${Math.ceil(route.totalMinutes)} minutes, over its budget of ${r.budgetMinutes}`,
					{ minutes: Math.ceil(route.totalMinutes), budget: r.budgetMinutes, round: i + 1 }
				);
			}
			const limit = limitColumns(r.limit);
			const start = r.start ? cellToBigInt(r.start.cell).toString() : null;
			let roundId: number;
			if (r.roundId !== null) {
				const [row] = await tx`
					update street_round set title = ${r.title}, team_id = ${r.teamId}, budget_minutes = ${r.budgetMinutes},
						travel_mode = ${r.travelMode}, limit_areas = ${limit.areas}::text[], limit_radius_m = ${limit.radiusM},
						start_cell = ${start}, start_label = ${labels[i]!}
					where org_id = ${org.orgId} and round_id = ${r.roundId} and planned_on = ${plannedOn}
					returning round_id`;
				if (!row) throw new UserInputError('roundUnknown', `rounds.${i}.roundId`, `no round ${r.roundId} on ${plannedOn}`);
				roundId = r.roundId;
				await tx`delete from street_round_worker where org_id = ${org.orgId} and round_id = ${roundId}`;
				await tx`delete from street_round_stop where org_id = ${org.orgId} and round_id = ${roundId}`;
			} else {
				const [row] = await tx`
					insert into street_round (org_id, planned_on, title, team_id, budget_minutes, created_by, travel_mode, limit_areas, limit_radius_m, start_cell, start_label)
					values (${org.orgId}, ${plannedOn}, ${r.title}, ${r.teamId}, ${r.budgetMinutes}, ${by}, ${r.travelMode},
						${limit.areas}::text[], ${limit.radiusM}, ${start}, ${labels[i]!})
					returning round_id`;
				roundId = row!.round_id as number;
				await audit(tx, { orgId: org.orgId, userId: by, action: 'round.plan', detail: { roundId, workerIds: r.workerIds, evening: plannedOn } });
			}
			await tx`
				insert into street_round_worker (org_id, round_id, user_id)
				select ${org.orgId}, ${roundId}, unnest(${r.workerIds}::int[])`;
			if (r.stops.length) {
				const score = (cell: string) => scored.get(cell);
				await tx`
					insert into street_round_stop (org_id, round_id, seq, cell, dwell_minutes, walk_minutes, score, reasons)
					select ${org.orgId}, ${roundId}, seq, cell, dwell, walk, score, reasons::jsonb from unnest(
						${r.stops.map((_, k) => k + 1)}::smallint[],
						${r.stops.map((s) => cellToBigInt(s.cell).toString())}::bigint[],
						${r.stops.map((s) => s.dwellMinutes)}::smallint[],
						${route.stops.map((s) => s.walkMinutes)}::real[],
						${r.stops.map((s) => score(s.cell)?.score ?? null)}::smallint[],
						${r.stops.map((s) => JSON.stringify(score(s.cell)?.reasons ?? []))}::text[]
					) as u(seq, cell, dwell, walk, score, reasons)`;
			}
			await audit(tx, {
				orgId: org.orgId,
				userId: by,
				action: 'round.route',
				detail: { roundId, stops: r.stops.length, minutes: Math.round(route.totalMinutes), travelMode: r.travelMode, evening: plannedOn }
			});
			ids.push(roundId);
		}
		return ids;
	});
}

/** Refusals of removing a round of an evening that a stale page gets as 409. */
export const REMOVE_CONFLICTS: ReadonlySet<string> = new Set(['roundOver', 'roundHasContacts']);

/**
 * Removes a saved round of the evening of `date` (its workers and route with it), in one
 * transaction, audited as round.remove. Refused: a round not of that date ('roundUnknown'), an
 * evening that is over ('roundOver'), and a round with contacts linked to it ('roundHasContacts',
 * naming how many): the list of rounds would keep those contacts but drop their link, so here the
 * coordinator unlinks or keeps them knowingly instead. Signals assigned to it go back unassigned.
 */
export async function removeEveningRound(sql: Sql, org: Organisation, by: number, date: string, roundId: number, today: string): Promise<void> {
	if (roundIsOver(date, today)) throw new UserInputError('roundOver', 'plannedOn', `the evening of ${date} is over`);
	await transaction(sql, async (tx) => {
		const [round] = await tx`
			select round_id from street_round where org_id = ${org.orgId} and round_id = ${roundId} and planned_on = ${date} for update`;
		if (!round) throw new UserInputError('roundUnknown', 'roundId', `no round ${roundId} on ${date}`);
		const [{ n }] = (await tx`
			select count(*)::int as n from contact_moment where org_id = ${org.orgId} and round_id = ${roundId}`) as unknown as [{ n: number }];
		if (n > 0) throw new UserInputError('roundHasContacts', 'roundId', `${n} contacts are linked to round ${roundId}; it is kept`, { n });
		const [{ stops }] = (await tx`
			select count(*)::int as stops from street_round_stop where org_id = ${org.orgId} and round_id = ${roundId}`) as unknown as [{ stops: number }];
		await tx`delete from street_round where org_id = ${org.orgId} and round_id = ${roundId}`;
		await audit(tx, { orgId: org.orgId, userId: by, action: 'round.remove', detail: { roundId, evening: date, stops } });
	});
}
