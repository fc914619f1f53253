#!/usr/bin/env node
// Launcher: servebench is TypeScript run by Node's type stripping. Under an older
// Node that cannot strip types, say so plainly instead of failing on the first `.ts`.
const [major, minor] = process.versions.node.split('.').map(Number);
if (!process.features.typescript && !(major > 22 || (major === 22 && minor >= 18))) {
  process.stderr.write(
    `servebench: this Node (${process.version}) cannot run TypeScript directly.\n` +
      '  hint: run it through npm (`npx servebench …` or `npm run servebench -- …`), which uses the Node 24 the project pins, or install Node >= 22.18.\n',
  );
  process.exit(2);
}
await import('./cli.ts').then((cli) => cli.run());
