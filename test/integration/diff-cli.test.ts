// `servebench diff` through the real CLI entry over copies of the slo-sweep fixture: a run against
// itself, a head decoding 15 % slower (exit 8 with --fail-on regression), a different model
// (refused, exit 9, unless --force), and BASE found by `latest`.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../collector/cli.ts';
import type { RequestRecord } from '../../collector/store/schema/index.ts';
import { captureIO } from '../support/capture-io.ts';
import { slowerDecode, SWEEP } from '../support/slower-sweep.ts';

let tmp: string;
let runs: string;

/** A copy of the fixture under runs/<id>, with run.json and the raw records edited. */
async function copy(id: string, edit: { run?: (run: Record<string, any>) => void; record?: (r: RequestRecord) => RequestRecord } = {}): Promise<string> {
  const dir = join(runs, id);
  await cp(SWEEP, dir, { recursive: true });
  const runFile = join(dir, 'run.json');
  const run = JSON.parse(await readFile(runFile, 'utf8'));
  run.id = id;
  edit.run?.(run);
  await writeFile(runFile, JSON.stringify(run, null, 2));
  if (edit.record) {
    const rawFile = join(dir, 'requests.ndjson.gz');
    const lines = gunzipSync(await readFile(rawFile)).toString('utf8').split('\n').filter((l) => l.trim() !== '');
    const edited = lines.map((l) => JSON.stringify(edit.record!(JSON.parse(l))));
    await writeFile(rawFile, gzipSync(`${edited.join('\n')}\n`));
  }
  return dir;
}

/** vLLM's decoding stretched 15 %: every event and the end after its first token move out. */
function slowerVllm(record: RequestRecord): RequestRecord {
  return record.engine === 'vllm-sim' ? slowerDecode(record, 1.15) : record;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'servebench-diff-'));
  runs = join(tmp, 'runs');
  await copy('20261201-100000-slo-sweep-base', { run: (r) => (r.startedAt = '2026-12-01T10:00:00.000Z') });
  await copy('20261202-100000-slo-sweep-same', { run: (r) => (r.startedAt = '2026-12-02T10:00:00.000Z') });
  await copy('20261203-100000-slo-sweep-slower', { run: (r) => (r.startedAt = '2026-12-03T10:00:00.000Z'), record: slowerVllm });
  await copy('20261204-100000-other-model', {
    run: (r) => {
      r.startedAt = '2026-12-04T10:00:00.000Z';
      r.engines[0].model = 'Qwen/Qwen2.5-7B-Instruct';
    },
  });
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

const diff = async (...args: string[]) => {
  const io = captureIO(tmp);
  const code = await main(['diff', ...args, '--runs', runs], io);
  return { code, out: io.out(), err: io.err() };
};

describe('servebench diff', () => {
  it('compares a run with an identical one: exit 0, no environment difference, no regression even with --fail-on', async () => {
    const { code, out, err } = await diff('20261201-100000-slo-sweep-base', '20261202-100000-slo-sweep-same', '--fail-on', 'likely-regression');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('no differences: same engines, models, scenario, load points');
    expect(out).not.toMatch(/ regression$/m);
  });

  it('exits 8 with --fail-on regression when vLLM decodes 15 % slower, naming the metrics', async () => {
    const { code, out, err } = await diff('20261201-100000-slo-sweep-base', join(runs, '20261203-100000-slo-sweep-slower'), '--fail-on', 'regression');
    expect(code).toBe(8);
    expect(out).toMatch(/^vllm-sim +c1 +TPOT p50 .* regression$/m);
    expect(err).toMatch(/head 20261203-100000-slo-sweep-slower is worse than base 20261201-100000-slo-sweep-base on \d+ metrics: vllm-sim c\d+ (ITL|TPOT)/);
    expect(err).toContain('(REGRESSION, exit 8)');
  });

  it('reports the same regression with exit 0 without --fail-on', async () => {
    const { code, out } = await diff('20261201-100000-slo-sweep-base', '20261203-100000-slo-sweep-slower', '--format', 'json');
    expect(code).toBe(0);
    const parsed = JSON.parse(out);
    expect(parsed.rows.some((r: { verdict: string; engine: string }) => r.verdict === 'regression' && r.engine === 'vllm-sim')).toBe(true);
  });

  it('refuses runs of different models with exit 9, saying what differs and what to do', async () => {
    const { code, out, err } = await diff('20261201-100000-slo-sweep-base', '20261204-100000-other-model');
    expect(code).toBe(9);
    expect(out).toBe('');
    expect(err).toContain('model (vllm-sim): meta-llama/Llama-3.1-8B-Instruct → Qwen/Qwen2.5-7B-Instruct');
    expect(err).toContain('--force');
    expect(err).toContain('(NOT_COMPARABLE, exit 9)');
  });

  it('compares them anyway with --force, warning loudly at the top of the markdown', async () => {
    const { code, out } = await diff('20261201-100000-slo-sweep-base', '20261204-100000-other-model', '--force', '--format', 'md', '--site-url', 'https://me.github.io/bench');
    expect(code).toBe(0);
    expect(out.split('\n').slice(0, 4).join('\n')).toContain('**These runs are not comparable**');
    expect(out).toContain('| model | vllm-sim |  | meta-llama/Llama-3.1-8B-Instruct | Qwen/Qwen2.5-7B-Instruct | **refuse** |');
    expect(out).toContain('(https://me.github.io/bench/diff/20261201-100000-slo-sweep-base...20261204-100000-other-model/)');
  });

  it('takes `latest` as BASE to be the newest earlier comparable run, skipping the other model', async () => {
    // Before the other-model run the newest comparable is the slower one; before the slower one, `same`.
    const { code, out } = await diff('latest', '20261203-100000-slo-sweep-slower', '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(out).base.id).toBe('20261202-100000-slo-sweep-same');
    const named = await diff('latest:slo-sweep', 'latest', '--format', 'json', '--force');
    expect(JSON.parse(named.out).head.id).toBe('20261204-100000-other-model');
    expect(JSON.parse(named.out).base.id).toBe('20261203-100000-slo-sweep-slower');
  });

  it('has its own --help, saying which diff pages the site builds', async () => {
    const io = captureIO(tmp);
    expect(await main(['diff', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: servebench diff');
    expect(io.out().replace(/\s+/g, ' ')).toContain('(the site builds it for each run against its previous comparable run)');
  });

  it('rejects a threshold that is not a percentage with exit 2', async () => {
    const { code, err } = await diff('20261201-100000-slo-sweep-base', '20261202-100000-slo-sweep-same', '--threshold', 'five');
    expect(code).toBe(2);
    expect(err).toContain('--threshold "five" is not a percentage');
  });
});
