// The current run format, in one place: code that reads or writes runs imports from here,
// never from a versioned file, so moving to v5 is a change of these lines plus a migration.
import { RequestRecord as RequestRecordV4, RunV4 } from './v4.ts';

export const CURRENT_SCHEMA_VERSION = 4;

export const Run = RunV4;
export type Run = RunV4;
export const RequestRecord = RequestRecordV4;
export type RequestRecord = RequestRecordV4;

export {
  Bound,
  CapacityAtSlo,
  ClientUsage,
  Definitions,
  Distribution,
  EngineRun,
  ErrorKind,
  EventsOmitted,
  Host,
  Objective,
  ObjectiveMetric,
  OutputTokensSource,
  PercentileIntervals,
  PhaseSlo,
  PhaseSummary,
  RecordedEvent,
  RoiAssumptions,
  RunStatus,
  ServerPhaseMetrics,
  Slo,
  SloVerdict,
  Verdict,
} from './v4.ts';

/** The file layout of a run directory, part of the format like the schemas. */
export const RUN_FILE = 'run.json';
/** Raw request records, one JSON object per line, appended while the run is in progress. */
export const RAW_FILE = 'requests.ndjson';
/** The raw file once the run is finished: written by finalizeRaw, read in preference to RAW_FILE. */
export const RAW_FILE_GZ = 'requests.ndjson.gz';
