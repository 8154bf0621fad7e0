// What the import page can import, and how a file's columns feed each kind's fields. A kind
// plugs in by adding its field list, its validation and its flags here; the page renders the
// mapping form, the dry run and the commit from this description alone.
import type { ZodType } from 'zod';
import type { VocabularyKind } from '$lib/domain/vocabulary';
import {
	areaIndicatorMappingSchema,
	areaMappingSchema,
	columnMappingSchema,
	CRS_CHOICES,
	REPORTER_KINDS,
	serviceCsvMappingSchema,
	serviceGeoJsonMappingSchema,
	signalMappingSchema
} from '$lib/domain/import/mapping';
import { matchKey } from '$lib/domain/import/vocab-match';
import { VALUE_FIELDS, type ValueField, type ValueMap } from '$lib/domain/import/value-map';

export type ImportKindId = 'contacts' | 'services' | 'areas' | 'area_indicators' | 'signals';

export interface FieldSpec {
	/** The key in the mapping JSON (and in i18n: import.fields.<key>). */
	key: string;
	required: boolean;
	/** Header spellings that suggest this field, compared with matchKey (case, accents, spaces ignored). */
	aliases: readonly string[];
}

/**
 * A fixed value chosen in the form (not a column) and sent in the mapping, e.g. one reporter
 * kind for every row of a partner's export. i18n: import.options.<key>.label / .help / .none and
 * import.options.<key>.values.<value>.
 */
export interface OptionSpec {
	key: string;
	/** Fixed choices (i18n: import.options.<key>.values.<value>) … */
	values?: readonly string[];
	/** … or the codes of one of the organisation's vocabularies (labelled in the UI language). */
	vocabulary?: VocabularyKind;
}

/** A value typed in the form and sent in the mapping (e.g. a layer name). i18n: import.texts.<key>.label / .help */
export interface TextSpec {
	key: string;
	required: boolean;
	/** Offer the organisation's existing area layers as suggestions. */
	suggest?: 'layers';
}

/**
 * A choice of several columns, sent as an array (i18n: import.lists.<key>.label / .help): every
 * column not chosen for a field is offered.
 */
export interface ListSpec {
	key: string;
}

export interface FieldGroup {
	/** i18n: import.groups.<id> */
	id: string;
	/** Typed values, shown before the group's column selects. */
	texts?: readonly TextSpec[];
	fields: readonly FieldSpec[];
	/** Fixed-value selects shown after the group's column selects. */
	options?: readonly OptionSpec[];
	/** Column lists shown after the group's selects. */
	lists?: readonly ListSpec[];
}

/** A yes/no option sent as a query parameter (i18n: import.flags.<key>.label / .help). */
export interface FlagSpec {
	key: string;
}

export interface KindDefinition {
	id: ImportKindId;
	/** The API directory under /api/imports/. */
	api: string;
	/**
	 * csv: previewed by /api/imports/preview (encoding, separator, first rows); geojson: by the
	 * API's mode=inspect (the features' property names stand in for columns).
	 */
	file: 'csv' | 'geojson';
	/** Extra query parameters the API needs (e.g. format=csv). */
	params?: Readonly<Record<string, string>>;
	/**
	 * Vocabulary columns whose distinct values a dry run lists for mapping (sent as mapping.values;
	 * a services category as mapping.categories).
	 */
	valueFields?: readonly ValueField[];
	groups: readonly FieldGroup[];
	flags: readonly FlagSpec[];
	/** Offers the coordinate system select (sent as mapping.crs). */
	crs: boolean;
	validate: (mapping: Record<string, unknown>) => MappingIssue[];
	/** The same kind from another file format, chosen by the file name's extension. */
	variants?: readonly KindVariant[];
}

export interface KindVariant {
	/** Lower-case file name endings, with the dot. */
	extensions: readonly string[];
	def: Pick<KindDefinition, 'file' | 'params' | 'groups' | 'flags' | 'crs' | 'validate'>;
}

export interface MappingIssue {
	field: string;
	/** i18n: import.mappingErrors.<code> */
	code: 'required' | 'pair' | 'coordinates' | 'crsBoth' | 'sameColumn' | 'columnOrDefault' | 'populationOrIndicators' | 'invalid';
	/** The other field (of a pair, or already using the same column), for the message. */
	other?: string;
}

export const CRS_OPTIONS = CRS_CHOICES;

