/**
 * Model versions: every trained ranker is kept as a numbered version with what it was trained on and how it did
 * on held-out logs; one of them (or none: the heuristic fallback) is current. Promotion and rollback only move
 * the `current` pointer, so any version can come back. With a directory the registry lives on disk,
 * `<dir>/registry.json` plus `<dir>/models/v<N>.json`, every file written whole (temporary file + rename) and the
 * model file before the registry that names it, so a crash never leaves a registry pointing at nothing. Without
 * one (the simulator) it is kept in memory.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createError } from '../../errors.js';
import { readJsonFile, writeFileAtomic } from '../../util/atomic-file.js';
import type { LambdaMartModel } from '../ltr/model.js';
import { lambdaMartFromJson, lambdaMartToJson } from '../ltr/model-file.js';

export const REGISTRY_FORMAT = 'quiver.models';
export const REGISTRY_VERSION = 1;

export interface ModelVersion {
  version: number;
  createdAt: string;
  trees: number;
  /** Impressions and rows it was trained on. */
  trainedOn: { impressions: number; rows: number };
  /** Held-out NDCG@k of this model, and of what was current when it was judged (null: nothing to compare). */
  holdout: { impressions: number; k: number; ndcg: number; currentNdcg: number | null; against: string };
  promoted: boolean;
}

export interface RegistryChange {
  at: string;
  current: number | null;
  reason: string;
}

interface RegistryFile {
  format: typeof REGISTRY_FORMAT;
  version: typeof REGISTRY_VERSION;
  current: number | null;
  versions: ModelVersion[];
  history: RegistryChange[];
}

export class ModelRegistry {
  private state: RegistryFile;
  private readonly models = new Map<number, LambdaMartModel>();
  /** The registry file's modification time when last read or written (reload re-reads it when it differs). */
  private fileTime = 0;

  private constructor(
    readonly directory: string | undefined,
    state?: RegistryFile,
  ) {
    this.state = state ?? { format: REGISTRY_FORMAT, version: REGISTRY_VERSION, current: null, versions: [], history: [] };
  }

  /** The registry in `directory` (created empty if it has none), or an in-memory one. */
  static open(directory?: string): ModelRegistry {
    if (directory === undefined) return new ModelRegistry(undefined);
    const file = join(directory, 'registry.json');
    if (!existsSync(file)) return new ModelRegistry(directory);
    const registry = new ModelRegistry(directory, checkRegistry(readJsonFile(file, (d) => createError('MODEL_CORRUPT', file, d)), file));
    registry.fileTime = statSync(file).mtimeMs;
    return registry;
  }

  /**
   * Re-reads the registry from its directory if another process changed it since (replicas sharing a models
   * directory: one retrains, the others follow its promotions). Versions are immutable, so loaded models stay.
   * True if the current version changed.
   */
  reload(): boolean {
    if (this.directory === undefined) return false;
    const file = join(this.directory, 'registry.json');
    if (!existsSync(file)) return false;
    const time = statSync(file).mtimeMs;
    if (time === this.fileTime) return false;
    const before = this.state.current;
    this.state = checkRegistry(readJsonFile(file, (d) => createError('MODEL_CORRUPT', file, d)), file);
    this.fileTime = time;
    return this.state.current !== before;
  }

  get current(): number | null {
    return this.state.current;
  }

  versions(): readonly ModelVersion[] {
    return this.state.versions;
  }

  history(): readonly RegistryChange[] {
    return this.state.history;
  }

  /** The current model, or undefined while the fallback ranks. */
  currentModel(): LambdaMartModel | undefined {
    return this.state.current === null ? undefined : this.model(this.state.current);
  }

  model(version: number): LambdaMartModel {
    const cached = this.models.get(version);
    if (cached) return cached;
    this.entry(version);
    if (!this.directory) throw createError('MODEL_UNKNOWN_VERSION', version, 'this in-memory registry lost it');
    const file = this.modelFile(version);
    const model = lambdaMartFromJson(readJsonFile(file, (d) => createError('MODEL_CORRUPT', file, d)), file);
    this.models.set(version, model);
    return model;
  }

