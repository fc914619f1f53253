// A small built-in chat workload used when no prompt is given.
export const BUILTIN_PROMPTS: readonly { id: string; text: string }[] = [
  { id: 'factual-capital', text: 'What is the capital of Australia? Answer in one sentence.' },
  { id: 'support-refund', text: 'A customer says their order arrived damaged and wants a refund. Write a short, polite reply.' },
  { id: 'code-review', text: 'Review this Python function and suggest one improvement:\n\ndef avg(xs):\n    return sum(xs) / len(xs)' },
  { id: 'explain-kv-cache', text: 'Explain what a KV cache is in transformer inference, for a backend engineer, in three short paragraphs.' },
  { id: 'creative-haiku', text: 'Write a haiku about a data centre at night.' },
  { id: 'business-pricing', text: 'List three risks of moving from per-seat to usage-based pricing for a SaaS product.' },
  { id: 'summarise-notes', text: 'Summarise in two bullet points: the team shipped the new scheduler, latency dropped 30%, but memory use rose 10% and needs watching.' },
  { id: 'reasoning-trains', text: 'A train leaves at 9:00 going 80 km/h; another leaves the same station at 10:00 going 120 km/h on the same track. When does the second catch up? Show the steps.' },
];
