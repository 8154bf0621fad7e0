// One street round: its route (the zones in walking order from the start and back), the contacts
// logged on it by zone, and for coordinators the underserved zones to choose from and the save.
// Workers see the rounds they walk, read-only; any other round is a 404 to them.
import { error, fail } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { fieldProblem, UserInputError } from '$lib/domain/errors';
import { todayInBrussels } from '$lib/server/clock';
import { areaAttribution, readConfig } from '$lib/server/config';
import { requireContext } from '$lib/server/context';
import { getRoundStops, linkedByZone, saveRoundRoute, setRoundBudget, startOptions, visibleRound } from '$lib/server/round-route';
import { DEFAULT_DWELL_MINUTES, MAX_DWELL_MINUTES } from '$lib/domain/round-route';
import { planningZonesWithArea } from '$lib/server/evening';
import { getRoundSettings, startPlaces } from '$lib/server/round-settings';
import { MAX_BUDGET, MIN_BUDGET, roundIsOver } from '$lib/domain/rounds';
import { roundSignals, signalsNearRound, transitionSignal } from '$lib/server/signals';
import { ApiRefusal } from '$lib/server/api';

// The failures' literal fields (`as const`) keep them apart in the page's generated ActionData:
// with plain strings TypeScript folds the budget's refusal (which adds `value`) into this one.

/** Refuses changes to a round whose day is over (the page no longer offers them). */
function refuseIfOver(round: { plannedOn: string }) {
	if (roundIsOver(round.plannedOn, todayInBrussels())) {
		return fail(409, {
			field: 'round' as const,
			code: 'roundOver' as const,
			message: 'this round is over; its route and budget are kept as they were'
		});
	}
	return null;
}

async function roundFor(locals: App.Locals, id: string) {
	const { user, org } = await requireContext(locals);
	const { sql } = await db();
	const round = await visibleRound(sql, org.orgId, user, id);
	if (!round) error(404, 'no such round');
	return { user, org, sql, round };
}

export async function load({ locals, params }) {
	const { user, org, sql, round } = await roundFor(locals, params.id);
	const today = todayInBrussels();
	// A round whose day is over keeps the route it was walked by: contacts were linked along it.
	const past = roundIsOver(round.plannedOn, today);
	const canEdit = user.role === 'coordinator' && !past;
	const [stops, linked, { zones, areas }, starts, bases, settings] = await Promise.all([
		getRoundStops(sql, org.orgId, round.roundId),
		linkedByZone(sql, org, round.roundId),
		canEdit ? planningZonesWithArea(sql, org) : Promise.resolve({ zones: [], areas: [] }),
		startOptions(sql, org.orgId),
		// team bases first, then the services: where a round may start
		canEdit ? startPlaces(sql, org.orgId) : Promise.resolve([]),
		getRoundSettings(sql, org.orgId)
	]);
	// the round's signals, and (for a coordinator) those in or near its zones to add to it
	const [onRound, near] = await Promise.all([
		roundSignals(sql, org, user, [round.roundId], today),
		canEdit
			? signalsNearRound(
					sql,
					org,
					user,
					round.roundId,
					stops.map((s) => s.cell),
					today
				)
			: Promise.resolve([])
	]);
	return {
		signals: onRound.get(round.roundId) ?? [],
		nearSignals: near,
		round,
		stops,
		linked: Object.fromEntries(linked),
		zones,
		areas,
		settings,
		starts: canEdit ? bases : [],
		// the service locations tell apart stops of one district (domain/stop-names), for everyone
		landmarks: starts.map((s) => ({ name: s.label, cell: s.cell })),
		canEdit,
		past,
		isCoordinator: user.role === 'coordinator',
		planningRes: org.planningRes,
		// the header's day leaves out this year; the map draws on the organisation's area
		today,
		map: { bbox: org.bbox, basemapStyle: readConfig().basemapStyle, attribution: areaAttribution(org) },
		defaultDwell: DEFAULT_DWELL_MINUTES,
		maxDwell: MAX_DWELL_MINUTES,
		minBudget: MIN_BUDGET,
		maxBudget: MAX_BUDGET
	};
}

export const actions = {
	// "Voeg toe aan ronde": a signal in or near the round's zones is assigned to the round
	addSignal: async ({ request, locals, params }) => {
		const { user, org, sql, round } = await roundFor(locals, params.id);
		const over = refuseIfOver(round);
		if (over) return over;
		const id = Number((await request.formData()).get('signalId'));
		if (!Number.isInteger(id) || id <= 0 || id > 2147483647) error(404, 'no such signal');
		try {
			await transitionSignal(sql, org, user, id, { action: 'assign', roundId: round.roundId }, todayInBrussels());
		} catch (e) {
			if (e instanceof ApiRefusal) error(e.status, e.info.message);
			throw e;
		}
		return { signalAdded: id };
	},
	save: async ({ request, locals, params }) => {
		const { user, org, sql, round } = await roundFor(locals, params.id);
		if (user.role !== 'coordinator') error(403, 'only coordinators plan routes');
		const over = refuseIfOver(round);
		if (over) return over;
		const f = await request.formData();
		let input: unknown;
		try {
			// the travel mode and candidate limit come along (RoundOptions), saved with the route
			input = { ...JSON.parse(String(f.get('route') ?? '')), ...(f.has('options') ? JSON.parse(String(f.get('options'))) : {}) };
		} catch {
			return fail(400, { field: 'route', code: 'routeInvalid', message: 'the route is not valid JSON' });
		}
		try {
			const saved = await saveRoundRoute(sql, org, user.userId, round.roundId, input);
			return { saved: true, stops: saved.stops.length, minutes: Math.round(saved.totalMinutes) };
		} catch (e) {
			if (e instanceof UserInputError) return fail(400, fieldProblem(e));
			throw e;
		}
	},

	budget: async ({ request, locals, params }) => {
		const { user, org, sql, round } = await roundFor(locals, params.id);
		if (user.role !== 'coordinator') error(403, 'only coordinators change a round');
		const over = refuseIfOver(round);
		if (over) return over;
		const raw = String((await request.formData()).get('budgetMinutes') ?? '').trim();
		// "90,5" or "" are not whole minutes
		const minutes = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
		const refuse = (code: 'budgetRange' | 'budgetBelowRoute', message: string) =>
			fail(400, { field: 'budgetMinutes' as const, code, message, value: raw });
		if (!(minutes >= MIN_BUDGET && minutes <= MAX_BUDGET))
			return refuse('budgetRange', `a whole number of minutes from ${MIN_BUDGET} to ${MAX_BUDGET}`);
		try {
			await setRoundBudget(sql, org, user.userId, round.roundId, minutes);
			return { budgetSaved: true, minutes };
		} catch (e) {
			// in range, so what is left is a budget below the saved route
			if (e instanceof UserInputError && e.field === 'budgetMinutes') return refuse('budgetBelowRoute', e.message);
			throw e;
		}
	}
};
