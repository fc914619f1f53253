// Finding the browser PDFs are printed with: PUPPETEER_EXECUTABLE_PATH first, then the usual
// commands on PATH, and a BAD_ENVIRONMENT error (exit 2) that says how to get one.
import { describe, expect, it } from 'vitest';
import { EXIT, ServebenchError } from '../../../collector/errors.ts';
import { findChromium } from '../../../collector/pdf/chromium.ts';

const only = (...paths: string[]) => (path: string) => paths.includes(path);

describe('findChromium', () => {
  it('takes PUPPETEER_EXECUTABLE_PATH over anything on PATH', () => {
    expect(findChromium({ PUPPETEER_EXECUTABLE_PATH: '/opt/chrome/chrome', PATH: '/usr/bin' }, only('/opt/chrome/chrome', '/usr/bin/chromium'))).toBe('/opt/chrome/chrome');
  });

  it('fails naming PUPPETEER_EXECUTABLE_PATH when it points at nothing, rather than printing with another browser', () => {
    const attempt = () => findChromium({ PUPPETEER_EXECUTABLE_PATH: '/nowhere/chrome', PATH: '/usr/bin' }, only('/usr/bin/chromium'));
    expect(attempt).toThrow(ServebenchError);
    expect(attempt).toThrow(/PUPPETEER_EXECUTABLE_PATH names \/nowhere\/chrome/);
  });

  it('looks for chromium before chromium-browser and google-chrome, directory by directory of PATH', () => {
    const exists = only('/home/u/bin/google-chrome', '/usr/local/bin/chromium-browser', '/usr/local/bin/chromium');
    expect(findChromium({ PATH: '/home/u/bin:/usr/local/bin' }, exists)).toBe('/usr/local/bin/chromium');
    expect(findChromium({ PATH: '/home/u/bin:/usr/local/bin' }, only('/home/u/bin/google-chrome', '/usr/local/bin/chromium-browser'))).toBe('/usr/local/bin/chromium-browser');
  });

  it('finds /usr/bin/chromium when PATH does not list /usr/bin', () => {
    expect(findChromium({ PATH: '/opt/empty' }, only('/usr/bin/chromium'))).toBe('/usr/bin/chromium');
  });

  it('fails with BAD_ENVIRONMENT, exit 2, saying what was looked for and how to get a browser', () => {
    let error: unknown;
    try {
      findChromium({ PATH: '/opt/empty' }, () => false);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServebenchError);
    const e = error as ServebenchError;
    expect(e.code).toBe('BAD_ENVIRONMENT');
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.message).toMatch(/no Chromium or Chrome found \(looked for chromium, chromium-browser, google-chrome/);
    expect(e.hint).toContain('npm run setup:browser');
    expect(e.hint).toContain('PUPPETEER_EXECUTABLE_PATH');
  });
});
