/** The decoder engine (ossec-analysis.md section 3): load once, then decode event after event. */
export { loadDecoders, loadDecoderSources, type DecoderSource, type LoadOptions } from './load.js';
export { decode, dynamicField, DecodeDetail } from './decode.js';
export { decoderIdOf, INTERNAL_DECODER_NAMES } from './ids.js';
export { applyForwardedAlert } from './plugins/ossec-alert.js';
export { OSSEC_ALERT_TYPE, type CompiledDecoderRef, type DecoderSet, type DecoderType, type ForwardedAlert } from './types.js';
export type { FtsPart } from './fields.js';
