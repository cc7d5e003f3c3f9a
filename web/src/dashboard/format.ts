// How the dashboard prints numbers: shares as percentages, rewards and per-search counts with two decimals,
// latencies in milliseconds, counts grouped.
export const percent = (v: number) => `${(v * 100).toFixed(1)}%`;
export const decimal = (v: number) => v.toFixed(2);
export const ndcg = (v: number) => v.toFixed(4);
export const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
export const count = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 0 });
