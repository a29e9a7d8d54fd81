/** One line per frame for people reading a keypad's traffic: time, direction, meaning, bytes. */
import { toHex } from '../crk1/frame';
import { FAULT_CODES, type Message, type ParsedFrame } from '../crk1/messages';
import { PHRASES } from '../../shared/phrases';

export function describeMessage(message: Message): string {
  switch (message.type) {
    case 'hello': {
      const f = message.features;
      const features = [f.voice && 'voice', f.display && 'display', f.keyLeds && 'key LEDs', f.pressAge && 'press age'].filter(Boolean).join(', ') || 'no extras';
      return `HELLO serial ${message.serial}, model ${message.model || '?'}, firmware ${message.firmware || '?'}, ${message.keyCount} keys, ${features}, protocol ${message.protocolVersion}`;
    }
    case 'key':
      return `KEY ${message.key} (event ${message.eventId}${message.ageMs == null ? '' : `, pressed ${(message.ageMs / 1000).toFixed(2)} s ago`})`;
    case 'heartbeat':
      return `HEARTBEAT uptime ${message.uptimeSeconds} s, ${message.waiting} waiting for ACK`;
    case 'fault':
      return `FAULT ${message.code}: ${FAULT_CODES[message.code] ?? 'unknown code'}${message.detail ? ` (${message.detail})` : ''}`;
    case 'ack':
      return `ACK of SEQ ${message.ackedSeq}, status ${['ok', 'unknown command', 'bad payload', 'busy'][message.status] ?? message.status}`;
    case 'query':
      return 'QUERY';
    case 'mode':
      return `MODE ${message.mode}`;
    case 'prompt': {
      const phrase = Object.values(PHRASES).find((p) => p.id === message.promptId);
      return `PROMPT ${message.promptId}${phrase ? ` ${phrase.zh}` : ''}`;
    }
    case 'text':
      return `TEXT line ${message.line}: ${message.text}`;
    case 'time':
      return `TIME ${new Date(message.unixSeconds * 1000).toISOString()}`;
  }
}

export function describeParsed(parsed: ParsedFrame): string {
  if (parsed.ok) return describeMessage(parsed.message);
  if (parsed.problem === 'unknown_command') return `unknown command 0x${parsed.cmd.toString(16).padStart(2, '0')}`;
  return `malformed ${parsed.type.toUpperCase()}: ${parsed.reason}`;
}

export function traceLine(at: number, direction: 'in' | 'out', seq: number, text: string, bytes: Uint8Array): string {
  const time = new Date(at).toISOString().slice(11, 23);
  const arrow = direction === 'in' ? '<-' : '->';
  return `${time} ${arrow} ${`${text} [seq ${seq}]`.padEnd(60)} ${toHex(bytes)}`;
}
