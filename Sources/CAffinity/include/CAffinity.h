#ifndef CAFFINITY_H
#define CAFFINITY_H

#include <sys/types.h>

/// Keeps the calling thread on the CPU it runs on now (Linux's
/// sched_setaffinity, a GNU extension Swift's Glibc module does not show).
/// Returns the CPU, or -1 where that cannot be done.
int raftsh_stay_on_current_cpu(void);

/// Lets process `pid` run on every CPU again. Returns 0, or -1 where that
/// cannot be done.
int raftsh_run_on_every_cpu(pid_t pid);

#endif
