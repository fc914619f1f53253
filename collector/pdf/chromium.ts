// The browser PDFs are printed with: the system's Chromium or Chrome, never one Puppeteer
// downloads (.puppeteerrc.cjs skips every download). PUPPETEER_EXECUTABLE_PATH names it when
// it is somewhere else; otherwise the usual commands on PATH, then the usual install places.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import { ServebenchError } from '../errors.ts';

/** Commands looked up on PATH, in order: Debian's and Ubuntu's Chromium, then Google's Chrome. */
export const BROWSER_COMMANDS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

/** Where the usual installers put a browser when it is not on PATH. */
const INSTALL_PLACES = [
  ...BROWSER_COMMANDS.map((name) => `/usr/bin/${name}`),
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

const HINT = 'install Chromium with `npm run setup:browser` (Debian, Ubuntu), or point PUPPETEER_EXECUTABLE_PATH at an installed Chrome or Chromium';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser to print with; throws BAD_ENVIRONMENT saying what was looked for and how to get one. */
export function findChromium(env: NodeJS.ProcessEnv, executable: (path: string) => boolean = isExecutable): string {
  const named = env['PUPPETEER_EXECUTABLE_PATH']?.trim();
  if (named) {
    if (executable(named)) return named;
    throw new ServebenchError('BAD_ENVIRONMENT', `PUPPETEER_EXECUTABLE_PATH names ${named}, which is not an executable file, so no PDF can be printed`, HINT);
  }
  const path = (env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const name of BROWSER_COMMANDS) {
    for (const dir of path) {
      const candidate = join(dir, name);
      if (executable(candidate)) return candidate;
    }
  }
  const installed = INSTALL_PLACES.find(executable);
  if (installed !== undefined) return installed;
  throw new ServebenchError('BAD_ENVIRONMENT', `no Chromium or Chrome found (looked for ${BROWSER_COMMANDS.join(', ')} on PATH and in the usual install places), so no PDF can be printed`, HINT);
}

/**
 * One headless browser for every PDF of a command. No sandbox (CI containers run as root), no GPU,
 * and none of Chromium's own background traffic: the pages are local, and a closed network would
 * only make it retry.
 */
export async function launchChromium(executablePath: string): Promise<Browser> {
  try {
    return await puppeteer.launch({
      executablePath,
      headless: true,
      // servebench handles Ctrl-C itself (it stops between pages and closes the browser); Puppeteer
      // still kills the browser if the process exits.
      handleSIGINT: false,
      handleSIGTERM: false,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  } catch (error) {
    throw new ServebenchError('BAD_ENVIRONMENT', `the browser at ${executablePath} did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, HINT, { cause: error });
  }
}
