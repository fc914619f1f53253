// Everything the executive summary of one run shows, as plain data: the three answers with their
// evidence, the scorecard against the SLO, the failures and their reasons, the ROI and the
// recommendations. The page and its components only lay this out.
import type { Run } from '../../../collector/store/schema/index.ts';
import { fastestFirstToken, mostLoadWithinSlo, type FirstTokenLevel, type LoadAnswer } from './answers.ts';
import { failureCallouts, type FailureCallout } from './failures.ts';
import { recommend, type FailureReason, type Recommendation } from './recommendations.ts';
import { roiOf, type Roi } from './roi.ts';
import { scorecard, type Scorecard } from './verdicts.ts';

export interface ExecutiveSummary {
  firstToken: FirstTokenLevel[];
  load: LoadAnswer;
  roi: Roi | null;
  scorecard: Scorecard | null;
  failures: FailureCallout[];
  recommendations: Recommendation[];
}

export function executiveSummary(run: Run, reasons: FailureReason[]): ExecutiveSummary {
  return {
    firstToken: fastestFirstToken(run),
    load: mostLoadWithinSlo(run),
    roi: roiOf(run),
    scorecard: scorecard(run),
    failures: failureCallouts(run.engines, reasons),
    recommendations: recommend(run, reasons),
  };
}
