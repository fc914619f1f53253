// The only way anyone reads a run: run.json is checked for its format version, upgraded if
// older, and validated against the current schema; the raw records are streamed and
// validated line by line. Every failure is a ServebenchError naming the file and the place.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { describeValue, formatIssues } from '../format-issues.ts';
import { ServebenchError } from '../errors.ts';
import { toolVersion } from '../version.ts';
import { checkRecord } from './check-record.ts';
import { migrate } from './migrate.ts';
import { canonicalScenarioHash, ScenarioTooDeepError } from './scenario-hash.ts';
import {
  CURRENT_SCHEMA_VERSION,
  RAW_FILE,
  RAW_FILE_GZ,
  RequestRecord,
  Run,
  RUN_FILE,
} from './schema/index.ts';

export async function readRun(dir: string): Promise<Run> {
  const file = join(dir, RUN_FILE);
  const doc = parseRunJson(file, await readRunText(dir, file));
  const version = schemaVersionOf(file, doc);
  if (version > CURRENT_SCHEMA_VERSION) {
    throw new ServebenchError(
      'RUN_FUTURE_VERSION',
      `${file} is in run format v${version}, but this servebench (${toolVersion()}) reads run formats up to v${CURRENT_SCHEMA_VERSION}.`,
      'a newer servebench wrote this run: upgrade servebench to read it.',
    );
  }
  const migrated = migrate(doc, version);
  if (!migrated.ok) {
    throw new ServebenchError(
      'RUN_INVALID',
      `${file} is in run format v${version}, and this servebench has no upgrade from v${migrated.missingFrom} to v${migrated.missingFrom + 1}.`,
      'this schemaVersion was never written by a released servebench: check that the file was not edited by hand.',
    );
  }
  const parsed = Run.safeParse(migrated.doc, { reportInput: true });
  if (!parsed.success) {
    const issues = formatIssues(file, parsed.error.issues);
    const upgraded = version < CURRENT_SCHEMA_VERSION ? `, upgraded from v${version}` : '';
    throw new ServebenchError(
      'RUN_INVALID',
      `${file} does not match run format v${CURRENT_SCHEMA_VERSION}${upgraded} (${plural(issues.length, 'problem')}):\n` +
        issues.map((line) => `  ${line}`).join('\n'),
      'the file was edited or damaged after servebench wrote it: restore it from a copy, or re-run the benchmark.',
    );
  }
  // The scenario hash is derived from the stored scenario, and recomputed here: runs written before
  // it was canonical (absent vs empty fields, objectives in the scenario) then join the series of
  // the runs that measured the same, with run.json left as written.
  return { ...parsed.data, scenarioHash: scenarioHashOf(file, parsed.data.scenario) };
}

function scenarioHashOf(file: string, scenario: Record<string, unknown>): string {
  try {
    return canonicalScenarioHash(scenario);
  } catch (error) {
    if (!(error instanceof ScenarioTooDeepError)) throw error;
    throw new ServebenchError(
      'RUN_INVALID',
      `${file}: ${error.message}, deeper than any scenario servebench writes`,
      'the file was edited or damaged after servebench wrote it: restore it from a copy, or re-run the benchmark.',
    );
  }
}

async function readRunText(dir: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ServebenchError(
        'RUN_NOT_FOUND',
        `no run at ${dir}: ${file} does not exist.`,
        'check the run directory or id; `servebench runs list` shows the runs under ./runs.',
        { cause: error },
      );
    }
    throw new ServebenchError('RUN_INVALID', `cannot read ${file}: ${(error as Error).message}.`, 'check the file and its permissions.', {
      cause: error,
    });
  }
}

function parseRunJson(file: string, text: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    if (text.trim() === '') {
      throw new ServebenchError(
        'RUN_INVALID',
        `${file} is empty, so the run was not completely written or copied.`,
        'servebench replaces run.json atomically, so this happened outside it (an interrupted copy or a full disk?): restore the file from a copy, or re-run the benchmark.',
        { cause: error },
      );
    }
    const problem = jsonProblem(text, error);
    throw new ServebenchError(
      'RUN_INVALID',
      problem.truncated
        ? `${file} is cut short: the JSON stops in the middle of a value at ${problem.where}, so the file was not completely written or copied.`
        : `${file} is not valid JSON: ${problem.reason} at ${problem.where}.`,
      problem.truncated
        ? 'servebench replaces run.json atomically, so the cut happened outside it (an interrupted copy or a full disk?): restore the file from a copy, or re-run the benchmark.'
        : 'the file was edited or damaged after servebench wrote it: fix the JSON at that place, or restore the file from a copy.',
      { cause: error },
    );
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ServebenchError(
      'RUN_INVALID',
      `${file} does not hold a run: expected a JSON object at the top level, got ${describeValue(doc)}.`,
      'point servebench at a run directory written by `servebench run`.',
    );
  }
  return doc as Record<string, unknown>;
}