const timeField: FieldSpec = { key: 'time', required: false, aliases: ['uur', 'tijd', 'time', 'hour', 'uurcontact', 'beginuur'] };
const targetGroupsField: FieldSpec = {
	key: 'targetGroups',
	required: false,
	aliases: ['doelgroep', 'doelgroepen', 'targetgroup', 'targetgroups', 'groep', 'groups']
};
const externalIdField: FieldSpec = {
	key: 'externalId',
	required: false,
	aliases: ['id', 'externalid', 'externid', 'nr', 'nummer', 'volgnummer', 'registratienummer', 'recordid', 'contactid', 'meldingid', 'signaalid']
};

/** A point as lat/lng and/or x/y columns (with the coordinate system select beside them). */
const whereGroup: FieldGroup = {
	id: 'where',
	fields: [
		{ key: 'lat', required: false, aliases: ['breedte', 'breedtegraad', 'lat', 'latitude', 'noorderbreedte'] },
		{ key: 'lng', required: false, aliases: ['lengte', 'lengtegraad', 'lon', 'lng', 'long', 'longitude', 'oosterlengte'] },
		{ key: 'x', required: false, aliases: ['x', 'xcoord', 'xcoordinaat', 'lambertx', 'oost', 'easting'] },
		{ key: 'y', required: false, aliases: ['y', 'ycoord', 'ycoordinaat', 'lamberty', 'noord', 'northing'] }
	]
};

const contactGroups: FieldGroup[] = [
	{
		id: 'when',
		fields: [
			{
				key: 'occurredAt',
				required: true,
				aliases: [
					'datum',
					'date',
					'timestamp',
					'tijdstip',
					'datumtijd',
					'datetime',
					'occurredat',
					'datumcontact',
					'contactdatum',
					'dag',
					'moment',
					'when'
				]
			},
			timeField
		]
	},
	whereGroup,
	{
		id: 'what',
		fields: [
			{
				key: 'contactType',
				required: true,
				aliases: ['typecontact', 'contacttype', 'type', 'soortcontact', 'soort', 'contactsoort', 'aardcontact', 'kind']
			},
			targetGroupsField,
			{ key: 'themes', required: false, aliases: ['thema', 'themas', 'theme', 'themes', 'onderwerp', 'onderwerpen', 'topics'] },
			{ key: 'persons', required: false, aliases: ['aantal', 'aantalpersonen', 'personen', 'persons', 'people', 'count', 'aantalmensen'] },
			{ key: 'referral', required: false, aliases: ['doorverwezen', 'doorverwijzing', 'referral', 'referred', 'verwezen', 'toegeleid'] }
		]
	},
	{
		id: 'other',
		fields: [externalIdField, { key: 'team', required: false, aliases: ['team', 'ploeg', 'equipe', 'teamnaam'] }]
	}
];

const signalGroups: FieldGroup[] = [
	{
		id: 'when',
		fields: [
			{
				key: 'reportedAt',
				required: true,
				aliases: [
					'datum',
					'date',
					'gemeld',
					'gemeldop',
					'meldingsdatum',
					'datummelding',
					'reportedat',
					'reported',
					'timestamp',
					'tijdstip',
					'datumtijd',
					'datetime',
					'moment',
					'when'
				]
			},
			timeField
		]
	},
	whereGroup,
	{
		id: 'what',
		fields: [
			{
				key: 'description',
				required: true,
				aliases: ['wat', 'omschrijving', 'beschrijving', 'description', 'melding', 'signaal', 'tekst', 'text', 'inhoud', 'what']
			},
			{
				key: 'reporterKind',
				required: false,
				aliases: ['melder', 'soortmelder', 'gemelddoor', 'reporter', 'reporterkind', 'reportedby', 'bron', 'who']
			},
			targetGroupsField,
			{ key: 'status', required: false, aliases: ['status', 'stand', 'toestand', 'state'] }
		],
		options: [{ key: 'defaultReporterKind', values: REPORTER_KINDS }]
	},
	{
		id: 'other',
		fields: [
			{ key: 'handledAt', required: false, aliases: ['afgehandeldop', 'datumafhandeling', 'afhandeldatum', 'handledat', 'handled', 'afgehandeld'] },
			externalIdField
		]
	}
];

