/**
 * The pattern languages the rules use (ossec-analysis.md 4), from src/analysis/matchers. Rule code
 * imports them only through this file.
 */
export { compileOsMatch, compileOsRegex, compilePcre2, osWordMatch } from '../matchers/index.js';
