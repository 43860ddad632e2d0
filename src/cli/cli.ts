import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { findOccurrences } from '../shared/anchoring';
import { someNames } from '../shared/codebook';
import { GlossaError } from '../shared/errors';
import { paragraphRef } from '../shared/plain-text';
import type { ImportOutcome } from '../shared/types';
import { basename } from 'node:path';
import { writeFileDurably } from '../core/store/durable-file';
import { EXPORT_FORMATS, type ExportFormat } from '../core/export';
import { MARKDOWN_FLAGS, MARKDOWN_LAYOUTS, type MarkdownLayout } from '../shared/markdown-export';
import { call, createHandlers, type Handlers } from '../core/handlers';
import { Library } from '../core/library';
import { resolveDataDir } from '../core/paths';
import { registerCodebookCommands } from './codebook-commands';
import { registerAgreementCommands } from './agreement-commands';
import { registerProjectCommands } from './project-commands';
import { collect } from './options';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Where the built renderer and the seed articles are. */
  staticDir: string;
  seedDir: string;
  /** The built import worker; files are parsed there, off the thread that answers. */
  importWorker?: string;
  /** Aborted on SIGINT/SIGTERM; ends `serve`. */
  signal?: AbortSignal;
  openBrowser?: (url: string) => Promise<void>;
  /** Asks for a secret on the terminal without showing it; absent when there is no terminal. */
  askSecret?: (prompt: string) => Promise<string>;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of 1 or more.');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0–65535).');
  return n;
}

export interface OpenOptions {
  /** false: a new library starts empty, without the seed article (a library that joins a project). */
  seed?: boolean;
}

/**
 * Opens the library, runs one command through the contract's handlers (the same validation as
 * every other front end: the CLI writes nothing any other way), and closes it.
 */
async function withHandlers<T>(
  io: CliIo,
  dataDir: string | undefined,
  owner: string,
  work: (handlers: Handlers) => Promise<T>,
  options: OpenOptions = {},
): Promise<T> {
  const library = await Library.open({
    dataDir: resolveDataDir(dataDir, io.env),
    owner,
    seedDir: options.seed === false ? undefined : io.seedDir,
  });
  try {
    for (const notice of library.notices) io.stderr(`${notice.level}: ${notice.message}\n`);
    return await work(createHandlers(library, { importWorker: io.importWorker }));
  } finally {
    await library.close();
  }
}

/** Tag ids for tags people type by id or name (any case). */
async function resolveTags(handlers: Handlers, names: string[]): Promise<string[]> {
  const { tags } = await call(handlers, 'getCodebook', {});
  return names.map((name) => {
    const wanted = name.toLowerCase();
    const tag = tags.find((t) => t.id === name || t.name.toLowerCase() === wanted);
    if (!tag) {
      throw new GlossaError(
        'INVALID_INPUT',
        `Unknown tag "${name}"; the codebook has: ${someNames(tags.map((t) => t.name))}.`,
      );
    }
    return tag.id;
  });
}

/** A file's bytes as the contract carries them. */
async function fileInput(path: string): Promise<{ fileName: string; data: string }> {
  const { readImportFile } = await import('../core/import/import-file');
  const { fileName, bytes } = await readImportFile(path);
  return { fileName, data: Buffer.from(bytes).toString('base64') };
}

