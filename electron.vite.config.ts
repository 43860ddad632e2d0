import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Main bundles its devDependencies (lowdb and steno are ESM-only) and leaves the runtime
// `dependencies` to Node: `open` finds a helper script beside itself, pdfjs-dist loads its worker
// and jsdom its data files at run time, so they must stay real packages. The sandboxed preload can
// load no module at all, so everything it uses is bundled.
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/cli/index.ts'),
          'import-worker': resolve('src/core/import/worker.ts'),
        },
        external: ['electron'],
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      // The page parses its script on every open; minified, that is a third of the work.
      minify: process.env.GLOSSA_NO_MINIFY !== '1',
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [
      svelte({ configFile: resolve('svelte.config.js') }),
      {
        // Hot reload injects <style> elements; only the dev server's page allows inline styles.
        name: 'glossa-dev-csp',
        apply: 'serve',
        transformIndexHtml: (html: string) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
      },
    ],
  },
});
