/**
 * Index snapshots: a directory with `manifest.json` (format name and version, options, statistics, the layout
 * and SHA-256 of the binary columns), `terms.json`, `entities.jsonl` (one line per doc number, empty for a
 * removed doc) and `columns.bin` (the typed arrays, 8-byte aligned). It is written to a temporary directory
 * and renamed into place, so a crash never leaves a half-written snapshot; a snapshot of another format
 * version is refused with a message saying how to rebuild it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Entity } from '../catalog/entity.js';
import { createError } from '../errors.js';
import { removeQuietly } from '../util/atomic-file.js';
import { InvertedIndex } from './inverted-index.js';
import { emptyBlocks } from './postings.js';
import type { SearchIndexOptions } from './options.js';
import { SearchIndex } from './search-index.js';

export const SNAPSHOT_FORMAT = 'quiver-index';
export const SNAPSHOT_VERSION = 2;

type ColumnType = 'u8' | 'u16' | 'u32' | 'i32' | 'f64';
interface ColumnEntry {
  name: string;
  type: ColumnType;
  offset: number;
  length: number;
}
interface Manifest {
  format: string;
  version: number;
  options: SearchIndexOptions;
  fieldNames: string[];
  fieldTotals: number[];
  maxLengths: number[];
  typeNames: string[];
  maxPopularity: number;
  docs: number;
  columns: ColumnEntry[];
  sha256: Record<string, string>;
}

const CTORS = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, i32: Int32Array, f64: Float64Array } as const;
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

export function saveSnapshot(index: SearchIndex, dir: string): { bytes: number } {
  const inv = index.inverted;
  index.compact();
  const docs = inv.docCount;
  const named: Array<[string, ColumnType, ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }]> = [
    ['offsets', 'u32', inv.base.offsets],
    ['docs', 'u32', inv.base.docs],
    ['fields', 'u8', inv.base.fields],
    ['tfs', 'u16', inv.base.tfs],
    ['lens', 'u16', inv.base.lens],
    ['df', 'i32', inv.df.subarray(0, inv.termCount)],
    ['termFieldMaxTf', 'u16', inv.termFieldMaxTf.subarray(0, inv.termCount * inv.fieldCount)],
    ['termFieldMinLen', 'u16', inv.termFieldMinLen.subarray(0, inv.termCount * inv.fieldCount)],
    ['live', 'u8', inv.live.subarray(0, docs)],
    ['types', 'u16', index.types.subarray(0, docs)],
    ['popularity', 'f64', index.popularity.subarray(0, docs)],
    ...inv.lengths.map((l, f): [string, ColumnType, Uint16Array] => [`lengths.${f}`, 'u16', l.subarray(0, docs)]),
  ];
  const columns: ColumnEntry[] = [];
  let offset = 0;
  for (const [name, type, array] of named) {
    columns.push({ name, type, offset, length: array.length });
    offset += Math.ceil(array.byteLength / 8) * 8;
  }
  const bin = new Uint8Array(offset);
  named.forEach(([, , array], i) => bin.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), columns[i].offset));
  const terms = JSON.stringify(inv.terms.texts);
  const entities = index.entities.slice(0, docs).map((e) => (e ? JSON.stringify(e) : '')).join('\n');
  const manifest: Manifest = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    options: index.options,
    fieldNames: inv.fieldNames,
    fieldTotals: inv.fieldTotals,
    maxLengths: inv.maxLengths,
    typeNames: index.typeNames,
    maxPopularity: index.maxPopularity,
    docs,
    columns,
    sha256: { 'columns.bin': sha256(bin), 'terms.json': sha256(terms), 'entities.jsonl': sha256(entities) },
  };

  const target = resolve(dir);
  const temp = `${target}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(target), { recursive: true });
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp);
    writeFileSync(join(temp, 'columns.bin'), bin);
    writeFileSync(join(temp, 'terms.json'), terms);
    writeFileSync(join(temp, 'entities.jsonl'), entities);
    writeFileSync(join(temp, 'manifest.json'), JSON.stringify(manifest, null, 1));
  } catch (err) {
    removeQuietly(temp);
    throw createError('FILE_UNWRITABLE', dir, (err as Error).message);
  }
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(temp, target);
  rmSync(old, { recursive: true, force: true });
  return { bytes: bin.byteLength + terms.length + entities.length };
}

export function loadSnapshot(dir: string): SearchIndex {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw createError('SNAPSHOT_MISSING', dir);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    throw createError('SNAPSHOT_CORRUPT', dir, `manifest.json: ${(err as Error).message}`);
  }
  if (manifest.format !== SNAPSHOT_FORMAT) throw createError('SNAPSHOT_CORRUPT', dir, `format is "${manifest.format}", not "${SNAPSHOT_FORMAT}"`);
  if (manifest.version !== SNAPSHOT_VERSION) throw createError('SNAPSHOT_VERSION', dir, manifest.version, SNAPSHOT_VERSION);

  const read = (name: string) => {
    const path = join(dir, name);
    if (!existsSync(path)) throw createError('SNAPSHOT_CORRUPT', dir, `${name} is missing`);
    const bytes = readFileSync(path);
    if (sha256(bytes) !== manifest.sha256[name]) throw createError('SNAPSHOT_CORRUPT', dir, `${name} does not match its checksum`);
    return bytes;
  };
  const bin = read('columns.bin');
  const terms: string[] = JSON.parse(read('terms.json').toString('utf8'));
  const entityLines = read('entities.jsonl').toString('utf8').split('\n');
  // Copy into an 8-byte-aligned buffer so every column can be a view on it.
  const aligned = new Uint8Array(bin.byteLength);
  aligned.set(bin);
  const column = <T extends ColumnType>(name: string, type: T): InstanceType<(typeof CTORS)[T]> => {
    const entry = manifest.columns.find((c) => c.name === name);
    if (!entry || entry.type !== type) throw createError('SNAPSHOT_CORRUPT', dir, `column ${name} is missing`);
    return new CTORS[type](aligned.buffer, entry.offset, entry.length) as InstanceType<(typeof CTORS)[T]>;
  };

  const index = new SearchIndex(manifest.options);
  const lengths = manifest.fieldNames.map((_, f) => column(`lengths.${f}`, 'u16'));
  const segment = {
    offsets: column('offsets', 'u32'),
    docs: column('docs', 'u32'),
    fields: column('fields', 'u8'),
    tfs: column('tfs', 'u16'),
    lens: column('lens', 'u16'),
  };
  const inverted = InvertedIndex.restore({
    fieldNames: manifest.fieldNames,
    terms,
    base: { ...segment, blocks: emptyBlocks() }, // computed by restored(), which knows the BM25F parameters
    df: column('df', 'i32'),
    termFieldMaxTf: column('termFieldMaxTf', 'u16'),
    termFieldMinLen: column('termFieldMinLen', 'u16'),
    live: column('live', 'u8'),
    lengths,
    fieldTotals: manifest.fieldTotals,
    maxLengths: manifest.maxLengths,
  });
  index.inverted = inverted;
  index.types = column('types', 'u16');
  index.popularity = column('popularity', 'f64');
  index.maxPopularity = manifest.maxPopularity;
  index.typeNames.push(...manifest.typeNames);
  for (let doc = 0; doc < manifest.docs; doc++) {
    const line = entityLines[doc];
    index.entities[doc] = line ? (JSON.parse(line) as Entity) : undefined;
  }
  index.restored();
  return index;
}
