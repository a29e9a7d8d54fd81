/** Sentences for the keypad status line: what happened and what a person can do about it. */
import type { KeypadStatus } from '../../shared/keypad';
import type { DeviceCommand } from './command-queue';
import type { MessageOf } from './messages';

export interface PortName {
  path: string;
  baudRate: number;
}

type Hello = MessageOf<'hello'>;

export function connectingStatus(port: PortName): KeypadStatus {
  return { link: 'connecting', serial: null, detail: `waiting for the rating keypad on ${port.path} to answer`, code: 'waiting', fields: { port: port.path } };
}

export function noAnswerStatus(port: PortName, seconds: number): KeypadStatus {
  return {
    link: 'connecting',
    serial: null,
    detail:
      `no CRK/1 keypad answered on ${port.path} at ${port.baudRate} baud for ${seconds} s: ` +
      'check the cable and the baud rate, or set the keypad driver to legacy for a single-byte keypad',
    code: 'no_answer',
    fields: { port: port.path, baud: port.baudRate, seconds },
  };
}

export function badHelloStatus(port: PortName, reason: string): KeypadStatus {
  return {
    link: 'connecting',
    serial: null,
    detail: `the device on ${port.path} answered with a malformed HELLO (${reason}): it may not be a CRK/1 keypad`,
    code: 'bad_hello',
    fields: { port: port.path, reason },
  };
}

export function onlineStatus(port: PortName, hello: Hello): KeypadStatus {
  const model = hello.model || 'keypad';
  const firmware = hello.firmware ? `, firmware ${hello.firmware}` : '';
  return {
    link: 'online',
    serial: hello.serial,
    keys: hello.keyCount,
    voice: hello.features.voice,
    detail: `${model} ${hello.serial} is connected on ${port.path} (${hello.keyCount} keys${firmware})`,
    code: 'connected',
    fields: { model, serial: hello.serial, port: port.path, keys: hello.keyCount, firmware: hello.firmware || '' },
  };
}

export function silentStatus(port: PortName, serial: string | null, silenceMs: number): KeypadStatus {
  return {
    link: 'offline',
    serial,
    detail:
      `the keypad on ${port.path} has sent nothing for ${Math.round(silenceMs / 1000)} s: ` +
      'check that its cable is plugged in; Cordial keeps reconnecting',
    code: 'silent',
    fields: { port: port.path, seconds: Math.round(silenceMs / 1000) },
  };
}

export function portDownStatus(serial: string | null, reason: string): KeypadStatus {
  return { link: 'offline', serial, detail: `${reason}; Cordial keeps trying to reconnect`, code: 'port_down', fields: { reason } };
}

export function unresponsiveStatus(serial: string | null, command: DeviceCommand, sends: number): KeypadStatus {
  return {
    link: 'unresponsive',
    serial,
    detail:
      `the keypad does not acknowledge commands (${command.type.toUpperCase()} sent ${sends} times): ` +
      'its lights and display may be out of date; presses are still recorded; restart the keypad if this persists',
    code: 'unresponsive',
    fields: { command: command.type.toUpperCase(), sends },
  };
}

export function sameStatus(a: KeypadStatus | null, b: KeypadStatus): boolean {
  return a !== null && a.link === b.link && a.serial === b.serial && a.detail === b.detail && a.voice === b.voice;
}
