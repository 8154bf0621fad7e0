// Signals ("signalen"): what partners, citizens and workers report about a place. Coordinators
// and workers record them and work them as an inbox (assign, visit, handle, close); analysts have
// no access (ROUTE_ACCESS). A place is a cell picked on the map (snapped in the browser) or typed
// coordinates snapped here; the point itself is never stored. The list reads the same filters
// and server code as GET /api/signals.
import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { areaAttribution, readConfig } from '$lib/server/config';
import { requireContext } from '$lib/server/context';
import { getOrgArea } from '$lib/server/organisations';
import { createSignal, signalsVocabulary } from '$lib/server/imports/signals';
import { listInbox, signalAreas, transitionSignal } from '$lib/server/signals';
import { ApiRefusal, issueError } from '$lib/server/api';
import { listUsers } from '$lib/server/auth/users';
import { listRounds } from '$lib/server/rounds';
import { todayInBrussels } from '$lib/server/clock';
import { personalDataIn, validateSignalForm } from '$lib/domain/import/signals';
import { UserInputError } from '$lib/domain/errors';
import { addDays } from '$lib/domain/calendar';
import { signalTransitionBody } from '$lib/domain/signals';
import { signalListQuery } from '$lib/api/signals';

/** A round may be given signals from today up to two weeks ahead. */
const ASSIGN_DAYS_AHEAD = 14;

const text = (f: FormData, name: string) => String(f.get(name) ?? '');

export async function load({ locals, url }) {
	const { user, org } = await requireContext(locals);
	const { sql } = await db();
	const now = new Date();
	const today = todayInBrussels(now);
	// a malformed filter in the URL is named on the page, and the list shows unfiltered
	// (the filter form sends its empty choices as empty parameters: those mean "all")
	const parsed = signalListQuery.safeParse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== '')));
	const query = parsed.success ? parsed.data : {};
	const filterProblem = parsed.success ? null : issueError(parsed.error.issues).field;
	const coordinator = user.role === 'coordinator';
	const [{ targetGroups }, list, areas, sources, rounds, users] = await Promise.all([
		signalsVocabulary(sql, org.orgId),
		listInbox(sql, org, user, query, now, today),
		signalAreas(sql, org),
		sql`select distinct source from signal where org_id = ${org.orgId} order by source`,
		coordinator ? listRounds(sql, org.orgId, { from: today, to: addDays(today, ASSIGN_DAYS_AHEAD) }) : Promise.resolve([]),
		coordinator ? listUsers(sql, org.orgId) : Promise.resolve([])
	]);
	return {
		list,
		query,
		filterProblem,
		areas,
		sources: sources.map((r) => r.source as string),
		// soonest first
		rounds: rounds.reverse().map((r) => ({ roundId: r.roundId, plannedOn: r.plannedOn, title: r.title, workers: r.workers.map((w) => w.name) })),
		workers: users.filter((u) => u.active && u.role !== 'analyst').map((u) => ({ userId: u.userId, name: u.name })),
		role: user.role,
		targetGroups,
		storageRes: org.storageRes,
		bbox: org.bbox,
		basemapStyle: readConfig().basemapStyle,
		attribution: areaAttribution(org)
	};
}

export const actions = {
	create: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		const values = {
			cell: text(f, 'cell'),
			lat: text(f, 'lat'),
			lng: text(f, 'lng'),
			reportedAt: text(f, 'reportedAt'),
			reporterKind: text(f, 'reporterKind'),
			description: text(f, 'description'),
			targetGroups: f.getAll('targetGroups').map(String)
		};
		const { sql } = await db();
		const { targetGroups } = await signalsVocabulary(sql, org.orgId);
		const r = validateSignalForm(values, { area: await getOrgArea(sql, org), resolution: org.storageRes, targetGroups, now: new Date() });
		if (!r.ok) return fail(400, { action: 'create' as const, field: r.field, code: r.code, message: r.message, values });
		// An e-mail address or phone number in the text identifies someone: refuse it here (an import
		// only warns, since the file is someone else's).
		const personal = personalDataIn(r.value.description);
		if (personal)
			return fail(400, {
				action: 'create' as const,
				field: 'description',
				code: 'personalData',
				message: `the description seems to contain ${personal.en}`,
				values
			});
		const id = await createSignal(sql, org.orgId, user.userId, r.value);
		return { action: 'create' as const, id };
	},

	// One step of a signal's life cycle, as POST /api/signals/<id>/transition takes it; workers
	// visit and handle their own signals (the history and the audit log keep who did it).
	transition: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		const id = Number(text(f, 'id'));
		// assign: one select of rounds ("r12") and workers ("u7"); API clients send roundId or userId
		const target = /^([ru])(\d{1,10})$/.exec(text(f, 'target'));
		const optionalId = (name: string, prefix: string) => (target?.[1] === prefix ? Number(target[2]) : text(f, name) ? Number(text(f, name)) : null);
		const refused = (status: number, field: string, code: string, message: string) =>
			fail(status, { action: 'transition' as const, id, field, code, message });
		if (!Number.isInteger(id) || id <= 0 || id > 2147483647) return refused(404, 'id', 'unknownSignal', 'no such signal');
		const step = signalTransitionBody.safeParse({
			action: text(f, 'action'),
			note: text(f, 'note') || undefined,
			userId: optionalId('userId', 'u'),
			roundId: optionalId('roundId', 'r')
		});
		if (!step.success) {
			const e = issueError(step.error.issues);
			return refused(400, e.field, e.field === 'roundId' ? 'signalAssignTarget' : e.code, e.message);
		}
		const { sql } = await db();
		try {
			const status = await transitionSignal(sql, org, user, id, step.data, todayInBrussels());
			return { action: 'transition' as const, id, status };
		} catch (e) {
			if (e instanceof ApiRefusal) return refused(e.status, e.info.param ?? 'id', e.info.code, e.info.message);
			if (e instanceof UserInputError) return refused(400, e.field, e.code, e.message);
			throw e;
		}
	}
};
