// Where outreach happens in Ghent, for the generated demo data: real, publicly known places with
// approximate coordinates (a few hundred metres matter little; everything is snapped to ~66 m
// cells and jittered). Nothing here comes from real contact records: the weights and target-group
// mixes are a plausible guess from what is publicly known about where street-based work in Ghent
// happens (stations, the Zuid, canal sides, the window-prostitution street, student nightlife),
// meant to give the demo map recognisable patterns, not facts.

/** Ghent (city limits) as [west, south, east, north]; every generated point stays inside. */
export const GENT_BBOX: [number, number, number, number] = [3.5798, 50.9795, 3.8493, 51.1889];

/** Target-group codes of DEFAULT_VOCABULARIES.target_group. */
export type TargetGroupCode =
	| 'dak_thuisloos'
	| 'druggebruik'
	| 'sekswerk'
	| 'jongeren'
	| 'zonder_wettig_verblijf'
	| 'geisoleerde_ouderen'
	| 'psychisch_kwetsbaar'
	| 'eu_migranten';

/** [first hour, last hour (exclusive), relative weight] in local time (Europe/Brussels). */
export type HourWindow = [number, number, number];

// Reused round patterns. Office hours are roughly 9–22: day rounds, plus evening rounds where
// the target group is only there after dark (sex work, nightlife). Stations get an early window:
// people who slept rough are met when they wake up and before commuters move them on.
const DAY: HourWindow[] = [
	[9, 12, 1],
	[13, 17, 1.2]
];
const DAY_EVENING: HourWindow[] = [
	[9, 12, 0.8],
	[13, 17, 1],
	[19, 22, 0.6]
];
const STATION: HourWindow[] = [
	[7, 9, 0.5],
	[9, 12, 1],
	[13, 17, 1],
	[19, 22, 0.5]
];
const EVENING: HourWindow[] = [
	[13, 17, 0.25],
	[19, 24, 1]
];

export interface HotSpot {
	/** Stable key, also used in generated names. */
	key: string;
	name: string;
	/** Dutch phrase for "where", used in signal descriptions ("aan het station"). */
	at: string;
	lat: number;
	lng: number;
	/** Standard deviation of the gaussian jitter around the centre, metres. */
	spread: number;
	/** Share of contacts (relative). */
	weight: number;
	groups: Partial<Record<TargetGroupCode, number>>;
	hours: HourWindow[];
	/** +1: busier in winter (shelter-seeking), -1: busier in summer (parks, outdoor life). */
	season: number;
	/** Busier on Friday and Saturday evenings. */
	nightlife?: boolean;
	/** Index into the demo teams: 0 Centrum, 1 Noord, 2 Zuid. */
	team: number;
}

