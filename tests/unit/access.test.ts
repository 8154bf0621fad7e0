import { describe, expect, it } from 'vitest';
import { hexRequestRefusal, landingFor, mayAccess, maxResolutionFor, ROLES } from '../../src/lib/domain/access';

const org = { storageRes: 10, planningRes: 9, policyRes: 8 };

describe('access', () => {
	it('denies routes missing from the table, for every role', () => {
		for (const role of [...ROLES, null]) expect(mayAccess('/api/not-in-table', role)).toBe(false);
	});

	it('keeps coordinator pages from workers and analysts, and anonymous visitors out', () => {
		expect(mayAccess('/users', 'coordinator')).toBe(true);
		expect(mayAccess('/users', 'worker')).toBe(false);
		expect(mayAccess('/users', 'analyst')).toBe(false);
		expect(mayAccess('/', null)).toBe(false);
		expect(mayAccess('/login', null)).toBe(true);
	});

	it('caps resolution by role', () => {
		expect(ROLES.map((r) => maxResolutionFor(r, org))).toEqual([10, 9, 8]);
	});

	it('refuses, with a reason, finer resolutions and team filters for analysts', () => {
		expect(hexRequestRefusal('analyst', org, { res: 9, teams: null })).toMatchObject({ param: 'res' });
		expect(hexRequestRefusal('analyst', org, { res: 8, teams: [1] })).toMatchObject({ param: 'teams' });
		expect(hexRequestRefusal('analyst', org, { res: 8, teams: null })).toBeNull();
		expect(hexRequestRefusal('worker', org, { res: 10, teams: null })?.message).toMatch(/finest allowed is 9/);
		expect(hexRequestRefusal('coordinator', org, { res: 10, teams: [1] })).toBeNull();
	});
});

describe('where a role lands after signing in', () => {
	it('a coordinator of a new organisation lands on the checklist; nobody else does', () => {
		expect(landingFor('coordinator', true)).toBe('/welcome');
		expect(landingFor('coordinator')).toBe('/');
		expect(landingFor('worker', true)).toBe('/today');
		expect(landingFor('analyst', true)).toBe('/');
	});
});
