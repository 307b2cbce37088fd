/** Types of scripts/build-registry.mjs for test/package/registry.test.ts. */
export const ROOT: string;
export const PACKAGE: string;
export const NAMESPACE: string;
export const UTILS: string;
export const SOURCE_DIR: string;
export const OUTPUT_DIR: string;
export const TAILWIND_IMPORT: string;

export interface RegistryFile {
  path: string;
  type: string;
  target?: string;
}
export interface RegistryItem {
  name: string;
  type: string;
  title: string;
  description: string;
  dependencies: string[];
  registryDependencies?: string[];
  files: RegistryFile[];
  css: Record<string, Record<string, never>>;
  docs?: string;
}
export interface Registry {
  $schema: string;
  name: string;
  homepage: string;
  items: RegistryItem[];
}
export interface GeneratedRegistry {
  /** Repo-relative path → text of each generated source. */
  sources: Map<string, string>;
  registry: Registry;
  registryJson: string;
}

export const COMPONENT_ITEMS: ReadonlyArray<{ name: string; title: string; description: string; entry: string }>;
export const PROVIDER_ITEM: RegistryItem;
export function rewriteModule(file: string, source: string): { text: string; siblings: string[]; packages: string[] };
export function generateRegistry(): GeneratedRegistry;
export function staleFiles(generated?: GeneratedRegistry): string[];
export function buildRegistryJson(outDir?: string): string;
