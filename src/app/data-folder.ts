/**
 * The data folder holds the admin PIN hash, citizens' callback numbers, the centre token and
 * the signing key: it is for the user running Cordial alone. Folders 0700 and files 0600 on
 * Linux and macOS; on Windows an ACL that names only that user and SYSTEM.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export interface FolderPrivacy {
  /** Entries (relative to the folder, "." for itself) that other users could read, now private. */
  tightened: string[];
  /** Entries that could not be made private, each with the reason. */
  failed: string[];
}

/** Creates the folder if needed, then makes it and everything in it private to this user. */
export function secureDataFolder(dir: string, platform: NodeJS.Platform = process.platform): FolderPrivacy {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return platform === 'win32' ? restrictWindowsAcl(dir) : tightenModes(dir);
}

function tightenModes(dir: string): FolderPrivacy {
  const privacy: FolderPrivacy = { tightened: [], failed: [] };
  const visit = (path: string, name: string) => {
    try {
      const entry = lstatSync(path);
      // A link is not followed: its target is not Cordial's to change.
      if (entry.isSymbolicLink()) return;
      const isDir = entry.isDirectory();
      if ((entry.mode & 0o077) !== 0) {
        chmodSync(path, isDir ? 0o700 : 0o600);
        privacy.tightened.push(name);
      }
      if (isDir) for (const child of readdirSync(path)) visit(join(path, child), name === '.' ? child : `${name}/${child}`);
    } catch (err) {
      privacy.failed.push(`${name}: ${(err as Error).message}`);
    }
  };
  visit(dir, '.');
  return privacy;
}

function restrictWindowsAcl(dir: string): FolderPrivacy {
  try {
    // Drops inherited entries (Users, Authenticated Users) and grants full control to this user and SYSTEM only, on every file below.
    execFileSync('icacls', [dir, '/inheritance:r', '/grant:r', `${userInfo().username}:(OI)(CI)F`, '/grant:r', '*S-1-5-18:(OI)(CI)F', '/T', '/C', '/Q'], { stdio: 'ignore', windowsHide: true });
    return { tightened: [], failed: [] };
  } catch (err) {
    return { tightened: [], failed: [`.: icacls could not restrict the folder to ${userInfo().username}: ${(err as Error).message}`] };
  }
}

/** The warnings to log about what had to change, none when the folder was already private. */
export function privacyWarnings(dir: string, privacy: FolderPrivacy): string[] {
  const lines: string[] = [];
  if (privacy.tightened.length > 0) {
    const shown = privacy.tightened.slice(0, 5).join(', ');
    const more = privacy.tightened.length > 5 ? ` and ${privacy.tightened.length - 5} more` : '';
    lines.push(`the data folder ${dir} was open to other users on this PC: made ${shown}${more} private to this user (folders 0700, files 0600)`);
  }
  if (privacy.failed.length > 0) lines.push(`could not make the data folder ${dir} private: ${privacy.failed.slice(0, 3).join('; ')}`);
  return lines;
}
