// shim.c defines the public mars_* functions exactly as mars.h declares them
// (so the compiler checks the header against the code, and const survives)
// and forwards to the private Go exports marsgo_* (STYLE.md (a)8). Functions
// that need no Go state (errstr, buffers) are plain C here.
#include <stdlib.h>
#include <string.h>

#include "mars.h"
#include "_cgo_export.h"

const char *mars_version(void) { return MARS_VERSION_STRING; }

int mars_version_number(void) { return marsgo_version_number(); }

const char *mars_errstr(int code) {
    switch (code) {
    case MARS_OK: return "ok";
    case MARS_EINVAL: return "invalid argument";
    case MARS_EBADHANDLE: return "bad handle";
    case MARS_ERANGE: return "buffer too small";
    case MARS_ESTATE: return "wrong state";
    case MARS_ECLOSED: return "closed";
    case MARS_EINTERNAL: return "internal error";
    case MARS_EIO: return "i/o error";
    case MARS_ELIMIT: return "too many objects";
    case MARS_EUNSUPPORTED: return "not supported in this build";
    case MARS_EFORMAT: return "bad format";
    default: return "unknown error";
    }
}

// Limits that keep a confused callback from exhausting memory.
enum { buf_max = 64 << 20, str_list_max = 1024 };

int mars_buf_reserve(mars_buf *buf, size_t n, uint8_t **out) {
    if (buf == NULL || out == NULL || buf->len > buf_max || n > buf_max - buf->len) {
        return MARS_EINVAL;
    }
    size_t need = buf->len + n;
    if (need > buf->cap) {
        size_t cap = buf->cap < 256 ? 256 : buf->cap;
        while (cap < need) {
            cap *= 2;
        }
        uint8_t *p = realloc(buf->data, cap);
        if (p == NULL) {
            return MARS_EINVAL;
        }
        buf->data = p;
        buf->cap = cap;
    }
    *out = buf->data + buf->len;
    return MARS_OK;
}

int mars_buf_commit(mars_buf *buf, size_t n) {
    if (buf == NULL || buf->len > buf->cap || n > buf->cap - buf->len) {
        return MARS_EINVAL;
    }
    buf->len += n;
    return MARS_OK;
}

int mars_buf_append(mars_buf *buf, const void *data, size_t n) {
    if (data == NULL && n > 0) {
        return MARS_EINVAL;
    }
    uint8_t *dst;
    int rc = mars_buf_reserve(buf, n, &dst);
    if (rc != MARS_OK) {
        return rc;
    }
    if (n > 0) {
        memcpy(dst, data, n);
    }
    buf->len += n;
    return MARS_OK;
}

int mars_str_list_add(mars_str_list *list, const char *s) {
    if (list == NULL || s == NULL || list->len >= str_list_max || list->len > list->cap) {
        return MARS_EINVAL;
    }
    if (list->len == list->cap) {
        size_t cap = list->cap == 0 ? 8 : list->cap * 2;
        char **items = realloc(list->items, cap * sizeof *items);
        if (items == NULL) {
            return MARS_EINVAL;
        }
        list->items = items;
        list->cap = cap;
    }
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy == NULL) {
        return MARS_EINVAL;
    }
    memcpy(copy, s, n);
    list->items[list->len++] = copy;
    return MARS_OK;
}

void mars_free(void *p) { free(p); }
