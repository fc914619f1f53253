// MDX plugins (Sätteri's, Astro 7's MDX pipeline) that keep a run's notes.mdx to prose and the
// four servebench components. MDX is JavaScript: an `import`, an `export` or a `{expression}` would run in the site build, and
// notes arrive with runs (a pull request can add one), so none is allowed, nor any other JSX
// element (raw HTML, a <script>), nor a prop that is not a plain string, nor an image (images
// would be fetched from elsewhere; <Chart> shows the run's own), nor a link that is not http(s),
// mailto or relative. A note breaking a rule stops the build naming the file, line and rule.
// Node runs this file from astro.config.mjs as it is (type stripping), so it imports nothing.

/** The components a note may use, with the props each takes. */
export const NOTES_COMPONENTS: Record<string, readonly string[]> = {
  Metric: ['engine', 'phase', 'metric', 'stat'],
  Delta: ['a', 'b', 'phase', 'phaseA', 'phaseB', 'metric', 'stat'],
  Verdict: ['engine', 'phase', 'objective'],
  Chart: ['name'],
};

interface Node {
  type: string;
  name?: string | null;
  url?: string;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: Node[];
  position?: { start: { line: number; column: number } };
}

const SAFE_URL = /^(?:https?:|mailto:|#|\/(?!\/)|\.{1,2}\/|[^:/?#]+(?:[/?#]|$))/i;

/** The first rule a node breaks, or null. */
export function notesProblem(node: Node): string | null {
  switch (node.type) {
    case 'mdxjsEsm':
      return 'import and export are not allowed in notes: they would run code in the site build';
    case 'mdxFlowExpression':
    case 'mdxTextExpression':
      return '{…} expressions are not allowed in notes: they would run code in the site build (write { as \\{)';
    case 'image':
    case 'imageReference':
      return 'images are not allowed in notes; <Chart name="…"/> shows one of the run\'s charts';
    case 'html':
      return 'raw HTML is not allowed in notes';
    case 'link':
    case 'definition':
      return node.url !== undefined && !SAFE_URL.test(node.url.trim()) ? `the link "${node.url}" is not http(s), mailto or relative` : null;
    case 'mdxJsxFlowElement':
    case 'mdxJsxTextElement': {
      const name = node.name ?? '';
      const allowed = NOTES_COMPONENTS[name];
      if (allowed === undefined) return `<${name || '>'}${name ? '>' : ''} is not allowed in notes: only ${Object.keys(NOTES_COMPONENTS).map((c) => `<${c}>`).join(', ')}`;
      for (const attribute of node.attributes ?? []) {
        if (attribute.type !== 'mdxJsxAttribute') return `<${name}> takes plain props only, not {...spread}`;
        if (!allowed.includes(attribute.name ?? '')) return `<${name}> has no prop "${attribute.name}" (it takes ${allowed.join(', ')})`;
        if (typeof attribute.value !== 'string') return `<${name} ${attribute.name}=…> must be a quoted string, e.g. ${attribute.name}="…"`;
      }
      if ((node.children ?? []).length > 0) return `<${name}> takes no children: write it as <${name} … />`;
      return null;
    }
    default:
      return null;
  }
}

/** Every problem in a tree, with its line and column. */
export function notesProblems(tree: Node): { line: number; column: number; problem: string }[] {
  const found: { line: number; column: number; problem: string }[] = [];
  const walk = (node: Node): void => {
    const problem = notesProblem(node);
    if (problem !== null) found.push({ line: node.position?.start.line ?? 0, column: node.position?.start.column ?? 0, problem });
    for (const child of node.children ?? []) walk(child);
  };
  walk(tree);
  return found;
}

interface Context {
  fileURL?: URL | undefined;
  setProperty(node: object, key: string, value: unknown): void;
}

/** Node types the guard looks at: everything notesProblem judges. */
const GUARDED = ['mdxjsEsm', 'mdxFlowExpression', 'mdxTextExpression', 'image', 'imageReference', 'html', 'link', 'definition', 'mdxJsxFlowElement', 'mdxJsxTextElement'] as const;

/**
 * The guard as a Sätteri mdast plugin factory (called once per compile, so problems are per
 * file): every node type it judges is visited, problems are collected with their positions, and
 * the compile stops after the walk, naming the file and every problem, before any of the note's
 * code could run.
 */
export function notesGuardPlugin() {
  const found: { line: number; column: number; problem: string }[] = [];
  const visit = (node: Node): void => {
    const problem = notesProblem(node);
    if (problem !== null) found.push({ line: node.position?.start.line ?? 0, column: node.position?.start.column ?? 0, problem });
  };
  return {
    name: 'servebench-notes-guard',
    options: { position: true },
    before: () => void (found.length = 0),
    ...Object.fromEntries(GUARDED.map((type) => [type, visit])),
    after: (_root: unknown, context: Context): void => {
      if (found.length === 0) return;
      const where = context.fileURL ? decodeURIComponent(context.fileURL.pathname) : 'notes.mdx';
      const list = found.map((p) => `  ${where}:${p.line}:${p.column}: ${p.problem}`).join('\n');
      throw new Error(`${where} is not allowed as it is (notes hold prose and <Metric>, <Delta>, <Verdict>, <Chart>):\n${list}`);
    },
  };
}

/**
 * Notes sit under the executive page's "Notes" heading (an h2): their own headings start two
 * levels down, so `# Why` reads as an h3 and the page's outline holds.
 */
export function notesHeadingsPlugin() {
  return {
    name: 'servebench-notes-headings',
    heading: (node: { depth: number }, context: Context): void => context.setProperty(node, 'depth', Math.min(6, node.depth + 2)),
  };
}
