/*
 * The stand-in computenetwork.dll: every HCN export as a thin client of the simulated HNS
 * service (hcnpy/sim/service.py), as the real DLL is a client of the HNS service.
 *
 * The build (hcnpy/sim/_standin_build.py) puts the types of hcnpy/_cdef.py and the
 * HCNSIM_READY constant in front of this file. No Python runs in the calling process.
 *
 * Where the service is: $HCNPY_SIM_SOCKET. When nothing answers there, the library starts
 * one with $HCNPY_SIM_PYTHON -m hcnpy.sim.service (PYTHONPATH from $HCNPY_SIM_PYTHONPATH),
 * one starter at a time through a lock file beside the socket.
 *
 * Wire format (little-endian): frame = u32 length + payload. Client payloads: hello
 * (u8 0, str token, u32 n, n x str "NAME=value") or call (u8 1, str method, u8 argc, argc x
 * value). Service payload: u8 status (0 answer, 1 kill the caller), u8 n, n x value.
 * Values: u8 tag, then 0 null | 1 i64 | 2 u32 byte length + UTF-16LE | 3 GUID's 16 bytes |
 * 4 u32 byte length + UTF-8.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the stand-in writes UTF-16LE by copying code units: little-endian hosts only"
#endif

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* macOS: SO_NOSIGPIPE is set on each socket instead */
#endif

#define EXPORT __attribute__((visibility("default")))
#define S_OK ((HRESULT)0)
#define E_FAIL ((HRESULT)0x80004005)
#define E_POINTER ((HRESULT)0x80004003)
#define E_INVALIDARG ((HRESULT)0x80070057)
#define MAX_IDLE 64

extern char **environ;

/* -- strings handed to the caller, counted so tests can prove they are all freed ----------- */

static uint32_t outstanding = 0;

static WCHAR *alloc_string(size_t units)
{
    WCHAR *buffer = (WCHAR *)calloc(units ? units : 1, sizeof(WCHAR));
    if (buffer != NULL)
        __atomic_add_fetch(&outstanding, 1, __ATOMIC_SEQ_CST);
    return buffer;
}

EXPORT void CoTaskMemFree(void *pv)
{
    if (pv != NULL) {
        free(pv);
        __atomic_sub_fetch(&outstanding, 1, __ATOMIC_SEQ_CST);
    }
}

EXPORT uint32_t HcnSimOutstandingStrings(void)
{
    return __atomic_load_n(&outstanding, __ATOMIC_SEQ_CST);
}

EXPORT uint32_t HcnSimReady(void)
{
    return HCNSIM_READY;
}

static size_t wide_length(PCWSTR text)
{
    size_t n = 0;
    while (text[n])
        n++;
    return n;
}

/* -- message buffers ---------------------------------------------------------------------- */

typedef struct {
    uint8_t *data;
    size_t len, cap;
    int failed;
} Buffer;

