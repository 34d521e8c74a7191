/** A file the engine built (the Payouts export), as the contract carries it. */
export interface EngineFile {
  fileName: string;
  contentType: string;
  base64: string;
}

/** How long the file's address stays valid: long enough for the browser (or Electron's save dialog) to take it. */
const KEEP_URL_MS = 60_000;

/**
 * Hands the file to the browser as a download under the engine's file name: the desktop app asks where to save it,
 * a browser saves it as it saves any download.
 */
export function saveFile(file: EngineFile): void {
  const binary = atob(file.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: file.contentType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), KEEP_URL_MS);
}
