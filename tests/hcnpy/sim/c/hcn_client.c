/* A C program driving the simulated HNS's stand-in library the way a Windows C program
 * drives computenetwork.dll: dlopen, the exported Hcn* functions, UTF-16 strings, and
 * CoTaskMemFree for every string HNS hands back.
 *
 * Usage: hcn_client LIBRARY SCENARIO
 * Prints one line per HCN call: "<function> 0x<HRESULT> <error record or properties>".
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

typedef int32_t HRESULT;
typedef char16_t WCHAR;
typedef struct { uint32_t Data1; uint16_t Data2; uint16_t Data3; uint8_t Data4[8]; } GUID;
typedef void *HANDLE;

typedef HRESULT (*create_fn)(const GUID *, const WCHAR *, HANDLE *, WCHAR **);
typedef HRESULT (*create_ep_fn)(HANDLE, const GUID *, const WCHAR *, HANDLE *, WCHAR **);
typedef HRESULT (*modify_fn)(HANDLE, const WCHAR *, WCHAR **);
typedef HRESULT (*query_fn)(HANDLE, const WCHAR *, WCHAR **, WCHAR **);
typedef HRESULT (*delete_fn)(const GUID *, WCHAR **);
typedef HRESULT (*close_fn)(HANDLE);
typedef void (*free_fn)(void *);

static void *lib;
static free_fn co_free;

static void *sym(const char *name) {
    void *found = dlsym(lib, name);
    if (!found) { fprintf(stderr, "missing export %s\n", name); exit(2); }
    return found;
}

/* UTF-16 from ASCII text (the documents here are ASCII). */
static WCHAR *wide(const char *text) {
    size_t n = strlen(text);
    WCHAR *out = calloc(n + 1, sizeof(WCHAR));
    for (size_t i = 0; i < n; i++) out[i] = (WCHAR)(unsigned char)text[i];
    return out;
}

/* Print a UTF-16 string HNS returned (ASCII only here), then free it as HNS requires. */
static void take(WCHAR *text) {
    if (!text) { printf("-"); return; }
    for (WCHAR *p = text; *p; p++) putchar(*p < 128 ? (int)*p : '?');
    co_free(text);
}

static void discard(WCHAR *text) {
    if (text) co_free(text);
}

static void report(const char *function, HRESULT hr, WCHAR *text) {
    printf("%s 0x%08X ", function, (uint32_t)hr);
    take(text);
    printf("\n");
}

static const GUID NIL;

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: hcn_client LIBRARY SCENARIO\n"); return 2; }
    /* A plain C library, as computenetwork.dll is: it calls the simulator service. */
    lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "%s\n", dlerror()); return 2; }
    co_free = (free_fn)sym("CoTaskMemFree");
    const char *scenario = argv[2];
    const WCHAR *no_query = wide("{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
    HANDLE handle = NULL;
    WCHAR *record = NULL, *props = NULL;
    HRESULT hr;

    if (!strcmp(scenario, "namespace-bad-id")) {
        create_fn create = (create_fn)sym("HcnCreateNamespace");
        hr = create(&NIL, wide("{\"ID\":\"Sample-Namespace\",\"SchemaVersion\":{\"Major\":2,"
                               "\"Minor\":0}}"), &handle, &record);
        report("HcnCreateNamespace", hr, record);
    } else if (!strcmp(scenario, "namespace-with-container")) {
        create_fn create = (create_fn)sym("HcnCreateNamespace");
        modify_fn modify = (modify_fn)sym("HcnModifyNamespace");
        query_fn query = (query_fn)sym("HcnQueryNamespaceProperties");
        delete_fn del = (delete_fn)sym("HcnDeleteNamespace");
        close_fn close = (close_fn)sym("HcnCloseNamespace");
        GUID id = {0x11111111, 0x2222, 0x4333, {0x84, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55}};
        hr = create(&id, wide("{}"), &handle, &record);
        report("HcnCreateNamespace", hr, record);
        hr = modify(handle, wide("{\"ResourceType\":\"Container\",\"RequestType\":\"Add\","
                                 "\"Settings\":{\"ContainerId\":\"c1\"}}"), &record);
        report("HcnModifyNamespace", hr, record);
        hr = del(&id, &record);
        report("HcnDeleteNamespace", hr, record);
        hr = query(handle, no_query, &props, &record);
        report("HcnQueryNamespaceProperties", hr, props);
        discard(record);
        close(handle);
    } else if (!strcmp(scenario, "acl-any")) {
        create_fn create = (create_fn)sym("HcnCreateNetwork");
        create_ep_fn create_ep = (create_ep_fn)sym("HcnCreateEndpoint");
        close_fn close = (close_fn)sym("HcnCloseNetwork");
        hr = create(&NIL, wide("{\"Name\":\"c-acl\",\"Type\":\"NAT\"}"), &handle, &record);
        report("HcnCreateNetwork", hr, record);
        HANDLE endpoint = NULL;
        hr = create_ep(handle, &NIL,
                       wide("{\"Policies\":[{\"Type\":\"ACL\",\"Settings\":{\"Action\":"
                            "\"Block\",\"Direction\":\"In\",\"LocalAddresses\":\"Any\"}}]}"),
                       &endpoint, &record);
        report("HcnCreateEndpoint", hr, record);
        close(handle);
    } else if (!strcmp(scenario, "nat-default-subnet")) {
        create_fn create = (create_fn)sym("HcnCreateNetwork");
        query_fn query = (query_fn)sym("HcnQueryNetworkProperties");
        close_fn close = (close_fn)sym("HcnCloseNetwork");
        hr = create(&NIL, wide("{\"Name\":\"c-nat\"}"), &handle, &record);
        report("HcnCreateNetwork", hr, record);
        hr = query(handle, no_query, &props, &record);
        report("HcnQueryNetworkProperties", hr, props);
        discard(record);
        close(handle);
    } else {
        fprintf(stderr, "unknown scenario %s\n", scenario);
        return 2;
    }
    printf("HcnSimOutstandingStrings %u\n", ((uint32_t (*)(void))sym("HcnSimOutstandingStrings"))());
    return 0;
}
