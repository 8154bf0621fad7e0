// Generated signals ("signalen", "meldingen") for the demo: reports by partners, citizens and
// workers that someone may need help at a place. Short Dutch descriptions, never a name or a
// house number. A third of them sit at QUIET_SPOTS, places with hardly any contacts, so the
// underserved analysis ("signals but no visits") has something to find.
import { snapToCell } from '../../domain/cells';
import { DEFAULT_VOCABULARIES } from '../../domain/vocabulary';
import { DAY_MS, brusselsToUtc, dayStartUtcMs, periodStart } from '../../domain/calendar';
import { HOT_SPOTS, QUIET_SPOTS, type TargetGroupCode } from './places';
import { jitter, loadDistricts, randomPointIn } from './gent-areas';
import { Random, weightedSampler } from './random';

export interface DemoSignal {
	/** UTC ISO-8601 */
	reportedAt: string;
	/** H3 cell at the storage resolution, decimal bigint string */
	cell: string;
	reporterKind: 'partner' | 'citizen' | 'worker';
	description: string;
	/** Postgres array literal, e.g. '{1,7}' */
	targetGroups: string;
	status: 'open' | 'handled';
	handledAt: string | null;
	externalId: string;
}

export interface SignalOptions {
	seed: number;
	count?: number;
	today: string;
	months?: number;
	storageRes?: number;
}

// `{at}` is replaced by the place phrase ("aan station Dampoort", "in Ledeberg").
const TEXTS: Record<TargetGroupCode, string[]> = {
	dak_thuisloos: [
		'Persoon slaapt al enkele nachten in een portiek {at}',
		'Tentje gezien {at}',
		'Man met slaapzak en veel bagage {at}, lijkt geen opvang te hebben',
		'Matras en dekens onder de brug {at}',
		'Vrouw overnacht in haar auto {at}',
		'Iemand slaapt in het fietsenhok {at}'
	],
	druggebruik: [
		'Gebruikte spuiten gevonden {at}',
		'Groepje mensen gebruikt openlijk {at}',
		'Persoon onder invloed en verward {at}',
		'Buurtbewoners melden dealen en gebruik {at}'
	],
	sekswerk: [
		'Jonge vrouw lijkt onder druk te werken {at}',
		'Sekswerker vraagt naar medische hulp {at}',
		'Nieuwe gezichten achter de ramen, spreken geen Nederlands of Engels'
	],
	jongeren: [
		"Groep jongeren hangt 's avonds rond {at}, buurt maakt zich zorgen",
		'Minderjarige lijkt niet meer naar huis te gaan',
		'Jongere slaapt bij wisselende vrienden, school meldt afwezigheid'
	],
	zonder_wettig_verblijf: [
		'Gezin zonder papieren zoekt onderdak {at}',
		'Man zonder verblijfsdocumenten heeft dringend medische zorg nodig',
		'Mensen zonder papieren overnachten in een leegstaand pand {at}'
	],
	geisoleerde_ouderen: [
		'Oudere buurman komt al weken niet meer buiten {at}',
		'Brievenbus puilt uit, bewoner reageert niet op aanbellen',
		'Oudere vrouw lijkt vereenzaamd en verwaarloost zichzelf'
	],
	psychisch_kwetsbaar: [
		'Persoon praat verward en lijkt niet voor zichzelf te zorgen {at}',
		'Vrouw zit dagelijks urenlang op dezelfde bank {at}',
		'Man roept en is angstig, weigert hulp van omstaanders {at}'
	],
	eu_migranten: [
		'Groep mannen slaapt in een busje {at}',
		"Dagloners wachten 's ochtends {at}, sommigen overnachten buiten",
		'Gezin uit een ander EU-land bedelt {at} en zoekt werk'
	]
};

const KINDS: DemoSignal['reporterKind'][] = ['partner', 'citizen', 'worker'];
const KIND_WEIGHTS = [45, 35, 20];
const TG = Object.fromEntries(DEFAULT_VOCABULARIES.target_group.map((e) => [e.code, e.id]));