const areaGroups: FieldGroup[] = [
	{
		id: 'what',
		texts: [{ key: 'layer', required: true }],
		fields: [
			{
				key: 'code',
				required: true,
				aliases: ['code', 'wijkcode', 'sectorcode', 'areacode', 'gebiedscode', 'id', 'nis', 'niscode', 'cd_sector', 'cd']
			},
			{ key: 'name', required: true, aliases: ['naam', 'name', 'wijknaam', 'sectornaam', 'gebiedsnaam', 'tx_sector_descr_nl', 'label', 'titel'] },
			{ key: 'parent', required: false, aliases: ['parent', 'deelvan', 'ouder', 'wijk', 'district', 'parentcode'] },
			{ key: 'population', required: false, aliases: ['inwoners', 'bevolking', 'population', 'pop', 'aantalinwoners', 'ms_population'] }
		]
	}
];

const indicatorGroups: FieldGroup[] = [
	{
		id: 'what',
		texts: [{ key: 'layer', required: true, suggest: 'layers' }],
		fields: [
			{ key: 'code', required: true, aliases: ['code', 'wijkcode', 'sectorcode', 'areacode', 'gebiedscode', 'niscode', 'cd_sector', 'id'] },
			{ key: 'population', required: false, aliases: ['inwoners', 'bevolking', 'population', 'pop', 'aantalinwoners', 'ms_population'] }
		],
		lists: [{ key: 'indicators' }]
	}
];

const serviceWhat: FieldGroup = {
	id: 'what',
	fields: [
		{ key: 'name', required: true, aliases: ['naam', 'name', 'voorziening', 'naamvoorziening', 'titel', 'title', 'organisatie'] },
		{ key: 'category', required: false, aliases: ['soort', 'categorie', 'category', 'type', 'soortvoorziening', 'kind'] },
		{ key: 'address', required: false, aliases: ['adres', 'address', 'straat', 'locatie', 'location'] },
		{ key: 'capacity', required: false, aliases: ['capaciteit', 'capacity', 'plaatsen', 'bedden', 'aantalplaatsen'] },
		{ key: 'openingHours', required: false, aliases: ['openingsuren', 'openingstijden', 'openinghours', 'opening', 'uren', 'open'] }
	],
	options: [{ key: 'defaultCategory', vocabulary: 'service_category' }]
};
const serviceGroups: FieldGroup[] = [serviceWhat, whereGroup, { id: 'other', fields: [externalIdField] }];
/** GeoJSON: the point is the feature's geometry; without an ID property the feature's id is used. */
const serviceGeoJsonGroups: FieldGroup[] = [serviceWhat, { id: 'other', fields: [externalIdField] }];

/**
 * Validation by the kind's own zod schema (the one the server applies), its issues turned into
 * messages at the field they concern.
 */
function validateWith(schema: ZodType): KindDefinition['validate'] {
	return (mapping) => {
		const parsed = schema.safeParse(mapping);
		if (parsed.success) return [];
		const issues: MappingIssue[] = [];
		for (const issue of parsed.error.issues) {
			const field = String(issue.path[0] ?? '');
			let mapped: MappingIssue;
			if (issue.code === 'invalid_type' || issue.code === 'too_small') mapped = { field, code: 'required' };
			else if (issue.message.includes('go together')) {
				const [a, b] = field === 'lat' || field === 'lng' ? ['lat', 'lng'] : ['x', 'y'];
				mapped = { field, code: 'pair', other: field === a ? b : a };
			} else if (issue.message.includes('lat/lng or x/y')) mapped = { field: 'lat', code: 'coordinates' };
			else if (/ or give a /.test(issue.message)) mapped = { field, code: 'columnOrDefault' };
			else if (/ or at least one /.test(issue.message)) mapped = { field, code: 'populationOrIndicators' };
			else if (field === 'crs') mapped = { field, code: 'crsBoth' };
			else mapped = { field, code: 'invalid' };
			if (!issues.some((i) => i.field === mapped.field)) issues.push(mapped);
		}
		return issues;
	};
}

