// The runs the site build tests build from: the golden fixture, the committed demo run, runs of
// every engine kind collected from the simulator in-process, a conversation run, a failed, an
// aborted and a partial run, a real-engine-only run, a run in the older v1 format, a run full of
// HTML-injection attempts, and a corrupt one. `npx node test/build/fixtures.ts DIR` writes them for a look by hand.
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { main } from '../../collector/cli.ts';
import { startSimulation } from '../../collector/sim/start.ts';
import { captureIO } from '../support/capture-io.ts';
import { whenRecorded } from '../support/run-progress.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const GOLDEN_DIR = join(ROOT, 'test/fixtures/runs/golden');
export const GOLDEN_ID = '20250612-093000-golden-chat-smoke-3fa4';
export const DEMO_ID = '20261123-203201-demo-2238';
export const DEMO_DIR = join(ROOT, 'runs', DEMO_ID);

export const SCRIPT = '<script>alert(1)</script>';
export const IMG = '<img src=x onerror=alert(1)>';
/** Breaks out of a double-quoted attribute, if anything puts it in one unescaped. */
export const QUOTE = '"onload="alert(1)';
export const XSS_ID = '20250613-120000-xss-0001';
export const REAL_ONLY_ID = '20250614-090000-golden-vllm-only-0002';
export const PARTIAL_ID = '20250615-090000-partial-0003';
export const CORRUPT_NAME = '20250616-090000-corrupt-0004';
/** The golden run as servebench's first run store wrote it, in run format v1 (no clock origin). */
export const V1_DIR = join(ROOT, 'test/fixtures/runs/v1-first');
export const V1_ID = '20250611-093000-v1-first-0005';

export interface FixtureRuns {
  runsDir: string;
  /** Run ids by role. */
  ids: { everyKind: string; conversations: string; failed: string; aborted: string };
}

type Json = Record<string, any>;

async function readJson(file: string): Promise<Json> {
  return JSON.parse(await readFile(file, 'utf8')) as Json;
}

