/* Runs the fuzz target over files and directories (the committed corpus,
   crash reproducers) without libFuzzer, so every build (ASan+UBSan, TSan)
   replays them. Usage: fuzz_sink_replay PATH... */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    static uint8_t buf[1 << 16];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    uint8_t *copy = malloc(n ? n : 1);   /* exact size: ASan sees overreads */
    memcpy(copy, buf, n);
    LLVMFuzzerTestOneInput(copy, n);
    free(copy);
    return 1;
}

int main(int argc, char **argv)
{
    int runs = 0;
    int repeat = getenv("WS_REPLAY_REPEAT") ? atoi(getenv("WS_REPLAY_REPEAT")) : 3;
    for (int r = 0; r < repeat; r++)
        for (int i = 1; i < argc; i++) {
            struct stat st;
            if (stat(argv[i], &st) != 0) {
                fprintf(stderr, "fuzz_sink_replay: %s: not found\n", argv[i]);
                return 2;
            }
            if (!S_ISDIR(st.st_mode)) {
                runs += run_file(argv[i]);
                continue;
            }
            DIR *d = opendir(argv[i]);
            struct dirent *e;
            while (d && (e = readdir(d)) != NULL) {
                if (e->d_name[0] == '.') continue;
                char path[4096];
                snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
                runs += run_file(path);
            }
            if (d) closedir(d);
        }
    printf("fuzz_sink_replay: %d inputs run\n", runs);
    return runs > 0 ? 0 : 1;
}
