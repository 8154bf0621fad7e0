import { importAreaIndicators } from '$lib/server/imports/areas';
import { streamedImport } from '$lib/server/imports/http';
import { apiRoute } from '$lib/server/api';
import { areaIndicatorsImport } from '$lib/api/imports';

/**
 * Indicators per area: POST a CSV (or an Excel workbook, ≤ 50 MB, sheet=N) keyed by area code as
 * the body (streamed; preview it with /api/imports/preview). Query: mode=dry-run|commit, source,
 * mapping (JSON: {layer, code, population?, indicators?: [columns] | "*"}), skipInvalid, filename.
 * Answers NDJSON.
 */
export const POST = apiRoute((event) =>
	streamedImport(event, areaIndicatorsImport, (sql, chunks, o) => importAreaIndicators(sql, chunks, o.mapping, o))
);
