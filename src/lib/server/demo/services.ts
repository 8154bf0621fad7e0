// Generated (FICTIONAL) service locations for the demo organisation. No open extract of Ghent's
// social services was at hand, so we invent them: every name carries "Demo" and every address
// says "demo-adres", so nobody mistakes them for a real shelter. They are placed where real ones
// tend to be (near the centre, stations and the hot spots) so the access analysis looks sensible.
import { cellCentre, distanceM, snapToCell } from '../../domain/cells';
import { DEFAULT_VOCABULARIES } from '../../domain/vocabulary';
import { HOT_SPOTS } from './places';
import { districtAt, jitter, loadDistricts, randomPointIn } from './gent-areas';
import { Random, weightedSampler } from './random';

/** Services are public places: a fine cell (res 12, edge ~9 m) is stored for the map symbol. */
export const SERVICE_RES = 12;

export interface DemoService {
	externalId: string;
	/** id in DEFAULT_VOCABULARIES.service_category */
	category: number;
	categoryCode: string;
	name: string;
	/** H3 cell (hex) at SERVICE_RES */
	cell: string;
	/** Centre of `cell` (a public address, not a person), for distance calculations. */
	lat: number;
	lng: number;
	address: string;
	capacity: number;
	/** OpenStreetMap opening_hours syntax */
	openingHours: string;
}

interface CategorySpec {
	count: number;
	/** Name before "Demo <place>". */
	label: string;
	/** Opening-hours choices (OSM syntax). */
	hours: string[];
	capacity: [number, number];
	/** Share placed at hot spots (the rest goes to districts, weighted by population). */
	atHotSpots: number;
	/** Hot spots this kind of service clusters near (weight x4). */
	prefer: string[];
}

// Per category: how many, what they are called, when they open. Night shelters open overnight;
// the social services keep office hours; food aid runs a few half-days a week.
const SPECS: Record<string, CategorySpec> = {
	nachtopvang: {
		count: 5,
		label: 'Nachtopvang',
		hours: ['Mo-Su 20:00-08:00', 'Mo-Su 21:00-08:30'],
		capacity: [18, 80],
		atHotSpots: 0.9,
		prefer: ['sint-pieters', 'dampoort', 'zuid', 'muide']
	},
	ocmw: {
		count: 9,
		label: 'OCMW sociale dienst',
		hours: ['Mo-Fr 08:30-12:00,13:30-16:30', 'Mo-Th 09:00-12:00; Fr 09:00-12:00,13:30-16:00'],
		capacity: [60, 200],
		atHotSpots: 0.2,
		prefer: []
	},
	caw: {
		count: 8,
		label: 'CAW onthaal',
		hours: ['Mo-Fr 09:00-12:30; Tu,Th 13:30-17:00', 'Mo,We,Fr 09:00-16:00'],
		capacity: [30, 90],
		atHotSpots: 0.5,
		prefer: ['zuid', 'dampoort', 'korenmarkt']
	},
	gezondheid: {
		count: 10,
		label: 'Wijkgezondheidscentrum',
		hours: ['Mo-Fr 08:30-18:00', 'Mo-Fr 08:00-19:00; Sa 09:00-12:00'],
		capacity: [40, 150],
		atHotSpots: 0.4,
		prefer: ['rabot', 'brugse-poort', 'ledeberg', 'nieuw-gent']
	},
	voedselhulp: {
		count: 10,
		label: 'Voedselbedeling',
		hours: ['Tu,Th 13:00-16:00', 'We 09:00-12:00; Sa 10:00-12:00', 'Mo,Fr 14:00-17:00'],
		capacity: [50, 250],
		atHotSpots: 0.4,
		prefer: ['rabot', 'brugse-poort', 'muide', 'sint-amandsberg']
	},
	inloop: {
		count: 8,
		label: 'Inloopcentrum',
		hours: ['Mo-Fr 10:00-16:00', 'Mo-Sa 09:30-15:30'],
		capacity: [20, 60],
		atHotSpots: 0.7,
		prefer: ['korenmarkt', 'vrijdagmarkt', 'rabot', 'ledeberg']
	},
	dagcentrum: {
		count: 6,
		label: 'Dagcentrum',
		hours: ['Mo-Su 08:30-16:30', 'Mo-Fr 08:00-17:00; Sa,Su 10:00-16:00'],
		capacity: [25, 70],
		atHotSpots: 0.85,
		prefer: ['sint-pieters', 'zuid', 'dampoort', 'korenmarkt']
	},
	schadebeperking: {
		count: 6,
		label: 'Spuitenruil en drugpunt',
		hours: ['Mo-Fr 10:00-17:00', 'Mo,We,Fr 13:00-19:00'],
		capacity: [15, 50],
		atHotSpots: 0.9,
		prefer: ['dampoort', 'zuid', 'sint-pieters', 'portus-ganda']
	}
};

