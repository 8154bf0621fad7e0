// What the quick log needs to work offline: the organisation's vocabularies and storage
// resolution, the map settings, the service locations for the referral picker and the street
// rounds a contact may be linked to. Fetched from /api/meta, /api/services and /api/rounds when online and kept in localStorage, so the form still opens and
// validates in a basement. It holds settings and public places only, never contact data; the
// service worker caches no /api response at all.
import type { Vocabularies } from '$lib/domain/vocabulary';
import type { ServicePoint } from '$lib/domain/quick-log';
import type { Bbox } from '$lib/domain/hex-query';
import { apiCall } from '$lib/api/client';
import type { Endpoint } from '$lib/api/endpoint';
import { meta as metaEndpoint, services as servicesEndpoint, type Meta, type ServiceCollection } from '$lib/api/map';
import { rounds as roundsEndpoint } from '$lib/api/field';

export interface LogKit {
	savedAt: number;
	/** The day on the server when the kit was fetched (YYYY-MM-DD, Brussels). */
	today: string;
	user: { name: string; email: string; role: 'coordinator' | 'worker' | 'analyst' };
	org: { name: string; bbox: Bbox; isDemo: boolean; storageRes: number };
	vocabularies: Vocabularies;
	basemapStyle: string | null;
	attribution: string;
	services: ServicePoint[];
	/** Rounds of yesterday, today and tomorrow this user may link a contact to. */
	rounds: KitRound[];
}

export interface KitRound {
	roundId: number;
	plannedOn: string;
	title: string;
	workers: string[];
	/** The user walks it; absent in kits kept before it existed. */
	mine?: boolean;
}

export type KitResult = { ok: true; kit: LogKit; fresh: boolean } | { ok: false; reason: 'signed-out' | 'unavailable' };

const KEY = 'outreach-atlas.quicklog.kit.v1';

function readCached(): LogKit | null {
	try {
		const raw = localStorage.getItem(KEY);
		if (!raw) return null;
		const kit = JSON.parse(raw) as LogKit;
		if (!kit || !kit.org || !Array.isArray(kit.services) || !kit.vocabularies) return null;
		return { ...kit, rounds: Array.isArray(kit.rounds) ? kit.rounds : [] }; // kits kept before rounds existed
	} catch {
		return null;
	}
}

function writeCached(kit: LogKit) {
	try {
		localStorage.setItem(KEY, JSON.stringify(kit));
	} catch {
		/* full or private mode: the form works online all the same */
	}
}

/** The answer's status and body; a 401 is the kit's to tell ('signed-out'), never a redirect. */
const getJson = (e: Endpoint<undefined, undefined, unknown>) => apiCall(e, { signal: AbortSignal.timeout(15_000) });

/** Fresh from the server when it answers; else the kit kept from the last time. */
export async function loadKit(): Promise<KitResult> {
	const cached = readCached();
	let meta: { status: number; body: unknown };
	try {
		meta = await getJson(metaEndpoint);
	} catch {
		return cached ? { ok: true, kit: cached, fresh: false } : { ok: false, reason: 'unavailable' };
	}
	if (meta.status === 401) return { ok: false, reason: 'signed-out' };
	const m = meta.body as Meta | null;
	if (meta.status !== 200 || !m?.org) {
		return cached ? { ok: true, kit: cached, fresh: false } : { ok: false, reason: 'unavailable' };
	}
	let services: ServicePoint[] | null = null;
	try {
		const s = await getJson(servicesEndpoint);
		if (s.status === 200) {
			services = (s.body as ServiceCollection).features.map((f) => ({
				id: f.properties.id,
				name: f.properties.name,
				category: f.properties.category,
				categoryCode: f.properties.categoryCode,
				lng: f.geometry.coordinates[0]!,
				lat: f.geometry.coordinates[1]!
			}));
		}
	} catch {
		/* keep the services we had */
	}
	let rounds: KitRound[] | null = null;
	try {
		const r = await getJson(roundsEndpoint);
		if (r.status === 200) rounds = (r.body as { rounds: KitRound[] }).rounds;
	} catch {
		/* keep the rounds we had */
	}
	// A different account on this device starts from its own services, not the previous one's.
	const sameUser = cached?.user.email === m.user.email;
	const kit: LogKit = {
		savedAt: Date.now(),
		today: m.today,
		user: m.user,
		org: { name: m.org.name, bbox: m.org.bbox, isDemo: m.org.isDemo, storageRes: m.org.storageRes },
		vocabularies: m.vocabularies,
		basemapStyle: m.basemapStyle,
		attribution: m.attribution,
		services: services ?? (sameUser ? cached!.services : []),
		rounds: rounds ?? (sameUser ? cached!.rounds : [])
	};
	writeCached(kit);
	return { ok: true, kit, fresh: true };
}
