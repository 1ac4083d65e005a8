/** Vocabulary for realistic job, topic and team names. */
export const TEAMS = ['payments', 'growth', 'logistics', 'ads', 'risk', 'search', 'platform'] as const;

export const DOMAINS: Record<(typeof TEAMS)[number], readonly string[]> = {
  payments: ['payments', 'invoices', 'refunds', 'ledger', 'card-auth'],
  growth: ['clickstream', 'signups', 'campaigns', 'notifications', 'sessions'],
  logistics: ['shipments', 'inventory', 'orders', 'warehouse-events', 'courier-gps'],
  ads: ['ad-impressions', 'ad-clicks', 'bids', 'conversions', 'budgets'],
  risk: ['fraud-signals', 'logins', 'device-fingerprints', 'chargebacks', 'kyc-events'],
  search: ['queries', 'catalog', 'product-views', 'ranking-features', 'suggestions'],
  platform: ['audit-log', 'metrics', 'k8s-events', 'access-logs', 'feature-flags'],
};

export const PURPOSES = {
  etl: ['enrichment', 'normalizer', 'router', 'masking', 'fanout'],
  window: ['aggregation', 'rollup', 'counters', 'minutely-stats', 'top-n'],
  join: ['join', 'attribution', 'correlation', 'matcher', 'stitcher'],
  dedup: ['dedup', 'sessionization', 'state-machine', 'anomaly-detector', 'alerting'],
  cdc: ['cdc-sync', 'replicator', 'lake-ingest', 'snapshotter', 'compactor'],
  sql: ['sql-aggregation', 'sql-report', 'sql-materializer', 'sql-kpis', 'sql-cube'],
} as const;

export const REGIONS = ['eu', 'us', 'apac'] as const;
