/** Which screen is showing: the reader, the library's document list, or one of the coding views. */
export type View = 'library' | 'reader' | 'codebook' | 'passages' | 'analysis' | 'memos' | 'team';
export type Dialog = 'shortcuts' | 'edit' | 'export';

/**
 * The app's shell: which screen shows, which dialog is open (one at a time), and whether files are
 * being dragged over the window. The screens' own state lives in their classes (reader, library).
 */
export class AppShell {
  view = $state<View>('reader');
  dialog = $state<Dialog | null>(null);
  /** The ¶ the edit dialog opens on. */
  editParagraph = $state(1);
  dragging = $state(false);
  /** The highlights drawer, in windows too narrow for the sidebar beside the text. */
  drawerOpen = $state(false);

  show(view: View): void {
    this.view = view;
  }

  open(dialog: Dialog, paragraph?: number): void {
    if (paragraph !== undefined) this.editParagraph = paragraph;
    this.dialog = dialog;
  }

  /** For a dialog's `bind:open`: whether it is open, and opening or closing it. */
  isOpen(dialog: Dialog): boolean {
    return this.dialog === dialog;
  }

  setOpen(dialog: Dialog, open: boolean): void {
    if (open) this.dialog = dialog;
    else if (this.dialog === dialog) this.dialog = null;
  }
}
