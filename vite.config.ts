// Builds the renderer into dist/renderer. Relative asset paths, so the same build is served
// from app://roomy in the desktop app and from the loopback browser host.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Module preloading injects an inline script, which the Content-Security-Policy refuses.
    modulePreload: false,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
    rolldownOptions: {
      // The component library marks its modules "use client" for server rendering, which a
      // browser-only bundle does not need: that warning is noise here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
