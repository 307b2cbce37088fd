/** jsdom lacks ResizeObserver, which Radix (the kit's dialogs and tooltip) needs. */
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;
afterEach(() => cleanup());
