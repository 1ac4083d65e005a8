import type { Random } from './random.ts';
import type { Connector, ShipStrategy, VertexKind, VertexSpec } from './types.ts';

export type TopologyKind = 'etl' | 'window' | 'join' | 'dedup' | 'cdc' | 'sql';

interface VertexDraft {
  name: string;
  kind: VertexKind;
  parallelism: number;
  inputs: Array<{ from: number; ship: ShipStrategy }>;
  rateFactor: number;
  connector?: Connector;
  windowSeconds?: number;
  windowKeepsElements?: boolean;
  stateName?: string;
  stateShare?: number;
}

/**
 * Builds a job graph of the given kind the way Flink would show it: operators chained into one
 * vertex where the edge is FORWARD with equal parallelism, named "A -> B -> C".
 */
export function buildTopology(
  kind: TopologyKind,
  rng: Random,
  parallelism: number,
  topic: string,
  maxParallelism: number,
): VertexSpec[] {
  const p = parallelism;
  // Kafka topics often have fewer partitions than the job's parallelism.
  const sourceP = rng.chance(0.3) ? Math.max(1, Math.min(p, rng.pick([4, 6, 8, 12, 16]))) : p;
  const sinkKind: Connector = rng.pick(['kafka', 'kafka', 'elasticsearch', 'jdbc']);
  const sinkName = (suffix: string) =>
    sinkKind === 'kafka' ? `Sink: ${topic}-${suffix}` : sinkKind === 'jdbc' ? `Sink: JdbcSink(${topic.replace(/-/g, '_')}_${suffix})` : `Sink: Elasticsearch(${topic}-${suffix})`;
  const drafts: VertexDraft[] = [];
  switch (kind) {
    case 'etl': {
      if (sourceP === p && rng.chance(0.5)) {
        drafts.push({ name: `Source: ${topic} -> Filter -> Map -> ${sinkName('enriched')}`, kind: 'source', parallelism: p, inputs: [], rateFactor: 1, connector: 'kafka' });
      } else {
        drafts.push({ name: `Source: ${topic} -> Filter`, kind: 'source', parallelism: sourceP, inputs: [], rateFactor: 1, connector: 'kafka' });
        drafts.push({ name: `Map -> Timestamps/Watermarks`, kind: 'transform', parallelism: p, inputs: [{ from: 0, ship: 'REBALANCE' }], rateFactor: 0.7 });
        drafts.push({ name: sinkName('enriched'), kind: 'sink', parallelism: p, inputs: [{ from: 1, ship: 'FORWARD' }], rateFactor: 0.7, connector: sinkKind });
      }
      break;
    }
    case 'window': {
      const windowSeconds = rng.pick([60, 300, 600, 3600]);
      const windowKind = rng.pick(['TumblingEventTimeWindows', 'SlidingEventTimeWindows']);
      const windowFunction = rng.pick(['CountAggregate', 'SumAggregator', 'ProcessWindowFunction$1']);
      drafts.push({ name: `Source: ${topic} -> Timestamps/Watermarks -> Map`, kind: 'source', parallelism: sourceP, inputs: [], rateFactor: 1, connector: 'kafka' });
      drafts.push({
        name: `Window(${windowKind}(${windowSeconds * 1000}), EventTimeTrigger, ${windowFunction}) -> ${sinkName('per-window')}`,
        kind: 'keyed-window', parallelism: p, inputs: [{ from: 0, ship: 'HASH' }], rateFactor: 1, connector: sinkKind,
        windowSeconds, windowKeepsElements: windowFunction.startsWith('Process'), stateName: 'window-contents', stateShare: 1,
      });
      break;
    }
    case 'join': {
      const other = rng.pick(['payments', 'users', 'shipments', 'clicks', 'profiles']);
      drafts.push({ name: `Source: ${topic} -> Timestamps/Watermarks`, kind: 'source', parallelism: sourceP, inputs: [], rateFactor: 1, connector: 'kafka' });
      drafts.push({ name: `Source: ${other} -> Timestamps/Watermarks`, kind: 'source', parallelism: Math.max(1, Math.ceil(sourceP / 2)), inputs: [], rateFactor: 0.5, connector: 'kafka' });
      drafts.push({
        name: `IntervalJoin(joinType=[InnerJoin], leftLowerBound=-3600000, leftUpperBound=3600000) -> Map`,
        kind: 'join', parallelism: p, inputs: [{ from: 0, ship: 'HASH' }, { from: 1, ship: 'HASH' }], rateFactor: 1.5,
        stateName: 'join-buffers', stateShare: 1,
      });
      drafts.push({ name: sinkName('joined'), kind: 'sink', parallelism: Math.max(1, Math.ceil(p / 2)), inputs: [{ from: 2, ship: 'REBALANCE' }], rateFactor: 0.6, connector: sinkKind });
      break;
    }
    case 'dedup': {
      drafts.push({ name: `Source: ${topic} -> Timestamps/Watermarks`, kind: 'source', parallelism: sourceP, inputs: [], rateFactor: 1, connector: 'kafka' });
      const withRules = rng.chance(0.4);
      if (withRules) drafts.push({ name: `Source: ${topic}-rules`, kind: 'source', parallelism: 1, inputs: [], rateFactor: 0.0001, connector: 'kafka' });
      drafts.push({
        name: `KeyedProcess -> ${sinkName('deduplicated')}`,
        kind: 'keyed-process', parallelism: p,
        inputs: withRules ? [{ from: 0, ship: 'HASH' }, { from: 1, ship: 'BROADCAST' }] : [{ from: 0, ship: 'HASH' }],
        rateFactor: 1, connector: sinkKind, stateName: 'seen-keys', stateShare: 1,
      });
      break;
    }
    case 'cdc': {
      drafts.push({ name: `Source: MySQL CDC ${topic.replace(/-/g, '_')}`, kind: 'source', parallelism: 1, inputs: [], rateFactor: 1, connector: 'mysql-cdc' });
      drafts.push({ name: `Map -> Filter`, kind: 'transform', parallelism: p, inputs: [{ from: 0, ship: 'REBALANCE' }], rateFactor: 1 });
      drafts.push({ name: `Sink: ${topic}-lake Writer -> Sink: ${topic}-lake Committer`, kind: 'sink', parallelism: p, inputs: [{ from: 1, ship: 'HASH' }], rateFactor: 1, connector: 'filesystem', stateName: 'bucket-state', stateShare: 0.05 });
      break;
    }
    case 'sql': {
      const table = topic.replace(/-/g, '_');
      drafts.push({ name: `Source: TableSourceScan(table=[[default_catalog, default_database, ${table}]], fields=[user_id, amount, ts]) -> Calc(select=[user_id, amount])`, kind: 'source', parallelism: sourceP, inputs: [], rateFactor: 1, connector: 'kafka' });
      drafts.push({
        name: `GroupAggregate(groupBy=[user_id], select=[user_id, SUM(amount) AS total, COUNT(*) AS cnt]) -> Sink: Sink(table=[default_catalog.default_database.${table}_kpis], fields=[user_id, total, cnt])`,
        kind: 'keyed-process', parallelism: p, inputs: [{ from: 0, ship: 'HASH' }], rateFactor: 1, connector: sinkKind,
        stateName: 'GroupAggregateState', stateShare: 1,
      });
      break;
    }
  }
  const skew = rng.between(0, 0.7);
  return drafts.map((d): VertexSpec & { draftInputs: VertexDraft['inputs'] } => {
    const hashed = d.inputs.some((i) => i.ship === 'HASH');
    return {
      id: rng.hex(32),
      name: d.name,
      kind: d.kind,
      parallelism: d.parallelism,
      maxParallelism: maxParallelism,
      inputs: [],
      rateFactor: d.rateFactor,
      ...(d.connector ? { connector: d.connector } : {}),
      ...(d.windowSeconds ? { windowSeconds: d.windowSeconds, windowKeepsElements: d.windowKeepsElements ?? false } : {}),
      ...(d.stateName ? { stateName: d.stateName } : {}),
      stateShare: d.stateShare ?? 0,
      subtaskWeights: hashed ? skewedWeights(rng, d.parallelism, skew) : evenWeights(d.parallelism),
      draftInputs: d.inputs,
    };
  }).map((v, _i, all) => {
    const { draftInputs, ...vertex } = v;
    vertex.inputs = draftInputs.map((input) => ({ vertexId: all[input.from]!.id, ship: input.ship }));
    return vertex;
  });
}

function evenWeights(n: number): number[] {
  return Array.from({ length: n }, () => 1 / n);
}

/** Key-group skew behind a HASH edge: log-normal weights, normalised to sum to 1. */
function skewedWeights(rng: Random, n: number, sigma: number): number[] {
  const raw = Array.from({ length: n }, () => {
    const u = Math.max(1e-12, rng.float());
    const gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float());
    return Math.exp(sigma * gaussian);
  });
  const total = raw.reduce((s, x) => s + x, 0);
  return raw.map((x) => x / total);
}
