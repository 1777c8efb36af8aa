#ifndef RAFTSH_CREADLINE_SHIM_H
#define RAFTSH_CREADLINE_SHIM_H
// readline.h uses FILE without including stdio.h itself.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

// Readline's state lives in C global variables, which Swift 6 cannot check for
// data races. Swift (Sources/raftsh/Readline.swift, on one thread) reaches them
// only through these functions.

static inline void raftsh_rl_configure(const char *name, const char *word_breaks,
                                       rl_completion_func_t *complete, rl_compentry_func_t *fallback) {
    rl_readline_name = name;
    rl_completer_word_break_characters = word_breaks;
    rl_attempted_completion_function = complete;
    rl_completion_entry_function = fallback;
    // SIGINT is the application's: readline installs no handler of its own.
    rl_catch_signals = 0;
}

static inline const char *raftsh_rl_line_buffer(void) { return rl_line_buffer; }
static inline int raftsh_rl_point(void) { return rl_point; }

// Inside the completion hook: no fallback to readline's own file-name
// completion; `filenames` lets readline treat the matches as file names.
static inline void raftsh_rl_completion_mode(int filenames) {
    rl_attempted_completion_over = 1;
    rl_filename_completion_desired = filenames;
}

// Inside the completion hook: the character put after a single full match
// (a space, or none after `s1->`). Readline resets it before each completion.
static inline void raftsh_rl_completion_append(int c) {
    rl_completion_append_character = c;
}

// Drops the line being edited (after Ctrl-C), ready for a fresh prompt.
static inline void raftsh_rl_discard_line(void) {
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_point = 0;
    rl_end = 0;
    rl_mark = 0;
}
#endif
