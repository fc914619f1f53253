// parseExposition on the engine fixtures (every expected value in their .meta.json) and on the
// spellings ENGINE-PROTOCOLS §1 lists, including the ones parse-prometheus-text-format gets wrong alone.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { familyOf, labelKey, parseExposition, parseValue, type Exposition, type Sample } from '../../../collector/scrape/parse.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/protocols/', import.meta.url));

function fixture(name: string): { exposition: Exposition; expected: Record<string, unknown> } {
  const text = readFileSync(`${FIXTURES}${name}-metrics.prom`, 'utf8');
  const meta = JSON.parse(readFileSync(`${FIXTURES}${name}-metrics.meta.json`, 'utf8')) as { expected: Record<string, unknown> };
  return { exposition: parseExposition(text), expected: meta.expected };
}

const named = (exposition: Exposition, name: string): Sample[] => exposition.samples.filter((s) => s.name === name);

/**
 * Checks every expected entry that names samples: a number is the one sample's value; an object
 * maps the one label that tells that metric's samples apart to values. Returns the keys checked.
 */
function checkSampleValues(exposition: Exposition, expected: Record<string, unknown>): string[] {
  const checked: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    const samples = named(exposition, key);
    if (samples.length === 0) continue;
    if (typeof value === 'number') {
      expect(samples, key).toHaveLength(1);
      expect(samples[0]!.value, key).toBe(value);
    } else {
      const byLabel: Record<string, number> = {};
      for (const sample of samples) {
        const own = Object.entries(sample.labels).filter(([label]) => label !== 'engine' && label !== 'model_name');
        expect(own, key).toHaveLength(1);
        byLabel[own[0]![1]] = sample.value;
      }
      expect(byLabel, key).toEqual(value);
    }
    checked.push(key);
  }
  return checked;
}

describe('parseExposition on the engine fixtures', () => {
  it('vLLM: every expected value, labels on every vllm: sample, and families typed', () => {
    const { exposition, expected } = fixture('vllm');
    const checked = checkSampleValues(exposition, expected);
    // cache_config_info carries the cache config fields and `engine` instead (ENGINE-PROTOCOLS §2.5).
    const vllm = exposition.samples.filter((s) => s.name.startsWith('vllm:') && s.name !== 'vllm:cache_config_info');
    expect(vllm.length).toBeGreaterThan(300);
    for (const sample of vllm) {
      for (const label of expected['labels_on_every_vllm_metric'] as string[]) expect(Object.keys(sample.labels), sample.name).toContain(label);
      expect(sample.labels['model_name']).toBe(expected['model_name_label']);
    }
    // Every numeric expectation is a sample name the parser found.
    const numeric = Object.entries(expected).filter(([, v]) => typeof v === 'number' || (typeof v === 'object' && !Array.isArray(v)));
    expect(checked.sort()).toEqual(numeric.map(([k]) => k).sort());

    // The labelled histogram kept its _sum and _count, which the library alone drops.
    expect(named(exposition, 'vllm:time_to_first_token_seconds_bucket')).toHaveLength(23);
    expect(named(exposition, 'vllm:time_to_first_token_seconds_bucket').at(-1)!.labels['le']).toBe('+Inf');
    // A histogram despite its _total suffix; counters and their _created gauges typed apart.
    expect(familyOf('vllm:iteration_tokens_total_bucket', exposition.types)).toEqual({ family: 'vllm:iteration_tokens_total', type: 'histogram' });
    expect(familyOf('vllm:prompt_tokens_total', exposition.types).type).toBe('counter');
    expect(familyOf('vllm:prompt_tokens_created', exposition.types).type).toBe('gauge');
    // e+010 and e+09.
    expect(named(exposition, 'process_virtual_memory_bytes')[0]!.value).toBe(52471869440);
    expect(named(exposition, 'process_resident_memory_bytes')[0]!.value).toBe(2419683328);
    // A labelled summary keeps one _count per label set.
    expect(named(exposition, 'http_request_size_bytes_count').map((s) => s.labels['handler'])).toEqual(['/v1/models', '/v1/chat/completions']);
  });

  it('TGI: every expected value, bucket counts, label sets kept apart, blank lines and a summary', () => {
    const { exposition, expected } = fixture('tgi');
    const checked = checkSampleValues(exposition, expected);
    expect(checked).toHaveLength(11);
    const finite = (name: string) => named(exposition, name).filter((s) => s.labels['le'] !== '+Inf').length;
    expect(finite('tgi_request_duration_bucket')).toBe(expected['duration_bucket_count']);
    expect(finite('tgi_request_input_length_bucket')).toBe(expected['length_bucket_count']);
    expect(finite('tgi_batch_next_size_bucket')).toBe(expected['batch_size_bucket_count']);
    // `method` histograms: both label sets and both _sum samples survive.
    expect(new Set(named(exposition, 'tgi_batch_forward_duration_bucket').map((s) => s.labels['method']))).toEqual(new Set(['prefill', 'decode']));
    expect(named(exposition, 'tgi_batch_forward_duration_count').map((s) => [s.labels['method'], s.value])).toEqual([
      ['prefill', 126],
      ['decode', 4610],
    ]);
    // Counters without _total.
    expect(exposition.types.get('tgi_request_count')).toBe('counter');
    expect(exposition.types.get('tgi_request_skipped_tokens')).toBe('summary');
    expect(named(exposition, 'tgi_request_skipped_tokens')).toHaveLength(7);
    expect(named(exposition, 'tgi_request_skipped_tokens_count')[0]!.value).toBe(2431);
    expect(familyOf('tgi_request_skipped_tokens_sum', exposition.types)).toEqual({ family: 'tgi_request_skipped_tokens', type: 'summary' });
  });

  it('llama.cpp: every expected value (6-significant-digit scientific values included)', () => {
    const { exposition, expected } = fixture('llamacpp');
    const checked = checkSampleValues(exposition, expected);
    expect(checked.sort()).toEqual(Object.keys(expected).sort());
    expect(exposition.samples.every((s) => Object.keys(s.labels).length === 0)).toBe(true);
  });
});

