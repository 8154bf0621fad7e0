// Calendar feeds in a real database (PGlite here; PostgreSQL 15 when TEST_DATABASE_URL is set):
// a worker's token opens an iCalendar feed of the rounds they walk, parsed back with a real
// iCalendar parser (ical.js); revoking or renewing ends the old URL; another organisation's token
// never shows this organisation's rounds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { callRoute } from '../helpers/route-harness';
import { useDatabase } from '../../src/lib/server/app-db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { getOrganisation, createOrganisation, type Organisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createRound } from '../../src/lib/server/rounds';
import { todayInBrussels } from '../../src/lib/server/clock';
import { getRoundStops, planningZones, saveRoundRoute, startOptions, stopNaming } from '../../src/lib/server/round-route';
import { activeFeedSince, feedPath, issueFeedToken, revokeFeedToken } from '../../src/lib/server/calendar-feed';
import { stopNames } from '../../src/lib/domain/stop-names';
import { roundUid } from '../../src/lib/domain/round-calendar';
import { candidatesNear, proposeRoute } from '../../src/lib/domain/round-route';
import { addDays } from '../../src/lib/domain/calendar';

const ROUTE = '/calendar/[token].ics';
let t: TestDatabase;
let org: Organisation;
let duo: number[];
let duoNames: string[];
let coordinator: number;
let roundId: number;
let startLabel: string;
let otherOrg: Organisation;
let otherWorker: number;

async function fetchFeed(token: string) {
	return callRoute(t.sql, ROUTE, feedPath(token), { params: { token } });
}

function events(text: string): ICAL.Component[] {
	const cal = new ICAL.Component(ICAL.parse(text));
	expect(cal.name).toBe('vcalendar');
	return cal.getAllSubcomponents('vevent');
}

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	const report = await seedDemo(t.sql, { contacts: 500 });
	org = (await getOrganisation(t.sql, report.orgId))!;
	const users = await t.sql`
		select user_id, role, display_name from app_user where org_id = ${org.orgId} and role in ('worker', 'coordinator') order by user_id`;
	coordinator = users.find((u) => u.role === 'coordinator')!.user_id as number;
	const workers = users.filter((u) => u.role === 'worker').slice(0, 2);
	duo = workers.map((u) => u.user_id as number);
	duoNames = workers.map((u) => u.display_name as string);
	roundId = await createRound(t.sql, org.orgId, coordinator, {
		plannedOn: addDays(todayInBrussels(), 2),
		title: 'Agendatest; Stationsbuurt, avond',
		teamId: null,
		budgetMinutes: 120,
		workerIds: duo
	});
	const zones = await planningZones(t.sql, org);
	const [start] = await startOptions(t.sql, org.orgId);
	startLabel = start!.label;
	const plan = proposeRoute(candidatesNear(zones, start!.cell, 120), start!.cell, 120);
	await saveRoundRoute(t.sql, org, coordinator, roundId, {
		start,
		stops: plan.stops.map((s) => ({ cell: s.cell, dwellMinutes: s.dwellMinutes }))
	});
	otherOrg = await createOrganisation(t.sql, { slug: 'elders-cal', name: 'Elders', bbox: [4.3, 50.8, 4.5, 50.9] });
	otherWorker = await createUser(t.sql, {
		orgId: otherOrg.orgId,
		email: 'worker@elders-cal.example',
		name: 'Elders Werker',
		role: 'worker',
		password: 'elders password 1'
	});
});
afterAll(() => t?.cleanup());

