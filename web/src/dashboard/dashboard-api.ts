// The dashboard's routes: GET /stats (fine or coarse buckets, only those since a time) and the simulate control
// (POST /simulate, GET /simulate). Types come from the server's own modules (type-only imports, erased by the bundler).
import type { StatsSnapshot } from '../../../src/engine/engine-stats.js';
import type { LiveSimulationOptions, SimulationProgress } from '../../../src/simulate/live-simulation.js';
import { ApiError, getJson } from '../shared/api.js';

export type { SimulationProgress, StatsSnapshot };
export type Resolution = 'fine' | 'coarse';

export function fetchStats(resolution: Resolution, since?: number): Promise<StatsSnapshot> {
  const query = new URLSearchParams({ resolution });
  if (since !== undefined) query.set('since', String(since));
  return getJson<StatsSnapshot>(`/stats?${query}`);
}

export const fetchSimulation = () => getJson<SimulationProgress>('/simulate');

export async function startSimulation(options: Partial<LiveSimulationOptions>): Promise<SimulationProgress> {
  const res = await fetch('/simulate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(options) });
  const json = await res.json();
  if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? 'UNKNOWN', json?.error?.message ?? res.statusText);
  return json as SimulationProgress;
}