export const KINDS: readonly KindDefinition[] = [
	{
		id: 'contacts',
		api: 'contacts',
		file: 'csv',
		valueFields: ['contactType', 'targetGroups', 'themes', 'referral'],
		groups: contactGroups,
		flags: [{ key: 'fixSwapped' }, { key: 'acceptOutside' }],
		crs: true,
		validate: validateWith(columnMappingSchema)
	},
	{
		id: 'services',
		api: 'services',
		file: 'csv',
		params: { format: 'csv' },
		groups: serviceGroups,
		valueFields: ['category'],
		flags: [{ key: 'fixSwapped' }, { key: 'acceptOutside' }],
		crs: true,
		validate: validateWith(serviceCsvMappingSchema),
		variants: [
			{
				extensions: ['.geojson', '.json'],
				def: {
					file: 'geojson',
					params: { format: 'geojson' },
					groups: serviceGeoJsonGroups,
					flags: [],
					crs: false,
					validate: validateWith(serviceGeoJsonMappingSchema)
				}
			}
		]
	},
	{
		id: 'areas',
		api: 'areas',
		file: 'geojson',
		groups: areaGroups,
		flags: [],
		crs: false,
		validate: validateWith(areaMappingSchema)
	},
	{
		id: 'area_indicators',
		api: 'area-indicators',
		file: 'csv',
		groups: indicatorGroups,
		flags: [],
		crs: false,
		validate: validateWith(areaIndicatorMappingSchema)
	},
	{
		id: 'signals',
		api: 'signals',
		file: 'csv',
		valueFields: ['targetGroups'],
		groups: signalGroups,
		flags: [{ key: 'fixSwapped' }, { key: 'acceptOutside' }],
		crs: true,
		validate: validateWith(signalMappingSchema)
	}
];

/** The kind as it reads this file: a variant when the file name's extension asks for one. */
export function resolveKind(kind: KindDefinition, filename: string | null | undefined): KindDefinition {
	const name = (filename ?? '').toLowerCase();
	const v = kind.variants?.find((x) => x.extensions.some((e) => name.endsWith(e)));
	return v ? { ...kind, ...v.def } : kind;
}

/** The file formats a kind takes (for the file input's filter and help). */
export function kindFormats(kind: KindDefinition): ('csv' | 'geojson')[] {
	return [...new Set([kind.file, ...(kind.variants ?? []).map((v) => v.def.file)])];
}

export function allFields(kind: KindDefinition): FieldSpec[] {
	return kind.groups.flatMap((g) => g.fields);
}

export function allOptions(kind: KindDefinition): OptionSpec[] {
	return kind.groups.flatMap((g) => g.options ?? []);
}

export function allLists(kind: KindDefinition): ListSpec[] {
	return kind.groups.flatMap((g) => g.lists ?? []);
}

export function allTexts(kind: KindDefinition): TextSpec[] {
	return kind.groups.flatMap((g) => g.texts ?? []);
}

/**
 * Suggests a column for each field from the header names: exact matches first (ignoring case,
 * accents, spaces and punctuation), then headers that start with or contain an alias of four
 * letters or more. A column feeds at most one field.
 */
export function suggestMapping(kind: KindDefinition, headers: readonly string[]): Record<string, string> {
	const out: Record<string, string> = {};
	const used = new Set<string>();
	const keys = headers.map((h) => ({ header: h, key: matchKey(h) }));
	const fields = allFields(kind);
	const pass = (match: (headerKey: string, alias: string) => boolean) => {
		for (const f of fields) {
			if (out[f.key]) continue;
			for (const alias of f.aliases) {
				const hit = keys.find((k) => !used.has(k.header) && k.key !== '' && match(k.key, alias));
				if (hit) {
					out[f.key] = hit.header;
					used.add(hit.header);
					break;
				}
			}
		}
	};
	pass((k, a) => k === a);
	pass((k, a) => a.length >= 4 && k.startsWith(a));
	pass((k, a) => a.length >= 4 && k.includes(a));
	return out;
}

/**
 * The mapping to send: only fields with a column and options with a value, plus crs when the
 * kind has one. `columns` holds both the column choices (by field key) and the option values
 * (by option key).
 */
