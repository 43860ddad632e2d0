/**
 * Keeps a native <dialog> in step with an `open` flag: shown modally (focus trapped, Escape
 * closes) when it becomes true, closed when it becomes false. `prepare` runs just before showing,
 * to fill the form from the current state. Call it from an $effect.
 */
export function syncModal(dialog: HTMLDialogElement | undefined, open: boolean, prepare?: () => void): void {
  if (!dialog) return;
  if (open && !dialog.open) {
    prepare?.();
    dialog.showModal();
  } else if (!open && dialog.open) {
    dialog.close();
  }
}
