/**
 * The renderer may not go anywhere: no navigation away from the app, no new windows, no
 * webviews, no permission of any kind. Applied to every web contents Electron creates.
 */
import type { Session, WebContents } from 'electron';
import { APP_ORIGIN } from './window-options';

/** Only Cordial's own pages, exactly: `app://cordial/…`. */
export function isTrustedUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && parsed.host === 'cordial' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export { APP_ORIGIN };