export function buildMapping(
	kind: KindDefinition,
	columns: Record<string, string>,
	crs: string,
	lists: Record<string, string[]> = {},
	values: { values?: Partial<Record<ValueField, Record<string, string>>>; separator?: string } = {}
): Record<string, unknown> {
	const m: Record<string, unknown> = {};
	for (const f of [...allFields(kind), ...allOptions(kind)]) {
		const c = columns[f.key];
		if (c) m[f.key] = c;
	}
	for (const t of allTexts(kind)) {
		const v = columns[t.key]?.trim();
		if (v) m[t.key] = v;
	}
	const usedByFields = new Set(
		allFields(kind)
			.map((f) => columns[f.key])
			.filter(Boolean)
	);
	for (const l of allLists(kind)) {
		const chosen = (lists[l.key] ?? []).filter((c) => !usedByFields.has(c));
		if (chosen.length) m[l.key] = chosen;
	}
	if (kind.crs) m.crs = crs;
	const fieldMaps: Record<string, ValueMap> = {};
	for (const f of kind.valueFields ?? []) {
		const map = columns[f] ? mapFromChoices(values.values?.[f] ?? {}) : undefined;
		if (!map) continue;
		if (f === CATEGORY_FIELD) m[CATEGORY_KEY] = map;
		else fieldMaps[f] = map;
	}
	if (Object.keys(fieldMaps).length) m.values = fieldMaps;
	const sep = values.separator?.trim();
	if (sep && (kind.valueFields ?? []).some((f) => VALUE_FIELDS[f].multi && columns[f])) m.separator = sep;
	return m;
}

/** Services write their category map at the top of the mapping, as `categories` (not under `values`). */
export const CATEGORY_FIELD = 'category' satisfies ValueField;
export const CATEGORY_KEY = 'categories';

/** A saved mapping's value map of one field, wherever the kind writes it. */
export function savedValueMap(mapping: Record<string, unknown>, field: ValueField): unknown {
	if (field === CATEGORY_FIELD) return mapping[CATEGORY_KEY];
	const values = mapping.values;
	return values && typeof values === 'object' ? (values as Record<string, unknown>)[field] : undefined;
}

/** The value select's choice "refuse the rows with this value" (null in the mapping). */
export const REJECT_CHOICE = '!reject';

/** The page's choices (code, REJECT_CHOICE or '' for "as matched") → a value map, or undefined when none is set. */
function mapFromChoices(choices: Record<string, string>): ValueMap | undefined {
	const chosen = Object.entries(choices).filter(([v, code]) => v.trim() !== '' && code !== '');
	return chosen.length ? Object.fromEntries(chosen.map(([v, code]) => [v, code === REJECT_CHOICE ? null : code])) : undefined;
}

/** A saved value map → the page's choices. */
export function choicesFromMap(raw: unknown): Record<string, string> {
	if (!raw || typeof raw !== 'object') return {};
	return Object.fromEntries(
		Object.entries(raw).flatMap(([v, code]) => (typeof code === 'string' ? [[v, code]] : code === null ? [[v, REJECT_CHOICE]] : []))
	);
}

/** The kind's own validation, plus: no column feeds two fields. */
export function checkMapping(
	kind: KindDefinition,
	columns: Record<string, string>,
	crs: string,
	lists: Record<string, string[]> = {}
): MappingIssue[] {
	const issues = kind.validate(buildMapping(kind, columns, crs, lists));
	const seen = new Map<string, string>();
	for (const f of allFields(kind)) {
		const c = columns[f.key];
		if (!c) continue;
		const first = seen.get(c);
		if (first && !issues.some((i) => i.field === f.key)) issues.push({ field: f.key, code: 'sameColumn', other: first });
		else seen.set(c, f.key);
	}
	return issues;
}

/** A saved mapping applied to a file: the columns it names that the file lacks. */
export function missingColumns(kind: KindDefinition, mapping: Record<string, unknown>, headers: readonly string[]): string[] {
	return allFields(kind)
		.map((f) => mapping[f.key])
		.filter((v): v is string => typeof v === 'string' && !headers.includes(v));
}

/** The server accepts 1–80 letters, digits, spaces, dots, dashes and underscores. */
export const SOURCE_PATTERN = /^[\w .-]{1,80}$/;

/** A source name from a file name: extension dropped, accents removed, other characters to '-'. */
export function sourceFromFilename(name: string): string {
	const base = name.replace(/\.[^.]*$/, '');
	const clean = base
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.replace(/[^\w .-]+/g, '-')
		.replace(/-{2,}/g, '-')
		.replace(/^[-. ]+|[-. ]+$/g, '')
		.slice(0, 80);
	return clean || 'import';
}

/** "<name without extension>.geweigerd.csv" */
export function rejectedFilename(name: string): string {
	return `${name.replace(/\.[^.]*$/, '') || 'import'}.geweigerd.csv`;
}
