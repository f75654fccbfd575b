import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `../shared` holds the chat view both apps use; its imports resolve from this app.
export default defineConfig({
  base: "./",
  plugins: [react()],
  resolve: { dedupe: ["react", "react-dom", "react-markdown"] },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