async function readRecords(dir: string): Promise<Json[]> {
  const text = gunzipSync(await readFile(join(dir, 'requests.ndjson.gz'))).toString('utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Json);
}

async function writeRun(dir: string, run: Json, records: Json[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
  await writeFile(join(dir, 'requests.ndjson.gz'), gzipSync(records.map((r) => `${JSON.stringify(r)}\n`).join('')));
}

/** Copies of the golden run, edited: HTML in every name and answer, real engines only, partial. */
async function editedGoldenRuns(runsDir: string): Promise<void> {
  const golden = await readJson(join(GOLDEN_DIR, 'run.json'));
  const records = await readRecords(GOLDEN_DIR);

  // Untrusted text everywhere a run carries text: its name, an engine label, the model, a warning, answers.
  const evilLabel = `vllm ${IMG} ${QUOTE}`;
  const xss = structuredClone(golden);
  xss.id = XSS_ID;
  xss.name = `${SCRIPT} ${IMG}`;
  xss.scenario.name = `scenario ${SCRIPT}`;
  xss.engines[0].label = evilLabel;
  xss.engines[0].model = `model ${SCRIPT}`;
  // What the engine said about itself: the model it serves, a revision, problems, its raw answer.
  xss.engines[0].info.model = `served ${SCRIPT} ${QUOTE}`;
  xss.engines[0].info.modelRevision = `rev${QUOTE}`;
  xss.engines[0].info.problems = [`problem ${IMG} ${QUOTE}`];
  xss.engines[0].info.raw = { ...xss.engines[0].info.raw, [SCRIPT]: `${SCRIPT} ${QUOTE}` };
  xss.warnings = [`warning ${IMG} ${QUOTE}`];
  const xssRecords = records.map((r) => ({
    ...r,
    engine: r.engine === 'vllm-a' ? evilLabel : r.engine,
    text: r.status === 'ok' ? `${r.text} ${SCRIPT} ${IMG}` : r.text,
    error: r.error ? { ...r.error, message: `${r.error.message} ${IMG} ${QUOTE}` } : null,
  }));
  await writeRun(join(runsDir, XSS_ID), xss, xssRecords);

  // The golden run without its simulated engine: a run of a real engine only.
  const real = structuredClone(golden);
  real.id = REAL_ONLY_ID;
  real.name = 'golden vllm only';
  real.startedAt = '2025-06-14T09:00:00.000Z';
  real.finishedAt = '2025-06-14T09:00:01.000Z';
  real.engines = real.engines.filter((e: Json) => !e.simulated);
  real.warnings = [];
  await writeRun(
    join(runsDir, REAL_ONLY_ID),
    real,
    records.filter((r) => r.engine === 'vllm-a'),
  );

  // What a collector killed mid-run leaves: status partial, no summaries, the raw records.
  const partial = structuredClone(golden);
  partial.id = PARTIAL_ID;
  partial.name = 'killed mid-run';
  partial.status = 'partial';
  partial.startedAt = '2025-06-15T09:00:00.000Z';
  partial.finishedAt = null;
  partial.errorsByKind = {};
  for (const engine of partial.engines) engine.phases = [];
  await writeRun(join(runsDir, PARTIAL_ID), partial, records.slice(0, 4));
}

/** A run.json with a wrong field type: the reader rejects it naming engines[0].label. */
export async function writeCorruptRun(runsDir: string): Promise<string> {
  const golden = await readJson(join(GOLDEN_DIR, 'run.json'));
  golden.id = CORRUPT_NAME;
  golden.engines[0].label = 7;
  const dir = join(runsDir, CORRUPT_NAME);
  await writeRun(dir, golden, await readRecords(GOLDEN_DIR));
  return join(dir, 'run.json');
}

/** Runs `collect` in-process; with abortAfterRecords, aborts it (Ctrl-C) once that many records are on disk. */
async function collect(args: string[], cwd: string, abortAfterRecords?: number): Promise<{ code: number; runId: string }> {
  const io = captureIO(cwd);
  let ended = false;
  const running = main(['collect', ...args, '--quiet', '--json'], io).finally(() => (ended = true));
  if (abortAfterRecords !== undefined) {
    const runsDir = resolve(cwd, args[args.indexOf('--out') + 1]!);
    if (await whenRecorded(runsDir, abortAfterRecords, { name: args[args.indexOf('--name') + 1], ended: () => ended })) io.abort();
  }
  const code = await running;
  const last = io.out().trim().split('\n').at(-1) ?? '';
  let runId = '';
  try {
    runId = (JSON.parse(last) as { runId: string }).runId;
  } catch {
    // an aborted collect prints no JSON line: find the run by its directory
    const names = await readdir(join(cwd, 'runs')).catch(() => [] as string[]);
    runId = names.filter((n) => n.includes(args[args.indexOf('--name') + 1] ?? '\0')).at(-1) ?? '';
  }
  if (runId === '') throw new Error(`collect ${args.join(' ')} wrote no run (exit ${code}):\n${io.out()}\n${io.err()}`);
  return { code, runId };
}

/** Every fixture run, written under `root/runs`. Takes a few seconds (real streams from the simulator). */
export async function writeFixtureRuns(root: string): Promise<FixtureRuns> {
  const runsDir = join(root, 'runs');
  await mkdir(runsDir, { recursive: true });
  await cp(GOLDEN_DIR, join(runsDir, GOLDEN_ID), { recursive: true });
  await cp(DEMO_DIR, join(runsDir, DEMO_ID), { recursive: true });
  await editedGoldenRuns(runsDir);
  // The v1 file as written, but for its id and name: it is the golden run's, which is here too.
  const v1 = await readFile(join(V1_DIR, 'run.json'), 'utf8');
  await mkdir(join(runsDir, V1_ID), { recursive: true });
  await writeFile(join(runsDir, V1_ID, 'run.json'), v1.replace(`"id": "${GOLDEN_ID}"`, `"id": "${V1_ID}"`).replace('"name": "golden chat smoke"', '"name": "first format"'));
  await cp(join(V1_DIR, 'requests.ndjson.gz'), join(runsDir, V1_ID, 'requests.ndjson.gz'));

  const sim = await startSimulation(
    [
      { kind: 'vllm', port: 0, profile: 'vllm', label: 'vllm' },
      { kind: 'tgi', port: 0, profile: 'tgi', label: 'tgi' },
      { kind: 'ollama', port: 0, profile: 'ollama', label: 'ollama' },
      { kind: 'llamacpp', port: 0, profile: 'llamacpp', label: 'llamacpp' },
    ],
    { seed: 7 },
  );
  const failing = await startSimulation([{ kind: 'vllm', port: 0, profile: 'vllm', label: 'broken' }], { seed: 8, faults: { '*': { http500: 1 } } });
  try {
    const [vllm, tgi, ollama, llamacpp] = sim.engines as [(typeof sim.engines)[number], (typeof sim.engines)[number], (typeof sim.engines)[number], (typeof sim.engines)[number]];
    const config = {
      name: 'every kind',
      engines: [
        { kind: 'vllm', url: vllm.url, model: vllm.model, label: 'vllm-sim' },
        { kind: 'tgi', url: tgi.url, model: tgi.model, label: 'tgi-sim' },
        { kind: 'ollama', url: ollama.url, model: ollama.model, label: 'ollama-sim' },
        { kind: 'llamacpp', url: llamacpp.url, model: llamacpp.model, label: 'llamacpp-sim' },
        { kind: 'openai', url: vllm.url, model: vllm.model, label: 'openai-compatible' },
      ],
      sweep: { concurrency: [1, 2] },
      requests: 4,
      maxTokens: 8,
    };
    const configFile = join(root, 'every-kind.json');
    await writeFile(configFile, JSON.stringify(config));
    const out = ['--out', runsDir];
    const everyKind = await collect(['--config', configFile, ...out], root);
    const conversations = await collect(
      ['--engine', `vllm=${vllm.url}`, '--engine', `llamacpp=${llamacpp.url}`, '--model', vllm.model, '--conversations', 'debugging-session', '--requests', '8', '--max-tokens', '8', '--name', 'conversations', ...out],
      root,
    );
    const broken = failing.engines[0]!;
    const failed = await collect(['--engine', `vllm=${broken.url}`, '--model', broken.model, '--requests', '3', '--name', 'all-fail', ...out], root);
    // Ctrl-C (the abort signal) while a long phase runs: an aborted run with what finished.
    const aborted = await collect(
      ['--engine', `tgi=${tgi.url}`, '--model', tgi.model, '--requests', '400', '--concurrency', '2', '--max-tokens', '16', '--grace', '2', '--name', 'interrupted', ...out],
      root,
      3,
    );
    return { runsDir, ids: { everyKind: everyKind.runId, conversations: conversations.runId, failed: failed.runId, aborted: aborted.runId } };
  } finally {
    await Promise.all([sim.close(), failing.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2];
  if (!root) throw new Error('usage: node test/build/fixtures.ts DIR');
  const written = await writeFixtureRuns(root);
  await writeCorruptRun(join(root, 'corrupt-runs'));
  console.log(JSON.stringify(written, null, 2));
}
