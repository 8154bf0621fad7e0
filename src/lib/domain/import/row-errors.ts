// Import problems as the coordinator reads them: which row, which column of THEIR file, what is
// wrong and what to do, in Dutch and English. Codes are stable for the UI and for tests.

export interface LocalisedText {
	nl: string;
	en: string;
}

export interface RowIssue {
	/** 1-based row as a spreadsheet shows the file (a record spanning lines is one row); 0 = whole file. */
	row: number;
	/** The file's column name ('' for a whole-row problem). */
	field: string;
	code: IssueCode;
	message: LocalisedText;
	/** The offending cell text. Coordinates are raw here: show them, do not persist them. */
	value?: string;
}

type Ctx = { v: string; [k: string]: string };
type Text = (c: Ctx) => LocalisedText;

const q = (s: string) => `‘${s}’`;

/** CSV separators by name, one and several. */
const SEP_NAMES: Record<string, { nl: string; nlMany: string; en: string; enMany: string }> = {
	';': { nl: 'puntkomma (;)', nlMany: 'puntkomma’s (;)', en: 'semicolon (;)', enMany: 'semicolons (;)' },
	',': { nl: 'komma (,)', nlMany: 'komma’s (,)', en: 'comma (,)', enMany: 'commas (,)' },
	'\t': { nl: 'tab', nlMany: 'tabs', en: 'tab', enMany: 'tabs' },
	'|': { nl: 'verticale streep (|)', nlMany: 'verticale strepen (|)', en: 'vertical bar (|)', enMany: 'vertical bars (|)' }
};

