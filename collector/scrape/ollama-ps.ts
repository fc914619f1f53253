// Ollama has no /metrics; GET /api/ps lists the loaded models and the VRAM each one holds.

export interface OllamaPs {
  loadedModels: number;
  /** Sum of size_vram over the loaded models (0 when none or not reported: CPU-only). */
  vramBytes: number;
}

/** Reads an /api/ps body. Throws when it is not `{"models": [...]}`. */
export function readOllamaPs(body: string): OllamaPs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error('unparsable /api/ps: not JSON');
  }
  const models = typeof parsed === 'object' && parsed !== null ? (parsed as { models?: unknown }).models : undefined;
  if (!Array.isArray(models)) throw new Error('unparsable /api/ps: no "models" list');
  let vramBytes = 0;
  for (const model of models as unknown[]) {
    const vram = typeof model === 'object' && model !== null ? (model as { size_vram?: unknown }).size_vram : undefined;
    if (typeof vram === 'number' && Number.isFinite(vram) && vram > 0) vramBytes += vram;
  }
  return { loadedModels: models.length, vramBytes };
}
