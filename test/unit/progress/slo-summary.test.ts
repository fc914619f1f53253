import { describe, expect, it } from 'vitest';
import { capacityText, sloSummary } from '../../../collector/progress/slo-summary.ts';

describe('sloSummary', () => {
  it('says no SLO set when the run has none', () => {
    expect(sloSummary({ slo: null, engines: [] })).toBe('service-level objectives: no SLO set (give --slo, e.g. --slo ttft:p95<200ms, or slo: in the scenario)');
  });

  it('strips control characters an engine label could carry', () => {
    const text = sloSummary({
      slo: { source: 'scenario', objectives: [{ text: 'error_rate<1%', metric: 'error_rate', stat: null, op: '<', value: 0.01, perRequest: false }] },
      engines: [{
        label: 'e\u001b[31m', simulated: false, capacityAtSlo: { value: 5.333, unit: 'concurrency', how: 'interpolated', between: [4, 8] },
        phases: [{ name: 'c1', requests: { total: 10 }, slo: { verdict: 'missed', goodput: null, verdicts: [{ objective: 'error_rate<1%', measured: 0.2, ci: { lo: 0.05, hi: 0.5 }, verdict: 'missed', margin: -19 }] } }],
      }],
    } as never);
    expect(text).not.toContain('\u001b');
    expect(text).toMatch(/e \[31m\s+c1\s+error_rate<1%\s+20\.0%\s+5\.0% \.\. 50\.0%\s+-1900\.0%\s+MISSED/);
    expect(text).toContain('e [31m: about 5.33 users (interpolated between 4 users met and 8 users missed)');
  });
});

describe('capacityText', () => {
  it('says how each capacity was found', () => {
    expect(capacityText({ value: 2.5, unit: 'rate', how: 'measured', between: [2.5, 4] })).toBe('2.5 req/s (measured; 4 req/s missed)');
    expect(capacityText({ value: 64, unit: 'concurrency', how: 'above highest level', between: null })).toBe('at least 64 users (every level met; the sweep did not go higher)');
    expect(capacityText({ value: null, unit: 'concurrency', how: 'below lowest level', between: null })).toBe('below the lowest level measured (it missed)');
    expect(capacityText({ value: 1, unit: 'concurrency', how: 'inconclusive', between: [1, 8] })).toBe('inconclusive between 1 user met and 8 users (not clear)');
  });
});
