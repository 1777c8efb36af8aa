#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include "CAffinity.h"

#ifdef __linux__
/// The CPUs the process may use, read once, before any thread is kept to one.
static cpu_set_t allowed;
static int allowedCount;
static pthread_once_t allowedOnce = PTHREAD_ONCE_INIT;
/// How many threads have been given a CPU so far.
static unsigned int given;

static void readAllowed(void) {
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) CPU_ZERO(&allowed);
    allowedCount = CPU_COUNT(&allowed);
}
#endif

int raftsh_allowed_cpu(unsigned int nth) {
#ifdef __linux__
    pthread_once(&allowedOnce, readAllowed);
    if (allowedCount == 0) return -1;
    int left = (int)(nth % (unsigned int)allowedCount);
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &allowed) && left-- == 0) return cpu;
    }
#endif
    return -1;
}

int raftsh_stay_on_next_cpu(void) {
#ifdef __linux__
    int cpu = raftsh_allowed_cpu(__atomic_fetch_add(&given, 1, __ATOMIC_RELAXED));
    if (cpu < 0) return -1;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0 ? cpu : -1;
#else
    return -1;
#endif
}

int raftsh_run_on_every_cpu(pid_t pid) {
#ifdef __linux__
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) CPU_SET(cpu, &set);
    return sched_setaffinity(pid, sizeof set, &set) == 0 ? 0 : -1;
#else
    return -1;
#endif
}
