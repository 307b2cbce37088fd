#!/usr/bin/env node
/**
 * The shadcn registry (issue 16): `registry.json` at the repo root and the sources its items carry, generated from the
 * kit's own components, then built into static JSON by the shadcn CLI.
 *
 * Each component item carries the kit's `src/react/components/<name>.tsx` (and the sibling modules it reaches, e.g.
 * the badge's lazy tooltip), so a team owns the markup and the parts, and DEPENDS on the npm package
 * `autumn-ai-credits` for everything else (core, provider and hooks, formatting, labels, state functions). The
 * sources are the kit's files with their imports rewritten:
 *
 * - `../lib/cn.js` → `@/lib/utils` (shadcn's own `cn`, which `shadcn add` points at the app's utils alias);
 * - every other relative import that leaves `src/react/components/` → one `import { …, type … } from
 *   'autumn-ai-credits'` per file (each of those names is exported by the package root: test/package/registry.test.ts);
 * - a carried module (static, `import('./x.js')` or `typeof import('./x.js')`) → `./x`: the items install into one
 *   folder, `components/credits/`. Carried are the modules of src/react/components/ and any other module that loads
 *   one at run time (the on-demand top-up dialog of src/react/lib/: the package's copy would open the package's
 *   dialog, not the app's). A carried module that is another item's component becomes a `registryDependencies` entry
 *   (`@autumn-ai-credits/<item>`); any other is carried in this item's files (the badge's tooltip and labels).
 *
 * An item's `dependencies` are `autumn-ai-credits` plus the bare packages its files import (Radix, cva; not React).
 * Every item's `css` adds `@import "autumn-ai-credits/tailwind.css";` to the app's Tailwind CSS file (the kit's
 * tokens, which fall back to shadcn's theme variables, and the `@source` of the kit's built files).
 *
 * The generated files are committed (registry/credits/*, registry.json) so the repo is a registry as it stands;
 * test/package/registry.test.ts fails when they are stale. The `credits-provider` item's two files
 * (registry/credits-provider/) are written by hand and only listed here.
 *
 *   node scripts/build-registry.mjs            generate, then `shadcn build` into registry/r/ (npm run build:registry)
 *   node scripts/build-registry.mjs --no-build generate only
 *   node scripts/build-registry.mjs --check    exit 1 when the committed files differ from what would be generated
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The npm package the items depend on. */
export const PACKAGE = 'autumn-ai-credits';
/** The namespace an app maps to the built registry in its components.json `registries`. */
export const NAMESPACE = '@autumn-ai-credits';
/** shadcn's `cn` in every shadcn/ui app (rewritten to the app's utils alias by `shadcn add`). */
export const UTILS = '@/lib/utils';
/** Where the generated component sources go, and the built JSON. */
export const SOURCE_DIR = 'registry/credits';
export const OUTPUT_DIR = 'registry/r';
const COMPONENTS_DIR = 'src/react/components';
const CN_MODULE = 'src/react/lib/cn.ts';
/** The line every item adds to the app's Tailwind CSS file (shadcn's `css` field; `shadcn add` skips it when present). */
export const TAILWIND_IMPORT = `@import "${PACKAGE}/tailwind.css"`;
/** Installed side by side (`shadcn add` resolves `@components/` to the app's components alias). */
const TARGET_DIR = '@components/credits';

/** One item per component; `entry` is its module in src/react/components/. */
export const COMPONENT_ITEMS = [
  {
    name: 'credit-balance',
    title: 'Credit balance',
    description: 'The balance in credits, its worth in money, a meter of the plan’s allowance, the reset date and a Top up action — composed from exported parts.',
  },
  {
    name: 'credit-top-up-dialog',
    title: 'Credit top-up dialog',
    description: 'A dialog that lists the top-up packs of the credits config and buys one through Autumn checkout.',
  },
  {
    name: 'low-credit-warning',
    title: 'Low credit warning',
    description: 'A warning when the balance runs low or out, with Top up and Dismiss actions — composed from exported parts.',
  },
  {
    name: 'message-cost-badge',
    title: 'Message cost badge',
    description: 'What one chat message cost in credits, with a lazily loaded tooltip of its tokens, price and model.',
  },
  {
    name: 'credit-estimate',
    title: 'Credit estimate',
    description: 'What the next message will likely cost, and whether the balance covers it.',
  },
  {
    name: 'usage-breakdown',
    title: 'Usage breakdown',
    description: 'Where the credits went — per chat thread or feature — as an accessible bar chart.',
  },
].map((item) => ({ ...item, entry: item.name }));

