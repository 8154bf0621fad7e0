// The signal inbox against the test database, through the real guard and handlers: the life
// cycle and its history, who sees and may change what per role, the list's filters and paging,
// refusals (400 naming the parameter, 403, 404, 409), the quick log marking a signal visited,
// imports never undoing an inbox step, and the list's speed at 10,000 signals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellToParent, latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { callRoute, type Outcome } from '../helpers/route-harness';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { fillMissingAreaCells } from '../../src/lib/server/area-cells';
import { createUser } from '../../src/lib/server/auth/users';
import { createSession } from '../../src/lib/server/auth/sessions';
import { createRound } from '../../src/lib/server/rounds';
import { createZone } from '../../src/lib/server/zones';
import { upsertSignals } from '../../src/lib/server/imports/signals';
import { signalsNearRound } from '../../src/lib/server/signals';
import { getOrganisation } from '../../src/lib/server/organisations';
import { todayInBrussels } from '../../src/lib/server/clock';
import { cellToBigInt } from '../../src/lib/domain/cells';
import type { SignalList } from '../../src/lib/api/signals';

let t: TestDatabase;
let orgId: number;
const ids = { coordinator: 0, anna: 0, bram: 0, chris: 0, analyst: 0, other: 0 };
const tokens: Record<string, string> = {};
const sig = { north: 0, south: 0, southBram: 0, southHandled: 0, northHandled: 0 };
const rounds = { anna: 0, bram: 0 };

// Two districts of Ghent, north and south of 51.05
const box = (s: number, n: number) => ({
	type: 'Polygon',
	coordinates: [
		[
			[3.68, s],
			[3.78, s],
			[3.78, n],
			[3.68, n],
			[3.68, s]
		]
	]
});
const NORTH = latLngToCell(51.06, 3.72, 10);
const SOUTH = latLngToCell(51.04, 3.72, 10);
const TODAY = todayInBrussels();

async function addSignal(
	ext: string,
	cell: string,
	description: string,
	o: { status?: string; daysAgo?: number; groups?: number[]; source?: string } = {}
) {
	const [r] = await t.sql`
		insert into signal (org_id, reported_at, cell, reporter_kind, description, target_groups, status, source, external_id)
		values (${orgId}, now() - make_interval(days => ${o.daysAgo ?? 1}), ${cellToBigInt(cell).toString()}::bigint, 'partner', ${description},
			${`{${(o.groups ?? [1]).join(',')}}`}::smallint[], ${o.status ?? 'open'}, ${o.source ?? 'manual'}, ${ext})
		returning signal_id`;
	return r!.signal_id as number;
}

const list = (who: string, query = '') => callRoute(t.sql, '/api/signals', `/api/signals${query}`, { token: tokens[who] });
const listed = async (who: string, query = '') => {
	const o = await list(who, query);
	expect(o.status, JSON.stringify(o.body)).toBe(200);
	return o.body as SignalList;
};
const step = (who: string, id: number, body: Record<string, unknown>): Promise<Outcome> =>
	callRoute(t.sql, '/api/signals/[id]/transition', `/api/signals/${id}/transition`, {
		method: 'POST',
		token: tokens[who],
		params: { id: String(id) },
		raw: JSON.stringify(body),
		headers: { 'content-type': 'application/json' }
	});