function schemaVersionOf(file: string, doc: Record<string, unknown>): number {
  const version = doc['schemaVersion'];
  if (version === undefined) {
    throw new ServebenchError(
      'RUN_INVALID',
      `${file} has no schemaVersion, so servebench cannot tell which run format it is in.`,
      'every run.json servebench writes starts with "schemaVersion": check that this file was written by servebench and not edited by hand.',
    );
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ServebenchError(
      'RUN_INVALID',
      `${file}: schemaVersion: expected a positive integer, got ${describeValue(version)}.`,
      'servebench writes schemaVersion as a plain number (e.g. "schemaVersion": 2): check that the file was not edited by hand.',
    );
  }
  return version;
}

export interface Truncation {
  file: string;
  /** 1-based number of the line that was cut (or of the line after the last complete one). */
  line: number;
  reason: string;
}

/** A line that holds no whole valid record, skipped instead of failing the read (repair only). */
export interface Damage {
  file: string;
  /** 1-based line number. */
  line: number;
  /** Why the line is not a record, without the file name. */
  reason: string;
  /** A whole record found after the damage on the same line (written after a half-written one) and kept. */
  salvaged: boolean;
}

export interface ReadRequestsOptions {
  /** Start reading the plain (in-progress) raw file at this byte offset, a record boundary. */
  startByte?: number;
  /** Called once when the raw file ends mid-record (a crash mid-write, a cut gzip); the rest is still read. */
  onTruncated?: (truncation: Truncation) => void;
  /**
   * Given, a line anywhere that is not a whole valid record (cut mid-file, not JSON, not a record)
   * is reported here and skipped instead of failing the read; a whole record at the end of such a
   * line is kept. For `runs recover`, which rewrites the file from what it keeps.
   */
  onDamaged?: (damage: Damage) => void;
}

// A line longer than this is not a request record: stop instead of buffering an unbounded file.
const MAX_LINE_BYTES = 64 * 1024 * 1024;
const NEWLINE = 0x0a;

/** Streams the raw request records: requests.ndjson.gz once finalized, else requests.ndjson. */
export async function* readRequests(dir: string, options: ReadRequestsOptions = {}): AsyncGenerator<RequestRecord> {
  const { file, gzipped } = await rawFileIn(dir);
  if (options.startByte !== undefined && gzipped) throw new Error(`startByte needs the plain raw file, but ${file} is gzipped`);
  const source = createReadStream(file, options.startByte ? { start: options.startByte } : {});
  // pipeline destroys both streams on error or on an early return by the consumer.
  const input: AsyncIterable<Buffer> = gzipped ? pipeline(source, createGunzip(), () => {}) : source;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNumber = 0;
  let gzipCut = false;
  try {
    for await (const chunk of input) {
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        const piece = chunk.subarray(start, nl);
        const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        pendingBytes = 0;
        lineNumber++;
        const record = options.onDamaged
          ? parseOrSalvage(file, lineNumber, line.toString('utf8'), options.onDamaged)
          : parseRecordLine(file, lineNumber, line.toString('utf8'), false);
        if (record !== null) yield record;
        start = nl + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > MAX_LINE_BYTES) {
          throw new ServebenchError(
            'RUN_INVALID',
            `${file} line ${lineNumber + 1} is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB, so it is not a request record.`,
            'the raw requests file is damaged or is not an NDJSON file: restore it from a copy.',
          );
        }
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') gzipCut = true;
    else if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new ServebenchError(
        'RUN_INVALID',
        `${file} is not a readable gzip file after line ${lineNumber} (zlib: ${(error as Error).message}).`,
        'the raw requests file is damaged: restore it from a copy.',
        { cause: error },
      );
    } else throw error;
  }
  // A last line without its newline is what a crash mid-write leaves: tolerated, not a format error.
  const tail = Buffer.concat(pending).toString('utf8');
  let cutLine: number | null = null;
  if (tail.trim() !== '') {
    lineNumber++;
    let record: RequestRecord | null = null;
    let damaged = false;
    try {
      record = parseRecordLine(file, lineNumber, tail, true);
    } catch (error) {
      // Whole JSON that is not a record: damage, not a cut.
      if (!options.onDamaged || !(error instanceof ServebenchError)) throw error;
      options.onDamaged({ file, line: lineNumber, reason: error.message.slice(file.length + 1), salvaged: false });
      damaged = true;
    }
    if (record !== null) yield record;
    else if (!damaged) cutLine = lineNumber;
  }
  if (gzipCut || cutLine !== null) {
    const line = cutLine ?? lineNumber + 1;
    options.onTruncated?.({
      file,
      line,
      reason: gzipCut
        ? `the gzip stream ends early: records after line ${line - 1} are lost`
        : `line ${line} was cut short while being written (a crash?) and is ignored`,
    });
  }
}

/**
 * Parses a line, reporting instead of throwing when it is damaged. A full disk that empties again
 * leaves a half-written record with the next record appended right after it on the same line:
 * that whole record is kept.
 */
