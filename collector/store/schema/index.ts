// The current run format, in one place: code that reads or writes runs imports from here,
// never from a versioned file, so moving to v3 is a change of these lines plus a migration.
import { RequestRecord as RequestRecordV1, RunV2 } from './v2.ts';

export const CURRENT_SCHEMA_VERSION = 2;

export const Run = RunV2;
export type Run = RunV2;
export const RequestRecord = RequestRecordV1;
export type RequestRecord = RequestRecordV1;

export {
  Definitions,
  Distribution,
  EngineRun,
  ErrorKind,
  Host,
  OutputTokensSource,
  PhaseSummary,
  RecordedEvent,
  RunStatus,
} from './v2.ts';

/** The file layout of a run directory, part of the format like the schemas. */
export const RUN_FILE = 'run.json';
/** Raw request records, one JSON object per line, appended while the run is in progress. */
export const RAW_FILE = 'requests.ndjson';
/** The raw file once the run is finished: written by finalizeRaw, read in preference to RAW_FILE. */
export const RAW_FILE_GZ = 'requests.ndjson.gz';
