// Letters the reader keeps for itself (see the renderer's keymap); a code's shortcut may not be one.
// Here, in the pure layer, so the contract refuses them before the keymap ever sees them.
export const RESERVED_KEYS: readonly string[] = ['j', 'k', 'n', 'e', 'i'];
