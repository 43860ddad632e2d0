import { parentPort } from 'node:worker_threads';
import { GlossaError } from '../../shared/errors';
import { parseImport, type ParseRequest } from './parse';

// Built to out/main/import-worker.js. One request per worker: the worker is thrown away after it,
// so nothing a hostile file left behind (memory, a stuck loop) outlives its import.

parentPort?.once('message', (request: ParseRequest) => {
  parseImport(request).then(
    (value) => parentPort?.postMessage({ ok: true, value }),
    (error: unknown) =>
      parentPort?.postMessage({
        ok: false,
        error:
          error instanceof GlossaError
            ? { code: error.code, message: error.message }
            : {
                code: 'INVALID_INPUT',
                message:
                  error instanceof RangeError
                    ? 'the file is nested too deeply to read.'
                    : `the file could not be read (${(error as Error).message}).`,
              },
      }),
  );
});
