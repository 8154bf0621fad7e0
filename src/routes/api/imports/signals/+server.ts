import { importSignals } from '$lib/server/imports/signals';
import { streamedImport } from '$lib/server/imports/http';
import { apiRoute } from '$lib/server/api';
import { signalsImport } from '$lib/api/imports';

/**
 * Signals: POST a CSV as the body (streamed; preview it with /api/imports/preview), or an Excel
 * workbook (read whole, ≤ 50 MB; sheet=N picks the worksheet). Query:
 * mode=dry-run|commit, source, mapping (JSON: {reportedAt, time?, lat/lng and/or x/y, crs?,
 * reporterKind? | defaultReporterKind, description, targetGroups?, status?, handledAt?,
 * externalId?}), skipInvalid, fixSwapped, acceptOutside, filename. Answers NDJSON.
 */
export const POST = apiRoute((event) => streamedImport(event, signalsImport, (sql, chunks, o) => importSignals(sql, chunks, o.mapping, o)));