export const HOT_SPOTS: HotSpot[] = [
	// Stations: transit hubs with shelter from the weather, toilets and passers-by to beg from;
	// rough sleepers, people who use drugs and newly arrived (EU) migrants gather here.
	{
		key: 'sint-pieters',
		name: 'Gent-Sint-Pieters',
		at: 'aan station Gent-Sint-Pieters',
		lat: 51.0359,
		lng: 3.7107,
		spread: 220,
		weight: 11,
		season: 0.8,
		team: 2,
		hours: STATION,
		groups: { dak_thuisloos: 5, druggebruik: 3, eu_migranten: 2, zonder_wettig_verblijf: 2, psychisch_kwetsbaar: 2, jongeren: 1 }
	},
	{
		key: 'dampoort',
		name: 'Dampoort',
		at: 'aan station Dampoort',
		lat: 51.0561,
		lng: 3.7406,
		spread: 200,
		weight: 7,
		season: 0.7,
		team: 1,
		hours: STATION,
		groups: { dak_thuisloos: 4, druggebruik: 4, eu_migranten: 1, psychisch_kwetsbaar: 2 }
	},
	// Historic centre: begging, street drinking, tourists' spare change; young people at night.
	{
		key: 'korenmarkt',
		name: 'Korenmarkt',
		at: 'op de Korenmarkt',
		lat: 51.0545,
		lng: 3.7219,
		spread: 180,
		weight: 8,
		season: 0.2,
		team: 0,
		hours: DAY_EVENING,
		nightlife: true,
		groups: { dak_thuisloos: 4, eu_migranten: 3, druggebruik: 2, jongeren: 2, psychisch_kwetsbaar: 1 }
	},
	{
		key: 'kouter',
		name: 'Kouter',
		at: 'aan de Kouter',
		lat: 51.0505,
		lng: 3.7238,
		spread: 150,
		weight: 4,
		season: 0.3,
		team: 0,
		hours: DAY,
		groups: { dak_thuisloos: 3, eu_migranten: 3, psychisch_kwetsbaar: 1 }
	},
	{
		key: 'vrijdagmarkt',
		name: 'Vrijdagmarkt',
		at: 'op de Vrijdagmarkt',
		lat: 51.0571,
		lng: 3.7262,
		spread: 150,
		weight: 4,
		season: 0,
		team: 0,
		hours: DAY_EVENING,
		nightlife: true,
		groups: { dak_thuisloos: 3, druggebruik: 2, jongeren: 2, geisoleerde_ouderen: 1 }
	},
	{
		key: 'graslei',
		name: 'Graslei',
		at: 'aan de Graslei',
		lat: 51.054,
		lng: 3.7205,
		spread: 130,
		weight: 3,
		season: -0.6,
		team: 0,
		hours: EVENING,
		nightlife: true,
		groups: { jongeren: 4, druggebruik: 2, dak_thuisloos: 1 }
	},
	// Zuid: bus hub, shopping centre, the main library, Zuidpark: a daytime meeting place for
	// people without a home and for street drinkers; the window prostitution street is close by.
	{
		key: 'zuid',
		name: 'Zuid (Woodrow Wilsonplein – Zuidpark)',
		at: 'aan het Zuid',
		lat: 51.0465,
		lng: 3.7298,
		spread: 230,
		weight: 9,
		season: 0.4,
		team: 2,
		hours: DAY_EVENING,
		groups: { dak_thuisloos: 4, druggebruik: 4, psychisch_kwetsbaar: 2, jongeren: 1, eu_migranten: 1 }
	},
	// Glazen Straatje (Brabantdam area): window sex work; contacts happen in the evening.
	{
		key: 'glazen-straatje',
		name: 'Glazen Straatje (Brabantdam)',
		at: 'aan het Glazen Straatje',
		lat: 51.0502,
		lng: 3.729,
		spread: 90,
		weight: 4,
		season: 0,
		team: 0,
		hours: EVENING,
		groups: { sekswerk: 8, zonder_wettig_verblijf: 2, eu_migranten: 2, druggebruik: 1 }
	},
	// Overpoort: student nightlife; young people, alcohol and party drugs, late.
	{
		key: 'overpoort',
		name: 'Overpoort',
		at: 'in de Overpoortstraat',
		lat: 51.042,
		lng: 3.7265,
		spread: 150,
		weight: 3,
		season: -0.2,
		team: 2,
		hours: EVENING,
		nightlife: true,
		groups: { jongeren: 6, druggebruik: 3, psychisch_kwetsbaar: 1 }
	},
	// Portus Ganda: marina and riverside quays, sheltered corners under the bridges.
	{
		key: 'portus-ganda',
		name: 'Portus Ganda',
		at: 'aan Portus Ganda',
		lat: 51.0545,
		lng: 3.733,
		spread: 170,
		weight: 3,
		season: 0.3,
		team: 0,
		hours: DAY_EVENING,
		groups: { dak_thuisloos: 4, druggebruik: 3, jongeren: 1 }
	},
	// Canal sides: rough sleeping in tents and under bridges, out of sight.
	{
		key: 'coupure',
		name: 'Coupure',
		at: 'langs de Coupure',
		lat: 51.0535,
		lng: 3.711,
		spread: 300,
		weight: 3,
		season: -0.3,
		team: 0,
		hours: DAY,
		groups: { dak_thuisloos: 6, psychisch_kwetsbaar: 2, druggebruik: 1 }
	},
	{
		key: 'handelsdok',
		name: 'Handelsdok – Oude Dokken',
		at: 'aan het Handelsdok',
		lat: 51.0645,
		lng: 3.7325,
		spread: 280,
		weight: 3,
		season: -0.2,
		team: 1,
		hours: DAY,
		groups: { dak_thuisloos: 5, druggebruik: 2, eu_migranten: 2 }
	},
	{
		key: 'visserij',
		name: 'Visserij',
		at: 'langs de Visserij',
		lat: 51.0478,
		lng: 3.739,
		spread: 250,
		weight: 2,
		season: -0.2,
		team: 2,
		hours: DAY,
		groups: { dak_thuisloos: 5, psychisch_kwetsbaar: 2 }
	},
	// Parks: rough sleeping and drug use in summer, groups of young people on warm evenings.
	{
		key: 'citadelpark',
		name: 'Citadelpark',
		at: 'in het Citadelpark',
		lat: 51.0375,
		lng: 3.7225,
		spread: 250,
		weight: 4,
		season: -0.8,
		team: 2,
		hours: DAY_EVENING,
		groups: { dak_thuisloos: 3, druggebruik: 3, jongeren: 3, psychisch_kwetsbaar: 1 }
	},
	{
		key: 'koning-albertpark',
		name: 'Koning Albertpark',
		at: 'in het Koning Albertpark',
		lat: 51.039,
		lng: 3.7165,
		spread: 150,
		weight: 2,
		season: -0.7,
		team: 2,
		hours: DAY_EVENING,
		groups: { dak_thuisloos: 3, druggebruik: 2, jongeren: 2 }
	},
	{
		key: 'baudelopark',
		name: 'Baudelopark',
		at: 'in het Baudelopark',
		lat: 51.0585,
		lng: 3.73,
		spread: 120,
		weight: 2,
		season: -0.6,
		team: 0,
		hours: DAY_EVENING,
		groups: { jongeren: 3, dak_thuisloos: 2, druggebruik: 2, geisoleerde_ouderen: 1 }
	},
	// 19th-century working-class districts with many small, poor-quality rentals: hidden
	// homelessness (sofa surfing), isolated elderly, undocumented people, youth on squares.
	{
		key: 'rabot',
		name: 'Rabot',
		at: 'in de Rabotwijk',
		lat: 51.064,
		lng: 3.711,
		spread: 300,
		weight: 5,
		season: 0,
		team: 1,
		hours: DAY,
		groups: { jongeren: 3, geisoleerde_ouderen: 2, zonder_wettig_verblijf: 2, psychisch_kwetsbaar: 2, dak_thuisloos: 1 }
	},
	{
		key: 'brugse-poort',
		name: 'Brugse Poort (Bevrijdingslaan – Pierkespark)',
		at: 'in de Brugse Poort',
		lat: 51.0585,
		lng: 3.702,
		spread: 350,
		weight: 5,
		season: -0.1,
		team: 1,
		hours: DAY_EVENING,
		groups: { jongeren: 4, zonder_wettig_verblijf: 2, eu_migranten: 2, geisoleerde_ouderen: 2, druggebruik: 1 }
	},
	{
		key: 'ledeberg',
		name: 'Ledeberg (Ledebergplein)',
		at: 'in Ledeberg',
		lat: 51.0385,
		lng: 3.7435,
		spread: 300,
		weight: 4,
		season: 0,
		team: 2,
		hours: DAY,
		groups: { geisoleerde_ouderen: 3, jongeren: 2, psychisch_kwetsbaar: 2, eu_migranten: 2, dak_thuisloos: 1 }
	},
	{
		key: 'muide',
		name: 'Muide – Meulestede',
		at: 'aan de dokken in de Muide',
		lat: 51.0705,
		lng: 3.7335,
		spread: 350,
		weight: 3,
		season: 0,
		team: 1,
		hours: DAY,
		groups: { dak_thuisloos: 3, eu_migranten: 3, zonder_wettig_verblijf: 2, geisoleerde_ouderen: 1 }
	},
	{
		key: 'sint-amandsberg',
		name: 'Sint-Amandsberg (Antwerpsesteenweg)',
		at: 'in Sint-Amandsberg',
		lat: 51.062,
		lng: 3.75,
		spread: 400,
		weight: 3,
		season: 0.1,
		team: 1,
		hours: DAY,
		groups: { geisoleerde_ouderen: 4, psychisch_kwetsbaar: 2, eu_migranten: 2, jongeren: 1 }
	},
	{
		key: 'nieuw-gent',
		name: 'Nieuw Gent (Kikvorsstraat)',
		at: 'in Nieuw Gent',
		lat: 51.0235,
		lng: 3.723,
		spread: 300,
		weight: 4,
		season: 0,
		team: 2,
		hours: DAY_EVENING,
		groups: { jongeren: 4, geisoleerde_ouderen: 2, psychisch_kwetsbaar: 2, zonder_wettig_verblijf: 1, druggebruik: 1 }
	},
	{
		key: 'bloemekenswijk',
		name: 'Bloemekenswijk',
		at: 'in de Bloemekenswijk',
		lat: 51.07,
		lng: 3.707,
		spread: 300,
		weight: 2,
		season: 0,
		team: 1,
		hours: DAY,
		groups: { geisoleerde_ouderen: 3, jongeren: 2, psychisch_kwetsbaar: 1 }
	},
	// Blaarmeersen: lake and campsite; young people in summer, rough campers at its edges.
	{
		key: 'blaarmeersen',
		name: 'Blaarmeersen',
		at: 'aan de Blaarmeersen',
		lat: 51.0475,
		lng: 3.683,
		spread: 350,
		weight: 1.5,
		season: -1,
		team: 2,
		hours: DAY_EVENING,
		groups: { jongeren: 5, dak_thuisloos: 2, druggebruik: 1 }
	}
];

