// OpenSSL's libcrypto, used for RIPEMD-160 (absent from swift-crypto) and for SHA-256 on hot
// paths. The low-level RIPEMD160/SHA256 functions are deprecated in OpenSSL 3 in favour of
// EVP, but still exported; they need no provider and hash on a stack context with no
// allocation, which EVP (and swift-crypto's wrapper) cannot do per message.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/ripemd.h>
#include <openssl/sha.h>
