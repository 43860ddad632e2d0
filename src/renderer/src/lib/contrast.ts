/**
 * Text on a highlight must stay readable: WCAG 1.4.3 asks 4.5:1 between text and what is behind
 * it. A highlight is its code's colour laid translucently over the page, under the theme's ink, so
 * how strong a colour may be depends on the colour and the theme: a dark blue at 42% over the light
 * page darkens what is behind dark ink; a yellow at 42% over the dark page lightens what is behind
 * light ink. The fill is one for both themes, so its strength is the most both allow.
 */

/** The page and text colours of each theme, as app.css declares them (a test holds them equal). */
export const THEMES = {
  light: { bg: '#fbfaf7', ink: '#1f2328' },
  dark: { bg: '#17191c', ink: '#e6e3dc' },
} as const;

export const MIN_TEXT_CONTRAST = 4.5;

type Rgb = [number, number, number];

export function rgbOf(hex: string): Rgb | null {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return null;
  const n = Number.parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** An sRGB channel (0–255) as linear light (0–1). */
function linear(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

function luminance([r, g, b]: Rgb): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `color` at `alpha` over `bg`, as the browser composites it. */
export function over(color: Rgb, alpha: number, bg: Rgb): Rgb {
  return [0, 1, 2].map((i) => Math.round(color[i] * alpha + bg[i] * (1 - alpha))) as Rgb;
}

/** The contrast of each theme's text on `color` at `alpha` over its page. */
export function textContrasts(color: Rgb, alpha: number): number[] {
  return Object.values(THEMES).map(({ bg, ink }) => contrast(rgbOf(ink)!, over(color, alpha, rgbOf(bg)!)));
}

const known = new Map<string, number>();

/**
 * The strongest alpha, up to `wanted`, at which text on `color` keeps 4.5:1 in both themes. Most
 * palette colours keep what was wanted; a very dark or very light custom colour is drawn fainter
 * rather than making its text hard to read. Steps of 0.01: at most a hundred checks, once per colour.
 */
export function readableAlpha(color: Rgb, wanted: number): number {
  const key = `${color.join()}|${wanted}`;
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  let alpha = wanted;
  while (alpha > 0.01 && Math.min(...textContrasts(color, alpha)) < MIN_TEXT_CONTRAST) {
    alpha = Math.round((alpha - 0.01) * 100) / 100;
  }
  known.set(key, alpha);
  return alpha;
}

/**
 * How a colour looks to someone with deuteranopia (no working green cones; about one man in
 * sixteen has a red–green deficiency): Machado, Oliveira and Fernandes (2009), severity 1,
 * applied in linear RGB. Used to check which codes need their second cue.
 */
export function asDeuteranope(hex: string): string {
  const rgb = rgbOf(hex);
  if (!rgb) return hex;
  const lin = rgb.map(linear);
  const m = [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ];
  const out = m.map((row) => row.reduce((sum, k, i) => sum + k * lin[i], 0));
  const srgb = out.map((v) => {
    const c = Math.min(1, Math.max(0, v));
    return Math.round(255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055));
  });
  return `#${srgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}
