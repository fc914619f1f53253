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

  it('declares the seeds\' chat SLO (TTFT p95 < 100 ms, E2E p95 < 1 s) only in stress, the preset with 50+ users', async () => {
    const stress = ConfigFile.parse(parse(await readFile(join(SCENARIOS_DIR, 'stress.yaml'), 'utf8')));
    expect(stress.slo).toEqual(['ttft:p95<100ms', 'e2e:p95<1s']);
    for (const name of PRESETS.filter((p) => p !== 'stress' && p !== 'demo')) {
      const preset = ConfigFile.parse(parse(await readFile(join(SCENARIOS_DIR, `${name}.yaml`), 'utf8')));
      expect(preset.slo, name).toBeUndefined();
    }
    // The demo judges its simulated run against objectives it calls illustrative, not the chat SLO.
    const demoText = await readFile(join(SCENARIOS_DIR, 'demo.yaml'), 'utf8');
    expect(demoText).toMatch(/^# Illustrative objectives and cost assumptions/m);
    expect(ConfigFile.parse(parse(demoText)).slo).not.toEqual(stress.slo);
    const users = stress.phases!.map((p) => (p.load.shape === 'closed-loop' ? p.load.concurrency : p.load.shape === 'ramp' ? p.load.to : 0));
    expect(Math.max(...users)).toBeGreaterThanOrEqual(50);
  });
});
