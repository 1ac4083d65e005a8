import { configForTaskManagerPools } from '../flink/taskmanager-config-for.ts';
import { deriveTaskManagerMemory } from '../flink/taskmanager-memory.ts';
import type { Bench, BenchRow } from './report.ts';

/** Derivations per second: the optimizer calls these in its inner loop. */
function perSecond(iterations: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(200, iterations); i++) fn(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(i);
  return iterations / (Number(process.hrtime.bigint() - start) / 1e9);
}

export const bench: Bench = {
  area: 'flink',
  async run({ quick }) {
    const n = quick ? 2_000 : 50_000;
    const fromProcess = perSecond(n, (i) => deriveTaskManagerMemory({ 'taskmanager.memory.process.size': `${1024 + (i % 4096)}m` }));
    const fineGrained = perSecond(n, (i) =>
      deriveTaskManagerMemory({
        'taskmanager.memory.task.heap.size': `${256 + (i % 2048)}m`,
        'taskmanager.memory.managed.size': `${i % 4096}m`,
        'taskmanager.memory.network.min': '128m',
        'taskmanager.memory.network.max': '128m',
      }),
    );
    const roundTrip = perSecond(Math.ceil(n / 5), (i) => {
      const pools = deriveTaskManagerMemory({ 'taskmanager.memory.process.size': `${1024 + (i % 4096)}m` });
      deriveTaskManagerMemory(configForTaskManagerPools(pools));
    });
    const row = (name: string, value: number): BenchRow => ({ area: 'flink', case: name, metric: 'derivations/s', value, unit: 'ops/s' });
    return [
      row('TM from process size', fromProcess),
      row('TM fine-grained', fineGrained),
      { ...row('inverse + re-derive round trip', roundTrip), ratio: { vs: 'TM from process size', value: roundTrip / fromProcess } },
    ];
  },
};
