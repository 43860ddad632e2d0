import MarkdownIt from 'markdown-it';

// Notes are the user's own Markdown, but pasted text can carry anything: raw HTML is off (it is
// shown as text), and markdown-it's link validation refuses javascript:, vbscript: and data: URLs.
const md = new MarkdownIt({ html: false, linkify: true, breaks: true });

const defaultLink =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('target', '_blank');
  tokens[idx].attrSet('rel', 'noopener noreferrer');
  return defaultLink(tokens, idx, options, env, self);
};

/** A note as safe HTML. */
export function renderNote(note: string): string {
  return md.render(note);
}
