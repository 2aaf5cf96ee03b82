/* symlink_workdir.c -- CONTAINMENT: booby-traps the work dir for whatever the
 * judge does with it AFTER the run (writing the next input, reading output
 * files, copying, chown/chmod -R, cleanup):
 *  - symlinks under names a judge might write or read (input, stdout.txt,
 *    compile.log, ...) pointing to the HOST path /tmp/codehub-adv-symlink-target
 *    (the test checks it never appears: the judge must not follow links out
 *    of the work dir, e.g. use O_NOFOLLOW / a fresh dir per run);
 *  - directory symlinks to "/" and "/tmp" (a recursive chown/rm that follows
 *    links would wreck the host);
 *  - FIFOs named output.txt/answer.txt (a judge that opens them blocks);
 *  - a mode-000 directory with a file inside (cleanup must cope).
 * Existing files are never replaced.  Expected: AC. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
    static const char *const names[] = {
        "input", "input.txt", "stdin", "stdin.txt", "stdout", "stdout.txt", "stderr",
        "stderr.txt", "output", "answer", "compile.log", "meta", "report.json", "result.json",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        (void)symlink("/tmp/codehub-adv-symlink-target", names[i]);
    (void)symlink("/", "host-root");
    (void)symlink("/tmp", "host-tmp");
    (void)mkfifo("output.txt", 0666);
    (void)mkfifo("answer.txt", 0666);
    if (mkdir("locked", 0700) == 0) {
        FILE *f = fopen("locked/file", "w");
        if (f)
            fclose(f);
        (void)chmod("locked", 0);
    }
    puts("Hello World!");
    return 0;
}