function buildProgram(io: CliIo): Command {
  const program = new Command('glossa')
    .description('Glossa: read, highlight, tag and export articles offline.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run glossa --help for usage)')
    // Options after a subcommand belong to it: `glossa tags add x --data-dir d` must not hand
    // --data-dir to `tags`, which has one too.
    .enablePositionalOptions();
  const dataDirOption = () =>
    new Option('--data-dir <dir>', 'library folder (default: $GLOSSA_DATA_DIR or the app data folder)');

  program
    .command('docs')
    .description('list the documents in the library')
    .addOption(dataDirOption())
    .option('--json', 'print JSON')
    .action(async (opts: { dataDir?: string; json?: boolean }) => {
      const docs = await withHandlers(io, opts.dataDir, 'glossa docs', (handlers) =>
        call(handlers, 'listDocuments', {}),
      );
      if (opts.json) {
        io.stdout(
          `${JSON.stringify(
            docs.map((d) => ({
              id: d.id,
              title: d.title,
              date: d.date ?? null,
              source: d.source,
              author: d.author ?? null,
              highlights: d.highlightCount,
              tags: d.tagCounts,
            })),
            null,
            2,
          )}\n`,
        );
      } else {
        for (const d of docs)
          io.stdout(`${d.id}  ${d.date ?? '----------'}  ${String(d.highlightCount).padStart(4)}  ${d.title}\n`);
      }
    });

  program
    .command('highlight')
    .description('highlight a passage found by its exact text; prints the new highlight id')
    .argument('<doc-id>', 'document id (see glossa docs)')
    .requiredOption('--quote <text>', 'the exact text to highlight')
    .requiredOption('--tag <tag>', 'tag (repeat for more than one)', collect)
    .option('--note <text>', 'a note for the highlight')
    .option('--occurrence <n>', 'which occurrence, when the text occurs more than once', positiveInt)
    .addOption(dataDirOption())
    .action(
      async (
        docId: string,
        opts: { quote: string; tag: string[]; note?: string; occurrence?: number; dataDir?: string },
      ) => {
        const id = await withHandlers(io, opts.dataDir, 'glossa highlight', async (handlers) => {
          const tags = await resolveTags(handlers, opts.tag);
          const doc = await call(handlers, 'getDocument', { documentId: docId });
          const found = findOccurrences(doc.text, opts.quote);
          if (found.length === 0)
            throw new GlossaError('NOT_FOUND', `The text "${opts.quote}" does not occur in document ${docId}.`);
          if (found.length > 1 && opts.occurrence === undefined) {
            const where = found.map((at) => paragraphRef(doc.paragraphs, at, at + opts.quote.length)).join(', ');
            throw new GlossaError(
              'CONFLICT',
              `The text occurs ${found.length} times (${where}); choose one with --occurrence <n>.`,
            );
          }
          const index = (opts.occurrence ?? 1) - 1;
          if (index >= found.length) {
            throw new GlossaError(
              'NOT_FOUND',
              `There is no occurrence ${opts.occurrence}; the text occurs ${found.length} time(s).`,
            );
          }
          const start = found[index];
          const created = await call(handlers, 'createHighlight', {
            documentId: docId,
            revision: doc.revision,
            start,
            end: start + opts.quote.length,
            quote: opts.quote,
            tags,
            note: opts.note,
          });
          return created.id;
        });
        io.stdout(`${id}\n`);
      },
    );

  const exportCommand = program
    .command('export')
    .description(
      'export highlights (Markdown, CSV, W3C Web Annotation JSON-LD, REFI-QDA .qdpx/.qdc) to stdout or a file',
    )
    .argument('[doc-id...]', 'document ids; every document when left out')
    .addOption(new Option('--format <format>', 'export format: md, csv, jsonld, qdpx, qdc').default('md'))
    .addOption(
      new Option('--layout <layout>', 'Markdown: grouped by tag, by document, or in reading order').choices([
        ...MARKDOWN_LAYOUTS,
      ]),
    )
    .option('--tag <tag>', 'only this tag (repeatable)', collect)
    .option('--out <file>', 'write to this file instead of stdout (needed for .qdpx)')
    .option('--bom', 'CSV: start with a UTF-8 byte-order mark (for Excel)')
    .option('--formula-safe', "CSV: prefix ' to text a spreadsheet would run as a formula")
    .option('--codebook', 'Markdown: the codebook itself (codes, descriptions, counts, examples)')
    .option('--query <query>', 'only the highlights this Passages query finds (see glossa passages)')
    .option('--coder <name>', "only this coder's highlights (repeatable; Consensus: the adjudicated layer)", collect)
    .addOption(dataDirOption());
  // The Markdown options, from the one list the contract and the export dialog use too.
  for (const f of MARKDOWN_FLAGS) {
    if (f.byDefault) exportCommand.option(`--no-${f.flag}`, `Markdown: leave out ${f.help}`);
    else exportCommand.option(`--${f.flag}`, `Markdown: ${f.help}`);
  }
  exportCommand.action(
    async (
      docIds: string[],
      opts: {
        format: string;
        layout?: MarkdownLayout;
        tag?: string[];
        out?: string;
        bom?: boolean;
        formulaSafe?: boolean;
        codebook?: boolean;
        query?: string;
        coder?: string[];
        dataDir?: string;
      } & Record<string, unknown>,
    ) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) {
        throw new GlossaError(
          'INVALID_INPUT',
          `Unknown format "${opts.format}"; available: ${EXPORT_FORMATS.join(', ')}.`,
        );
      }
      if (opts.codebook && opts.format !== 'md') {
        throw new GlossaError('INVALID_INPUT', '--codebook goes with --format md (for REFI-QDA, use --format qdc).');
      }
      if (opts.format === 'qdpx' && !opts.out) {
        throw new GlossaError('INVALID_INPUT', 'A .qdpx project is a zip file; give --out <file.qdpx>.');
      }
      const camel = (flag: string) => flag.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
      const markdown = {
        layout: opts.layout,
        ...Object.fromEntries(MARKDOWN_FLAGS.map((f) => [f.key, opts[camel(f.flag)] as boolean | undefined])),
      };
      const file = await withHandlers(io, opts.dataDir, 'glossa export', async (handlers) =>
        call(handlers, 'exportFile', {
          scope: {
            documentIds: docIds,
            tags: opts.tag && (await resolveTags(handlers, opts.tag)),
            query: opts.query,
            coders: opts.coder,
          },
          format: opts.format as ExportFormat,
          codebook: opts.codebook,
          bom: opts.bom,
          formulaSafe: opts.formulaSafe,
          markdown,
        }),
      );
      if (opts.out) {
        const content = file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : file.content;
        await writeFileDurably(opts.out, content).catch((error: NodeJS.ErrnoException) => {
          throw new GlossaError(
            'INVALID_INPUT',
            `Could not write ${opts.out}: ${error.code === 'ENOENT' ? 'its folder does not exist' : error.message}.`,
          );
        });
        if (file.notice) io.stderr(`glossa: ${file.notice}\n`);
        io.stderr(`Exported to ${opts.out}\n`);
      } else {
        io.stdout(file.content);
      }
    },
  );

  program
    .command('import')
    .description(
      'add documents (.txt, .md, .html, .pdf, .docx) and highlights from other tools (.jsonld, .qdpx, .qdc); prints ids',
    )
    .argument('<file...>', 'files to import')
    .option('--json', 'print JSON')
    .option('--doc <doc-id>', 'W3C annotations: attach them to this document (for files from other tools)')
    .option(
      '--replace <doc-id>',
      'the file is a corrected version of this document: replace its text, keep its highlights',
    )
    .addOption(dataDirOption())
    .action(async (files: string[], opts: { json?: boolean; doc?: string; replace?: string; dataDir?: string }) => {
      if (opts.replace) {
        if (files.length !== 1) throw new GlossaError('INVALID_INPUT', '--replace takes exactly one file.');
        const documentId = opts.replace;
        const report = await withHandlers(io, opts.dataDir, 'glossa import', async (handlers) => {
          const input = await fileInput(files[0]).catch((error: GlossaError) => {
            throw new GlossaError(error.code ?? 'INVALID_INPUT', `${files[0]}: ${error.message}`);
          });
          const { document: _document, ...counts } = await call(handlers, 'replaceDocumentText', {
            documentId,
            ...input,
          }).catch((error: GlossaError) => {
            throw new GlossaError(error.code, `${files[0]}: ${error.message}`);
          });
          return counts;
        });
        io.stdout(
          opts.json
            ? `${JSON.stringify({ id: documentId, ...report })}\n`
            : `${documentId}: text replaced; highlights found exactly ${report.exact}, approximately ${report.approximate}${report.toReview.length ? ` (to review in the reader: ${report.toReview.join(', ')})` : ''}, orphaned ${report.orphaned}\n`,
        );
        return;
      }
      const results = await withHandlers(io, opts.dataDir, 'glossa import', async (handlers) => {
        const out: ({ file: string } & Omit<ImportOutcome, 'fileName'>)[] = [];
        for (const file of files) {
          // One file's problem (unreadable, refused) is reported for that file; the rest go on.
          const outcome = await fileInput(file).then(
            (input) => call(handlers, 'importFile', { ...input, documentId: opts.doc }),
            (error: unknown) => ({
              fileName: basename(file),
              error: error instanceof GlossaError ? error.message : String(error),
              code: error instanceof GlossaError ? error.code : 'INVALID_INPUT',
            }),
          );
          const { fileName: _name, ...rest } = outcome;
          out.push({ file, ...rest });
        }
        return out;
      });
      if (opts.json) io.stdout(`${JSON.stringify(results, null, 2)}\n`);
      for (const r of results) {
        if (r.error) io.stderr(`glossa: ${r.file}: ${r.error}\n`);
        else if (!opts.json && r.summary) io.stdout(`${r.file}: ${r.summary}\n`);
        else if (!opts.json) io.stdout(`${r.id}${r.added ? '' : '  (already in the library)'}\n`);
      }
      if (results.some((r) => r.error)) throw new CommanderError(1, 'glossa.import', '');
    });

  const context = {
    io,
    withHandlers: <T>(
      dataDir: string | undefined,
      owner: string,
      work: (handlers: Handlers) => Promise<T>,
      options?: OpenOptions,
    ) => withHandlers(io, dataDir, owner, work, options),
    dataDirOption,
  };
  registerCodebookCommands(program, context);
  registerAgreementCommands(program, context);
  registerProjectCommands(program, context);

  program
    .command('serve')
    .description('run Glossa as a local web app on 127.0.0.1')
    .option('--port <n>', 'port to listen on (default: any free port)', port)
    .option('--no-open', 'do not open the browser')
    .addOption(dataDirOption())
    .action(async (opts: { port?: number; open: boolean; dataDir?: string }) => {
      const library = await Library.open({
        dataDir: resolveDataDir(opts.dataDir, io.env),
        owner: 'glossa serve',
        seedDir: io.seedDir,
      });
      let server;
      try {
        const { startServer } = await import('../server/http-server');
        server = await startServer({
          handlers: createHandlers(library, { importWorker: io.importWorker }),
          staticDir: io.staticDir,
          port: opts.port,
          subscribe: (listener) => library.subscribe(listener),
        });
      } catch (error) {
        await library.close();
        throw new GlossaError('CONFLICT', `Could not start the server: ${(error as Error).message}`);
      }
      io.stdout(`Glossa is running at ${server.url}\n`);
      // A team project stays in sync while the app runs (the password, if one is needed, from
      // GLOSSA_PASSWORD or the one typed in the app, kept in memory only).
      library.projectSync.start({}, io.env.GLOSSA_PASSWORD);
      // The browser gets a launch code of its own: its command line is readable by any local user,
      // and the code is spent the moment the page opens.
      if (opts.open && io.openBrowser) await io.openBrowser(server.launchUrl()).catch(() => undefined);
      await new Promise<void>((resolveStop) => {
        if (io.signal?.aborted) resolveStop();
        io.signal?.addEventListener('abort', () => resolveStop(), { once: true });
      });
      await server.close();
      await library.close();
    });

  return program;
}

/** Runs one glossa command; resolves to the process exit code. Errors go to stderr, never a stack. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successful exits; everything else is a usage error.
      return error.exitCode === 0 ? 0 : 1;
    }
    io.stderr(
      `glossa: ${error instanceof GlossaError ? error.message : `unexpected error: ${(error as Error).message}`}\n`,
    );
    return 1;
  }
}
