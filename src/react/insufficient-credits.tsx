'use client';
/**
 * From the server's 402 "insufficient credits" refusal to a top-up: `useInsufficientCreditsPrompt()` gives a
 * `show(errorOrBody)` to call from an error handler and the dialog element to render; `<InsufficientCreditsPrompt
 * error={...}>` does the same declaratively. The dialog says "This message needs 1,200 credits; you have 300." above
 * the top-up packages, and the balance is refreshed (the server knew better than the optimistic one).
 *
 * When a usage CAP refused the call (the 402 body's `reason.limit` is `member_cap` or `usage_cap`, issue 17), buying
 * credits would not help: the dialog says which cap ("You reached your daily cap of 500 credits; your organization
 * still has 12,000.") and offers no packages, only Close.
 */
import * as React from 'react';
import { useCredits } from './credits-context.js';
import {
  CreditTopUpDialog,
  CreditTopUpDialogClose,
  CreditTopUpDialogContent,
  CreditTopUpDialogDescription,
  CreditTopUpDialogFooter,
  CreditTopUpDialogHeader,
  CreditTopUpDialogMessage,
  CreditTopUpDialogTitle,
  type CreditTopUpDialogProps,
} from './components/credit-top-up-dialog.js';
import { useCreditsFormat } from './lib/credits-format.js';
import {
  DEFAULT_CAP_REACHED_LABELS,
  DEFAULT_INSUFFICIENT_CREDITS_MESSAGE,
  type CapReachedLabels,
  parseInsufficientCredits,
  type InsufficientCredits,
  type InsufficientCreditsMessage,
} from './lib/insufficient-credits.js';

/** Shown for a number the server did not send readably (never NaN). */
const UNKNOWN_AMOUNT = '—';

export type InsufficientCreditsPromptOptions = Omit<CreditTopUpDialogProps, 'open' | 'defaultOpen' | 'onOpenChange' | 'message' | 'children'> & {
  /**
   * Replaces the default message: "This message needs N credits; you have M.", or, with the refusal's `reason`, the
   * cap or spend limit that refused it.
   */
  formatMessage?: InsufficientCreditsMessage | undefined;
  /** Title and description of the dialog when a usage cap (the member's or the org's) refused the call. */
  capLabels?: Partial<CapReachedLabels> | undefined;
  /** Called when the prompt closes. */
  onClose?: (() => void) | undefined;
};

export interface InsufficientCreditsPromptController {
  /** Opens the prompt when `errorOrBody` is an insufficient-credits refusal; returns whether it was one. */
  show(errorOrBody: unknown): boolean;
  close(): void;
  /** The refusal being shown, or null. */
  readonly details: InsufficientCredits | null;
  /** Render this once (a `CreditTopUpDialog`, open while `details` is set). */
  readonly prompt: React.ReactElement;
}

/** The prompt as a hook: `const { show, prompt } = useInsufficientCreditsPrompt()`; `onError: show`. Needs `<CreditsProvider>`. */
export function useInsufficientCreditsPrompt(options: InsufficientCreditsPromptOptions = {}): InsufficientCreditsPromptController {
  const { formatMessage = DEFAULT_INSUFFICIENT_CREDITS_MESSAGE, capLabels, onClose, ...dialogProps } = options;
  const { refresh } = useCredits();
  const { formatters } = useCreditsFormat({ config: dialogProps.config, locale: dialogProps.locale, currency: dialogProps.currency });
  const [details, setDetails] = React.useState<InsufficientCredits | null>(null);
  const onCloseRef = React.useRef(onClose);
  React.useEffect(() => {
    onCloseRef.current = onClose;
  });

  const show = React.useCallback(
    (errorOrBody: unknown) => {
      const found = parseInsufficientCredits(errorOrBody);
      if (!found) return false;
      setDetails(found);
      void refresh().catch(() => {});
      return true;
    },
    [refresh],
  );
  const close = React.useCallback(() => {
    setDetails(null);
    onCloseRef.current?.();
  }, []);

  const amount = (value: number | null): string => (value === null ? UNKNOWN_AMOUNT : formatters.credits(value));
  const orNull = (value: number | null): string | null => (value === null ? null : formatters.credits(value));
  const reason = details?.reason;
  const message = details
    ? formatMessage(
        amount(details.needed),
        orNull(details.available),
        reason && { limit: reason.limit, memberId: reason.memberId, cap: orNull(reason.cap), interval: reason.interval, remaining: orNull(reason.remaining) },
      )
    : undefined;
  const capped = reason?.limit === 'member_cap' || reason?.limit === 'usage_cap';
  const cap = { ...DEFAULT_CAP_REACHED_LABELS, ...capLabels };

  const prompt = (
    <CreditTopUpDialog
      {...dialogProps}
      open={details !== null}
      onOpenChange={(open) => {
        if (!open) close();
      }}
      message={message}
    >
      {capped ? (
        // A cap refused it: no packages (buying credits would not help), only why and Close.
        <CreditTopUpDialogContent data-limit={reason?.limit} className={dialogProps.className} size={dialogProps.size}>
          <CreditTopUpDialogHeader>
            <CreditTopUpDialogTitle>{cap.title}</CreditTopUpDialogTitle>
            <CreditTopUpDialogDescription>{cap.description}</CreditTopUpDialogDescription>
          </CreditTopUpDialogHeader>
          <CreditTopUpDialogMessage />
          <CreditTopUpDialogFooter>
            <CreditTopUpDialogClose />
          </CreditTopUpDialogFooter>
        </CreditTopUpDialogContent>
      ) : undefined}
    </CreditTopUpDialog>
  );
  return { show, close, details, prompt };
}

export type InsufficientCreditsPromptProps = InsufficientCreditsPromptOptions & {
  /** The latest error (or response body) of your chat/request; each new refusal opens the prompt. */
  error: unknown;
};

/** Opens the top-up dialog with "This message needs N credits; you have M." whenever `error` is a new refusal. */
export function InsufficientCreditsPrompt({ error, ...options }: InsufficientCreditsPromptProps) {
  const { show, prompt } = useInsufficientCreditsPrompt(options);
  React.useEffect(() => {
    if (error !== undefined && error !== null) show(error);
  }, [error, show]);
  return prompt;
}
