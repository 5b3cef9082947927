/**
 * Saving a file the engine made (a report) or the UI made (the class table): in the browser a
 * download of a Blob, in the desktop app the same download, which Electron turns into its save
 * dialog. The byte handling is pure and tested; `saveFile` is the only part that touches the page.
 */

/** Bytes of a base64 text (what exports carry across the contract). */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  // Bounded by the text: one pass per byte.
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** 1536 → "1.5 KiB": the size said after a save. */
export function fileSizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
}

/** Offers `bytes` as a download named `fileName`. */
export function saveFile(fileName: string, mimeType: string, bytes: Uint8Array | string): void {
  const blob = new Blob([bytes as BlobPart], { type: mimeType });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the time the click returns; the URL is not needed after.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