/**
 * Quiet spots: real places on the city's edge where hidden need is plausible (rough sleeping in
 * green belts, truck parks, isolated housing) but outreach workers seldom go. They get signals
 * and hardly any contacts, so the "underserved" analysis has something true to find.
 */
export interface QuietSpot {
	key: string;
	name: string;
	at: string;
	lat: number;
	lng: number;
	spread: number;
	groups: Partial<Record<TargetGroupCode, number>>;
}

export const QUIET_SPOTS: QuietSpot[] = [
	{
		key: 'gentbrugse-meersen',
		name: 'Gentbrugse Meersen',
		at: 'in de Gentbrugse Meersen',
		lat: 51.0335,
		lng: 3.771,
		spread: 300,
		groups: { dak_thuisloos: 4, psychisch_kwetsbaar: 2 }
	},
	{
		key: 'bourgoyen',
		name: 'Bourgoyen-Ossemeersen',
		at: 'aan de rand van de Bourgoyen',
		lat: 51.061,
		lng: 3.674,
		spread: 300,
		groups: { dak_thuisloos: 4, jongeren: 1 }
	},
	{
		key: 'flanders-expo',
		name: 'Flanders Expo (parkings)',
		at: 'op de parking aan Flanders Expo',
		lat: 51.0235,
		lng: 3.6955,
		spread: 250,
		groups: { eu_migranten: 4, zonder_wettig_verblijf: 3, dak_thuisloos: 2 }
	},
	{
		key: 'wondelgem',
		name: 'Wondelgem (station)',
		at: 'aan station Wondelgem',
		lat: 51.0885,
		lng: 3.7175,
		spread: 250,
		groups: { dak_thuisloos: 2, geisoleerde_ouderen: 3, jongeren: 1 }
	},
	{
		key: 'oostakker',
		name: 'Oostakker (centrum)',
		at: 'in Oostakker',
		lat: 51.096,
		lng: 3.772,
		spread: 350,
		groups: { geisoleerde_ouderen: 5, psychisch_kwetsbaar: 2 }
	},
	{
		key: 'zwijnaarde',
		name: 'Zwijnaarde (Technologiepark – E40)',
		at: 'bij de E40 in Zwijnaarde',
		lat: 51.0125,
		lng: 3.712,
		spread: 350,
		groups: { eu_migranten: 3, zonder_wettig_verblijf: 3, dak_thuisloos: 2 }
	},
	{
		key: 'moscou',
		name: 'Moscou – Vogelhoek',
		at: 'in Moscou',
		lat: 51.026,
		lng: 3.756,
		spread: 300,
		groups: { geisoleerde_ouderen: 4, psychisch_kwetsbaar: 2, jongeren: 1 }
	},
	{
		key: 'drongen',
		name: 'Drongen (centrum)',
		at: 'in Drongen',
		lat: 51.05,
		lng: 3.658,
		spread: 350,
		groups: { geisoleerde_ouderen: 4, jongeren: 1 }
	},
	{
		key: 'kanaalzone',
		name: 'Kanaalzone (Rieme – Desteldonk)',
		at: 'in de kanaalzone',
		lat: 51.125,
		lng: 3.785,
		spread: 600,
		groups: { eu_migranten: 3, zonder_wettig_verblijf: 3, dak_thuisloos: 2 }
	}
];
