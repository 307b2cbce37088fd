/**
 * The kit's one button style (shadcn/ui's `buttonVariants`, cut to what the components use): every action button
 * of every component takes its colours from here, so none is left with the browser's button face in an app without
 * Tailwind's preflight.
 */
import { cva } from 'class-variance-authority';

export const buttonVariants = /*#__PURE__*/ cva(
  [
    'inline-flex shrink-0 items-center justify-center rounded-md font-medium transition-colors outline-none',
    'focus-visible:ring-2 focus-visible:ring-credits-ring focus-visible:ring-offset-1 focus-visible:ring-offset-credits-background',
    'disabled:pointer-events-none disabled:opacity-50',
  ],
  {
    variants: {
      variant: {
        primary: 'bg-credits-primary text-credits-primary-foreground hover:bg-credits-primary/90',
        outline: 'border border-credits-border bg-credits-background text-credits-foreground hover:bg-credits-muted',
        ghost: 'bg-transparent text-credits-muted-foreground hover:bg-credits-muted hover:text-credits-foreground',
      },
      size: {
        sm: 'h-7 px-2.5 text-xs',
        default: 'h-8 px-3 text-sm',
      },
    },
    defaultVariants: { variant: 'outline', size: 'sm' },
  },
);
