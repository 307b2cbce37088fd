'use client';
/**
 * What the spend-control forms (`AutoTopUpSettings`, `SpendLimits`) share: loading an org's controls, the draft
 * with its validation and save, the switch, and the look of a field. Not public API on its own; each form exports its
 * parts.
 *
 * Validation is the core's (`checkBillingControls`, src/core/billing-controls.ts): the same checks the server helper
 * runs before it sends anything to Autumn, so a field is refused next to itself BEFORE a save is attempted, and a
 * save the server still refuses (`BillingControlsError`, e.g. a member's usage moved on) shows its issues the same way.
 */
import * as React from 'react';
import type { BillingControlsInput, BillingControlsIssue } from '../../core/billing-controls.js';
import { cn } from '../lib/cn.js';
import { composeEventHandlers } from '../lib/compose-event-handlers.js';
import { useControllableState } from '../lib/use-controllable-state.js';
import { useOptionalCredits } from '../credits-context.js';
import { readBillingControlsIssues, type BillingControlsData, type BillingControlsSaveStatus } from '../shared/billing-controls-form.js';

/** The issue's text under a field, named as the field's description; nothing without one. */
export function FieldIssue({ id, children }: { id: string; children: React.ReactNode }) {
  if (!children) return null;
  return (
    <p id={id} data-slot="billing-controls-issue" className="text-xs font-medium text-credits-destructive">
      {children}
    </p>
  );
}

export type SettingsSwitchProps = Omit<React.ComponentProps<'button'>, 'role' | 'value' | 'onChange'> & {
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
};

/**
 * An on/off switch (WAI-ARIA `switch`): a `<button>`, so Space and Enter toggle it; `data-state` is
 * `checked｜unchecked`. Name it with `aria-labelledby` or `aria-label`.
 */
export function SettingsSwitch({ checked, onCheckedChange, className, onClick, ...props }: SettingsSwitchProps) {
  const state = checked ? 'checked' : 'unchecked';
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      data-state={state}
      className={cn(
        'inline-flex h-5 w-9 shrink-0 items-center rounded-full p-0.5 transition-colors outline-none',
        'focus-visible:ring-2 focus-visible:ring-credits-ring focus-visible:ring-offset-1 focus-visible:ring-offset-credits-background',
        // Off: the track's edge at 3:1 against the card (WCAG 1.4.11), as the balance's meter.
        'bg-credits-foreground/10 ring-1 ring-credits-muted-foreground/75 ring-inset data-[state=checked]:bg-credits-primary data-[state=checked]:ring-0',
        'disabled:cursor-not-allowed disabled:opacity-50',
        className,
      )}
      onClick={composeEventHandlers(onClick, () => onCheckedChange(!checked))}
      {...props}
    >
      <span
        aria-hidden="true"
        data-state={state}
        className="block size-4 rounded-full bg-credits-background shadow-sm transition-transform data-[state=checked]:translate-x-4"
      />
    </button>
  );
}

export interface LoadedState<T> {
  readonly status: 'loading' | 'ready' | 'error';
  readonly data: T | null;
  readonly error: unknown;
  readonly retry: () => void;
}

/**
 * Calls `load()` on mount, on `retry()` and when `loadKey` changes; a newer call's answer wins (as UsageBreakdown).
 * `onData` runs with each answer in the same update as the state, so nothing renders the answer half applied.
 * Without `load`, status `ready` and no data.
 */
export function useLoaded<T>(load: (() => Promise<T> | T) | undefined, loadKey: unknown, onData?: (data: T) => void): LoadedState<T> {
  const [state, setState] = React.useState<Omit<LoadedState<T>, 'retry'>>({ status: load ? 'loading' : 'ready', data: null, error: null });
  const [attempt, setAttempt] = React.useState(0);
  const latest = React.useRef({ load, onData });
  React.useEffect(() => {
    latest.current = { load, onData };
  });
  const hasLoad = load !== undefined;
  React.useEffect(() => {
    if (!hasLoad) return;
    let current = true;
    setState((previous) => ({ ...previous, status: 'loading', error: null }));
    Promise.resolve()
      .then(() => latest.current.load?.())
      .then(
        (data) => {
          if (!current) return;
          if (data !== undefined && data !== null) latest.current.onData?.(data);
          setState({ status: 'ready', data: data ?? null, error: null });
        },
        (error: unknown) => {
          if (current) setState((previous) => ({ ...previous, status: 'error', error: error ?? new Error('load failed') }));
        },
      );
    return () => {
      current = false;
    };
  }, [hasLoad, loadKey, attempt]);
  const retry = React.useCallback(() => setAttempt((value) => value + 1), []);
  return { ...state, retry };
}

/** What a form checks its draft into: every issue, and the controls to send when there is none. */
export interface CheckedDraft {
  readonly issues: readonly BillingControlsIssue[];
  readonly controls: BillingControlsInput;
}

export interface BillingControlsFormOptions<V> {
  readonly value: V | undefined;
  readonly defaultValue: V;
  readonly onValueChange: ((value: V) => void) | undefined;
  readonly check: (value: V) => CheckedDraft;
  readonly onSave: ((controls: BillingControlsInput) => unknown) | undefined;
  /** The save's status from outside (a story, your own save); default the form's own. */
  readonly saveStatus: BillingControlsSaveStatus | undefined;
  readonly saveError: unknown;
}

