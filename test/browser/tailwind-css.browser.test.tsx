/**
 * A Tailwind v4 app: `@import "tailwindcss"; @import "autumn-ai-credits/tailwind.css";` (test/browser/fixtures/
 * tailwind-app.css, on the source file that the build copies to dist/tailwind.css).
 */
import './fixtures/tailwind-app.css';
import * as React from 'react';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { describeKitStyling, kitPrimary } from './styling.js';

describe('given a Tailwind v4 app with tailwind.css', () => {
  describeKitStyling('tailwind-css');

  describe('whose own theme has another primary colour', () => {
    afterEach(() => document.documentElement.style.removeProperty('--primary'));

    it("keeps the app's bg-primary, and the kit its own primary", () => {
      render(
        <p className="bg-primary p-2" data-testid="app">
          The app
        </p>,
      );
      const app = getComputedStyle(screen.getByTestId('app')).backgroundColor;
      cleanup();
      const kit = kitPrimary();
      expect(app).toMatch(/^oklch\(0\.55 0\.2 260/);
      expect(kit).not.toBe(app);
      expect(kit).toMatch(/^oklch\(0\.205 0 0/);
    });

    it("takes shadcn/ui's --primary where the app defines it", () => {
      document.documentElement.style.setProperty('--primary', 'oklch(0.6 0.25 30)');
      expect(kitPrimary()).toMatch(/^oklch\(0\.6 0\.25 30/);
    });
  });
});