static void put(Buffer *b, const void *bytes, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *grown = (uint8_t *)realloc(b->data, cap);
        if (grown == NULL) {
            b->failed = 1;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
}

static void put_u8(Buffer *b, uint8_t v) { put(b, &v, 1); }
static void put_u32(Buffer *b, uint32_t v) { put(b, &v, 4); }

static void put_text(Buffer *b, const char *text)
{
    size_t n = strlen(text);
    put_u8(b, 4);
    put_u32(b, (uint32_t)n);
    put(b, text, n);
}

static void put_wide(Buffer *b, PCWSTR text)
{
    if (text == NULL) {
        put_u8(b, 0);
        return;
    }
    size_t n = wide_length(text) * sizeof(WCHAR);
    put_u8(b, 2);
    put_u32(b, (uint32_t)n);
    put(b, text, n);
}

static void put_int(Buffer *b, int64_t v)
{
    put_u8(b, 1);
    put(b, &v, 8);
}

static void put_handle(Buffer *b, void *handle) { put_int(b, (int64_t)(uintptr_t)handle); }

/* A GUID, or null for a missing or all-zero one (HNS then picks the ID). */
static void put_guid(Buffer *b, const GUID *id)
{
    static const uint8_t zero[16];
    if (id == NULL || memcmp(id, zero, 16) == 0) {
        put_u8(b, 0);
        return;
    }
    put_u8(b, 3);
    put(b, id, 16);
}

/* A GUID as it is, the all-zero one included (the object to open or delete). */
static void put_id(Buffer *b, const GUID *id)
{
    put_u8(b, 3);
    put(b, id, 16);
}

/* -- answers ------------------------------------------------------------------------------ */

typedef struct {
    uint8_t tag;
    int64_t number;
    const uint8_t *bytes;
    uint32_t size;
} Value;

typedef struct {
    uint8_t *frame;
    int count;
    Value values[3];
    HRESULT failure;     /* set when the service could not be asked */
    char detail[512];    /* why, for the error record */
} Answer;

static int parse_answer(Answer *a, uint8_t *p, size_t n)
{
    if (n < 2)
        return -1;
    uint8_t status = p[0], count = p[1];
    size_t at = 2;
    if (status == 1) {
        kill(getpid(), SIGKILL); /* a kill fault: die as a crash would, mid-call */
        _exit(137);
    }
    if (status != 0 || count > 3)
        return -1;
    for (int i = 0; i < count; i++) {
        Value *v = &a->values[i];
        if (at >= n)
            return -1;
        v->tag = p[at++];
        if (v->tag == 1) {
            if (at + 8 > n)
                return -1;
            memcpy(&v->number, p + at, 8);
            at += 8;
        } else if (v->tag == 2) {
            if (at + 4 > n)
                return -1;
            memcpy(&v->size, p + at, 4);
            at += 4;
            if (at + v->size > n || v->size % 2)
                return -1;
            v->bytes = p + at;
            at += v->size;
        } else if (v->tag != 0) {
            return -1;
        }
    }
    a->count = count;
    return 0;
}

static int64_t number_at(const Answer *a, int i)
{
    return i < a->count && a->values[i].tag == 1 ? a->values[i].number : 0;
}

/* A caller-owned copy of answer value i (NULL for null). */
static PWSTR string_at(const Answer *a, int i)
{
    if (i >= a->count || a->values[i].tag != 2)
        return NULL;
    size_t units = a->values[i].size / sizeof(WCHAR);
    WCHAR *copy = alloc_string(units + 1);
    if (copy != NULL)
        memcpy(copy, a->values[i].bytes, units * sizeof(WCHAR));
    return copy;
}

static void json_escaped(char *out, size_t size, const char *text)
{
    size_t at = 0;
    for (; *text && at + 7 < size; text++) {
        unsigned char c = (unsigned char)*text;
        if (c == '"' || c == '\\')
            at += (size_t)snprintf(out + at, size - at, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            at += (size_t)snprintf(out + at, size - at, "\\u%04x", c);
        else
            out[at++] = (char)c;
    }
    out[at] = '\0';
}

/* The error record of a call the service could not answer. */
static PWSTR failure_record(const Answer *a)
{
    char detail[1100], text[1400];
    json_escaped(detail, sizeof detail, a->detail);
    int n = snprintf(text, sizeof text,
                     "{\"Success\":false,\"Error\":\"Unspecified error\",\"ErrorCode\":%u,"
                     "\"Simulator\":{\"Detail\":\"%s\"}}",
                     (unsigned)(uint32_t)a->failure, detail);
    if (n < 0)
        return NULL;
    WCHAR *record = alloc_string((size_t)n + 1);
    for (int i = 0; record != NULL && i < n; i++)
        record[i] = (WCHAR)(unsigned char)text[i];
    return record;
}

/* -- connections to the service ----------------------------------------------------------- */

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static int idle_fds[MAX_IDLE];
static int idle_count = 0;
static pid_t pool_pid = 0;
static unsigned generation = 0;
static char token[96];

/* Send (writing) or receive all n bytes; -1 when the peer is gone. */
static int transfer(int fd, uint8_t *data, size_t n, int writing)
{
    while (n) {
        ssize_t done = writing ? send(fd, data, n, MSG_NOSIGNAL) : recv(fd, data, n, 0);
        if (done < 0 && errno == EINTR)
            continue;
        if (done <= 0)
            return -1;
        data += done;
        n -= (size_t)done;
    }
    return 0;
}

/* A frame's buffer starts with room for its length, filled in by send_frame(). */
static void begin_frame(Buffer *frame, uint8_t kind)
{
    put_u32(frame, 0);
    put_u8(frame, kind);
}

/* One write: the service reads a whole frame on one wake-up. */
static int send_frame(int fd, Buffer *frame)
{
    if (frame->failed) {
        errno = ENOMEM;
        return -1;
    }
    uint32_t n = (uint32_t)(frame->len - 4);
    memcpy(frame->data, &n, 4);
    return transfer(fd, frame->data, frame->len, 1);
}

/* One frame into a malloc-ed buffer (*size bytes), or NULL when the peer is gone. */
static uint8_t *read_frame(int fd, size_t *size)
{
    uint8_t header[4];
    uint32_t n;
    if (transfer(fd, header, 4, 0))
        return NULL;
    memcpy(&n, header, 4);
    uint8_t *frame = (uint8_t *)malloc(n ? n : 1);
    if (frame == NULL || transfer(fd, frame, n, 0)) {
        free(frame);
        return NULL;
    }
    *size = n;
    return frame;
}

static int open_socket(const char *path)
{
    struct sockaddr_un address;
    if (strlen(path) >= sizeof address.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    fcntl(fd, F_SETFD, FD_CLOEXEC);
#ifdef SO_NOSIGPIPE
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
#endif
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    strcpy(address.sun_path, path);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* Start the service at `path` unless another process is starting it; wait until it listens. */
static int start_service(const char *path, char *why, size_t why_size)
{
    const char *python = getenv("HCNPY_SIM_PYTHON");
    const char *python_path = getenv("HCNPY_SIM_PYTHONPATH");
    char lock_path[4200], log_path[4200];
    if (python == NULL || *python == '\0') {
        snprintf(why, why_size, "nothing answers at %s and HCNPY_SIM_PYTHON is not set", path);
        return -1;
    }
    snprintf(lock_path, sizeof lock_path, "%s.lock", path);
    snprintf(log_path, sizeof log_path, "%s.log", path);
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (lock < 0 || flock(lock, LOCK_EX) != 0) {
        snprintf(why, why_size, "cannot lock %s: %s", lock_path, strerror(errno));
        if (lock >= 0)
            close(lock);
        return -1;
    }
    int fd = open_socket(path);
    if (fd >= 0) { /* another process started it meanwhile */
        close(fd);
        close(lock);
        return 0;
    }
    /* Everything the child needs is prepared before fork(): it may only exec. */
    size_t count = 0;
    while (environ[count])
        count++;
    char **env = (char **)calloc(count + 2, sizeof(char *));
    char *python_path_entry = NULL;
    if (env == NULL) {
        close(lock);
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    size_t used = 0;
    for (size_t i = 0; i < count; i++)
        if (strncmp(environ[i], "PYTHONPATH=", 11) != 0 || python_path == NULL)
            env[used++] = environ[i];
    if (python_path != NULL) {
        python_path_entry = (char *)malloc(strlen(python_path) + 12);
        if (python_path_entry != NULL) {
            sprintf(python_path_entry, "PYTHONPATH=%s", python_path);
            env[used++] = python_path_entry;
        }
    }
    char *argv[] = {(char *)python, "-m", "hcnpy.sim.service", "--socket", (char *)path, NULL};
    long open_max = sysconf(_SC_OPEN_MAX);
    if (open_max < 0 || open_max > 65536)
        open_max = 65536;
    pid_t child = fork();
    if (child == 0) {
        setsid();
        if (chdir("/") != 0)
            _exit(127);
        int in = open("/dev/null", O_RDONLY);
        int log = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600);
        if (in >= 0)
            dup2(in, 0);
        if (log >= 0) {
            dup2(log, 1);
            dup2(log, 2);
        }
        for (long fd = 3; fd < open_max; fd++) /* none of the caller's files, pipes, locks */
            close((int)fd);
        if (fork() != 0) /* the service is nobody's child: no zombie, no waiting */
            _exit(0);
        execve(python, argv, env);
        _exit(127);
    }
    free(python_path_entry);
    free(env);
    if (child < 0) {
        snprintf(why, why_size, "cannot start the simulated HNS service: %s", strerror(errno));
        close(lock);
        return -1;
    }
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {
    }
    int ready = -1;
    for (int i = 0; i < 3000 && ready < 0; i++) { /* up to 30 s */
        fd = open_socket(path);
        if (fd >= 0) {
            close(fd);
            ready = 0;
        } else {
            struct timespec tick = {0, 10 * 1000 * 1000};
            nanosleep(&tick, NULL);
        }
    }
    if (ready < 0)
        snprintf(why, why_size, "the simulated HNS service did not start within 30 s; see %s",
                 log_path);
    close(lock);
    return ready;
}

static int wanted_variable(const char *entry)
{
    return strncmp(entry, "HCNPY_SIM_", 10) == 0 || strncmp(entry, "HOME=", 5) == 0 ||
           strncmp(entry, "XDG_STATE_HOME=", 15) == 0 || strncmp(entry, "LOCALAPPDATA=", 13) == 0;
}

#define TURNED_AWAY (-2)

/* A new connection, its hello sent but not yet answered: the caller's first call follows
 * at once and both answers are read together (one round trip, not two). -1 when there is no
 * service to be had (why says why), TURNED_AWAY when one hung up before the hello. */
static int connect_service(const char *my_token, char *why, size_t why_size)
{
    const char *path = getenv("HCNPY_SIM_SOCKET");
    if (path == NULL || *path == '\0') {
        snprintf(why, why_size, "HCNPY_SIM_SOCKET is not set: no simulated HNS service to call");
        return -1;
    }
    int fd = open_socket(path);
    if (fd < 0 && (errno == ENOENT || errno == ECONNREFUSED)) {
        if (start_service(path, why, why_size) != 0)
            return -1;
        fd = open_socket(path);
    }
    if (fd < 0) {
        snprintf(why, why_size, "cannot connect to %s: %s", path, strerror(errno));
        return -1;
    }
    Buffer hello = {0};
    uint32_t count = 0;
    for (char **entry = environ; *entry; entry++)
        count += (uint32_t)wanted_variable(*entry);
    begin_frame(&hello, 0);
    put_text(&hello, my_token);
    put_u32(&hello, count);
    for (char **entry = environ; *entry; entry++)
        if (wanted_variable(*entry))
            put_text(&hello, *entry);
    int sent = send_frame(fd, &hello);
    free(hello.data);
    if (sent != 0) { /* hung up at once: a service on its way out */
        close(fd);
        return TURNED_AWAY;
    }
    return fd;
}

/* The service's answer to a hello: an empty answer. */
static int hello_answered(int fd)
{
    size_t size = 0;
    uint8_t *reply = read_frame(fd, &size);
    int ok = reply != NULL && size == 2 && reply[0] == 0 && reply[1] == 0;
    free(reply);
    return ok;
}

static void new_token_locked(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    snprintf(token, sizeof token, "%ld-%lld.%09ld-%u", (long)getpid(), (long long)now.tv_sec,
             (long)now.tv_nsec, generation);
}

/* An idle connection of this process, or a new one (*fresh: its hello is unanswered yet);
 * *gen tells give_back() which era it belongs to. */
static int take(unsigned *gen, int *fresh, char *why, size_t why_size)
{
    char my_token[sizeof token];
    pthread_mutex_lock(&pool_lock);
    if (pool_pid != getpid()) { /* first call, or a forked child: the parent's are not ours */
        for (int i = 0; i < idle_count; i++)
            close(idle_fds[i]);
        idle_count = 0;
        pool_pid = getpid();
        new_token_locked();
    }
    *gen = generation;
    *fresh = idle_count == 0;
    if (idle_count) {
        int fd = idle_fds[--idle_count];
        pthread_mutex_unlock(&pool_lock);
        return fd;
    }
    memcpy(my_token, token, sizeof token);
    pthread_mutex_unlock(&pool_lock);
    return connect_service(my_token, why, why_size);
}

static void give_back(int fd, unsigned gen)
{
    pthread_mutex_lock(&pool_lock);
    if (gen == generation && pool_pid == getpid() && idle_count < MAX_IDLE) {
        idle_fds[idle_count++] = fd;
        fd = -1;
    }
    pthread_mutex_unlock(&pool_lock);
    if (fd >= 0)
        close(fd);
}

/* Close every idle connection: after one of them failed, the others lead to the same
 * service, which is gone. */
static void drop_idle(void)
{
    pthread_mutex_lock(&pool_lock);
    for (int i = 0; i < idle_count; i++)
        close(idle_fds[i]);
    idle_count = 0;
    pthread_mutex_unlock(&pool_lock);
}

/* Forget this process's connections: the service drops its handles, and the next call
 * introduces the process afresh (with the environment it has then). */
EXPORT uint32_t HcnSimReset(void)
{
    pthread_mutex_lock(&pool_lock);
    for (int i = 0; i < idle_count; i++)
        close(idle_fds[i]);
    idle_count = 0;
    generation++;
    new_token_locked();
    pthread_mutex_unlock(&pool_lock);
    return 0;
}

/* Ask the service: `args` holds argc values; on return `a` holds the answer or the failure. */
static void ask(const char *method, Buffer *args, int argc, Answer *a)
{
    memset(a, 0, sizeof *a);
    Buffer call = {0};
    begin_frame(&call, 1);
    put_text(&call, method);
    put_u8(&call, (uint8_t)argc);
    put(&call, args->data, args->len);
    call.failed |= args->failed;
    free(args->data);
    unsigned gen = 0;
    int fd = -1, fresh = 0, attempt = 0;
    for (;; attempt++) {
        fd = take(&gen, &fresh, a->detail, sizeof a->detail);
        if (fd == -1) {
            a->failure = E_FAIL;
            free(call.data);
            return;
        }
        if (fd >= 0 && send_frame(fd, &call) == 0 && (!fresh || hello_answered(fd)))
            break;
        /* Not delivered, or turned away before the call was read (a service on its way
         * out): nothing was done, and another service is found or started next time. */
        if (fd >= 0)
            close(fd);
        if (!fresh)
            drop_idle();
        if (attempt == 3) {
            const char *path = getenv("HCNPY_SIM_SOCKET");
            a->failure = E_FAIL;
            snprintf(a->detail, sizeof a->detail, "the simulated HNS service at %s does not answer",
                     path ? path : "(unset)");
            free(call.data);
            return;
        }
        struct timespec tick = {0, 20 * 1000 * 1000};
        nanosleep(&tick, NULL);
    }
    size_t size = 0;
    uint8_t *frame = read_frame(fd, &size);
    free(call.data);
    if (frame == NULL || parse_answer(a, frame, size) != 0) {
        close(fd);
        drop_idle();
        free(frame);
        a->failure = E_FAIL;
        snprintf(a->detail, sizeof a->detail, "the simulated HNS service failed during %s",
                 method);
        return;
    }
    give_back(fd, gen);
    a->frame = frame;
}

static void done(Answer *a) { free(a->frame); }

/* Answers of the shape (hresult, text, record): text to *out, record to *record. */
static HRESULT finish(Answer *a, PWSTR *out, PWSTR *record)
{
    HRESULT hr;
    if (a->failure) {
        hr = a->failure;
        if (out)
            *out = NULL;
        if (record)
            *record = failure_record(a);
    } else {
        hr = (HRESULT)(uint32_t)number_at(a, 0);
        if (out)
            *out = string_at(a, 1);
        if (record)
            *record = string_at(a, 2);
    }
    done(a);
    return hr;
}

/* Answers of the shape (hresult, handle, record): the handle only on success. */
static HRESULT finish_handle(Answer *a, void **handle, PWSTR *record)
{
    HRESULT hr = a->failure ? a->failure : (HRESULT)(uint32_t)number_at(a, 0);
    *handle = hr >= 0 ? (void *)(uintptr_t)number_at(a, 1) : NULL;
    return finish(a, NULL, record);
}

/* -- the exports -------------------------------------------------------------------------- */

static HRESULT enumerate_kind(const char *kind, PCWSTR query, PWSTR *out, PWSTR *record)
{
    if (out == NULL)
        return E_POINTER;
    Buffer b = {0};
    Answer a;
    put_text(&b, kind);
    put_wide(&b, query);
    ask("enumerate", &b, 2, &a);
    return finish(&a, out, record);
}

static HRESULT create_kind(const char *kind, void *network, const GUID *id, PCWSTR settings,
                           void **out, PWSTR *record)
{
    if (out == NULL)
        return E_POINTER;
    Buffer b = {0};
    Answer a;
    put_text(&b, kind);
    put_guid(&b, id);
    put_wide(&b, settings);
    if (network)
        put_handle(&b, network);
    else
        put_u8(&b, 0);
    ask("create", &b, 4, &a);
    return finish_handle(&a, out, record);
}

static HRESULT open_kind(const char *kind, const GUID *id, void **out, PWSTR *record)
{
    if (out == NULL || id == NULL)
        return E_POINTER;
    Buffer b = {0};
    Answer a;
    put_text(&b, kind);
    put_id(&b, id);
    ask("open", &b, 2, &a);
    return finish_handle(&a, out, record);
}

static HRESULT modify_kind(const char *kind, void *handle, PCWSTR settings, PWSTR *record)
{
    Buffer b = {0};
    Answer a;
    put_text(&b, kind);
    put_handle(&b, handle);
    put_wide(&b, settings);
    ask("modify", &b, 3, &a);
    return finish(&a, NULL, record);
}

static HRESULT query_kind(const char *method, const char *kind, void *handle, PCWSTR query,
                          PWSTR *out, PWSTR *record)
{
    if (out == NULL)
        return E_POINTER;
    Buffer b = {0};
    Answer a;
    int argc = 0;
    if (kind != NULL) {
        put_text(&b, kind);
        argc++;
    }
    put_handle(&b, handle);
    put_wide(&b, query);
    ask(method, &b, argc + 2, &a);
    return finish(&a, out, record);
}

static HRESULT delete_kind(const char *kind, const GUID *id, PWSTR *record)
{
    if (id == NULL)
        return E_POINTER;
    Buffer b = {0};
    Answer a;
    put_text(&b, kind);
    put_id(&b, id);
    ask("delete", &b, 2, &a);
    return finish(&a, NULL, record);
}

static HRESULT bare_call(const char *method, const char *kind, void *handle)
{
    Buffer b = {0};
    Answer a;
    int argc = 1;
    if (kind != NULL) {
        put_text(&b, kind);
        argc++;
    }
    put_handle(&b, handle);
    ask(method, &b, argc, &a);
    HRESULT hr = a.failure ? a.failure : (HRESULT)(uint32_t)number_at(&a, 0);
    done(&a);
    return hr;
}

#define KIND_EXPORTS(Kind, HANDLE)                                                           \
    EXPORT HRESULT HcnEnumerate##Kind##s(PCWSTR query, PWSTR *out, PWSTR *record)            \
    {                                                                                        \
        return enumerate_kind(#Kind, query, out, record);                                    \
    }                                                                                        \
    EXPORT HRESULT HcnOpen##Kind(const GUID *id, HANDLE *out, PWSTR *record)                 \
    {                                                                                        \
        return open_kind(#Kind, id, out, record);                                            \
    }                                                                                        \
    EXPORT HRESULT HcnModify##Kind(HANDLE handle, PCWSTR settings, PWSTR *record)            \
    {                                                                                        \
        return modify_kind(#Kind, handle, settings, record);                                 \
    }                                                                                        \
    EXPORT HRESULT HcnQuery##Kind##Properties(HANDLE handle, PCWSTR query, PWSTR *out,       \
                                              PWSTR *record)                                 \
    {                                                                                        \
        return query_kind("query", #Kind, handle, query, out, record);                       \
    }                                                                                        \
    EXPORT HRESULT HcnDelete##Kind(const GUID *id, PWSTR *record)                            \
    {                                                                                        \
        return delete_kind(#Kind, id, record);                                               \
    }                                                                                        \
    EXPORT HRESULT HcnClose##Kind(HANDLE handle) { return bare_call("close", #Kind, handle); }

#define CREATE_EXPORT(Kind, HANDLE)                                                          \
    EXPORT HRESULT HcnCreate##Kind(const GUID *id, PCWSTR settings, HANDLE *out,             \
                                   PWSTR *record)                                            \
    {                                                                                        \
        return create_kind(#Kind, NULL, id, settings, out, record);                          \
    }

KIND_EXPORTS(Network, HCN_NETWORK)
KIND_EXPORTS(Endpoint, HCN_ENDPOINT)
KIND_EXPORTS(Namespace, HCN_NAMESPACE)
KIND_EXPORTS(LoadBalancer, HCN_LOADBALANCER)
KIND_EXPORTS(SdnRoute, HCN_SDNROUTE)
CREATE_EXPORT(Network, HCN_NETWORK)
CREATE_EXPORT(Namespace, HCN_NAMESPACE)
CREATE_EXPORT(LoadBalancer, HCN_LOADBALANCER)
CREATE_EXPORT(SdnRoute, HCN_SDNROUTE)

EXPORT HRESULT HcnCreateEndpoint(HCN_NETWORK network, const GUID *id, PCWSTR settings,
                                 HCN_ENDPOINT *out, PWSTR *record)
{
    return create_kind("Endpoint", network, id, settings, out, record);
}

EXPORT HRESULT HcnQueryEndpointStats(HCN_ENDPOINT handle, PCWSTR query, PWSTR *out,
                                     PWSTR *record)
{
    return query_kind("query_endpoint_stats", NULL, handle, query, out, record);
}

EXPORT HRESULT HcnQueryEndpointAddresses(HCN_ENDPOINT handle, PCWSTR query, PWSTR *out,
                                         PWSTR *record)
{
    return query_kind("query_endpoint_addresses", NULL, handle, query, out, record);
}

EXPORT HRESULT HNSCall(PCWSTR method, PCWSTR path, PCWSTR body, PWSTR *response)
{
    if (response == NULL || method == NULL || path == NULL)
        return E_POINTER;
    Buffer b = {0};
    Answer a;
    put_wide(&b, method);
    put_wide(&b, path);
    put_wide(&b, body);
    ask("hns_call", &b, 3, &a);
    return finish(&a, response, NULL);
}

EXPORT HRESULT HcnRegisterServiceCallback(HCN_NOTIFICATION_CALLBACK callback, void *context,
                                          HCN_CALLBACK *out)
{
    (void)context; /* the simulated HNS sends no notifications */
    if (out == NULL || callback == NULL)
        return E_POINTER;
    Buffer b = {0};
    Answer a;
    ask("register_service_callback", &b, 0, &a);
    return finish_handle(&a, out, NULL);
}

EXPORT HRESULT HcnUnregisterServiceCallback(HCN_CALLBACK handle)
{
    return bare_call("unregister_service_callback", NULL, handle);
}

EXPORT uint32_t HcnSimOpenHandles(void)
{
    Buffer b = {0};
    Answer a;
    ask("open_handle_count", &b, 0, &a);
    uint32_t count = a.failure ? 0xFFFFFFFFu : (uint32_t)number_at(&a, 0);
    done(&a);
    return count;
}
