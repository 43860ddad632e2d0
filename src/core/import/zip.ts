import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { GlossaError } from '../../shared/errors';
import { MAX_COMPRESSION_RATIO, MAX_IMPORT_BYTES, MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES } from '../../shared/limits';

const PUSH_BYTES = 16 * 1024;
/** Below this, a high ratio is harmless (a short run of spaces compresses enormously). */
const RATIO_FLOOR_BYTES = 1024 * 1024;

export interface ZipLimits {
  /** The most one entry may inflate to. */
  maxEntryBytes?: number;
  /** The most all entries together may inflate to. */
  maxTotalBytes?: number;
}

function unsafeName(name: string): boolean {
  return name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name) || name.split(/[\\/]/).includes('..');
}

/**
 * The one way Glossa opens a zip (.docx, .qdpx). It trusts nothing the zip says about itself: every
 * entry is inflated through a counter of the bytes actually produced, which stops at the caps
 * whatever the directory declared, and an entry inflating implausibly far beyond its compressed
 * size is refused as a bomb. Entry names must be plain relative paths (no `..`, no absolute path,
 * no drive letter), even though nothing is ever written to disk by name. Returns the entries
 * `wanted` accepts (asked with the name in lower case), by their name with `/` separators.
 */
export function inflateZip(
  bytes: Uint8Array,
  what: string,
  wanted: (name: string) => boolean = () => true,
  limits: ZipLimits = {},
): Map<string, Uint8Array> {
  const maxEntry = limits.maxEntryBytes ?? MAX_IMPORT_BYTES;
  const maxTotal = limits.maxTotalBytes ?? MAX_UNZIPPED_BYTES;
  const out = new Map<string, Uint8Array>();
  let total = 0;
  let entries = 0;
  let pushed = 0;
  let failure: GlossaError | null = null;
  const fail = (file: UnzipFile | null, message: string) => {
    failure ??= new GlossaError('INVALID_INPUT', message);
    file?.terminate();
  };

  const unzip = new Unzip((file) => {
    if (failure) return;
    const name = file.name;
    if (unsafeName(name)) return fail(null, `the ${what} holds an unsafe path, "${name}"; it is refused.`);
    if (++entries > MAX_ZIP_ENTRIES) return fail(null, `the ${what} holds more than ${MAX_ZIP_ENTRIES} files.`);
    const key = name.replace(/\\/g, '/');
    if (name.endsWith('/') || !wanted(key.toLowerCase())) return;
    const chunks: Uint8Array[] = [];
    let produced = 0;
    // Packed bytes of this entry read so far, from where its header arrived: the ratio is judged
    // as it grows, not once the whole entry (whose size the zip may lie about) has been inflated.
    const startedAt = Math.max(0, pushed - PUSH_BYTES);
    file.ondata = (error, chunk, final) => {
      if (failure) return;
      if (error) return fail(file, `the file is not a readable ${what} (${error.message}).`);
      produced += chunk.length;
      total += chunk.length;
      if (produced > maxEntry) {
        return fail(
          file,
          `"${name}" in the ${what} is larger than ${Math.round(maxEntry / 1024 / 1024)} MB when unpacked.`,
        );
      }
      if (total > maxTotal) {
        return fail(
          file,
          `the ${what} unpacks to more than ${Math.round(maxTotal / 1024 / 1024)} MB; it is refused as a likely zip bomb.`,
        );
      }
      if (produced > RATIO_FLOOR_BYTES && produced / Math.max(1, pushed - startedAt) > MAX_COMPRESSION_RATIO) {
        return fail(
          file,
          `"${name}" in the ${what} unpacks to more than ${MAX_COMPRESSION_RATIO} times its packed size; it is refused as a likely zip bomb.`,
        );
      }
      chunks.push(chunk);
      if (final) out.set(key, concat(chunks, produced));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    // Fed a slice at a time: inflating is then bounded per step (deflate expands at most ~1,032×,
    // so a 16 KB slice yields at most ~16 MB), and a bomb is stopped long before it is whole.
    for (let at = 0; at < bytes.length && !failure; at += PUSH_BYTES) {
      pushed = Math.min(bytes.length, at + PUSH_BYTES);
      unzip.push(bytes.subarray(at, at + PUSH_BYTES), at + PUSH_BYTES >= bytes.length);
    }
  } catch (error) {
    if (!failure) fail(null, `the file is not a readable ${what} (not a valid zip: ${(error as Error).message}).`);
  }
  if (failure) throw failure;
  if (entries === 0)
    throw new GlossaError('INVALID_INPUT', `the file is not a readable ${what} (not a zip, or an empty one).`);
  return out;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}
