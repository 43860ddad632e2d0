import { Worker } from 'node:worker_threads';
import { GlossaError, type ErrorCode } from '../../shared/errors';
import { parseImport, type ParseRequest, type Parsed } from './parse';

/** What one file's parse may use before it is stopped: the worker's JS heap, memory in all, wall time. */
export const PARSE_BUDGET = { heapMb: 768, seconds: 60, externalMb: 1536 };
/** How often the process's memory is checked while a parse runs (ArrayBuffers live outside the heap). */
const MEMORY_POLL_MS = 50;
/** A worker left idle this long is ended, giving back what the parsers loaded. */
const IDLE_MS = 30_000;

export type ParseRunner = (request: ParseRequest) => Promise<Parsed>;

/** In this thread: for tests of the parsers themselves, never for the app (see workerRunner). */
export const inProcessRunner: ParseRunner = (request) => parseImport(request);

type Answer = { ok: true; value: Parsed } | { ok: false; error: { code: ErrorCode; message: string } };

/**
 * Parses files in a worker thread with a heap limit, a time budget and a watch on the process's
 * memory (inflated streams are ArrayBuffers, outside the heap limit): a hostile file is stopped
 * and refused with a reason while the app and the server keep answering. Files are parsed one at
 * a time. A worker that finished a file normally is kept for the next one (loading the parsers —
 * pdf.js, jsdom, mammoth — costs more than most files); one that was stopped, crashed or ran out
 * of memory is thrown away with everything the file made, and the next file gets a fresh one.
 */
export function workerRunner(workerPath: string, budget = PARSE_BUDGET): ParseRunner {
  let worker: Worker | null = null;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const discard = () => {
    const w = worker;
    worker = null;
    void w?.terminate();
  };

  const parseOne = (request: ParseRequest) =>
    new Promise<Parsed>((resolve, reject) => {
      clearTimeout(idle);
      worker ??= new Worker(workerPath, {
        resourceLimits: { maxOldGenerationSizeMb: budget.heapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 },
      });
      const current = worker;
      current.ref();
      const baseline = process.memoryUsage().rss;
      let settled = false;
      const finish = (error: GlossaError | null, value?: Parsed, keep = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(watch);
        current.off('message', onMessage);
        current.off('error', onError);
        current.off('exit', onExit);
        if (keep && worker === current) {
          current.unref();
          idle = setTimeout(discard, IDLE_MS);
          idle.unref();
        } else if (worker === current) discard();
        if (error) reject(error);
        else resolve(value as Parsed);
      };
      const stop = (message: string) => finish(new GlossaError('INVALID_INPUT', message));
      const timer = setTimeout(
        () => stop(`reading the file took longer than ${budget.seconds} s; it was stopped.`),
        budget.seconds * 1000,
      );
      const watch = setInterval(() => {
        if (process.memoryUsage().rss - baseline > budget.externalMb * 1024 * 1024) {
          stop(
            `reading the file needed more than ${budget.externalMb} MB of memory; it was stopped (a damaged or hostile file?).`,
          );
        }
      }, MEMORY_POLL_MS);
      const onMessage = (answer: Answer) => {
        if (answer.ok) finish(null, answer.value, true);
        else finish(new GlossaError(answer.error.code, answer.error.message), undefined, true);
      };
      const onError = (error: Error & { code?: string }) =>
        stop(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `reading the file needed more than ${budget.heapMb} MB of memory; it was stopped.`
            : `the file could not be read (${error.message}).`,
        );
      const onExit = (code: number) => stop(`the file could not be read (the reader stopped with code ${code}).`);
      current.on('message', onMessage);
      current.once('error', onError);
      current.once('exit', onExit);
      current.postMessage(request);
    });

  return (request) => {
    const run = queue.then(() => parseOne(request));
    queue = run.catch(() => undefined);
    return run;
  };
}
