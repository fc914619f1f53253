// `collect --dry-run`: the resolved plan, for a person to check before anything is sent.
import type { CollectPlan } from '../config/load.ts';
import { describePhase, expectedDurationS, expectedRequests } from '../load/registry.ts';
import { clean, table } from '../text-table.ts';
import { NO_SLO_TEXT } from './slo-summary.ts';

export function dryRunText(plan: CollectPlan): string {
  const lines = [`plan "${clean(plan.name)}" (dry run: nothing is sent)`, ''];
  lines.push(
    table(
      ['ENGINE', 'KIND', 'API', 'URL', 'MODEL'],
      plan.engines.map((e) => [clean(e.label), e.kind, e.api, e.publicUrl, clean(e.model)]),
    ).trimEnd(),
    '',
  );
  let requests = 0;
  let seconds = 0;
  let unknown = false;
  const rows = plan.phases.map((p) => {
    const n = expectedRequests(p);
    const s = expectedDurationS(p);
    if (n === null || s === null) unknown = true;
    requests += n ?? 0;
    seconds += s ?? 0;
    return [clean(p.name), describePhase(p), n === null ? '?' : String(n), s === null ? '?' : `${s.toFixed(0)} s`];
  });
  if (rows.length > 0) lines.push(table(['PHASE', 'LOAD', 'REQUESTS', 'DURATION'], rows, [2, 3]).trimEnd());
  if (plan.autoSweep) {
    lines.push(
      `auto sweep: a sequential and a saturated phase first, then ${plan.autoSweep.steps} ${plan.autoSweep.arrival} rates between their measured throughputs (counts known only then)`,
    );
    unknown = true;
  }
  const engines = plan.engines.length;
  lines.push(
    '',
    `per engine: ${requests} requests${unknown ? ' or more' : ''}, about ${seconds.toFixed(0)} s${unknown ? ' or more' : ''}; ` +
      `${engines} engine${engines === 1 ? '' : 's'} measured one after another: ${requests * engines} requests, about ${(seconds * engines).toFixed(0)} s in all`,
    `prompts: ${plan.prompts.length}, max tokens ${plan.maxTokens}, temperature ${plan.temperature}, seed ${plan.seed}, ${plan.stream ? 'streaming' : 'not streaming'}`,
    plan.coldConnections
      ? 'connections: a new one for every request (--cold-connections), so every TTFT includes the handshake'
      : 'connections: one per closed-loop user, opened before each phase and reused; open loops up to their in-flight cap',
    plan.slo === null
      ? `objectives: ${NO_SLO_TEXT}`
      : `objectives (${clean(plan.slo.source)}): ${plan.slo.objectives.map((o) => o.text).join('  ')}${plan.failOnSlo ? '; exit 7 if any is missed (--fail-on-slo)' : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
