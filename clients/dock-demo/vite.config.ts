import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `@agentdock/dock` is the sibling package (file:../dock, a symlink): one copy of the Realtime SDK for both.
export default defineConfig({
  plugins: [react()],
  resolve: { dedupe: ['@openai/agents-realtime', 'react', 'react-dom'] },
  server: { host: 'localhost', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  // the Realtime SDK is its own chunk, loaded when the voice button is first pressed
  build: { chunkSizeWarningLimit: 1200 },
});
