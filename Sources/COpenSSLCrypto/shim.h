// OpenSSL's libcrypto, used only for what swift-crypto lacks (RIPEMD-160).
// The one-shot RIPEMD160() is deprecated in OpenSSL 3 in favour of EVP, whose RIPEMD-160 lives in
// the legacy provider; the low-level function is still exported and needs no provider.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/ripemd.h>
