// What the import CLI says, in Dutch (the default) and English (--lang en). The row problems
// themselves come translated from the importers.
import type { KindImportResult } from '../src/lib/server/imports/run';

type Counts = KindImportResult['counts'];

const MODE = { nl: { commit: 'import', 'dry-run': 'controle' }, en: { commit: 'commit', 'dry-run': 'dry run' } };
const STATUS = { nl: { done: 'klaar', 'rolled-back': 'teruggedraaid' }, en: { done: 'done', 'rolled-back': 'rolled back' } };

/** Where a field's value map is written: services keep their top-level `categories`. */
const mapHint = (field: string, value: string) =>
	field === 'category' ? `"categories": {"${value}": "code"}` : `"values": {"${field}": {"${value}": "code"}}`;

export const CLI_MESSAGES = {
	nl: {
		summary: (r: KindImportResult, c: Counts) =>
			`${MODE.nl[r.mode]} ${STATUS.nl[r.status]}: ${c.records} rijen gelezen, ${c.valid} geldig, ${c.rejected} geweigerd, ` +
			`${c.duplicates} dubbel in het bestand; ${c.imported} nieuw, ${c.updated} bijgewerkt, ${c.unchanged} ongewijzigd` +
			(c.ignored ? `; ${c.ignored} bewust overgeslagen (zie de waarschuwingen)` : ''),
		moreProblems: (n: number, cut: boolean) => (cut ? `… meer dan ${n} problemen in totaal` : `… ${n} problemen in totaal`),
		maybe: 'lijkt op',
		warning: 'waarschuwing',
		unmapped: 'niet herkende categorieën',
		unmatchedValues: (field: string) =>
			`niet herkende waarden in ${field} (koppel ze in de mapping onder ${mapHint(field, 'waarde')}, null weigert de rijen)`,
		elsewhere: (sampled: number, rows: number, source: string) =>
			`let op: van de eerste ${sampled} geldige rijen staan er ${rows} al onder bron "${source}"; onder een andere bron komen ze er dubbel in (geef --source ${JSON.stringify(source)} om ze bij te werken)`,
		rejectedFile: 'geweigerde rijen met de reden',
		nothingImported: 'Er is niets geïmporteerd. Verbeter de rijen, of geef --skip-invalid om de geldige rijen te importeren.',
		mappingSaved: (source: string) => `koppeling bewaard voor bron "${source}": de volgende import van die bron kan zonder --mapping`
	},
	en: {
		summary: (r: KindImportResult, c: Counts) =>
			`${MODE.en[r.mode]} ${STATUS.en[r.status]}: ${c.records} rows read, ${c.valid} valid, ${c.rejected} rejected, ` +
			`${c.duplicates} duplicates in the file; imported ${c.imported}, updated ${c.updated}, unchanged ${c.unchanged}` +
			(c.ignored ? `; ${c.ignored} left out on purpose (see warnings)` : ''),
		moreProblems: (n: number, cut: boolean) => (cut ? `… more than ${n} problems in all` : `… ${n} problems in all`),
		maybe: 'closest',
		warning: 'warning',
		unmapped: 'unmapped categories',
		unmatchedValues: (field: string) =>
			`values not recognised in ${field} (map them in the mapping under ${mapHint(field, 'value')}, null refuses the rows)`,
		elsewhere: (sampled: number, rows: number, source: string) =>
			`note: of the first ${sampled} valid rows, ${rows} are stored already under source "${source}"; under another source they are stored twice (pass --source ${JSON.stringify(source)} to update them)`,
		rejectedFile: 'rejected rows with their reasons',
		nothingImported: 'Nothing was imported. Fix the rows, or pass --skip-invalid to import the valid ones.',
		mappingSaved: (source: string) => `mapping saved for source "${source}": the next import of this source may leave out --mapping`
	}
} as const;
