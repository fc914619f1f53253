// The `roi:` block names engines by label: a label no engine has is a typo that would leave an
// engine without its cost, so it is reported with the config's other problems.
import type { RoiConfig } from './schema.ts';

export function checkRoi(roi: RoiConfig | undefined, labels: readonly string[], problems: string[]): void {
  if (roi === undefined) return;
  for (const field of ['gpuHourlyCost', 'gpuCount'] as const) {
    const value = roi[field];
    if (typeof value !== 'object') continue;
    for (const label of Object.keys(value)) {
      if (!labels.includes(label)) problems.push(`roi.${field} names "${label}", which is not an engine of this run: ${labels.join(', ')}`);
    }
    if (field === 'gpuHourlyCost') {
      const missing = labels.filter((label) => value[label] === undefined);
      if (missing.length > 0) problems.push(`roi.gpuHourlyCost gives no cost for ${missing.join(', ')}: give one per engine, or one number for all`);
    }
  }
}
