import { nightlyJobOf, type NightlySummary } from './nightly-summary.ts';
import { jobDirectoryName } from '../export/patch-files.ts';
import { sampleRecommendation } from '../sample-recommendation.ts';
import { POOL_NAMES } from '../../optimizer/types.ts';
import type { RiskLevel } from '../recommendation.ts';

/**
 * A fabricated but plausible nightly summary for tests and previews (the real one comes from
 * `fma nightly`): a few jobs of different shapes and risks, one with a hostile name, two
 * budgets of which one cannot be met, and a calibration table.
 */
export function sampleNightlySummary(): NightlySummary {
  const shapes: { name: string; cluster: string; process: string; taskHeap: string; managed: string; risk: RiskLevel; p: number }[] = [
    { name: 'orders-enrichment', cluster: 'prod-eu', process: '4096m', taskHeap: '900m', managed: '700m', risk: 'low', p: 0.02 },
    { name: 'fraud-scoring', cluster: 'prod-eu', process: '8192m', taskHeap: '2600m', managed: '2000m', risk: 'medium', p: 0.08 },
    { name: 'clickstream-sessionizer', cluster: 'prod-us', process: '6144m', taskHeap: '1400m', managed: '1800m', risk: 'low', p: 0.03 },
    { name: '<img src=x onerror="window.pwned=1"></script><b>inventory</b>', cluster: 'prod-us', process: '2048m', taskHeap: '700m', managed: '400m', risk: 'high', p: 0.21 },
  ];
  const jobs = shapes.map((s, i) => {
    const rec = sampleRecommendation({
      jobId: `${String(i + 1).repeat(8)}a3f1c2d4e5b60718293a4b5c`,
      jobName: s.name,
      cluster: s.cluster,
      currentProcessSize: s.process,
      taskManagers: 2 + i,
      recommendedPools: { taskHeap: s.taskHeap, managed: s.managed },
    });
    return nightlyJobOf({ ...rec, risk: { level: s.risk, exceedProbability: s.p } }, `patches/${jobDirectoryName(rec)}`);
  });
  const total = (side: 'currentProcessSize' | 'recommendedProcessSize', cluster?: string) =>
    jobs.filter((j) => cluster === undefined || j.cluster === cluster).reduce((a, j) => a + j[side] * j.taskManagers, 0);
  const GiB = 1024 ** 3;
  return {
    generatedAt: '2026-11-21T02:00:00.000Z',
    model: { version: 'quantile-mlp-2026-11-20', trainedAt: '2026-11-20T02:00:00.000Z', horizonHours: 24 },
    budgets: [
      { name: 'fleet', limit: 64 * GiB, before: total('currentProcessSize'), after: total('recommendedProcessSize'), feasible: true },
      { name: 'prod-eu', before: total('currentProcessSize', 'prod-eu'), after: total('recommendedProcessSize', 'prod-eu'), feasible: true },
      { name: 'prod-us', limit: 12 * GiB, before: total('currentProcessSize', 'prod-us'), after: total('recommendedProcessSize', 'prod-us'), feasible: false, shortfall: 2 * GiB },
    ],
    jobs,
    calibration: POOL_NAMES.flatMap((pool, i) => [
      { pool, quantile: 'p50' as const, observedCoverage: 0.47 + i * 0.01, samples: 1200 + i * 10, pinballLoss: 3_000_000 + i * 250_000 },
      { pool, quantile: 'p95' as const, observedCoverage: 0.91 + (i % 4) * 0.015, samples: 1200 + i * 10, pinballLoss: 900_000 + i * 50_000 },
    ]),
    warnings: ['Budget prod-us cannot be met: the safest plan is 2.0 GiB over; jobs at risk: inventory.'],
  };
}
