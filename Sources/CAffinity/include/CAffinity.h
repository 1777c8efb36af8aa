#ifndef CAFFINITY_H
#define CAFFINITY_H

/// Keeps the calling thread on the CPU it runs on now (Linux's
/// sched_setaffinity, a GNU extension Swift's Glibc module does not show).
/// Returns the CPU, or -1 where that cannot be done.
int raftsh_stay_on_current_cpu(void);

#endif
