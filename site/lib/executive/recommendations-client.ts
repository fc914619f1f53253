// The collector checking itself: when its CPU, event loop or send schedule could not keep up,
// the latencies it measured include its own delays, and no conclusion about the engine holds.
import type { EngineRun, PhaseSummary } from '../../../collector/store/schema/index.ts';
import { ms } from '../format.ts';
import { atLoad, type PhaseHit, type Recommendation, worstHit } from './recommendations-shape.ts';

/** The collector runs on one thread: at 90 % of a core for a tenth of the phase (p90) it queues its own work. */
export const CLIENT_CPU_BUSY_PERCENT = 90;
/**
 * The collector stamps chunks in its event loop's I/O callbacks; a lag past 5 ms p99 is larger
 * than the timing error it achieves when it keeps up (the collector warns at the same figure).
 */
export const LOOP_LAG_LIMIT_MS = 5;
/** Sends more than 10 ms behind schedule (p99) mean the offered load was not the one planned (the collector warns at the same figure). */
export const SEND_LAG_LIMIT_MS = 10;

function clientHit(phase: PhaseSummary): PhaseHit | null {
  const signs: string[] = [];
  let score = 0;
  const cpu = phase.client?.cpuPercent.p90;
  if (cpu !== null && cpu !== undefined && cpu >= CLIENT_CPU_BUSY_PERCENT) {
    signs.push(`collector CPU p90 ${cpu.toFixed(0)} % of a core (limit ${CLIENT_CPU_BUSY_PERCENT} %)`);
    score = Math.max(score, cpu / CLIENT_CPU_BUSY_PERCENT);
  }
  const loop = phase.client?.eventLoopLagP99Ms;
  if (loop !== null && loop !== undefined && loop > LOOP_LAG_LIMIT_MS) {
    signs.push(`event-loop lag p99 ${ms(loop)} ms (limit ${LOOP_LAG_LIMIT_MS} ms)`);
    score = Math.max(score, loop / LOOP_LAG_LIMIT_MS);
  }
  const send = phase.sendLagMs?.p99;
  if (send !== null && send !== undefined && send > SEND_LAG_LIMIT_MS) {
    signs.push(`send lag p99 ${ms(send)} ms (limit ${SEND_LAG_LIMIT_MS} ms)`);
    score = Math.max(score, send / SEND_LAG_LIMIT_MS);
  }
  if (signs.length === 0) return null;
  return { phase: phase.name, score, evidence: `${signs.join(', ')} ${atLoad(phase)}` };
}

export function clientRecommendations(engine: EngineRun): Recommendation[] {
  const hit = worstHit(engine.phases.flatMap((phase) => clientHit(phase) ?? []));
  if (hit === null) return [];
  return [{
    engine: engine.label,
    phase: hit.phase,
    severity: 'critical',
    finding: `The collector could not keep up while measuring ${engine.label}: its latencies include the collector's own delays`,
    evidence: hit.evidence,
    action: 'Treat these results as unreliable: rerun with the load split over more collectors (or fewer streams per collector) on an otherwise idle machine.',
  }];
}
