import { Library } from '../core/library';

// A separate process that runs one project share or sync on a library folder, for tests that
// SIGKILL it halfway. argv: data dir, then `sync`, or `share <server> <db>`.

const [dataDir, mode, server, db] = process.argv.slice(2);
const library = await Library.open({ dataDir, owner: 'sync-once' });
process.stdout.write('READY\n');
if (mode === 'share') await library.shareProject({ server, db });
else await library.syncProject({});
await library.close();
process.stdout.write('DONE\n');
