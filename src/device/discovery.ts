/**
 * Finding the keypad's serial port. SerialPort.list() needs udevadm on Linux and throws where it
 * is missing, so the filesystem (/dev/serial/by-id, /sys/class/tty) is the fallback.
 */
import { access, lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { SerialPort } from 'serialport';

export interface DiscoveredPort {
  path: string;
  /** What IT sees in the port list: manufacturer, by-id name. */
  label: string;
  /** USB serial adapters and CDC-ACM devices: where a keypad usually is. */
  usb: boolean;
}

export interface PortListing {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface DiscoveryOptions {
  list?: () => Promise<PortListing[]>;
  byIdDir?: string;
  sysClassTtyDir?: string;
  devDir?: string;
}

export interface Discovery {
  ports: DiscoveredPort[];
  source: 'serialport' | 'filesystem';
  /** Why the serialport listing was not used, if it was not. */
  fallbackReason: string | null;
}

const USB_NAME = /^tty(USB|ACM)\d+$/;

export async function discoverSerialPorts(options: DiscoveryOptions = {}): Promise<Discovery> {
  const list = options.list ?? (() => SerialPort.list());
  try {
    const listed = await list();
    const ports = listed.map((port) => ({
      path: port.path,
      label: [port.manufacturer, port.serialNumber].filter(Boolean).join(' ') || port.path,
      usb: Boolean(port.vendorId) || USB_NAME.test(baseName(port.path)),
    }));
    if (ports.length > 0) return { ports, source: 'serialport', fallbackReason: null };
    return { ports: await listFromFilesystem(options), source: 'filesystem', fallbackReason: 'SerialPort.list() found no ports' };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ports: await listFromFilesystem(options), source: 'filesystem', fallbackReason: reason };
  }
}

/** A configured path always wins; otherwise the first USB port, else the first port there is. */
export async function resolveKeypadPath(
  configured: string | null,
  options: DiscoveryOptions = {},
): Promise<{ path: string } | { problem: string }> {
  if (configured) return { path: configured };
  const { ports } = await discoverSerialPorts(options);
  const chosen = ports.find((port) => port.usb) ?? ports[0];
  if (chosen) return { path: chosen.path };
  return { problem: 'no serial port found: plug the keypad in, or set its port in the settings' };
}

export async function listFromFilesystem(options: DiscoveryOptions = {}): Promise<DiscoveredPort[]> {
  const byIdDir = options.byIdDir ?? '/dev/serial/by-id';
  const sysDir = options.sysClassTtyDir ?? '/sys/class/tty';
  const devDir = options.devDir ?? '/dev';
  const ports: DiscoveredPort[] = [];
  const covered = new Set<string>();
  // by-id names survive re-enumeration (ttyUSB0 may become ttyUSB1 after a replug), so they come first.
  for (const name of await entries(byIdDir)) {
    const path = join(byIdDir, name);
    const target = await realpath(path).catch(() => null);
    if (!target) continue;
    covered.add(baseName(target));
    ports.push({ path, label: name, usb: true });
  }
  for (const name of (await entries(sysDir)).sort(byNaturalName)) {
    if (covered.has(name) || !(await isRealDevice(join(sysDir, name)))) continue;
    const path = join(devDir, name);
    if (!(await exists(path))) continue;
    ports.push({ path, label: name, usb: USB_NAME.test(name) });
  }
  return ports;
}

/** A tty backed by hardware has a `device` link; a legacy UART slot with no chip reports type 0. */
async function isRealDevice(sysEntry: string): Promise<boolean> {
  if (!(await lstat(join(sysEntry, 'device')).then(() => true, () => false))) return false;
  const type = await readFile(join(sysEntry, 'type'), 'utf8').catch(() => null);
  return type === null || type.trim() !== '0';
}

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function byNaturalName(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