function parseOrSalvage(file: string, lineNumber: number, text: string, onDamaged: (damage: Damage) => void): RequestRecord | null {
  try {
    return parseRecordLine(file, lineNumber, text, false);
  } catch (error) {
    if (!(error instanceof ServebenchError)) throw error;
    const salvaged = salvageRecord(text);
    const reason = error.message.startsWith(`${file} `) ? error.message.slice(file.length + 1) : error.message;
    onDamaged({ file, line: lineNumber, reason, salvaged: salvaged !== null });
    return salvaged;
  }
}

const MAX_SALVAGE_TRIES = 100_000;

/**
 * The whole record at the end of a damaged line, if any. Tried from the right: a suffix that
 * starts inside the record (a nested object) has one closing brace too many and fails at once,
 * so the first suffix that parses is the record itself.
 */
function salvageRecord(text: string): RequestRecord | null {
  let tries = 0;
  for (let at = text.lastIndexOf('{"'); at > 0 && tries < MAX_SALVAGE_TRIES; at = text.lastIndexOf('{"', at - 1), tries++) {
    let value: unknown;
    try {
      value = JSON.parse(text.slice(at));
    } catch {
      continue;
    }
    const parsed = checkRecord(value);
    if (parsed.success) return parsed.data;
  }
  return null;
}

/** A parsed record, null for a blank line or for a cut last line (the caller reports it). */
function parseRecordLine(file: string, lineNumber: number, text: string, last: boolean): RequestRecord | null {
  if (text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const problem = jsonProblem(text, error);
    if (last) return null;
    throw new ServebenchError(
      'RUN_INVALID',
      `${file} line ${lineNumber} is not valid JSON: ${problem.truncated ? 'the line stops in the middle of a value' : problem.reason} at column ${problem.column}.`,
      `the raw requests file was cut by a full disk, edited or damaged (each line must be one complete JSON object): \`servebench runs recover ${dirname(file)}\` keeps every whole record and drops the damaged lines, or restore the file from a copy.`,
      { cause: error },
    );
  }
  const parsed = checkRecord(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issues = formatIssues(`${file}:${lineNumber}`, parsed.error.issues);
  throw new ServebenchError(
    'RUN_INVALID',
    `${file} line ${lineNumber} is not a valid request record (run format v${CURRENT_SCHEMA_VERSION}, ${plural(issues.length, 'problem')}):\n` +
      issues.map((line) => `  ${line}`).join('\n'),
    'the raw requests file was edited or damaged after servebench wrote it: restore it from a copy.',
  );
}

async function rawFileIn(dir: string): Promise<{ file: string; gzipped: boolean }> {
  for (const [name, gzipped] of [
    [RAW_FILE_GZ, true],
    [RAW_FILE, false],
  ] as const) {
    const file = join(dir, name);
    if (await isFile(file)) return { file, gzipped };
  }
  if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) {
    throw new ServebenchError(
      'RUN_NOT_FOUND',
      `no run at ${dir}: the directory does not exist.`,
      'check the run directory or id; `servebench runs list` shows the runs under ./runs.',
    );
  }
  throw new ServebenchError(
    'RUN_INVALID',
    `${dir} has no raw requests file (neither ${RAW_FILE_GZ} nor ${RAW_FILE}).`,
    'servebench creates the raw file when a run starts: it was deleted or moved; restore it from a copy.',
  );
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

interface JsonProblem {
  truncated: boolean;
  reason: string;
  where: string;
  column: number;
}

// "Unexpected end of JSON input", or an error at the very end of the text, means the text stops
// mid-value: the signature of a cut file. Anything else is a syntax error at a place.
function jsonProblem(text: string, error: unknown): JsonProblem {
  const message = error instanceof Error ? error.message : String(error);
  const reason = lowerFirst(message.replace(/ (in JSON )?at position \d+.*$/s, '').replace(/, (\.\.\.)?".*" is not valid JSON$/s, ''));
  const end = text.trimEnd().length;
  const found = errorPosition(text, message);
  const truncated = found >= end;
  // A cut text is placed just after its last character, not after trailing whitespace.
  const position = truncated ? end : found;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return { truncated, reason, where: `line ${line}, column ${column}`, column };
}

function errorPosition(text: string, message: string): number {
  const match = / at position (\d+)/.exec(message);
  if (match?.[1] !== undefined) return Number(match[1]);
  if (/end of JSON input/.test(message)) return text.trimEnd().length;
  // V8 gives no position for "Unexpected token": find the shortest prefix that already fails
  // with a real syntax error (not merely "ends too early"); its last character is the culprit.
  let low = 1;
  let high = text.length;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (failsBeforeEnd(text.slice(0, mid))) high = mid;
    else low = mid + 1;
  }
  return low - 1;
}

function failsBeforeEnd(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    if (/end of JSON input/.test(message)) return false;
    const match = / at position (\d+)/.exec(message);
    return match?.[1] === undefined || Number(match[1]) < prefix.trimEnd().length;
  }
}

// V8 quotes the offending character raw; a control character must not reach the terminal.
function lowerFirst(text: string): string {
  const safe = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return safe.charAt(0).toLowerCase() + safe.slice(1);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
