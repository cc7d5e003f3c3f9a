/**
 * `quiver generate-stream --catalog <file> --n <N> --seed <S> [--out file] [--mix label=weight,…]`: a realistic,
 * reproducible query stream with targets (src/eval/stream-generator.ts defines every style), written as JSONL
 * to --out or standard output; a summary by label goes to standard error. The numeric flags come from the
 * generator's declared options, with their ranges.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadCatalog } from '../../catalog/load.js';
import { formatStream, writeStream } from '../../eval/stream.js';
import { generateStream, STREAM_LABELS, STREAM_OPTIONS, type StreamGeneratorOptions } from '../../eval/stream-generator.js';
import { numberFlag } from '../flags.js';

/** "exact-title=2,fresh=1" → { 'exact-title': 2, fresh: 1 } */
export function mixFlag(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of value.split(',').filter(Boolean)) {
    const [label, w] = part.split('=').map((s) => s?.trim());
    const weight = Number(w);
    if (!label || w === undefined || w === '' || !Number.isFinite(weight) || weight < 0) {
      throw new InvalidArgumentError(`--mix takes label=weight pairs with weights ≥ 0, got "${part}"`);
    }
    if (!(STREAM_LABELS as readonly string[]).includes(label)) {
      throw new InvalidArgumentError(`--mix: unknown label "${label}" (known: ${STREAM_LABELS.join(', ')})`);
    }
    out[label] = weight;
  }
  if (!Object.values(out).some((w) => w > 0)) throw new InvalidArgumentError(`--mix needs at least one label with a weight > 0, got "${value}"`);
  return out;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function generateStreamCommand(): Command {
  const command = new Command('generate-stream')
    .description('generate a realistic query stream with targets from a catalogue (JSONL, one query event per line)')
    .requiredOption('--catalog <file>', 'catalogue file (.jsonl, .csv, optionally .gz)')
    .option('--out <file>', 'write the stream here (default: standard output)')
    .option('--mix <list>', `labels and weights, e.g. exact-title=2,fresh=1; only the labels named are generated (labels: ${STREAM_LABELS.join(', ')})`, mixFlag)
    .option('--end <iso>', 'time the window ends at (default: the day after the newest release)');
  for (const [name, spec] of Object.entries(STREAM_OPTIONS)) {
    const flag = `--${kebab(name)}`;
    command.option(`${flag} <x>`, `${spec.description} (default ${spec.default})`, numberFlag(flag, { min: spec.min, max: spec.max, integer: 'integer' in spec && spec.integer }));
  }
  return command.action((flags) => {
    const { entities } = loadCatalog(flags.catalog);
    const options: StreamGeneratorOptions = { mix: flags.mix, end: flags.end };
    for (const name of Object.keys(STREAM_OPTIONS) as Array<keyof typeof STREAM_OPTIONS>) if (flags[name] !== undefined) options[name] = flags[name];
    const { events, dropped } = generateStream(entities, options);
    if (flags.out) writeStream(flags.out, events);
    else process.stdout.write(formatStream(events));
    const counts = new Map<string, number>(STREAM_LABELS.map((label) => [label, 0]));
    for (const e of events) counts.set(e.label, counts.get(e.label)! + 1);
    const summary = [...counts].filter(([, n]) => n > 0).map(([label, n]) => `${label} ${n}`).join(', ');
    console.error(`${events.length} query events${flags.out ? ` written to ${flags.out}` : ''}: ${summary}`);
    if (dropped.length > 0) console.error(`not generated (this catalogue cannot produce them): ${dropped.join(', ')}`);
  });
}
