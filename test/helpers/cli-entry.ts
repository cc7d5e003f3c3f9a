import { main } from '../../src/cli/main.js';

main(process.argv).catch((err) => {
  console.error(err);
  process.exit(70);
});