const statusOf = async (id: number) => (await t.sql`select status from signal where signal_id = ${id}`)[0]!.status as string;

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	const org = await createOrganisation(t.sql, { slug: 'inbox', name: 'Inbox', bbox: [3.6, 51.0, 3.8, 51.1] });
	orgId = org.orgId;
	await t.sql`insert into area (org_id, layer, code, name, geometry) values
		(${orgId}, 'district', 'N', 'Noord', ${t.sql.json(box(51.05, 51.09))}),
		(${orgId}, 'district', 'Z', 'Zuid', ${t.sql.json(box(51.01, 51.05))})`;
	// as an import does: each area's cells stored (the inbox filters and names by them)
	await fillMissingAreaCells(t.sql, orgId);
	const user = (email: string, name: string, role: 'coordinator' | 'worker' | 'analyst', o = orgId) =>
		createUser(t.sql, { orgId: o, email, name, role, password: 'long enough password 1' });
	ids.coordinator = await user('coord@inbox.example', 'Coco', 'coordinator');
	ids.anna = await user('anna@inbox.example', 'Anna', 'worker');
	ids.bram = await user('bram@inbox.example', 'Bram', 'worker');
	ids.chris = await user('chris@inbox.example', 'Chris', 'worker');
	ids.analyst = await user('ana@inbox.example', 'Ana', 'analyst');
	const other = await createOrganisation(t.sql, { slug: 'elders', name: 'Elders', bbox: [4.3, 50.8, 4.5, 50.9] });
	ids.other = await user('coord@elders.example', 'Elders', 'coordinator', other.orgId);
	for (const [who, userId] of Object.entries(ids)) {
		tokens[who] = await createSession(t.sql, { orgId: who === 'other' ? other.orgId : orgId, userId });
	}
	// Anna walks the north district; her round tonight is with Chris; Bram walks another round with Chris
	await createZone(
		t.sql,
		orgId,
		ids.coordinator,
		{ userId: ids.anna, label: 'Noord', area: { layer: 'district', code: 'N' }, validFrom: TODAY, validTo: TODAY },
		10
	);
	const round = (title: string, workerIds: number[]) =>
		createRound(t.sql, orgId, ids.coordinator, { plannedOn: TODAY, title, teamId: null, budgetMinutes: 120, workerIds });
	rounds.anna = await round('Avond Anna', [ids.anna, ids.chris]);
	rounds.bram = await round('Avond Bram', [ids.bram, ids.chris]);

	sig.north = await addSignal('n1', NORTH, 'Tentje aan de brug', { daysAgo: 2, groups: [1, 3] });
	sig.south = await addSignal('z1', SOUTH, 'Slaapzak in portiek', { daysAgo: 20 });
	sig.southBram = await addSignal('z2', SOUTH, 'Groep jongeren bij het station', { status: 'assigned', daysAgo: 40, source: 'partner-a' });
	await t.sql`update signal set round_id = ${rounds.bram} where signal_id = ${sig.southBram}`;
	sig.southHandled = await addSignal('z3', SOUTH, 'Matras weggehaald', { status: 'handled', daysAgo: 100 });
	sig.northHandled = await addSignal('n2', NORTH, 'Oude melding in het noorden', { status: 'handled', daysAgo: 120 });
});
afterAll(() => t?.cleanup());

