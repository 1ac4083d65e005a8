import { fileURLToPath } from 'node:url';

/**
 * The operator's FlinkDeployment CRD that exported merge patches are validated against. Resolved
 * from this module, one directory below the package root, so the path also holds in the bundled
 * CLI (dist/), whose chunks sit at the same depth.
 */
export const flinkDeploymentCrdFile = fileURLToPath(new URL('../advisor/export/crd/flinkdeployments.flink.apache.org-v1.yml', import.meta.url));