/** The provider item: written by hand (registry/credits-provider/), owned by the app like the components. */
export const PROVIDER_ITEM = {
  name: 'credits-provider',
  type: 'registry:component',
  title: 'Credits provider',
  description:
    'The app’s credits config (lib/credits.ts, shared with the server) and its provider: autumn-js’s AutumnProvider around the kit’s AutumnCreditsProvider, so every credits component reads the customer’s balance.',
  dependencies: [PACKAGE, 'autumn-js'],
  files: [
    { path: 'registry/credits-provider/credits-provider.tsx', type: 'registry:component', target: `${TARGET_DIR}/credits-provider.tsx` },
    { path: 'registry/credits-provider/credits.ts', type: 'registry:lib', target: '@lib/credits.ts' },
  ],
  docs: 'Wrap your app in <AppCreditsProvider> (components/credits/credits-provider.tsx), and import `credits` from lib/credits.ts on your server too. Your server mounts autumn-js’s autumnHandler at /api/autumn/*.',
};

const posix = (path) => path.split('\\').join('/');

/** A generation error: a construct the rewrite does not handle, named with its file. */
class RegistryError extends Error {}

/** Static imports and re-exports at the start of a line: `import|export [type] <clause> from '<specifier>';`. */
const FROM_STATEMENT = /^(import|export)(\s+type)?\s+([^;'"]*?)\s+from\s+(['"])([^'"]+)\4;?[ \t]*(?:\r?\n)?/gm;
/** A bare `import 'x';` (side effects only). */
const SIDE_EFFECT_IMPORT = /^import\s+(['"])([^'"]+)\1;?/gm;
/** `import('x')` and `typeof import('x')`. */
const DYNAMIC_IMPORT = /\bimport\(\s*(['"])([^'"]+)\1\s*\)/g;

/** The module a relative specifier of `fromFile` (repo-relative) names: a repo-relative .ts/.tsx path. */
function resolveModule(fromFile, specifier) {
  const base = join(dirname(fromFile), specifier.replace(/\.js$/, ''));
  const found = ['.ts', '.tsx', '/index.ts', '/index.tsx'].map((ext) => posix(base + ext)).find((candidate) => existsSync(join(ROOT, candidate)));
  if (!found) throw new RegistryError(`${fromFile}: cannot resolve ${specifier}`);
  return found;
}

const moduleName = (module) => basename(module).replace(/\.tsx?$/, '');

/**
 * The relative modules `module` loads at run time: value imports and `import()`, not `import type`, type-only
 * specifier lists or `typeof import()`.
 */
function runtimeImports(module) {
  const source = readFileSync(join(ROOT, module), 'utf8');
  const found = [];
  for (const [, , typeKeyword, clause, , specifier] of source.matchAll(FROM_STATEMENT)) {
    if (!specifier.startsWith('.') || typeKeyword) continue;
    const named = /^\{([\s\S]*)\}$/.exec(clause.trim());
    if (named && named[1].split(',').map((part) => part.trim()).filter(Boolean).every((part) => part.startsWith('type '))) continue;
    found.push(resolveModule(module, specifier));
  }
  for (const match of source.matchAll(DYNAMIC_IMPORT)) {
    if (match[2].startsWith('.') && !/typeof\s+$/.test(source.slice(Math.max(0, match.index - 10), match.index))) found.push(resolveModule(module, match[2]));
  }
  return found;
}

const carriedMemo = new Map();
/**
 * Whether a module is carried in the items (installed into the app's components/credits/) rather than imported from
 * the package: every module of src/react/components/, and any other module that loads one at run time (such as
 * the on-demand top-up dialog in src/react/lib/) — the package's copy would render the package's components, not the
 * app's own.
 */
function isCarried(module) {
  if (posix(dirname(module)) === COMPONENTS_DIR) return true;
  if (!carriedMemo.has(module)) {
    carriedMemo.set(module, false); // an import cycle does not make a module carried
    carriedMemo.set(module, runtimeImports(module).some(isCarried));
  }
  return carriedMemo.get(module);
}

/** `{ a, type B, c as d }` → [{ name: 'a', local: 'a', type: false, text: 'a' }, ...]. */
function parseNamed(clause, file) {
  const match = /^\{([\s\S]*)\}$/.exec(clause.trim());
  if (!match) throw new RegistryError(`${file}: only named imports can move to '${PACKAGE}' (got "${clause.trim()}")`);
  return match[1]
    .split(',')
    .map((part) => part.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '').trim())
    .filter(Boolean)
    .map((part) => {
      const spec = /^(type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/.exec(part);
      if (!spec) throw new RegistryError(`${file}: cannot read the import specifier "${part}"`);
      const [, type, name, alias] = spec;
      return { name, local: alias ?? name, type: Boolean(type) };
    });
}

const specifierText = ({ name, local, type }) => `${type ? 'type ' : ''}${name}${local !== name ? ` as ${local}` : ''}`;

/** One statement for the package's names: `import { a, b, type C } from '…';`, or `import type { … }` if all are types. */
function packageImport(keyword, specifiers) {
  // One entry per local name; a name imported as a value anywhere is a value.
  const byLocal = new Map();
  for (const spec of specifiers) {
    const seen = byLocal.get(spec.local);
    if (seen && seen.name !== spec.name) throw new RegistryError(`two imports bind ${spec.local}`);
    byLocal.set(spec.local, seen ? { ...spec, type: seen.type && spec.type } : spec);
  }
  const all = [...byLocal.values()];
  const allTypes = all.every((spec) => spec.type);
  const sorted = [...all.filter((spec) => !spec.type), ...all.filter((spec) => spec.type)].sort(
    (a, b) => Number(a.type) - Number(b.type) || a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.name.localeCompare(b.name),
  );
  const names = sorted.map((spec) => specifierText(allTypes ? { ...spec, type: false } : spec));
  const head = `${keyword}${allTypes ? ' type' : ''}`;
  const oneLine = `${head} { ${names.join(', ')} } from '${PACKAGE}';`;
  if (oneLine.length <= 120) return `${oneLine}\n`;
  return `${head} {\n${names.map((name) => `  ${name},\n`).join('')}} from '${PACKAGE}';\n`;
}

/** `// comment` lines directly above `index` (no blank line between): where they start. */
function attachedCommentStart(source, index) {
  let start = index;
  for (;;) {
    const lineStart = source.lastIndexOf('\n', start - 2) + 1;
    if (start === 0 || !/^\s*\/\/[^\n]*\n$/.test(source.slice(lineStart, start))) return start;
    start = lineStart;
  }
}

/**
 * The registry source of one component module: imports rewritten as the header says. Returns the text, the sibling
 * modules it imports (repo-relative) and the bare packages.
 */
export function rewriteModule(file, source) {
  const siblings = new Set();
  const packages = new Set();
  const edits = []; // { start, end, text }
  const toPackage = [];
  let firstPackageImport = null;

  for (const match of source.matchAll(FROM_STATEMENT)) {
    const [statement, keyword, typeKeyword, clause, quote, specifier] = match;
    const start = match.index;
    const end = start + statement.length;
    const newline = statement.endsWith('\n') ? '\n' : '';
    if (!specifier.startsWith('.')) {
      packages.add(packageName(specifier));
      continue;
    }
    const module = resolveModule(file, specifier);
    if (isCarried(module)) {
      siblings.add(module);
      edits.push({ start, end, text: statement.replace(`${quote}${specifier}${quote}`, `${quote}./${moduleName(module)}${quote}`) });
      continue;
    }
    if (module === CN_MODULE) {
      const names = parseNamed(clause, file);
      if (keyword !== 'import' || names.some((spec) => spec.name !== 'cn' || spec.type)) throw new RegistryError(`${file}: only \`import { cn }\` can come from ${CN_MODULE}`);
      edits.push({ start, end, text: `import { ${names.map(specifierText).join(', ')} } from '${UTILS}';${newline}` });
      continue;
    }
    // Everything else comes from the package root: a re-export in place, imports merged into one statement.
    const names = parseNamed(clause, file).map((spec) => ({ ...spec, type: spec.type || Boolean(typeKeyword) }));
    if (keyword === 'export') {
      edits.push({ start, end, text: packageImport('export', names) });
      continue;
    }
    toPackage.push(...names);
    if (firstPackageImport === null) firstPackageImport = { start, end };
    else edits.push({ start: attachedCommentStart(source, start), end, text: '' });
  }
  if (toPackage.length > 0) edits.push({ ...firstPackageImport, text: packageImport('import', toPackage) });

  for (const match of source.matchAll(SIDE_EFFECT_IMPORT)) {
    const specifier = match[2];
    if (specifier.startsWith('.')) throw new RegistryError(`${file}: a side-effect import of ${specifier} cannot be carried`);
    packages.add(packageName(specifier));
  }
  for (const match of source.matchAll(DYNAMIC_IMPORT)) {
    const [text, quote, specifier] = match;
    if (!specifier.startsWith('.')) {
      packages.add(packageName(specifier));
      continue;
    }
    const module = resolveModule(file, specifier);
    if (!isCarried(module)) throw new RegistryError(`${file}: import(${specifier}) loads a module of the package; only carried modules can be loaded lazily`);
    siblings.add(module);
    edits.push({ start: match.index, end: match.index + text.length, text: `import(${quote}./${moduleName(module)}${quote})` });
  }

  let output = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) output = output.slice(0, edit.start) + edit.text + output.slice(edit.end);
  const leftover = /(?:from\s+|import\(\s*|^import\s+)(['"])\.\.\//m.exec(output);
  if (leftover) throw new RegistryError(`${file}: a relative import is left after the rewrite: ${output.slice(leftover.index, leftover.index + 80)}`);
  return { text: output, siblings: [...siblings], packages: [...packages].filter((name) => !/^react(-dom)?$/.test(name)) };
}

/** `@radix-ui/react-dialog/x` → `@radix-ui/react-dialog`, `react/jsx-runtime` → `react`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Everything the registry holds, generated in memory: the sources (repo-relative path → text) and registry.json.
 */
export function generateRegistry() {
  const entries = new Map(COMPONENT_ITEMS.map((item) => [`${COMPONENTS_DIR}/${item.entry}.tsx`, item]));
  for (const module of entries.keys()) if (!existsSync(join(ROOT, module))) throw new RegistryError(`${module} does not exist (COMPONENT_ITEMS in scripts/build-registry.mjs)`);
  const rewritten = new Map();
  const rewrite = (module) => {
    if (!rewritten.has(module)) rewritten.set(module, rewriteModule(module, readFileSync(join(ROOT, module), 'utf8')));
    return rewritten.get(module);
  };

  const sources = new Map();
  const origins = new Map(); // generated path → the module it comes from
  const items = COMPONENT_ITEMS.map((item) => {
    const entry = `${COMPONENTS_DIR}/${item.entry}.tsx`;
    const files = [];
    const packages = new Set([PACKAGE]);
    const registryDependencies = new Set();
    // The entry and every sibling it reaches that is no other item's entry.
    const queue = [entry];
    const seen = new Set(queue);
    while (queue.length > 0) {
      const module = queue.shift();
      const { text, siblings, packages: bare } = rewrite(module);
      const path = `${SOURCE_DIR}/${basename(module)}`;
      if ((origins.get(path) ?? module) !== module) throw new RegistryError(`${module} and ${origins.get(path)} would both install as ${basename(module)}`);
      origins.set(path, module);
      sources.set(path, text);
      files.push({ path, type: 'registry:component', target: `${TARGET_DIR}/${basename(module)}` });
      for (const name of bare) packages.add(name);
      for (const sibling of siblings.sort()) {
        const other = entries.get(sibling);
        if (other && other !== item) registryDependencies.add(`${NAMESPACE}/${other.name}`);
        else if (!seen.has(sibling)) {
          seen.add(sibling);
          queue.push(sibling);
        }
      }
    }
    return {
      name: item.name,
      type: 'registry:component',
      title: item.title,
      description: item.description,
      dependencies: [PACKAGE, ...[...packages].filter((name) => name !== PACKAGE).sort()],
      ...(registryDependencies.size > 0 ? { registryDependencies: [...registryDependencies].sort() } : {}),
      files,
      css: { [TAILWIND_IMPORT]: {} },
    };
  });
  const registry = {
    $schema: 'https://ui.shadcn.com/schema/registry.json',
    name: PACKAGE,
    homepage: `https://www.npmjs.com/package/${PACKAGE}`,
    items: [{ ...PROVIDER_ITEM, css: { [TAILWIND_IMPORT]: {} } }, ...items],
  };
  return { sources, registry, registryJson: `${JSON.stringify(registry, null, 2)}\n` };
}

/** Committed files that differ from a fresh generation (or are missing, or are left over in SOURCE_DIR). */
export function staleFiles(generated = generateRegistry()) {
  const stale = [];
  for (const [path, text] of generated.sources) {
    const file = join(ROOT, path);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(path);
  }
  const dir = join(ROOT, SOURCE_DIR);
  for (const name of existsSync(dir) ? readdirSync(dir) : []) if (!generated.sources.has(`${SOURCE_DIR}/${name}`)) stale.push(`${SOURCE_DIR}/${name} (no longer generated)`);
  const registryFile = join(ROOT, 'registry.json');
  if (!existsSync(registryFile) || readFileSync(registryFile, 'utf8') !== generated.registryJson) stale.push('registry.json');
  return stale;
}

function write(generated) {
  const dir = join(ROOT, SOURCE_DIR);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of generated.sources) writeFileSync(join(ROOT, path), text);
  writeFileSync(join(ROOT, 'registry.json'), generated.registryJson);
}

/** `shadcn build registry.json -o <outDir>`: one `<item>.json` per item (with the files' contents) and registry.json. */
export function buildRegistryJson(outDir = join(ROOT, OUTPUT_DIR)) {
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(process.execPath, [join(ROOT, 'node_modules/shadcn/dist/index.js'), 'build', 'registry.json', '--output', relative(ROOT, outDir) || '.'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const generated = generateRegistry();
    if (process.argv.includes('--check')) {
      const stale = staleFiles(generated);
      if (stale.length > 0) {
        console.error(`build-registry: stale, run \`npm run build:registry\`:\n  ${stale.join('\n  ')}`);
        process.exitCode = 1;
      } else console.log(`build-registry: registry.json and ${generated.sources.size} sources are up to date`);
    } else {
      write(generated);
      console.log(`build-registry: wrote registry.json (${generated.registry.items.length} items) and ${generated.sources.size} sources in ${SOURCE_DIR}/`);
      if (!process.argv.includes('--no-build')) {
        const out = buildRegistryJson();
        console.log(`build-registry: shadcn build → ${relative(ROOT, out)}/ (${readdirSync(out).length} files)`);
      }
    }
  } catch (error) {
    console.error(`build-registry: ${error instanceof RegistryError ? error.message : error instanceof Error ? (error.stderr ?? '') + error.stack : String(error)}`);
    process.exitCode = 1;
  }
}
