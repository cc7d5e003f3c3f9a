/**
 * A Quiver Embedder backed by a transformer sentence-embedding model (transformers.js + onnxruntime-node), loaded
 * from a LOCAL directory in the Hugging Face layout (config.json, tokenizer.json, onnx/model.onnx): nothing is
 * ever downloaded. The model runs in a worker thread; the synchronous embed calls block on it (see worker.js).
 * Vectors are mean-pooled, unit length, or all zeros when the model returns nothing usable.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { attributeWeights, createError, normalizeInPlace, searchableFields } from 'quiver';

const ERROR_BYTES = 4096;

/** The text a model reads for an entity: its searchable fields, then its category values ("sad", "latin pop"). */
export function entityText(entity) {
  const parts = Object.values(searchableFields(entity));
  for (const value of Object.values(entity.attributes ?? {})) parts.push(...Object.keys(attributeWeights(value)));
  return parts.join('. ');
}

export class TransformersEmbedder {
  constructor(worker, dimensions, name, control, vector, errorBytes, textOf) {
    this.worker = worker;
    this.dimensions = dimensions;
    this.name = name;
    this.state = new Int32Array(control);
    this.vector = new Float32Array(vector, 0, dimensions);
    this.errorBytes = errorBytes;
    this.textOf = textOf;
  }

  embedQuery(text) {
    return this.embedText(text);
  }

  embedEntity(entity) {
    return this.embedText(this.textOf(entity));
  }

  embedText(text) {
    if (typeof text !== 'string' || text.trim() === '') return new Float32Array(this.dimensions);
    Atomics.store(this.state, 0, 0);
    this.worker.postMessage({ text });
    Atomics.wait(this.state, 0, 0);
    if (Atomics.load(this.state, 0) === 2) {
      const length = new DataView(this.errorBytes).getUint32(0);
      throw createError('VECTOR_BAD_INPUT', `${this.name} embedding "${text.slice(0, 40)}"`, new TextDecoder().decode(new Uint8Array(this.errorBytes, 4, length)));
    }
    return normalizeInPlace(Float32Array.from(this.vector));
  }

  /** Stops the worker thread. */
  close() {
    return this.worker.terminate();
  }
}

/**
 * Loads the model in `modelDir` and resolves to an Embedder once it has answered a probe.
 * Options: `dimensions` (the model's output size, checked against the probe; at most 4096 when not given), `pooling` ('mean' or 'cls'),
 * `entityText` (entity → text to embed), `name`.
 */
export async function loadTransformersEmbedder(modelDir, options = {}) {
  const dimensions = options.dimensions ?? 4096;
  const control = new SharedArrayBuffer(8);
  const vector = new SharedArrayBuffer(4 * dimensions);
  const errorBytes = new SharedArrayBuffer(ERROR_BYTES);
  const pooling = options.pooling ?? 'mean';
  if (pooling !== 'mean' && pooling !== 'cls') throw createError('OPTION_OUT_OF_RANGE', 'transformers.pooling', pooling, 'one of "mean", "cls"');
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { modelDir, control, vector, errorBytes, pooling } });
  const [ready] = await once(worker, 'message');
  worker.unref(); // from now on, an idle model must not keep the process alive
  if (!ready.ready) {
    await worker.terminate();
    throw createError('MODEL_CORRUPT', modelDir, ready.error);
  }
  if (options.dimensions !== undefined && ready.dimensions !== options.dimensions) {
    await worker.terminate();
    throw createError('MODEL_CORRUPT', modelDir, `the model returns ${ready.dimensions} dimensions, not ${options.dimensions}`);
  }
  const name = options.name ?? `transformers:${modelDir.split('/').filter(Boolean).at(-1)}`;
  return new TransformersEmbedder(worker, ready.dimensions, name, control, vector, errorBytes, options.entityText ?? entityText);
}
