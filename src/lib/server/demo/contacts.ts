// Generated contact moments for the demo organisation, as columnar batches: parallel arrays that
// go straight into `insert … select * from unnest($1::timestamptz[], …)`. WHY columns: a million
// rows for the benchmark must not become a million objects. Every point is snapped to an H3 cell
// at the storage resolution right where it is drawn; no raw coordinate leaves this module.
//
// The patterns the demo should show (all invented, but shaped like outreach practice):
// - weekly rhythm: weekday day rounds, evening rounds for sex work and nightlife, a thin Sunday;
// - seasons: more contacts with homeless people in the cold months (winter plan, people seek
//   shelter at stations), more with young people and in parks in summer, a bump during the
//   Gentse Feesten in July;
// - a slow upward trend over the two years (the team becomes known, more staff);
// - 90 % of contacts around hot spots, 10 % scattered over the districts by population.
import { cellToLatLng } from 'h3-js';
import { distanceM, snapToCell } from '../../domain/cells';
import { DEFAULT_VOCABULARIES } from '../../domain/vocabulary';
import { HOT_SPOTS, type HourWindow, type TargetGroupCode } from './places';
import { insideBbox, jitter, loadDistricts, randomPointIn, teamIndexAt } from './gent-areas';
import { Random, weightedSampler } from './random';
import { todayInBrussels } from '../clock';
import { DAY_MS, brusselsToUtc, dayStartUtcMs, periodStart } from '../../domain/calendar';

export interface ServiceRef {
	serviceId: number;
	lat: number;
	lng: number;
	/** service_category id */
	category: number;
}

export interface ContactOptions {
	seed: number;
	count: number;
	/** Last day of the period, YYYY-MM-DD (Europe/Brussels). */
	today: string;
	months?: number;
	storageRes?: number;
	/** Referral targets; without them referrals carry no service id. */
	services?: ServiceRef[];
	/** team_id values, in the order Centrum, Noord, Zuid; without them team_id is null. */
	teams?: number[];
	batchSize?: number;
}

/** One batch of contact rows as parallel arrays (index i of every array is one row). */
export interface ContactBatch {
	size: number;
	/** UTC ISO-8601 timestamps */
	occurredAt: string[];
	/** H3 cell at storageRes, as a decimal bigint string (for `::bigint[]`) */
	cell: string[];
	contactType: number[];
	/** Postgres array literals, e.g. '{1,3}' (unnest cannot take a 2-D array of rows) */
	targetGroups: string[];
	themes: string[];
	persons: number[];
	referral: boolean[];
	referralServiceId: (number | null)[];
	/** The referral's target category (the referral_target ids are the service categories' by default): its service's; null without one. */
	referralTarget: (number | null)[];
	teamId: (number | null)[];
	externalId: string[];
}

// ---- vocabulary ids by code --------------------------------------------------------------------

function idsByCode(kind: keyof typeof DEFAULT_VOCABULARIES): Record<string, number> {
	return Object.fromEntries(DEFAULT_VOCABULARIES[kind].map((e) => [e.code, e.id]));
}
const TG = idsByCode('target_group');
const TH = idsByCode('theme');
const SC = idsByCode('service_category');
const CT = idsByCode('contact_type');

function idOf(map: Record<string, number>, code: string): number {
	const id = map[code];
	if (id === undefined) throw new Error(`unknown vocabulary code ${code}`);
	return id;
}

/** A weighted choice over vocabulary codes, resolved to ids once. */
interface Mix {
	ids: number[];
	weights: number[];
}
function mix(map: Record<string, number>, w: Partial<Record<string, number>>): Mix {
	const entries = Object.entries(w).filter(([, v]) => (v ?? 0) > 0);
	return { ids: entries.map(([c]) => idOf(map, c)), weights: entries.map(([, v]) => v!) };
}

// Which groups tend to come together in one contact (second target group given the first).
const CO_OCCUR: Record<TargetGroupCode, Partial<Record<TargetGroupCode, number>>> = {
	dak_thuisloos: { druggebruik: 3, psychisch_kwetsbaar: 3, eu_migranten: 2, zonder_wettig_verblijf: 1 },
	druggebruik: { dak_thuisloos: 3, psychisch_kwetsbaar: 2, jongeren: 1, sekswerk: 1 },
	sekswerk: { zonder_wettig_verblijf: 3, eu_migranten: 2, druggebruik: 2 },
	jongeren: { druggebruik: 3, psychisch_kwetsbaar: 1, zonder_wettig_verblijf: 1 },
	zonder_wettig_verblijf: { dak_thuisloos: 2, sekswerk: 1, eu_migranten: 1 },
	geisoleerde_ouderen: { psychisch_kwetsbaar: 3, dak_thuisloos: 1 },
	psychisch_kwetsbaar: { dak_thuisloos: 3, geisoleerde_ouderen: 2, druggebruik: 2 },
	eu_migranten: { dak_thuisloos: 3, sekswerk: 1 }
};