describe(dbTitle('signal inbox: life cycle'), () => {
	it('assigns, visits with a contact, handles, reopens and closes, keeping each step in the history and the audit log', async () => {
		const a = await step('coordinator', sig.south, { action: 'assign', roundId: rounds.anna, note: 'Vanavond langs' });
		expect(a.status, JSON.stringify(a.body)).toBe(200);
		const assigned = (a.body as { signal: SignalList['items'][number] }).signal;
		expect(assigned).toMatchObject({ status: 'assigned', round: { roundId: rounds.anna, title: 'Avond Anna', plannedOn: TODAY } });
		expect(assigned.history).toMatchObject([{ by: 'Coco', from: 'open', to: 'assigned', note: 'Vanavond langs' }]);

		// Anna logs a contact on her round and ticks the signal in the quick log
		const contact = await callRoute(t.sql, '/api/contacts', '/api/contacts', {
			method: 'POST',
			token: tokens.anna,
			raw: JSON.stringify({
				externalId: '00000000-0000-4000-8000-000000000001',
				occurredAt: new Date(Date.now() - 60_000).toISOString(),
				cell: SOUTH,
				contactType: 1,
				targetGroups: [1],
				themes: [],
				persons: 1,
				referral: false,
				roundId: rounds.anna,
				signalIds: [sig.south, sig.southBram]
			}),
			headers: { 'content-type': 'application/json' }
		});
		expect(contact.status, JSON.stringify(contact.body)).toBe(201);
		const [row] =
			await t.sql`select s.status, s.contact_id, c.external_id from signal s join contact_moment c on c.org_id = s.org_id and c.contact_id = s.contact_id where s.signal_id = ${sig.south}`;
		expect(row).toMatchObject({ status: 'visited', external_id: '00000000-0000-4000-8000-000000000001' });
		// a signal of another round is skipped, not visited
		expect(await statusOf(sig.southBram)).toBe('assigned');

		expect((await step('anna', sig.south, { action: 'handle', note: 'Doorverwezen' })).status).toBe(200);
		expect((await step('coordinator', sig.south, { action: 'reopen' })).status).toBe(200);
		expect((await step('coordinator', sig.south, { action: 'close_not_found' })).status).toBe(200);

		const events = await t.sql`select user_id, from_status, to_status, note from signal_event where signal_id = ${sig.south} order by event_id`;
		expect(events.map((e) => [e.user_id, e.from_status, e.to_status, e.note])).toEqual([
			[ids.coordinator, 'open', 'assigned', 'Vanavond langs'],
			[ids.anna, 'assigned', 'visited', null],
			[ids.anna, 'visited', 'handled', 'Doorverwezen'],
			[ids.coordinator, 'handled', 'open', null],
			[ids.coordinator, 'open', 'closed_not_found', null]
		]);
		const trail =
			await t.sql`select user_id, detail from audit_log where org_id = ${orgId} and action = 'signal.status' and (detail->>'signalId')::int = ${sig.south} order by audit_id`;
		expect(trail.map((e) => [e.user_id, e.detail.from, e.detail.status])).toEqual([
			[ids.coordinator, 'open', 'assigned'],
			[ids.anna, 'assigned', 'visited'],
			[ids.anna, 'visited', 'handled'],
			[ids.coordinator, 'handled', 'open'],
			[ids.coordinator, 'open', 'closed_not_found']
		]);
		// the audit log never holds the signal's text or the note
		expect(JSON.stringify(trail)).not.toMatch(/portiek|Doorverwezen/);
		// reopen back to a state that can be assigned again
		expect((await step('coordinator', sig.south, { action: 'reopen' })).status).toBe(200);
	});

	it('refuses a step that cannot start from the status (409), a malformed step (400) and an unknown signal (404)', async () => {
		const bad = await step('coordinator', sig.southHandled, { action: 'visit' });
		expect(bad.status).toBe(409);
		expect(bad.body).toMatchObject({ error: { code: 'signalStepInvalid', param: 'action' } });
		expect(await statusOf(sig.southHandled)).toBe('handled');
		expect((await step('coordinator', sig.north, { action: 'fly' })).body).toMatchObject({ error: { code: 'invalid_param', param: 'action' } });
		expect((await step('coordinator', sig.north, { action: 'assign' })).body).toMatchObject({ error: { param: 'roundId' } });
		expect((await step('coordinator', sig.north, { action: 'assign', userId: ids.other })).body).toMatchObject({
			error: { code: 'signalAssigneeUnknown', param: 'userId' }
		});
		expect((await step('coordinator', sig.north, { action: 'assign', userId: ids.analyst })).status).toBe(400);
		expect((await step('coordinator', 999_999, { action: 'handle' })).status).toBe(404);
		// another organisation's coordinator cannot reach the signal
		expect((await step('other', sig.north, { action: 'handle' })).status).toBe(404);
		expect(await statusOf(sig.north)).toBe('open');
	});
});

