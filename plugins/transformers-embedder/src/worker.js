/**
 * The worker thread that runs the transformer model: transformers.js is asynchronous, the Embedder interface is
 * not, so the main thread blocks on a shared flag (Atomics.wait) while this thread embeds one text and writes the
 * vector into shared memory. Messages: { text } → state 1 (vector written) or 2 (error message written).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { basename, dirname, resolve } from 'node:path';
import { env, pipeline } from '@huggingface/transformers';

const { modelDir, control, vector, errorBytes, pooling } = workerData;
const state = new Int32Array(control);
const out = new Float32Array(vector);
const error = new Uint8Array(errorBytes);

env.allowRemoteModels = false; // weights come from the local directory only, never from the network
env.localModelPath = `${dirname(resolve(modelDir))}/`;

function finish(code, message = '') {
  if (code === 2) {
    const encoded = new TextEncoder().encode(message).slice(0, error.length - 4);
    new DataView(errorBytes).setUint32(0, encoded.length);
    error.set(encoded, 4);
  }
  Atomics.store(state, 0, code);
  Atomics.notify(state, 0);
}

try {
  const extractor = await pipeline('feature-extraction', basename(resolve(modelDir)), { dtype: 'fp32' });
  const probe = await extractor('probe', { pooling, normalize: true });
  parentPort.postMessage({ ready: true, dimensions: probe.dims.at(-1) });
  parentPort.on('message', async ({ text }) => {
    try {
      const result = await extractor(text, { pooling, normalize: true });
      if (result.data.length > out.length) throw new Error(`model returned ${result.data.length} numbers, more than the ${out.length} allowed`);
      out.set(result.data);
      finish(1);
    } catch (e) {
      finish(2, String(e?.message ?? e));
    }
  });
} catch (e) {
  parentPort.postMessage({ ready: false, error: String(e?.message ?? e) });
}
