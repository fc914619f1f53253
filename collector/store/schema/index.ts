// The current run format, in one place: code that reads or writes runs imports from here,
// never from a versioned file, so moving to v4 is a change of these lines plus a migration.
import { RequestRecord as RequestRecordV3, RunV3 } from './v3.ts';

export const CURRENT_SCHEMA_VERSION = 3;

export const Run = RunV3;
export type Run = RunV3;
export const RequestRecord = RequestRecordV3;
export type RequestRecord = RequestRecordV3;

export {
  ClientUsage,
  Definitions,
  Distribution,
  EngineRun,
  ErrorKind,
  EventsOmitted,
  Host,
  OutputTokensSource,
  PhaseSummary,
  RecordedEvent,
  RunStatus,
  ServerPhaseMetrics,
} from './v3.ts';

/** The file layout of a run directory, part of the format like the schemas. */
export const RUN_FILE = 'run.json';
/** Raw request records, one JSON object per line, appended while the run is in progress. */
export const RAW_FILE = 'requests.ndjson';
/** The raw file once the run is finished: written by finalizeRaw, read in preference to RAW_FILE. */
export const RAW_FILE_GZ = 'requests.ndjson.gz';
