import { Library } from '../core/library';
import { trimRange } from '../shared/anchoring';

// A real Glossa process for the crash test: opens the library given, then saves highlights (and
// changes some notes) as fast as it can, printing `ACK <json>` the moment each save resolves —
// the point at which Glossa tells a person their highlight is saved. The test kills it with
// SIGKILL at a random moment and checks that every acknowledged change survived.

const [dataDir, seedText] = process.argv.slice(2);
const library = await Library.open({ dataDir, owner: 'crash-writer' });
const [doc] = await library.listDocuments();
let view = await library.getDocument(doc.id);
process.stdout.write('READY\n');
let n = 0;
for (;;) {
  n++;
  const start = (Number(seedText) * 7919 + n * 104729) % (view.text.length - 40);
  if (!view.text.slice(start, start + 12).trim()) continue;
  // A fresh passage each time (as the library trims it): tagging a passage already highlighted
  // changes that highlight, and the check after a kill follows each highlight through the process
  // that made it.
  const trimmed = trimRange(view.text, start, start + 12);
  const taken = view.highlights.some(
    (h) => h.target.position.start === trimmed.start && h.target.position.end === trimmed.end,
  );
  if (taken) continue;
  const h = await library.createHighlight({
    documentId: doc.id,
    revision: view.revision,
    start,
    end: start + 12,
    quote: view.text.slice(start, start + 12),
    tags: ['security'],
    note: `note ${seedText}-${n}`,
  });
  process.stdout.write(`ACK ${JSON.stringify({ id: h.id, note: h.note, start: h.target.position.start })}\n`);
  if (n % 3 === 0) {
    const changed = await library.updateHighlight({
      documentId: doc.id,
      highlightId: h.id,
      note: `changed ${seedText}-${n}`,
    });
    process.stdout.write(`ACK ${JSON.stringify({ id: changed.id, note: changed.note, start })}\n`);
  }
  view = await library.getDocument(doc.id);
}
