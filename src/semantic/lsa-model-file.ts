/**
 * Saving and loading an LSA model: one JSON file that starts with its format name and version, the options and
 * analyser it was trained with, the feature names, and the numeric arrays as base64 of little-endian floats
 * (exact bits, a third the size of decimal text). Written to a temporary file and renamed, so a crash never
 * leaves half a model; every field is checked on load, and a model of another format version is refused.
 */
import { readFileSync } from 'node:fs';
import { ANALYZER_OPTIONS } from '../analysis/analyzer.js';
import { createError } from '../errors.js';
import { resolveOptions } from '../options.js';
import { LSA_FORMAT, LSA_FORMAT_VERSION, LSA_OPTIONS, LsaEmbedder, type LsaModelData } from './lsa-embedder.js';
import { writeFileAtomic } from '../util/atomic-file.js';

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The bytes in little-endian order: as they are on little-endian machines, each number reversed on others. */
function littleEndian(bytes: Uint8Array, width: number): Uint8Array {
  if (LITTLE_ENDIAN) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) for (let b = 0; b < width; b++) out[i + b] = bytes[i + width - 1 - b];
  return out;
}

function encode(array: Float32Array | Float64Array): string {
  return Buffer.from(littleEndian(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), array.BYTES_PER_ELEMENT)).toString('base64');
}

function decode<T extends Float32Array | Float64Array>(text: unknown, ctor: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number, field: string, where: string): T {
  if (typeof text !== 'string') throw createError('MODEL_CORRUPT', where, `"${field}" is not a base64 string`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== length * ctor.BYTES_PER_ELEMENT) throw createError('MODEL_CORRUPT', where, `"${field}" holds ${bytes.length} bytes, expected ${length * ctor.BYTES_PER_ELEMENT}`);
  const out = new ctor(littleEndian(Uint8Array.from(bytes), ctor.BYTES_PER_ELEMENT).buffer as ArrayBuffer);
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) throw createError('MODEL_CORRUPT', where, `"${field}"[${i}] is not finite`);
  return out;
}

export function lsaModelToJson(model: LsaModelData): string {
  return JSON.stringify({
    format: LSA_FORMAT,
    version: LSA_FORMAT_VERSION,
    options: model.options,
    analyzer: model.analyzer,
    features: model.features,
    idf: encode(model.idf),
    singularValues: encode(model.singularValues),
    projection: encode(model.projection),
  });
}

/** Parses a saved model; `where` names the source in errors. */
export function lsaModelFromJson(text: string, where = 'LSA model'): LsaEmbedder {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw createError('MODEL_CORRUPT', where, `not JSON: ${(e as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object') throw createError('MODEL_CORRUPT', where, 'not a JSON object');
  if (raw.format !== LSA_FORMAT || raw.version !== LSA_FORMAT_VERSION) {
    throw createError('MODEL_VERSION', where, `${String(raw.format)} v${String(raw.version)}`, `${LSA_FORMAT} v${LSA_FORMAT_VERSION}`);
  }
  // Options and analyser go through the same checks as at training, so a hand-edited file fails the same way.
  const options = resolveOptions(LSA_OPTIONS, raw.options as Record<string, unknown>, `${where}: lsa.`);
  const analyzer = resolveOptions(ANALYZER_OPTIONS, raw.analyzer as Record<string, unknown>, `${where}: analyzer.`);
  const features = raw.features;
  if (!Array.isArray(features) || !features.every((f) => typeof f === 'string')) throw createError('MODEL_CORRUPT', where, '"features" is not a list of strings');
  if (new Set(features).size !== features.length) throw createError('MODEL_CORRUPT', where, '"features" has duplicates');
  const n = features.length;
  const d = options.dimensions;
  return new LsaEmbedder({
    options,
    analyzer,
    features,
    idf: decode(raw.idf, Float32Array, n, 'idf', where),
    singularValues: decode(raw.singularValues, Float64Array, d, 'singularValues', where),
    projection: decode(raw.projection, Float32Array, n * d, 'projection', where),
  });
}

export function saveLsaModel(embedder: LsaEmbedder, path: string): void {
  writeFileAtomic(path, lsaModelToJson(embedder.model));
}

export function loadLsaModel(path: string): LsaEmbedder {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw createError('MODEL_CORRUPT', path, `cannot read it: ${(e as Error).message}`);
  }
  return lsaModelFromJson(text, path);
}