describe(dbTitle('signal inbox: who sees and does what'), () => {
	it('shows a worker their zones’ and rounds’ signals and the organisation’s open ones, nothing else', async () => {
		const anna = await listed('anna');
		const seen = (l: SignalList) => l.items.map((s) => s.id).sort((a, b) => a - b);
		// her zone's handled one, both open ones; not Bram's round's assigned one, nor a handled one elsewhere
		expect(seen(anna)).toEqual([sig.north, sig.south, sig.northHandled].sort((a, b) => a - b));
		expect(anna.items.find((s) => s.id === sig.north)).toMatchObject({ mine: true, actions: ['visit', 'handle'] });
		// the south one is open, so she sees it, but it is not hers
		expect(anna.items.find((s) => s.id === sig.south)).toMatchObject({ mine: false, actions: [] });
		// "only mine" leaves the organisation's open ones out, in the list and its counts
		const own = await listed('anna', '?mine=true');
		expect(seen(own)).toEqual([sig.north, sig.northHandled].sort((a, b) => a - b));
		expect(own.counts).toMatchObject({ open: 1, handled: 1 });

		const bram = await listed('bram');
		expect(seen(bram)).toEqual([sig.north, sig.south, sig.southBram].sort((a, b) => a - b));
		expect(bram.items.find((s) => s.id === sig.southBram)).toMatchObject({ mine: true, round: { roundId: rounds.bram } });

		const coordinator = await listed('coordinator');
		expect(coordinator.items).toHaveLength(5);
		expect(coordinator.items.every((s) => s.mine)).toBe(true);
		// the other organisation sees none of them
		expect((await listed('other')).items).toEqual([]);
	});

	it('reads a worker’s area zone from the cells stored at import, never computing its polygon’s cells', async () => {
		// the geometry moved by hand (no import): the stored cells still say where the zone is
		const [n] = await t.sql`select geometry from area where org_id = ${orgId} and layer = 'district' and code = 'N'`;
		await t.sql`update area set geometry = ${t.sql.json(box(50.2, 50.21))} where org_id = ${orgId} and layer = 'district' and code = 'N'`;
		try {
			expect((await listed('anna')).items.find((s) => s.id === sig.north)).toMatchObject({ mine: true });
		} finally {
			await t.sql`update area set geometry = ${t.sql.json(n!.geometry)} where org_id = ${orgId} and layer = 'district' and code = 'N'`;
		}
	});

	it('refuses analysts (403), a worker’s step on a signal not theirs or beyond their role (403)', async () => {
		const analyst = await list('analyst');
		expect(analyst.status).toBe(403);
		expect(JSON.stringify(analyst.body)).not.toContain('Tentje');
		expect((await step('analyst', sig.north, { action: 'handle' })).status).toBe(403);
		expect((await callRoute(t.sql, '/api/signals/points', '/api/signals/points', { token: tokens.analyst })).status).toBe(403);

		const notHers = await step('anna', sig.south, { action: 'visit' });
		expect(notHers.status).toBe(403);
		expect(notHers.body).toMatchObject({ error: { code: 'signalNotYours' } });
		const assign = await step('anna', sig.north, { action: 'assign', roundId: rounds.anna });
		expect(assign.body).toMatchObject({ error: { code: 'signalRoleRefused' } });
		// a signal she cannot see at all is unknown to her
		expect((await step('anna', sig.southBram, { action: 'visit' })).status).toBe(404);
		expect(await statusOf(sig.southBram)).toBe('assigned');
		// in her zone: she may
		expect((await step('anna', sig.north, { action: 'visit', note: 'Niemand gezien' })).status).toBe(200);
		expect((await step('bram', sig.southBram, { action: 'handle' })).status).toBe(200);
		expect(await t.sql`select to_status from signal_event where signal_id = ${sig.southBram}`).toEqual([{ to_status: 'handled' }]);
		// put them back for the next tests
		await t.sql`update signal set status = 'open', contact_id = null where signal_id = ${sig.north}`;
		await t.sql`update signal set status = 'assigned' where signal_id = ${sig.southBram}`;
	});

	it('shows a worker the signals assigned to them by name, and those of a zone of hand-picked cells', async () => {
		const seen = async (who: string) => (await listed(who)).items.map((s) => s.id);
		// assigned to Chris alone (no round), not open: his, and nobody else's among the workers
		const byName = await addSignal('c1', SOUTH, 'Afspraak met Chris', { status: 'assigned' });
		await t.sql`update signal set assigned_user_id = ${ids.chris} where signal_id = ${byName}`;
		expect(await seen('chris')).toContain(byName);
		expect(await seen('anna')).not.toContain(byName);
		expect((await listed('chris')).items.find((s) => s.id === byName)).toMatchObject({ mine: true, actions: ['visit', 'handle'] });
		// a zone of one hand-picked cell (planning resolution) around the south signals gives Bram the handled one there
		const org = (await getOrganisation(t.sql, orgId))!;
		expect(await seen('bram')).not.toContain(sig.southHandled);
		const zone = await createZone(
			t.sql,
			orgId,
			ids.coordinator,
			{ userId: ids.bram, label: 'Zuid-cel', cells: [cellToParent(SOUTH, org.planningRes)], validFrom: TODAY, validTo: TODAY },
			org.planningRes
		);
		expect(await seen('bram')).toContain(sig.southHandled);
		expect(await seen('anna')).not.toContain(sig.southHandled);
		await t.sql`delete from zone_assignment where org_id = ${orgId} and assignment_id = ${zone}`;
		await t.sql`delete from signal where signal_id = ${byName}`;
		expect(await seen('bram')).not.toContain(sig.southHandled);
	});

	it('gives the map layer only unresolved signals, within the same scope', async () => {
		const points = async (who: string) =>
			(
				(await callRoute(t.sql, '/api/signals/points', '/api/signals/points', { token: tokens[who] })).body as {
					points: { id: number; status: string }[];
				}
			).points;
		const anna = await points('anna');
		expect(anna.every((p) => ['open', 'assigned', 'visited'].includes(p.status))).toBe(true);
		expect(anna.map((p) => p.id)).not.toContain(sig.southBram);
		expect((await points('coordinator')).map((p) => p.id)).toContain(sig.southBram);
	});
});

