/*
 * A full disk for one folder, for the chaos suite (docs/decisions/0006-chaos-suite.md). Loaded into the engine
 * process with LD_PRELOAD: while the file named by CHAOS_DISK_FULL_FLAG exists, every write to a file inside the
 * folder CHAOS_DISK_DIR fails with ENOSPC, as the kernel fails it on a full filesystem. SQLite turns that into
 * SQLITE_FULL; the log's writer sees ENOSPC. Everything else (pipes, sockets, other files) writes as usual.
 * The write-ahead log's shared-memory index (`-shm`) is spared: SQLite truncates it and writes it again when a
 * process opens the ledger after a crash, and on a real full disk it takes back the blocks it has just given up.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* A write to the ledger's write-ahead log was refused: a commit failed with SQLITE_FULL, so the engine met the full disk
 * and had to say so; a line (when, which process) goes into CHAOS_DISK_REFUSED_MARKER for the harness. (A refused write to the ledger file itself
 * is a checkpoint, which SQLite leaves for later without a word to anyone.) */
static void note_refused(const char *path) {
  const char *ledger = getenv("CHAOS_LEDGER_FILE");
  const char *marker = getenv("CHAOS_DISK_REFUSED_MARKER");
  size_t n = strlen(path);
  if (!ledger || !marker || strncmp(path, ledger, strlen(ledger)) != 0 || n < 4 || strcmp(path + n - 4, "-wal") != 0) return;
  int fd = open(marker, O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  /* One line per refusal: when (ms since the epoch, the real clock) and which process. */
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  char line[64];
  int n_line = snprintf(line, sizeof line, "%lld %d\n", (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000, (int)getpid());
  if (n_line > 0) (void)!write(fd, line, (size_t)n_line);
  close(fd);
}

static int disk_full(int fd) {
  const char *flag = getenv("CHAOS_DISK_FULL_FLAG");
  const char *dir = getenv("CHAOS_DISK_DIR");
  if (!flag || !dir || access(flag, F_OK) != 0) return 0;
  char link[64], path[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return 0;
  path[n] = 0;
  size_t len = strlen(dir), n_path = strlen(path);
  if (n_path >= 4 && strcmp(path + n_path - 4, "-shm") == 0) return 0;
  if (strncmp(path, dir, len) != 0 || (path[len] != '/' && path[len] != 0)) return 0;
  note_refused(path);
  return 1;
}

#define REAL(name, ret, ...)                                      \
  static ret (*real_##name)(__VA_ARGS__);                         \
  if (!real_##name) real_##name = dlsym(RTLD_NEXT, #name);

ssize_t write(int fd, const void *buf, size_t count) {
  REAL(write, ssize_t, int, const void *, size_t);
  if (disk_full(fd)) { errno = ENOSPC; return -1; }
  return real_write(fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
  REAL(pwrite, ssize_t, int, const void *, size_t, off_t);
  if (disk_full(fd)) { errno = ENOSPC; return -1; }
  return real_pwrite(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset) {
  REAL(pwrite64, ssize_t, int, const void *, size_t, off64_t);
  if (disk_full(fd)) { errno = ENOSPC; return -1; }
  return real_pwrite64(fd, buf, count, offset);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
  REAL(writev, ssize_t, int, const struct iovec *, int);
  if (disk_full(fd)) { errno = ENOSPC; return -1; }
  return real_writev(fd, iov, iovcnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset) {
  REAL(pwritev, ssize_t, int, const struct iovec *, int, off_t);
  if (disk_full(fd)) { errno = ENOSPC; return -1; }
  return real_pwritev(fd, iov, iovcnt, offset);
}

ssize_t pwritev64(int fd, const struct iovec *iov, int iovcnt, off64_t offset) {
  REAL(pwritev64, ssize_t, int, const struct iovec *, int, off64_t);
  if (disk_full(fd)) { errno = ENOSPC; return -1; }
  return real_pwritev64(fd, iov, iovcnt, offset);
}
