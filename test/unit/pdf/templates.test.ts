// The header and footer on every PDF page: the run and its date, the SIMULATED notice when an
// engine was simulated, page numbers; the run's name escaped, as any text from a run is.
import { describe, expect, it } from 'vitest';
import { printTemplates, SIMULATED_NOTICE, simulatedNotice } from '../../../collector/pdf/templates.ts';

const run = (name: string, simulated: boolean) => ({ id: 'r-1', name, startedAt: '2026-11-23T20:32:01.000Z', engines: [{ label: 'a', simulated }, { label: 'b', simulated }] }) as Parameters<typeof printTemplates>[0];

describe('printTemplates', () => {
  it('names the page, the run and its date in the header, and numbers the pages in the footer', () => {
    const t = printTemplates(run('nightly chat', false), 'executive');
    expect(t.headerTemplate).toContain('Executive summary: <b>nightly chat</b>');
    expect(t.headerTemplate).toContain('2026-11-23 20:32 UTC');
    expect(t.footerTemplate).toContain('<span class="pageNumber"></span> of <span class="totalPages"></span>');
    expect(printTemplates(run('x', false), 'report').headerTemplate).toContain('Run report: ');
  });

  it('puts the SIMULATED notice in the header, on every page, when the engines were simulated', () => {
    expect(printTemplates(run('x', true), 'report').headerTemplate).toContain(SIMULATED_NOTICE.replace("'", '&#39;'));
    expect(printTemplates(run('x', false), 'report').headerTemplate).not.toContain('SIMULATED');
  });

  it('names the simulated engines when only some were, since the others are real', () => {
    const engines = [{ label: 'vllm', simulated: false }, { label: 'tgi-sim', simulated: true }, { label: 'ollama-sim', simulated: true }];
    expect(simulatedNotice(engines)).toBe("SIMULATED: tgi-sim, ollama-sim are servebench's simulator, not real engines; the other engines are real.");
    expect(simulatedNotice(engines.slice(0, 2))).toBe("SIMULATED: tgi-sim is servebench's simulator, not a real engine; the other engines are real.");
    expect(simulatedNotice(engines.slice(1))).toBe(SIMULATED_NOTICE);
    expect(simulatedNotice(engines.slice(0, 1))).toBeNull();
    const mixed = printTemplates({ id: 'r-1', name: 'x', startedAt: '2026-11-23T20:32:01.000Z', engines: [{ label: 'a<b>', simulated: true }, { label: 'real', simulated: false }] } as Parameters<typeof printTemplates>[0], 'report');
    expect(mixed.headerTemplate).toContain('SIMULATED: a&#60;b&#62; is servebench&#39;s simulator');
  });

  it('escapes the run name and drops its control characters', () => {
    const t = printTemplates(run('<img src=x onerror=alert(1)>\u001b[2J<span class="pageNumber">', false), 'report');
    expect(t.headerTemplate).not.toContain('<img');
    expect(t.headerTemplate).not.toContain('\u001b');
    expect(t.headerTemplate).toContain('&#60;img src=x onerror=alert(1)&#62;');
    // Only the footer's own page-number span, never one from the name.
    expect(t.headerTemplate).not.toContain('<span class="pageNumber">');
  });

  it('falls back to the run id for a run without a name', () => {
    expect(printTemplates(run('', false), 'report').headerTemplate).toContain('<b>r-1</b>');
  });
});
