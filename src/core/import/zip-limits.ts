import { unzipSync } from 'fflate';
import { GlossaError } from '../../shared/errors';

/** The most a zip (DOCX, QDPX) may expand to; a small file that claims more is a zip bomb. */
export const MAX_UNZIPPED_BYTES = 500 * 1024 * 1024;

/**
 * Refuses a zip whose entries would expand past MAX_UNZIPPED_BYTES, reading only its directory:
 * the filter sees each entry's declared size and extracts nothing.
 */
export function checkZipSize(bytes: Uint8Array, what: string): void {
  let total = 0;
  try {
    unzipSync(bytes, {
      filter: (file) => {
        total += file.originalSize;
        return false;
      },
    });
  } catch (error) {
    throw new GlossaError(
      'INVALID_INPUT',
      `the file is not a readable ${what} (not a valid zip: ${(error as Error).message}).`,
    );
  }
  if (total > MAX_UNZIPPED_BYTES) {
    throw new GlossaError(
      'INVALID_INPUT',
      `the ${what} would expand to more than 500 MB; it is refused as a likely zip bomb.`,
    );
  }
}
