/** The training thread's entry (see train-worker.ts): trains on the data it is given and posts the model back. */
import { parentPort, workerData } from 'node:worker_threads';
import { lambdaMartToJson } from '../ltr/model-file.js';
import { trainLambdaMart } from '../ltr/train.js';

try {
  const { model } = trainLambdaMart(workerData.data, workerData.params);
  parentPort!.postMessage({ model: lambdaMartToJson(model) });
} catch (err) {
  parentPort!.postMessage({ error: (err as Error).message });
}