describe(dbTitle('calendar feeds'), () => {
	it("serves the worker's rounds as iCalendar that a real parser reads back", async () => {
		const token = await issueFeedToken(t.sql, org.orgId, duo[0]!);
		const o = await fetchFeed(token);
		expect(o.status).toBe(200);
		expect(o.headers!.get('content-type')).toBe('text/calendar; charset=utf-8');
		expect(o.headers!.get('cache-control')).toBe('private, max-age=300');
		const text = o.body as string;
		expect(text).toContain('\r\n');
		const ours = events(text).find((e) => e.getFirstPropertyValue('uid') === roundUid(org.orgId, roundId));
		expect(ours).toBeDefined();
		const ev = new ICAL.Event(ours!);
		expect(ev.summary).toBe('Agendatest; Stationsbuurt, avond');
		expect(ev.location).toBe(startLabel);
		expect(ev.startDate.isDate).toBe(true);
		expect(ev.startDate.toString()).toBe(addDays(todayInBrussels(), 2));
		expect(ours!.getFirstPropertyValue('dtstamp')).toBeTruthy();
		expect(ours!.getFirstPropertyValue('url')).toBe(`http://localhost/rounds/${roundId}`);
		// the stops in walking order, named as the round page names them
		const [saved, naming] = await Promise.all([getRoundStops(t.sql, org.orgId, roundId), stopNaming(t.sql, org.orgId)]);
		const names = stopNames(
			saved.map((s) => s.cell),
			naming.areaOf,
			naming.landmarks,
			'nl'
		);
		expect(names.length).toBeGreaterThanOrEqual(2);
		const description = ev.description;
		const listed = description
			.split('\n')
			.filter((l) => /^\d+\. /.test(l))
			.map((l) => l.replace(/^\d+\. /, ''));
		expect(listed).toEqual(names);
		for (const n of duoNames) expect(description).toContain(n);
		// the token is never stored, only its hash; issuing is audited with ids only
		const stored = await t.sql`select token_hash from calendar_feed where org_id = ${org.orgId} and user_id = ${duo[0]!}`;
		expect(JSON.stringify(stored)).not.toContain(token);
		const [entry] = await t.sql`
			select detail from audit_log where org_id = ${org.orgId} and user_id = ${duo[0]!} and action = 'calendar.issue' order by at desc limit 1`;
		expect(JSON.stringify(entry!.detail)).not.toContain(token);
		expect(Object.keys(entry!.detail as object)).toEqual(['feedId']);
	});

	it('shows only the rounds the token owner walks', async () => {
		const [other] = await t.sql`
			select user_id from app_user where org_id = ${org.orgId} and role = 'worker' and user_id <> all(${duo}::int[]) order by user_id limit 1`;
		const token = await issueFeedToken(t.sql, org.orgId, other!.user_id as number);
		const o = await fetchFeed(token);
		expect(o.status).toBe(200);
		expect(events(o.body as string).map((e) => e.getFirstPropertyValue('uid'))).not.toContain(roundUid(org.orgId, roundId));
	});

	it('answers 404 once revoked, and a new token revokes the old one', async () => {
		const first = await issueFeedToken(t.sql, org.orgId, duo[1]!);
		expect((await fetchFeed(first)).status).toBe(200);
		const second = await issueFeedToken(t.sql, org.orgId, duo[1]!);
		expect((await fetchFeed(first)).status).toBe(404);
		expect((await fetchFeed(second)).status).toBe(200);
		expect(await activeFeedSince(t.sql, org.orgId, duo[1]!)).not.toBeNull();
		expect(await revokeFeedToken(t.sql, org.orgId, duo[1]!)).toBe(true);
		expect((await fetchFeed(second)).status).toBe(404);
		expect(await activeFeedSince(t.sql, org.orgId, duo[1]!)).toBeNull();
		expect(await revokeFeedToken(t.sql, org.orgId, duo[1]!)).toBe(false);
		const [entry] = await t.sql`
			select count(*)::int as n from audit_log where org_id = ${org.orgId} and user_id = ${duo[1]!} and action = 'calendar.revoke'`;
		expect(entry!.n).toBe(1);
		expect((await fetchFeed('x'.repeat(43))).status).toBe(404);
	});

	it("never shows another organisation's rounds", async () => {
		const token = await issueFeedToken(t.sql, otherOrg.orgId, otherWorker);
		const o = await fetchFeed(token);
		expect(o.status).toBe(200);
		const text = o.body as string;
		expect(events(text)).toEqual([]);
		expect(text).not.toContain('Agendatest');
		expect(text).not.toContain(`org-${org.orgId}@`);
		for (const n of duoNames) expect(text).not.toContain(n);
	});

	it('lets a worker issue and revoke their feed from their page', async () => {
		const { createSession } = await import('../../src/lib/server/auth/sessions');
		const session = await createSession(t.sql, { orgId: org.orgId, userId: duo[0]! });
		const issued = await callRoute(t.sql, '/my-zones', '/my-zones?/calendarIssue', { method: 'POST', token: session, form: {} });
		expect(issued.status).toBe(200);
		const url = (issued.body as { calendarUrl: string }).calendarUrl;
		expect(url).toMatch(/^http:\/\/localhost\/calendar\/[A-Za-z0-9_-]+\.ics$/);
		const token = url
			.split('/')
			.at(-1)!
			.replace(/\.ics$/, '');
		expect((await fetchFeed(token)).status).toBe(200);
		const page = await callRoute(t.sql, '/my-zones', '/my-zones', { token: session });
		expect((page.body as { calendarSince: string | null }).calendarSince).not.toBeNull();
		await callRoute(t.sql, '/my-zones', '/my-zones?/calendarRevoke', { method: 'POST', token: session, form: {} });
		expect((await fetchFeed(token)).status).toBe(404);
	});
});
