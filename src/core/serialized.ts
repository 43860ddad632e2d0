/**
 * A result whose JSON is already made. The HTTP transport sends `json` as it is, so a document
 * asked for again (a reload, a second window) costs a write of bytes, not a clone and a
 * stringify of its whole text and every highlight; other transports use `value`.
 */
export class Serialized<T> {
  constructor(
    readonly value: T,
    readonly json: string,
  ) {}
}

/** The value, whether it came serialized or not. */
export function plain<T>(result: T | Serialized<T>): T {
  return result instanceof Serialized ? result.value : result;
}
