/** The patch formats `--format` names; apart from the renderers so that parsing the flag loads none of them. */
export const EXPORT_FORMATS = ['flink-conf', 'config-yaml', 'flinkdeployment', 'dynamic-properties'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `--format` values: one format, a comma-separated list, or `all`. */
export function parseExportFormats(text: string): ExportFormat[] {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.includes('all')) return [...EXPORT_FORMATS];
  const unknown = names.filter((n) => !(EXPORT_FORMATS as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`Unknown export format '${unknown.join(',') || text}': expected ${EXPORT_FORMATS.join(', ')} or all`);
  }
  return [...new Set(names as ExportFormat[])];
}
