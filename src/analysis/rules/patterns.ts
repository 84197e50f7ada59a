/**
 * The pattern languages the rules use (ossec-analysis.md 4), from src/analysis/matchers. Rule code
 * imports them only through this file.
 */
export { bothOf, compileOsMatch, compileOsRegex, compilePcre2, lowerOf, osWordMatch, passes, type Prefilter } from '../matchers/index.js';
