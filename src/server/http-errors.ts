/**
 * How the HTTP layer reports errors, in one place: the status for each Quiver error code (400 unless listed),
 * the `{"error": {"code", "message", "issues"?}}` body and its schema, and the schema-error text, which names the
 * offending property where Ajv's own message does not ("must NOT have additional properties: colour").
 */
import type { FastifySchemaValidationError } from 'fastify';
import type { ErrorCode, QuiverError } from '../errors.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  ENTITY_NOT_FOUND: 404,
  SIMULATE_RUNNING: 409,
  WORKER_UNAVAILABLE: 503,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 400;
}

/** The reply body for a Quiver error; `issues` lists every problem of a refused batch. */
export function errorBody(err: QuiverError): { error: { code: string; message: string; issues?: Array<{ field: string; message: string }> } } {
  const issues = (err as QuiverError & { issues?: Array<{ field: string; message: string }> }).issues;
  return { error: { code: err.code, message: err.message, ...(issues && { issues: issues.map(({ field, message }) => ({ field, message })) }) } };
}

export const errorReply = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        issues: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
} as const;

/** Fastify's schema-error text ("body/k must be >= 1"), with the property named when Ajv leaves it out. */
export function formatSchemaErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const parts = errors.map((e) => {
    const extra = e.keyword === 'additionalProperties' ? `: ${String(e.params.additionalProperty)}` : '';
    return `${dataVar}${e.instancePath} ${e.message}${extra}`;
  });
  return new Error(parts.join(', '));
}
