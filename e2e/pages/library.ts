import type { Locator, Page } from '@playwright/test';

export interface FileToImport {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** The library screen as a person sees it: found by roles and accessible names. */
export class LibraryPage {
  readonly region: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly report: Locator;
  readonly results: Locator;

  constructor(readonly page: Page) {
    this.region = page.getByRole('region', { name: /^(Library|Trash)$/ });
    this.table = this.region.getByRole('table');
    this.rows = this.table.getByRole('row').filter({ has: page.getByRole('rowheader') });
    this.report = page.getByRole('region', { name: 'Import report' });
    this.results = page.getByRole('region', { name: /match|No matches/ });
  }

  async show(): Promise<void> {
    await this.page.getByRole('button', { name: 'Library', exact: true }).click();
    await this.region.waitFor();
  }

  row(title: string | RegExp): Locator {
    return this.rows.filter({ has: this.page.getByRole('rowheader', { name: title }) });
  }

  /** Imports through the file picker, as in web mode. */
  async importFiles(files: FileToImport[]): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.region.getByRole('button', { name: 'Import files…' }).click();
    await (await chooser).setFiles(files);
  }

  async open(title: string | RegExp): Promise<void> {
    await this.row(title).getByRole('button', { name: title, exact: true }).click();
  }

  /** Types in the filter box above the list. */
  async filter(text: string): Promise<void> {
    await this.region.getByRole('textbox', { name: /^Filter/ }).fill(text);
  }

  async search(words: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Search the library' }).fill(words);
    await this.page.getByRole('search').getByRole('button', { name: 'Search' }).click();
  }
}
