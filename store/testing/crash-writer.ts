// Test helper for the kill -9 test: writes numbered batches to a store forever, printing
// "committed N" after each commit, until it is killed.
import { emptyHarvest } from '../../collector/harvest.ts';
import { openStore } from '../history-store.ts';
import { writeHarvest } from '../write-harvest.ts';

const [path = '', perBatch = '2000'] = process.argv.slice(2);
const store = await openStore(path);
for (let batch = 0; ; batch++) {
  const harvest = emptyHarvest();
  for (let i = 0; i < Number(perBatch); i++) {
    harvest.samples.push({ ts: 1_700_000_000_000 + batch, cluster: 'crash', scope: 'taskmanager', tmId: `tm-${i}`, metric: 'batch', value: batch });
  }
  await writeHarvest(store.connection, harvest, `batch-${batch}`);
  process.stdout.write(`committed ${batch}\n`);
}
