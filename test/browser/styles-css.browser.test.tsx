/**
 * Plain CSS: `import 'autumn-ai-credits/styles.css'` and nothing else, so every browser default reaches the kit
 * (src/styles/index.css is what `npm run build:css` compiles to dist/styles.css).
 */
import '../../src/styles/index.css';
import { describe } from 'vitest';
import { describeKitStyling } from './styling.js';

describe('given only styles.css (no reset)', () => {
  describeKitStyling('styles-css');
});
