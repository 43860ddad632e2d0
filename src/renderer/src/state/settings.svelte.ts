export type Theme = 'system' | 'light' | 'dark';
export type ColumnWidth = 'narrow' | 'medium' | 'wide';

const KEY = 'glossa-reading-settings';
const WIDTHS: Record<ColumnWidth, string> = { narrow: '32rem', medium: '40rem', wide: '52rem' };
export const FONT_SIZES = [14, 16, 18, 20, 22, 24] as const;

interface Saved {
  fontSize: number;
  width: ColumnWidth;
  theme: Theme;
}

function load(): Saved {
  const fallback: Saved = { fontSize: 18, width: 'medium', theme: 'system' };
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Saved>;
    return {
      fontSize: FONT_SIZES.includes(saved.fontSize as (typeof FONT_SIZES)[number])
        ? (saved.fontSize as number)
        : fallback.fontSize,
      width: saved.width && saved.width in WIDTHS ? saved.width : fallback.width,
      theme:
        saved.theme === 'light' || saved.theme === 'dark' || saved.theme === 'system' ? saved.theme : fallback.theme,
    };
  } catch {
    return fallback;
  }
}

/** Reading comfort: font size, column width and theme, remembered on this computer. */
export class ReadingSettings {
  #saved = load();
  fontSize = $state(this.#saved.fontSize);
  width = $state<ColumnWidth>(this.#saved.width);
  theme = $state<Theme>(this.#saved.theme);

  /** Applies the settings to the page (through the CSSOM, which the CSP allows) and saves them. */
  apply(root: HTMLElement): void {
    root.style.setProperty('--reading-size', `${this.fontSize / 16}rem`);
    root.style.setProperty('--reading-width', WIDTHS[this.width]);
    root.dataset.theme = this.theme;
    localStorage.setItem(KEY, JSON.stringify({ fontSize: this.fontSize, width: this.width, theme: this.theme }));
  }
}
