// A generated contacts CSV, streamed as it is made: the fault suite's import that is killed
// mid-commit, and the load bench's import that runs beside the map's requests.

/** The column mapping of the generated file (`/api/imports/contacts?mapping=`). */
export const CONTACTS_CSV_MAPPING = { occurredAt: 'Datum', lat: 'Lat', lng: 'Lon', contactType: 'Type' };

const two = (n: number) => String(n).padStart(2, '0');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A contacts CSV of `rows` rows in Gent, in November 2026, sent in chunks of 5,000 rows as it is made. */
export function contactsCsvStream(rows: number): ReadableStream<Uint8Array> {
	const enc = new TextEncoder();
	let i = 0;
	return new ReadableStream({
		start(c) {
			c.enqueue(enc.encode('Datum;Lat;Lon;Type\r\n'));
		},
		async pull(c) {
			if (i >= rows) return c.close();
			let chunk = '';
			for (const end = Math.min(rows, i + 5000); i < end; i++) {
				const lat = (51.03 + (i % 400) * 0.0001).toFixed(5).replace('.', ',');
				const lng = (3.7 + (Math.floor(i / 400) % 400) * 0.0001).toFixed(5).replace('.', ',');
				chunk += `${two(1 + (i % 28))}/11/2026 ${two(8 + (i % 12))}:${two(i % 60)};${lat};${lng};Kort contact\r\n`;
			}
			c.enqueue(enc.encode(chunk));
			await pause(5);
		}
	});
}
