import { Library } from '../core/library';

// A real Glossa process for the codebook crash test: opens the library given, says READY, and
// merges one code into another across every document. The test kills it with SIGKILL at a random
// moment and checks that the merge happened whole or not at all.

const [dataDir, from, into] = process.argv.slice(2);
const library = await Library.open({ dataDir, owner: 'merge-writer' });
process.stdout.write('READY\n');
await library.mergeTags({ from, into });
process.stdout.write('DONE\n');
await library.close();
