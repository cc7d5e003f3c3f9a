#!/usr/bin/env node
// The `quiver` command: a thin shim over the compiled CLI (built by `npm ci` through the `prepare` script).
import { main } from '../dist/cli/main.js';
main(process.argv).catch((err) => {
  console.error(err?.message ?? err);
  process.exit(1);
});
