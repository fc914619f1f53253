// The base path and origin the site is built for, from Astro's resolved config (astro.config.mjs
// sets them from SERVEBENCH_BASE and SERVEBENCH_SITE). Not import.meta.env.BASE_URL: Astro fills
// import.meta.env from the process environment, so a stray BASE_URL variable would override it.
import { base, site } from 'astro:config/server';
import { normalizeBase } from '../lib/paths.ts';

export const BASE = normalizeBase(base);
export const SITE = site;
