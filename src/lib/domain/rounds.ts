// Street rounds (straatrondes): the rules that need no database, shared by the coordinator's form
// and the quick log. A round is a date, a title, a time budget and a duo (2–3 workers).
import { z } from 'zod';
import { addDays } from './calendar';

/** A database id (a round, a user) as a form or a URL sends it (an integer column: at most nine digits is always in range). */
export const DB_ID = /^[1-9]\d{0,8}$/;

export const MIN_WORKERS = 2;
export const MAX_WORKERS = 3;
export const MAX_TITLE = 120;
export const MIN_BUDGET = 15;
export const MAX_BUDGET = 600;

export const roundSchema = z.object({
	plannedOn: z.iso.date(),
	title: z.string().trim().min(1).max(MAX_TITLE),
	teamId: z.number().int().min(1).max(32767).nullable(),
	budgetMinutes: z.number().int().min(MIN_BUDGET).max(MAX_BUDGET),
	/** When it sets off (HH:MM, Brussels time of its day); null: not set. */
	startTime: z
		.string()
		.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day, HH:MM')
		.nullable()
		.default(null),
	workerIds: z
		.array(z.number().int().min(1))
		.min(MIN_WORKERS)
		.max(MAX_WORKERS)
		.refine((ids) => new Set(ids).size === ids.length, 'each worker only once')
});

export type RoundInput = z.infer<typeof roundSchema>;

export interface RoundSummary {
	roundId: number;
	plannedOn: string;
	title: string;
	budgetMinutes: number;
	/** When it sets off (HH:MM), or null. */
	startTime: string | null;
	teamId: number | null;
	workers: { userId: number; name: string }[];
}

/**
 * The days a contact may be linked to a round planned on `plannedOn`: that day and the next (an
 * evening round runs past midnight), and the day before (a round logged in the small hours).
 */
export function roundDays(plannedOn: string): [string, string, string] {
	return [addDays(plannedOn, -1), plannedOn, addDays(plannedOn, 1)];
}

/** A round is over once its day has ended (`today` in Brussels, both YYYY-MM-DD). */
export function roundIsOver(plannedOn: string, today: string): boolean {
	return plannedOn < today;
}

/**
 * The round a new contact goes to unless the user says otherwise: the one round of `day` among
 * those offered that the user walks (`mine`), or none (0) when there are several or none. A
 * coordinator is offered every duo's rounds but never gets another duo's preselected.
 */
export function defaultRound(rounds: readonly { roundId: number; plannedOn: string; mine?: boolean }[], day: string): number {
	const todays = rounds.filter((r) => r.plannedOn === day && r.mine === true);
	return todays.length === 1 ? todays[0]!.roundId : 0;
}
