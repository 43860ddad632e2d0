import { parentPort } from 'node:worker_threads';
import { GlossaError } from '../../shared/errors';
import { parseImport, type ParseRequest } from './parse';

// Built to out/main/import-worker.js. Parses one file per message, one at a time (see
// parser-runner): a worker that was stopped on a hostile file is thrown away by the runner, with
// whatever that file left behind.

parentPort?.on('message', (request: ParseRequest) => {
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
