/**
 * Live catalogue routes: GET, PUT and DELETE /entities/:id and POST /entities (a batch, all or nothing). The
 * schemas give an entity's shape for the OpenAPI document and refuse wrong types early; the rules beyond shape
 * (non-empty strings, weights in [0, 1], release dates, relations naming known entities) are the catalogue's own
 * validation, run by the engine, whose errors name `entities[i].field` and list every problem in `issues`.
 */
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../engine/engine.js';
import { createError } from '../errors.js';
import { errorReply } from './http-errors.js';

/** Most entities one POST /entities takes by default; the body limit (413) bounds it too. */
export const MAX_ENTITY_BATCH = 10_000;

const text = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } as const;
const attribute = {
  anyOf: [
    { type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } },
    { type: 'object', additionalProperties: { type: 'number' }, description: 'value → weight in [0, 1]' },
  ],
} as const;

const entityProperties = {
  id: { type: 'string', minLength: 1 },
  type: { type: 'string', minLength: 1, description: 'track, artist, album, playlist, …' },
  title: { type: 'string', minLength: 1 },
  fields: { type: 'object', additionalProperties: text, description: 'searchable text by field name' },
  attributes: { type: 'object', additionalProperties: attribute, description: 'structured, filterable values; categories may be weighted' },
  popularity: { type: 'number', description: '≥ 0, any scale' },
  released: { anyOf: [{ type: 'string' }, { type: 'integer' }], description: 'YYYY-MM-DD, YYYY-MM or a year' },
  relations: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, description: 'relation name → entity ids, each in the catalogue or the same batch' },
} as const;

const entity = { type: 'object', additionalProperties: false, required: ['id', 'type', 'title'], properties: entityProperties } as const;
/** PUT takes the id from the path; the body may repeat it. */
const entityBody = { ...entity, required: ['type', 'title'] } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1 } } } as const;
const batchBody = (maxItems: number) => ({
  type: 'object', additionalProperties: false, required: ['entities'],
  properties: { entities: { type: 'array', items: entity, minItems: 1, maxItems } },
}) as const;

const upserted = { type: 'object', properties: { id: { type: 'string' }, created: { type: 'boolean', description: 'false: an existing entity was replaced' } } } as const;
const deleted = {
  type: 'object',
  properties: { id: { type: 'string' }, deleted: { type: 'boolean' }, unlinked: { type: 'integer', description: 'entities whose relations named it, now without that relation' } },
} as const;
const errors = { 400: errorReply, 404: errorReply } as const;

export function registerEntityRoutes(app: FastifyInstance, engine: Engine, maxBatch = MAX_ENTITY_BATCH): void {
  app.get('/entities/:id', { schema: { params: idParams, response: { 200: entity, ...errors } } }, async (request) => {
    const { id } = request.params as { id: string };
    const found = engine.index.get(id);
    if (!found) throw createError('ENTITY_NOT_FOUND', id);
    return found;
  });

  app.put('/entities/:id', {
    schema: {
      params: idParams, body: entityBody,
      response: { 200: upserted, 201: upserted, ...errors },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const body = request.body as Record<string, unknown>;
    if (body.id !== undefined && body.id !== id) throw createError('ENTITY_ID_MISMATCH', id, body.id);
    const { created } = engine.upsertEntities([{ ...body, id }]);
    return reply.code(created > 0 ? 201 : 200).send({ id, created: created > 0 });
  });

  app.delete('/entities/:id', {
    schema: { params: idParams, response: { 200: deleted, ...errors } },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const result = engine.deleteEntity(id);
    if (!result.deleted) throw createError('ENTITY_NOT_FOUND', id);
    return { id, ...result };
  });

  app.post('/entities', {
    schema: { body: batchBody(maxBatch), response: { 200: { type: 'object', properties: { created: { type: 'integer' }, updated: { type: 'integer' } } }, ...errors } },
  }, async (request) => engine.upsertEntities((request.body as { entities: unknown[] }).entities));
}
