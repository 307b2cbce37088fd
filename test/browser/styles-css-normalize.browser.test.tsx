/** Plain CSS with another reset: modern-normalize (unlayered, as an app imports it), then the kit's styles.css. */
import 'modern-normalize/modern-normalize.css';
import '../../src/styles/index.css';
import { describe } from 'vitest';
import { describeKitStyling } from './styling.js';

describe('given styles.css under modern-normalize', () => {
  describeKitStyling('styles-css-normalize');
});
