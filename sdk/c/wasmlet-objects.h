/* Objects: the contract's objects interface (buckets the manifest grants) and the object events
 * that `[[object_event]]` delivers to the queue handler. Included by wasmlet.h. The manifest
 * grants each bucket with its access: buckets = ["uploads:read", "thumbnails:write"]; a call the
 * grant does not allow fails with WASMLET_OBJECTS_DENIED (and a line in the function's log).
 *
 *   wasmlet_object obj;
 *   wasmlet_objects_error err;
 *   int found = wasmlet_object_get("uploads", "2026/cat.jpg", &obj, &err);
 *   if (found < 0) { wasmlet_log(WASMLET_ERROR, err.message); wasmlet_objects_error_free(&err); return ...; }
 *   if (found == 0) return ...;                          // no such key
 *   use(obj.body, obj.body_len, obj.info.content_type);
 *   wasmlet_object_free(&obj);
 *   if (wasmlet_object_put("thumbnails", "2026/cat.png", png, png_len, "image/png", NULL, &err) < 0) ...
 *
 * Every call returns a negative number on failure and fills `err` (which may be NULL when the
 * reason does not matter); each out-struct is zeroed first, so freeing it is always safe. */
#ifndef WASMLET_OBJECTS_H
#define WASMLET_OBJECTS_H

#include "wasmlet.h"

/* Why a call failed; the values are the WIT enum's (error-code of the objects interface). */
typedef enum {
  WASMLET_OBJECTS_DENIED = 0,         /* the bucket is not granted with the access the call needs */
  WASMLET_OBJECTS_NO_SUCH_BUCKET = 1,
  WASMLET_OBJECTS_INVALID_KEY = 2,    /* empty, over 1024 bytes of UTF-8, or with NUL */
  WASMLET_OBJECTS_INVALID_RANGE = 3,  /* the range starts past the end of the object */
  WASMLET_OBJECTS_TOO_LARGE = 4,      /* over the host's limit for one call: read in ranges */
  WASMLET_OBJECTS_QUOTA_EXCEEDED = 5,
  WASMLET_OBJECTS_OTHER = 6,          /* anything else (a malformed argument, a failing disk) */
} wasmlet_objects_error_code;

/* Owned by the caller after a failed call: free with wasmlet_objects_error_free. */
typedef struct {
  wasmlet_objects_error_code code;
  char *message; /* NUL-terminated, for logs (not a stable interface) */
} wasmlet_objects_error;

/* An object's metadata, owned by the caller: free with wasmlet_object_info_free. Strings are
 * NUL-terminated. */
typedef struct {
  char *key;
  uint64_t size;
  char *etag;          /* S3's ETag without quotes: the MD5 hex of the bytes */
  char *content_type;  /* "application/octet-stream" when the writer gave none */
  uint64_t last_modified; /* ms since the Unix epoch */
} wasmlet_object_info;

/* An object (or a range of it), owned by the caller: free with wasmlet_object_free. */
typedef struct {
  wasmlet_object_info info;
  uint8_t *body;   /* never NULL after a read; followed by a NUL not counted in body_len */
  size_t body_len;
} wasmlet_object;

/* One page of a listing, owned by the caller: free with wasmlet_object_page_free. */
typedef struct {
  wasmlet_object_info *objects; /* in UTF-8 byte order of their keys; NULL when none */
  size_t objects_len;
  char *continuation;           /* pass to the next wasmlet_object_list; NULL on the last page */
} wasmlet_object_page;

/* Reads a whole object: 1 and `obj` filled when it exists, 0 when there is no such key, -1 on failure. */
int wasmlet_object_get(const char *bucket, const char *key, wasmlet_object *obj, wasmlet_objects_error *err);
/* Reads bytes first..last (inclusive, as HTTP's Range; a `last` past the end is clipped): as wasmlet_object_get. */
int wasmlet_object_get_range(const char *bucket, const char *key, uint64_t first, uint64_t last, wasmlet_object *obj,
                             wasmlet_objects_error *err);
/* The metadata only: 1 when the object exists, 0 when not, -1 on failure. */
int wasmlet_object_head(const char *bucket, const char *key, wasmlet_object_info *info, wasmlet_objects_error *err);
/* Stores `len` bytes under `key` (replacing what was there); `content_type` NULL or "" means
 * application/octet-stream. 0 on success (with `info` filled when not NULL), -1 on failure. */
int wasmlet_object_put(const char *bucket, const char *key, const void *body, size_t len, const char *content_type,
                       wasmlet_object_info *info, wasmlet_objects_error *err);
/* Up to `max_keys` (1..1000) objects whose keys start with `prefix` ("" or NULL: all), after
 * `continuation` (NULL for the first page). 0 on success, -1 on failure. */
int wasmlet_object_list(const char *bucket, const char *prefix, const char *continuation, uint32_t max_keys,
                        wasmlet_object_page *page, wasmlet_objects_error *err);
/* 1 when an object was deleted, 0 when there was none, -1 on failure. */
int wasmlet_object_delete(const char *bucket, const char *key, wasmlet_objects_error *err);

/* Free what a call filled in and zero the struct; safe on a zeroed one and twice in a row. */
void wasmlet_object_free(wasmlet_object *obj);
void wasmlet_object_info_free(wasmlet_object_info *info);
void wasmlet_object_page_free(wasmlet_object_page *page);
void wasmlet_objects_error_free(wasmlet_objects_error *err);

/* The code's name as in the WIT ("denied", "no-such-bucket", ...); "unknown" outside the enum. */
const char *wasmlet_objects_error_name(wasmlet_objects_error_code code);

/* An `[[object_event]]` message, read from its attributes (the body is the same event as an S3
 * event record, JSON, for code ported from Lambda). Views into the message: valid during the call. */
typedef struct {
  wasmlet_str name;   /* S3's eventName: "ObjectCreated:Put", ":Copy", ":CompleteMultipartUpload", "ObjectRemoved:Delete" */
  int created;        /* 1 for ObjectCreated:*, 0 for ObjectRemoved:* */
  wasmlet_str bucket;
  wasmlet_str key;    /* as stored: not URL-encoded (the JSON body's key is, as S3 sends it) */
  uint64_t size;      /* of the object written, or deleted */
  wasmlet_str etag;
} wasmlet_object_event;

/* 1 and `event` filled when `message` is an object event, 0 when it is not one. */
int wasmlet_object_event_of(const wasmlet_message *message, wasmlet_object_event *event);

#endif
