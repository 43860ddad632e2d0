import { Worker } from 'node:worker_threads';
import { GlossaError, type ErrorCode } from '../../shared/errors';
import { parseImport, type ParseRequest, type Parsed } from './parse';

/** What one file's parse may use before it is stopped: the worker's JS heap, and wall time. */
export const PARSE_BUDGET = { heapMb: 768, seconds: 60, externalMb: 1536 };
/** How often the process's memory is checked while a parse runs (ArrayBuffers live outside the heap). */
const MEMORY_POLL_MS = 50;

export type ParseRunner = (request: ParseRequest) => Promise<Parsed>;

/** In this thread: for tests of the parsers themselves, never for the app (see workerRunner). */
export const inProcessRunner: ParseRunner = (request) => parseImport(request);

/**
 * Parses each file in a fresh worker thread with a heap limit, a time budget and a watch on the
 * process's memory (inflated streams are ArrayBuffers, outside the heap limit): a hostile file is
 * stopped and refused with a reason while the app and the server keep answering, and the worker
 * takes what the file made with it when it ends.
 */
export function workerRunner(workerPath: string, budget = PARSE_BUDGET): ParseRunner {
  return (request) =>
    new Promise<Parsed>((resolve, reject) => {
      const worker = new Worker(workerPath, {
        resourceLimits: { maxOldGenerationSizeMb: budget.heapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 },
      });
      const baseline = process.memoryUsage().rss;
      let settled = false;
      const finish = (error: GlossaError | null, value?: Parsed) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(watch);
        void worker.terminate();
        if (error) reject(error);
        else resolve(value as Parsed);
      };
      const timer = setTimeout(
        () =>
          finish(
            new GlossaError('INVALID_INPUT', `reading the file took longer than ${budget.seconds} s; it was stopped.`),
          ),
        budget.seconds * 1000,
      );
      const watch = setInterval(() => {
        if (process.memoryUsage().rss - baseline > budget.externalMb * 1024 * 1024) {
          finish(
            new GlossaError(
              'INVALID_INPUT',
              `reading the file needed more than ${budget.externalMb} MB of memory; it was stopped (a damaged or hostile file?).`,
            ),
          );
        }
      }, MEMORY_POLL_MS);
      worker.once(
        'message',
        (answer: { ok: true; value: Parsed } | { ok: false; error: { code: ErrorCode; message: string } }) => {
          if (answer.ok) finish(null, answer.value);
          else finish(new GlossaError(answer.error.code, answer.error.message));
        },
      );
      worker.once('error', (error: Error & { code?: string }) => {
        finish(
          new GlossaError(
            'INVALID_INPUT',
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? `reading the file needed more than ${budget.heapMb} MB of memory; it was stopped.`
              : `the file could not be read (${error.message}).`,
          ),
        );
      });
      worker.once('exit', (code) => {
        finish(new GlossaError('INVALID_INPUT', `the file could not be read (the reader stopped with code ${code}).`));
      });
      worker.postMessage(request);
    });
}