export interface BillingControlsForm<V> {
  readonly value: V;
  /** A new draft: the last save's outcome (unless one is running) and the issues the server named are cleared. */
  readonly setValue: (value: V) => void;
  /** The field was visited: its issue shows from now on. */
  readonly touch: (field: string) => void;
  /** The issue shown next to `field`: one the server named, else the draft's once the field was visited or a save tried. */
  readonly issueOf: (field: string) => BillingControlsIssue | undefined;
  /** How many issues are shown. */
  readonly shown: number;
  /** A save was tried since the last one that succeeded: every issue shows. */
  readonly attempted: boolean;
  readonly status: BillingControlsSaveStatus;
  readonly error: unknown;
  /** Checks the draft: with no issue it calls `onSave`; else every issue shows and the first invalid field takes focus. */
  readonly submit: () => void;
  readonly formRef: React.RefObject<HTMLFormElement | null>;
}

interface SaveState {
  readonly status: BillingControlsSaveStatus;
  readonly error: unknown;
  /** Issues the server named in its refusal. */
  readonly issues: readonly BillingControlsIssue[];
}

const IDLE: SaveState = { status: 'idle', error: null, issues: [] };

/** The draft, its shown issues and its save, for a spend-control form. */
export function useBillingControlsForm<V>(options: BillingControlsFormOptions<V>): BillingControlsForm<V> {
  const [value, setDraft] = useControllableState({ prop: options.value, defaultProp: options.defaultValue, onChange: options.onValueChange });
  const [touched, setTouched] = React.useState<ReadonlySet<string>>(() => new Set());
  const [submitted, setSubmitted] = React.useState(false);
  const [save, setSave] = React.useState<SaveState>(IDLE);
  const [focusRequest, setFocusRequest] = React.useState(0);
  const attempt = React.useRef(0);
  const formRef = React.useRef<HTMLFormElement | null>(null);
  const { issues, controls } = options.check(value);
  const status = options.saveStatus ?? save.status;

  React.useEffect(() => {
    if (focusRequest > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequest]);

  const issueOf = (field: string): BillingControlsIssue | undefined =>
    save.issues.find((issue) => issue.field === field) ?? (submitted || touched.has(field) ? issues.find((issue) => issue.field === field) : undefined);
  const fields = new Set([...save.issues, ...issues].map((issue) => issue.field));
  const shown = [...fields].filter((field) => issueOf(field) !== undefined).length;

  const onSave = options.onSave;
  const submit = () => {
    setSubmitted(true);
    if (issues.length > 0) {
      setFocusRequest((count) => count + 1);
      return;
    }
    if (status === 'pending') return;
    const id = ++attempt.current;
    setSave({ status: 'pending', error: null, issues: [] });
    Promise.resolve()
      .then(() => onSave?.(controls))
      .then(
        () => {
          if (attempt.current !== id) return;
          setSave({ status: 'saved', error: null, issues: [] });
          setSubmitted(false);
          setTouched(new Set());
        },
        (error: unknown) => {
          if (attempt.current !== id) return;
          const named = readBillingControlsIssues(error);
          setSave({ status: 'failed', error: error ?? new Error('save failed'), issues: named });
          if (named.length > 0) setFocusRequest((count) => count + 1);
        },
      );
  };

  return {
    value,
    setValue: (next) => {
      setDraft(next);
      setSave((previous) => (previous.status === 'pending' ? previous : IDLE));
    },
    touch: (field) => {
      if (!touched.has(field)) setTouched(new Set(touched).add(field));
    },
    issueOf,
    shown,
    attempted: submitted,
    status,
    error: options.saveStatus === undefined ? save.error : options.saveError,
    submit,
    formRef,
  };
}

/** What a connected form takes to load and save an org's controls through the app's own route. */
export interface ConnectedControlsOptions<V> {
  /** Fetches the org's controls: your route answering with `billingControls.get({ customerId })`. */
  readonly load: (() => Promise<BillingControlsData> | BillingControlsData) | undefined;
  readonly loadKey: unknown;
  /** Saves: your route calling `billingControls.set({ customerId, controls })`; its answer (the same shape) is shown. */
  readonly save: ((controls: BillingControlsInput) => unknown) | undefined;
  readonly value: V | undefined;
  readonly defaultValue: V | undefined;
  readonly onValueChange: ((value: V) => void) | undefined;
  /** The form's value in what was loaded or saved. */
  readonly pick: (data: BillingControlsData) => V;
  readonly empty: V;
}

/**
 * The connected forms' loading and saving: the draft (controlled by the app or held here) is replaced by what
 * `load()` answers, and by what `save()` answers when that is the controls (the server's normalized values); the
 * provider's balance is refreshed after a save (turning an auto top-up on can buy at once, triggerAutoTopUpsOnEnabled.ts).
 */
export function useConnectedControls<V>(options: ConnectedControlsOptions<V>) {
  const [snapshot, setSnapshot] = React.useState<BillingControlsData | null>(null);
  const [draft, setDraft] = useControllableState({ prop: options.value, defaultProp: options.defaultValue ?? options.empty, onChange: options.onValueChange });
  // The loaded or saved controls replace the draft in the same update that shows them.
  const show = (data: BillingControlsData) => {
    setSnapshot(data);
    setDraft(options.pick(data));
  };
  const loaded = useLoaded(options.load, options.loadKey, show);
  const credits = useOptionalCredits();
  const save = options.save;
  const onSave = async (controls: BillingControlsInput) => {
    const answer = await save?.(controls);
    if (isControlsData(answer)) show(answer);
    void credits?.refresh().catch(() => {});
  };
  return { loaded, snapshot, draft, setDraft, onSave };
}

function isControlsData(value: unknown): value is BillingControlsData {
  return typeof value === 'object' && value !== null && typeof (value as BillingControlsData).controls === 'object' && (value as BillingControlsData).controls !== null;
}
