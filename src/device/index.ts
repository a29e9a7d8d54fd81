/** The rating keypad drivers, as the kiosk's composition (src/app, src/main, src/cli) uses them. */
export { startKeypadLink, type KeypadLink, type KeypadLinkDiagnostics, type KeypadLinkOptions } from './keypad-link';
export {
  KeypadConfig,
  LegacyMap,
  LEGACY_PRESETS,
  BAUD_RATES,
  parseKeypadConfig,
  legacyByteMap,
  type KeypadConfigInput,
  type BaudRate,
  type LegacyPreset,
  type KeypadDriverKind,
} from './config';
export { discoverSerialPorts, resolveKeypadPath, type DiscoveredPort, type Discovery, type DiscoveryOptions } from './discovery';
export { describePortError } from './transport/port-errors';
export { systemClock, type Clock } from '../shared/clock';
export type { Crk1Diagnostics, Crk1Observer, Crk1Timing } from './crk1/driver-types';
export type { LegacyDiagnostics } from './legacy/driver';
export type { SerialLinkDiagnostics } from './transport/serial-link';
export { Crk1Driver } from './crk1/driver';
export { LegacyDriver } from './legacy/driver';
export { FrameDecoder } from './crk1/decoder';
export { encodeMessage, parseFrame, type Message } from './crk1/messages';
/** A software keypad, for demonstrations without hardware. */
export { SimulatedKeypad, type KeypadIdentity } from './sim/simulated-keypad';
export { attachKeypad, type AttachedKeypad } from './sim/serial-attachment';
