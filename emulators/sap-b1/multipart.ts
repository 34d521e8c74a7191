/** Minimal multipart/mixed reading and writing for OData $batch (CRLF line ends, as SAP's Apache expects). */
export interface Part {
  headers: Record<string, string>;
  body: string;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  return /boundary=("?)([^";]+)\1/i.exec(contentType ?? '')?.[2];
}

export function splitParts(body: string, boundary: string): Part[] {
  const text = body.replace(/\r?\n/g, '\r\n');
  const chunks = text.split(`--${boundary}`);
  const parts: Part[] = [];
  // chunks[0] is the preamble; the chunk after the closing delimiter starts with `--`.
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break;
    const content = chunk.replace(/^\r\n/, '').replace(/\r\n$/, '');
    const split = content.indexOf('\r\n\r\n');
    const head = split >= 0 ? content.slice(0, split) : content;
    const rest = split >= 0 ? content.slice(split + 4) : '';
    parts.push({ headers: parseHeaders(head), body: rest });
  }
  return parts;
}

export function parseHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

/** An application/http part's inner message: start line, headers, body. */
export function parseHttpMessage(text: string): { startLine: string; headers: Record<string, string>; body: string } {
  const split = text.indexOf('\r\n\r\n');
  const head = split >= 0 ? text.slice(0, split) : text.replace(/\r\n$/, '');
  const body = split >= 0 ? text.slice(split + 4) : '';
  const [startLine = '', ...headerLines] = head.split('\r\n');
  return { startLine, headers: parseHeaders(headerLines.join('\r\n')), body: body.replace(/\r\n$/, '') };
}

export function joinParts(boundary: string, parts: string[]): string {
  return parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + `--${boundary}--\r\n`;
}
