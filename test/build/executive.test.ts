// The executive summary and the reordered report, built by `servebench site build` (a real
// process) over the sample runs collected from the simulator: a run with no SLO (golden), a sweep
// whose capacity at SLO falls between two levels, with cost assumptions and notes.mdx (slo-sweep),
// and a run where one engine failed every request (all-failed). Every one is simulated. The
// numbers on the pages are checked against run.json, formatted as the pages format them.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../collector/store/schema/index.ts';
import { hours, money, ms } from '../../site/lib/format.ts';
import { filesUnder, siteBuild, type Built } from './site-build.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/runs/', import.meta.url));
const GOLDEN_ID = '20250612-093000-golden-chat-smoke-3fa4';
const SWEEP_ID = '20261202-090740-slo-sweep-baa9';
const FAILED_ID = '20261202-090852-all-failed-35da';

/** The notes a user writes beside the sweep run, citing its numbers through the components. */
const NOTES = `# Why we ran this

At 8 users vllm-sim's TTFT p95 was <Metric engine="vllm-sim" phase="c8" metric="ttft" stat="p95"/>.
At 1 user the whole answer came <Delta a="vllm-sim" b="tgi-sim" phase="c1" metric="e2e" stat="p50"/>.
tgi-sim at 32 users: <Verdict engine="tgi-sim" phase="c32" objective="ttft:p95<1s"/>.

<Chart name="sweep"/>

More in [the README](https://example.org/servebench#readme).
`;

const BLOCK = /<\/?(?:p|li|ul|ol|h[1-6]|div|section|article|table|caption|thead|tbody|tr|td|th|dl|dt|dd|details|summary|figure|figcaption|br|main|header|footer|nav|pre)\b[^>]*>/g;

