/**
 * The server entry must stay free of React and the DOM: it runs in Node, edge functions and Convex actions. Builds
 * `src/server.ts` in memory with the library's own build config and reads what the emitted `server.js` imports
 * and which modules went into it.
 */
import { build, type Rollup } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { libraryBuildConfig } from '../../vite.lib.config.js';

let chunks: Rollup.OutputChunk[] = [];

beforeAll(async () => {
  const config = libraryBuildConfig({ entries: { server: 'src/server.ts' }, quiet: true });
  const output = await build({ ...config, configFile: false, build: { ...config.build, write: false } });
  const results = (Array.isArray(output) ? output : [output]) as Rollup.RollupOutput[];
  chunks = results.flatMap((result) => result.output.filter((item): item is Rollup.OutputChunk => item.type === 'chunk'));
}, 60_000);

function importsOf(chunk: Rollup.OutputChunk): string[] {
  return [...chunk.imports, ...chunk.dynamicImports];
}

describe('the server entry (autumn-ai-credits/server)', () => {
  it('is built into dist/server.js', () => {
    expect(chunks.map((chunk) => chunk.fileName)).toContain('server.js');
  });

  it('imports no React, React DOM or Radix', () => {
    // Imports of the build's own files (one per module: "core/money.js") are internal; the rest are packages.
    const own = new Set(chunks.map((chunk) => chunk.fileName));
    const bare = chunks.flatMap(importsOf).filter((id) => !own.has(id));
    expect(bare.filter((id) => /^(react|react-dom|@radix-ui)(\/|$)/.test(id))).toEqual([]);
  });

  it('bundles nothing from src/react or src/testing', () => {
    const modules = chunks.flatMap((chunk) => chunk.moduleIds).map((id) => id.replaceAll('\\', '/'));
    expect(modules.filter((id) => /\/src\/(react|testing)\//.test(id))).toEqual([]);
    expect(modules.length).toBeGreaterThan(0);
  });

  it('carries no "use client" directive', () => {
    for (const chunk of chunks) expect(chunk.code).not.toMatch(/^\s*['"]use client['"]/);
  });
});
