import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));

// The renderer: two pages (citizen screen, staff panel), no remote content, relative paths
// so the same build is served by the browser shell and by Electron's app:// protocol.
export default defineConfig({
  root,
  base: './',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      input: { citizen: `${root}/citizen.html`, staff: `${root}/staff.html` },
    },
  },
});
