import { importContacts } from '$lib/server/imports/contacts';
import { streamedImport } from '$lib/server/imports/http';
import { apiRoute } from '$lib/server/api';
import { contactsImport } from '$lib/api/imports';

/**
 * POST the whole file as the request body (streamed; any content type but form types): a CSV,
 * or an Excel workbook (read whole, ≤ 50 MB; query sheet=N picks the worksheet, default 1).
 * Query: mode=dry-run|commit, source, mapping (JSON), skipInvalid, fixSwapped, acceptOutside,
 * filename. Answers NDJSON: progress lines, then the result (counts, first errors, rejected CSV).
 */
export const POST = apiRoute((event) => streamedImport(event, contactsImport, (sql, chunks, o) => importContacts(sql, chunks, o)));
