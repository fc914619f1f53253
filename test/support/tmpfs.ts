// A small tmpfs of our own for disk-full and read-only tests. Mounting needs root (and a kernel
// that lets this process mount); when it cannot, the caller gets the reason to skip with.
import { execFile } from 'node:child_process';
import { mkdtemp, open, rmdir, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Tmpfs {
  dir: string;
  /** Bytes free for new file data right now. */
  free(): Promise<number>;
  /** Writes a filler file that leaves about `leaveBytes` free (tmpfs counts whole pages); returns its path. */
  fill(leaveBytes: number): Promise<string>;
  unmount(): Promise<void>;
}

export type TmpfsOrSkip = { tmpfs: Tmpfs; skip: null } | { tmpfs: null; skip: string };

/** Mounts a tmpfs of `sizeBytes` (extra mount options such as `ro` in `options`), or says why it cannot. */
export async function mountTmpfs(sizeBytes: number, options: string[] = []): Promise<TmpfsOrSkip> {
  if (process.platform !== 'linux') return { tmpfs: null, skip: `tmpfs tests need Linux, this is ${process.platform}` };
  if (process.getuid?.() !== 0) return { tmpfs: null, skip: 'mounting a tmpfs needs root; run the tests as root to include it' };
  const dir = await mkdtemp(join(tmpdir(), 'servebench-tmpfs-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', [`size=${sizeBytes}`, 'mode=0755', ...options].join(','), 'servebench-test', dir]);
  } catch (error) {
    await rmdir(dir).catch(() => undefined);
    const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim();
    return { tmpfs: null, skip: `cannot mount a tmpfs here (${stderr})` };
  }
  let filler = 0;
  const free = async (): Promise<number> => {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
  };
  return {
    skip: null,
    tmpfs: {
      dir,
      free,
      async fill(leaveBytes) {
        const file = join(dir, `filler-${filler++}`);
        const handle = await open(file, 'wx');
        try {
          const chunk = Buffer.alloc(64 * 1024, 0x78);
          for (let left = (await free()) - leaveBytes; left > 0; left -= chunk.length) {
            await handle.write(chunk, 0, Math.min(chunk.length, left));
          }
        } finally {
          await handle.close();
        }
        return file;
      },
      async unmount() {
        // Lazy when busy: a failed test may leave a file open on it until the worker exits.
        await run('umount', [dir]).catch(() => run('umount', ['-l', dir]));
        await rmdir(dir);
      },
    },
  };
}
