/**
 * No `'use client'` (issue 13): the top-up state before any purchase, callable from a Server Component through the
 * root entry.
 */
import type { TopUpState } from '../credits-context.js';

/** The state of no top-up yet. */
export const IDLE_TOP_UP_STATE: TopUpState = Object.freeze({ status: 'idle', packageId: null, error: null });
