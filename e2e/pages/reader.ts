import type { Download, Locator, Page } from '@playwright/test';

/** The reader as a person sees it: found by roles and accessible names. */
export class ReaderPage {
  readonly article: Locator;
  readonly toolbar: Locator;
  readonly sidebar: Locator;
  readonly marks: Locator;
  readonly highlightItems: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.article = page.getByRole('article');
    this.toolbar = page.getByRole('toolbar', { name: 'Tags' });
    this.sidebar = page.getByRole('complementary', { name: 'Highlights' });
    this.marks = this.article.locator('mark');
    this.highlightItems = this.sidebar.getByRole('listitem').getByRole('button', { name: /^¶/ });
    this.status = page.getByRole('status');
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.paragraphs().first().waitFor();
  }

  paragraphs(): Locator {
    return this.article.getByRole('paragraph');
  }

  paragraph(containing: string): Locator {
    return this.paragraphs().filter({ hasText: containing });
  }

  tagButton(name: string): Locator {
    return this.toolbar.getByRole('button', { name: new RegExp(`^${name}`) });
  }

  /** Where the first and last characters of `text` are on screen (it must lie in one paragraph). */
  private async edges(text: string): Promise<{ x1: number; y1: number; x2: number; y2: number }> {
    const box = await this.paragraph(text)
      .first()
      .evaluate((p, wanted) => {
        const full = p.textContent ?? '';
        const at = full.indexOf(wanted);
        if (at < 0) throw new Error(`"${wanted}" is not in the paragraph`);
        const point = (offset: number) => {
          const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
          let left = offset;
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const size = node.textContent?.length ?? 0;
            if (left < size) return { node, offset: left };
            left -= size;
          }
          throw new Error('offset past the end');
        };
        const rectOf = (offset: number) => {
          const { node, offset: o } = point(offset);
          const range = document.createRange();
          range.setStart(node, o);
          range.setEnd(node, o + 1);
          return range.getBoundingClientRect();
        };
        const first = rectOf(at);
        const last = rectOf(at + wanted.length - 1);
        return {
          x1: first.left + 1,
          y1: first.top + first.height / 2,
          x2: last.right - 1,
          y2: last.top + last.height / 2,
        };
      }, text);
    return box;
  }

  /** Selects `text` by dragging the mouse across it, like a reader does. */
  /**
   * Brings the paragraph to the middle of the reader. Only "if needed" can leave it on the
   * scroller's edge, where a drag makes the browser auto-scroll and carries the selection on into
   * the next paragraph (slowly dragging on a loaded machine, it did). Centred again once the
   * paragraphs around it have been laid out, which changes their heights.
   */
  private async centre(text: string): Promise<void> {
    await this.paragraph(text)
      .first()
      .evaluate(async (p) => {
        p.scrollIntoView({ block: 'center', behavior: 'instant' });
        // Paragraphs coming near the screen get their marks drawn in the next frames: measure once
        // the page a person would see has settled.
        const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        await frame();
        p.scrollIntoView({ block: 'center', behavior: 'instant' });
        await frame();
      });
  }

  async selectWithMouse(text: string): Promise<void> {
    await this.centre(text);
    const { x1, y1, x2, y2 } = await this.edges(text);
    await this.page.mouse.move(x1, y1);
    await this.page.mouse.down();
    await this.page.mouse.move(x2, y2, { steps: 8 });
    await this.page.mouse.up();
  }

  /** Puts the caret before `text` with a click, then extends the selection with Shift+→. */
  async selectWithKeyboard(text: string): Promise<void> {
    await this.centre(text);
    const { x1, y1 } = await this.edges(text);
    await this.page.mouse.click(x1 - 1, y1);
    for (let i = 0; i < text.length; i++) await this.page.keyboard.press('Shift+ArrowRight');
  }

  /** Selects `text` through the DOM Selection API: for right-to-left text, where a drag's screen order is not the text's. */
  async selectProgrammatically(text: string): Promise<void> {
    await this.paragraph(text)
      .first()
      .evaluate((p, wanted) => {
        const full = p.textContent ?? '';
        const at = full.indexOf(wanted);
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        const point = (offset: number): [Node, number] => {
          let left = offset;
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const size = node.textContent?.length ?? 0;
            if (left <= size) return [node, left];
            left -= size;
          }
          throw new Error('offset past the end');
        };
        const [startNode, startOffset] = point(at);
        walker.currentNode = p;
        const [endNode, endOffset] = point(at + wanted.length);
        (p.closest('article') as HTMLElement).focus();
        document.getSelection()?.setBaseAndExtent(startNode, startOffset, endNode, endOffset);
      }, text);
  }

  /** Opens another document with the document picker. */
  async openDocument(title: string | RegExp): Promise<void> {
    const picker = this.page.getByRole('combobox', { name: 'Document' });
    const option = picker.getByRole('option', { name: title });
    const label = (await option.textContent()) ?? '';
    await picker.selectOption({ label });
    // The text shown must be the new document's, not the previous one's still on screen.
    await this.page.getByRole('article', { name: `Text of ${label.trim()}`, exact: true }).waitFor();
    await this.paragraphs().first().waitFor();
  }

  /** The text of the current selection, as the browser reports it. */
  selectedText(): Promise<string> {
    return this.page.evaluate(() => document.getSelection()?.toString() ?? '');
  }

  async exportMarkdown(): Promise<{ download: Download; text: string }> {
    await this.page.getByRole('button', { name: 'Export…' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Export highlights' });
    await dialog.getByRole('document', { name: 'Export preview, rendered' }).waitFor();
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download' }).click(),
    ]);
    const stream = await download.createReadStream();
    let text = '';
    for await (const chunk of stream) text += chunk;
    return { download, text };
  }
}
