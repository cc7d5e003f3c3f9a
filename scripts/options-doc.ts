/** Prints the index option tables for README.md, generated from the declarations (`npx tsx scripts/options-doc.ts`). */
import { ANALYZER_OPTIONS, FIELD_OPTIONS, INDEX_OPTIONS } from '../src/index/options.js';
import { optionsTable } from '../src/options.js';

export function optionsDoc(): string {
  return [
    optionsTable(INDEX_OPTIONS),
    '',
    optionsTable(FIELD_OPTIONS, 'fields.<name>.'),
    '',
    optionsTable(ANALYZER_OPTIONS, 'analyzer.'),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(optionsDoc());
