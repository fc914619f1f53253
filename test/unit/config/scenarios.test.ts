import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SCENARIOS_DIR, PRESETS } from '../../../collector/commands/scenario.ts';
import { ConfigFile } from '../../../collector/config/schema.ts';

describe('shipped scenario files', () => {
  it('ships every preset and the annotated example', async () => {
    const files = await readdir(SCENARIOS_DIR);
    for (const name of [...PRESETS, 'example']) expect(files).toContain(`${name}.yaml`);
  });

  it('validates every shipped scenario against the config schema', async () => {
    for (const file of await readdir(SCENARIOS_DIR)) {
      const result = ConfigFile.safeParse(parse(await readFile(join(SCENARIOS_DIR, file), 'utf8')));
      expect(result.success, `${file}: ${result.success ? '' : JSON.stringify(result.error.issues)}`).toBe(true);
    }
  });

  it('gives the seeds\' targets: TTFT p95 100 ms, E2E p95 1 s, and 50+ users in stress', async () => {
    const stress = ConfigFile.parse(parse(await readFile(join(SCENARIOS_DIR, 'stress.yaml'), 'utf8')));
    expect(stress.slo).toEqual({ ttftP95Ms: 100, e2eP95Ms: 1000 });
    const users = stress.phases!.map((p) => (p.load.shape === 'closed-loop' ? p.load.concurrency : p.load.shape === 'ramp' ? p.load.to : 0));
    expect(Math.max(...users)).toBeGreaterThanOrEqual(50);
  });
});
