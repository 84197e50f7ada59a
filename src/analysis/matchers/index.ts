export type { Matcher, MatchResult } from './matcher.js';
export { compileOsMatch } from './os-match.js';
export { compileOsRegex } from './os-regex.js';
export { compilePcre2, type Pcre2Matcher } from './pcre2.js';
export { osWordMatch } from './word-match.js';
export { bothOf, lowerOf, passes, type Prefilter } from './prefilter.js';
