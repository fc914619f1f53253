import { describe, expect, it } from 'vitest';
import { objectivesFromTargets, OBJECTIVE_FORMS, parseObjective, parseObjectives } from '../../../../collector/metrics/slo/parse.ts';

describe('parseObjective', () => {
  it('reads every documented form into a normalised objective', () => {
    expect(OBJECTIVE_FORMS.map((text) => parseObjective(text))).toEqual([
      { text: 'ttft:p95<200ms', metric: 'ttft', stat: 'p95', op: '<', value: 200, perRequest: true },
      { text: 'e2e:p95<2s', metric: 'e2e', stat: 'p95', op: '<', value: 2000, perRequest: true },
      { text: 'itl:p99<50ms', metric: 'itl', stat: 'p99', op: '<', value: 50, perRequest: false },
      { text: 'tpot:p50<=30ms', metric: 'tpot', stat: 'p50', op: '<=', value: 30, perRequest: true },
      { text: 'error_rate<1%', metric: 'error_rate', stat: null, op: '<', value: 0.01, perRequest: false },
      { text: 'output_tokens_per_s>50', metric: 'output_tokens_per_s', stat: null, op: '>', value: 50, perRequest: false },
      { text: 'requests_per_s>=2', metric: 'requests_per_s', stat: null, op: '>=', value: 2, perRequest: false },
    ]);
  });

  it('normalises spacing, case and units: seconds to ms, whole seconds printed as s, fractions as %', () => {
    expect(parseObjective(' TTFT : P95 < 0.25 s ')).toMatchObject({ text: 'ttft:p95<250ms', value: 250 });
    expect(parseObjective('e2e:mean<=1.1s')).toMatchObject({ text: 'e2e:mean<=1100ms', value: 1100, stat: 'mean' });
    expect(parseObjective('e2e:p90<3000ms')).toMatchObject({ text: 'e2e:p90<3s', value: 3000 });
    expect(parseObjective('error_rate<0.005')).toMatchObject({ text: 'error_rate<0.5%', value: 0.005 });
    expect(parseObjective('error_rate<=0%')).toMatchObject({ text: 'error_rate<=0%', value: 0 });
    expect(parseObjective('requests_per_s>=2.5/s')).toMatchObject({ text: 'requests_per_s>=2.5', value: 2.5 });
  });

  it('says what is wrong with a malformed objective', () => {
    expect(parseObjective('ttft<200ms')).toBe('ttft needs a statistic (p50, p90, p95, p99, mean), e.g. ttft:p95<200ms');
    expect(parseObjective('ttft:p95<200')).toBe('ttft needs a unit, ms or s, e.g. ttft:p95<200ms');
    expect(parseObjective('ttft:p42<200ms')).toBe('unknown statistic "p42": expected p50, p90, p95, p99, mean');
    expect(parseObjective('latency:p95<200ms')).toBe('unknown metric "latency": expected ttft, tpot, itl, e2e, error_rate, output_tokens_per_s, requests_per_s');
    expect(parseObjective('error_rate:p95<1%')).toBe('error_rate takes no statistic: it is one number per phase, e.g. error_rate<1%');
    expect(parseObjective('error_rate<150%')).toMatch(/^error_rate 150% is over 100%/);
    expect(parseObjective('error_rate<2')).toMatch(/^error_rate 2 is over 100%/);
    expect(parseObjective('error_rate<1ms')).toBe('error_rate is a percentage (1%) or a fraction (0.01), not "ms"');
    expect(parseObjective('requests_per_s>2ms')).toBe('requests_per_s is a number per second, without a unit, e.g. requests_per_s>2');
    expect(parseObjective('ttft:p95=200ms')).toBe('expected METRIC:STAT, a comparison (<, <=, >, >=) and a number');
    expect(parseObjective('')).toBe('expected METRIC:STAT, a comparison (<, <=, >, >=) and a number');
  });
});

describe('parseObjectives', () => {
  it('names each bad text where it came from, with the valid forms, and counts a repeated objective once', () => {
    const { objectives, problems } = parseObjectives(['ttft:p95<200ms', 'ttft:p95 < 0.2s', 'fast please'], (t) => `--slo "${t}"`);
    expect(objectives.map((o) => o.text)).toEqual(['ttft:p95<200ms']);
    expect(problems).toEqual([
      '--slo "fast please" is not an objective: expected METRIC:STAT, a comparison (<, <=, >, >=) and a number. Valid forms: ttft:p95<200ms e2e:p95<2s itl:p99<50ms tpot:p50<=30ms error_rate<1% output_tokens_per_s>50 requests_per_s>=2',
    ]);
  });
});

describe('objectivesFromTargets', () => {
  it('turns the object form of older scenarios into p95 objectives met at equality', () => {
    expect(objectivesFromTargets({ ttftP95Ms: 100, e2eP95Ms: 1000 }).map((o) => o.text)).toEqual(['ttft:p95<=100ms', 'e2e:p95<=1s']);
    expect(objectivesFromTargets({ e2eP95Ms: 1500 }).map((o) => o.text)).toEqual(['e2e:p95<=1500ms']);
    expect(objectivesFromTargets({})).toEqual([]);
  });
});
