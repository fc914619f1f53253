// Requests the engine turned away (HTTP 429, or an "overloaded" answer): the load was past what
// it admits, so its latencies describe the requests it chose to serve, not the load offered.
import type { EngineRun, PhaseSummary } from '../../../collector/store/schema/index.ts';
import { integer, percent } from '../format.ts';
import { type FailureReason, overloadCount } from './recommendations-failures.ts';
import { atLoad, type PhaseHit, type Recommendation, worstHit } from './recommendations-shape.ts';

function overloadHit(engine: EngineRun, phase: PhaseSummary, reasons: FailureReason[]): PhaseHit | null {
  const refused = overloadCount(engine, phase, reasons);
  // A phase where every request failed is the failure rule's, which names the reason.
  if (refused === 0 || phase.requests.ok === 0) return null;
  const share = refused / phase.requests.total;
  const n429 = phase.errorsByKind['http_429'] ?? 0;
  const parts = [n429 > 0 ? `HTTP 429 on ${integer(n429)}` : null, refused > n429 ? `"overloaded" on ${integer(refused - n429)}` : null].filter(Boolean);
  return {
    phase: phase.name,
    score: share,
    evidence: `${parts.join(' and ')} of ${integer(phase.requests.total)} requests (${percent(share)}) ${atLoad(phase)}`,
  };
}

export function overloadRecommendations(engine: EngineRun, reasons: FailureReason[]): Recommendation[] {
  const hit = worstHit(engine.phases.flatMap((phase) => overloadHit(engine, phase, reasons) ?? []));
  if (hit === null) return [];
  return [{
    engine: engine.label,
    phase: hit.phase,
    severity: 'warning',
    finding: `${engine.label} turned requests away: the load was past what it admits`,
    evidence: hit.evidence,
    action: 'Set the admission limit on purpose (the engine\'s maximum concurrent requests, or a gateway\'s rate limit) to the load its SLO allows, and compare engines below it; or add replicas for this load.',
  }];
}
