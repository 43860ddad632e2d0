import type { default as MarkdownItClass } from 'markdown-it';

type MarkdownIt = InstanceType<typeof MarkdownItClass>;

// Notes are the user's own Markdown, but pasted text can carry anything: raw HTML is off (it is
// shown as text), and markdown-it's link validation refuses javascript:, vbscript: and data: URLs.
// markdown-it is loaded when the first note is shown, not with the page: it is a third of the
// page's script, and opening a document should not wait for it.
let renderer: Promise<MarkdownIt> | null = null;

function load(): Promise<MarkdownIt> {
  renderer ??= import('markdown-it').then(({ default: Markdown }) => {
    const md = new Markdown({ html: false, linkify: true, breaks: true });
    const defaultLink =
      md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
    md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
      tokens[idx].attrSet('target', '_blank');
      tokens[idx].attrSet('rel', 'noopener noreferrer');
      return defaultLink(tokens, idx, options, env, self);
    };
    return md;
  });
  return renderer;
}

/** A note as safe HTML. */
export async function renderNote(note: string): Promise<string> {
  return (await load()).render(note);
}
