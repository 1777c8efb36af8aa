#ifndef CAFFINITY_H
#define CAFFINITY_H

#include <sys/types.h>

/// Keeps the calling thread on one CPU (Linux's sched_setaffinity, a GNU
/// extension Swift's Glibc module does not show): the first caller on the
/// first CPU the process may use, the next on the next, and so on round, so
/// threads that call it at the same moment get different CPUs. Returns the
/// CPU, or -1 where that cannot be done.
int raftsh_stay_on_next_cpu(void);

/// The `nth` CPU (counted from 0, round) of those the process could use
/// before any thread was kept to one; -1 where that cannot be known.
int raftsh_allowed_cpu(unsigned int nth);

/// Lets process `pid` run on every CPU again. Returns 0, or -1 where that
/// cannot be done.
int raftsh_run_on_every_cpu(pid_t pid);

#endif
