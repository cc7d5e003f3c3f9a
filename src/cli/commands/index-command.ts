/** `quiver index <catalog> --out <dir>`: validate a catalogue, build the index with a progress bar, save a snapshot. */
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { parseMapping } from '../../catalog/csv.js';
import { formatIssue, loadCatalog } from '../../catalog/load.js';
import { saveSnapshot } from '../../index/snapshot.js';
import { SearchIndex } from '../../index/search-index.js';
import { indexOptionsFromFlags, withIndexFlags } from '../flags.js';
import { table } from '../output.js';

export function indexCommand(): Command {
  return withIndexFlags(
    new Command('index')
      .description('build an index snapshot from a catalogue (.jsonl, .csv, optionally .gz)')
      .argument('<catalog>', 'catalogue file')
      .requiredOption('--out <dir>', 'directory to write the index snapshot to')
      .option('--skip-invalid', 'load the valid rows and report the invalid ones, instead of refusing the catalogue')
      .option('--csv-map <mapping>', "CSV column mapping, e.g. id=track_id,title=track_name,type='track',fields.artist=artist")
      .option('--json', 'print the summary as one JSON object'),
  ).action((catalog: string, flags) => {
    const started = Date.now();
    const { entities, skipped } = loadCatalog(catalog, {
      skipInvalid: flags.skipInvalid,
      csvMapping: flags.csvMap ? parseMapping(flags.csvMap) : undefined,
    });
    const bar =
      !flags.json && process.stderr.isTTY
        ? new cliProgress.SingleBar({ format: 'indexing [{bar}] {value}/{total} entities', stream: process.stderr }, cliProgress.Presets.shades_classic)
        : undefined;
    bar?.start(entities.length, 0);
    const index = SearchIndex.build(entities, indexOptionsFromFlags(flags), (n) => bar?.update(n));
    bar?.update(entities.length);
    bar?.stop();
    const { bytes } = saveSnapshot(index, flags.out);
    const stats = index.stats();
    const summary = { ...stats, skipped: skipped.length, bytes, seconds: (Date.now() - started) / 1000, out: flags.out };
    if (flags.json) {
      console.log(JSON.stringify({ ...summary, skippedRows: skipped.map(formatIssue) }));
      return;
    }
    for (const issue of skipped.slice(0, 20)) console.error(`skipped ${formatIssue(issue)}`);
    if (skipped.length > 20) console.error(`… and ${skipped.length - 20} more skipped`);
    console.log(table(Object.entries(stats.byType).map(([type, count]) => ({ type, entities: count }))));
    console.log(
      `\n${stats.entities} entities, ${stats.terms} terms, ${stats.postings} postings, fields ${stats.fields.join(', ')}; ` +
        `${(bytes / 1e6).toFixed(1)} MB written to ${flags.out} in ${summary.seconds.toFixed(1)} s` +
        (skipped.length ? `; ${skipped.length} rows skipped` : ''),
    );
  });
}
