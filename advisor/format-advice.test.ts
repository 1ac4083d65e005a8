import { describe, expect, it } from 'vitest';
import { formatAdvice } from './format-advice.ts';
import { poolsBelowObservedPeak, recommendationSchema } from './recommendation.ts';
import { sampleRecommendation } from './sample-recommendation.ts';

describe('formatAdvice', () => {
  const rec = sampleRecommendation();
  const text = formatAdvice(rec);

  it('shows every pool with current, recommended, forecast and peak', () => {
    expect(text).toMatch(/^taskHeap\s+\d+m\s+900m\s+540m\s+765m\s+630m$/m);
    expect(text).toMatch(/^process\s+4096m\s+2344m$/m);
  });

  it('states the saving, the risk, the reasons, the evidence and that nothing changed', () => {
    expect(text).toContain('4096m -> 2344m per TaskManager, saves 5256m in total');
    expect(text).toContain('Risk: low: 2.0% probability that some pool needs more than it gets over the next 24 h');
    expect(text).toContain('GC time ratio 1.2%');
    expect(text).toContain('network: 2 buffers x 64 remote channels');
    expect(text).toContain('  taskmanager.memory.task.heap.size: 900m');
    expect(text).toContain('JobManager: 1600m -> ');
    expect(text).toContain('dry run');
  });

  it("names whose quantiles the risk reads: the model's calibrated ones, or the conservative rule's", () => {
    expect(formatAdvice({ ...rec, risk: { ...rec.risk, forecast: 'model' } })).toContain("over the next 24 h, from the model's calibrated quantiles.");
    expect(formatAdvice({ ...rec, risk: { ...rec.risk, forecast: 'rule' } })).toContain("over the next 24 h, from the conservative rule's p50/p95 (too little evidence for the model), read nominally.");
  });

  it("says a session cluster's job shares the cluster's shape, and that its saving is a share", () => {
    const shared = formatAdvice({ ...rec, sessionCluster: { name: rec.cluster, jobs: [rec.jobId, 'b', 'c'] } });
    expect(shared).toContain(`on session cluster ${rec.cluster}, whose ${rec.taskManagers} TaskManager(s) it shares with 2 other job(s); the shape is the cluster's`);
    expect(shared).toContain("saves 5256m (this job's share of the cluster, by slots) in total");
  });
});

describe('recommendation schema', () => {
  it('round-trips through JSON (the --json contract)', () => {
    const rec = sampleRecommendation();
    expect(recommendationSchema.parse(JSON.parse(JSON.stringify(rec)))).toEqual(rec);
  });

  it('rejects a forecast whose p50 exceeds its p95', () => {
    const rec = sampleRecommendation();
    const bad = { ...rec, predicted: { ...rec.predicted, managed: { p50: 10, p95: 5 } } };
    expect(recommendationSchema.safeParse(bad).success).toBe(false);
  });

  it('flags pools recommended below their observed peak', () => {
    const rec = sampleRecommendation();
    expect(poolsBelowObservedPeak(rec)).toEqual([]);
    expect(poolsBelowObservedPeak({ ...rec, observedPeaks: { ...rec.observedPeaks, network: rec.recommended.pools.network + 1 } })).toEqual(['network']);
  });
});
