// Real-browser test plumbing: Debian's Chromium driven by playwright-core (no browser download), and the web UI
// built by Vite from the current sources into a temporary directory, so a test never runs against a stale build.
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';

export const CHROMIUM_PATH = process.env.QUIVER_CHROMIUM ?? '/usr/bin/chromium';

/** Where tests save screenshots (git-ignored; CI keeps it as an artefact). */
export const ARTIFACTS_DIR = resolve(import.meta.dirname, '../../test-artifacts');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

let built: Promise<string> | undefined;

/** Builds the UI once per test process; resolves to the directory to pass as the server's `ui`. */
export function buildUi(): Promise<string> {
  built ??= (async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'quiver-ui-')), 'web');
    await build({ configFile: resolve(import.meta.dirname, '../../vite.config.ts'), build: { outDir, emptyOutDir: true } });
    return outDir;
  })();
  return built;
}

/**
 * Copies a screenshot the test saved to docs/screenshots/<name> (the README's pictures) when
 * QUIVER_UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the working tree clean.
 */
export function publishScreenshot(saved: string, name: string): void {
  if (process.env.QUIVER_UPDATE_SCREENSHOTS !== '1') return;
  const docs = resolve(import.meta.dirname, '../../docs/screenshots');
  mkdirSync(docs, { recursive: true });
  copyFileSync(saved, join(docs, name));
}
