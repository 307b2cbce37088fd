/**
 * The AI SDK's own mock models (`ai/test`) behind the model ids the app uses. The app names models by AI Gateway id
 * (`'openai/gpt-5-mini'`); the AI SDK resolves such strings through `globalThis.AI_SDK_DEFAULT_PROVIDER` (the gateway
 * when unset), so the tests install a MockProviderV4 there and the app code runs unchanged.
 *
 * Each scripted step answers like the gateway does: usage, and `providerMetadata.gateway.cost` in USD as a decimal
 * string — what the usageHandler bills.
 */
import type { LanguageModelV4GenerateResult } from '@ai-sdk/provider';
import { MockEmbeddingModelV4, MockLanguageModelV4, MockProviderV4 } from 'ai/test';

/** One model step: text or a tool call, its tokens and the gateway's cost (omit for a step without metadata). */
export type ScriptedStep =
  | { text: string; cost?: string; input?: number; output?: number }
  | { tool: string; input: unknown; cost?: string; inputTokens?: number; output?: number };

let script: ScriptedStep[] = [];
/** When set, each generation waits until this many have started (so concurrent turns are all past their pre-flight). */
let barrier: { size: number; arrived: number; open: Promise<void>; release: () => void } | null = null;

async function waitAtBarrier(): Promise<void> {
  if (!barrier) return;
  barrier.arrived += 1;
  if (barrier.arrived >= barrier.size) barrier.release();
  await barrier.open;
}

function answer(step: ScriptedStep | undefined): LanguageModelV4GenerateResult {
  if (!step) throw new Error('the mock model has no step scripted for this call');
  const inputTokens = 'text' in step ? (step.input ?? 120) : (step.inputTokens ?? 120);
  const outputTokens = step.output ?? 40;
  return {
    content:
      'text' in step
        ? [{ type: 'text', text: step.text }]
        : [{ type: 'tool-call', toolCallId: `call_${Math.random().toString(36).slice(2)}`, toolName: step.tool, input: JSON.stringify(step.input) }],
    finishReason: { unified: 'text' in step ? 'stop' : 'tool-calls', raw: undefined },
    usage: {
      inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
      outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
    },
    ...(step.cost === undefined ? {} : { providerMetadata: { gateway: { cost: step.cost } } }),
    warnings: [],
  };
}

/** `openai/gpt-5-mini` through the gateway. */
export const chatModel = new MockLanguageModelV4({
  provider: 'gateway',
  modelId: 'openai/gpt-5-mini',
  doGenerate: async () => {
    await waitAtBarrier();
    return answer(script.shift());
  },
});

/** Tokens each embedding call reports (the gateway reports no cost for embeddings). */
export const EMBEDDING_TOKENS = 250;
const DIMENSIONS = 1536;

function embeddingModel(modelId: string): MockEmbeddingModelV4 {
  return new MockEmbeddingModelV4({
    provider: 'gateway',
    modelId,
    doEmbed: async ({ values }) => ({
      embeddings: values.map(() => Array.from({ length: DIMENSIONS }, (_, i) => (i === 0 ? 1 : 0))),
      usage: { tokens: EMBEDDING_TOKENS },
      warnings: [],
    }),
  });
}

/** A model the kit has token rates for, and one it does not. */
export const embeddingModels = {
  'openai/text-embedding-3-small': embeddingModel('openai/text-embedding-3-small'),
  'acme/embed-1': embeddingModel('acme/embed-1'),
};

/** Makes the next generations answer these steps, in order; resets the call log. */
export function scriptSteps(...steps: ScriptedStep[]): void {
  script = [...steps];
  barrier = null;
  chatModel.doGenerateCalls.length = 0;
  for (const model of Object.values(embeddingModels)) model.doEmbedCalls.length = 0;
}

/** The next `size` generations start together: none answers before all have been called. */
export function holdGenerationsUntil(size: number): void {
  let release = () => {};
  const open = new Promise<void>((resolve) => (release = resolve));
  barrier = { size, arrived: 0, open, release };
}

export function installModels(): void {
  (globalThis as { AI_SDK_DEFAULT_PROVIDER?: unknown }).AI_SDK_DEFAULT_PROVIDER = new MockProviderV4({
    languageModels: { 'openai/gpt-5-mini': chatModel },
    embeddingModels,
  });
}
