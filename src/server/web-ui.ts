/**
 * Serves the built web UI (dist/web, built by Vite from web/ at `npm run build`): the search page at /, the
 * dashboard at /dashboard, hashed assets under /assets/. Without a build, / answers 503 with how to build it, so
 * the API still runs from a checkout that only compiled the TypeScript.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The package's built UI: the same path from src/server (tsx) and dist/server (compiled). */
export const DEFAULT_UI_DIR = resolve(fileURLToPath(import.meta.url), '../../../dist/web');

export async function registerWebUi(app: FastifyInstance, dir: string): Promise<void> {
  if (!existsSync(join(dir, 'index.html'))) {
    const missing = async (_request: unknown, reply: { code(n: number): { type(t: string): { send(s: string): unknown } } }) =>
      reply.code(503).type('text/plain').send(`The web UI is not built (no ${join(dir, 'index.html')}); run npm run build.`);
    app.get('/', { schema: { hide: true } }, missing);
    app.get('/dashboard', { schema: { hide: true } }, missing);
    return;
  }
  await app.register(fastifyStatic, { root: dir, prefix: '/', index: 'index.html', wildcard: false, schemaHide: true });
  app.get('/dashboard', { schema: { hide: true } }, (_request, reply) => reply.sendFile('dashboard.html'));
}