  /** Records a new version (not current yet). */
  add(model: LambdaMartModel, info: Omit<ModelVersion, 'version' | 'createdAt' | 'trees' | 'promoted'>, now = new Date()): ModelVersion {
    const version = (this.state.versions.at(-1)?.version ?? 0) + 1;
    const entry: ModelVersion = { version, createdAt: now.toISOString(), trees: model.treeCount, ...info, promoted: false };
    if (this.directory) {
      mkdirSync(join(this.directory, 'models'), { recursive: true });
      writeFileAtomic(this.modelFile(version), JSON.stringify(lambdaMartToJson(model)));
    }
    this.models.set(version, model);
    this.save({ ...this.state, versions: [...this.state.versions, entry] });
    return entry;
  }

  /** Makes `version` current (null: back to the fallback ranker). */
  promote(version: number | null, reason: string, now = new Date()): void {
    if (version !== null) this.entry(version);
    const versions = this.state.versions.map((v) => (v.version === version ? { ...v, promoted: true } : v));
    this.save({ ...this.state, versions, current: version, history: [...this.state.history, { at: now.toISOString(), current: version, reason }] });
  }

  /** Back to `version`, or to whatever was current before the current one. */
  rollback(version?: number | null, now = new Date()): number | null {
    const target = version !== undefined ? version : this.previous();
    this.promote(target, `rollback from ${this.state.current ?? 'fallback'}`, now);
    return target;
  }

  private previous(): number | null {
    const changes = this.state.history;
    for (let i = changes.length - 2; i >= 0; i--) if (changes[i].current !== this.state.current) return changes[i].current;
    return null;
  }

  private entry(version: number): ModelVersion {
    const entry = this.state.versions.find((v) => v.version === version);
    if (!entry) throw createError('MODEL_UNKNOWN_VERSION', version, `known: ${this.state.versions.map((v) => v.version).join(', ') || 'none'}`);
    return entry;
  }

  private modelFile(version: number): string {
    return join(this.directory!, 'models', `v${version}.json`);
  }

  private save(next: RegistryFile): void {
    if (this.directory) {
      mkdirSync(this.directory, { recursive: true });
      const file = join(this.directory, 'registry.json');
      writeFileAtomic(file, `${JSON.stringify(next, null, 1)}\n`);
      this.fileTime = statSync(file).mtimeMs;
    }
    this.state = next;
  }
}

function checkRegistry(raw: unknown, where: string): RegistryFile {
  const fail = (detail: string) => createError('MODEL_CORRUPT', where, detail);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail('not a JSON object');
  const r = raw as Record<string, unknown>;
  if (r.format !== REGISTRY_FORMAT) throw fail(`format is ${JSON.stringify(r.format)}, expected "${REGISTRY_FORMAT}"`);
  if (r.version !== REGISTRY_VERSION) throw fail(`version ${JSON.stringify(r.version)} is not supported (this Quiver reads ${REGISTRY_VERSION})`);
  if (!Array.isArray(r.versions)) throw fail('versions is not an array');
  r.versions.forEach((v: Record<string, unknown>, i: number) => {
    if (!v || !Number.isInteger(v.version) || typeof v.createdAt !== 'string' || typeof v.promoted !== 'boolean' || !v.holdout || !v.trainedOn) {
      throw fail(`versions[${i}] lacks version, createdAt, promoted, holdout or trainedOn`);
    }
  });
  const known = new Set((r.versions as ModelVersion[]).map((v) => v.version));
  if (r.current !== null && !known.has(r.current as number)) throw fail(`current is ${JSON.stringify(r.current)}, not a listed version`);
  if (!Array.isArray(r.history)) throw fail('history is not an array');
  return raw as RegistryFile;
}
