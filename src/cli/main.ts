/**
 * The `quiver` command line. Each command lives in its own file under commands/; errors with a Quiver code are
 * printed as one clear line (plus the rows of a refused catalogue) and exit with status 1.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { formatIssue } from '../catalog/load.js';
import type { RowIssue } from '../catalog/validate.js';
import { QuiverError } from '../errors.js';
import { demoCommand } from './commands/demo-command.js';
import { evalCommand } from './commands/eval-command.js';
import { generateStreamCommand } from './commands/generate-stream-command.js';
import { indexCommand } from './commands/index-command.js';
import { ltrCommand } from './commands/ltr-command.js';
import { opeCommand } from './commands/ope-command.js';
import { searchCommand } from './commands/search-command.js';
import { simulateCommand } from './commands/simulate-command.js';
import { modelsCommand, trainCommand } from './commands/train-command.js';
import { serveCommand } from './commands/serve-command.js';

export function program(): Command {
  return new Command('quiver')
    .description('Quiver: a learning-to-rank-and-retrieve search engine')
    .version('0.1.0')
    .addCommand(indexCommand())
    .addCommand(searchCommand())
    .addCommand(evalCommand())
    .addCommand(generateStreamCommand())
    .addCommand(simulateCommand())
    .addCommand(opeCommand())
    .addCommand(trainCommand())
    .addCommand(modelsCommand())
    .addCommand(ltrCommand())
    .addCommand(serveCommand())
    .addCommand(demoCommand())
    .exitOverride();
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (err) {
    if (err instanceof InvalidArgumentError) {
      // Thrown by a command's own checks rather than by an option's parser, so commander has not printed it.
      console.error(`error: ${err.message}`);
      process.exitCode = 1;
      return;
    }
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof QuiverError) {
      console.error(`error [${err.code}]: ${err.message}`);
      const issues = (err as QuiverError & { issues?: RowIssue[] }).issues ?? [];
      for (const issue of issues.slice(0, 20)) console.error(`  ${formatIssue(issue)}`);
      if (issues.length > 20) console.error(`  … and ${issues.length - 20} more`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
}
