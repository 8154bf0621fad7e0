// Who may do what. The server enforces this table for every route (hooks.server.ts), denying any
// route that is missing from it; the browser only hides what the server already refuses.
export type Role = 'coordinator' | 'worker' | 'analyst';
export const ROLES: readonly Role[] = ['coordinator', 'worker', 'analyst'];

export type Access = 'public' | readonly Role[];

const ALL = ROLES;
const COORDINATOR = ['coordinator'] as const;
// Coverage reports: coordinators see any period exactly, analysts ended quarters, published.
const REPORT_READERS = ['coordinator', 'analyst'] as const;

/** Every route of the app by SvelteKit route id. A route not listed here answers 403. */
export const ROUTE_ACCESS: Record<string, Access> = {
	'/': ALL,
	'/login': 'public',
	'/logout': 'public',
	'/reset/[token]': 'public',
	// a calendar app subscribes without a session: the private token in the URL is the key
	'/calendar/[token].ics': 'public',
	'/users': COORDINATOR,
	'/zones': COORDINATOR,
	'/rounds': COORDINATOR,
	'/rounds/[id]': ['coordinator', 'worker'],
	'/rounds/evening/[date]': COORDINATOR,
	'/rounds/week': COORDINATOR,
	'/rounds/[id]/export': ['coordinator', 'worker'],
	'/my-zones': ['coordinator', 'worker'],
	'/today': ['coordinator', 'worker'],
	'/signals': ['coordinator', 'worker'],
	'/log': ['coordinator', 'worker'],
	'/audit': COORDINATOR,
	'/audit/export': COORDINATOR,
	'/settings': COORDINATOR,
	'/reports/trends': REPORT_READERS,
	'/settings/vocabulary': COORDINATOR,
	'/settings/areas': COORDINATOR,
	'/welcome': COORDINATOR,
	'/settings/rounds': COORDINATOR,
	'/import': COORDINATOR,
	'/reports': REPORT_READERS,
	'/reports/export': REPORT_READERS,
	'/api/meta': ALL,
	'/api/hexes': ALL,
	'/api/underserved': ALL,
	'/api/hotspots': ALL,
	'/api/services': ALL,
	'/api/areas': ALL,
	'/api/reports/coverage': REPORT_READERS,
	'/api/reports/trend': REPORT_READERS,
	'/api/my-zones': ['coordinator', 'worker'],
	'/api/contacts': ['coordinator', 'worker'],
	'/api/rounds': ['coordinator', 'worker'],
	// analysts see signals as counts per area in the reports only
	'/api/signals': ['coordinator', 'worker'],
	'/api/signals/points': ['coordinator', 'worker'],
	'/api/signals/[id]/transition': ['coordinator', 'worker'],
	'/api/imports/preview': COORDINATOR,
	'/api/imports/mappings': COORDINATOR,
	'/api/imports/contacts': COORDINATOR,
	'/api/imports/services': COORDINATOR,
	'/api/imports/areas': COORDINATOR,
	'/api/imports/area-indicators': COORDINATOR,
	'/api/imports/signals': COORDINATOR,
	'/api/imports/jobs': COORDINATOR,
	'/api/vocabulary': COORDINATOR
};

/**
 * Where a role lands after signing in: a worker's day, or the map for coordinators and analysts;
 * a coordinator of a new organisation (`firstHour`) lands on its checklist.
 */
export function landingFor(role: Role, firstHour = false): '/' | '/today' | '/welcome' {
	if (role === 'coordinator' && firstHour) return '/welcome';
	return role === 'worker' ? '/today' : '/';
}

export function mayAccess(routeId: string, role: Role | null): boolean {
	const access = ROUTE_ACCESS[routeId];
	if (access === undefined) return false;
	if (access === 'public') return true;
	return role !== null && access.includes(role);
}

export interface ResolutionPolicy {
	storageRes: number;
	planningRes: number;
	policyRes: number;
}

/** The finest map resolution a role may ask for. */
export function maxResolutionFor(role: Role, org: ResolutionPolicy): number {
	if (role === 'analyst') return Math.min(org.policyRes, org.storageRes);
	if (role === 'worker') return Math.min(org.planningRes, org.storageRes);
	return org.storageRes;
}

/** Why a role may not make this map request, or null when it may. */
export function hexRequestRefusal(
	role: Role,
	org: ResolutionPolicy,
	q: { res: number; teams: number[] | null }
): { param: string; message: string } | null {
	const max = maxResolutionFor(role, org);
	if (q.res > max) {
		return {
			param: 'res',
			message: `resolution ${q.res} is finer than your role (${role}) may see; the finest allowed is ${max}`
		};
	}
	if (role === 'analyst' && q.teams !== null) {
		return { param: 'teams', message: 'figures per team or worker are not available to analysts' };
	}
	return null;
}
