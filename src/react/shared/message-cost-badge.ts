/**
 * No `'use client'` (issue 13): what `MessageCostBadge` computes without React — its variants — callable from a Server
 * Component or a Route Handler through the root entry.
 */
import { cva } from 'class-variance-authority';

export const messageCostBadgeVariants = cva(
  [
    'inline-flex shrink-0 items-center gap-1 whitespace-nowrap rounded-md border border-credits-border bg-transparent font-medium tabular-nums',
    'text-credits-muted-foreground transition-colors outline-none hover:bg-credits-muted hover:text-credits-foreground',
    'focus-visible:ring-2 focus-visible:ring-credits-ring focus-visible:ring-offset-1 focus-visible:ring-offset-credits-background',
    // An estimate's dashed edge in its text colour, 4.5:1 light and dark (the default border is too faint for a dash).
    'data-[state=estimate]:border-dashed data-[state=estimate]:border-credits-muted-foreground data-[state=unknown]:opacity-70',
  ],
  {
    variants: {
      size: {
        sm: 'h-5 px-1.5 text-[0.6875rem]',
        default: 'h-6 px-2 text-xs',
      },
    },
    defaultVariants: { size: 'default' },
  },
);
