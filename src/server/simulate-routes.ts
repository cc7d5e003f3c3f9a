/**
 * POST /simulate starts simulated traffic through the live engine (live-simulation.ts): the dashboard's "simulate"
 * button, so a new user watches the policy learn. 202 with the progress; 409 while a run is under way; 400 naming
 * the field for a bad body. GET /simulate reads the progress. The body's schema is made from the options'
 * declaration (default, range, description), so the OpenAPI document and the checks cannot disagree with it.
 */
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../engine/engine.js';
import type { OptionSpecs } from '../options.js';
import { LIVE_SIMULATION_OPTIONS, LiveSimulation, type LiveSimulationOptions } from '../simulate/live-simulation.js';
import { errorReply } from './http-errors.js';

/** JSON-schema properties for declared options (no `default`: resolveOptions applies them, and reports them). */
function optionProperties(specs: OptionSpecs): Record<string, object> {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => {
    const description = `${spec.description} (default ${JSON.stringify(spec.default)})`;
    switch (spec.kind) {
      case 'number':
        return [name, { type: spec.integer ? 'integer' : 'number', minimum: spec.min, maximum: spec.max, description }];
      case 'boolean':
        return [name, { type: 'boolean', description }];
      case 'enum':
        return [name, { type: 'string', enum: [...spec.values], description }];
    }
  }));
}

const simulateBody = { type: 'object', additionalProperties: false, properties: optionProperties(LIVE_SIMULATION_OPTIONS) } as const;

const nullableNumber = { type: ['number', 'null'] } as const;
const progressReply = {
  type: 'object',
  properties: {
    state: { type: 'string', enum: ['idle', 'generating', 'running', 'done', 'stopped', 'failed'] },
    options: { type: ['object', 'null'], properties: optionProperties(LIVE_SIMULATION_OPTIONS) },
    done: { type: 'number', description: 'searches made so far' },
    clicks: { type: 'number', description: 'searches with a click' },
    plays: { type: 'number', description: 'searches without a click whose target the user played, found another way' },
    startedAt: nullableNumber,
    finishedAt: nullableNumber,
    error: { type: ['string', 'null'] },
  },
} as const;

export function registerSimulateRoutes(app: FastifyInstance, engine: Engine): LiveSimulation {
  const simulation = new LiveSimulation(engine);
  app.post('/simulate', { schema: { body: simulateBody, response: { 202: progressReply, 400: errorReply, 409: errorReply } } }, async (request, reply) => {
    const progress = simulation.start((request.body ?? {}) as Partial<LiveSimulationOptions>);
    return reply.code(202).send(progress);
  });
  app.get('/simulate', { schema: { response: { 200: progressReply } } }, async () => simulation.status);
  app.addHook('onClose', async () => simulation.stop());
  return simulation;
}
