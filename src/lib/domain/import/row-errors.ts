// Import problems as the coordinator reads them: which row, which column of THEIR file, what is
// wrong and what to do, in Dutch and English. Codes are stable for the UI and for tests.

export interface LocalisedText {
	nl: string;
	en: string;
}

export interface RowIssue {
	/** 1-based line in the file where the record starts (the header is line 1); 0 = whole file. */
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
	multiple_values: (c) => ({
		nl: `${q(c.v)} bevat meerdere waarden, maar hier is er maar één toegelaten`,
		en: `${q(c.v)} holds several values, but only one is allowed here`
	}),
	invalid_boolean: (c) => ({
		nl: `${q(c.v)} is geen ja/nee-waarde (gebruik ja, nee, x of laat leeg)`,
		en: `${q(c.v)} is not a yes/no value (use yes, no, x or leave empty)`
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
	duplicate_id: (c) => ({
		nl: `ID ${q(c.v)} komt ook voor in rij ${c.first}, met andere gegevens`,
		en: `ID ${q(c.v)} also occurs in row ${c.first}, with different data`
	}),
	column_count: (c) => ({
		nl: `de rij heeft ${c.n} kolommen, de kopregel ${c.m}; staat er een scheidingsteken in een waarde zonder aanhalingstekens?`,
		en: `the row has ${c.n} columns, the header ${c.m}; is there a separator inside an unquoted value?`
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
