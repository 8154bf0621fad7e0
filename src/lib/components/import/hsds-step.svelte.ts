// Services from an HSDS package (several CSV files) instead of one file: the import wizard's
// package step as state and transitions. The files chosen are named at once (which tables, which
// are missing or doubled), then read whole and inspected by the server; answers for a package no
// longer chosen are dropped. The wizard owns the rest of the flow (source, status, runs).
import {
	MAX_PACKAGE_BYTES,
	alignCategories,
	categoryValues,
	describePackage,
	packageBody,
	packageKey,
	packageName,
	type HsdsOptions,
	type PackageTexts,
	inspectPackage,
	readPackage
} from './hsds-package';
import type { HsdsInspection } from '$lib/api/imports';
import { describe, msg, type Msg } from './messages';

/** The server calls the package step makes. */
export interface PackageIO {
	readPackage: typeof readPackage;
	inspectPackage: typeof inspectPackage;
}

/** A saved HSDS mapping's parts, as stored. */
interface SavedHsds {
	categories?: Record<string, string>;
	defaultCategory?: string;
	name?: HsdsOptions['name'];
}

export class HsdsPackageStep {
	/** Raw: compared by identity to drop answers for a package no longer chosen. */
	files = $state.raw<File[]>([]);
	readonly overview = $derived(describePackage(this.files));
	readonly name = $derived(packageName(this.files));
	texts = $state.raw<PackageTexts | null>(null);
	inspection = $state.raw<HsdsInspection | null>(null);
	reading = $state(false);
	error = $state<Msg | null>(null);
	options = $state<HsdsOptions>({ defaultCategory: '', name: 'service_organization' });
	/** Why the package cannot be checked yet (missing or doubled tables, too large), or null. */
	readonly block = $derived.by((): Msg | null => {
		if (this.files.length === 0) return null;
		const pkg = this.overview;
		if (pkg.missingRequired.length) return msg('import.hsds.blocking.missing', { tables: pkg.missingRequired.join(', ') });
		const dup = pkg.duplicates[0];
		if (dup) return msg('import.hsds.blocking.duplicate', { table: dup.table, files: dup.names.join(', ') });
		const size = this.formatSize;
		if (pkg.bytes > MAX_PACKAGE_BYTES) return msg('import.hsds.blocking.tooLarge', { size: size(pkg.bytes), max: size(MAX_PACKAGE_BYTES) });
		return null;
	});
	/** Read whole, with nothing blocking it: ready to check. */
	readonly ready = $derived(this.texts !== null && this.block === null);
	/** The package's identity in a dry run's signature. */
	readonly key = $derived(packageKey(this.files));

	constructor(
		private readonly io: PackageIO,
		private readonly formatSize: (bytes: number) => string
	) {}

	/**
	 * Files chosen: forgotten what was read before, then read and inspected. Resolves 'read' (the
	 * inspection is in), 'blocked' (too large to read), 'failed' (`error` says why) or 'superseded'
	 * (another package was chosen meanwhile; its own call reports).
	 */
	async choose(files: File[]): Promise<'read' | 'blocked' | 'failed' | 'superseded'> {
		this.files = files;
		this.texts = null;
		this.inspection = null;
		this.error = null;
		// a package with a table missing or doubled is still read (rows, terms), but not checked
		const overview = describePackage(files);
		if (overview.bytes > MAX_PACKAGE_BYTES) return 'blocked';
		this.reading = true;
		try {
			const texts = await this.io.readPackage(overview);
			if (this.files !== files) return 'superseded';
			this.texts = texts;
			const inspection = await this.io.inspectPackage(texts);
			if (this.files !== files) return 'superseded';
			this.inspection = inspection;
			return 'read';
		} catch (e) {
			if (this.files !== files) return 'superseded';
			this.error = describe(e);
			return 'failed';
		} finally {
			if (this.files === files) this.reading = false;
		}
	}

	/** The package as one upload (its tables in one body), once read. */
	body(): File | null {
		return this.texts ? packageBody(this.texts, this.name) : null;
	}

	/** A saved mapping laid onto this package: its options, and its categories for the package's values. */
	applySaved(mapping: SavedHsds): Record<string, string> {
		this.options = { defaultCategory: mapping.defaultCategory ?? '', name: mapping.name ?? 'service_organization' };
		return alignCategories(mapping.categories ?? {}, categoryValues(this.inspection));
	}
}
