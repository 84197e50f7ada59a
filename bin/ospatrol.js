#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm ci` through `prepare`).
import { setFlagsFromString } from 'node:v8';

// The engine's live heap is small (rules, decoders and the event history: about 20 MB with the
// whole OSSEC ruleset), but every event leaves garbage in the old generation once it leaves the
// history. V8's default lets the heap grow to up to 4x the live size between full collections,
// which took peak RSS to ~180 MB on a million events; 1.5x keeps it near 120 MB for a few
// cheap extra collections (bench/: peak RSS). Set before any of our code is loaded.
setFlagsFromString('--heap-growing-percent=50');

await import('../dist/cli/main.js');
