/** Types of the seeded corpus generator (corpus.mjs), for the tests that use it. */
export function writeCorpus(opts: { events: number; seed?: number; out: string; hostile?: boolean; hostileMb?: number }): Promise<void>;
export function hostileLines(seed?: number, mb?: number): { name: string; line: Buffer }[];
export function prng(seed: number): () => number;