describe('parseExposition on the spellings the library needs help with', () => {
  it('keeps the last line when the text has no trailing newline', () => {
    const exposition = parseExposition('a 1\nb 2');
    expect(exposition.samples.map((s) => [s.name, s.value])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('reads +Inf, -Inf, NaN, exponents and integers', () => {
    const exposition = parseExposition('a +Inf\nb -Inf\nc NaN\nd 1.1844e+06\ne 5e+010\nf 7\ng 8.0\n');
    expect(exposition.samples.map((s) => s.value)).toEqual([Infinity, -Infinity, NaN, 1184400, 50000000000, 7, 8]);
  });

  it('keeps every label set of a labelled histogram, with its _sum and _count', () => {
    const text = [
      '# HELP h A histogram',
      '# TYPE h histogram',
      'h_bucket{m="a",le="1"} 1',
      'h_bucket{m="a",le="+Inf"} 2',
      'h_sum{m="a"} 3',
      'h_count{m="a"} 2',
      'h_bucket{le="1",m="b"} 5',
      'h_bucket{le="+Inf",m="b"} 6',
      'h_sum{m="b"} 9',
      'h_count{m="b"} 6',
    ].join('\n');
    const exposition = parseExposition(text);
    expect(exposition.samples).toHaveLength(8);
    expect(exposition.samples.filter((s) => s.name === 'h_count').map((s) => [s.labels['m'], s.value])).toEqual([
      ['a', 2],
      ['b', 6],
    ]);
    expect(exposition.types.get('h')).toBe('histogram');
  });

  it('accepts an empty HELP, comments, CRLF, blank lines, names with colons and escaped label values', () => {
    const text = '# HELP x\r\n# a comment\r\n# TYPE x gauge\r\n\r\nx:y{path="C:\\\\dir",msg="say \\"hi\\"\\n"} 4\r\n# EOF\r\n';
    const exposition = parseExposition(text);
    expect(exposition.samples).toEqual([{ name: 'x:y', labels: { path: 'C:\\dir', msg: 'say "hi"\n' }, value: 4 }]);
    expect(labelKey(exposition.samples[0]!.labels)).toBe('{msg="say \\"hi\\"\\n",path="C:\\\\dir"}');
  });

  it('ignores timestamps', () => {
    expect(parseExposition('a{x="1"} 3 1395066363000\n').samples).toEqual([{ name: 'a', labels: { x: '1' }, value: 3 }]);
  });

  it('rejects what is not an exposition: an HTML page, a missing value, a bad label', () => {
    expect(() => parseExposition('<!DOCTYPE html>\n<html><body>hi</body></html>\n')).toThrow(/unparsable metrics/);
    expect(() => parseExposition('a\n')).toThrow(/unparsable metrics/);
    expect(() => parseExposition('a{x=1} 2\n')).toThrow(/unparsable metrics/);
    expect(() => parseExposition('a 0x10\n')).toThrow(/unparsable metrics/);
  });

  it('parseValue and labelKey', () => {
    expect(parseValue('')).toBeUndefined();
    expect(parseValue('Infinity')).toBeUndefined();
    expect(parseValue('.5')).toBe(0.5);
    expect(labelKey({})).toBe('');
    expect(labelKey({ b: '2', a: '1', le: '3' }, (name) => name !== 'le')).toBe('{a="1",b="2"}');
  });
});