// What a contact is about, given who it is with.
const THEMES_FOR: Record<TargetGroupCode, Partial<Record<string, number>>> = {
	dak_thuisloos: { huisvesting: 5, basisbehoeften: 4, gezondheid: 2, administratie: 2, inkomen: 1, veiligheid: 1 },
	druggebruik: { verslaving: 5, gezondheid: 3, huisvesting: 1, veiligheid: 1 },
	sekswerk: { gezondheid: 4, veiligheid: 4, administratie: 2, inkomen: 1 },
	jongeren: { netwerk: 3, werk: 3, veiligheid: 2, verslaving: 1, huisvesting: 1 },
	zonder_wettig_verblijf: { administratie: 5, basisbehoeften: 3, gezondheid: 2, huisvesting: 2, werk: 1 },
	geisoleerde_ouderen: { netwerk: 5, gezondheid: 3, inkomen: 2, administratie: 1 },
	psychisch_kwetsbaar: { gezondheid: 5, netwerk: 2, huisvesting: 2, administratie: 1 },
	eu_migranten: { administratie: 3, werk: 3, huisvesting: 3, basisbehoeften: 3, inkomen: 1 }
};

// Where a referral goes, given the contact's main theme.
const SERVICES_FOR_THEME: Record<string, Partial<Record<string, number>>> = {
	huisvesting: { nachtopvang: 3, caw: 3, ocmw: 2 },
	gezondheid: { gezondheid: 4 },
	inkomen: { ocmw: 4, caw: 2 },
	administratie: { ocmw: 3, caw: 3 },
	verslaving: { schadebeperking: 4, gezondheid: 1 },
	basisbehoeften: { voedselhulp: 3, dagcentrum: 2, inloop: 1 },
	veiligheid: { caw: 3, gezondheid: 1 },
	netwerk: { inloop: 3, dagcentrum: 2 },
	werk: { ocmw: 2, dagcentrum: 1, caw: 1 }
};

// Contact types: brief contacts and follow-ups dominate, crisis interventions are rare. The
// second number is the chance the contact ends in a referral (overall about 12 %).
const CONTACT_TYPES: [string, number, number][] = [
	['eerste_contact', 14, 0.08],
	['opvolging', 30, 0.09],
	['kort_contact', 38, 0.04],
	['crisis', 4, 0.45],
	['begeleiding', 6, 0.75],
	['groepscontact', 8, 0.05]
];

// Contacts away from the hot spots: home visits and neighbourhood work.
const SCATTER_GROUPS: Partial<Record<TargetGroupCode, number>> = {
	geisoleerde_ouderen: 3,
	psychisch_kwetsbaar: 2,
	jongeren: 2,
	dak_thuisloos: 1,
	zonder_wettig_verblijf: 1,
	eu_migranten: 1
};
const SCATTER_HOURS: HourWindow[] = [
	[9, 12, 1],
	[13, 17, 1]
];

// ---- calendar -------------------------------------------------------------------------------

