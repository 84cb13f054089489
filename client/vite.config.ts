// Vite builds the single-page client into client/dist, which the Express app serves at "/".
// In development the dev server proxies the API and the Socket.IO endpoint to the local server.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

const clientRoot = fileURLToPath(new URL(".", import.meta.url));
const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const apiTarget = "http://127.0.0.1:3000";

export default defineConfig({
  root: clientRoot,
  plugins: [vue()],
  resolve: {
    alias: { "@shared": fileURLToPath(new URL("../shared", import.meta.url)) },
  },
  define: {
    // vue-i18n feature flags: Composition API only, no devtools hooks in production bundles.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Libraries in their own long-lived chunks: an app release does not invalidate them.
        codeSplitting: {
          groups: [
            { name: "vue", test: /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/ },
            { name: "socket", test: /node_modules[\\/](socket\.io-client|socket\.io-parser|engine\.io-client|engine\.io-parser|@socket\.io|debug|ms)[\\/]/ },
            { name: "typebox", test: /node_modules[\\/]@sinclair[\\/]typebox[\\/]/ },
            // The statistics pages' charts and their XLSX export (exceljs loads only when a workbook is asked for).
            { name: "echarts", test: /node_modules[\\/](echarts|zrender|vue-echarts)[\\/]/ },
            { name: "exceljs", test: /node_modules[\\/]exceljs[\\/]/ },
            // What the first page needs; library code only lazy pages use (the provider console's date
            // and time pickers, dayjs) goes in a chunk of its own, loaded with those pages.
            { name: "element-plus", test: /node_modules[\\/]/, tags: ["$initial"] },
            { name: "element-plus-lazy", test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    // shared/ lives outside the client root.
    fs: { allow: [projectRoot] },
    proxy: {
      "/api": { target: apiTarget, changeOrigin: false },
      "/socket.io": { target: apiTarget, ws: true },
    },
  },
});