// Postcodes of Ghent's deelgemeenten by district number, for a plausible address line.
const POSTCODE: Record<number, string> = {
	8: '9032 Wondelgem',
	11: '9042 Gent',
	12: '9041 Oostakker',
	14: '9040 Sint-Amandsberg',
	15: '9050 Gentbrugge',
	16: '9050 Gentbrugge',
	17: '9050 Gentbrugge',
	18: '9050 Ledeberg',
	19: '9052 Zwijnaarde',
	23: '9051 Sint-Denijs-Westrem',
	24: '9030 Mariakerke',
	25: '9031 Drongen'
};

/** "Zuid (Woodrow Wilsonplein – Zuidpark)" -> "Zuid"; "Rabot - Blaisantvest" -> "Rabot". */
function shortName(name: string): string {
	return name.split(/ \(| – | - /)[0]!.trim();
}

const CENTRE = { lat: 51.0545, lng: 3.7219 };

// Hot spots that are streets of nightlife, sex work or leisure rather than neighbourhoods: a
// "Voedselbedeling Demo Glazen Straatje" would read as a joke, so services are not named there.
const NO_SERVICES = new Set(['glazen-straatje', 'overpoort', 'graslei', 'blaarmeersen']);

/** The demo services for a seed: the same list on every machine, independent of contact count. */
export function generateServices(seed = 42): DemoService[] {
	const rng = new Random(seed, 'services');
	const districts = loadDistricts();
	// Districts weighted by population and pulled toward the centre, where services concentrate.
	const pickDistrict = weightedSampler(
		districts.map((d) => {
			const b = d.bounds;
			const km = distanceM({ lat: (b[1] + b[3]) / 2, lng: (b[0] + b[2]) / 2 }, CENTRE) / 1000;
			return d.population * Math.exp(-km / 3);
		})
	);
	const out: DemoService[] = [];
	const usedNames = new Set<string>();
	for (const cat of DEFAULT_VOCABULARIES.service_category) {
		const spec = SPECS[cat.code];
		if (!spec) throw new Error(`no demo spec for service category ${cat.code}`);
		const pickSpot = weightedSampler(HOT_SPOTS.map((h) => (NO_SERVICES.has(h.key) ? 0 : h.weight * (spec.prefer.includes(h.key) ? 4 : 1))));
		for (let i = 0; i < spec.count; i++) {
			let point: { lat: number; lng: number };
			let place: string;
			if (rng.chance(spec.atHotSpots)) {
				const spot = HOT_SPOTS[pickSpot(rng)]!;
				point = jitter(rng, spot.lat, spot.lng, Math.max(150, spot.spread * 1.5));
				place = shortName(spot.name);
			} else {
				const d = districts[pickDistrict(rng)]!;
				point = randomPointIn(rng, d);
				place = shortName(d.name);
			}
			let name = `${spec.label} Demo ${place}`;
			for (let n = 2; usedNames.has(name); n++) name = `${spec.label} Demo ${place} ${n}`;
			usedNames.add(name);
			const cell = snapToCell(point.lat, point.lng, SERVICE_RES);
			const centre = cellCentre(cell);
			const district = districtAt(centre.lat, centre.lng);
			const postcode = (district && POSTCODE[district.wijknr]) ?? '9000 Gent';
			out.push({
				externalId: '', // numbered below, in output order
				category: cat.id,
				categoryCode: cat.code,
				name,
				cell,
				lat: centre.lat,
				lng: centre.lng,
				address: `Demo-adres nabij ${place}, ${postcode}`,
				capacity: Math.round(rng.uniform(spec.capacity[0], spec.capacity[1] + 1) / 5) * 5 || 5,
				openingHours: rng.pick(spec.hours)
			});
		}
	}
	out.forEach((s, i) => (s.externalId = `demo-svc-${String(i + 1).padStart(3, '0')}`));
	return out;
}