const TEXTS = {
	required: () => ({ nl: 'verplichte waarde ontbreekt', en: 'required value is missing' }),
	invalid_date: (c) => ({
		nl: `${q(c.v)} is geen herkenbare datum (gebruik dd/mm/jjjj of jjjj-mm-dd, eventueel met uu:mm)`,
		en: `${q(c.v)} is not a recognised date (use dd/mm/yyyy or yyyy-mm-dd, optionally with hh:mm)`
	}),
	impossible_date: (c) => ({ nl: `${q(c.v)} is geen bestaande datum`, en: `${q(c.v)} is not an existing date` }),
	two_digit_year: (c) => ({
		nl: `${q(c.v)} heeft een jaartal van twee cijfers; schrijf het jaar voluit (bv. 2026)`,
		en: `${q(c.v)} has a two-digit year; write the year in full (e.g. 2026)`
	}),
	invalid_time: (c) => ({ nl: `${q(c.v)} bevat geen geldig uur`, en: `${q(c.v)} does not contain a valid time` }),
	future_date: (c) => ({ nl: `${q(c.v)} ligt in de toekomst`, en: `${q(c.v)} is in the future` }),
	too_old: (c) => ({
		nl: `${q(c.v)} ligt te ver in het verleden; controleer het jaartal`,
		en: `${q(c.v)} is too far in the past; check the year`
	}),
	dst_gap: (c) => ({
		nl: `${q(c.v)} bestaat niet (overgang naar zomertijd); gelezen als één uur later`,
		en: `${q(c.v)} does not exist (switch to summer time); read as one hour later`
	}),
	dst_overlap: (c) => ({
		nl: `${q(c.v)} komt twee keer voor (overgang naar wintertijd); het eerste tijdstip is gekozen`,
		en: `${q(c.v)} occurs twice (switch to winter time); the first occurrence was used`
	}),
	invalid_number: (c) => ({ nl: `${q(c.v)} is geen getal`, en: `${q(c.v)} is not a number` }),
	ambiguous_number: (c) => ({
		nl: `${q(c.v)} is een dubbelzinnig getal; schrijf het zonder duizendtalscheiding (bv. 1234,5)`,
		en: `${q(c.v)} is an ambiguous number; write it without thousands separators (e.g. 1234.5)`
	}),
	unrecognised_coordinates: (c) => ({
		nl: `${q(c.v)} is geen WGS84 (breedte/lengte), Lambert 72 of Lambert 2008 in België`,
		en: `${q(c.v)} is not WGS84 (latitude/longitude), Lambert 72 or Lambert 2008 in Belgium`
	}),
	swapped: (c) => ({
		nl: `${q(c.v)} ligt buiten het werkingsgebied, maar omgewisseld wel: wissel de kolommen ${q(c.a!)} en ${q(c.b!)} om in de koppeling of laat omgewisselde coördinaten herstellen`,
		en: `${q(c.v)} lies outside the area, but inside when swapped: swap columns ${q(c.a!)} and ${q(c.b!)} in the mapping or let swapped coordinates be fixed`
	}),
	swapped_fixed: (c) => ({
		nl: `${q(c.v)} was omgewisseld en is hersteld`,
		en: `${q(c.v)} was swapped and has been fixed`
	}),
	crs_mismatch: (c) => ({
		nl: `${q(c.v)} lijkt ${c.detected} te zijn, niet ${c.declared}; pas het coördinatenstelsel in de koppeling aan`,
		en: `${q(c.v)} looks like ${c.detected}, not ${c.declared}; change the coordinate system in the mapping`
	}),
	outside: (c) => ({
		nl: `${q(c.v)} ligt buiten het werkingsgebied van de organisatie`,
		en: `${q(c.v)} lies outside the organisation's area`
	}),
	unknown_value: (c) => ({
		nl: `${q(c.v)} staat niet in de lijst ${c.listNl}; voeg het toe aan de woordenlijst of verbeter de waarde`,
		en: `${q(c.v)} is not in the ${c.listEn} list; add it to the vocabulary or correct the value`
	}),
	ambiguous_value: (c) => ({
		nl: `${q(c.v)} past bij meer dan één waarde in de lijst ${c.listNl}`,
		en: `${q(c.v)} matches more than one entry in the ${c.listEn} list`
	}),
	rejected_value: (c) => ({
		nl: `${q(c.v)} is in de koppeling op ‘rijen weigeren’ gezet`,
		en: `${q(c.v)} is set to ‘reject these rows’ in the mapping`
	}),
	multiple_values: (c) => ({
		nl: `${q(c.v)} bevat meerdere waarden, maar hier is er maar één toegelaten`,
		en: `${q(c.v)} holds several values, but only one is allowed here`
	}),
	invalid_boolean: (c) => ({
		nl: `${q(c.v)} is geen ja/nee-waarde (gebruik ja, nee, x of laat leeg)`,
		en: `${q(c.v)} is not a yes/no value (use yes, no, x or leave empty)`
	}),
	invalid_referral: (c) => ({
		nl: `${q(c.v)} is geen ja/nee-waarde en geen doorverwijsdoel (gebruik ja, nee, x, leeg of een doel uit de woordenlijst, bv. CAW)`,
		en: `${q(c.v)} is neither a yes/no value nor a referral target (use yes, no, x, empty or a target from the vocabulary, e.g. CAW)`
	}),
	invalid_persons: (c) => ({
		nl: `${q(c.v)} is geen geldig aantal personen (een geheel getal van 1 tot ${c.max})`,
		en: `${q(c.v)} is not a valid number of people (a whole number from 1 to ${c.max})`
	}),
	too_long: (c) => ({
		nl: `${q(c.v.slice(0, 40))}… is te lang (max. ${c.max} tekens)`,
		en: `${q(c.v.slice(0, 40))}… is too long (max. ${c.max} characters)`
	}),
	duplicate_row: (c) => ({
		nl: `dubbel van rij ${c.first}; overgeslagen`,
		en: `duplicate of row ${c.first}; skipped`
	}),
	identical_row: (c) => ({
		nl: `gelijk aan rij ${c.first}; zonder ID-kolom als apart contact geteld`,
		en: `identical to row ${c.first}; without an ID column counted as a separate contact`
	}),
	duplicate_id: (c) => ({
		nl: `ID ${q(c.v)} komt ook voor in rij ${c.first}, met andere gegevens`,
		en: `ID ${q(c.v)} also occurs in row ${c.first}, with different data`
	}),
	column_count: (c) => ({
		nl: `de rij heeft ${c.n} kolommen, de kopregel ${c.m}; staat er een scheidingsteken in een waarde zonder aanhalingstekens?`,
		en: `the row has ${c.n} columns, the header ${c.m}; is there a separator inside an unquoted value?`
	}),
	short_row: (c) => ({
		nl: `de rij heeft ${c.n} van de ${c.m} kolommen van de kopregel; de ontbrekende zijn leeg gelaten`,
		en: `the row has ${c.n} of the header’s ${c.m} columns; the missing ones are left empty`
	}),
	// only when the row looks written with another separator (else: short_row, filled up)
	too_few_columns: (c) => ({
		nl: `de rij heeft ${c.n} van de ${c.m} kolommen van de kopregel; ze bevat ${SEP_NAMES[c.other!]!.nlMany}: is ze met een ander scheidingsteken geschreven dan ${SEP_NAMES[c.sep!]!.nl}?`,
		en: `the row has ${c.n} of the header’s ${c.m} columns; it holds ${SEP_NAMES[c.other!]!.enMany}: was it written with another separator than ${SEP_NAMES[c.sep!]!.en}?`
	}),
	csv_syntax: () => ({
		nl: 'de regel kan niet gelezen worden (aanhalingstekens kloppen niet)',
		en: 'the line cannot be read (quotes do not match)'
	}),
	missing_column: () => ({
		nl: 'deze kolom uit de koppeling ontbreekt in het bestand',
		en: 'this column from the mapping is missing from the file'
	}),
	empty_file: () => ({ nl: 'het bestand bevat geen kopregel', en: 'the file has no header row' }),
	unknown_team: (c) => ({
		nl: `${q(c.v)} is geen team van deze organisatie (bekend: ${c.known})`,
		en: `${q(c.v)} is not a team of this organisation (known: ${c.known})`
	}),
	encoding_replaced: (c) => ({
		nl: `${c.n} teken(s) konden niet gelezen worden (gemengde tekenset); controleer de tekst`,
		en: `${c.n} character(s) could not be read (mixed encodings); check the text`
	}),
	// Services, areas, area indicators and signals (GeoJSON, HSDS packages).
	invalid_json: (c) => ({
		nl: `het bestand is geen geldige JSON (${c.detail})`,
		en: `the file is not valid JSON (${c.detail})`
	}),
	not_feature_collection: (c) => ({
		nl: `het bestand is geen GeoJSON FeatureCollection (type ${q(c.v)})`,
		en: `the file is not a GeoJSON FeatureCollection (type ${q(c.v)})`
	}),
	not_point: (c) => ({
		nl: `de geometrie is ${q(c.v)}, geen punt (Point)`,
		en: `the geometry is ${q(c.v)}, not a Point`
	}),
	not_polygon: (c) => ({
		nl: `de geometrie is ${q(c.v)}, geen Polygon of MultiPolygon`,
		en: `the geometry is ${q(c.v)}, not a Polygon or MultiPolygon`
	}),
	too_few_positions: (c) => ({
		nl: `${c.ringNl} heeft ${c.n} posities; een ring heeft er minstens 4 nodig (de eerste herhaald als laatste)`,
		en: `${c.ringEn} has ${c.n} positions; a ring needs at least 4 (the first repeated as the last)`
	}),
	unclosed_ring: (c) => ({
		nl: `${c.ringNl} is niet gesloten: de eerste positie ${q(c.v)} verschilt van de laatste ${q(c.last!)}`,
		en: `${c.ringEn} is not closed: the first position ${q(c.v)} differs from the last ${q(c.last!)}`
	}),
	invalid_position: (c) => ({
		nl: `${c.ringNl} bevat een ongeldige positie ${q(c.v)} (verwacht [x, y] met getallen)`,
		en: `${c.ringEn} holds an invalid position ${q(c.v)} (expected [x, y] with numbers)`
	}),
	crs_converted: (c) => ({
		nl: `de coördinaten zijn gelezen als ${c.crs} en omgezet naar WGS84`,
		en: `the coordinates were read as ${c.crs} and converted to WGS84`
	}),
	geometry_outside: (c) => ({
		nl: `gebied ${q(c.v)} ligt volledig buiten het werkingsgebied van de organisatie`,
		en: `area ${q(c.v)} lies entirely outside the organisation's area`
	}),
	code_case: (c) => ({
		nl: `code ${q(c.v)} verschilt alleen in hoofdletters of spaties van ${q(c.other ?? '')} (${c.firstNl}); een indicatorbestand kan ze niet uit elkaar houden`,
		en: `code ${q(c.v)} differs only in case or spaces from ${q(c.other ?? '')} (${c.firstEn}); an indicator file could not tell them apart`
	}),
	duplicate_code: (c) => ({
		nl: `code ${q(c.v)} komt ook voor in ${c.firstNl}`,
		en: `code ${q(c.v)} also occurs in ${c.firstEn}`
	}),
	invalid_population: (c) => ({
		nl: `${q(c.v)} is geen geldig inwonertal (een geheel getal vanaf 0)`,
		en: `${q(c.v)} is not a valid population (a whole number from 0)`
	}),
	unknown_area: (c) => ({
		nl: `${q(c.v)} is geen gebiedscode in de laag ${q(c.layer!)}; importeer eerst de gebieden`,
		en: `${q(c.v)} is not an area code in layer ${q(c.layer!)}; import the areas first`
	}),
	unmapped_category: (c) => ({
		nl: `${q(c.v)} is aan geen categorie van voorzieningen gekoppeld; voeg het toe aan de categoriekoppeling${c.fallback ? ` (voorlopig ${q(c.fallback)})` : ''}`,
		en: `${q(c.v)} is not mapped to a service category; add it to the category mapping${c.fallback ? ` (for now ${q(c.fallback)})` : ''}`
	}),
	unknown_category_code: (c) => ({
		nl: `de koppeling verwijst naar ${q(c.v)}, maar dat is geen categorie van voorzieningen van deze organisatie`,
		en: `the mapping refers to ${q(c.v)}, which is not a service category of this organisation`
	}),
	invalid_capacity: (c) => ({
		nl: `${q(c.v)} is geen geldige capaciteit (een geheel getal vanaf 0)`,
		en: `${q(c.v)} is not a valid capacity (a whole number from 0)`
	}),
	opening_hours_unrecognised: (c) => ({
		nl: `${q(c.v)} is geen herkende openingsuren-notatie (bv. Mo-Fr 09:00-17:00); de tekst is ongewijzigd overgenomen`,
		en: `${q(c.v)} is not a recognised opening hours notation (e.g. Mo-Fr 09:00-17:00); the text was kept as it is`
	}),
	schedule_unconverted: (c) => ({
		nl: `dit uurrooster kon niet omgezet worden (${c.whyNl}); het is overgeslagen`,
		en: `this schedule could not be converted (${c.whyEn}); it was skipped`
	}),
	missing_reference: (c) => ({
		nl: `${q(c.v)} verwijst naar een rij die niet bestaat in ${c.table}`,
		en: `${q(c.v)} refers to a row that does not exist in ${c.table}`
	}),
	missing_table: (c) => ({
		nl: `de tabel ${q(c.v)} ontbreekt in het pakket (verwacht als ${c.expected})`,
		en: `table ${q(c.v)} is missing from the package (expected as ${c.expected})`
	}),
	virtual_location: (c) => ({
		nl: `locatie ${q(c.v)} is virtueel (geen plaats op de kaart); overgeslagen`,
		en: `location ${q(c.v)} is virtual (no place on the map); skipped`
	}),
	service_inactive: (c) => ({
		nl: `dienst ${q(c.v)} heeft status ${q(c.status!)}; overgeslagen`,
		en: `service ${q(c.v)} has status ${q(c.status!)}; skipped`
	}),
	several_capacities: (c) => ({
		nl: `de dienst heeft ${c.n} capaciteiten; de eerste (${q(c.v)}) is gebruikt`,
		en: `the service has ${c.n} capacities; the first (${q(c.v)}) was used`
	}),
	invalid_reporter: (c) => ({
		nl: `${q(c.v)} is geen gekende melder (partner, burger of werker)`,
		en: `${q(c.v)} is not a known reporter (partner, citizen or worker)`
	}),
	invalid_status: (c) => ({
		nl: `${q(c.v)} is geen geldige status (open of afgehandeld)`,
		en: `${q(c.v)} is not a valid status (open or handled)`
	}),
	personal_data: (c) => ({
		nl: `de tekst lijkt ${c.whatNl} te bevatten; signalen mogen geen persoonsgegevens bevatten`,
		en: `the text seems to contain ${c.whatEn}; signals must not contain personal data`
	}),
	file_too_large: (c) => ({
		nl: `het bestand is groter dan ${c.max}; splits het op`,
		en: `the file is larger than ${c.max}; split it up`
	}),
	// Area geometry: a self-crossing ring breaks area sums and the map's fill. What can be repaired
	// unambiguously is, with a warning naming what was done; the rest is refused.
	ring_crosses: (c) => ({
		nl: `${c.ringNl} kruist of raakt ${c.otherNl} bij ${q(c.v)}; dan kloppen de oppervlakte en de kaart niet: verbeter de geometrie (bv. in QGIS met ‘Geometrieën repareren’)`,
		en: `${c.ringEn} crosses or touches ${c.otherEn} at ${q(c.v)}; area and map would be wrong: fix the geometry (e.g. with ‘Fix geometries’ in QGIS)`
	}),
	loop_removed: (c) => ({
		nl: `${c.ringNl} raakt of kruist zichzelf bij ${q(c.v)} in een heel klein lusje of uitsteeksel (${c.n} in totaal, samen ${c.areaNl} m²; wellicht afgeronde coördinaten); het is weggeknipt`,
		en: `${c.ringEn} touches or crosses itself at ${q(c.v)} in a tiny loop or spike (${c.n} in all, ${c.areaEn} m² together; probably rounded coordinates); it was cut off`
	}),
	boundary_features: (c) => ({
		nl: `het bestand heeft ${c.v} objecten; een grens is er één (een Polygon of MultiPolygon)`,
		en: `the file has ${c.v} features; a boundary is one (a Polygon or MultiPolygon)`
	}),
	hole_repeats_outer: (c) => ({
		nl: `${c.ringNl} herhaalt de buitenring (een gat zo groot als het gebied); het gat is weggelaten`,
		en: `${c.ringEn} repeats the outer ring (a hole as large as the area); the hole was left out`
	}),
	ring_repaired: (c) => ({
		nl: `${c.ringNl} kruist zichzelf bij ${q(c.v)}; het gebied is daar gesplitst in ${c.n} delen (zoals ‘Geometrieën repareren’ in QGIS doet)`,
		en: `${c.ringEn} crosses itself at ${q(c.v)}; the area was split there into ${c.n} parts (as ‘Fix geometries’ in QGIS does)`
	}),
	simplified: (c) => ({
		nl: `het gebied heeft ${c.before} posities, meer dan ${c.max}; vereenvoudigd tot ${c.after} posities (hoogstens ${c.tol} m verschoven)`,
		en: `the area has ${c.before} positions, more than ${c.max}; simplified to ${c.after} positions (moved by at most ${c.tol} m)`
	}),
	too_many_positions: (c) => ({
		nl: `het gebied heeft ${c.before} posities, meer dan ${c.max}, en vereenvoudigen maakt de rand ongeldig; vereenvoudig het in je GIS (bv. QGIS ‘Vereenvoudigen’)`,
		en: `the area has ${c.before} positions, more than ${c.max}, and simplifying it makes its boundary invalid; simplify it in your GIS (e.g. QGIS ‘Simplify’)`
	}),
	hole_outside: (c) => ({
		nl: `${c.ringNl} ligt buiten de buitenring; een gat moet binnen het gebied liggen`,
		en: `${c.ringEn} lies outside the outer ring; a hole must lie inside the area`
	})
} satisfies Record<string, Text>;

