import { describe, expect, it } from 'vitest';
import { AppShell } from './app.svelte';

describe('AppShell', () => {
  it('shows one dialog at a time, and closing another leaves it open', () => {
    const shell = new AppShell();
    shell.open('edit', 7);
    expect(shell.isOpen('edit')).toBe(true);
    expect(shell.editParagraph).toBe(7);
    shell.setOpen('export', false);
    expect(shell.isOpen('edit')).toBe(true);
    shell.setOpen('export', true);
    expect(shell.isOpen('edit')).toBe(false);
    expect(shell.isOpen('export')).toBe(true);
    shell.setOpen('export', false);
    expect(shell.dialog).toBeNull();
  });

  it('starts on the reader and switches screens', () => {
    const shell = new AppShell();
    expect(shell.view).toBe('reader');
    shell.show('library');
    expect(shell.view).toBe('library');
  });
});
