import type { default as MarkdownItClass } from 'markdown-it';

type MarkdownIt = InstanceType<typeof MarkdownItClass>;

// Notes are the user's own Markdown, but pasted text can carry anything: raw HTML is off (it is
// shown as text), and markdown-it's link validation refuses javascript:, vbscript: and data: URLs.
// markdown-it is loaded when the first note is shown, not with the page: it is a third of the
// page's script, and opening a document should not wait for it.
const renderers = new Map<boolean, Promise<MarkdownIt>>();

/** `breaks`: a line break in a note is one (people type notes that way); in a file it is not. */
function load(breaks = true): Promise<MarkdownIt> {
  let renderer = renderers.get(breaks);
  if (!renderer) {
    renderer = import('markdown-it').then(({ default: Markdown }) => {
      const md = new Markdown({ html: false, linkify: true, breaks });
      const defaultLink =
        md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
      md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
        tokens[idx].attrSet('target', '_blank');
        tokens[idx].attrSet('rel', 'noopener noreferrer');
        return defaultLink(tokens, idx, options, env, self);
      };
      return md;
    });
    renderers.set(breaks, renderer);
  }
  return renderer;
}

/**
 * A Markdown file (an export) as safe HTML, the way a Markdown viewer shows it. Its YAML front
 * matter, which viewers show as a table or hide, is kept apart as text.
 */
export async function renderMarkdownFile(file: string): Promise<{ frontMatter: string; html: string }> {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(file);
  const body = match ? file.slice(match[0].length) : file;
  return { frontMatter: match ? match[1] : '', html: (await load(false)).render(body) };
}

/** A note as safe HTML. */
export async function renderNote(note: string): Promise<string> {
  return (await load()).render(note);
}