describe(dbTitle('signal inbox: the list'), () => {
	it('filters by status, district, group, source, age and words; open and assigned first; counts per status', async () => {
		const all = await listed('coordinator');
		expect(all.items.map((s) => s.status)).toEqual(['open', 'open', 'assigned', 'handled', 'handled']);
		expect(all.counts).toEqual({ open: 2, assigned: 1, visited: 0, handled: 2, closed_not_found: 0, closed_not_ours: 0 });
		expect(all.total).toBe(5);
		expect(all.items[0]).toMatchObject({ id: sig.north, district: { code: 'N', name: 'Noord' }, age: 'week' });

		const ids = async (q: string) => (await listed('coordinator', q)).items.map((s) => s.id);
		expect(await ids('?status=assigned,handled')).toEqual([sig.southBram, sig.southHandled, sig.northHandled]);
		expect(await ids('?area=N')).toEqual([sig.north, sig.northHandled]);
		expect(await ids('?group=3')).toEqual([sig.north]);
		expect(await ids('?source=partner-a')).toEqual([sig.southBram]);
		expect(await ids('?age=month')).toEqual([sig.south]);
		expect(await ids('?age=older')).toEqual([sig.southHandled, sig.northHandled]);
		expect(await ids('?q=PORTIEK')).toEqual([sig.south]);
		// % and _ are searched as themselves
		expect(await ids('?q=%25')).toEqual([]);
		expect(await ids(`?round=${rounds.bram}`)).toEqual([sig.southBram]);
		// counts follow every filter but the status
		const north = await listed('coordinator', '?area=N&status=open');
		expect(north.counts).toMatchObject({ open: 1, handled: 1 });
		expect(north.total).toBe(1);
	});

	it('answers a malformed parameter with a 400 naming it', async () => {
		for (const [query, param] of [
			['?status=opened', 'status'],
			['?page=0', 'page'],
			['?page=abc', 'page'],
			['?group=-1', 'group'],
			['?age=year', 'age'],
			['?area=XX', 'area'],
			['?mine=yes', 'mine'],
			['?colour=red', 'colour']
		]) {
			const o = await list('coordinator', query);
			expect(o.status, query).toBe(400);
			expect((o.body as { error: { param: string } }).error.param, query).toBe(param);
		}
	});

	it('pages through 10,000 signals quickly', async () => {
		const n = 10_000;
		const cells = [NORTH, SOUTH].map((c) => cellToBigInt(c).toString());
		await t.sql`
			insert into signal (org_id, reported_at, cell, reporter_kind, description, target_groups, status, source, external_id)
			select ${orgId}, now() - make_interval(mins => i * 13), (${cells}::bigint[])[1 + i % 2], 'citizen',
				'Melding nummer ' || i, array[1 + i % 4]::smallint[],
				(array['open', 'assigned', 'visited', 'handled', 'closed_not_found'])[1 + i % 5], 'bulk', 'bulk-' || i
			from generate_series(1, ${n}) as i`;
		const timed = async (q: string) => {
			const t0 = performance.now();
			const l = await listed('coordinator', q);
			return { l, ms: performance.now() - t0 };
		};
		await timed(''); // warm up
		const first = await timed('');
		const deep = await timed('?page=300&status=handled,closed_not_found');
		const search = await timed('?q=nummer 99&area=N');
		const worker = performance.now();
		await listed('anna', '?page=2');
		const workerMs = performance.now() - worker;
		console.log(
			`signal list at ${n} signals (${dbTitle('')}): first page ${first.ms.toFixed(0)} ms, page 300 ${deep.ms.toFixed(0)} ms, ` +
				`search in a district ${search.ms.toFixed(0)} ms, a worker's page ${workerMs.toFixed(0)} ms`
		);
		expect(first.l.items).toHaveLength(25);
		expect(first.l.total).toBe(n + 5);
		expect(first.l.items.every((s) => s.status === 'open')).toBe(true);
		expect(deep.l.page).toBe(300);
		expect(search.l.items.every((s) => s.description.includes('nummer 99'))).toBe(true);
		for (const ms of [first.ms, deep.ms, search.ms, workerMs]) expect(ms).toBeLessThan(1500);
		await t.sql`delete from signal where org_id = ${orgId} and source = 'bulk'`;
	});
});

