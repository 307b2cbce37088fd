import '@testing-library/jest-dom/vitest';
import './fail-on-console-error.js';

// jsdom lacks ResizeObserver, which Radix Tooltip/Popper needs.
class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;

