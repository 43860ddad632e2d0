/**
 * Converts offsets between UTF-16 code units (how Glossa and JavaScript count, and how highlights
 * are stored) and Unicode code points (how the W3C TextPositionSelector and REFI-QDA count
 * "characters"). The two differ only after characters outside the Basic Multilingual Plane
 * (emoji, some CJK), each one unit in code points but two in UTF-16.
 */
export interface OffsetConverter {
  toCodePoints(utf16: number): number;
  toUtf16(codePoints: number): number;
}

export function offsetConverter(text: string): OffsetConverter {
  // UTF-16 offsets of every astral character: conversions are a binary search over them.
  const astral: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        astral.push(i);
        i++;
      }
    }
  }
  /** How many astral characters start before `limit` (in UTF-16 units, or in code points). */
  const countBefore = (limit: number, inCodePoints: boolean) => {
    let lo = 0;
    let hi = astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const at = inCodePoints ? astral[mid] - mid : astral[mid];
      if (at < limit) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    toCodePoints: (utf16) => utf16 - countBefore(utf16, false),
    toUtf16: (codePoints) => codePoints + countBefore(codePoints, true),
  };
}
