import type { Embedder, Entity } from 'quiver';

export interface TransformersEmbedderOptions {
  /** The model's output size, checked against a probe (at most 4096 when not given). */
  dimensions?: number;
  pooling?: 'mean' | 'cls';
  /** The text embedded for an entity; by default its searchable fields and category values. */
  entityText?: (entity: Entity) => string;
  name?: string;
}

export declare function entityText(entity: Entity): string;

export declare class TransformersEmbedder implements Embedder {
  readonly name: string;
  readonly dimensions: number;
  embedEntity(entity: Entity): Float32Array;
  embedQuery(text: string): Float32Array;
  embedText(text: string): Float32Array;
  close(): Promise<number>;
}

export declare function loadTransformersEmbedder(modelDir: string, options?: TransformersEmbedderOptions): Promise<TransformersEmbedder>;
