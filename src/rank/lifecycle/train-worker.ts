/**
 * Trains LambdaMART on a worker thread: the data set's typed arrays are copied to the worker, the model comes
 * back as its JSON file form, so the calling thread (a server answering searches) is never blocked by training.
 */
import { Worker } from 'node:worker_threads';
import { createError } from '../../errors.js';
import type { RankDataset } from '../ltr/dataset.js';
import type { LambdaMartModel } from '../ltr/model.js';
import { lambdaMartFromJson } from '../ltr/model-file.js';
import type { LambdaMartParamsInput } from '../ltr/params.js';

/** The thread's entry file beside this one: .js when built; .ts when running from source under tsx. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(`./train-thread${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);

/** A worker on the entry; from source, a bootstrap registers tsx in the thread first (loader hooks are per thread). */
function startWorker(workerData: unknown): Worker {
  if (!FROM_SOURCE) return new Worker(ENTRY, { workerData });
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export function trainInWorker(data: RankDataset, params: LambdaMartParamsInput = {}): Promise<LambdaMartModel> {
  return new Promise((resolve, reject) => {
    const worker = startWorker({ data, params });
    worker.once('message', (message: { model?: unknown; error?: string }) => {
      if (message.error !== undefined) reject(createError('LTR_TRAINING_FAILED', message.error));
      else resolve(lambdaMartFromJson(message.model, 'model from the training thread'));
    });
    worker.once('error', (err) => reject(createError('LTR_TRAINING_FAILED', err.message)));
    worker.once('exit', (code) => {
      if (code !== 0) reject(createError('LTR_TRAINING_FAILED', `the training thread exited with code ${code}`));
    });
  });
}
