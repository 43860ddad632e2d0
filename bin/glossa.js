#!/usr/bin/env node
// The `glossa` command: runs the built CLI (npm run build makes out/main/cli.js).
import { existsSync } from 'node:fs';
import nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('glossa: Glossa is not built yet. Run `npm run build` first.\n');
  process.exit(1);
}
// Node 22.1+ keeps compiled code between runs, which takes most of the start-up of a command
// (zod and the parsers are compiled on every start otherwise). Older Node has no such cache.
nodeModule.enableCompileCache?.();
await import(cli);
