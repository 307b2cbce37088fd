'use client';
/**
 * The top-up dialog that the connected `CreditBalance` and `LowCreditWarning` open, loaded on first open (issue 16):
 * an app that shows a balance or a warning loads `CreditTopUpDialog` (and, for the warning, Radix Dialog) only when
 * someone asks to top up, as the cost badge does with its tooltip. One load serves every component; a failed load
 * closes the dialog again, and the next "Top up" tries anew.
 */
import * as React from 'react';

type TopUpDialog = typeof import('./credit-top-up-dialog').CreditTopUpDialog;

// The badge's tooltip loads the same way (message-cost-badge.tsx). A shared `loadOnce(importer)` helper was tried and
// measured: +20 to +30 B gzip on each component alone (its object and closures), more than these ten lines.
let loaded: TopUpDialog | null = null;
let loading: Promise<TopUpDialog> | null = null;

function load(): Promise<TopUpDialog> {
  loading ??= import('./credit-top-up-dialog').then(
    (module) => (loaded = module.CreditTopUpDialog),
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

export function TopUpDialogOnDemand({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [Dialog, setDialog] = React.useState<TopUpDialog | null>(() => loaded);
  React.useEffect(() => {
    if (open && !Dialog) load().then((component) => setDialog(() => component), () => onOpenChange(false));
  }, [open, Dialog, onOpenChange]);
  return Dialog ? <Dialog open={open} onOpenChange={onOpenChange} /> : null;
}
