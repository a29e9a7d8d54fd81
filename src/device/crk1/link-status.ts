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
  return { link: 'connecting', serial: null, detail: `waiting for the rating keypad on ${port.path} to answer` };
}

export function noAnswerStatus(port: PortName, seconds: number): KeypadStatus {
  return {
    link: 'connecting',
    serial: null,
    detail:
      `no CRK/1 keypad answered on ${port.path} at ${port.baudRate} baud for ${seconds} s: ` +
      'check the cable and the baud rate, or set the keypad driver to legacy for a single-byte keypad',
  };
}

export function badHelloStatus(port: PortName, reason: string): KeypadStatus {
  return {
    link: 'connecting',
    serial: null,
    detail: `the device on ${port.path} answered with a malformed HELLO (${reason}): it may not be a CRK/1 keypad`,
  };
}

export function onlineStatus(port: PortName, hello: Hello): KeypadStatus {
  const model = hello.model || 'keypad';
  const firmware = hello.firmware ? `, firmware ${hello.firmware}` : '';
  return {
    link: 'online',
    serial: hello.serial,
    keys: hello.keyCount,
    detail: `${model} ${hello.serial} is connected on ${port.path} (${hello.keyCount} keys${firmware})`,
  };
}

export function silentStatus(port: PortName, serial: string | null, silenceMs: number): KeypadStatus {
  return {
    link: 'offline',
    serial,
    detail:
      `the keypad on ${port.path} has sent nothing for ${Math.round(silenceMs / 1000)} s: ` +
      'check that its cable is plugged in; Cordial keeps reconnecting',
  };
}

export function portDownStatus(serial: string | null, reason: string): KeypadStatus {
  return { link: 'offline', serial, detail: `${reason}; Cordial keeps trying to reconnect` };
}

export function unresponsiveStatus(serial: string | null, command: DeviceCommand, sends: number): KeypadStatus {
  return {
    link: 'unresponsive',
    serial,
    detail:
      `the keypad does not acknowledge commands (${command.type.toUpperCase()} sent ${sends} times): ` +
      'its lights and display may be out of date; presses are still recorded; restart the keypad if this persists',
  };
}

export function sameStatus(a: KeypadStatus | null, b: KeypadStatus): boolean {
  return a !== null && a.link === b.link && a.serial === b.serial && a.detail === b.detail;
}
