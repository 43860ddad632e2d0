/**
 * A result whose JSON is already made. The HTTP transport sends `json` as it is, so a document
 * asked for again (a reload, a second window) costs a write of bytes, not a clone and a
 * stringify of its whole text and every highlight; other transports use `value`.
 */
export class Serialized<T> {
  private packedJson: string | undefined;

  /** @param pack a smaller wire form of `value` a client may ask for (see view-wire.ts), made once on demand */
  constructor(
    readonly value: T,
    readonly json: string,
    private readonly pack?: (value: T) => unknown,
  ) {}

  /** The packed form's JSON, or undefined when this result has none. */
  get packed(): string | undefined {
    if (this.pack && this.packedJson === undefined) this.packedJson = JSON.stringify(this.pack(this.value));
    return this.packedJson;
  }
}

/** The value, whether it came serialized or not. */
export function plain<T>(result: T | Serialized<T>): T {
  return result instanceof Serialized ? result.value : result;
}