/** Draw a target-group code from a partial weight table. */
function drawGroup(rng: Random, w: Partial<Record<TargetGroupCode, number>>): TargetGroupCode {
	const codes = Object.keys(w) as TargetGroupCode[];
	return rng.pickWeighted(
		codes,
		codes.map((c) => w[c]!)
	);
}

export function generateSignals(opts: SignalOptions): DemoSignal[] {
	const rng = new Random(opts.seed, 'signals');
	const count = opts.count ?? 240;
	const res = opts.storageRes ?? 10;
	const first = dayStartUtcMs(periodStart(opts.today, opts.months ?? 24));
	const last = dayStartUtcMs(opts.today);
	const periodDays = Math.round((last - first) / DAY_MS);
	const districts = loadDistricts();
	const pickDistrict = weightedSampler(districts.map((d) => d.population));
	const pickSpot = weightedSampler(HOT_SPOTS.map((h) => h.weight));
	const out: DemoSignal[] = [];

	for (let i = 0; i < count; i++) {
		// Where: 55 % hot spots, 35 % quiet spots, 10 % anywhere in the districts.
		const r = rng.next();
		let point: { lat: number; lng: number };
		let at: string;
		let group: TargetGroupCode;
		if (r < 0.55) {
			const s = HOT_SPOTS[pickSpot(rng)]!;
			point = jitter(rng, s.lat, s.lng, s.spread);
			at = s.at;
			group = drawGroup(rng, s.groups);
		} else if (r < 0.9) {
			const q = rng.pick(QUIET_SPOTS);
			point = jitter(rng, q.lat, q.lng, q.spread);
			at = q.at;
			group = drawGroup(rng, q.groups);
		} else {
			const d = districts[pickDistrict(rng)]!;
			point = randomPointIn(rng, d);
			at = `in ${d.name.split(' - ')[0]}`;
			group = drawGroup(rng, { geisoleerde_ouderen: 3, psychisch_kwetsbaar: 2, dak_thuisloos: 2, jongeren: 1 });
		}
		const groups = new Set([TG[group]!]);
		if (rng.chance(0.25)) groups.add(TG[rng.pick(['psychisch_kwetsbaar', 'druggebruik', 'dak_thuisloos'])]!);

		// When and status: ~30 % open, reported in the last three months (mostly the last
		// weeks); the rest handled within 0–3 weeks, reported anywhere in the period.
		const open = rng.chance(0.3);
		// (from yesterday back, so nothing is dated later today than the seed runs)
		const daysAgo = open ? 1 + Math.floor(Math.min(periodDays - 1, 89) * rng.next() ** 1.6) : rng.int(3, periodDays);
		const dayMs = last - daysAgo * DAY_MS;
		const reported = brusselsToUtc(dayMs, rng.int(7 * 60, 22 * 60));
		let handledAt: string | null = null;
		if (!open) {
			// handled 2 h to 3 weeks later, but not after the start of `today`
			const handled = Math.min(reported + rng.uniform(0.1, 21) * DAY_MS, last);
			handledAt = new Date(Math.max(handled, reported + 2 * 3_600_000)).toISOString();
		}

		const text = rng.pick(TEXTS[group]);
		out.push({
			reportedAt: new Date(reported).toISOString(),
			cell: BigInt('0x' + snapToCell(point.lat, point.lng, res)).toString(),
			reporterKind: rng.pickWeighted(KINDS, KIND_WEIGHTS),
			description: text.includes('{at}') ? text.replace('{at}', at) : text,
			targetGroups: `{${[...groups].sort((a, b) => a - b).join(',')}}`,
			status: open ? 'open' : 'handled',
			handledAt,
			externalId: ''
		});
	}
	// Number in time order, so ids read chronologically.
	out.sort((a, b) => (a.reportedAt < b.reportedAt ? -1 : a.reportedAt > b.reportedAt ? 1 : 0));
	out.forEach((s, i) => (s.externalId = `demo-s-${String(i + 1).padStart(4, '0')}`));
	return out;
}