/** The page's text as a reader sees it: block tags as breaks, inline tags dropped, entities decoded, blanks collapsed. */
function text(html: string): string {
  return html
    .replace(/<(script|style|svg)\b.*?<\/\1>/gs, ' ')
    .replace(BLOCK, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('the executive summary and the reordered report', () => {
  let tmp: string;
  let dist: string;
  let built: Built;
  const html = new Map<string, string>();
  const runs = new Map<string, Run>();
  const page = (id: string, which: 'executive' | 'report' | 'responses'): string =>
    html.get(join('runs', id, which === 'report' ? '' : which, 'index.html'))!;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'servebench-executive-'));
    const runsDir = join(tmp, 'runs');
    await mkdir(runsDir);
    for (const [name, id] of [['golden', GOLDEN_ID], ['slo-sweep', SWEEP_ID], ['all-failed', FAILED_ID]] as const) {
      await cp(join(FIXTURES, name), join(runsDir, id), { recursive: true });
      const { readRun } = await import('../../collector/store/read-run.ts');
      runs.set(id, await readRun(join(runsDir, id)));
    }
    await writeFile(join(runsDir, SWEEP_ID, 'notes.mdx'), NOTES);
    dist = join(tmp, 'dist');
    built = await siteBuild(['--runs', runsDir, '--out', dist], join(tmp, 'cache'));
    if (built.code !== 0) throw new Error(`site build exited ${built.code}:\n${built.stdout}\n${built.stderr}`);
    for (const file of (await filesUnder(dist)).filter((f) => f.endsWith('.html'))) html.set(relative(dist, file), await readFile(file, 'utf8'));
  }, 180_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('links the executive summary first from the report and from the index', () => {
    for (const id of [GOLDEN_ID, SWEEP_ID, FAILED_ID]) {
      expect(page(id, 'executive'), id).toContain('<h1>Executive summary:');
      const report = page(id, 'report');
      const links = [...report.matchAll(/<a\b[^>]*href="([^"#]+)"/g)].map((m) => m[1]!).filter((href) => href.startsWith(`/runs/${id}/`));
      expect(links[0], id).toBe(`/runs/${id}/executive/`);
      expect(html.get('index.html')).toContain(`href="/runs/${id}/executive/"`);
    }
  });

  it('puts the verdicts first, then the charts, then the tables, and the configuration in a closed section', () => {
    const report = page(SWEEP_ID, 'report');
    const at = (marker: string): number => report.indexOf(marker);
    expect(at('id="verdicts"')).toBeGreaterThan(0);
    expect(at('id="verdicts"')).toBeLessThan(at('id="charts"'));
    expect(at('id="charts"')).toBeLessThan(at('id="results"'));
    expect(at('id="results"')).toBeLessThan(at('id="configuration"'));
    expect(report).toMatch(/<section id="configuration"[^>]*><h2[^>]*>Configuration<\/h2><details class="configuration"><summary>/);
    // what a reader sees; the resolved scenario's exact JSON is in its own closed section
    const configuration = text(report.slice(at('id="configuration"'), at('<summary>The resolved scenario (JSON)')));
    expect(configuration).toContain('Streamed yes');
    expect(configuration).not.toMatch(/\btrue\b|ttftP95Ms|connectS/);
    expect(configuration).toContain('connect 10 s · first token 60 s');
  });

  it('says "no SLO set" for a run without objectives, and shows no verdict', () => {
    for (const which of ['executive', 'report'] as const) {
      const golden = page(GOLDEN_ID, which);
      expect(text(golden)).toContain('No SLO set: this run was not judged against any objective.');
      expect(golden).not.toContain('class="scorecard"');
      expect(golden).not.toMatch(/class="verdict verdict-/);
    }
    expect(text(page(GOLDEN_ID, 'executive'))).toContain('Lowest cost per 1M output tokens Not computed: the scenario states no cost assumptions.');
  });

  it('gives the capacity at SLO of a sweep, interpolated between the levels it lies between', () => {
    const run = runs.get(SWEEP_ID)!;
    const executive = text(page(SWEEP_ID, 'executive'));
    for (const engine of run.engines) {
      const c = engine.capacityAtSlo!;
      expect(c.how).toBe('interpolated');
      expect(executive).toContain(
        `${engine.label}: about ${c.value!.toFixed(1)} concurrent users, interpolated between ${c.between![0]} concurrent users (met) and ${c.between![1]} concurrent users (missed)`,
      );
    }
    // vllm-sim met every objective at 32 users, where tgi-sim missed: a clear winner.
    expect(executive).toContain('Highest capacity at SLO vllm-sim: about');
    expect(executive).toContain('It met every objective at a load level every other engine missed.');
  });

  it('says "no clear winner" where the intervals overlap, and names a winner only where they do not', () => {
    const run = runs.get(SWEEP_ID)!;
    const executive = text(page(SWEEP_ID, 'executive'));
    let overlaps = 0;
    for (const phase of ['c1', 'c8', 'c32', 'c64']) {
      const [a, b] = run.engines.map((e) => e.phases.find((p) => p.name === phase)!.ttftMs);
      const apart = a!.ci95!.p50.hi! < b!.ci95!.p50.lo! || b!.ci95!.p50.hi! < a!.ci95!.p50.lo!;
      const level = new RegExp(`At \\d+ concurrent users? \\(${phase}\\): (No clear winner|vllm-sim|tgi-sim)`).exec(executive);
      expect(level, phase).not.toBeNull();
      expect(level![1] === 'No clear winner', phase).toBe(!apart);
      if (!apart) overlaps++;
    }
    // The sample run was collected so that some level overlaps; a regenerated one must keep one.
    expect(overlaps).toBeGreaterThan(0);
  });

  it('shows every scorecard number as run.json has it, with its interval and its verdict in words', () => {
    const run = runs.get(SWEEP_ID)!;
    const cells = [...page(SWEEP_ID, 'executive').matchAll(/<td class="verdict verdict-([a-z-]+)"[^>]*><strong>([a-z ]+)<\/strong>(?:<span class="measured">([^<]*)<\/span>)?(?:<span class="ci">\(([^)]*)\)<\/span>)?/g)];
    const expected: string[] = [];
    for (const phase of ['c1', 'c8', 'c32', 'c64']) {
      for (const engine of run.engines) {
        const slo = engine.phases.find((p) => p.name === phase)!.slo!;
        expected.push(`${slo.verdict}|${slo.verdict}||`);
        for (const v of slo.verdicts) {
          const interval = v.ci.lo === null || v.ci.hi === null ? 'too few samples' : `${ms(v.ci.lo)}–${ms(v.ci.hi)}`;
          expected.push(`${v.verdict.replace(' ', '-')}|${v.verdict}|${ms(v.measured)} ms|${interval}`);
        }
      }
    }
    expect(cells.map((m) => `${m[1]}|${m[2]}|${m[3] ?? ''}|${m[4] ?? ''}`)).toEqual(expected.map((e) => e.replace(/^no data\|/, 'no-data|')));
  });

  it('computes the cost and the time saved from the stated assumptions, and puts no money on noise', () => {
    const run = runs.get(SWEEP_ID)!;
    const roi = run.scenario.roi!;
    const executive = text(page(SWEEP_ID, 'executive'));
    for (const engine of run.engines) {
      const best = engine.phases.filter((p) => p.slo!.verdict === 'met').reduce((a, b) => (b.outputTokensPerS > a.outputTokensPerS ? b : a));
      const hourly = (roi.gpuHourlyCost as Record<string, number>)[engine.label]!;
      const cost = (hourly * 1e6) / (best.outputTokensPerS * 3600);
      expect(executive).toContain(`${engine.label}: ${money(cost, 'USD')} per 1M output tokens at`);
      expect(executive).toContain(`= ${money(cost, 'USD')}`);
      const gpuHours = roi.monthlyOutputTokens! / (best.outputTokensPerS * 3600);
      expect(executive).toContain(`${hours(gpuHours)} ${money(gpuHours * hourly, 'USD')}`);
    }
    for (const assumption of ['GPU cost per hour vllm-sim $2.50, tgi-sim $2.50', 'Users per day 2,000', 'Interactions per user per day 15', "Cost of a person's hour $50.00", 'Work days per year 250 (default)']) {
      expect(executive).toContain(assumption);
    }
    for (const phase of ['c1', 'c8', 'c32', 'c64']) {
      const [a, b] = run.engines.map((e) => e.phases.find((p) => p.name === phase)!.e2eMs);
      const [fast, slow] = a!.p50! <= b!.p50! ? [a!, b!] : [b!, a!];
      const row = new RegExp(`\\(${phase}\\) [a-z-]+ ${ms(fast.p50)} \\([^)]*\\) [a-z-]+ ${ms(slow.p50)} \\([^)]*\\) (.*?)(?= \\d+ concurrent users? \\(c|$)`).exec(executive);
      expect(row, phase).not.toBeNull();
      if (fast.ci95!.p50.hi! < slow.ci95!.p50.lo!) {
        const saved = slow.p50! - fast.p50!;
        const perYear = (saved / 3_600_000) * roi.usersPerDay! * roi.interactionsPerUserPerDay! * 250;
        expect(row![1], phase).toContain(`${ms(saved)} ms ${hours(perYear)} ${money(perYear * roi.personHourCost!, 'USD')}`);
      } else {
        expect(row![1], phase).toMatch(/^inside the noise: the 95 % intervals overlap, so no time or money is claimed/);
      }
    }
  });

  it('calls out an engine that failed every request, with the reason it gave', () => {
    for (const which of ['executive', 'report'] as const) {
      expect(text(page(FAILED_ID, which))).toMatch(/Every request to ollama-sim failed \(60 of 60\): “?HTTP 404[^”]*model 'llama3\.1:70b' not found/);
    }
    expect(text(page(FAILED_ID, 'executive'))).toContain('No successful request from ollama-sim.');
  });

  it('lists the recommendations with their evidence', () => {
    const executive = page(FAILED_ID, 'executive');
    expect(executive).toMatch(/<li class="recommendation severity-critical"><p><span class="severity">critical<\/span> <strong>ollama-sim<\/strong>/);
    expect(text(executive)).toMatch(/Evidence: .*60/);
  });

  it('renders the run\u2019s notes.mdx with the numbers read from the run', () => {
    const run = runs.get(SWEEP_ID)!;
    const notes = text(page(SWEEP_ID, 'executive').split('id="notes"')[1]!.split('id="recommendations"')[0]!);
    const p95 = run.engines[0]!.phases[1]!.ttftMs;
    expect(notes).toContain(`Why we ran this At 8 users vllm-sim’s TTFT p95 was ${ms(p95.p95)} ms (${ms(p95.ci95!.p95.lo)}–${ms(p95.ci95!.p95.hi)}).`);
    const [a, b] = run.engines.map((e) => e.phases[0]!.e2eMs);
    const apart = a!.ci95!.p50.hi! < b!.ci95!.p50.lo! || b!.ci95!.p50.hi! < a!.ci95!.p50.lo!;
    expect(notes).toContain(apart ? 'lower for' : `inside the noise (${ms(a!.p50)} ms against ${ms(b!.p50)} ms; the 95 % intervals overlap)`);
    const verdict = run.engines[1]!.phases[2]!.slo!.verdicts[0]!;
    expect(notes).toContain(`tgi-sim at 32 users: ${verdict.verdict}: TTFT p95 under 1000 ms, measured ${ms(verdict.measured)} ms.`);
    expect(page(SWEEP_ID, 'executive')).toContain('<h3>Why we ran this</h3>');
    expect(page(SWEEP_ID, 'executive')).toContain('<figure class="chart" id="chart-sweep"');
    expect(page(GOLDEN_ID, 'executive')).not.toContain('id="notes"');
  });

  it('puts the SIMULATED notice once at the top of every page of a simulated run, and on no row', () => {
    for (const id of [GOLDEN_ID, SWEEP_ID, FAILED_ID]) {
      for (const which of ['executive', 'report', 'responses'] as const) {
        const body = page(id, which);
        expect(body.match(/class="simulated-banner"/g), `${id} ${which}`).toHaveLength(1);
        expect(body.indexOf('class="simulated-banner"'), `${id} ${which}`).toBeLessThan(body.indexOf('<main'));
      }
      expect(page(id, 'report')).not.toContain('badge-simulated');
      expect(page(id, 'executive')).not.toContain('badge-simulated');
    }
  });
});

describe('a notes.mdx that would run code', () => {
  it('stops the build, naming the file, the line and what is not allowed', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'servebench-notes-'));
    try {
      await cp(join(FIXTURES, 'golden'), join(tmp, 'runs', GOLDEN_ID), { recursive: true });
      await writeFile(join(tmp, 'runs', GOLDEN_ID, 'notes.mdx'), "Fine prose.\n\nimport fs from 'node:fs'\n\nThen {process.exit(3)} and <script>alert(1)</script>.\n");
      const out = join(tmp, 'dist');
      const result = await siteBuild(['--runs', join(tmp, 'runs'), '--out', out], join(tmp, 'cache'));
      // like an invalid run: exit 4, the file, the line and the rule; and the note's code never ran
      expect(result.code).toBe(4);
      const output = result.stdout + result.stderr;
      expect(output).toContain(`${GOLDEN_ID}/notes.mdx:3:1: import and export are not allowed in notes`);
      expect(output).toContain(`${GOLDEN_ID}/notes.mdx:5:6: {…} expressions are not allowed in notes`);
      expect(output).toMatch(/<script> is not allowed in notes/);
      expect(output).toContain('(RUN_INVALID, exit 4)');
      // --skip-invalid builds the run without its notes
      const skipped = await siteBuild(['--runs', join(tmp, 'runs'), '--out', out, '--skip-invalid'], join(tmp, 'cache'));
      expect(skipped.code).toBe(0);
      const executive = await readFile(join(out, 'runs', GOLDEN_ID, 'executive', 'index.html'), 'utf8');
      expect(executive).not.toContain('id="notes"');
      expect(executive).not.toContain('Fine prose.');
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('a notes.mdx naming what its run does not have', () => {
  it('stops the build like an invalid note, naming the file, the component, the prop and what the run has', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'servebench-notes-names-'));
    try {
      const runsDir = join(tmp, 'runs');
      const notesFile = join(runsDir, GOLDEN_ID, 'notes.mdx');
      await cp(join(FIXTURES, 'golden'), join(runsDir, GOLDEN_ID), { recursive: true });
      await writeFile(notesFile, 'Fine prose.\n\nTTFT was <Metric engine="vlm" metric="ttft"/>.\n');
      const out = join(tmp, 'dist');
      const result = await siteBuild(['--runs', runsDir, '--out', out], join(tmp, 'cache'));
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(`${notesFile}:3:10: <Metric>: engine="vlm" is not an engine of this run ("vllm-a", "ollama-b")`);
      expect(result.stderr).toContain('hint: change each prop to one of the names listed after it, or remove the component');
      expect(result.stderr).toContain('(RUN_INVALID, exit 4)');
      expect(result.stderr).not.toMatch(/^\s+at /m);

      // --skip-invalid builds the run without its notes, and says so on stderr
      const skipped = await siteBuild(['--runs', runsDir, '--out', out, '--skip-invalid'], join(tmp, 'cache'));
      expect(skipped.code, skipped.stderr).toBe(0);
      expect(skipped.stderr).toContain(`servebench: built run ${GOLDEN_ID} without its notes, ${notesFile}:\n  ${notesFile}: a component names what this run does not have:`);
      expect(skipped.stdout).toContain('1 built without its invalid notes');
      const executive = await readFile(join(out, 'runs', GOLDEN_ID, 'executive', 'index.html'), 'utf8');
      expect(executive).toContain('<h1>Executive summary:');
      expect(executive).not.toContain('id="notes"');
      expect(executive).not.toContain('Fine prose.');

      // a chart name is checked once the run's charts are derived, when the page renders: the same exit 4
      await writeFile(notesFile, 'Fine prose.\n\n<Chart name="swep"/>\n');
      const chart = await siteBuild(['--runs', runsDir, '--out', join(tmp, 'dist-chart')], join(tmp, 'cache'));
      expect(chart.code).toBe(4);
      expect(chart.stderr).toMatch(new RegExp(`notes\\.mdx:3:1: <Chart>: name="swep" is not a chart of this run \\("ttft-distribution", "e2e-distribution"`));
      expect(chart.stderr).toContain('(RUN_INVALID, exit 4)');
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }, 240_000);
});
