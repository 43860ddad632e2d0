import type { Client, Input } from '../../../shared/api';
import type { Mode } from './connect';
import { download } from './download';

/**
 * Saves an export the way the shell can: a save dialog on the desktop, a download in the browser.
 * Resolves to what to tell the person, or null when they cancelled.
 */
export async function saveExport(client: Client, mode: Mode, request: Input<'exportFile'>): Promise<string | null> {
  if (mode === 'desktop') {
    const saved = await client.saveExport(request);
    return saved.path ? `Exported to ${saved.path}.` : null;
  }
  const file = await client.exportFile(request);
  download(file);
  return `Exported ${file.fileName}.`;
}

/** Hands text made here (a chart's SVG, a table's CSV) to the person as a file. */
export function downloadText(fileName: string, mediaType: string, content: string): void {
  download({ fileName, mediaType, content });
}
