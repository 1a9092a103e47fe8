// Input buffers are const: Swift then passes read-only bytes to deflate without a cast.
#define ZLIB_CONST
#include <zlib.h>