describe(dbTitle('signal inbox: on a round'), () => {
	it('offers the signals in or within 300 m of the round’s zones, and adds one to the round', async () => {
		const org = (await getOrganisation(t.sql, orgId))!;
		// one zone of the round: the planning cell of the north signal
		const zone = latLngToCell(51.06, 3.72, org.planningRes);
		await t.sql`insert into street_round_stop (org_id, round_id, seq, cell, dwell_minutes, walk_minutes)
			values (${orgId}, ${rounds.anna}, 1, ${cellToBigInt(zone).toString()}::bigint, 20, 5)`;
		const near200 = await addSignal('near200', latLngToCell(51.0618, 3.72, 10), 'Vlakbij de zone');
		const far = await addSignal('far', latLngToCell(51.075, 3.72, 10), 'Ver van de zone');
		const coordinator = { userId: ids.coordinator, role: 'coordinator' as const };
		const near = await signalsNearRound(t.sql, org, coordinator, rounds.anna, [zone], TODAY);
		const nearIds = near.map((s) => s.id);
		expect(nearIds).toContain(sig.north);
		expect(nearIds).toContain(near200);
		expect(nearIds).not.toContain(far);
		// the south signals lie 2 km away; handled ones are never offered
		expect(nearIds).not.toContain(sig.south);
		expect(nearIds).not.toContain(sig.northHandled);

		const add = (who: string) =>
			callRoute(t.sql, '/rounds/[id]', `/rounds/${rounds.anna}?/addSignal`, {
				method: 'POST',
				token: tokens[who],
				params: { id: String(rounds.anna) },
				form: { signalId: String(near200) }
			});
		// a worker may not assign (the round page offers the button to coordinators only)
		expect((await add('anna')).status).toBe(403);
		expect((await add('coordinator')).status).toBe(200);
		const [row] = await t.sql`select status, round_id from signal where signal_id = ${near200}`;
		expect(row).toEqual({ status: 'assigned', round_id: rounds.anna });
		// now on the round, it is no longer offered
		expect((await signalsNearRound(t.sql, org, coordinator, rounds.anna, [zone], TODAY)).map((s) => s.id)).not.toContain(near200);
		await t.sql`delete from signal where signal_id in (${near200}, ${far})`;
	});
});

describe(dbTitle('signal inbox: imports'), () => {
	it('a re-import never undoes an inbox step; "handled" in the file closes and leaves an event without an account', async () => {
		const row = (ext: string, status: 'open' | 'handled') => ({
			externalId: ext,
			reportedAt: new Date(Date.now() - 86_400_000).toISOString(),
			cell: NORTH,
			reporterKind: 'partner' as const,
			description: `Import ${ext}`,
			targetGroups: [1],
			status,
			handledAt: null
		});
		await upsertSignals(t.sql, orgId, 'partner-x', [row('x1', 'open'), row('x2', 'open')]);
		const [x1] = await t.sql`select signal_id from signal where external_id = 'x1'`;
		expect((await step('coordinator', x1!.signal_id as number, { action: 'assign', userId: ids.anna })).status).toBe(200);
		// same file again, with a new description: the assignment stays
		await upsertSignals(t.sql, orgId, 'partner-x', [{ ...row('x1', 'open'), description: 'Import x1 bis' }, row('x2', 'handled')]);
		const rows = await t.sql`select external_id, status, description, assigned_user_id from signal where source = 'partner-x' order by external_id`;
		expect(rows).toEqual([
			{ external_id: 'x1', status: 'assigned', description: 'Import x1 bis', assigned_user_id: ids.anna },
			{ external_id: 'x2', status: 'handled', description: 'Import x2', assigned_user_id: null }
		]);
		const events = await t.sql`
			select e.user_id, e.from_status, e.to_status from signal_event e join signal s on s.org_id = e.org_id and s.signal_id = e.signal_id
			where s.external_id = 'x2'`;
		expect(events).toEqual([{ user_id: null, from_status: 'open', to_status: 'handled' }]);
	});
});