/** 1 in mid-January, 0 in mid-July: how "winter" a day is. */
function winterness(dayMs: number): number {
	const d = new Date(dayMs);
	const doy = (dayMs - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS;
	return (Math.cos((2 * Math.PI * (doy - 15)) / 365.25) + 1) / 2;
}

/** Gentse Feesten: ten days around 21 July (approximate dates are enough for a demo). */
function isFeesten(dayMs: number): boolean {
	const d = new Date(dayMs);
	return d.getUTCMonth() === 6 && d.getUTCDate() >= 14 && d.getUTCDate() <= 24;
}

// Monday..Sunday: Tuesday and Thursday are the fixed round days in many teams; Saturday has an
// evening round only; Sunday is a thin permanence.
const WEEKDAY_FACTOR = [1.0, 1.08, 1.0, 1.08, 1.0, 0.6, 0.3];

// ---- generator ------------------------------------------------------------------------------

interface SpotModel {
	team: number;
	lat: number;
	lng: number;
	spread: number;
	groups: Mix;
	hours: HourWindow[];
	nightlife: boolean;
	baseWeight: number;
	season: number;
}

function pickHour(rng: Random, windows: HourWindow[], eveningBoost: number): number {
	const w = windows.map(([a, , wt]) => wt * (a >= 19 ? eveningBoost : 1));
	const [from, to] = windows[rng.weightedIndex(w)]!;
	return Math.floor(rng.uniform(from * 60, to * 60)); // minutes after local midnight
}

/** Appends up to n ids by weight, none already in `out` (n is 1–3, lists are short). */
function drawDistinct(rng: Random, ids: number[], weights: number[], n: number, out: number[]): void {
	const w = weights.map((x, i) => (out.includes(ids[i]!) ? 0 : x));
	for (let k = 0; k < n; k++) {
		if (!w.some((x) => x > 0)) return;
		const i = rng.weightedIndex(w);
		out.push(ids[i]!);
		w[i] = 0;
	}
}

const CO_MIX = new Map<number, Mix>(Object.entries(CO_OCCUR).map(([code, w]) => [idOf(TG, code), mix(TG, w)]));
const THEME_MIX = new Map<number, Mix>(Object.entries(THEMES_FOR).map(([code, w]) => [idOf(TG, code), mix(TH, w)]));
const SERVICE_MIX = new Map<number, Mix>(Object.entries(SERVICES_FOR_THEME).map(([code, w]) => [idOf(TH, code), mix(SC, w)]));
const TYPE_IDS = CONTACT_TYPES.map(([c]) => idOf(CT, c));
const GROUP_CONTACT = idOf(CT, 'groepscontact');
const TYPE_WEIGHTS = CONTACT_TYPES.map(([, w]) => w);
// Young people are met in groups more often.
const TYPE_WEIGHTS_YOUTH = CONTACT_TYPES.map(([, w], i) => (TYPE_IDS[i] === GROUP_CONTACT ? w * 3 : w));
const THEME_COUNT = Math.max(...DEFAULT_VOCABULARIES.theme.map((e) => e.id));
/** THEME_IDS[i] = i, so a weight array indexed by theme id can be drawn from directly. */
const THEME_IDS = Array.from({ length: THEME_COUNT + 1 }, (_, i) => i);
const HOMELESS = idOf(TG, 'dak_thuisloos');
const YOUTH = idOf(TG, 'jongeren');

function emptyBatch(): ContactBatch {
	return {
		size: 0,
		occurredAt: [],
		cell: [],
		contactType: [],
		targetGroups: [],
		themes: [],
		persons: [],
		referral: [],
		referralServiceId: [],
		referralTarget: [],
		teamId: [],
		externalId: []
	};
}

/**
 * Contact rows for a period of `months` ending on `today`, in time order, `batchSize` rows a
 * batch. Deterministic for (seed, count, today, months, storageRes, services, teams).
 */
export function* generateContacts(opts: ContactOptions): Generator<ContactBatch> {
	const months = opts.months ?? 24;
	const res = opts.storageRes ?? 10;
	const batchSize = opts.batchSize ?? 10_000;
	const services = opts.services ?? [];
	const teams = opts.teams ?? [];
	const rng = new Random(opts.seed, 'contacts');

	// 1. Days and how many contacts each gets: weekday x season x trend x holidays, with some
	//    day-to-day noise, apportioned to exactly `count` by largest remainder.
	const first = dayStartUtcMs(periodStart(opts.today, months));
	const last = dayStartUtcMs(opts.today);
	const days: number[] = [];
	for (let t = first; t <= last; t += DAY_MS) days.push(t);
	const weights = days.map((t, i) => {
		const d = new Date(t);
		const dow = (d.getUTCDay() + 6) % 7; // 0 = Monday
		const trend = 0.85 + (0.3 * i) / Math.max(1, days.length - 1);
		const season = 0.92 + 0.16 * winterness(t);
		const md = `${d.getUTCMonth() + 1}-${d.getUTCDate()}`;
		const holiday = md === '12-25' || md === '1-1' ? 0.4 : 1;
		const feesten = isFeesten(t) ? 1.2 : 1;
		const noise = Math.max(0.5, 1 + 0.12 * rng.normal());
		return WEEKDAY_FACTOR[dow]! * trend * season * holiday * feesten * noise;
	});
	const total = weights.reduce((a, b) => a + b, 0);
	const exact = weights.map((w) => (opts.count * w) / total);
	const perDay = exact.map(Math.floor);
	let left = opts.count - perDay.reduce((a, b) => a + b, 0);
	const byFraction = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
	for (const [, i] of byFraction) {
		if (left-- <= 0) break;
		perDay[i]!++;
	}

	// 2. Static models.
	const spots: SpotModel[] = HOT_SPOTS.map((h) => ({
		team: h.team,
		lat: h.lat,
		lng: h.lng,
		spread: h.spread,
		groups: mix(TG, h.groups),
		hours: h.hours,
		nightlife: !!h.nightlife,
		baseWeight: h.weight,
		season: h.season
	}));
	const districts = loadDistricts();
	const pickDistrict = weightedSampler(districts.map((d) => d.population));
	const scatterGroups = mix(TG, SCATTER_GROUPS);
	const cellCache = new Map<string, string>();
	const byCategory = new Map<number, ServiceRef[]>();
	for (const s of services) byCategory.set(s.category, [...(byCategory.get(s.category) ?? []), s]);
	const categoryOf = new Map(services.map((s) => [s.serviceId, s.category]));

	let batch = emptyBatch();
	let n = 0;
	const groups: number[] = [];
	const themes: number[] = [];
	const themeWeights = new Array<number>(THEME_COUNT + 1).fill(0); // indexed by theme id
	// One day's rows, sorted by time before they are numbered, so that contact ids and
	// external ids run in time order as they would in a real log.
	let day: DayRow[];

	for (let di = 0; di < days.length; di++) {
		const dayMs = days[di]!;
		const dow = (new Date(dayMs).getUTCDay() + 6) % 7;
		const w = winterness(dayMs);
		const feesten = isFeesten(dayMs);
		const weekendNight = dow === 4 || dow === 5; // Friday, Saturday evenings
		// Hot spot weights for this day: seasonal shift, busier nightlife spots at weekends.
		const pickSpot = weightedSampler(
			spots.map(
				(s) =>
					s.baseWeight *
					Math.max(0.2, 1 + 0.6 * s.season * (2 * w - 1)) *
					(s.nightlife && weekendNight ? 1.5 : 1) *
					(s.nightlife && feesten ? 2.5 : 1)
			)
		);
		// Seasonal shift in who is met: homeless people in the cold, young people in summer.
		const groupFactor = (id: number) => (id === HOMELESS ? 0.7 + 0.7 * w : id === YOUTH ? (0.65 + 0.8 * (1 - w)) * (feesten ? 1.5 : 1) : 1);
		const spotGroupWeights = spots.map((s) => s.groups.weights.map((x, i) => x * groupFactor(s.groups.ids[i]!)));
		const scatterWeights = scatterGroups.weights.map((x, i) => x * groupFactor(scatterGroups.ids[i]!));

		day = [];
		for (let k = 0; k < perDay[di]!; k++) {
			// Where and when.
			let lat: number, lng: number, teamIndex: number, minutes: number, base: Mix, baseW: number[];
			if (rng.chance(0.9)) {
				const si = pickSpot(rng);
				const s = spots[si]!;
				({ lat, lng } = jitter(rng, s.lat, s.lng, s.spread));
				teamIndex = rng.chance(0.92) ? s.team : rng.int(0, 2);
				minutes = pickHour(rng, s.hours, weekendNight && s.nightlife ? 1.5 : 1);
				base = s.groups;
				baseW = spotGroupWeights[si]!;
			} else {
				({ lat, lng } = randomPointIn(rng, districts[pickDistrict(rng)]!));
				teamIndex = teamIndexAt(lat, lng);
				minutes = pickHour(rng, SCATTER_HOURS, 1);
				base = scatterGroups;
				baseW = scatterWeights;
			}
			const hex = snapToCell(lat, lng, res);
			let cell = cellCache.get(hex);
			if (cell === undefined) {
				// jitter() keeps a margin from the bbox edge larger than a cell, so this holds.
				const [clat, clng] = cellToLatLng(hex);
				if (!insideBbox(clat, clng)) throw new Error(`cell ${hex} outside the Ghent bbox`);
				cell = BigInt('0x' + hex).toString();
				cellCache.set(hex, cell);
			}

			// Who: 1–3 target groups, the first from the place, the others from co-occurrence.
			groups.length = 0;
			drawDistinct(rng, base.ids, baseW, 1, groups);
			const extra = rng.chance(0.35) ? (rng.chance(0.2) ? 2 : 1) : 0;
			if (extra > 0) {
				const co = CO_MIX.get(groups[0]!)!;
				drawDistinct(rng, co.ids, co.weights, extra, groups);
			}

			// What about: 1–3 themes from the groups' theme profiles.
			themes.length = 0;
			themeWeights.fill(0);
			for (const g of groups) {
				const m = THEME_MIX.get(g)!;
				for (let i = 0; i < m.ids.length; i++) themeWeights[m.ids[i]!]! += m.weights[i]!;
			}
			const nThemes = rng.chance(0.5) ? 1 : rng.chance(0.7) ? 2 : 3;
			drawDistinct(rng, THEME_IDS, themeWeights, nThemes, themes);

			// How: contact type, persons, referral.
			const ti = rng.weightedIndex(groups.includes(YOUTH) ? TYPE_WEIGHTS_YOUTH : TYPE_WEIGHTS);
			const type = TYPE_IDS[ti]!;
			const persons = type === GROUP_CONTACT ? 2 + Math.min(4, rng.poisson(1.6)) : rng.chance(0.88) ? 1 : rng.chance(0.83) ? 2 : 3;
			const referral = rng.chance(CONTACT_TYPES[ti]![2]);
			let serviceId: number | null = null;
			// 15 % of referrals go somewhere outside the list (a GP, a lawyer, family).
			if (referral && services.length > 0 && rng.chance(0.85)) {
				serviceId = pickService(rng, byCategory, themes[0]!, lat, lng);
			}
			day.push({
				minutes,
				cell,
				type,
				persons,
				referral,
				serviceId,
				groups: `{${groups.sort((a, b) => a - b).join(',')}}`,
				themes: `{${themes.sort((a, b) => a - b).join(',')}}`,
				team: teams.length ? teams[teamIndex % teams.length]! : null
			});
		}

		day.sort((a, b) => a.minutes - b.minutes); // stable: equal minutes keep draw order
		for (const r of day) {
			n++;
			batch.occurredAt.push(new Date(brusselsToUtc(dayMs, r.minutes)).toISOString());
			batch.cell.push(r.cell);
			batch.contactType.push(r.type);
			batch.targetGroups.push(r.groups);
			batch.themes.push(r.themes);
			batch.persons.push(r.persons);
			batch.referral.push(r.referral);
			batch.referralServiceId.push(r.serviceId);
			batch.referralTarget.push(r.serviceId === null ? null : (categoryOf.get(r.serviceId) ?? null));
			batch.teamId.push(r.team);
			batch.externalId.push(`demo-c-${String(n).padStart(7, '0')}`);
			if (++batch.size === batchSize) {
				yield batch;
				batch = emptyBatch();
			}
		}
	}
	if (batch.size > 0) yield batch;
}

interface DayRow {
	minutes: number;
	cell: string;
	type: number;
	groups: string;
	themes: string;
	persons: number;
	referral: boolean;
	serviceId: number | null;
	team: number | null;
}

/** A service of a category fitting the theme, among the three nearest, closer ones likelier. */
function pickService(rng: Random, byCategory: Map<number, ServiceRef[]>, theme: number, lat: number, lng: number): number | null {
	const cats = SERVICE_MIX.get(theme);
	if (!cats) return null;
	const available = cats.ids.map((c, i) => (byCategory.has(c) ? cats.weights[i]! : 0));
	if (!available.some((x) => x > 0)) return null;
	const list = byCategory.get(cats.ids[rng.weightedIndex(available)]!)!;
	const near = list
		.map((s) => ({ s, d: distanceM({ lat, lng }, s) }))
		.sort((a, b) => a.d - b.d)
		.slice(0, 3);
	return near[rng.weightedIndex(near.map((x) => 1 / (x.d + 300)))]!.s.serviceId;
}

/**
 * Cheap rows for a benchmark: `count` contacts over 24 months to `today`, no referral services
 * and no teams (so they fit any organisation), in batches of `batchSize`.
 */
export function benchmarkContacts(
	count: number,
	opts: { seed?: number; today?: string; batchSize?: number; storageRes?: number } = {}
): Generator<ContactBatch> {
	return generateContacts({
		seed: opts.seed ?? 1,
		count,
		today: opts.today ?? todayInBrussels(),
		batchSize: opts.batchSize,
		storageRes: opts.storageRes
	});
}
