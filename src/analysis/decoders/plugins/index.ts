import type { PluginDecoder } from '../types.js';
import { ospatrolAlertDecoder, ossecAlertDecoder } from './ossec-alert.js';
import { pfDecoder } from './pf.js';
import { createSonicWallDecoder } from './sonicwall.js';
import { symantecWsDecoder } from './symantec-ws.js';

/**
 * The `<plugin_decoder>` names OSSEC 4.3.0 knows (3.5), plus OSPatrolAlert_Decoder, which
 * OSPatrol's decoder.xml uses in place of OSSECAlert_Decoder.
 */
export const PLUGIN_NAMES: ReadonlySet<string> = new Set([
  'PF_Decoder',
  'SymantecWS_Decoder',
  'SonicWall_Decoder',
  'OSSECAlert_Decoder',
  'OSPatrolAlert_Decoder',
]);

let sonicWall: PluginDecoder | undefined;

/** The plugin for a name in PLUGIN_NAMES. SonicWall's own patterns are compiled on first use. */
export function pluginFor(name: string): PluginDecoder {
  switch (name) {
    case 'PF_Decoder':
      return pfDecoder;
    case 'SymantecWS_Decoder':
      return symantecWsDecoder;
    case 'SonicWall_Decoder':
      return (sonicWall ??= createSonicWallDecoder());
    case 'OSSECAlert_Decoder':
      return ossecAlertDecoder;
    case 'OSPatrolAlert_Decoder':
      return ospatrolAlertDecoder;
    default:
      throw new Error(`unknown plugin decoder ${name}`);
  }
}
