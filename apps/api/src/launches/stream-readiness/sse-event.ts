/** One server-sent event: `event:`, `id:` and a single-line JSON `data:` (JSON never contains a raw newline). */
export function sseEvent(event: string, id: string | number, data: unknown): string {
  return `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: ignored by clients, keeps proxies and the connection from timing out. */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
