/** Find in document: what is searched for, how, and which match is current. */
export class FindState {
  open = $state(false);
  query = $state('');
  matchCase = $state(false);
  matchAccents = $state(false);
  count = $state(0);
  current = $state(0);
  /** Bumped to ask the reader to focus the find field. */
  focusRequest = $state(0);

  show(): void {
    this.open = true;
    this.focusRequest++;
  }

  close(): void {
    this.open = false;
    this.query = '';
  }

  next(): void {
    if (this.count > 0) this.current = (this.current + 1) % this.count;
  }

  previous(): void {
    if (this.count > 0) this.current = (this.current - 1 + this.count) % this.count;
  }
}
