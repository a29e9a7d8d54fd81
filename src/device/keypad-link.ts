/**
 * The keypad link as the kiosk starts it: settings in, a running link out. Wires the serial
 * transport (with reconnect) to the driver the settings name, and reports through the host.
 */
import type { KeypadHost } from '../shared/keypad';
import type { Clock } from '../shared/clock';
import { legacyByteMap, parseKeypadConfig, type KeypadConfig, type KeypadConfigInput } from './config';
import { Crk1Driver } from './crk1/driver';
import type { Crk1Diagnostics, Crk1Observer, Crk1Timing } from './crk1/driver-types';
import { resolveKeypadPath, type DiscoveryOptions } from './discovery';
import { LegacyDriver, type LegacyDiagnostics } from './legacy/driver';
import type { Backoff } from './transport/backoff';
import { SerialLink, type SerialLinkDiagnostics } from './transport/serial-link';
import type { OpenSerialPort } from './transport/serial-port';

export interface KeypadLinkOptions {
  clock?: Clock;
  openPort?: OpenSerialPort;
  discovery?: DiscoveryOptions;
  backoff?: Backoff;
  /** CRK/1 only: sees every byte and frame (probe trace, benchmark). */
  observer?: Crk1Observer;
  timing?: Partial<Crk1Timing>;
}

export interface KeypadLinkDiagnostics {
  driver: KeypadConfig['driver'];
  transport: SerialLinkDiagnostics | null;
  crk1: Crk1Diagnostics | null;
  legacy: LegacyDiagnostics | null;
  /** Set when the settings could not be used. */
  configProblem: string | null;
}

export interface KeypadLink {
  stop(): Promise<void>;
  diagnostics(): KeypadLinkDiagnostics;
}

interface Driver {
  linkUp(): void;
  linkDown(reason: string | null): void;
  receive(chunk: Uint8Array): void;
  stop(): void;
}

export function startKeypadLink(settings: KeypadConfig | KeypadConfigInput, host: KeypadHost, options: KeypadLinkOptions = {}): KeypadLink {
  const parsed = parseKeypadConfig(settings);
  if (!parsed.ok) {
    host.setKeypadStatus({ link: 'disabled', serial: null, detail: `the keypad settings are not valid (${parsed.message})`, code: 'settings_invalid', fields: { reason: parsed.message } });
    return inertLink('none', parsed.message);
  }
  const config = parsed.config;
  if (config.driver === 'none') {
    host.setKeypadStatus({ link: 'disabled', serial: null, detail: 'no rating keypad is configured for this window', code: 'not_configured' });
    return inertLink('none', null);
  }

  let driver: Driver | null = null;
  let crk1: Crk1Driver | null = null;
  let legacy: LegacyDriver | null = null;
  let currentPath = config.path ?? '(searching)';
  const link = new SerialLink({
    baudRate: config.baudRate,
    open: options.openPort,
    backoff: options.backoff,
    clock: options.clock,
    resolvePath: () => resolveKeypadPath(config.path, options.discovery),
    events: {
      opened: (path) => {
        if (path !== currentPath || !driver) {
          // A discovered path can change between attempts; the driver names the port it speaks on.
          driver?.stop();
          currentPath = path;
          driver = makeDriver(path);
        }
        driver.linkUp();
      },
      data: (chunk) => driver?.receive(chunk),
      closed: (reason) => (driver ?? makeDriverForStatus()).linkDown(reason),
    },
  });

  function makeDriver(path: string): Driver {
    const port = { path, baudRate: config.baudRate };
    if (config.driver === 'legacy') {
      legacy = new LegacyDriver({
        host, port, byteMap: legacyByteMap(config.legacyMap), debounceMs: config.legacyDebounceMs, clock: options.clock,
      });
      return legacy;
    }
    crk1 = new Crk1Driver({
      host, port, clock: options.clock, observer: options.observer, timing: options.timing,
      write: (bytes) => link.write(bytes),
      requestReopen: () => link.reopen(),
    });
    return crk1;
  }

  // Before any port opened, failures still need a driver to phrase the status.
  function makeDriverForStatus(): Driver {
    driver = makeDriver(currentPath);
    return driver;
  }

  link.start();
  return {
    async stop() {
      driver?.stop();
      await link.stop();
    },
    diagnostics: () => ({
      driver: config.driver,
      transport: link.diagnostics(),
      crk1: (crk1 as Crk1Driver | null)?.diagnostics() ?? null,
      legacy: (legacy as LegacyDriver | null)?.diagnostics() ?? null,
      configProblem: null,
    }),
  };
}

function inertLink(driver: KeypadConfig['driver'], configProblem: string | null): KeypadLink {
  return {
    stop: async () => {},
    diagnostics: () => ({ driver, transport: null, crk1: null, legacy: null, configProblem }),
  };
}