export type IssueCode = keyof typeof TEXTS;

/**
 * Builds an issue. `fields` names the columns for the prefix: one → "kolom ‘X’", two → "kolommen
 * ‘X’ en ‘Y’" (a coordinate pair), none → whole row. The first column is the issue's `field`.
 */
export function rowIssue(
	row: number,
	fields: string | readonly string[],
	code: IssueCode,
	value?: string,
	extra: Record<string, string> = {}
): RowIssue {
	const cols = typeof fields === 'string' ? (fields ? [fields] : []) : fields;
	const body = (TEXTS[code] as Text)({ ...extra, v: value ?? '' });
	const where =
		row === 0
			? { nl: 'Bestand', en: 'File' }
			: cols.length === 0
				? { nl: `Rij ${row}`, en: `Row ${row}` }
				: cols.length === 1
					? { nl: `Rij ${row}, kolom ${q(cols[0]!)}`, en: `Row ${row}, column ${q(cols[0]!)}` }
					: {
							nl: `Rij ${row}, kolommen ${cols.map(q).join(' en ')}`,
							en: `Row ${row}, columns ${cols.map(q).join(' and ')}`
						};
	const out: RowIssue = {
		row,
		field: cols[0] ?? '',
		code,
		message: { nl: `${where.nl}: ${body.nl}`, en: `${where.en}: ${body.en}` }
	};
	if (value !== undefined) out.value = value;
	return out;
}
