/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// Tauri loads ui/dist from disk (base './'); `tauri dev` expects the dev server on 5173.
export default defineConfig({
  base: './',
  plugins: [vue()],
  clearScreen: false,
  envPrefix: ['VITE_', 'TAURI_'],
  server: {
    port: 5173,
    strictPort: true,
    // The mock backend (VITE_MOCK_IPC=1) reads ../assets/systems/demo.json.
    fs: { allow: ['..'] },
  },
  preview: {
    port: 4173,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: ['es2021', 'chrome105', 'safari15'],
    // Element Plus is installed whole; a desktop app loads it from disk.
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    // Component tests mount Element Plus; on a loaded 2-core CI box the default 5 s is tight.
    testTimeout: 30000,
    server: { deps: { inline: ['element-plus'] } },
  },
})
