// Ticks for a time axis: the smallest whole step (1 s … 1 day) that keeps the labels apart, on round clock times,
// labelled "14:05" (with seconds when the step is under a minute). Numeric axes use src/report/ticks.ts instead.
const STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

export interface TimeTicks {
  ticks: number[];
  label: (t: number) => string;
}

export function timeTicks(from: number, to: number, maxTicks: number): TimeTicks {
  const span = Math.max(1, to - from);
  const stepS = STEPS_S.find((s) => span / (s * 1000) <= Math.max(1, maxTicks)) ?? STEPS_S[STEPS_S.length - 1];
  const step = stepS * 1000;
  // Round clock times in the viewer's time zone: step from a local midnight.
  const midnight = new Date(from);
  midnight.setHours(0, 0, 0, 0);
  const origin = midnight.getTime();
  const ticks: number[] = [];
  for (let t = origin + Math.ceil((from - origin) / step) * step; t <= to; t += step) ticks.push(t);
  return { ticks, label: (t) => clockTime(t, stepS < 60) };
}

/** "14:05" or "14:05:30", in the viewer's time zone. */
export function clockTime(t: number, seconds = false): string {
  return new Date(t).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', ...(seconds && { second: '2-digit' }), hour12: false });
}
